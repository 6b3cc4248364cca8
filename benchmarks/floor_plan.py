"""The floor's Word plan: a tiny docxtpl template of 15 sections with 4 table loops, and its rendering.

``python benchmarks/floor_plan.py`` (re)writes the template ``floor-plan.docx`` next to this file;
the floor renders that file, or builds the same template in memory when it is missing.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docxtpl import DocxTemplate

TEMPLATE = Path(__file__).resolve().parent / "floor-plan.docx"

# (heading, paragraphs); a paragraph that is a tuple is a table: (header, loop, cells).
SECTIONS = [
    ("{{ spec.meta.title or spec.brand.name }}", ["{{ spec.meta.prepared_by }} {{ spec.meta.date }}"]),
    ("一、摘要", ["年度GMV目标 {{ annual_gmv }}，推广预算 {{ annual_budget }}。",
                 "{{ spec.brand.positioning }}"]),
    ("二、品牌与公司", ["{{ spec.brand.story }}", "{{ spec.company.intro }}",
                       "{%p for c in spec.company.channels %}", "{{ c.name }}：{{ c.annual_sales }}",
                       "{%p endfor %}"]),
    ("三、市场分析", ["{{ spec.market.overview }}", "{%p for t in spec.market.target_customers %}",
                     "{{ t.segment }}：{{ t.description }}（{{ t.share }}）", "{%p endfor %}"]),
    ("四、SWOT", ["{%p for k, v in spec.swot.items() %}", "{{ k }}：{{ v|join('；') }}", "{%p endfor %}"]),
    ("五、月度目标", [(["月份", "GMV", "预算"], "m in months", ["{{ m.month }}", "{{ m.gmv }}", "{{ m.budget }}"])]),
    ("六、季度目标", [(["季度", "阶段", "GMV", "预算", "目标"], "q in quarters",
                      ["{{ q.quarter }}", "{{ q.phase }}", "{{ q.gmv }}", "{{ q.budget }}", "{{ q.goals }}"])]),
    ("七、运营策略", ["{%p for k, v in strategy.items() %}", "{{ k }}：{{ v }}",
                     "{%p endfor %}"]),
    ("八、产品规划", [(["商品", "定位", "价格", "毛利率"], "p in products",
                      ["{{ p.name }}", "{{ p.role }}", "{{ p.price }}", "{{ p.margin }}"])]),
    ("九、季度计划", ["{%p for q in spec.roadmap %}", "{{ q.quarter }} {{ q.phase }}：{{ q.goals|join('；') }}",
                     "{%p endfor %}"]),
    ("十、推广计划", ["{%p for c in spec.promotion.channels %}", "{{ c.name }}：{{ c.description }}",
                     "{%p endfor %}", "{%p for e in spec.promotion.events %}",
                     "{{ e.name }} {{ e.date }} {{ e.budget }} {{ e.goal }}", "{%p endfor %}"]),
    ("十一、团队与分工", [(["岗位", "人数", "职责"], "m in spec.team.members",
                          ["{{ m.role }}", "{{ m.headcount }}", "{{ m.responsibilities|join('；') }}"])]),
    ("十二、服务", ["{{ spec.service.presale }}", "{{ spec.service.aftersale }}"]),
    ("十三、会员", ["{%p for t in spec.membership.tiers %}", "{{ t.name }}：{{ t.benefits|join('、') }}",
                   "{%p endfor %}"]),
    ("十四、风险", ["{%p for r in spec.risks %}", "{{ r.risk }}：{{ r.mitigation }}", "{%p endfor %}"]),
    ("十五、附录", ["{{ spec.company.name }} {{ spec.company.address }}"]),
]


def template_document() -> Document:
    """Build the floor's Word template with python-docx."""
    doc = Document()
    for heading, paragraphs in SECTIONS:
        doc.add_heading(heading, level=1)
        for item in paragraphs:
            if isinstance(item, tuple):
                header, loop, cells = item
                table = doc.add_table(rows=4, cols=len(header))
                table.style = "Table Grid"
                for c, text in enumerate(header):
                    table.cell(0, c).text = text
                table.cell(1, 0).text = f"{{%tr for {loop} %}}"
                for c, text in enumerate(cells):
                    table.cell(2, c).text = text
                table.cell(3, 0).text = "{%tr endfor %}"
            else:
                doc.add_paragraph(item)
    return doc


def _template_source():
    if TEMPLATE.is_file():
        return str(TEMPLATE)
    buf = io.BytesIO()
    template_document().save(buf)
    buf.seek(0)
    return buf


def render_plan(context: dict, target: Path) -> None:
    """Render the template with *context* into *target*."""
    tpl = DocxTemplate(_template_source())
    tpl.render(context, autoescape=True)
    tpl.save(str(target))


if __name__ == "__main__":
    template_document().save(str(TEMPLATE))
    print(f"wrote {TEMPLATE}")
