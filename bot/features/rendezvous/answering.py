"""Answers per slot: by text (``!rdv 1 oui 2 si-besoin 3 non``) or in the slot's Element poll.
A newer answer replaces the older one; the status message is edited in place."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.commands.context import CommandContext
from bot.commands.registry import CommandRefused, UsageError
from bot.domain.rendezvous import Answer, AnswerError, parse_answers
from bot.features.rendezvous.keys import parse_purpose
from bot.features.rendezvous.status import answer_example, refresh_status
from bot.features.rendezvous.wording import answer_word
from bot.matrix.incoming import IncomingPollResponse
from bot.matrix.messages import Text
from bot.store import outbox
from bot.store import rendezvous as store
from bot.store.rendezvous import RendezvousRow


async def answer_command(ctx: CommandContext, args: str) -> None:
    """``!rdv 1 oui 2 non``: the sender's answers to the open rendez-vous."""
    row = await store.open_poll(ctx.db, ctx.circle_id)
    if row is None:
        raise CommandRefused("rdv.error.none_open")
    try:
        answers = parse_answers(args, len(row.slots))
    except AnswerError as error:
        raise UsageError(
            f"rdv.error.answer_{error.code}", "rdv.error.answer_example", token=error.token,
            n=len(row.slots), example=answer_example(ctx, row),
        ) from None  # fmt: skip
    await store.record_answers(
        ctx.db, ctx.circle_id, row.number, ctx.sender, answers, _stamp(ctx.message.server_ts),
        ctx.message.event_id,
    )  # fmt: skip
    said = [
        ctx.t("rdv.answered_slot", slot=slot, answer=answer_word(ctx, answer))
        for slot, answer in sorted(answers.items())
    ]
    await ctx.reply("rdv.answered", number=row.number, answers=Text.join(said, " · "))
    await refresh_status(ctx, row)


async def on_poll_response(ctx: CommandContext, response: IncomingPollResponse) -> bool:
    """An answer in a slot's poll; True when the poll was one of a rendez-vous."""
    named = parse_purpose(await outbox.purpose_of_sent(ctx.db, response.poll_event_id) or "")
    if named is None or named.kind != "poll":
        return False
    row = await store.get(ctx.db, named.circle_id, named.number)
    if row is None or row.status != "open" or named.slot not in row.slots:
        return True  # answers after the date was fixed are ignored
    answer = _answer_of(response.answer_ids)
    if answer is None:
        return True
    kept = await store.record_answers(
        ctx.db, row.circle_id, row.number, response.sender, {named.slot: answer},
        _stamp(response.server_ts), response.event_id,
    )  # fmt: skip
    if kept:
        await refresh_status(ctx, row)
    return True


def _answer_of(answer_ids: tuple[str, ...]) -> Answer | None:
    """Element sends the chosen answer first; an empty response withdraws nothing here."""
    for answer_id in answer_ids[:1]:
        try:
            return Answer(answer_id)
        except ValueError:
            return None
    return None


def _stamp(server_ts: int) -> datetime:
    return datetime.fromtimestamp(server_ts / 1000, tz=UTC)


async def current_or_refuse(ctx: CommandContext) -> RendezvousRow:
    row = await store.open_poll(ctx.db, ctx.circle_id)
    if row is None:
        raise CommandRefused("rdv.error.none_open")
    return row
