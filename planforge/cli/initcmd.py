"""``planforge init``: write a commented starter spec, asking for the essentials in a terminal."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from planforge import i18n
from planforge.cli.outcome import Outcome
from planforge.errors import OutputError
from planforge.i18n import _


def _ask(locale: str) -> dict:
    zh = locale == "zh-CN"
    next_year = dt.date.today().year + 1
    with i18n.spec_language(locale=locale):
        return {
            "brand": click.prompt(_("Brand name")),
            "company": click.prompt(_("Operating company (full registered name)")),
            "year": click.prompt(_("Plan year"), default=next_year, type=_YearType()),
            "annual_gmv": click.prompt(_("Annual GMV target (yuan, e.g. 2500000 or 250万)"),
                                       default="600万" if zh else "2500000",
                                       value_proc=_money_answer),
        }


class _YearType(click.ParamType):
    """A plan year from 2000 to 2100, with its error in the user's language."""

    name = "year"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        try:
            year = int(str(value).strip())
        except ValueError:
            self.fail(_("{value} is not a year; write four digits, such as 2027").format(
                value=repr(value)), param, ctx)
        if not 2000 <= year <= 2100:
            self.fail(_("{value} is not between 2000 and 2100").format(value=year), param, ctx)
        return year


def _money_answer(value: str) -> str:
    from planforge.units import parse_money

    try:
        parse_money(value)
    except (ValueError, ArithmeticError):
        raise click.UsageError(_("{value} is not an amount of money; write it as 2500000, "
                                 "250万 or 1.2亿").format(value=repr(value))) from None
    return value


def is_terminal() -> bool:
    """True when a person can answer questions (both ends of the terminal are attached)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def run_init(path: Path | None, locale: str | None, force: bool) -> Outcome:
    """Write the starter spec to ``path``; refuse to overwrite unless ``force``."""
    from planforge.starter import starter_spec
    from planforge.write import atomic_write_many

    path = path or Path("brand.yaml")
    if path.exists() and not force:
        raise OutputError(_("{path}: already exists; choose another name or pass --force").format(
            path=path))
    interactive = is_terminal()
    if locale is None:
        locale = click.prompt(_("Language of the documents"), type=click.Choice(["zh-CN", "en"]),
                              default="zh-CN") if interactive else "zh-CN"
    answers = _ask(locale) if interactive else None
    text = starter_spec(locale, answers)
    atomic_write_many({path: text.encode("utf-8")})
    with i18n.spec_language(locale=locale):
        return Outcome(out=[_("wrote {path}; next: planforge check {path}").format(path=path)])
