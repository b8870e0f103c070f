"""Pictures are drawn in a child process, so the bot never loads matplotlib itself."""

from __future__ import annotations

from bot.domain.tally import DotResult, RankedStory, ScoredStory, ScoreResult
from bot.rendering.drawing_process import draw_dot_chart, draw_score_matrix


async def test_a_dot_chart_is_drawn_in_a_child_process() -> None:
    result = DotResult([RankedStory(3, 4, 2, 1), RankedStory(1, 2, 2, 2)], ("@a:x", "@b:x"))
    png = await draw_dot_chart(result, {3: "Un agenda partagé", 1: "Un dossier"}, "Vote #1")
    assert png.startswith(b"\x89PNG") and len(png) > 5000


async def test_an_impact_cost_matrix_is_drawn_in_a_child_process() -> None:
    result = ScoreResult(
        [ScoredStory(2, 3.5, 1.0, 3.5, 2, 1), ScoredStory(5, None, None, None, 0, None)], ("@a:x",)
    )
    labels = {"impact": "Impact", "cost": "Coût", "quick_wins": "Gains rapides"}
    png = await draw_score_matrix(result, {2: "Export", 5: "Compost"}, "Vote #2", labels)
    assert png.startswith(b"\x89PNG") and len(png) > 5000
