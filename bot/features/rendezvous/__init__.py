"""The monthly rendez-vous: ``!rdv`` — find a date every structure can make, meet, count who
came.

By concern: ``proposing`` (slots and one poll per slot), ``answering`` (text and poll
answers), ``status`` (coverage per structure, the recommended slot), ``choosing`` (the
announcement, the agenda, the .ics, ``lien``), ``agenda``, ``links``, ``reminders`` (the
day before, one hour before, « ça commence »; jobs rebuilt at start), ``attendance``,
``history`` (attendance per structure over months), ``rhythm`` (the circle's monthly rule),
``people``, ``keys``, ``wording``.
"""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.commands.registry import Command, CommandRefused, Subcommand
from bot.features.feature import Feature
from bot.features.rendezvous.answering import answer_command, on_poll_response
from bot.features.rendezvous.attendance import (
    on_start_reaction,
    present_command,
    presents_command,
)
from bot.features.rendezvous.choosing import choose_command, link_command
from bot.features.rendezvous.personal_data import RENDEZVOUS_DATA, on_answer_redacted
from bot.features.rendezvous.proposing import propose_command
from bot.features.rendezvous.reminders import rebuild_rendezvous_jobs
from bot.features.rendezvous.rhythm import rebuild_rule_jobs, schedule_rule
from bot.features.rendezvous.status import status_text
from bot.features.rendezvous.wording import when_text
from bot.store import rendezvous as store

__all__ = ["FEATURE", "rendezvous_command"]


async def rdv_default(ctx: CommandContext, args: str) -> None:
    """``!rdv``: the open poll's coverage, or the next date; ``!rdv 1 oui 2 non``: answers."""
    if args.strip():
        await answer_command(ctx, args)
        return
    row = await store.open_poll(ctx.db, ctx.circle_id)
    if row is not None:
        await ctx.reply_text(await status_text(ctx, row))
        return
    chosen = await store.latest_chosen(ctx.db, ctx.circle_id)
    if chosen is None or chosen.starts_at is None or chosen.ends_at is None:
        raise CommandRefused("rdv.none")
    key = "rdv.next" if chosen.ends_at > ctx.now else "rdv.last"
    await ctx.reply(key, number=chosen.number, when=when_text(ctx, chosen.starts_at))


def rendezvous_command() -> Command:
    return Command(
        "rdv",
        "meeting",
        rdv_default,
        subcommands=(
            Subcommand("proposer", "propose", propose_command, facilitator_only=True),
            Subcommand("choisir", "choose", choose_command, facilitator_only=True),
            Subcommand("lien", "link", link_command, facilitator_only=True),
            Subcommand("presents", "attendees", presents_command, facilitator_only=True),
            Subcommand("present", "here", present_command),
        ),
    )


FEATURE = Feature(
    "rendezvous",
    commands=(rendezvous_command(),),
    polls=(on_poll_response,),
    reactions=(on_start_reaction,),
    on_start=(rebuild_rendezvous_jobs, rebuild_rule_jobs),
    on_circle_joined=(schedule_rule,),
    redactions=(on_answer_redacted,),
    personal_data=(RENDEZVOUS_DATA,),
)
