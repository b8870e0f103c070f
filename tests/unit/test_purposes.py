"""Outbox purposes: written as text, read back the same, and every stored shape still read."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.store.purposes import ProposalPurpose, Purpose, PurposeKind

ROOMS = ("!room:ex.org", "!room", "!abc:matrix.example.org:8448")


@pytest.mark.parametrize("room", ROOMS)
@pytest.mark.parametrize("kind", list(PurposeKind))
def test_every_kind_reads_back_with_any_room_id(kind: PurposeKind, room: str) -> None:
    purpose = Purpose(kind, 12, room)
    assert Purpose.parse(purpose.text()) == purpose


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vote-status:4:!room:ex.org", Purpose(PurposeKind.VOTE_STATUS, 4, "!room:ex.org")),
        ("vote-results:4:!room", Purpose(PurposeKind.VOTE_RESULTS, 4, "!room")),
        ("vote-poll:5:!room:ex.org", Purpose(PurposeKind.VOTE_POLL, 5, "!room:ex.org")),
        ("vote-poll-2:5:!room:ex.org", Purpose(PurposeKind.VOTE_POLL, 5, "!room:ex.org", 2)),
        ("vote-poll-0:5:!room", Purpose(PurposeKind.VOTE_POLL, 5, "!room")),
        ("checkin:1:!room:ex.org", Purpose(PurposeKind.CHECKIN, 1, "!room:ex.org")),
        ("checkin-reminder:1:!room", Purpose(PurposeKind.CHECKIN_REMINDER, 1, "!room")),
        ("checkin-recap:3:!room:ex.org", Purpose(PurposeKind.CHECKIN_RECAP, 3, "!room:ex.org")),
        ("sprint-summary:2:!room:ex.org", Purpose(PurposeKind.SPRINT_SUMMARY, 2, "!room:ex.org")),
        ("sprint-retro:2:!room:ex.org", Purpose(PurposeKind.SPRINT_RETRO, 2, "!room:ex.org")),
    ],
)
def test_the_strings_already_stored_read_as_before(text: str, expected: Purpose) -> None:
    assert Purpose.parse(text) == expected


def test_a_point_poll_is_written_with_its_point_and_the_old_poll_without() -> None:
    assert Purpose(PurposeKind.VOTE_POLL, 5, "!r:ex.org", 2).text() == "vote-poll-2:5:!r:ex.org"
    assert Purpose(PurposeKind.VOTE_POLL, 5, "!r:ex.org").text() == "vote-poll:5:!r:ex.org"


def test_a_pending_edit_names_the_message_it_edits() -> None:
    purpose = Purpose(PurposeKind.VOTE_STATUS, 4, "!r:ex.org")
    assert purpose.edit_text() == "edit:vote-status:4:!r:ex.org"
    assert Purpose.parse(purpose.edit_text()) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "status",
        "vote-status",
        "vote-status:4",
        "vote-status:4:",
        "vote-status:x:!room",
        "vote-poll-x:2:!room",
        "vote-poll-:2:!room",
        "vote-status:²:!room",
        "vote-poll-²:2:!room",
        "unknown:2:!room",
        "story-proposal:$event",
        "edit:vote-status:4:!room",
    ],
)
def test_other_shapes_are_no_numbered_purpose(text: str) -> None:
    assert Purpose.parse(text) is None


@given(
    kind=st.sampled_from(list(PurposeKind)),
    number=st.integers(min_value=0, max_value=10**6),
    room=st.text(min_size=1).map(lambda s: "!" + s),
    point=st.integers(min_value=0, max_value=50),
)
def test_any_purpose_reads_back(kind: PurposeKind, number: int, room: str, point: int) -> None:
    purpose = Purpose(kind, number, room, point if kind is PurposeKind.VOTE_POLL else 0)
    assert Purpose.parse(purpose.text()) == purpose


def test_a_story_proposal_names_the_message_it_answers() -> None:
    purpose = ProposalPurpose("$abc:ex.org")
    assert purpose.text() == "story-proposal:$abc:ex.org"
    assert ProposalPurpose.parse(purpose.text()) == purpose
    assert ProposalPurpose.parse("story-proposal:") is None
    assert ProposalPurpose.parse("checkin:1:!room") is None
