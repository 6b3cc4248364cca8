"""Write a commented starter spec (zh-CN or en) that validates as it is."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from planforge.fmt import is_zh


def _scalar(value: Any) -> str:
    """Quote text for YAML (JSON strings are valid YAML), leave numbers bare."""
    if isinstance(value, bool):
        return json.dumps(str(value))
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value).strip(), ensure_ascii=False)


def starter_spec(locale: str = "zh-CN", answers: dict | None = None) -> str:
    """Return starter spec text with brand, company, year and annual GMV from ``answers``."""
    answers = {k: v for k, v in (answers or {}).items() if v not in (None, "")}
    zh = is_zh(locale)
    year = int(answers.get("year") or dt.date.today().year + 1)
    values = {
        "locale": "zh-CN" if zh else "en",
        "year": year,
        "brand": _scalar(answers.get("brand") or ("你的品牌" if zh else "Your Brand")),
        "company": _scalar(answers.get("company") or
                           ("你的公司有限公司" if zh else "Your Company Co., Ltd.")),
        "annual_gmv": _scalar(answers.get("annual_gmv") or ("600万" if zh else 2500000)),
        "next": year,
    }
    return schema_lines() + (_ZH if zh else _EN).format(**values)


def schema_lines() -> str:
    """The comments that point editors at the published schema: the YAML language server's
    (VS Code and others) and JetBrains IDEs' (docs/editors.md)."""
    from planforge.resources import read_schema

    url = read_schema()["$id"]
    return f"# yaml-language-server: $schema={url}\n# $schema: {url}\n"


_ZH = """\
# planforge 方案文件：一个品牌的天猫入驻方案与年度运营计划。
# 必填的只有 planforge、meta.year、brand.name、company.name、targets.annual_gmv；
# 其余各节都可选，缺少的部分不会出现在文档里，并会在 `planforge check` 的入驻材料清单中提示。
# 金额可写数字（元）或带单位：15万、6.25万、1.2亿、¥150,000；比例写 0.028 或 2.8%。
# 检查：planforge check 本文件；生成：planforge build 本文件
planforge: 1

meta:
  locale: {locale}                # 文档语言：zh-CN 或 en
  year: {year}                     # 计划年度
  # title: 品牌天猫旗舰店入驻方案及{next}年度运营计划   # 不写则自动生成
  # store_type: flagship        # flagship 旗舰店 | specialty 专卖店 | franchise 专营店
  # category: 茶 / 乌龙茶
  # prepared_by: 某某公司 电商部
  # date: {next}-01-01
  # confidential: true

brand:
  name: {brand}
  # slogan: 一句话品牌主张
  # founded: 2009               # 年份或日期
  # story: |                    # 品牌故事，空行分段
  #   第一段……
  #
  #   第二段……
  # logo: assets/logo.png       # 相对本文件的 PNG/JPEG
  # trademark:                  # 商标：旗舰店需商标权人开店或独占授权
  #   registration_no: "12345678"
  #   class: 30
  #   status: R                 # R 已注册 | TM 申请中
  #   holder: 与 company.name 相同
  # awards: [{{year: 2023, name: 某某金奖}}]
  # patents: [{{name: 某某装置, number: ZL2021..., kind: utility}}]
  # endorsements: [代言或联名合作]
  # crowdfunding: {{platform: 淘宝众筹, year: 2022, amount: 126万}}
  # partnerships: [天猫精灵 合作]

company:
  name: {company}
  # founded: 2012-03-15
  # registered_capital: 1000万
  # employees: 86
  # intro: |
  #   公司介绍：工厂、门店、电商经验……
  # channels:                   # 现有销售渠道（京东、线下门店……）
  #   - {{name: 京东, type: online, annual_sales: 280万}}
  # prior_sales: {{period: {year}-Q3, taobao: 96万, tmall: 0}}   # 上季度淘宝/天猫成交

# team:                         # 电商团队：人数与经验是入驻审核的重点
#   summary: 团队共14人……
#   members:
#     - {{role: 店长, headcount: 1, experience: 8年天猫运营, responsibilities: [统筹运营]}}

# products:                     # 计划上架天猫的商品
#   - name: 商品名称
#     role: hero  # hero 爆款 | traffic 引流款 | profit 利润款 | bundle 搭配款 | image 形象款 | new 新品
#     price: 268
#     cost: 96
#     reviews: 12800
#     selling_points: [卖点一, 卖点二]

# market:                       # 市场、目标人群、竞品与九大策略
#   overview: 类目概况……
#   target_customers: [{{segment: 品质口粮党, share: 45%}}]
#   competitors: [{{name: 竞品A, price_band: 100-600}}]
#   strategy: {{brand: 品牌策略, pricing: 价格策略, promotion: 推广策略}}

# swot: {{strengths: [], weaknesses: [], opportunities: [], threats: []}}

targets:
  annual_gmv: {annual_gmv}             # 年度成交额目标
  # annual_budget: 150万        # 年度推广预算
  # funnel: {{conversion_rate: 2.8%, average_order_value: 268}}
  # 不写 months 时按季节性（默认双11为峰值）拆分到12个月；也可逐月填写：
  # months:
  #   - {{month: "{year}-01", gmv: 30万, budget: 9万}}
  # seasonality: [7, 4, 7, 6, 7, 11, 6, 6, 8, 7, 18, 13]

# roadmap:                      # 季度规划：目标、任务（甘特图）与各渠道预算
#   - quarter: Q1
#     phase: 建设期
#     gmv_target: 85万
#     tasks: [{{name: 店铺装修, start: "{year}-01", end: "{year}-02", owner: 美工}}]
#     budget: [{{channel: 直通车, amount: 10万}}]

# promotion:
#   channels: [{{name: 直通车, kind: paid, description: 关键词竞价}}]
#   events: [{{name: 双11, date: "{year}-11-11", budget: 20万}}]

# service: {{presale: 售前服务, aftersale: 售后服务}}
# membership: {{tiers: [{{name: 普通会员, threshold: 0, discount: 1.0}}]}}
# risks: [{{risk: 断货, mitigation: 设置库存预警}}]
"""

_EN = """\
# planforge spec: one brand's Tmall entry proposal and annual operation plan.
# Required: planforge, meta.year, brand.name, company.name, targets.annual_gmv. Every other
# section is optional: a missing one is left out of the documents and shows up in the
# readiness checklist of `planforge check`.
# Money is a number of yuan or text with a unit (15万, 1.2亿, ¥150,000); ratios 0.028 or 2.8%.
# Check it: planforge check THIS_FILE; build it: planforge build THIS_FILE
planforge: 1

meta:
  locale: {locale}                     # language of the documents: zh-CN or en
  year: {year}                      # the plan year
  # title: Brand Tmall Entry Proposal and {next} Operation Plan   # derived when left out
  # store_type: flagship         # flagship | specialty | franchise
  # category: Kitchenware / Cookware
  # prepared_by: E-commerce team
  # date: {next}-01-01
  # confidential: true

brand:
  name: {brand}
  # slogan: One line on what the brand stands for
  # founded: 2015                # a year or a date
  # story: |                     # the brand story; a blank line starts a new paragraph
  #   First paragraph...
  #
  #   Second paragraph...
  # logo: assets/logo.png        # PNG or JPEG, relative to this file
  # trademark:                   # a flagship store needs the holder's own or exclusive rights
  #   registration_no: "12345678"
  #   class: 21
  #   status: R                  # R (registered) | TM (application pending)
  #   holder: the same as company.name
  # awards: [{{year: 2023, name: Design award}}]
  # patents: [{{name: A handle, number: ZL2021..., kind: design}}]
  # endorsements: [A chef co-designs a line]
  # crowdfunding: {{platform: Taobao Crowdfunding, year: 2022, amount: 1200000}}
  # partnerships: [Tmall Genie recipe skill]

company:
  name: {company}
  # founded: 2012-03-15
  # registered_capital: 10000000
  # employees: 40
  # intro: |
  #   The factory, the shops, the e-commerce experience...
  # channels:                    # where the brand sells today (JD, Amazon, offline chains...)
  #   - {{name: JD, type: online, annual_sales: 2800000}}
  # prior_sales: {{period: {year}-Q3, taobao: 960000, tmall: 0}}   # last quarter's sales

# team:                          # the operations team: headcount and experience weigh most
#   summary: A team of 12...
#   members:
#     - {{role: Store manager, headcount: 1, experience: 8 years on Tmall}}

# products:                      # the products planned for Tmall
#   - name: Product name
#     role: hero                 # hero | traffic | profit | bundle | image | new
#     price: 268
#     cost: 96
#     reviews: 12800
#     selling_points: [First advantage, Second advantage]

# market:                        # market, target customers, competitors, the nine strategies
#   overview: The category...
#   target_customers: [{{segment: Home cooks, share: 45%}}]
#   competitors: [{{name: Competitor A, price_band: 100-600}}]
#   strategy: {{brand: Brand strategy, pricing: Pricing, promotion: Promotion}}

# swot: {{strengths: [], weaknesses: [], opportunities: [], threats: []}}

targets:
  annual_gmv: {annual_gmv}            # the year's sales target
  # annual_budget: 600000        # the year's promotion budget
  # funnel: {{conversion_rate: 2.8%, average_order_value: 268}}
  # Without months, the year is split by seasonality (the default peaks at Double 11);
  # or give each month:
  # months:
  #   - {{month: "{year}-01", gmv: 175000, budget: 40000}}
  # seasonality: [7, 4, 7, 6, 7, 11, 6, 6, 8, 7, 18, 13]

# roadmap:                       # quarters: goals, tasks (the Gantt chart), channel budgets
#   - quarter: Q1
#     phase: Launch
#     gmv_target: 450000
#     tasks: [{{name: Store design, start: "{year}-01", end: "{year}-02", owner: Designer}}]
#     budget: [{{channel: Search ads, amount: 100000}}]

# promotion:
#   channels: [{{name: Search ads, kind: paid, description: Keyword bidding}}]
#   events: [{{name: Double 11, date: "{year}-11-11", budget: 200000}}]

# service: {{presale: Pre-sale service, aftersale: After-sale service}}
# membership: {{tiers: [{{name: Member, threshold: 0, discount: 1.0}}]}}
# risks: [{{risk: Stock-outs, mitigation: Stock alerts}}]
"""
