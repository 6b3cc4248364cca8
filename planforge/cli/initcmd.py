"""``planforge init``: write a commented starter spec, asking for the essentials in a terminal."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from planforge.cli.outcome import Outcome
from planforge.errors import OutputError


def _ask(locale: str) -> dict:
    zh = locale == "zh-CN"
    next_year = dt.date.today().year + 1
    return {
        "brand": click.prompt("品牌名称" if zh else "Brand name"),
        "company": click.prompt("运营公司全称" if zh else "Operating company"),
        "year": click.prompt("计划年度" if zh else "Plan year", default=next_year,
                             type=click.IntRange(2000, 2100)),
        "annual_gmv": click.prompt("年度成交额目标（元，可写 600万）" if zh
                                   else "Annual GMV target (yuan, e.g. 2500000)", default="600万"
                                   if zh else "2500000"),
    }


def is_terminal() -> bool:
    """True when a person can answer questions (both ends of the terminal are attached)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def run_init(path: Path | None, locale: str | None, force: bool) -> Outcome:
    """Write the starter spec to ``path``; refuse to overwrite unless ``force``."""
    from planforge.starter import starter_spec
    from planforge.write import atomic_write_many

    path = path or Path("brand.yaml")
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists; choose another name or pass --force")
    interactive = is_terminal()
    if locale is None:
        locale = click.prompt("Locale", type=click.Choice(["zh-CN", "en"]), default="zh-CN") \
            if interactive else "zh-CN"
    answers = _ask(locale) if interactive else None
    text = starter_spec(locale, answers)
    atomic_write_many({path: text.encode("utf-8")})
    return Outcome(out=[f"wrote {path}; next: planforge check {path}"])
