"""Plain data the renderers bind to named shapes: chart data and Gantt charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Series:
    """One chart series: a name and one value per category (None leaves a gap)."""

    name: str
    values: list[float | Decimal | None]
    number_format: str | None = None


@dataclass
class ChartData:
    """Categories and series that replace a template chart's data."""

    categories: list[str]
    series: list[Series]
    number_format: str | None = None


@dataclass
class GanttTask:
    """One Gantt row: a bar from column ``start`` to column ``end`` (0-based, inclusive)."""

    label: str
    start: int
    end: int
    group: str = ""


@dataclass
class Gantt:
    """Column labels (months), tasks, phase bands ``(label, start, end)`` and festival bands."""

    columns: list[str]
    tasks: list[GanttTask]
    bands: list[tuple[str, int, int]] = field(default_factory=list)
    continued: bool = False  # a later page of a Gantt split over several slides
    # Festival windows ``(label, start, end)`` on the same axis, in fractions of a column
    # (2.0 = the start of the third month; ``end`` is exclusive), drawn as a row of bands.
    festivals: list[tuple[str, float, float]] = field(default_factory=list)
    festival_label: str = ""  # the label of the festival row


@dataclass
class SwotPage:
    """One slide's share of a SWOT analysis: as many items of each quadrant as fit its box."""

    strengths: list[str]
    weaknesses: list[str]
    opportunities: list[str]
    threats: list[str]
    number: int = 1
    count: int = 1

    @property
    def continued(self) -> bool:
        return self.number > 1
