"""The rendez-vous's status message: per slot, people and structures covered; which
structures no slot covers; the slot the bot recommends. Edited in place as answers come."""

from __future__ import annotations

from babel.dates import format_date

from bot.commands.context import CommandContext
from bot.domain.dates import format_time
from bot.domain.paging import PHONE_SCREEN
from bot.domain.rendezvous import Level, SlotCoverage, recommend, uncovered_anywhere
from bot.features.fitting import length
from bot.features.rendezvous.keys import status_purpose
from bot.features.rendezvous.people import slot_coverage, structures_all_away
from bot.features.rendezvous.wording import names, when_text
from bot.matrix.messages import Markdown, Text
from bot.store import outbox
from bot.store.rendezvous import RendezvousRow


async def status_text(ctx: CommandContext, row: RendezvousRow) -> Text:
    """Per slot, people and structures; the structures no slot covers; the recommended slot.
    With many slots, a shorter form (structures counted, not named) keeps to a phone screen."""
    coverages = await slot_coverage(ctx, row)
    best = recommend(coverages)
    uncovered = uncovered_anywhere(coverages)
    advice = [
        _recommendation(ctx, row, coverages),
        ctx.t("rdv.status.how", example=answer_example(ctx, row)),
    ]
    full = [
        ctx.t("rdv.status.header", number=row.number),
        Text.lines([_slot_line(ctx, row, c) for c in coverages]),
    ]
    # When nobody answered, or the recommendation names them already, the line is noise.
    if uncovered and best.level is not Level.NOBODY and list(best.missing) != uncovered:
        full.append(ctx.t("rdv.status.uncovered", structures=names(ctx, uncovered)))
    away = await structures_all_away(ctx, coverages)
    if away:
        advice.insert(1, ctx.t("rdv.status.all_away", n=len(away), structures=names(ctx, away)))
    if length([*full, *advice]) <= PHONE_SCREEN:
        return Text.join([*full, *advice])
    short = [
        ctx.t("rdv.status.header_short", number=row.number),
        Text.lines([_short_slot_line(ctx, row, c) for c in coverages]),
    ]
    return Text.join([*short, *advice])


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


def _short_slot_line(ctx: CommandContext, row: RendezvousRow, c: SlotCoverage) -> Text:
    """With many slots: « 10. lun. 4/1 18:30 — 3 oui, 2 si besoin · 2/4 » (structures
    counted, not named), so that the message fits a phone screen."""
    at = row.slots[c.slot].astimezone(ctx.circle.tz)
    when = f"{format_date(at, 'EEE d/M', locale=ctx.lang)} {format_time(at, ctx.lang)}"
    return ctx.t(
        "rdv.status.slot_short", slot=c.slot, when=when, yes=len(c.yes), maybe=len(c.if_needed),
        covered=len(c.covered), total=len(c.covered) + len(c.missing),
    )  # fmt: skip


def _recommendation(ctx: CommandContext, row: RendezvousRow, coverages: list[SlotCoverage]) -> Text:
    best = recommend(coverages)
    if best.slot is None or best.level is Level.NOBODY:
        return ctx.t("rdv.status.nobody")
    when = when_text(ctx, row.slots[best.slot])
    if not any(c.covered or c.missing for c in coverages):
        return ctx.t("rdv.status.by_people", slot=best.slot, when=when)  # no structure declared
    if best.level is Level.PARTIAL:
        return ctx.t(
            "rdv.status.partial", slot=best.slot, when=when, structures=names(ctx, best.missing)
        )
    return ctx.t(f"rdv.status.{best.level.value}", slot=best.slot, when=when)


def answer_example(ctx: CommandContext, row: RendezvousRow) -> Markdown:
    """« 1 oui 2 si-besoin 3 non » with this rendez-vous's own slots: built here from the
    prompts, shown in a code span as is (escaping it would show « si\\-besoin »)."""
    words = ctx.prompts.text(ctx.lang, "rdv.example_words").split()
    return Markdown(
        " ".join(f"{slot} {words[i % 3]}" for i, slot in enumerate(sorted(row.slots)[:3]))
    )


async def refresh_status(ctx: CommandContext, row: RendezvousRow) -> None:
    """Edit the status message in place (if it has been sent already)."""
    purpose = status_purpose(ctx.circle_id, row.number)
    original = await outbox.sent_event_for(ctx.db, purpose)
    if original is None:
        return
    await ctx.edit(original, await status_text(ctx, row), latest_only="edit:" + purpose)
