"""Similar stories and suggested themes, measured on the evaluation set (issue 12).

    python -m bench --only themes        # within the benchmark run (summary table)
    python -m bench.themes_eval          # alone, no Synapse needed

The set is ``tests/data/themes_eval.yaml``: post-its of three circles grouped by hand into
themes, pairs of paraphrases (same need) and pairs that merely share words. Printed: the
adjusted Rand index of the suggested groups against the hand-made themes (each circle, then
their mean), the suggested hashtags, precision and recall of « looks like the same need » at
the threshold and around it, the time to compare one story with 500, the extra RSS.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from bench import Figure

EVAL_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "themes_eval.yaml"
# Pairs written blind (by writers who had not seen the scorer), measured once: bench/README.md.
BLIND_SETS = {
    "held_out_4": EVAL_SET.with_name("similar_held_out_4.yaml"),
    "held_out_5": EVAL_SET.with_name("similar_held_out_5.yaml"),
    "held_out_6": EVAL_SET.with_name("similar_held_out_6.yaml"),
}
SEED = 12
TIMING_RUNS = 7


@dataclass(frozen=True)
class EvalCircle:
    name: str
    texts: list[str]
    themes: list[str]  # the hand-made theme of each text

    @property
    def theme_count(self) -> int:
        return len(set(self.themes))


@dataclass(frozen=True)
class EvalSet:
    circles: list[EvalCircle]
    paraphrases: list[tuple[str, str]]
    shared_words: list[tuple[str, str]]
    held_out_paraphrases: list[tuple[str, str]]  # never used to tune: the honest figures
    held_out_shared_words: list[tuple[str, str]]
    held_out_2_paraphrases: list[tuple[str, str]]  # written later, before being measured
    held_out_2_shared_words: list[tuple[str, str]]
    held_out_3_paraphrases: list[tuple[str, str]]  # written before the synonyms it measures
    held_out_3_shared_words: list[tuple[str, str]]
    held_out_4_paraphrases: list[tuple[str, str]]  # written blind, in their own files
    held_out_4_shared_words: list[tuple[str, str]]
    held_out_5_paraphrases: list[tuple[str, str]]
    held_out_5_shared_words: list[tuple[str, str]]
    held_out_6_paraphrases: list[tuple[str, str]]
    held_out_6_shared_words: list[tuple[str, str]]


def load_eval_set(path: Path = EVAL_SET) -> EvalSet:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    for part, blind in BLIND_SETS.items():
        written_blind: dict[str, Any] = yaml.safe_load(blind.read_text(encoding="utf-8"))
        data[f"{part}_paraphrases"] = written_blind["paraphrases"]
        data[f"{part}_shared_words"] = written_blind["shared_words"]
    circles = []
    for circle in data["circles"]:
        pairs = [(theme, text) for theme, texts in circle["themes"].items() for text in texts]
        circles.append(EvalCircle(circle["name"], [t for _, t in pairs], [h for h, _ in pairs]))
    return EvalSet(
        circles,
        *([(a, b) for a, b in data[key]] for key in _PAIR_KEYS),
    )


_PAIR_KEYS = (
    "paraphrases",
    "shared_words",
    "held_out_paraphrases",
    "held_out_shared_words",
    "held_out_2_paraphrases",
    "held_out_2_shared_words",
    "held_out_3_paraphrases",
    "held_out_3_shared_words",
    "held_out_4_paraphrases",
    "held_out_4_shared_words",
    "held_out_5_paraphrases",
    "held_out_5_shared_words",
    "held_out_6_paraphrases",
    "held_out_6_shared_words",
)
# The parts of the pairs, in order.
PARTS = (
    "tuned",
    *(f"held_out_{n}" if n > 1 else "held_out" for n in range(1, 7)),
)


def adjusted_rand_index(truth: list[Any], found: list[Any]) -> float:
    """Hubert and Arabie's adjusted Rand index of two labellings of the same items."""

    def pairs(count: int) -> float:
        return count * (count - 1) / 2

    together = sum(pairs(c) for c in Counter(zip(truth, found, strict=True)).values())
    in_truth = sum(pairs(c) for c in Counter(truth).values())
    in_found = sum(pairs(c) for c in Counter(found).values())
    expected = in_truth * in_found / pairs(len(truth))
    best = (in_truth + in_found) / 2
    return 1.0 if best == expected else (together - expected) / (best - expected)


def cluster_circle(circle: EvalCircle) -> tuple[float, list[tuple[str, int]]]:
    """ARI of the groups suggested with the hand-made number of themes, and the hashtags
    with their sizes (a text left alone counts as its own group)."""
    from bot.domain.theme_groups import suggest_groups

    groups = suggest_groups(list(enumerate(circle.texts)), circle.theme_count)
    found = [0] * len(circle.texts)
    for index, group in enumerate(groups):
        for member in group.members:
            found[member] = index
    return adjusted_rand_index(circle.themes, found), [(g.hashtag, len(g.members)) for g in groups]


def pair_scores(
    data: EvalSet, part: str = "tuned", room: str = "alone"
) -> tuple[list[float], list[float]]:
    """Similarity of each paraphrase pair and each shared-words pair of one part of the set
    (``PARTS``), as the bot scores the second text when the first is open in the room:
    ``room="alone"``, the only open story (a young circle); ``room="circle"``, among the
    post-its of one of the evaluation circles (taken in turn). IDF as the bot takes it: over
    the room's open stories, the new text and the background post-its."""
    from bot.domain.similarity import inverse_frequencies, similarity, text_bag

    circles = [[text_bag(t) for t in circle.texts] for circle in data.circles]

    def score(index: int, a: str, b: str) -> float:
        bag_a, bag_b = text_bag(a), text_bag(b)
        others = circles[index % len(circles)] if room == "circle" else []
        return similarity(bag_b, bag_a, inverse_frequencies([bag_b, bag_a, *others]))

    same, other = pair_sets(data, part)
    return (
        [score(i, a, b) for i, (a, b) in enumerate(same)],
        [score(i, a, b) for i, (a, b) in enumerate(other)],
    )


def pair_sets(
    data: EvalSet, part: str = "tuned"
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The paraphrase pairs and the shared-words pairs of one part of the set (``PARTS``)."""
    prefix = "" if part == "tuned" else f"{part}_"
    return getattr(data, f"{prefix}paraphrases"), getattr(data, f"{prefix}shared_words")


def flags_in_circles(data: EvalSet) -> tuple[int, int]:
    """Each circle's post-its recorded one by one, as in a room: how many get a « looks like
    #N » (none should: each post-it of a circle is another need), out of how many."""
    from bot.domain.similarity import similar_stories, text_bag

    flagged = total = 0
    for circle in data.circles:
        earlier: list[tuple[int, dict[str, float]]] = []
        for index, text in enumerate(circle.texts):
            bag = text_bag(text)
            flagged += bool(similar_stories(bag, earlier))
            total += 1
            earlier.append((index, bag))
    return flagged, total


def precision_recall(
    same: list[float], other: list[float], threshold: float
) -> tuple[float, float]:
    caught = sum(s >= threshold for s in same)
    false_alarms = sum(s >= threshold for s in other)
    precision = caught / (caught + false_alarms) if caught + false_alarms else 1.0
    return precision, caught / len(same)


def time_one_against_500(data: EvalSet) -> float:
    """Median ms to compare a new story with 500 open ones (bags built each time, as the
    bot does: it reads the stories from the database on each recording)."""
    from bot.domain.similarity import parts_bag, similar_stories
    from bot.domain.story_parser import parse_story

    rnd = random.Random(SEED)
    texts = [t for circle in data.circles for t in circle.texts] + [
        t for pair in data.paraphrases + data.shared_words for t in pair
    ]
    stories = [p for t in texts if (p := parse_story(t).parts) is not None]
    words = [w for t in texts for w in t.split()]
    variants = []
    for index in range(500):  # each with a few words of others, so no two bags are alike
        base = stories[index % len(stories)]
        extra = " ".join(rnd.choice(words) for _ in range(3))
        variants.append((index + 1, replace(base, need=f"{base.need} {extra}")))
    new = parse_story(data.paraphrases[0][1]).parts
    assert new is not None
    times = []
    for _ in range(TIMING_RUNS):
        began = time.perf_counter()
        similar_stories(parts_bag(new), [(n, parts_bag(p)) for n, p in variants])
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def extra_rss_kb() -> int:
    """RSS added by importing and running similarity and grouping, in a fresh child that
    has already imported what the bot has anyway (the story parser, YAML, the eval set)."""
    child = (
        "from bench.themes_eval import load_eval_set, cluster_circle, pair_scores, rss_kb\n"
        "import bot.domain.story_parser\n"
        "data = load_eval_set()\n"
        "before = rss_kb()\n"
        "[cluster_circle(c) for c in data.circles]; pair_scores(data)\n"
        "print(rss_kb() - before)\n"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, cwd=root, check=True
    )
    return int(done.stdout.strip().splitlines()[-1])


def rss_kb() -> int:
    """The process's resident set size now (VmRSS), in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# The held-out parts: none was used to tune; the first two had been read before the synonyms
# added on 2026-12-03, the third was written before them (bench/README.md).
_HELD_OUT = {
    "held_out": "held out 1",
    "held_out_2": "held out 2",
    "held_out_3": "held out 3",
    "held_out_4": "held out 4 (blind)",
    "held_out_5": "held out 5 (blind)",
    "held_out_6": "held out 6 (blind)",
}


def similar_figures(data: EvalSet, threshold: float) -> list[Figure]:
    """Per part of the pairs and per room (alone, in a circle): paraphrases caught and
    shared-words pairs flagged at ``threshold``, then the sweep over every part."""
    figures = []
    swept: dict[str, list[tuple[list[float], list[float]]]] = {"alone": [], "circle": []}
    for part in PARTS:
        what = _HELD_OUT.get(part, "tuned")
        for room in ("alone", "circle"):
            same, other = pair_scores(data, part, room)
            swept[room].append((same, other))
            caught = sum(score >= threshold for score in same)
            flagged = sum(score >= threshold for score in other)
            print(
                f"  {what}, {room}: {caught} of {len(same)} paraphrases caught, "
                f"{flagged} of {len(other)} shared-words pairs flagged"
            )
            if room == "alone":  # the summary keeps one room; both are printed above
                figures.append(
                    Figure(
                        "themes",
                        f"similar, {what}: caught, flagged",
                        f"{caught}/{len(same)}, {flagged}/{len(other)}",
                    )
                )
    for room, parts in swept.items():
        same = [score for s, _ in parts for score in s]
        other = [score for _, o in parts for score in o]
        print(f"  sweep over every part ({room}, {len(same)} + {len(other)} pairs):")
        for candidate in (0.40, 0.46, 0.50, 0.55, 0.60, 0.65, 0.70):
            mark = "  <- used" if abs(candidate - threshold) < 1e-9 else ""
            caught = sum(score >= candidate for score in same)
            flagged = sum(score >= candidate for score in other)
            print(f"    {candidate:.2f}: {caught} caught, {flagged} flagged{mark}")
    return figures


def run_themes() -> list[Figure]:
    """Every figure, printed as it goes."""
    from bot.domain.similarity import SIMILAR_THRESHOLD

    data = load_eval_set()
    figures = []
    scores = []
    for circle in data.circles:
        ari, hashtags = cluster_circle(circle)
        scores.append(ari)
        shown = ", ".join(f"#{tag} ({size})" for tag, size in hashtags)
        print(f"  {circle.name}: {len(circle.texts)} post-its, {circle.theme_count} themes")
        print(f"    ARI {ari:.3f}; {shown}")
        figures.append(Figure("themes", f"ARI {circle.name}", ari))
    mean = statistics.mean(scores)
    print(f"  mean ARI {mean:.3f} (chance ≈ 0)")
    figures.append(Figure("themes", "ARI mean of the circles", mean, "", "> 0.33", mean > 0.33))
    figures += similar_figures(data, SIMILAR_THRESHOLD)
    flagged, recorded = flags_in_circles(data)
    print(f"  the circles' post-its recorded one by one: {flagged} of {recorded} flagged")
    figures.append(Figure("themes", "similar: post-its of the circles flagged", flagged))
    took = time_one_against_500(data)
    print(f"  one story against 500: {took:.1f} ms (median of {TIMING_RUNS})")
    figures.append(Figure("themes", "1 story vs 500", took, "ms", "< 1000 ms", took < 1000))
    extra = extra_rss_kb() / 1024
    print(f"  extra RSS (import and run): {extra:.1f} MB")
    figures.append(Figure("themes", "extra RSS", extra, "MB", "< 10 MB", extra < 10))
    return figures


if __name__ == "__main__":
    run_themes()
