"""Turn the descriptive sections of a valid spec (brand, company, products, ...) into types."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from planforge.model.extensions import is_extension
from planforge.model.figures import ratio
from planforge.model.types import (
    Award, Brand, Company, Competitor, Crowdfunding, Licence, Market, Member, Membership, Meta,
    Patent, PriorSales, Product, Promotion, PromotionChannel, Qualification, Risk, RoleGroup,
    SalesChannel, Segment, Service, ServiceStandards, Strategy, StrategyItem, Swot, Team, Tier, Trademark,
)
from planforge.units import parse_money, parse_ratio, to_decimal

#: Product roles in the order the documents present them.
ROLE_ORDER = ("hero", "traffic", "profit", "bundle", "image", "new")


# -- small converters that tolerate a missing value ---------------------------------------------

def money(value: Any) -> Decimal | None:
    """Parse money, or None when absent."""
    return None if value is None else parse_money(value)


def rate(value: Any) -> Decimal | None:
    """Parse a ratio, or None when absent."""
    return None if value is None else parse_ratio(value)


def text(value: Any) -> str | None:
    """Return a value as text with its lines reflowed (paragraphs kept), or None when blank.

    YAML block text (``|``) keeps the line breaks the writer typed to fit their editor; printed
    as is they would break sentences in the middle, so lines inside a paragraph are joined and
    paragraphs (separated by blank lines) end up one per line.
    """
    if value is None:
        return None
    out = "\n".join(paragraphs(str(value)))
    return out or None


def texts(value: Any) -> list[str]:
    """Return a list of texts (a single text becomes a one-item list)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [t for t in (text(v) for v in items) if t]


def integer(value: Any) -> int | None:
    """Return an int, or None when absent."""
    return None if value is None else int(value)


def paragraphs(value: str | None) -> list[str]:
    """Split text into paragraphs on blank lines; lines inside a paragraph are joined."""
    if not value:
        return []
    blocks = re.split(r"\n\s*\n", str(value).strip())
    return [_join_lines(b) for b in blocks if b.strip()]


_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")


def _join_lines(block: str) -> str:
    # Chinese lines join without a space; Latin words need one between them.
    out = ""
    for line in (ln.strip() for ln in block.splitlines()):
        if not line:
            continue
        if out and not (_CJK.match(out[-1]) or _CJK.match(line[0])):
            out += " "
        out += line
    return out


def as_date(value: Any) -> dt.date | None:
    """Return a date from a YAML date or ``YYYY-MM-DD`` text."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def founded(value: Any) -> tuple[int | dt.date | None, int | None]:
    """Return (founded as given, its year) for a year or a date."""
    if value is None:
        return None, None
    if isinstance(value, dt.date):
        return value, value.year
    if isinstance(value, int):
        return value, value
    raw = str(value).strip()
    if raw.isdigit():
        return int(raw), int(raw)
    day = as_date(raw)
    return day, day.year


def asset(base_dir: Path, value: Any) -> Path | None:
    """Resolve an image path against the spec's folder."""
    if not value:
        return None
    return (Path(base_dir) / str(value)).resolve()


# -- sections --------------------------------------------------------------------------------------

def build_meta(data: dict, brand_name: str) -> Meta:
    """Build the meta section, with the default title when none is given."""
    raw = data.get("meta") or {}
    year = int(raw["year"])
    locale = text(raw.get("locale")) or "zh-CN"
    title = text(raw.get("title"))
    if title is None:
        title = (f"{brand_name}天猫店入驻方案及{year}年度运营计划" if locale.startswith("zh")
                 else f"{brand_name} Tmall Entry Proposal and {year} Operation Plan")
    return Meta(year=year, locale=locale, title=title, subtitle=text(raw.get("subtitle")),
                currency=text(raw.get("currency")) or "CNY", store_type=text(raw.get("store_type")),
                category=text(raw.get("category")), prepared_by=text(raw.get("prepared_by")),
                date=as_date(raw.get("date")), confidential=bool(raw.get("confidential", False)),
                template=text(raw.get("template")),
                ignore=[str(c) for c in raw.get("ignore") or []],
                labels={str(k): str(v) for k, v in (raw.get("labels") or {}).items()},
                rules=text(raw.get("rules")), calendar=text(raw.get("calendar")))


def build_qualification(raw: dict | None) -> Qualification | None:
    """Build the entry qualification section."""
    if raw is None:
        return None
    licences = [Licence(name=str(x["name"]).strip(), number=text(x.get("number")),
                        until=as_date(x.get("until"))) for x in raw.get("licences") or []]
    return Qualification(
        company_type=text(raw.get("company_type")), taxpayer=text(raw.get("taxpayer")),
        authorisation=text(raw.get("authorisation")),
        authorisation_until=as_date(raw.get("authorisation_until")),
        brands=[str(b).strip() for b in raw.get("brands") or []], licences=licences,
        licences_given="licences" in raw, deposit=money(raw.get("deposit")))


def build_brand(raw: dict, base_dir: Path) -> Brand:
    """Build the brand section."""
    given, year = founded(raw.get("founded"))
    tm = raw.get("trademark")
    trademark = None
    if tm:
        trademark = Trademark(registration_no=text(tm.get("registration_no")),
                              class_=integer(tm.get("class")), status=text(tm.get("status")),
                              holder=text(tm.get("holder")))
    cf = raw.get("crowdfunding")
    crowdfunding = None
    if cf:
        crowdfunding = Crowdfunding(platform=text(cf.get("platform")), year=integer(cf.get("year")),
                                    amount=money(cf.get("amount")))
    story = text(raw.get("story"))
    return Brand(
        name=str(raw["name"]).strip(), name_en=text(raw.get("name_en")),
        slogan=text(raw.get("slogan")), founded=given, founded_year=year,
        origin=text(raw.get("origin")), positioning=text(raw.get("positioning")),
        story=story, story_paragraphs=paragraphs(raw.get("story")), culture=texts(raw.get("culture")),
        logo=asset(base_dir, raw.get("logo")), trademark=trademark,
        awards=[Award(name=str(a["name"]).strip(), year=integer(a.get("year")),
                      issuer=text(a.get("issuer"))) for a in raw.get("awards") or []],
        patents=[Patent(name=str(p["name"]).strip(), number=text(p.get("number")),
                        kind=text(p.get("kind"))) for p in raw.get("patents") or []],
        endorsements=texts(raw.get("endorsements")), crowdfunding=crowdfunding,
        partnerships=texts(raw.get("partnerships")),
    )


def _total(channels: list[SalesChannel], kind: str | None = None) -> Decimal | None:
    amounts = [c.annual_sales for c in channels
               if c.annual_sales is not None and (kind is None or c.type == kind)]
    return sum(amounts, Decimal(0)) if amounts else None


def build_company(raw: dict) -> Company:
    """Build the company section with its channel totals."""
    given, year = founded(raw.get("founded"))
    channels = [SalesChannel(name=str(c["name"]).strip(), type=text(c.get("type")),
                             annual_sales=money(c.get("annual_sales")),
                             stores=integer(c.get("stores")), note=text(c.get("note")))
                for c in raw.get("channels") or []]
    ps = raw.get("prior_sales")
    prior = None
    if ps:
        prior = PriorSales(period=text(ps.get("period")), taobao=money(ps.get("taobao")),
                           tmall=money(ps.get("tmall")))
    intro = text(raw.get("intro"))
    return Company(
        name=str(raw["name"]).strip(), founded=given, founded_year=year,
        registered_capital=money(raw.get("registered_capital")),
        employees=integer(raw.get("employees")), address=text(raw.get("address")),
        business=text(raw.get("business")), intro=intro, intro_paragraphs=paragraphs(raw.get("intro")),
        channels=channels, channels_total=_total(channels), online_total=_total(channels, "online"),
        offline_total=_total(channels, "offline"), prior_sales=prior,
    )


def build_team(raw: dict | None) -> Team | None:
    """Build the team section and its headcount."""
    if raw is None:
        return None
    members = [Member(role=str(m["role"]).strip(), headcount=int(m.get("headcount", 1)),
                      experience=text(m.get("experience")),
                      responsibilities=texts(m.get("responsibilities")), kpis=texts(m.get("kpis")))
               for m in raw.get("members") or []]
    return Team(summary=text(raw.get("summary")), members=members,
                headcount=sum(m.headcount for m in members))


def build_products(items: list | None, base_dir: Path) -> tuple[list[Product], list[RoleGroup]]:
    """Build products with their margins, and the products grouped by role."""
    products = []
    for p in items or []:
        price, cost = money(p.get("price")), money(p.get("cost"))
        profit = price - cost if price is not None and cost is not None else None
        products.append(Product(
            name=str(p["name"]).strip(), sku=text(p.get("sku")), category=text(p.get("category")),
            role=text(p.get("role")), price=price, cost=cost, reviews=integer(p.get("reviews")),
            monthly_sales=integer(p.get("monthly_sales")),
            selling_points=texts(p.get("selling_points")), image=asset(base_dir, p.get("image")),
            launch=text(p.get("launch")), gross_profit=profit, gross_margin=ratio(profit, price),
            sales_share=rate(p.get("sales_share")),
        ))
    groups = [RoleGroup(role=r, products=[p for p in products if p.role == r]) for r in ROLE_ORDER]
    return products, [g for g in groups if g.products]


def build_market(raw: dict | None) -> tuple[Market | None, list[StrategyItem]]:
    """Build the market section and the strategy items in spec order."""
    if raw is None:
        return None, []
    market = Market(
        overview=text(raw.get("overview")), size=money(raw.get("size")),
        growth=rate(raw.get("growth")),
        target_customers=[Segment(segment=str(s["segment"]).strip(),
                                  description=text(s.get("description")),
                                  share=rate(s.get("share")))
                          for s in raw.get("target_customers") or []],
        competitors=[Competitor(name=str(c["name"]).strip(), price_band=text(c.get("price_band")),
                                monthly_sales=money(c.get("monthly_sales")),
                                strengths=text(c.get("strengths")),
                                weaknesses=text(c.get("weaknesses")))
                     for c in raw.get("competitors") or []],
    )
    strategy = [StrategyItem(key=str(k), text=str(v).strip())
                for k, v in (raw.get("strategy") or {}).items()
                if text(v) and not is_extension(k)]
    if isinstance(raw.get("strategy"), dict):
        market.strategy = Strategy(**{s.key: s.text for s in strategy})
    return market, strategy


def build_swot(raw: dict | None) -> Swot | None:
    """Build the SWOT section."""
    if raw is None:
        return None
    return Swot(strengths=texts(raw.get("strengths")), weaknesses=texts(raw.get("weaknesses")),
                opportunities=texts(raw.get("opportunities")), threats=texts(raw.get("threats")))


def build_promotion_channels(raw: dict | None) -> Promotion | None:
    """Build the promotion section's channels (events are added by the caller)."""
    if raw is None:
        return None
    channels = [PromotionChannel(name=str(c["name"]).strip(), kind=text(c.get("kind")),
                                 description=text(c.get("description")), cpc=money(c.get("cpc")),
                                 cpm=money(c.get("cpm")), ctr=rate(c.get("ctr")),
                                 cvr=rate(c.get("cvr")),
                                 commission_rate=rate(c.get("commission_rate")))
                for c in raw.get("channels") or []]
    return Promotion(channels=channels)


def build_service(raw: dict | None) -> Service | None:
    """Build the service section."""
    if raw is None:
        return None
    st = raw.get("standards")
    standards = None
    if st:
        standards = ServiceStandards(
            dsr=None if st.get("dsr") is None else to_decimal(st["dsr"]),
            dispute_rate=rate(st.get("dispute_rate")),
            ship_within_hours=integer(st.get("ship_within_hours")),
            response_seconds=integer(st.get("response_seconds")))
    return Service(presale=text(raw.get("presale")), aftersale=text(raw.get("aftersale")),
                   standards=standards, faq=texts(raw.get("faq")))


def build_membership(raw: dict | None) -> Membership | None:
    """Build the membership section."""
    if raw is None:
        return None
    tiers = [Tier(name=str(t["name"]).strip(), threshold=money(t.get("threshold")),
                  discount=rate(t.get("discount")), benefits=texts(t.get("benefits")))
             for t in raw.get("tiers") or []]
    return Membership(tiers=tiers, programs=texts(raw.get("programs")))


def build_risks(items: list | None) -> list[Risk]:
    """Build the risks list."""
    return [Risk(risk=str(r["risk"]).strip(), mitigation=text(r.get("mitigation")))
            for r in items or []]
