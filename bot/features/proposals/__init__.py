"""Proposals decided by consent: ``!proposition`` and the register ``!decisions``.

Any member opens a proposal; members answer d'accord, abstention, objection (with a reason)
or, where the circle allows it, blocage, in an Element poll or by text. The status is edited
in place; an amendment opens a new round; at the deadline or on ``!proposition clore N`` the
outcome is posted and adopted proposals join the register. By concern: ``opening``,
``answering`` (text answers, reasons given in a thread), ``polls``, ``status``, ``amending``,
``closing`` (and the deadline jobs), ``showing``, ``register``, ``deadline``, ``wording``,
``purposes``.
"""

from __future__ import annotations

from bot.commands.registry import Command, Subcommand
from bot.features.feature import ChatOrder, Feature, Hooked
from bot.features.proposals.amending import amend_command
from bot.features.proposals.answering import on_reason
from bot.features.proposals.closing import close_command, close_overdue, rebuild_close_jobs
from bot.features.proposals.personal_data import (
    ANSWER_DATA,
    PROPOSAL_DATA,
    on_proposal_redacted,
)
from bot.features.proposals.polls import on_poll_response
from bot.features.proposals.register import (
    decisions_command,
    decisions_lines,
    decisions_of_month,
    story_decisions_line,
)
from bot.features.proposals.showing import proposal_default

__all__ = ["FEATURE", "decisions_lines", "decisions_of_month"]


def proposal_command() -> Command:
    return Command(
        "proposition",
        "proposal",
        proposal_default,
        subcommands=(
            Subcommand("modifier", "amend", amend_command),
            Subcommand("clore", "close", close_command),
            Subcommand("décisions", "decisions", decisions_command),
        ),
        shortcuts=(("décisions", "décisions"),),  # !décisions = !proposition décisions
    )


FEATURE = Feature(
    "proposals",
    commands=(proposal_command(),),
    chat=(Hooked(ChatOrder.PROPOSAL_REASON, on_reason),),
    polls=(on_poll_response,),
    on_start=(rebuild_close_jobs,),
    on_first_sync=(close_overdue,),
    story_lines=(story_decisions_line,),
    redactions=(on_proposal_redacted,),
    personal_data=(PROPOSAL_DATA, ANSWER_DATA),
)
