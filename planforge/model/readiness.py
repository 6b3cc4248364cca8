"""Check the spec against the evidence a Tmall brand self-recommendation (品牌自荐) asks for.

The items follow the list in the entry guides (seed 000): prior Taobao/Tmall sales, other
platforms, products with 10,000+ reviews, awards or patents, endorsements, crowdfunding over
1,000,000 yuan, Tmall Genie / Alibaba cooperation, the trademark, the store type's rules, the
products planned for Tmall, the operations team and the company background.
"""

from __future__ import annotations

import re
from decimal import Decimal

from planforge.fmt import is_zh, money
from planforge.model.types import Plan, Readiness, ReadinessItem

REVIEWS_THRESHOLD = 10_000
CROWDFUNDING_THRESHOLD = Decimal(1_000_000)
_TAOBAO_TMALL = re.compile(r"淘宝|天猫|taobao|tmall", re.IGNORECASE)
_ALIBABA = re.compile(r"天猫精灵|阿里|tmall\s*genie|aligenie|alibaba", re.IGNORECASE)

# key: (zh title, en title, zh advice, en advice)
_TEXT = {
    "prior_sales": ("淘宝/天猫上季度销售额", "Prior Taobao/Tmall sales",
                    "填写 company.prior_sales（上季度淘宝、天猫成交额）；新品牌请在公司介绍中说明",
                    "add company.prior_sales (last quarter's Taobao and Tmall sales); "
                    "a new brand says so in company.intro"),
    "other_platforms": ("其他平台与线下渠道", "Other platforms and offline chains",
                        "在 company.channels 列出京东、苏宁、亚马逊或线下连锁的销售情况",
                        "list JD, Suning, Amazon or offline chains with their sales in "
                        "company.channels"),
    "top_reviews": ("评价过万的热销商品", "Products with 10,000+ reviews",
                    "在 products[].reviews 填写累计评价数（前3款过万为佳），或附3个月线下销售发票",
                    "add products[].reviews (the top 3 with 10,000+ reviews each), or attach "
                    "3 months of offline sales invoices"),
    "awards_patents": ("获奖或专利", "Awards or patents",
                       "在 brand.awards / brand.patents 列出国内外行业奖项或专利",
                       "list industry awards or patents in brand.awards / brand.patents"),
    "endorsements": ("明星/名人参与或代言", "Celebrity involvement or endorsements",
                     "在 brand.endorsements 写明参与创立或代言的明星、名人",
                     "name the celebrities who co-founded or endorse the brand in "
                     "brand.endorsements"),
    "crowdfunding": ("淘宝众筹超过100万元", "Taobao crowdfunding over 1,000,000 yuan",
                     "若在淘宝众筹首发且筹款超过100万元，填写 brand.crowdfunding",
                     "if the brand launched on Taobao crowdfunding and raised over 1,000,000 "
                     "yuan, add brand.crowdfunding"),
    "alibaba_cooperation": ("与阿里智能/天猫精灵合作", "Tmall Genie / Alibaba cooperation",
                            "在 brand.partnerships 写明与天猫精灵或阿里巴巴的合作",
                            "describe cooperation with Tmall Genie or Alibaba in "
                            "brand.partnerships"),
    "trademark": ("商标（R标或TM标）", "Trademark (R or TM)",
                  "填写 brand.trademark（注册号、类别、状态 R/TM、持有人）",
                  "add brand.trademark (registration number, class, status R/TM, holder)"),
    "store_type": ("店铺类型资质", "Store type requirements",
                   "在 meta.store_type 选择 flagship / specialty / franchise",
                   "set meta.store_type to flagship, specialty or franchise"),
    "products": ("计划上架天猫的商品及卖点", "Products planned for Tmall and their advantages",
                 "在 products 列出计划上架的全部商品，并为每款写 selling_points",
                 "list every product planned for Tmall in products, each with selling_points"),
    "operations_team": ("电商运营团队及经验", "E-commerce operations team and experience",
                        "在 team 写明团队成员、人数与运营经验（team.summary、members[].experience）",
                        "describe the team, headcount and experience (team.summary, "
                        "members[].experience)"),
    "company_background": ("开店成本与公司背景", "Store cost and company background",
                           "在 company 填写介绍、成立时间、注册资本，并在 targets 填写 annual_budget",
                           "add company.intro, founded and registered_capital, and "
                           "targets.annual_budget"),
}


class _Items:
    """Collect items in the plan's locale."""

    def __init__(self, locale: str, zh: bool | None = None):
        self.zh = is_zh(locale) if zh is None else zh
        self.locale = locale
        self.items: list[ReadinessItem] = []

    def t(self, zh: str, en: str) -> str:
        return zh if self.zh else en

    def m(self, value: Decimal | None) -> str:
        return money(value, self.locale)

    def add(self, key: str, status: str, evidence: str | None = None,
            advice: str | None = None) -> None:
        zh_title, en_title, zh_advice, en_advice = _TEXT[key]
        if status == "missing" and advice is None:
            advice = zh_advice if self.zh else en_advice
        self.items.append(ReadinessItem(key=key, title=zh_title if self.zh else en_title,
                                        status=status, evidence=evidence, advice=advice))


def assess_readiness(plan: Plan, *, zh: bool | None = None) -> Readiness:
    """Return one readiness item per piece of Tmall entry evidence, met / missing / na, its
    texts in the plan's locale (the documents print them) or, with ``zh``, in Chinese or
    English (``check``)."""
    r = _Items(plan.meta.locale, zh)
    _sales(plan, r)
    _brand(plan, r)
    _trademark(plan, r)
    _operations(plan, r)
    out = Readiness(items=r.items)
    out.met = sum(i.status == "met" for i in r.items)
    out.missing = sum(i.status == "missing" for i in r.items)
    out.not_applicable = sum(i.status == "na" for i in r.items)
    return out


def _join(parts: list[str], zh: bool) -> str:
    return ("；" if zh else "; ").join(parts)


def _sales(plan: Plan, r: _Items) -> None:
    company = plan.company
    ps = company.prior_sales
    shops = [c for c in company.channels if _TAOBAO_TMALL.search(c.name) and c.annual_sales]
    if ps is not None and (ps.taobao or ps.tmall):
        r.add("prior_sales", "met", r.t(
            f"{ps.period or '上季度'}：淘宝 {r.m(ps.taobao)}，天猫 {r.m(ps.tmall)}",
            f"{ps.period or 'last quarter'}: Taobao {r.m(ps.taobao)}, Tmall {r.m(ps.tmall)}"))
    elif shops:
        r.add("prior_sales", "met", _join(
            [f"{c.name} {r.m(c.annual_sales)}" for c in shops], r.zh))
    elif ps is not None:
        # Declared zero: the guides ask a new brand to say so, nothing more.
        r.add("prior_sales", "na", r.t("无淘宝/天猫销售（新品牌）",
                                       "no Taobao/Tmall sales yet (a new brand)"))
    else:
        r.add("prior_sales", "missing")
    others = [c for c in company.channels if not _TAOBAO_TMALL.search(c.name)]
    if others:
        r.add("other_platforms", "met", _join(
            [c.name + (f" {r.m(c.annual_sales)}" if c.annual_sales is not None else "")
             + (r.t(f"（{c.stores}家门店）", f" ({c.stores} stores)") if c.stores else "")
             for c in others], r.zh))
    else:
        r.add("other_platforms", "missing")
    popular = [p for p in plan.products if (p.reviews or 0) >= REVIEWS_THRESHOLD]
    popular.sort(key=lambda p: -(p.reviews or 0))
    if popular:
        r.add("top_reviews", "met", _join(
            [r.t(f"{p.name}：{p.reviews:,}条评价", f"{p.name}: {p.reviews:,} reviews")
             for p in popular[:3]], r.zh))
    else:
        r.add("top_reviews", "missing")


def _brand(plan: Plan, r: _Items) -> None:
    brand = plan.brand
    found = [a.name + (r.t(f"（{a.year}年）", f" ({a.year})") if a.year else "")
             for a in brand.awards]
    found += [p.name + (f" {p.number}" if p.number else "") for p in brand.patents]
    r.add("awards_patents", "met" if found else "missing", _join(found, r.zh) if found else None)
    r.add("endorsements", "met" if brand.endorsements else "missing",
          _join(brand.endorsements, r.zh) if brand.endorsements else None)
    cf = brand.crowdfunding
    if cf is not None and cf.amount is not None and cf.amount > CROWDFUNDING_THRESHOLD:
        shown = f"{cf.platform or ''} {cf.year or ''} {r.m(cf.amount)}"
        r.add("crowdfunding", "met", " ".join(shown.split()))
    elif cf is not None and cf.amount is not None:
        r.add("crowdfunding", "missing", f"{cf.platform or ''} {r.m(cf.amount)}".strip(), r.t(
            "众筹金额未超过100万元，不构成该项优势", "the amount raised is not over 1,000,000 yuan"))
    else:
        r.add("crowdfunding", "missing")
    ali = [p for p in brand.partnerships if _ALIBABA.search(p)]
    r.add("alibaba_cooperation", "met" if ali else "missing", _join(ali, r.zh) if ali else None)


def _trademark(plan: Plan, r: _Items) -> None:
    tm = plan.brand.trademark
    if tm is None or tm.status is None:
        r.add("trademark", "missing")
    elif tm.status == "R":
        r.add("trademark", "met", r.t(f"R标，注册号 {tm.registration_no or '—'}，第{tm.class_ or '—'}类",
                                      f"registered (R), no. {tm.registration_no or '—'}, "
                                      f"class {tm.class_ or '—'}"))
    else:
        r.add("trademark", "met", r.t(
            f"TM标（申请中），申请号 {tm.registration_no or '—'}：需附商标受理通知书，部分类目只接受R标",
            f"TM (application pending), no. {tm.registration_no or '—'}: attach the acceptance "
            "notice; some categories accept only registered (R) marks"))
    store = plan.meta.store_type
    q = plan.qualification
    auth = q.authorisation if q else None
    holder_ok = tm is not None and tm.holder is not None and tm.holder == plan.company.name
    if store is None:
        r.add("store_type", "missing", r.t("未填写店铺类型", "no store type given"))
    elif store == "flagship":
        if holder_ok or auth == "exclusive":
            name = plan.company.name
            r.add("store_type", "met", r.t(
                f"旗舰店：商标持有人即 {name}" if holder_ok else "旗舰店：持有商标权人的独占授权",
                f"flagship: the trademark is held by {name}" if holder_ok
                else "flagship: an exclusive licence from the trademark holder"))
        else:
            held = tm.holder if tm is not None and tm.holder else r.t("未填写", "not given")
            r.add("store_type", "missing", r.t(f"商标持有人：{held}", f"trademark holder: {held}"),
                  r.t("旗舰店需由商标权人开设，或持有商标权人出具的独占授权书；"
                      "请确认 brand.trademark.holder 与 company.name 一致，或在 "
                      "qualification.authorisation 写明 exclusive",
                      "a flagship store is opened by the trademark holder or with the holder's "
                      "exclusive licence; make brand.trademark.holder match company.name or set "
                      "qualification.authorisation to exclusive"))
    elif store == "specialty":
        if holder_ok or auth in ("exclusive", "authorised"):
            r.add("store_type", "met", r.t(
                "专卖店：商标为自有" if holder_ok else "专卖店：持有商标权人出具的授权书",
                "specialty store: the company holds the trademark" if holder_ok
                else "specialty store: authorised by the trademark holder"))
        else:
            r.add("store_type", "missing", r.t("专卖店：未写明商标权人的授权",
                                               "specialty store: no authorisation given"),
                  r.t("专卖店需商标权人出具的授权书（二级以内）；在 qualification.authorisation "
                      "写明 authorised 或 exclusive",
                      "a specialty store needs the trademark holder's authorisation (at most two "
                      "levels); set qualification.authorisation to authorised or exclusive"))
    else:
        brands = sorted(set(q.brands)) if q and q.brands else [plan.brand.name]
        if len(brands) >= 2:
            r.add("store_type", "met", r.t(f"专营店：经营{'、'.join(brands)}",
                                           f"franchise store: sells {', '.join(brands)}"))
        else:
            r.add("store_type", "missing", r.t(
                f"专营店：只经营{brands[0]}一个品牌", f"franchise store: one brand ({brands[0]})"),
                  r.t("专营店需经营同一类目下两个及以上品牌；在 qualification.brands 列出全部品牌"
                      "并附各品牌的授权",
                      "a franchise store (专营店) sells two or more brands of one category; list "
                      "them in qualification.brands and attach each brand's authorisation"))


def _operations(plan: Plan, r: _Items) -> None:
    if plan.products:
        with_points = sum(1 for p in plan.products if p.selling_points)
        shown = r.t(f"{len(plan.products)}款商品，其中{with_points}款写明卖点",
                    f"{len(plan.products)} products, {with_points} with selling points")
        # Products without a single selling point are a list, not evidence of advantages.
        r.add("products", "met" if with_points else "missing", shown)
    else:
        r.add("products", "missing")
    team = plan.team
    experience = [m.experience for m in team.members if m.experience] if team else []
    if team is not None and team.headcount and (team.summary or experience):
        r.add("operations_team", "met", r.t(f"团队{team.headcount}人", f"a team of {team.headcount}")
              + (r.t("；", "; ") + (team.summary or experience[0])))
    elif team is not None and team.headcount:
        size = team.headcount
        r.add("operations_team", "missing", r.t(f"团队{size}人，未写运营经验",
                                                 f"a team of {size}, experience not given"))
    else:
        r.add("operations_team", "missing")
    c = plan.company
    facts = []
    if c.founded_year:
        facts.append(r.t(f"成立于{c.founded_year}年", f"founded {c.founded_year}"))
    if c.registered_capital is not None:
        facts.append(r.t(f"注册资本{r.m(c.registered_capital)}",
                         f"registered capital {r.m(c.registered_capital)}"))
    if c.employees:
        facts.append(r.t(f"员工{c.employees}人", f"{c.employees} employees"))
    if plan.targets.year is not None and plan.targets.year.budget is not None:
        facts.append(r.t(f"年度推广预算{r.m(plan.targets.year.budget)}",
                         f"annual promotion budget {r.m(plan.targets.year.budget)}"))
    if c.intro and facts:
        r.add("company_background", "met", _join(facts, r.zh))
    else:
        r.add("company_background", "missing", _join(facts, r.zh) if facts else None)
