"""The store's opening terms: what Tmall asks of the company and what opening the store costs.

The figures come from the rules table (``planforge/data/rules.yaml``, indicative and dated, or
the file given by ``--rules`` / ``meta.rules``), looked up by the spec's store type, trademark
status and category. Two spec fields override the table: ``qualification.deposit`` and
``economics.annual_fee``. The economics model uses :attr:`Opening.deposit` in the funding need.

Use :func:`opening_terms` (or read ``plan.opening``)::

    plan.opening.deposit          # Decimal yuan, None when the store type is not given
    plan.opening.annual_fee       # Decimal yuan
    plan.opening.commission_rate  # Decimal fraction of the category group
    plan.opening.refund           # [RefundStep(share=0.5, sales=...), ...]
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from planforge.model.datafiles import load_table, shipped
from planforge.units import parse_money

RULES_FILE = "rules.yaml"
RULES_SCHEMA = "rules.schema.json"


@dataclass
class RefundStep:
    """The share of the annual fee refunded once the year's sales reach ``sales``."""
    share: Decimal
    sales: Decimal


@dataclass
class CategoryTerms:
    key: str                              # food | beauty | apparel | ... | other
    name: dict[str, str]                  # per locale
    annual_fee: Decimal
    commission_rate: Decimal
    refund: list[RefundStep]
    licences: list[str]
    match: list[str] = field(default_factory=list)


@dataclass
class Rules:
    """The rules table, parsed (money as Decimal yuan, rates as Decimal fractions)."""
    path: Path
    date: dt.date
    note: dict[str, str]
    sources: list[str]
    deposit: dict[str, dict[str, Decimal]]      # store type -> {"R": ..., "TM": ...}
    company_types: list[str]
    taxpayer: str
    min_registered_capital: Decimal
    min_age_years: int
    categories: list[CategoryTerms]
    default_category: CategoryTerms
    shipped: bool = True

    def category(self, text: str | None) -> CategoryTerms:
        """Return the terms of the first category group with a word found in ``text``."""
        if text:
            for group in self.categories:
                if any(_matches(word, text) for word in group.match):
                    return group
        return self.default_category


def _matches(word: str, text: str) -> bool:
    if word.isascii():  # a Latin word must start a word: "tea" is not in "steamer"
        return re.search(r"(?<![a-z])" + re.escape(word.lower()), text.lower()) is not None
    return word in text


@dataclass
class Opening:
    """What opening this spec's store costs, by the rules table and the spec's overrides."""
    store_type: str | None
    mark: str | None                      # "R" | "TM" | None (no trademark status given)
    category_key: str
    category_name: str                    # in the plan's locale
    deposit: Decimal | None               # None when store type or trademark status is missing
    deposit_from_spec: bool
    annual_fee: Decimal
    annual_fee_from_spec: bool
    commission_rate: Decimal
    refund: list[RefundStep]
    licences: list[str]                   # licences the category group needs
    first_year: Decimal | None            # deposit + annual fee: cash tied up at opening
    rules_date: dt.date
    note: str                             # "indicative ..." sentence in the plan's locale
    sources: list[str]
    indicative: bool = True


def _dec(value) -> Decimal:
    return Decimal(str(value))


def _terms(raw: dict) -> CategoryTerms:
    return CategoryTerms(
        key=raw["key"], name=dict(raw["name"]), annual_fee=_dec(raw["annual_fee"]),
        commission_rate=_dec(raw["commission_rate"]),
        refund=sorted((RefundStep(_dec(r["share"]), _dec(r["sales"])) for r in raw["refund"]),
                      key=lambda r: r.sales),
        licences=list(raw["licences"]), match=list(raw.get("match") or []))


def load_rules(path: str | Path | None = None) -> Rules:
    """Read a rules table (the shipped one when ``path`` is None); raise SpecError at its line."""
    file = Path(path) if path is not None else shipped(RULES_FILE)
    table = load_table(file, RULES_SCHEMA, "rules")
    d = table.data
    company = d["company"]
    return Rules(
        path=Path(table.path), date=_as_date(d["date"]), note=dict(d.get("note") or {}),
        sources=list(d["sources"]),
        deposit={k: {m: _dec(v) for m, v in by.items()} for k, by in d["deposit"].items()},
        company_types=list(company["company_types"]), taxpayer=company["taxpayer"],
        min_registered_capital=_dec(company["min_registered_capital"]),
        min_age_years=int(company["min_age_years"]),
        categories=[_terms(c) for c in d["categories"]],
        default_category=_terms(d["default_category"]),
        shipped=path is None)


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def rules_path_of(spec_data: dict, base_dir: Path, override: str | Path | None) -> Path | None:
    """The rules file a build uses: ``--rules`` first, then ``meta.rules`` (spec-relative)."""
    if override is not None:
        return Path(override)
    given = (spec_data.get("meta") or {}).get("rules")
    return (Path(base_dir) / str(given)) if given else None


def opening_terms(rules: Rules, *, store_type: str | None, mark: str | None,
                  category: str | None, locale: str, deposit: Decimal | None = None,
                  annual_fee: Decimal | None = None) -> Opening:
    """Look up the opening terms; a ``deposit`` or ``annual_fee`` given by the spec wins."""
    group = rules.category(category)
    from_table = None
    if store_type in rules.deposit and mark in ("R", "TM"):
        from_table = rules.deposit[store_type][mark]
    chosen_deposit = deposit if deposit is not None else from_table
    fee = annual_fee if annual_fee is not None else group.annual_fee
    zh = locale.startswith("zh")
    note = rules.note.get("zh-CN" if zh else "en") or (
        "以下数据仅供参考（indicative）" if zh else "Indicative figures")
    return Opening(
        store_type=store_type, mark=mark, category_key=group.key,
        category_name=group.name.get("zh-CN" if zh else "en", group.key),
        deposit=chosen_deposit, deposit_from_spec=deposit is not None, annual_fee=fee,
        annual_fee_from_spec=annual_fee is not None, commission_rate=group.commission_rate,
        refund=list(group.refund), licences=list(group.licences),
        first_year=None if chosen_deposit is None else chosen_deposit + fee,
        rules_date=rules.date, note=note, sources=list(rules.sources))


def spec_annual_fee(data: dict) -> Decimal | None:
    """``economics.annual_fee`` when the spec gives one (the economics section is econ's)."""
    econ = data.get("economics")
    value = econ.get("annual_fee") if isinstance(econ, dict) else None
    if value is None:
        return None
    try:
        return parse_money(value)
    except (ValueError, ArithmeticError):
        return None
