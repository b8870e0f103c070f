import struct
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from bot.domain.ballots import ScoreBallot
from bot.domain.tally import RankedStory, ScoreResult, tally_scores
from bot.rendering.charts import dot_vote_chart, impact_cost_matrix

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TITLES = {
    3: "Partager l'agenda des structures",
    7: "En tant que trésorière, je souhaite un outil de compta partagé afin de gagner du temps",
    12: "Budget 50$ pour l'hébergement",
}
AXIS_LABELS = {"impact": "Impact attendu", "cost": "Coût", "quick_wins": "Gains rapides"}
CAST = datetime(2026, 11, 20, tzinfo=UTC)


def png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def scores(*rows: tuple[str, int, int, int]) -> ScoreResult:
    ballots = [
        ScoreBallot(voter, story, impact, cost, CAST, "text", f"${voter}{story}")
        for voter, story, impact, cost in rows
    ]
    return tally_scores(ballots, candidates=[3, 7, 12])


RANKING = [
    RankedStory(story=7, points=9, voters=5, rank=1),
    RankedStory(story=12, points=4, voters=3, rank=2),
    RankedStory(story=3, points=0, voters=0, rank=3),
]


def test_the_dot_vote_chart_stays_readable_as_elements_timeline_thumbnail() -> None:
    # Element draws a picture about 320 px wide in the timeline: a nearly square picture
    # 600 px wide, labels above the bars, keeps the story titles large enough to read
    png = dot_vote_chart(RANKING, TITLES, "Résultats du vote")
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) > 5_000
    width, height = png_size(png)
    assert 560 <= width <= 640
    assert width * 0.5 <= height <= width


def test_the_dot_vote_chart_grows_taller_with_more_stories() -> None:
    many = [RankedStory(story=n, points=20 - n, voters=1, rank=n) for n in range(1, 16)]
    few = dot_vote_chart(RANKING, TITLES, "Vote")
    tall = dot_vote_chart(many, {}, "Vote")
    assert png_size(tall)[1] > png_size(few)[1]


def test_the_dot_vote_chart_draws_an_empty_vote() -> None:
    assert dot_vote_chart([], {}, "").startswith(PNG_SIGNATURE)


def test_the_impact_cost_matrix_is_a_png_about_800_pixels_wide() -> None:
    result = scores(("@a", 7, 5, 1), ("@b", 7, 4, 2), ("@a", 12, 2, 4), ("@a", 3, 4, 2))
    png = impact_cost_matrix(result, TITLES, "Impact / coût", AXIS_LABELS)
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) > 5_000
    assert 760 <= png_size(png)[0] <= 840


def test_the_impact_cost_matrix_draws_a_vote_nobody_scored() -> None:
    png = impact_cost_matrix(scores(), TITLES, "Impact / coût", {})
    assert png.startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("module", ["bot.rendering.charts", "bot.domain.tally"])
def test_importing_does_not_import_matplotlib(module: str) -> None:
    # A fresh interpreter: this test session may already hold matplotlib.
    code = f"import sys, {module}; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_drawing_leaves_no_pyplot_figure_open() -> None:
    dot_vote_chart(RANKING, TITLES, "Vote")
    pyplot = sys.modules.get("matplotlib.pyplot")
    assert pyplot is None or pyplot.get_fignums() == []


def test_a_long_title_is_cut_between_words_in_its_label() -> None:
    from bot.rendering.charts import MAX_LABEL, _story_label

    title = "Voir le planning des collectes sur mon téléphone pour ne plus rater de tournée"
    label = _story_label(12, {12: title})
    assert label.startswith("#12 Voir le planning") and label.endswith("…")
    assert title.startswith(label[4:-1]) and title[len(label) - 5] == " "
    assert len(label) <= len("#12 ") + MAX_LABEL
    assert _story_label(3, {}) == "#3"
