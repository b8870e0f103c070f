"""Pictures of a vote's result, as PNG bytes to upload: points per story, the impact/cost matrix.

matplotlib is imported inside the functions (it is slow to import and most runs never
draw), and used through its object API with the Agg canvas: no pyplot, no global figure
state, safe to call from a worker thread. Every text shown comes from the caller.
"""

from __future__ import annotations

import io
import textwrap
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from bot.domain.ballots import SCORE_MAX, SCORE_MIN
from bot.domain.shortening import shorten
from bot.domain.tally import RankedStory, ScoredStory, ScoreResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH_INCHES = 8.0
DPI = 100  # 8 in x 100 dpi = 800 px wide, sharp enough on a phone
BARS_WIDTH_INCHES = 6.0
MAX_BARS = 10  # the ranking message names the others
BAR_LABEL = 42
BARS_TITLE_WIDTH = 40
MAX_LABEL = 38
MAX_KEY_LINES = 12
TITLE_WIDTH = 70

BAR_COLOUR = "#3b7dd8"
POINT_COLOUR = "#c0392b"
QUICK_WINS_COLOUR = "#dff3e3"
QUICK_WINS_TEXT_COLOUR = "#2e7d32"
GRID_COLOUR = "#bbbbbb"
TEXT_COLOUR = "#222222"


def dot_vote_chart(
    ranking: Sequence[RankedStory],
    titles: Mapping[int, str],
    title: str,
    max_bars: int = MAX_BARS,
) -> bytes:
    """Bars, best story on top, each labelled « #12 short title » above it, points at its end.

    Element shows a picture in the timeline at about 320 px wide: labels above the bars keep
    the whole width for large letters, and the picture stays nearly square for a few stories.
    """
    from matplotlib.figure import Figure

    shown = list(ranking)[:max_bars]
    height = max(2.4, 1.0 + 0.95 * len(shown))
    figure = Figure(figsize=(BARS_WIDTH_INCHES, height), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    values = [entry.points for entry in shown]
    positions = list(range(len(shown)))
    most = max(max(values, default=0), 1)
    axes.barh(positions, values, color=BAR_COLOUR, height=0.42)
    axes.set_ylim(max(len(shown), 1) - 0.6, -0.95)  # best on top, room for its label
    axes.set_xlim(0, most * 1.12)
    for position, entry in zip(positions, shown, strict=True):
        axes.text(
            0,
            position - 0.3,
            _story_label(entry.story, titles, BAR_LABEL),
            va="bottom",
            ha="left",
            fontsize=17,
            color=TEXT_COLOUR,
        )
        axes.text(
            entry.points + most * 0.015,
            position,
            str(entry.points),
            va="center",
            fontsize=17,
            fontweight="bold",
            color=TEXT_COLOUR,
        )
    axes.axis("off")
    _title(figure, title, width=BARS_TITLE_WIDTH)
    return _png(figure)


def impact_cost_matrix(
    score_result: ScoreResult,
    titles: Mapping[int, str],
    title: str,
    axis_labels: Mapping[str, str],
) -> bytes:
    """Impact (up) against cost (right), 1–5, the quick-wins corner shaded; points labelled #n.

    ``axis_labels`` keys: ``impact``, ``cost``, ``quick_wins`` (the shaded corner's caption).
    Below the plot, a key « #n title » for the best-ranked stories.
    """
    from matplotlib.figure import Figure

    scored = [entry for entry in score_result.ranking if entry.rank is not None]
    key_lines = [
        _story_label(entry.story, titles, MAX_LABEL + 20) for entry in scored[:MAX_KEY_LINES]
    ]
    plot_height = 6.0
    key_height = 0.28 * len(key_lines)
    figure = Figure(
        figsize=(WIDTH_INCHES, plot_height + key_height + 0.2), dpi=DPI, layout="constrained"
    )
    if key_lines:
        axes, key = figure.subplots(2, 1, height_ratios=[plot_height, key_height])
        _draw_key(key, key_lines)
    else:
        axes = figure.add_subplot()

    _draw_quadrants(axes, axis_labels)
    _draw_points(axes, scored)
    _title(figure, title)
    return _png(figure)


def _draw_quadrants(axes: Axes, axis_labels: Mapping[str, str]) -> None:
    """The 1–5 axes with their labels, the centre lines and the shaded quick-wins corner."""
    from matplotlib.patches import Rectangle

    low, high = SCORE_MIN - 0.3, SCORE_MAX + 0.3
    middle = (SCORE_MIN + SCORE_MAX) / 2
    axes.set_xlim(low, high)
    axes.set_ylim(low, high)
    axes.add_patch(
        Rectangle((low, middle), middle - low, high - middle, color=QUICK_WINS_COLOUR, lw=0)
    )
    axes.text(
        low + 0.1,
        high - 0.1,
        _plain(axis_labels.get("quick_wins", "")),
        va="top",
        ha="left",
        fontsize=12,
        fontstyle="italic",
        color=QUICK_WINS_TEXT_COLOUR,
    )
    axes.axhline(middle, color=GRID_COLOUR, lw=1)
    axes.axvline(middle, color=GRID_COLOUR, lw=1)
    ticks = list(range(SCORE_MIN, SCORE_MAX + 1))
    axes.set_xticks(ticks, labels=[str(tick) for tick in ticks], fontsize=11)
    axes.set_yticks(ticks, labels=[str(tick) for tick in ticks], fontsize=11)
    axes.set_xlabel(_plain(axis_labels.get("cost", "")), fontsize=13)
    axes.set_ylabel(_plain(axis_labels.get("impact", "")), fontsize=13)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _draw_points(axes: Axes, scored: Sequence[ScoredStory]) -> None:
    """One point per (cost, impact) spot, labelled #n for each story on it."""
    # Stories on the same spot get their labels stacked instead of piled up.
    same_spot: dict[tuple[float, float], list[int]] = defaultdict(list)
    for entry in scored:
        if entry.mean_cost is not None and entry.mean_impact is not None:
            same_spot[(entry.mean_cost, entry.mean_impact)].append(entry.story)
    for (cost, impact), stories in same_spot.items():
        axes.scatter([cost], [impact], s=90, color=POINT_COLOUR, zorder=3, edgecolors="white")
        for index, story in enumerate(stories):
            axes.annotate(
                f"#{story}",
                (cost, impact),
                xytext=(8, 4 - 14 * index),
                textcoords="offset points",
                fontsize=12,
                fontweight="bold",
                color=TEXT_COLOUR,
                zorder=4,
            )


def _draw_key(key: Axes, lines: Sequence[str]) -> None:
    """The « #n title » list under the matrix, one story a line."""
    key.axis("off")
    step = 1 / len(lines)
    for index, line in enumerate(lines):
        key.text(0.0, 1 - (index + 0.5) * step, line, va="center", fontsize=11, color=TEXT_COLOUR)


def _title(figure: Figure, title: str, width: int = TITLE_WIDTH) -> None:
    wrapped = "\n".join(textwrap.wrap(_plain(title), width)) or " "
    figure.suptitle(wrapped, x=0.02, ha="left", fontsize=19, fontweight="bold", color=TEXT_COLOUR)


def _story_label(story: int, titles: Mapping[int, str], limit: int = MAX_LABEL) -> str:
    text = shorten(titles.get(story, ""), limit)  # between words, never inside one
    return _plain(f"#{story} {text}".rstrip())


def _plain(text: str) -> str:
    # A « $ » in a user's title would switch matplotlib to math mode.
    return text.replace("$", r"\$")


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    figure.clear()
    return buffer.getvalue()
