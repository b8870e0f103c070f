"""Time the tally of a big vote: 50,000 dot ballots and 50,000 score ballots over 500 stories.

Run: python bench/bench_tally.py   (seeded: the same ballots every run)
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.domain.ballots import DotBallot, ScoreBallot
from bot.domain.tally import DotResult, ScoreResult, tally_dot_votes, tally_scores

SEED = 20261120
BALLOTS = 50_000
STORIES = 500
VOTERS = 20_000  # fewer voters than ballots, so later ballots replace earlier ones
POINTS = 5
START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def dot_ballots(rnd: random.Random, stories: list[int]) -> list[DotBallot]:
    ballots = []
    for index in range(BALLOTS):
        points: dict[int, int] = {}
        for story in rnd.choices(stories, k=rnd.randint(1, POINTS)):
            points[story] = points.get(story, 0) + 1
        ballots.append(
            DotBallot(
                voter=f"@voter{rnd.randrange(VOTERS)}:example.org",
                points=points,
                cast_at=START + timedelta(seconds=rnd.randrange(7 * 86_400)),
                source=rnd.choice(("text", "poll", "dm")),
                event_id=f"$dot{index}",
            )
        )
    return ballots


def score_ballots(rnd: random.Random, stories: list[int]) -> list[ScoreBallot]:
    return [
        ScoreBallot(
            voter=f"@voter{rnd.randrange(VOTERS)}:example.org",
            story=rnd.choice(stories),
            impact=rnd.randint(1, 5),
            cost=rnd.randint(1, 5),
            cast_at=START + timedelta(seconds=rnd.randrange(7 * 86_400)),
            source=rnd.choice(("text", "dm")),
            event_id=f"$score{index}",
        )
        for index in range(BALLOTS)
    ]


def timed(label: str, run: Callable[[], DotResult | ScoreResult]) -> None:
    began = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - began
    print(f"{label:<44} {elapsed * 1000:8.1f} ms   ({result.voter_count} voters)")


def main() -> None:
    rnd = random.Random(SEED)
    stories = list(range(1, STORIES + 1))
    dots = dot_ballots(rnd, stories)
    scores = score_ballots(rnd, stories)
    print(f"{BALLOTS:,} ballots of each kind, {STORIES} stories, {VOTERS:,} possible voters")
    timed("tally_dot_votes", lambda: tally_dot_votes(dots, stories))
    timed("tally_scores", lambda: tally_scores(scores, stories))


if __name__ == "__main__":
    main()
