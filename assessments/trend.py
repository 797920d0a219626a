"""How a person's risk changed: the trend chart's geometry and "since last time".

Pure functions of saved results, so the chart is drawn on the server as SVG (no JavaScript, no
external request) and tested without a browser. Dates are shown in the site's time zone
(`TIME_ZONE`), in the description as in the axis labels and the table.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape  # what django.utils.html.escape calls, without its lazy-string wrapper
from itertools import pairwise

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe

from assessments import rulebook
from assessments.rulebook import Level

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 12, 36


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    points: int
    level: Level
    hard_stop: bool
    created_at: datetime  # local time
    # What the mark is: an assessment, or a check before or after a session (section 6).
    what: str = "Assessment"

    @property
    def corner(self) -> tuple[float, float]:
        """Top-left corner of the square drawn for a result with a stop."""
        return round(self.x - 5, 1), round(self.y - 5, 1)

    @property
    def diamond(self) -> str:
        """The points of the small diamond drawn for a check (not joined by the line)."""
        x, y = self.x, self.y
        corners = ((x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y))
        return " ".join(f"{round(cx, 1)},{round(cy, 1)}" for cx, cy in corners)


@dataclass(frozen=True)
class Band:
    level: Level
    label: str
    y: float
    height: float
    label_y: float

    @property
    def labelled(self) -> bool:
        """Tall enough for its label (drawn at up to 21 units on a phone); the caption names
        every band either way."""
        return self.height >= 24


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class VersionChange:
    """Where the chart moves from results of one rulebook version to the next."""

    x: float  # half-way between the last mark of the old version and the first of the new
    version: str
    top: float
    bottom: float

    @property
    def label_x(self) -> float:
        return round(self.x + 4, 1)

    @property
    def label_y(self) -> float:
        return round(self.top + 12, 1)


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    marks: tuple[Mark, ...]
    bands: tuple[Band, ...]
    ticks: tuple[Tick, ...]
    line: str  # the SVG polyline's points attribute
    plot_left: int
    plot_right: int
    plot_bottom: float
    description: str
    # Set when the results were scored with more than one rulebook version.
    version_note: str = ""
    version_changes: tuple[VersionChange, ...] = ()
    # Checks before and after sessions (rulebook section 6): drawn, not joined by the line.
    check_marks: tuple[Mark, ...] = ()

    @cached_property
    def every_mark(self) -> list[Mark]:
        """Assessments and checks together, oldest first, for the table."""
        return sorted((*self.marks, *self.check_marks), key=lambda mark: mark.created_at)

    # The parts with one element per mark, built here rather than by template loops: with a
    # few hundred results the loops were most of the page's time (docs/performance.md).

    @cached_property
    def marks_svg(self) -> SafeString:
        """The assessments' marks (a square for a result with a stop, else a circle), then the
        checks' diamonds."""
        shapes = [
            f'<rect class="mark mark-stop" x="{m.corner[0]}" y="{m.corner[1]}" width="10" '
            'height="10"></rect>'
            if m.hard_stop
            # The level is a rulebook code (Level), safe as it is.
            else f'<circle class="mark mark-{m.level.value}" cx="{m.x}" cy="{m.y}" r="5"></circle>'
            for m in self.marks
        ]
        diamonds = "".join(
            f'<polygon class="mark mark-check{" mark-stop" if m.hard_stop else ""}" '
            f'points="{m.diamond}"></polygon>'
            for m in self.check_marks
        )
        return mark_safe("\n    ".join([*shapes, diamonds]))  # noqa: S308 (escaped above)

    @cached_property
    def table_rows(self) -> SafeString:
        """The rows of the chart's table for screen readers: every mark, oldest first."""
        return mark_safe(  # noqa: S308 (every value escaped)
            "".join(
                f"<tr><td>{escape(date_and_time(m.created_at))}</td>"
                f"<td>{escape(m.what)}</td>"
                f"<td>{'a reason to stop' if m.hard_stop else m.points}</td>"
                f"<td>{escape(m.level.label)}</td></tr>"
                for m in self.every_mark
            )
        )

    @property
    def plot_width(self) -> int:
        return self.plot_right - self.plot_left


def trend_chart(
    history: Sequence[tuple[datetime, int, str, bool]],
    versions: Sequence[str] = (),
    checks: Sequence[tuple[datetime, int, str, bool, str]] = (),
) -> TrendChart | None:
    """The chart for (created_at, points, level, hard_stop) rows, oldest first; None below two
    marks, or without an assessment.

    `versions`, if given, are the rows' rulebook versions: where they differ, the chart marks
    the change and says so, since the same answers can score differently under another rulebook.
    `checks` are the checks before and after sessions, (created_at, points, level, hard_stop,
    what) rows: drawn as their own marks on the same axes, not joined by the line.
    """
    if not history or len(history) + len(checks) < 2:
        return None
    top_value = max(12, max(row[1] for row in (*history, *checks)) + 2)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return round(TOP + plot_h * (1 - value / top_value), 1)

    every_time = sorted(row[0] for row in (*history, *checks))
    first, last = every_time[0], every_time[-1]
    span = (last - first).total_seconds()
    count = len(history) + len(checks)

    def x(index: int, when: datetime) -> float:
        # Time-proportional, so a long gap looks long; evenly spread if all share one moment.
        fraction = (when - first).total_seconds() / span if span else index / (count - 1)
        return round(LEFT + plot_w * fraction, 1)

    # A result with a reason to stop is high whatever its points (stop rules carry none), so it
    # is drawn at the top of the high band, not at its points.
    stop_y = y(top_value - 1)
    marks = tuple(
        Mark(
            x(i, when),
            stop_y if hard_stop else y(points),
            points,
            Level(level),
            hard_stop,
            timezone.localtime(when),
        )
        for i, (when, points, level, hard_stop) in enumerate(history)
    )
    check_marks = tuple(
        Mark(
            x(len(history) + i, when),
            stop_y if hard_stop else y(points),
            points,
            Level(level),
            hard_stop,
            timezone.localtime(when),
            what,
        )
        for i, (when, points, level, hard_stop, what) in enumerate(checks)
    )
    # Band edges sit half-way between whole points: low 0-3, moderate 4-7, high 8 or more.
    edges = {
        Level.LOW: (0, rulebook.MODERATE_MIN_POINTS - 0.5),
        Level.MODERATE: (rulebook.MODERATE_MIN_POINTS - 0.5, rulebook.HIGH_MIN_POINTS - 0.5),
        Level.HIGH: (rulebook.HIGH_MIN_POINTS - 0.5, top_value),
    }
    bands = tuple(
        Band(
            level,
            level.label,
            y(high),
            round(y(low) - y(high), 1),
            round((y(low) + y(high)) / 2 + 4, 1),
        )
        for level, (low, high) in edges.items()
    )
    # At most five labels (every 4 points, or 8, 12...): on a phone the chart is drawn at half
    # size with larger text, and closer labels would run into each other.
    tick_step = 4 * math.ceil(top_value / 16)
    ticks = tuple(Tick(v, y(v)) for v in range(0, top_value + 1, tick_step))
    latest, earliest = marks[-1], marks[0]
    description = (
        f"{len(marks)} assessments from {earliest.created_at:%d %B %Y} to "
        f"{latest.created_at:%d %B %Y}. The first {_in_words(earliest)}; "
        f"the latest {_in_words(latest)}."
    )
    if checks:
        description += (
            f" With {len(checks)} check{'s' if len(checks) != 1 else ''} before or after a "
            "session, drawn as diamonds."
        )
    note = different_rulebooks_note(versions)
    versioned = zip(marks, versions, strict=True) if versions else ()
    version_changes = tuple(
        VersionChange(round((before.x + after.x) / 2, 1), version, TOP, y(0))
        for (before, old), (after, version) in pairwise(versioned)
        if version != old
    )
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        marks=marks,
        bands=bands,
        ticks=ticks,
        line=" ".join(f"{m.x},{m.y}" for m in marks),
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_bottom=y(0),
        description=f"{description} {note}" if note else description,
        version_note=note,
        version_changes=version_changes,
        check_marks=check_marks,
    )


def date_and_time(local: datetime) -> str:
    """A local date and time as the template filter `date:"j M Y, H:i"` writes it (the month's
    abbreviation in the active language, as its "M" reads it), a twelfth of the filter's cost:
    for pages that write one per row."""
    return f"{local.day} {MONTHS_3[local.month].title()} {local.year:04d}, {local:%H:%M}"


def different_rulebooks_note(versions: Sequence[str]) -> str:
    """A sentence saying the results were scored with different rulebooks, or "" if not."""
    distinct = list(dict.fromkeys(versions))
    if len(distinct) < 2:
        return ""
    return (
        f"These results were scored with different rulebooks ({_and(distinct)}), so the same "
        "answers can give different factors and points."
    )


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _in_words(mark: Mark) -> str:
    level = mark.level.label.lower()
    if mark.hard_stop:
        return f"had a reason to stop ({level})"
    return f"scored {mark.points} points ({level})"


@dataclass(frozen=True)
class Changes:
    appeared: tuple[Mapping, ...]
    went_away: tuple[Mapping, ...]
    # Set when the two results were scored with different rulebook versions.
    version_note: str = ""


def since_last_time(
    latest: Sequence[Mapping],
    previous: Sequence[Mapping],
    *,
    latest_version: str = "",
    previous_version: str = "",
) -> Changes:
    """Which fired factors (snapshot dicts) are new in `latest`, and which have gone."""
    latest_ids = {f["rule_id"] for f in latest}
    previous_ids = {f["rule_id"] for f in previous}
    versions = [v for v in (previous_version, latest_version) if v]
    return Changes(
        appeared=tuple(f for f in latest if f["rule_id"] not in previous_ids),
        went_away=tuple(f for f in previous if f["rule_id"] not in latest_ids),
        version_note=different_rulebooks_note(versions),
    )
