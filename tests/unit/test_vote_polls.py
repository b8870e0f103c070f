"""What the vote feature writes into the outbox's purposes for its polls, and reads back."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.features.votes import offers_point_polls, parse_poll_purpose, poll_purpose
from bot.store.votes import VoteRow


def _vote(points: int = 3, candidates: int = 4, kind: str = "dots") -> VoteRow:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    return VoteRow(
        "!room:ex.org", 2, kind, points, list(range(1, candidates + 1)), "@a:ex.org", now, now,
        "open", None, None, None,
    )  # fmt: skip


def test_a_point_poll_purpose_reads_back_its_point_vote_and_circle() -> None:
    vote = _vote()
    assert parse_poll_purpose(poll_purpose(vote, 3)) == (3, 2, "!room:ex.org")


def test_an_old_multi_choice_poll_reads_back_as_point_zero() -> None:
    assert parse_poll_purpose(poll_purpose(_vote())) == (0, 2, "!room:ex.org")


def test_other_purposes_are_not_polls() -> None:
    assert parse_poll_purpose("vote-status:2:!room:ex.org") is None
    assert parse_poll_purpose("vote-poll-x:2:!room") is None
    assert parse_poll_purpose("") is None


def test_point_polls_only_where_element_can_show_them() -> None:
    assert offers_point_polls(_vote(points=3, candidates=20))
    assert not offers_point_polls(_vote(points=3, candidates=21))  # Element: 20 answers at most
    assert not offers_point_polls(_vote(points=6))  # six polls would fill the phone
    assert not offers_point_polls(_vote(kind="scores"))
