"""The rendez-vous's status message: per slot, people and structures covered; which
structures no slot covers; the slot the bot recommends. Edited in place as answers come."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.domain.rendezvous import Level, SlotCoverage, recommend, uncovered_anywhere
from bot.features.rendezvous.keys import status_purpose
from bot.features.rendezvous.people import slot_coverage
from bot.features.rendezvous.wording import names, when_text
from bot.matrix.messages import Text
from bot.store import outbox
from bot.store.rendezvous import RendezvousRow


async def status_text(ctx: CommandContext, row: RendezvousRow) -> Text:
    coverages = await slot_coverage(ctx, row)
    lines = [_slot_line(ctx, row, c) for c in coverages]
    parts = [
        ctx.t("rdv.status.header", number=row.number),
        Text.lines(lines),
    ]
    uncovered = uncovered_anywhere(coverages)
    if uncovered:
        parts.append(ctx.t("rdv.status.uncovered", structures=names(ctx, uncovered)))
    parts.append(_recommendation(ctx, row, coverages))
    parts.append(ctx.t("rdv.status.how", example=answer_example(ctx, row)))
    return Text.join(parts)


def _slot_line(ctx: CommandContext, row: RendezvousRow, c: SlotCoverage) -> Text:
    when = when_text(ctx, row.slots[c.slot])
    if not c.covered:
        return ctx.t(
            "rdv.status.slot_empty", slot=c.slot, when=when, yes=len(c.yes),
            maybe=len(c.if_needed),
        )  # fmt: skip
    return ctx.t(
        "rdv.status.slot",
        slot=c.slot,
        when=when,
        yes=len(c.yes),
        maybe=len(c.if_needed),
        structures=names(ctx, c.covered),
    )


def _recommendation(ctx: CommandContext, row: RendezvousRow, coverages: list[SlotCoverage]) -> Text:
    best = recommend(coverages)
    if best.slot is None or best.level is Level.NOBODY:
        return ctx.t("rdv.status.nobody")
    when = when_text(ctx, row.slots[best.slot])
    if best.level is Level.PARTIAL:
        return ctx.t(
            "rdv.status.partial", slot=best.slot, when=when, structures=names(ctx, best.missing)
        )
    return ctx.t(f"rdv.status.{best.level.value}", slot=best.slot, when=when)


def answer_example(ctx: CommandContext, row: RendezvousRow) -> str:
    """« 1 oui 2 si-besoin 3 non » with this rendez-vous's own slots."""
    words = ctx.prompts.text(ctx.lang, "rdv.example_words").split()
    return " ".join(f"{slot} {words[i % 3]}" for i, slot in enumerate(sorted(row.slots)[:3]))


async def refresh_status(ctx: CommandContext, row: RendezvousRow) -> None:
    """Edit the status message in place (if it has been sent already)."""
    purpose = status_purpose(ctx.circle_id, row.number)
    original = await outbox.sent_event_for(ctx.db, purpose)
    if original is None:
        return
    await ctx.edit(original, await status_text(ctx, row), latest_only="edit:" + purpose)
