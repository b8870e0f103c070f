"""Merging a story into another: who may, what the two become, what is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.domain.stories import Story, StoryRuleError, StoryStatus, propose_story
from bot.domain.story_merge import merge

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def story(number: int, author: str, theme: str) -> Story:
    text = f"En tant que bénévole, je souhaite un agenda partagé afin de m'organiser #{theme}"
    return propose_story(number, "!room", author, text, NOW)


def test_the_newer_story_is_withdrawn_and_the_kept_one_gains_its_themes() -> None:
    done = merge(story(9, "@chloe", "outils"), story(4, "@bruno", "planning"), "@chloe", False)
    assert done.merged.status is StoryStatus.WITHDRAWN
    assert done.kept.themes == ["planning", "outils"]
    assert done.kept.status is StoryStatus.PROPOSED and done.kept.author == "@bruno"


def test_only_the_newer_story_s_author_or_a_facilitator_merges() -> None:
    older, newer = story(4, "@bruno", "a"), story(9, "@chloe", "b")
    with pytest.raises(StoryRuleError) as refused:
        merge(newer, older, "@bruno", False)
    assert refused.value.code == "merge_not_allowed" and refused.value.data["newer"] == 9
    assert merge(newer, older, "@anna", True).merged.number == 9
    assert merge(older, newer, "@chloe", False).merged.number == 4  # the older into the newer


@pytest.mark.parametrize(
    ("source_status", "target_status", "code"),
    [
        (StoryStatus.PROPOSED, StoryStatus.WITHDRAWN, "merge_target_closed"),
        (StoryStatus.PROPOSED, StoryStatus.DONE, "merge_target_closed"),
        (StoryStatus.WITHDRAWN, StoryStatus.PROPOSED, "merge_source_closed"),
        (StoryStatus.SELECTED, StoryStatus.PROPOSED, "merge_selected"),
    ],
)
def test_closed_stories_are_refused(
    source_status: StoryStatus, target_status: StoryStatus, code: str
) -> None:
    source = replace(story(9, "@chloe", "a"), status=source_status)
    target = replace(story(4, "@bruno", "b"), status=target_status)
    with pytest.raises(StoryRuleError) as refused:
        merge(source, target, "@chloe", True)
    assert refused.value.code == code


def test_a_story_is_not_merged_into_itself() -> None:
    same = story(4, "@bruno", "a")
    with pytest.raises(StoryRuleError) as refused:
        merge(same, same, "@bruno", True)
    assert refused.value.code == "merge_itself"
