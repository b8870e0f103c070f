"""``!rdv proposer <créneaux>``: the slots, a status message, and one Element poll per slot.

Element Web shows every poll as single choice, so each slot gets its own small poll with the
answers Oui / Si besoin / Non; a text answer (``!rdv 1 oui 2 non``) does the same.
"""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date

from bot.commands.context import CommandContext
from bot.commands.registry import CommandRefused, UsageError
from bot.domain.dates import format_day_month
from bot.domain.rendezvous import MAX_SLOTS, Answer, SlotError, parse_slots
from bot.features.rendezvous.keys import poll_purpose, status_purpose
from bot.features.rendezvous.status import status_text
from bot.features.rendezvous.wording import when_text
from bot.matrix.messages import POLL_START
from bot.store import rendezvous as store
from bot.store.rendezvous import RendezvousRow

ANSWER_IDS = (Answer.YES, Answer.IF_NEEDED, Answer.NO)


async def propose_command(ctx: CommandContext, args: str) -> None:
    if not args.strip():
        raise UsageError("rdv.error.no_slots")
    current = await store.open_poll(ctx.db, ctx.circle_id)
    if current is not None:
        raise CommandRefused("rdv.error.already_open", number=current.number)
    try:
        slots = parse_slots(args, ctx.now, ctx.circle.settings.timezone, ctx.lang)
    except SlotError as error:
        raise _slot_refusal(ctx, error) from None
    await open_rendezvous(ctx, slots, proposed_by=ctx.sender)


async def open_rendezvous(
    ctx: CommandContext, slots: list[datetime], proposed_by: str | None, polls: bool = True
) -> RendezvousRow:
    """Record the slots, post the status message and one poll per slot (``polls``: not when
    the circle's rule announces its date at once)."""
    number = await store.next_number(ctx.db, ctx.circle_id)
    await store.insert(ctx.db, ctx.circle_id, number, slots, proposed_by, ctx.now)
    row = await store.get(ctx.db, ctx.circle_id, number)
    assert row is not None
    if not polls:
        return row
    await ctx.post_text(
        await status_text(ctx, row), purpose=status_purpose(ctx.circle_id, row.number)
    )
    for slot in sorted(row.slots):
        await ctx.post_event(
            POLL_START, _slot_poll(ctx, row, slot), poll_purpose(ctx.circle_id, number, slot)
        )
    return row


def _slot_poll(ctx: CommandContext, row: RendezvousRow, slot: int) -> dict[str, object]:
    """« Rendez-vous #1 · créneau 2 : jeudi 10 décembre à 12:30 — vous pouvez venir ? »."""
    when = when_text(ctx, row.slots[slot])
    question = ctx.prompts.text(
        ctx.lang, "rdv.poll.question", number=row.number, slot=slot, when=when
    )
    fallback = ctx.prompts.text(
        ctx.lang, "rdv.poll.fallback", number=row.number, slot=slot, p=ctx.prefix
    )
    answers = [(a.value, ctx.prompts.text(ctx.lang, f"rdv.poll.{a.value}")) for a in ANSWER_IDS]
    return ctx.builder.poll_start(question, answers, fallback)


def _slot_refusal(ctx: CommandContext, error: SlotError) -> UsageError:
    if error.code == "weekday" and error.day is not None:
        return UsageError(
            "rdv.error.slot_weekday", "rdv.error.slots_example", text=error.text,
            date=format_day_month(error.day, ctx.lang),
            weekday=format_date(error.day, "EEEE", locale=ctx.lang),
        )  # fmt: skip
    return UsageError(
        f"rdv.error.slot_{error.code}", "rdv.error.slots_example", text=error.text,
        limit=MAX_SLOTS, n=MAX_SLOTS,
    )  # fmt: skip
