"""Suggested themes on the evaluation set: a regression floor well below the measured
adjusted Rand index (bench/README.md), readable hashtags, and the grouping's edges."""

from __future__ import annotations

import statistics

from bench.themes_eval import adjusted_rand_index, cluster_circle, load_eval_set
from bot.domain.theme_groups import suggest_groups

DATA = load_eval_set()
MEASURED_MEAN_ARI = 0.46  # bench/themes_eval.py, December 2026


def test_the_groups_agree_with_the_hand_made_themes_well_above_chance() -> None:
    scores = [cluster_circle(circle)[0] for circle in DATA.circles]
    assert statistics.mean(scores) >= MEASURED_MEAN_ARI - 0.15
    assert min(scores) >= 0.15


def test_hashtags_are_readable_words_of_the_post_its() -> None:
    tags = {tag for circle in DATA.circles for tag, _ in cluster_circle(circle)[1]}
    assert {"compta", "adhesion", "subvention", "permanence"} <= tags


def test_each_group_gets_its_own_hashtag() -> None:
    for circle in DATA.circles:
        tags = [tag for tag, _ in cluster_circle(circle)[1]]
        assert len(tags) == len(set(tags))


def test_the_adjusted_rand_index_is_one_for_the_same_grouping_and_near_zero_for_none() -> None:
    assert adjusted_rand_index([1, 1, 2, 2], ["a", "a", "b", "b"]) == 1.0
    assert adjusted_rand_index([1, 1, 2, 2], ["a", "b", "a", "b"]) < 0


def test_fewer_texts_than_groups_gives_no_empty_group_and_no_needless_single() -> None:
    texts = [("a", "la compta en retard"), ("b", "compta sur excel")]
    assert [g.members for g in suggest_groups(texts, 5)] == [("a", "b")]
    apart = [("a", "la compta en retard"), ("b", "la photocopieuse en panne")]
    assert [g.members for g in suggest_groups(apart, 5)] == [("a",), ("b",)]


def test_nothing_to_group_gives_no_group() -> None:
    assert suggest_groups([], 3) == []
