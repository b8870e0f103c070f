"""Result pictures are drawn in a short-lived child process.

matplotlib costs the process that imports it about 40 MB that it never gives
back; drawing in a child keeps the long-running bot small (one process serves
many circles). ``python -m bot.rendering.drawing_process`` reads a JSON job on
standard input and writes the PNG on standard output.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from bot.domain.tally import DotResult, RankedStory, ScoredStory, ScoreResult

DRAW_TIMEOUT_S = 120


class DrawingFailed(Exception):
    """The child process could not draw the picture."""


async def draw_dot_chart(result: DotResult, titles: Mapping[int, str], title: str) -> bytes:
    job = {"kind": "dots", "ranking": [asdict(r) for r in result.ranking], "title": title}
    return await _draw({**job, "titles": {str(k): v for k, v in titles.items()}})


async def draw_score_matrix(
    result: ScoreResult, titles: Mapping[int, str], title: str, labels: Mapping[str, str]
) -> bytes:
    job = {
        "kind": "scores",
        "ranking": [asdict(r) for r in result.ranking],
        "voters": list(result.voters),
        "title": title,
        "labels": dict(labels),
    }
    return await _draw({**job, "titles": {str(k): v for k, v in titles.items()}})


async def draw_attendance_grid(
    grid: Mapping[str, Mapping[str, int]],
    months: list[str],
    month_labels: Mapping[str, str],
    title: str,
) -> bytes:
    """The rendez-vous attendance picture: structures × months."""
    job = {"kind": "attendance", "grid": {k: dict(v) for k, v in grid.items()}, "months": months}
    return await _draw({**job, "month_labels": dict(month_labels), "title": title})


async def _draw(job: dict[str, Any]) -> bytes:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.rendering.drawing_process",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(
            process.communicate(json.dumps(job).encode()), DRAW_TIMEOUT_S
        )
    except TimeoutError:
        process.kill()
        raise DrawingFailed("drawing took too long") from None
    if process.returncode != 0 or not out.startswith(b"\x89PNG"):
        raise DrawingFailed(err.decode(errors="replace")[-500:])
    return out


def _run(job: dict[str, Any]) -> bytes:
    from bot.rendering import charts

    if job["kind"] == "attendance":
        from bot.rendering.attendance_chart import attendance_grid_chart

        return attendance_grid_chart(job["grid"], job["months"], job["month_labels"], job["title"])

    titles = {int(k): v for k, v in job["titles"].items()}
    if job["kind"] == "dots":
        ranking = [RankedStory(**r) for r in job["ranking"]]
        return charts.dot_vote_chart(ranking, titles, job["title"])
    result = ScoreResult([ScoredStory(**r) for r in job["ranking"]], tuple(job["voters"]))
    return charts.impact_cost_matrix(result, titles, job["title"], job["labels"])


if __name__ == "__main__":
    sys.stdout.buffer.write(_run(json.loads(sys.stdin.buffer.read())))
