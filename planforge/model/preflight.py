"""The entry pre-flight: can this company open this store at all, before any brand evaluation?

Tmall's qualification review checks the company (type, taxpayer status, registered capital,
age), the trademark (R or TM), the authorisation chain the store type needs and the category's
licences. Each requirement is met, missing or unknown (the spec does not say), with the reason
and the spec field to fill. Thresholds come from the rules table (``plan.rules``).
"""

from __future__ import annotations

import datetime as dt
from planforge.fmt import is_zh, money
from planforge.model.types import Plan, Preflight, PreflightItem

STATUSES = ("met", "missing", "unknown")


_TITLES = {
    "company_type": ("公司类型", "Company type"),
    "taxpayer": ("一般纳税人资格", "General taxpayer status"),
    "capital": ("注册资本", "Registered capital"),
    "company_age": ("公司成立年限", "Company age"),
    "trademark": ("商标状态（R/TM）", "Trademark status (R/TM)"),
    "authorisation": ("店铺类型的授权链", "Authorisation chain of the store type"),
    "authorisation_term": ("授权期限", "Authorisation term"),
    "licences": ("类目行业资质", "Category licences"),
}


class _Collect:
    def __init__(self, plan: Plan, zh: bool | None = None):
        self.plan = plan
        self.zh = is_zh(plan.meta.locale) if zh is None else zh
        self.items: list[PreflightItem] = []

    def t(self, zh: str, en: str) -> str:
        return zh if self.zh else en

    def m(self, value) -> str:
        return money(value, self.plan.meta.locale)

    def add(self, key: str, status: str, reason: str, field_: str | None = None) -> None:
        zh, en = _TITLES[key]
        self.items.append(PreflightItem(key=key, title=zh if self.zh else en, status=status,
                                        reason=reason, field=None if status == "met" else field_))


def reference_date(plan: Plan) -> dt.date:
    """The day the application is judged on: meta.date, else 1 January of the plan year."""
    return plan.meta.date or dt.date(plan.meta.year, 1, 1)


def _years_between(start: dt.date, end: dt.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def assess_preflight(plan: Plan, *, zh: bool | None = None) -> Preflight:
    """Return the pre-flight of ``plan`` against its rules table, its texts in the plan's
    locale (the documents print them) or, with ``zh``, in Chinese or English (``check``)."""
    c = _Collect(plan, zh)
    _company(c)
    _trademark(c)
    _authorisation(c)
    _licences(c)
    out = Preflight(items=c.items)
    out.met = sum(i.status == "met" for i in c.items)
    out.missing = sum(i.status == "missing" for i in c.items)
    out.unknown = sum(i.status == "unknown" for i in c.items)
    out.passed = out.met == len(c.items)
    return out


def _company(c: _Collect) -> None:
    plan, rules = c.plan, c.plan.rules
    q = plan.qualification
    kind = q.company_type if q else None
    if kind is None:
        c.add("company_type", "unknown", c.t("未写明公司类型（企业、个体工商户或境外公司）",
                                             "the company type is not given"),
              "qualification.company_type")
    elif kind == "individual":
        c.add("company_type", "missing", c.t(
            "个体工商户不能开设天猫店：需以企业（有限公司）身份入驻",
            "an individual business (个体工商户) cannot open a Tmall store: apply as a company"),
              "qualification.company_type")
    elif kind == "overseas":
        c.add("company_type", "missing", c.t(
            "境外公司不能入驻天猫：请申请天猫国际（Tmall Global）",
            "an overseas company cannot open a Tmall store: apply to Tmall Global (天猫国际)"),
              "qualification.company_type")
    elif kind in rules.company_types:
        c.add("company_type", "met", c.t("企业（有限公司）", "a company (enterprise)"))
    else:
        c.add("company_type", "missing", c.t(f"规则表不接受此公司类型：{kind}",
                                             f"the rules table does not accept {kind}"),
              "qualification.company_type")

    tax = q.taxpayer if q else None
    if tax is None:
        c.add("taxpayer", "unknown", c.t("未写明纳税人资格", "the taxpayer status is not given"),
              "qualification.taxpayer")
    elif tax == rules.taxpayer:
        c.add("taxpayer", "met", c.t("一般纳税人", "general taxpayer (一般纳税人)"))
    else:
        c.add("taxpayer", "missing", c.t(
            "小规模纳税人：天猫要求一般纳税人资格，请先向税务机关申请认定",
            "small-scale taxpayer: Tmall requires general taxpayer status; apply for it first"),
              "qualification.taxpayer")

    capital, least = plan.company.registered_capital, rules.min_registered_capital
    if capital is None:
        c.add("capital", "unknown", c.t(f"未写明注册资本（至少{c.m(least)}）",
                                        f"the registered capital is not given (at least "
                                        f"{c.m(least)})"), "company.registered_capital")
    elif capital >= least:
        c.add("capital", "met", c.t(f"{c.m(capital)}，不低于{c.m(least)}",
                                    f"{c.m(capital)}, at least {c.m(least)}"))
    else:
        c.add("capital", "missing", c.t(f"{c.m(capital)}，低于要求的{c.m(least)}",
                                        f"{c.m(capital)}, below the {c.m(least)} required"),
              "company.registered_capital")

    founded, need = plan.company.founded, rules.min_age_years
    on = reference_date(plan)
    if founded is None:
        c.add("company_age", "unknown", c.t(f"未写明成立时间（需满{need}年）",
                                            f"the founding date is not given ({need} years "
                                            "needed)"), "company.founded")
        return
    # A bare year counts from its last day: the company is at least that old.
    start = founded if isinstance(founded, dt.date) else dt.date(int(founded), 12, 31)
    age = _years_between(start, on)
    if age >= need:
        c.add("company_age", "met", c.t(f"成立{age}年（截至{on.isoformat()}），需满{need}年",
                                        f"{age} years old on {on.isoformat()}, {need} needed"))
    else:
        c.add("company_age", "missing", c.t(
            f"截至{on.isoformat()}成立{max(age, 0)}年，未满{need}年",
            f"{max(age, 0)} years old on {on.isoformat()}, {need} needed"), "company.founded")


def _trademark(c: _Collect) -> None:
    plan = c.plan
    tm = plan.brand.trademark
    status = tm.status if tm else None
    deposit = plan.opening.deposit if plan.opening else None
    if status is None:
        c.add("trademark", "unknown", c.t("未写明商标状态（R标或TM标）",
                                          "the trademark status (R or TM) is not given"),
              "brand.trademark.status")
    elif status == "R":
        c.add("trademark", "met", c.t("R标（已注册）", "registered (R)"))
    else:
        higher = ""
        if deposit is not None:
            higher = c.t(f"，保证金按TM标计{c.m(deposit)}", f"; the deposit for TM is {c.m(deposit)}")
        note = c.t("；自荐品牌一般需R标", "; self-recommended brands generally need an R mark") \
            if plan.meta.store_type == "flagship" else ""
        c.add("trademark", "met", c.t("TM标（申请中，需附受理通知书）",
                                      "TM (application accepted; attach the notice)")
              + higher + note)


def _authorisation(c: _Collect) -> None:
    plan = c.plan
    q = plan.qualification
    store = plan.meta.store_type
    auth = q.authorisation if q else None
    tm = plan.brand.trademark
    holder = tm.holder if tm else None
    owns = holder is not None and holder == plan.company.name
    if store is None:
        c.add("authorisation", "missing", c.t(
            "未选择店铺类型：旗舰店、专卖店、专营店的授权要求不同",
            "no store type: flagship, specialty and franchise stores need different "
            "authorisations"), "meta.store_type")
    elif store == "flagship":
        if auth == "owner" or (auth is None and owns):
            if auth == "owner" and holder is not None and not owns:
                c.add("authorisation", "missing", c.t(
                    f"写明公司自有商标，但商标持有人为{holder}",
                    f"the company is said to own the mark but its holder is {holder}"),
                      "brand.trademark.holder")
            else:
                c.add("authorisation", "met", c.t("旗舰店：公司持有商标",
                                                  "flagship: the company holds the mark"))
        elif auth == "exclusive":
            c.add("authorisation", "met", c.t("旗舰店：商标权人出具的独占授权",
                                              "flagship: an exclusive licence from the holder"))
        elif auth == "authorised":
            c.add("authorisation", "missing", c.t(
                "旗舰店需公司持有商标或独占授权；普通授权只能开专卖店",
                "a flagship needs the mark or an exclusive licence; an ordinary authorisation "
                "opens a specialty store"), "qualification.authorisation")
        else:
            c.add("authorisation", "unknown", c.t(
                f"商标持有人（{holder or '未填写'}）不是开店公司：需写明是否有独占授权",
                f"the mark's holder ({holder or 'not given'}) is not the company: say whether "
                "it holds an exclusive licence"), "qualification.authorisation")
    elif store == "specialty":
        if auth in ("exclusive", "authorised") or (auth == "owner" and (owns or holder is None)):
            c.add("authorisation", "met", c.t(
                "专卖店：持有商标权人的授权" if auth != "owner" else "专卖店：公司持有商标",
                "specialty store: authorised by the trademark holder" if auth != "owner"
                else "specialty store: the company holds the mark"))
        elif auth is None and owns:
            c.add("authorisation", "met", c.t("专卖店：公司持有商标",
                                              "specialty store: the company holds the mark"))
        else:
            c.add("authorisation", "missing", c.t(
                "专卖店需商标权人出具的授权书（二级以内）",
                "a specialty store needs the trademark holder's authorisation (at most two "
                "levels)"), "qualification.authorisation")
    else:
        brands = q.brands if q and q.brands else [plan.brand.name]
        if len(set(brands)) >= 2:
            c.add("authorisation", "met", c.t(f"专营店：经营{len(set(brands))}个品牌（同一类目）",
                                              f"franchise store: {len(set(brands))} brands of "
                                              "one category"))
        else:
            c.add("authorisation", "missing", c.t(
                f"专营店需经营同一类目下两个及以上品牌，方案只有{brands[0]}",
                f"a franchise store sells two or more brands of one category; the spec has only "
                f"{brands[0]}"), "qualification.brands")
    _term(c, store, auth, owns)


def _term(c: _Collect, store: str | None, auth: str | None, owns: bool) -> None:
    plan = c.plan
    q = plan.qualification
    on = reference_date(plan)
    until = q.authorisation_until if q else None
    needs = auth in ("exclusive", "authorised") or (
        auth is None and not owns and store in ("flagship", "specialty"))
    if store == "franchise" and auth is None:
        needs = True
    if not needs:
        if auth == "owner" or owns:
            c.add("authorisation_term", "met", c.t("商标为公司自有，无需授权期限",
                                                   "the company owns the mark: no term to "
                                                   "run"))
        else:
            c.add("authorisation_term", "unknown", c.t("未写明授权方式", "the authorisation "
                                                                        "is not given"),
                  "qualification.authorisation")
        return
    need_to = _one_year_after(on)
    if until is None:
        c.add("authorisation_term", "unknown", c.t(
            f"未写明授权截止日期（需至少到{need_to.isoformat()}）",
            f"the authorisation's end is not given (it must run to {need_to.isoformat()} at "
            "least)"), "qualification.authorisation_until")
    elif until >= need_to:
        c.add("authorisation_term", "met", c.t(
            f"授权至{until.isoformat()}，超过{on.isoformat()}起一年",
            f"runs to {until.isoformat()}, more than a year past {on.isoformat()}"))
    else:
        c.add("authorisation_term", "missing", c.t(
            f"授权至{until.isoformat()}，不足{on.isoformat()}起一年：请续签",
            f"runs to {until.isoformat()}, less than a year past {on.isoformat()}: renew it"),
              "qualification.authorisation_until")


def _same_licence(required: str, given: str) -> bool:
    return required in given or given in required


def _licences(c: _Collect) -> None:
    plan = c.plan
    opening = plan.opening
    q = plan.qualification
    on = reference_date(plan)
    if plan.meta.category is None:
        c.add("licences", "unknown", c.t("未写明类目，无法判断所需行业资质",
                                         "no category: the licences it needs are unknown"),
              "meta.category")
        return
    needed = opening.licences
    given = q.licences if q else []
    expired = [x for x in given if x.until is not None and x.until < on]
    if expired:
        x = expired[0]
        c.add("licences", "missing", c.t(f"{x.name}已于{x.until.isoformat()}到期",
                                         f"{x.name} expired on {x.until.isoformat()}"),
              "qualification.licences")
        return
    if not needed:
        c.add("licences", "met", c.t(f"{opening.category_name}类目无需行业资质",
                                     f"{opening.category_name}: no licence needed"))
        return
    lacking = [n for n in needed if not any(_same_licence(n, x.name) for x in given)]
    if not lacking:
        shown = "、".join(x.name + (f"（至{x.until.isoformat()}）" if x.until else "")
                         for x in given) if c.zh else "; ".join(
            x.name + (f" (until {x.until.isoformat()})" if x.until else "") for x in given)
        c.add("licences", "met", shown)
    elif q is None or not q.licences_given:
        c.add("licences", "unknown", c.t(f"{opening.category_name}类目需要：{'、'.join(needed)}",
                                         f"{opening.category_name} needs: {', '.join(needed)}"),
              "qualification.licences")
    else:
        c.add("licences", "missing", c.t(f"缺少：{'、'.join(lacking)}",
                                         f"missing: {', '.join(lacking)}"),
              "qualification.licences")
