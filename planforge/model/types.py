"""The plan as templates see it: typed objects, every optional field present, figures derived.

Templates read these objects and never the raw YAML. A missing optional text is ``None``, a
missing list is ``[]``, a missing section is ``None`` (so a template tests ``{% if swot %}``).
Money is ``Decimal`` yuan, ratios are ``Decimal`` fractions (0.028 for 2.8%), exact throughout;
``None`` where a figure cannot be derived (no budget, no funnel, ...).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from pathlib import Path

from planforge.errors import Problem
from planforge.model.calendar import Calendar, FestivalWindow
from planforge.model.opening import Opening, Rules

Money = Decimal
Ratio = Decimal
QUARTERS = ("Q1", "Q2", "Q3", "Q4")


@dataclass
class Extensible:
    """What every object built from a mapping of the spec has: the user's own ``x-`` fields.

    ``x`` maps each ``x-`` key of that mapping, its prefix dropped, to its value as written
    (``brand: {x-note: ...}`` is ``brand.x.note``). planforge never reads or checks them.
    """

    x: dict[str, Any] = field(default_factory=lambda: _extensions(), kw_only=True)


def _extensions() -> dict[str, Any]:
    from planforge.model.extensions import Extensions

    return Extensions()


# -- meta, brand, company ---------------------------------------------------------------------

@dataclass
class Meta(Extensible):
    year: int
    locale: str = "zh-CN"                 # "zh-CN" | "en"
    title: str | None = None              # defaults derived from brand and year by the model
    subtitle: str | None = None
    currency: str = "CNY"
    store_type: str | None = None         # "flagship" | "specialty" | "franchise"
    category: str | None = None
    prepared_by: str | None = None
    date: dt.date | None = None
    confidential: bool = False
    template: str | None = None
    ignore: list[str] = field(default_factory=list)   # rule codes whose warnings are silenced
    labels: dict[str, str] = field(default_factory=dict)  # meta.labels: pack label overrides
    # Where each meta.labels key is written in the spec: key -> (line, column, source line).
    label_sites: dict[str, tuple[int, int, str]] = field(default_factory=dict, repr=False)
    rules: str | None = None              # path of a rules table, as the spec wrote it
    calendar: str | None = None           # path of a festival calendar, as the spec wrote it


@dataclass
class Trademark(Extensible):
    registration_no: str | None = None
    class_: int | None = None             # the spec's `class`
    status: str | None = None             # "R" | "TM"
    holder: str | None = None


@dataclass
class Award(Extensible):
    name: str
    year: int | None = None
    issuer: str | None = None


@dataclass
class Patent(Extensible):
    name: str
    number: str | None = None
    kind: str | None = None               # "invention" | "utility" | "design"


@dataclass
class Crowdfunding(Extensible):
    platform: str | None = None
    year: int | None = None
    amount: Money | None = None


@dataclass
class Brand(Extensible):
    name: str
    name_en: str | None = None
    slogan: str | None = None
    founded: int | dt.date | None = None
    founded_year: int | None = None       # derived from `founded`
    origin: str | None = None
    positioning: str | None = None
    story: str | None = None
    story_paragraphs: list[str] = field(default_factory=list)   # story split on blank lines
    culture: list[str] = field(default_factory=list)
    logo: Path | None = None              # absolute path, checked to exist
    trademark: Trademark | None = None
    awards: list[Award] = field(default_factory=list)
    patents: list[Patent] = field(default_factory=list)
    endorsements: list[str] = field(default_factory=list)
    crowdfunding: Crowdfunding | None = None
    partnerships: list[str] = field(default_factory=list)


@dataclass
class SalesChannel(Extensible):
    name: str
    type: str | None = None               # "online" | "offline" | ...
    annual_sales: Money | None = None
    stores: int | None = None
    note: str | None = None


@dataclass
class PriorSales(Extensible):
    period: str | None = None
    taobao: Money | None = None
    tmall: Money | None = None


@dataclass
class Company(Extensible):
    name: str
    founded: int | dt.date | None = None
    founded_year: int | None = None
    registered_capital: Money | None = None
    employees: int | None = None
    address: str | None = None
    business: str | None = None
    intro: str | None = None
    intro_paragraphs: list[str] = field(default_factory=list)
    channels: list[SalesChannel] = field(default_factory=list)
    channels_total: Money | None = None   # sum of channels' annual_sales given
    online_total: Money | None = None
    offline_total: Money | None = None
    prior_sales: PriorSales | None = None


@dataclass
class Licence(Extensible):
    name: str
    number: str | None = None
    until: dt.date | None = None


@dataclass
class Qualification(Extensible):
    """What Tmall checks before the brand evaluation; every field may be missing (unknown)."""
    company_type: str | None = None       # "enterprise" | "individual" | "overseas"
    taxpayer: str | None = None           # "general" | "small"
    authorisation: str | None = None      # "owner" | "exclusive" | "authorised"
    authorisation_until: dt.date | None = None
    brands: list[str] = field(default_factory=list)
    licences: list[Licence] = field(default_factory=list)
    licences_given: bool = False          # True when the spec lists licences (even [])
    deposit: Money | None = None


# -- team, products -----------------------------------------------------------------------------

@dataclass
class Member(Extensible):
    role: str
    headcount: int = 1
    experience: str | None = None
    responsibilities: list[str] = field(default_factory=list)
    kpis: list[str] = field(default_factory=list)


@dataclass
class Team(Extensible):
    summary: str | None = None
    members: list[Member] = field(default_factory=list)
    headcount: int = 0                    # derived: sum of members' headcount


@dataclass
class Product(Extensible):
    name: str
    sku: str | None = None
    category: str | None = None
    role: str | None = None               # hero | traffic | profit | bundle | image | new
    price: Money | None = None
    cost: Money | None = None
    reviews: int | None = None
    monthly_sales: int | None = None
    selling_points: list[str] = field(default_factory=list)
    image: Path | None = None             # absolute path, checked to exist
    launch: str | None = None
    gross_profit: Money | None = None     # derived: price - cost
    gross_margin: Ratio | None = None     # derived: (price - cost) / price
    sales_share: Ratio | None = None      # as the spec gives it
    mix_share: Ratio | None = None        # derived: the weight in the blended margin (economics)


@dataclass
class RoleGroup:
    """Products that share a role, in the order roles are listed in ``ROLE_ORDER``."""
    role: str
    products: list[Product] = field(default_factory=list)


# -- market, strategy, swot ----------------------------------------------------------------------

@dataclass
class Segment(Extensible):
    segment: str
    description: str | None = None
    share: Ratio | None = None


@dataclass
class Competitor(Extensible):
    name: str
    price_band: str | None = None
    monthly_sales: Money | None = None
    strengths: str | None = None
    weaknesses: str | None = None


@dataclass
class StrategyItem:
    key: str                              # brand | consumers | product_line | rhythm | pricing | ...
    text: str


@dataclass
class Strategy(Extensible):
    """``market.strategy`` as the spec wrote it: one text per positioning strategy given.

    The same texts are ``strategy`` (a list in spec order, for loops); this object is for a
    template that prints one of them by name (``market.strategy.pricing``), and it holds the
    ``x-`` fields of ``market.strategy``.
    """
    brand: str | None = None
    consumers: str | None = None
    product_line: str | None = None
    rhythm: str | None = None
    pricing: str | None = None
    channel: str | None = None
    operation: str | None = None
    promotion: str | None = None
    visual: str | None = None


@dataclass
class Market(Extensible):
    overview: str | None = None
    size: Money | None = None
    growth: Ratio | None = None
    target_customers: list[Segment] = field(default_factory=list)
    competitors: list[Competitor] = field(default_factory=list)
    strategy: Strategy | None = None      # market.strategy by name (``strategy``: in order)


@dataclass
class Swot(Extensible):
    strengths: list[str] = field(default_factory=list)
    weaknesses: list[str] = field(default_factory=list)
    opportunities: list[str] = field(default_factory=list)
    threats: list[str] = field(default_factory=list)


# -- targets and figures -------------------------------------------------------------------------

@dataclass
class Funnel(Extensible):
    conversion_rate: Ratio | None = None
    average_order_value: Money | None = None
    repeat_rate: Ratio | None = None


@dataclass
class Kpi(Extensible):
    name: str
    target: str                           # as the spec wrote it, printable ("4.8", "0.5%")
    value: Decimal | None = None          # parsed when numeric or a percentage


@dataclass
class MonthFigure(Extensible):
    month: str                            # "2027-01"
    number: int                           # 1..12
    quarter: str                          # "Q1".."Q4"
    gmv: Money
    budget: Money | None = None
    budget_ratio: Ratio | None = None     # budget / gmv (推广费占比)
    roi: Decimal | None = None            # gmv / budget
    orders: int | None = None             # gmv / average_order_value, rounded half up
    visitors: int | None = None           # gmv / (conversion_rate * average_order_value), rounded up
    share: Ratio | None = None            # gmv / year gmv


@dataclass
class PeriodFigure:
    """A quarter's or the year's totals (only over the months the plan has)."""
    label: str                            # "Q1".."Q4" or "year"
    months: list[MonthFigure] = field(default_factory=list)
    gmv: Money = Decimal(0)
    budget: Money | None = None
    budget_ratio: Ratio | None = None
    roi: Decimal | None = None
    orders: int | None = None
    visitors: int | None = None
    share: Ratio | None = None


@dataclass
class Targets(Extensible):
    annual_gmv: Money
    annual_budget: Money | None = None
    funnel: Funnel | None = None
    months: list[MonthFigure] = field(default_factory=list)
    months_derived: bool = False          # True when months came from the seasonality profile
    seasonality: list[Decimal] = field(default_factory=list)   # 12 normalised weights used
    ramp: list[Decimal] = field(default_factory=list)          # new-store multipliers, Jan first
    calendar_year: bool = False           # True when the default profile followed the calendar
    quarters: list[PeriodFigure] = field(default_factory=list)  # only quarters with months
    year: PeriodFigure | None = None
    kpis: list[Kpi] = field(default_factory=list)


# -- roadmap, promotion --------------------------------------------------------------------------

@dataclass
class Task(Extensible):
    name: str
    start: str                            # "2027-01"
    end: str
    owner: str | None = None
    quarter: str | None = None            # the roadmap quarter it is listed under
    start_index: int = 0                  # 0-based month of the plan year (Jan = 0)
    end_index: int = 0


@dataclass
class ChannelAmount(Extensible):
    channel: str
    amount: Money


@dataclass
class RoadmapQuarter(Extensible):
    quarter: str
    phase: str | None = None
    gmv_target: Money | None = None
    goals: list[str] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    budget: list[ChannelAmount] = field(default_factory=list)
    budget_total: Money | None = None     # sum of budget amounts; None when no budget lines
    months_gmv: Money | None = None       # that quarter's monthly GMV total (for comparison)
    # The quarter's promotion budget, as every other table prints it: its months' budgets,
    # else (no monthly budgets) its channel lines; and the part no channel line covers.
    quarter_budget: Money | None = None
    unallocated: Money | None = None


@dataclass
class ChannelBudget:
    """One promotion channel's budget across the four quarters (from the roadmap).

    The last row may be the part of the promotion budget that no roadmap channel line covers
    (``unallocated`` true; ``channel`` is then the pack's label for it, filled in at render).
    """
    channel: str
    by_quarter: list[Money | None] = field(default_factory=list)  # Q1..Q4, 0 where none
    total: Money = Decimal(0)
    share: Ratio | None = None            # total / the promotion budget, shares add up to 100%
    kind: str | None = None               # from promotion.channels when named there
    unallocated: bool = False             # the budget no channel line covers


@dataclass
class PromotionChannel(Extensible):
    name: str
    kind: str | None = None
    description: str | None = None
    cpc: Money | None = None              # paid-channel KPIs, as the spec gives them
    cpm: Money | None = None
    ctr: Ratio | None = None
    cvr: Ratio | None = None
    commission_rate: Ratio | None = None  # per-sale channels (淘宝客)


@dataclass
class Event(Extensible):
    name: str
    date: dt.date | None = None
    month: str | None = None              # "2027-06", derived from date
    budget: Money | None = None
    goal: str | None = None


@dataclass
class Promotion(Extensible):
    channels: list[PromotionChannel] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


# -- economics: the P&L, break-even ROI, funding need and paid channels ---------------------------
# Money here is exact: each month's lines are computed at high precision and kept to 1e-10 yuan,
# so a quarter or the year is the exact sum of its months; documents round once, when printing.

@dataclass
class FixedCost(Extensible):
    name: str
    amount: Money


@dataclass
class PnlFigure:
    """One month's, quarter's or the year's P&L (a quarter and the year sum their months)."""
    label: str                            # "2027-01", "Q1".."Q4" or "year"
    gmv: Money
    refunds: Money                        # gmv x refund_rate
    net_sales: Money                      # gmv - refunds
    cogs: Money                           # net_sales - gross_profit (cost of goods)
    gross_profit: Money                   # net_sales x blended margin
    commission: Money                     # net_sales x commission_rate
    payment_fees: Money                   # net_sales x payment_fee_rate
    fulfilment: Money                     # orders x fulfilment_per_order
    contribution: Money                   # gross_profit - commission - payment fees - fulfilment
    promotion: Money                      # the month's budget (推广费)
    staff: Money                          # staff_monthly per month
    fixed: Money                          # fixed costs and the annual fee, spread over the months
    operating_result: Money               # contribution - promotion - staff - fixed
    selling_costs: Money = Decimal(0)     # commission + payment fees + fulfilment
    overheads: Money = Decimal(0)         # staff + fixed
    orders: Decimal | None = None         # gmv / average order value (exact)
    cumulative: Money | None = None       # months: operating result so far; periods: at their end
    roi: Decimal | None = None            # planned ROI: gmv / promotion
    break_even_roi: Decimal | None = None  # gmv / contribution (None when contribution <= 0)
    below_break_even: bool = False        # promotion > contribution: promotion eats the margin
    operating_margin: Ratio | None = None  # operating_result / gmv
    number: int = 0                       # months: 1..12
    quarter: str | None = None            # months: "Q1".."Q4"


@dataclass
class Economics(Extensible):
    """The P&L of the plan and what it needs to be funded."""
    margin: Ratio                         # blended gross margin of the product mix
    margin_basis: str                     # "sales_share" | "monthly_sales" | "equal"
    commission_rate: Ratio
    commission_source: str                # "spec" | "category" | "none"
    payment_fee_rate: Ratio
    refund_rate: Ratio
    fulfilment_per_order: Money
    staff_monthly: Money | None
    annual_fee: Money
    annual_fee_source: str                # "spec" | "category" | "none"
    fixed: list[FixedCost] = field(default_factory=list)
    fixed_total: Money = Decimal(0)       # fixed costs without the annual fee
    months: list[PnlFigure] = field(default_factory=list)
    quarters: list[PnlFigure] = field(default_factory=list)
    year: PnlFigure | None = None
    break_even_roi: Decimal | None = None  # the year's (every period has the same when costs scale)
    deepest: Money = Decimal(0)           # lowest cumulative operating result (0 if never below)
    deepest_month: str | None = None      # the month it is reached, when below 0
    deposit: Money = Decimal(0)           # store deposit (保证金)
    deposit_source: str = "none"          # "spec" | "rules" | "none"
    funding_need: Money = Decimal(0)      # -deepest + deposit


@dataclass
class ChannelEconomics:
    """What one paid channel's spend buys, from its KPIs (per quarter and for the year)."""
    channel: str
    index: int                            # position in promotion.channels
    pays_per: str                         # "click" | "impression" | "sale"
    spend: Money
    spend_by_quarter: list[Money] = field(default_factory=list)
    cpc: Money | None = None
    cpm: Money | None = None
    ctr: Ratio | None = None
    cvr: Ratio | None = None              # the channel's, or the funnel's conversion rate
    commission_rate: Ratio | None = None
    impressions: Decimal | None = None
    clicks: Decimal | None = None
    orders: Decimal | None = None
    gmv: Money | None = None
    gmv_by_quarter: list[Money | None] = field(default_factory=list)
    roi: Decimal | None = None            # gmv / spend
    share: Ratio | None = None            # gmv / the year's GMV


@dataclass
class PaidTraffic:
    """The paid channels together, and the free traffic the rest of the plan needs."""
    channels: list[ChannelEconomics] = field(default_factory=list)
    spend: Money = Decimal(0)
    clicks: Decimal = Decimal(0)          # channels that buy clicks
    orders: Decimal | None = None
    gmv: Money | None = None              # None when no channel's GMV is known
    gmv_by_quarter: list[Money] = field(default_factory=list)   # Q1..Q4
    share: Ratio | None = None            # paid GMV / the year's GMV
    roi: Decimal | None = None            # paid GMV / spend
    free_gmv: Money | None = None         # the year's GMV - paid GMV
    free_share: Ratio | None = None
    visitors: int | None = None           # visitors the funnel needs for the year
    free_visitors: Decimal | None = None  # visitors - paid clicks


# -- service, membership, risks ------------------------------------------------------------------

@dataclass
class ServiceStandards(Extensible):
    dsr: Decimal | None = None
    dispute_rate: Ratio | None = None
    ship_within_hours: int | None = None
    response_seconds: int | None = None


@dataclass
class Service(Extensible):
    presale: str | None = None
    aftersale: str | None = None
    standards: ServiceStandards | None = None
    faq: list[str] = field(default_factory=list)


@dataclass
class Tier(Extensible):
    name: str
    threshold: Money | None = None
    discount: Ratio | None = None         # 0.95 = 95% of the price (九五折)
    benefits: list[str] = field(default_factory=list)


@dataclass
class Membership(Extensible):
    tiers: list[Tier] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)


@dataclass
class Risk(Extensible):
    risk: str
    mitigation: str | None = None


# -- readiness -------------------------------------------------------------------------------------

@dataclass
class ReadinessItem:
    key: str                              # stable id, e.g. "prior_sales", "trademark"
    title: str                            # in the plan's locale
    status: str                           # "met" | "missing" | "na"
    evidence: str | None = None           # the spec data that shows it, in the plan's locale
    advice: str | None = None             # when missing: what to add to the spec


@dataclass
class Readiness:
    items: list[ReadinessItem] = field(default_factory=list)
    met: int = 0
    missing: int = 0
    not_applicable: int = 0


# -- pre-flight, price bands ----------------------------------------------------------------------

@dataclass
class PreflightItem:
    key: str                              # stable id: company_type, taxpayer, capital, ...
    title: str                            # in the plan's locale
    status: str                           # "met" | "missing" | "unknown"
    reason: str                           # why, in the plan's locale
    field: str | None = None              # the spec field to fill or fix (None when met)


@dataclass
class Preflight:
    items: list[PreflightItem] = field(default_factory=list)
    met: int = 0
    missing: int = 0
    unknown: int = 0
    passed: bool = False                  # every item met


@dataclass
class PriceBand:
    """One competitor's band, low to high (yuan)."""
    name: str
    low: Money
    high: Money
    text: str                             # as the spec wrote it
    spread: Money = Decimal(0)            # high - low: the floating bar's length


# -- the plan --------------------------------------------------------------------------------------

@dataclass
class Plan(Extensible):
    """Everything the documents print, built from one validated spec."""
    source: Path                          # the spec file
    base_dir: Path                        # its folder (images are relative to it)
    meta: Meta
    brand: Brand
    company: Company
    targets: Targets
    team: Team | None = None
    products: list[Product] = field(default_factory=list)
    product_roles: list[RoleGroup] = field(default_factory=list)
    market: Market | None = None
    strategy: list[StrategyItem] = field(default_factory=list)   # market.strategy, in spec order
    swot: Swot | None = None
    roadmap: list[RoadmapQuarter] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)              # every roadmap task, in order
    channel_budget: list[ChannelBudget] = field(default_factory=list)
    channel_budget_total: Money | None = None   # the promotion budget the rows add up to
    channel_budget_by_quarter: list[Money | None] = field(default_factory=list)  # Q1..Q4 totals
    # The plan period's promotion budget, one number everywhere: the months' budgets, else
    # targets.annual_budget, else the roadmap's channel lines; None when the spec has none.
    promotion_budget: Money | None = None
    promotion: Promotion | None = None
    service: Service | None = None
    membership: Membership | None = None
    risks: list[Risk] = field(default_factory=list)
    readiness: Readiness = field(default_factory=Readiness)
    economics: Economics | None = None    # the P&L, when the spec has `economics`
    paid: PaidTraffic | None = None       # paid channels with KPIs and roadmap spend
    qualification: Qualification | None = None
    opening: Opening | None = None        # the cost of opening (planforge.model.opening)
    rules: Rules | None = None            # the entry rules table used
    calendar: Calendar | None = None      # the festival calendar used
    festivals: list[FestivalWindow] = field(default_factory=list)   # of the plan year
    festival_months: list[str] = field(default_factory=list)  # 12: the festivals of each month
    calendar_note: str | None = None      # the calendar's "indicative" sentence, plan's locale
    preflight: Preflight | None = None    # the entry pre-flight (planforge.model.preflight)
    price_bands: list[PriceBand] = field(default_factory=list)  # one per readable band
    notes: list[Problem] = field(default_factory=list)   # information, never fails --strict
    warnings: list[Problem] = field(default_factory=list)       # consistency + ad-law lint
