"""Suggested themes (« patates thématiques »): untagged post-its put into a fixed number of
groups, each with a hashtag to suggest.

Stemmed TF-IDF vectors (``postit_terms``, story parts weighted as in ``similarity``),
cosine similarity, average-linkage agglomerative clustering down to the number of groups
asked (choosing that number automatically did worse than any fixed choice: issue 12). Plain
Python: a circle has tens of untagged post-its, not thousands, so no numpy in the bot.
A group is a draft the facilitator adjusts, never a verdict.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

from bot.domain.postit_terms import terms
from bot.domain.similarity import Bag, inverse_frequencies, text_bag

MAX_GROUPS: Final = 9
NOT_A_THEME: Final = frozenset({"voir", "envoyer", "recevoir", "veut", "faut", "depuis"})
JOIN_SIMILARITY: Final = 0.15  # a text alone joins the closest group above this
LONER_SIMILARITY: Final = 0.1  # a text closer than this to none is placed after the others
Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class ThemeGroup(Generic[Key]):
    """A suggested group: its hashtag (without '#') and its members, in the order given."""

    hashtag: str
    members: tuple[Key, ...]


def suggest_groups(items: Sequence[tuple[Key, str]], groups: int) -> list[ThemeGroup[Key]]:
    """``items`` (a key and a text) in at most ``groups`` groups, largest first, each named.

    Fewer groups come back when there are fewer texts than groups; a text sharing no word
    with any other stays alone in its group.
    """
    if not items:
        return []
    bags = [text_bag(text) for _, text in items]
    vectors = _tf_idf(bags)
    clusters = _cluster(vectors, groups)
    clusters.sort(key=lambda c: (-len(c), min(c)))
    words = [_spellings(text) for _, text in items]
    used: set[str] = set()
    found: list[ThemeGroup[Key]] = []
    for cluster in clusters:
        hashtag = _hashtag([vectors[i] for i in cluster], [words[i] for i in cluster], used)
        used.add(hashtag)
        found.append(ThemeGroup(hashtag, tuple(items[i][0] for i in sorted(cluster))))
    return found


def _cluster(vectors: list[Bag], groups: int) -> list[list[int]]:
    """Average linkage over the texts that have a close neighbour, then the loners join the
    group they are closest to (alone if they share no word with any)."""
    near = [i for i, vector in enumerate(vectors) if _has_neighbour(i, vector, vectors)]
    if len(near) < 2:
        near = list(range(len(vectors)))
    merged = average_linkage([vectors[i] for i in near], max(1, min(groups, len(near))))
    clusters = [[near[i] for i in cluster] for cluster in merged]
    clusters = _join_singletons(vectors, refine(vectors, clusters))
    placed = {i for cluster in clusters for i in cluster}
    return clusters + [[i] for i in range(len(vectors)) if i not in placed]


def _join_singletons(vectors: list[Bag], clusters: list[list[int]]) -> list[list[int]]:
    """A text left alone joins the group whose centroid it is closest to, if close enough: a
    group of one is no theme (the count asked is a ceiling, as the groups are a draft)."""
    for single in [c for c in clusters if len(c) == 1]:
        if len(single) > 1 or len(clusters) == 1:  # another text joined it meanwhile
            continue
        others = [c for c in clusters if c is not single]
        scores = [_cosine(vectors[single[0]], _centroid([vectors[i] for i in c])) for c in others]
        best = max(range(len(others)), key=lambda k: scores[k])
        if scores[best] >= JOIN_SIMILARITY:
            others[best].append(single[0])
            clusters = [c for c in clusters if c is not single]
    return clusters


def _has_neighbour(index: int, vector: Bag, vectors: list[Bag]) -> bool:
    return any(
        _cosine(vector, other) >= LONER_SIMILARITY for j, other in enumerate(vectors) if j != index
    )


def _tf_idf(bags: list[Bag]) -> list[Bag]:
    # The circle's own words decide its themes (a background made them blurrier: mean ARI
    # 0.46 without, 0.39 with, bench/README.md).
    idf = inverse_frequencies(bags, background=False)
    vectors = []
    for bag in bags:
        weighted = {stem: w * idf[stem] for stem, w in bag.items()}
        norm = math.sqrt(sum(w * w for w in weighted.values())) or 1.0
        vectors.append({stem: w / norm for stem, w in weighted.items()})
    return vectors


def _cosine(a: Bag, b: Bag) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum(w * b[s] for s, w in a.items() if s in b)


def average_linkage(vectors: list[Bag], groups: int) -> list[list[int]]:
    """Indexes of ``vectors`` merged, closest average similarity first, into ``groups``."""
    clusters: dict[int, list[int]] = {i: [i] for i in range(len(vectors))}
    sims: dict[tuple[int, int], float] = {
        (i, j): _cosine(vectors[i], vectors[j])
        for i in range(len(vectors))
        for j in range(i + 1, len(vectors))
    }
    while len(clusters) > groups:
        (i, j), _ = max(sims.items(), key=lambda pair: (pair[1], -pair[0][0], -pair[0][1]))
        size_i, size_j = len(clusters[i]), len(clusters[j])
        clusters[i].extend(clusters.pop(j))
        for m in clusters:
            if m == i:
                continue
            merged = (size_i * sims[_pair(i, m)] + size_j * sims[_pair(j, m)]) / (size_i + size_j)
            sims[_pair(i, m)] = merged
        for key in [key for key in sims if j in key]:
            del sims[key]
    return list(clusters.values())


def refine(vectors: list[Bag], clusters: list[list[int]], rounds: int = 10) -> list[list[int]]:
    """Every text (grouped or not) moved to the group whose centroid it is closest to, until
    nothing moves; a text sharing no word with any group is left out."""
    for _ in range(rounds):
        centroids = [_centroid([vectors[i] for i in cluster]) for cluster in clusters]
        moved: list[list[int]] = [[] for _ in clusters]
        for index, vector in enumerate(vectors):
            scores = [_cosine(vector, centroid) for centroid in centroids]
            best = max(range(len(clusters)), key=lambda c: (scores[c], index in clusters[c]))
            if scores[best] > 0:
                moved[best].append(index)
        moved = [cluster for cluster in moved if cluster]
        if moved == clusters:
            break
        clusters = moved
    return clusters


def _centroid(vectors: list[Bag]) -> Bag:
    total: defaultdict[str, float] = defaultdict(float)
    for vector in vectors:
        for stem, w in vector.items():
            total[stem] += w
    norm = math.sqrt(sum(w * w for w in total.values())) or 1.0
    return {stem: w / norm for stem, w in total.items()}


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _spellings(text: str) -> dict[str, Counter[str]]:
    """Each stem of ``text`` with the words that gave it (folded, synonyms applied)."""
    found: dict[str, Counter[str]] = {}
    for term in terms(text):
        found.setdefault(term.stem, Counter())[term.word] += 1
    return found


def _hashtag(vectors: list[Bag], spellings: list[dict[str, Counter[str]]], used: set[str]) -> str:
    """The group's most representative stem (weight summed over its members, more members
    first), as the word most often written for it; one not given to another group."""
    weight: defaultdict[str, float] = defaultdict(float)
    members: Counter[str] = Counter()
    for vector in vectors:
        for stem, w in vector.items():
            weight[stem] += w
            members[stem] += 1
    ranked = sorted(weight, key=lambda s: (-members[s], -weight[s], s))
    for stem in ranked:
        written: Counter[str] = Counter()
        for spelled in spellings:
            written.update(spelled.get(stem, Counter()))
        word = _readable(written)
        if word and word not in used and word not in NOT_A_THEME:
            return word
    return f"theme{len(used) + 1}"


def _readable(written: Counter[str]) -> str:
    """The most written word (the shortest on a tie, as « benevoles » before « benevolat »)."""
    if not written:
        return ""
    best = min(written, key=lambda w: (-written[w], len(w), w))
    return best.replace("motdepasse", "mots-de-passe")
