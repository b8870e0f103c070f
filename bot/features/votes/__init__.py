"""Prioritisation votes: ``!vote`` — dot voting or impact/cost scores, Element polls, DM ballots.

Results stay hidden until the close; the status message is edited in place as ballots
arrive. Closing (by command or at the deadline) tallies, posts the ranking, withdraws the
polls and then uploads the picture. By concern: ``casting`` (ballots), ``status``,
``opening``, ``polls``, ``closing`` (and the deadline jobs), ``ranking_lines``, ``picture``,
``story_line``, ``wording``.
"""

from __future__ import annotations

from bot.commands.registry import Command, Subcommand
from bot.features.feature import Feature
from bot.features.votes.casting import vote_default
from bot.features.votes.closing import (
    close_command,
    close_overdue,
    close_vote,
    rebuild_close_jobs,
)
from bot.features.votes.opening import open_command
from bot.features.votes.personal_data import VOTE_DATA, on_ballot_redacted
from bot.features.votes.picture import resend_pending_pictures
from bot.features.votes.polls import (
    offers_point_polls,
    on_poll_response,
    parse_poll_purpose,
    poll_purpose,
)
from bot.features.votes.story_line import story_votes_line

__all__ = [
    "FEATURE",
    "close_vote",
    "offers_point_polls",
    "parse_poll_purpose",
    "poll_purpose",
    "vote_command",
]


def vote_command() -> Command:
    return Command(
        "vote",
        "vote",
        vote_default,
        subcommands=(
            Subcommand("ouvrir", "open", open_command, facilitator_only=True),
            Subcommand("clore", "close", close_command, facilitator_only=True),
        ),
        works_in_direct_chat=True,
    )


FEATURE = Feature(
    "votes",
    commands=(vote_command(),),
    polls=(on_poll_response,),
    on_start=(rebuild_close_jobs,),
    on_first_sync=(close_overdue, resend_pending_pictures),
    story_lines=(story_votes_line,),
    redactions=(on_ballot_redacted,),
    personal_data=(VOTE_DATA,),
)
