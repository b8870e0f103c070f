"""« Cette histoire ressemble à #4 »: how close a new story or blocker is to the open stories.

Each text becomes a bag of stemmed words (``postit_terms``) weighted by the part of the story
they come from (the need counts most, the role least), then by how rare the word is among the
circle's stories and a background of 150 typical post-its (IDF; the background makes a young
circle's second story judged as in a circle of fifty); two bags are compared by cosine. A
misspelt word of one bag that the other lacks counts as the other's closest word when their
character trigrams mostly agree (« benevolles » and « benevoles »). The threshold was chosen
on the evaluation set (``tests/data/themes_eval.yaml`` and the held-out sets beside it,
figures in ``bench/README.md``): it favours a right flag over a caught paraphrase.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from bot.domain.postit_terms import terms, trigrams
from bot.domain.story_parser import StoryDraft, StoryParts, parse_story

SIMILAR_THRESHOLD: Final = 0.60  # measured: see bench/README.md « Similar stories »
# 150 post-its of many kinds of associations, written apart from the evaluation sets: how
# common a word is in what circles write, before a circle has written much.
BACKGROUND_FILE: Final = Path(__file__).with_name("postit_background.txt")
MAX_SHOWN: Final = 2  # at most this many similar stories named in one reply
PART_WEIGHTS: Final = {"role": 0.2, "need": 1.0, "benefit": 0.5}
LEADING_VERB_WEIGHT: Final = 0.5
_MISSPELLING_OVERLAP: Final = 0.6  # trigram Jaccard above which two words are one
_MISSPELLING_MIN_CHARS: Final = 5

Bag = dict[str, float]  # stem → weight in one text


@dataclass(frozen=True)
class Similar:
    """An open story that looks like the same need, with its score (0 to 1)."""

    number: int
    score: float


def parts_bag(parts: StoryParts | StoryDraft) -> Bag:
    """The weighted words of a story's parts (a missing part adds nothing)."""
    bag: defaultdict[str, float] = defaultdict(float)
    for name, weight in PART_WEIGHTS.items():
        for index, term in enumerate(terms(getattr(parts, name) or "")):
            # The need starts with its verb (« voir », « envoyer »): its object says more.
            first_verb = name == "need" and index == 0
            bag[term.stem] += weight * (LEADING_VERB_WEIGHT if first_verb else 1.0)
    return dict(bag)


def text_bag(text: str) -> Bag:
    """The weighted words of a free text: a story's parts if it reads as one (even without its
    benefit), else every word counted as need (a blocker says what is missing)."""
    draft = parse_story(text).draft
    if draft.need:
        return parts_bag(draft)
    counted: Counter[str] = Counter(term.stem for term in terms(text))
    return {stem: float(n) for stem, n in counted.items()}


def inverse_frequencies(bags: Iterable[Bag], background: bool = True) -> dict[str, float]:
    """Smoothed IDF of every stem over ``bags``, and the background post-its unless told
    not to: ``log((n + 1) / (df + 1)) + 1``."""
    counted = list(bags)
    background_df, background_size = _background() if background else (Counter[str](), 0)
    frequency: Counter[str] = Counter(stem for bag in counted for stem in bag)
    n = len(counted) + background_size
    return {
        stem: math.log((n + 1) / (df + background_df[stem] + 1)) + 1
        for stem, df in frequency.items()
    }


@lru_cache(maxsize=1)
def _background() -> tuple[Counter[str], int]:
    """Document frequency of each stem over the background post-its, and their number."""
    lines = [line for line in BACKGROUND_FILE.read_text(encoding="utf-8").splitlines() if line]
    return Counter(stem for line in lines for stem in text_bag(line)), len(lines)


def similarity(a: Bag, b: Bag, idf: dict[str, float]) -> float:
    """Cosine of the two bags weighted by ``idf`` (an unknown stem weighs 1), misspellings
    of ``a`` matched to ``b``'s words."""
    a = _matched_to(a, b)
    weight = idf.get
    dot = sum(w * b[s] * weight(s, 1.0) ** 2 for s, w in a.items() if s in b)
    if dot == 0:
        return 0.0
    norm_a = math.sqrt(sum((w * weight(s, 1.0)) ** 2 for s, w in a.items()))
    norm_b = math.sqrt(sum((w * weight(s, 1.0)) ** 2 for s, w in b.items()))
    return dot / (norm_a * norm_b)


def _matched_to(a: Bag, b: Bag) -> Bag:
    """``a`` with each long stem that ``b`` lacks renamed to ``b``'s closest spelling."""
    missing = [s for s in a if s not in b and len(s) >= _MISSPELLING_MIN_CHARS]
    if not missing:
        return a
    candidates = [s for s in b if s not in a and len(s) >= _MISSPELLING_MIN_CHARS]
    renamed = dict(a)
    for stem in missing:
        best = _closest(stem, candidates)
        if best is not None:
            renamed[best] = renamed.get(best, 0.0) + renamed.pop(stem)
    return renamed


def _closest(stem: str, candidates: Sequence[str]) -> str | None:
    grams = trigrams(stem)
    best, best_overlap = None, _MISSPELLING_OVERLAP
    for other in candidates:
        theirs = trigrams(other)
        overlap = len(grams & theirs) / len(grams | theirs)
        if overlap >= best_overlap:
            best, best_overlap = other, overlap
    return best


def similar_stories(
    new: Bag,
    open_stories: Sequence[tuple[int, Bag]],
    threshold: float = SIMILAR_THRESHOLD,
) -> list[Similar]:
    """The open stories that look like the same need as ``new``, closest first (at most
    ``MAX_SHOWN``); IDF is taken over the open stories and the new text."""
    idf = inverse_frequencies([new, *(bag for _, bag in open_stories)])
    found = [
        Similar(number, round(score, 3))
        for number, bag in open_stories
        if (score := similarity(new, bag, idf)) >= threshold
    ]
    found.sort(key=lambda s: (-s.score, s.number))
    return found[:MAX_SHOWN]
