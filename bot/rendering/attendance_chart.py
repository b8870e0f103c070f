"""The picture of attendance at the monthly rendez-vous: structures × months, a cell per month
(how many of the structure came; a pale red cell when nobody did), readable on a phone."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from bot.rendering.charts import DPI, TEXT_COLOUR, _plain, _png, _title

PRESENT_COLOUR = "#7cc68d"
ABSENT_COLOUR = "#f4c7c3"
NO_MEETING_COLOUR = "#eeeeee"
LABEL_WIDTH = 18
MAX_ROWS = 12
MAX_MONTHS = 6


def attendance_grid_chart(
    grid: Mapping[str, Mapping[str, int]],
    months: Sequence[str],
    month_labels: Mapping[str, str],
    title: str,
) -> bytes:
    """One row per structure (at most 12), one column per month (the last 6), counts in cells."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    rows = list(grid)[:MAX_ROWS]
    shown = list(months)[-MAX_MONTHS:]
    height = max(2.6, 1.5 + 0.75 * len(rows))
    figure = Figure(figsize=(6.0, height), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    for y, structure in enumerate(rows):
        for x, month in enumerate(shown):
            count = grid[structure].get(month)
            colour = (
                NO_MEETING_COLOUR if count is None else (PRESENT_COLOUR if count else ABSENT_COLOUR)
            )
            axes.add_patch(Rectangle((x + 0.05, y + 0.05), 0.9, 0.9, color=colour))
            label = "–" if count is None else str(count)
            axes.text(x + 0.5, y + 0.5, label, ha="center", va="center", fontsize=17,
                      color=TEXT_COLOUR, fontweight="bold")  # fmt: skip
    axes.set_xlim(0, max(len(shown), 1))
    axes.set_ylim(max(len(rows), 1), 0)
    axes.set_xticks([x + 0.5 for x in range(len(shown))])
    axes.set_xticklabels([_plain(month_labels.get(m, m)) for m in shown], fontsize=15)
    axes.xaxis.tick_top()
    axes.set_yticks([y + 0.5 for y in range(len(rows))])
    axes.set_yticklabels(
        ["\n".join(textwrap.wrap(_plain(s), LABEL_WIDTH)[:2]) for s in rows], fontsize=15
    )
    axes.tick_params(length=0)
    for side in axes.spines.values():
        side.set_visible(False)
    _title(figure, title, width=30)
    return _png(figure)
