"""The festival calendar: each year's New Year date and the e-commerce festival windows.

The calendar is data (``planforge/data/calendar.yaml``, indicative and dated, or the file given
by ``--calendar`` / ``meta.calendar``). The model uses it three ways: derived months follow the
plan year (January and February share their weight by where the New Year falls), the Gantt draws
the year's festival windows as bands, and ``check`` compares events named after a festival with
that festival's window.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from planforge.errors import SpecError
from planforge.i18n import _
from planforge.model.datafiles import load_table, regex_problems, shipped

CALENDAR_FILE = "calendar.yaml"
CALENDAR_SCHEMA = "calendar.schema.json"


@dataclass
class Festival:
    key: str
    name: dict[str, str]
    events: list[str] = field(default_factory=list)   # regular expressions, case-insensitive
    expect_event: bool = False

    def names(self, event_name: str) -> bool:
        """Tell whether an event's name names it after this festival."""
        return any(_compiled(p).search(event_name) for p in self.events)


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


@dataclass
class YearCalendar:
    new_year: dt.date
    windows: dict[str, tuple[dt.date, dt.date]]


@dataclass
class Calendar:
    path: Path
    date: dt.date
    note: dict[str, str]
    sources: list[str]
    festival_day: Decimal                 # weight of a New Year goods festival day
    shutdown_day: Decimal                 # weight of a courier shutdown day
    festivals: list[Festival]
    years: dict[int, YearCalendar]

    def festival(self, key: str) -> Festival | None:
        return next((f for f in self.festivals if f.key == key), None)

    def named_after(self, event_name: str) -> Festival | None:
        """The festival an event is named after (the first that matches), or None."""
        return next((f for f in self.festivals if f.names(event_name)), None)


@dataclass
class FestivalWindow:
    """One festival of the plan year, as the documents print it."""
    key: str
    name: str                             # in the plan's locale
    start: dt.date
    end: dt.date
    start_col: float = 0.0                # position on a 12-month axis: 0.0 = 1 January
    end_col: float = 0.0                  # exclusive: the end of the window's last day


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def load_calendar(path: str | Path | None = None) -> Calendar:
    """Read a festival calendar (the shipped one when ``path`` is None); raise SpecError."""
    file = Path(path) if path is not None else shipped(CALENDAR_FILE)
    table = load_table(file, CALENDAR_SCHEMA, "calendar")
    d = table.data
    problems = []
    keys = [f["key"] for f in d["festivals"]]
    for i, f in enumerate(d["festivals"]):
        problems += regex_problems(table, ("festivals", i, "events"), f["events"])
        if keys.index(f["key"]) != i:
            problems.append(table.problem(("festivals", i, "key"),
                                          _("festival '{key}' is given twice").format(
                                              key=f["key"])))
    years = {}
    for y, entry in d["years"].items():
        windows = {}
        for key, w in entry["windows"].items():
            where = ("years", y, "windows", key)
            if key not in keys:
                problems.append(table.problem(where, _(
                    "no festival '{key}' in festivals; known: {keys}").format(
                        key=key, keys=", ".join(keys)), key=True))
                continue
            start, end = _day(w["start"]), _day(w["end"])
            if end < start:
                problems.append(table.problem(where + ("end",),
                                              _("the window ends ({end}) before it starts "
                                                "({start})").format(end=end, start=start)))
            windows[key] = (start, end)
        new_year = _day(entry["new_year"])
        if new_year.year != int(y):
            problems.append(table.problem(("years", y, "new_year"),
                                          _("the New Year of {year} cannot fall on {day}").format(
                                              year=y, day=new_year)))
        years[int(y)] = YearCalendar(new_year=new_year, windows=windows)
    if problems:
        raise SpecError(_("{path}: not a valid {kind} file").format(path=file, kind=_("calendar")),
                        problems)
    weights = d["month_weights"]
    return Calendar(
        path=Path(table.path), date=_day(d["date"]), note=dict(d.get("note") or {}),
        sources=list(d["sources"]),
        festival_day=Decimal(str(weights["festival_day"])),
        shutdown_day=Decimal(str(weights["shutdown_day"])),
        festivals=[Festival(key=f["key"], name=dict(f["name"]),
                            events=list(f["events"]),
                            expect_event=bool(f.get("expect_event"))) for f in d["festivals"]],
        years=years)


def calendar_path_of(spec_data: dict, base_dir: Path, override: str | Path | None) -> Path | None:
    """The calendar a build uses: ``--calendar`` first, then ``meta.calendar`` (spec-relative)."""
    if override is not None:
        return Path(override)
    given = (spec_data.get("meta") or {}).get("calendar")
    return (Path(base_dir) / str(given)) if given else None


def _column(day: dt.date, year: int) -> float:
    """Where ``day`` starts on a 12-month axis of ``year`` (month index + share of the month)."""
    if day.year < year:
        return 0.0
    if day.year > year:
        return 12.0
    first = dt.date(year, day.month, 1)
    nxt = dt.date(year + (day.month == 12), day.month % 12 + 1, 1)
    return day.month - 1 + (day - first).days / (nxt - first).days


def festival_windows(cal: Calendar, year: int, locale: str) -> list[FestivalWindow]:
    """The festivals of ``year`` that touch the year, in date order (none for an unknown year)."""
    entry = cal.years.get(year)
    if entry is None:
        return []
    lang = "zh-CN" if locale.startswith("zh") else "en"
    out = []
    for f in cal.festivals:
        if f.key not in entry.windows:
            continue
        start, end = entry.windows[f.key]
        if end.year < year or start.year > year:
            continue
        out.append(FestivalWindow(key=f.key, name=f.name.get(lang, f.key), start=start, end=end,
                                  start_col=round(_column(start, year), 4),
                                  end_col=round(_column(end + dt.timedelta(days=1), year), 4)))
    out.sort(key=lambda w: (w.start, w.key))
    return out


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def jan_feb_split(cal: Calendar, year: int) -> tuple[Fraction, Fraction] | None:
    """January's and February's day weights in ``year`` (None when the year is not known).

    Every day weighs 1, a New Year goods festival day ``festival_day`` and a courier shutdown
    day ``shutdown_day`` (the shutdown wins where both fall on a day).
    """
    entry = cal.years.get(year)
    if entry is None:
        return None
    weight: dict[dt.date, Fraction] = {}
    for key, w in (("new_year_goods", Fraction(cal.festival_day)),
                   ("courier_shutdown", Fraction(cal.shutdown_day))):
        if key in entry.windows:
            for day in _days(*entry.windows[key]):
                weight[day] = w
    jan = sum((weight.get(d, Fraction(1)) for d in _days(dt.date(year, 1, 1), dt.date(year, 1, 31))),
              Fraction(0))
    feb_end = dt.date(year, 3, 1) - dt.timedelta(days=1)
    feb = sum((weight.get(d, Fraction(1)) for d in _days(dt.date(year, 2, 1), feb_end)),
              Fraction(0))
    return jan, feb


def calendar_profile(cal: Calendar | None, year: int,
                     profile: Sequence[int | Fraction]) -> list[Fraction]:
    """``profile`` with January and February sharing their joint weight by the year's calendar."""
    weights = [Fraction(w) for w in profile]
    split = jan_feb_split(cal, year) if cal is not None else None
    if split is None or sum(split) == 0:
        return weights
    both = weights[0] + weights[1]
    jan, feb = split
    weights[0] = both * jan / (jan + feb)
    weights[1] = both - weights[0]
    return weights


def apply_ramp(weights: Sequence[Fraction], ramp: Sequence[Fraction]) -> list[Fraction]:
    """Scale the first months' weights by the ramp's multipliers (the split renormalises)."""
    out = [Fraction(w) for w in weights]
    for i, r in enumerate(ramp[: len(out)]):
        out[i] *= Fraction(r)
    return out


def festival_problems(spec, plan) -> tuple[list, list]:
    """Return (warnings, notes) about events and the festivals of the plan year.

    A warning (PF271) for an event named after a festival but dated outside that festival's
    window of the plan year; a note (PF272, information only) for a plan month that holds a
    festival worth an event (618, 双11) when no event is named after it.
    """
    from dataclasses import replace

    from planforge.i18n import _

    cal, year = plan.calendar, plan.meta.year
    entry = cal.years.get(year) if cal is not None else None
    if entry is None:
        return [], []
    warnings, notes = [], []
    events = plan.promotion.events if plan.promotion else []
    named = set()
    for i, event in enumerate(events):
        festival = cal.named_after(event.name)
        if festival is None:
            continue
        named.add(festival.key)
        window = entry.windows.get(festival.key)
        if event.date is None or window is None or event.date.year != year:
            continue  # an event outside the plan year has its own warning
        start, end = window
        if not start <= event.date <= end:
            name = festival.name.get("zh-CN" if plan.meta.locale.startswith("zh") else "en")
            warnings.append(replace(spec.problem(
                ("promotion", "events", i, "date"),
                _("event '{event}' is named after {festival} but falls on {date}, outside "
                  "{festival}'s window of {year} ({start} to {end})").format(
                    event=event.name, festival=name, date=event.date.isoformat(), year=year,
                    start=start.isoformat(), end=end.isoformat()), severity="warning"),
                code="PF271", hint=_("date it between {start} and {end}, or rename it").format(
                    start=start.isoformat(), end=end.isoformat())))
    months = {m.month for m in plan.targets.months}
    for festival in cal.festivals:
        window = entry.windows.get(festival.key)
        if not festival.expect_event or window is None or festival.key in named:
            continue
        peak = f"{window[1].year}-{window[1].month:02d}"
        if peak not in months:
            continue
        name = festival.name.get("zh-CN" if plan.meta.locale.startswith("zh") else "en")
        where = ("promotion", "events") if events else ("targets",)
        notes.append(replace(spec.problem(
            where, _("the plan's month {month} holds {festival} ({start} to {end}) but no "
                     "promotion event is named after it").format(
                month=peak, festival=name, start=window[0].isoformat(),
                end=window[1].isoformat()),
            key=not events, severity="info"),
            code="PF272", hint=_("add an event for {festival} to promotion.events").format(
                festival=name)))
    return warnings, notes


def festival_months(windows: list[FestivalWindow], sep: str) -> list[str]:
    """The names of the festivals that touch each month (twelve strings, "" for none)."""
    return [sep.join(w.name for w in windows if w.start_col < m + 1 and w.end_col > m)
            for m in range(12)]
