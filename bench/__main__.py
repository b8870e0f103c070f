"""``python -m bench``: every benchmark, one after the other, then a summary table.

    python -m bench                      # latency, burst, memory, tally, themes
    python -m bench --only latency --samples 30
    python -m bench --only memory --only tally
    python -m bench scale --circles 10,100,1000   # bench/scale.py: one bot in many circles

A throwaway Synapse is started in a temporary folder (``SYNAPSE_PYTHON`` names the interpreter
that has Synapse, as for the tests). The summary is also written to bench/results/latest.json.
Exit status: 0 when every benchmark ran (targets met or not, the table says), 1 if one failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import RESULTS_DIR, Figure, Rig, percentile
from bot.testing.homeserver import LocalHomeserver, synapse_python

BENCHMARKS = ("latency", "burst", "memory", "tally", "themes")
TALLY_REPEATS = 5


def machine_facts() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = "?"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gb = 0.0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_gb = int(line.split()[1]) / 1024 / 1024
    synapse = subprocess.run(
        [str(synapse_python()), "-c", "import synapse; print(synapse.__version__)"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": cpu,
        "memory_gb": round(memory_gb, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "synapse": synapse or "?",
        "matrix_nio": metadata.version("matrix-nio"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def run_tally() -> list[Figure]:
    """bench/bench_tally.py's seeded ballots, each tally timed ``TALLY_REPEATS`` times."""
    from bench import bench_tally as tally

    rnd = random.Random(tally.SEED)
    stories = list(range(1, tally.STORIES + 1))
    dots = tally.dot_ballots(rnd, stories)
    scores = tally.score_ballots(rnd, stories)
    print(
        f"  {tally.BALLOTS:,} ballots of each kind, {tally.STORIES} stories, "
        f"{tally.VOTERS:,} possible voters; best and median of {TALLY_REPEATS} runs"
    )
    runs: list[tuple[str, Callable[[], Any]]] = [
        ("tally_dot_votes", lambda: tally.tally_dot_votes(dots, stories)),
        ("tally_scores", lambda: tally.tally_scores(scores, stories)),
    ]
    figures = []
    for name, tally_once in runs:
        times = []
        for _ in range(TALLY_REPEATS):
            began = time.perf_counter()
            result = tally_once()
            times.append((time.perf_counter() - began) * 1000)
        best, median = min(times), percentile(times, 50)
        print(
            f"  {name:<16} best {best:7.1f} ms   median {median:7.1f} ms   "
            f"({result.voter_count:,} voters)"
        )
        figures += [
            Figure("tally", f"{name} 50,000 ballots, median", median, "ms"),
            Figure("tally", f"{name} 50,000 ballots, best", best, "ms"),
        ]
    return figures


async def run_on_synapse(name: str, workdir: Path, args: argparse.Namespace) -> list[Figure]:
    from bench import burst, latency, memory

    homeserver = LocalHomeserver(workdir / "synapse")
    homeserver.start()
    rig = Rig(homeserver, workdir)
    try:
        if name == "latency":
            return await latency.run(rig, args.samples)
        if name == "burst":
            return await burst.run(rig, args.burst_variant)
        return await memory.run(rig, args.circles)
    finally:
        await rig.close()
        homeserver.stop()


def print_summary(figures: list[Figure], errors: dict[str, str]) -> None:
    rows = [("benchmark", "figure", "value", "target", "met")]
    for f in figures:
        met = "" if f.met is None else ("yes" if f.met else "NO")
        rows.append((f.benchmark, f.name, f.shown_value(), f.target, met))
    for name, error in errors.items():
        rows.append((name, "FAILED", error[:60], "", "NO"))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    rule = "-+-".join("-" * w for w in widths)
    print("\n== Summary ==")
    for index, row in enumerate(rows):
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            print(rule)


def write_results(
    facts: dict[str, Any], args: argparse.Namespace, figures: list[Figure], errors: dict[str, str]
) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / "latest.json"
    document = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": facts,
        "samples": args.samples,
        "circles": args.circles,
        "benchmarks": args.only,
        "figures": [_json_ready(f.__dict__) for f in figures],
        "errors": errors,
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return path


def _json_ready(row: dict[str, Any]) -> dict[str, Any]:
    """NaN (a figure that could not be measured) is not JSON: it becomes null."""
    return {
        key: None if isinstance(value, float) and math.isnan(value) else value
        for key, value in row.items()
    }


def main() -> int:
    if sys.argv[1:2] == ["scale"]:  # python -m bench scale --circles 10,100,1000
        from bench import scale

        sys.argv = [f"{sys.argv[0]} scale", *sys.argv[2:]]
        return scale.main()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", action="append", choices=BENCHMARKS, help="run only this one (repeatable)"
    )
    parser.add_argument("--samples", type=int, default=60, help="latency samples per bot/command")
    parser.add_argument("--circles", type=int, default=100, help="circles for the memory run")
    parser.add_argument(
        "--burst-variant",
        choices=("auto", "votes", "stories"),
        default="auto",
        help="ballots if the bot knows !vote (auto), or force one",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    args = parser.parse_args()
    args.only = [b for b in BENCHMARKS if b in (args.only or BENCHMARKS)]
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("nio").setLevel(logging.ERROR)

    facts = machine_facts()
    print("== Machine ==")
    for key, value in facts.items():
        print(f"  {key:<22} {value}")
    workdir = Path(tempfile.mkdtemp(prefix="cercle-bench-"))
    figures: list[Figure] = []
    errors: dict[str, str] = {}
    for name in args.only:
        print(f"\n== {name} ==")
        began = time.monotonic()
        try:
            if name == "tally":
                figures += run_tally()
            elif name == "themes":
                from bench.themes_eval import run_themes

                figures += run_themes()
            else:
                figures += asyncio.run(run_on_synapse(name, workdir / name, args))
        except Exception as exc:
            print(traceback.format_exc())
            first_line = (str(exc).strip().splitlines() or [""])[0]
            errors[name] = f"{type(exc).__name__}: {first_line}"
        print(f"  ({name}: {time.monotonic() - began:.0f} s)")
    facts["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(f"\nload average at the end: {facts['load_average_at_end']}")
    print_summary(figures, errors)
    path = write_results(facts, args, figures, errors)
    print(f"\nwritten to {path}")
    if errors or args.keep:
        print(f"logs kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
