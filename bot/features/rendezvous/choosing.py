"""``!rdv choisir N [durée 1h30]``: the date is fixed. The announcement carries the date, the
length, the visio link, the agenda, and an .ics invitation; the reminders are scheduled.
``!rdv lien <url>``: the visio link, when it was not known."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.commands.context import CommandContext
from bot.commands.registry import CommandRefused, UsageError
from bot.domain.folding import fold
from bot.domain.invitation import Invitation, invitation_ics
from bot.features.rendezvous.agenda import agenda_text
from bot.features.rendezvous.keys import announce_purpose, poll_purpose, status_purpose
from bot.features.rendezvous.links import LINK, MAX_LINK, configured_link, link_text
from bot.features.rendezvous.reminders import reminder_targets, schedule_steps, skip_past_steps
from bot.features.rendezvous.wording import mentions, when_text
from bot.matrix.messages import Text
from bot.store import outbox
from bot.store import rendezvous as store
from bot.store.rendezvous import RendezvousRow

_DURATION = re.compile(r"^(?:(\d{1,2})\s*h\s*(\d{2})?|(\d{2,3})\s*min(?:utes?)?)$")
_DURATION_WORDS = ("duree", "duration", "pendant", "for")


async def choose_command(ctx: CommandContext, args: str) -> None:
    row = await store.open_poll(ctx.db, ctx.circle_id)
    if row is None:
        raise CommandRefused("rdv.error.none_to_choose")
    slot_text, _, rest = args.strip().partition(" ")
    slot_text = slot_text.lstrip("#")
    if not slot_text.isdigit():
        raise UsageError("rdv.error.choose_which", "rdv.error.choose_example", n=len(row.slots))
    slot = int(slot_text)
    if slot not in row.slots:
        raise UsageError(
            "rdv.error.no_such_slot", "rdv.error.choose_example", slot=slot, n=len(row.slots)
        )
    if row.slots[slot] <= ctx.now:
        raise CommandRefused("rdv.error.chosen_past", slot=slot)
    minutes = _duration(rest) if rest.strip() else ctx.circle.settings.rendezvous_duration_minutes
    await fix_date(ctx, row, slot, minutes)


async def fix_date(ctx: CommandContext, row: RendezvousRow, slot: int, minutes: int) -> None:
    """The date is slot ``slot``: announce it (link, agenda, .ics) and schedule the reminders."""
    previous = await store.latest_chosen(ctx.db, ctx.circle_id)
    starts_at = row.slots[slot]
    await store.choose(
        ctx.db, ctx.circle_id, row.number, slot, starts_at, configured_link(ctx), minutes
    )
    chosen = await store.get(ctx.db, ctx.circle_id, row.number)
    assert chosen is not None
    await announce(ctx, chosen, previous.starts_at if previous else None)
    await _close_status(ctx, chosen)
    await _withdraw_polls(ctx, chosen)
    await skip_past_steps(ctx, chosen)
    refreshed = await store.get(ctx.db, ctx.circle_id, row.number)
    assert refreshed is not None
    schedule_steps(ctx.runtime, refreshed)


def _duration(text: str) -> int:
    """« durée 1h30 », « 90 min », « 2h » → minutes; refused otherwise (15 min to 8 h)."""
    words = fold(text).split()
    if words and words[0] in _DURATION_WORDS:
        words = words[1:]
    match = _DURATION.match(" ".join(words))
    if match is None:
        raise UsageError("rdv.error.duration", "rdv.error.choose_example", text=text.strip())
    if match.group(3):
        minutes = int(match.group(3))
    else:
        minutes = int(match.group(1)) * 60 + int(match.group(2) or 0)
    if not 15 <= minutes <= 480:
        raise UsageError("rdv.error.duration", "rdv.error.choose_example", text=text.strip())
    return minutes


def duration_text(ctx: CommandContext, minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not rest:
        return ctx.prompts.text(ctx.lang, "rdv.duration.hours", n=hours)
    if not hours:
        return ctx.prompts.text(ctx.lang, "rdv.duration.minutes", n=rest)
    return ctx.prompts.text(ctx.lang, "rdv.duration.both", hours=hours, minutes=f"{rest:02d}")


async def _close_status(ctx: CommandContext, row: RendezvousRow) -> None:
    original = await outbox.sent_event_for(ctx.db, status_purpose(ctx.circle_id, row.number))
    if original is None or row.starts_at is None:
        return
    text = ctx.t("rdv.status.chosen", number=row.number, slot=row.chosen_slot,
                 when=when_text(ctx, row.starts_at))  # fmt: skip
    await ctx.edit(original, text)


async def _withdraw_polls(ctx: CommandContext, row: RendezvousRow) -> None:
    """The slot polls go once the date is fixed: answers after it would count for nothing."""
    reason = ctx.prompts.text(ctx.lang, "rdv.poll.withdrawn", number=row.number)
    for slot in sorted(row.slots):
        poll_id = await outbox.sent_event_for(ctx.db, poll_purpose(ctx.circle_id, row.number, slot))
        if poll_id is not None:
            await ctx.withdraw(poll_id, reason)


async def announce(ctx: CommandContext, row: RendezvousRow, since: datetime | None) -> None:
    """The announcement (pinging who said yes or if needed), then the .ics file."""
    assert row.starts_at is not None
    who, _ = await reminder_targets(ctx, row)
    head = ctx.t(
        "rdv.announce",
        number=row.number,
        when=when_text(ctx, row.starts_at),
        duration=duration_text(ctx, row.duration_minutes),
    )
    parts = [head, link_text(ctx, row)]
    if who:
        parts.append(ctx.t("rdv.announce_who", who=mentions(ctx, who)))
    parts.append(await agenda_text(ctx, since))
    parts.append(ctx.t("rdv.announce_ics"))
    await ctx.post_text(
        Text.join(parts), notify=True, purpose=announce_purpose(ctx.circle_id, row.number)
    )
    post_invitation(ctx, row)


def post_invitation(ctx: CommandContext, row: RendezvousRow) -> None:
    """Upload the .ics once the transaction has committed."""
    assert row.starts_at is not None
    title = ctx.prompts.text(ctx.lang, "rdv.ics.title", room=ctx.runtime.room_name(ctx.circle_id))
    invitation = Invitation(
        uid=f"rdv-{row.number}-{_uid_part(ctx.circle_id)}@cercle",
        starts_at=row.starts_at.astimezone(ctx.circle.tz),
        duration=timedelta(minutes=row.duration_minutes),
        title=title,
        description=ctx.prompts.text(ctx.lang, "rdv.ics.description", number=row.number),
        link=row.link,
        stamp=ctx.now,
    )
    data = invitation_ics(invitation)
    runtime, room = ctx.runtime, ctx.circle_id
    filename = f"rendez-vous-{row.number}.ics"

    async def upload() -> None:
        await runtime.post_file(room, data, filename, "text/calendar")

    runtime.after_commit(upload)


def _uid_part(circle_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", circle_id)[:40] or "cercle"


async def link_command(ctx: CommandContext, args: str) -> None:
    """``!rdv lien https://…``: the visio link of the rendez-vous whose date is fixed."""
    url = args.strip().strip("<>")
    if not url:
        raise UsageError("rdv.error.link_missing", "rdv.error.link_example")
    if not LINK.match(url) or len(url) > MAX_LINK:
        raise UsageError("rdv.error.link_bad", "rdv.error.link_example", text=url[:80])
    row = await store.latest_chosen(ctx.db, ctx.circle_id)
    if row is None or row.ends_at is None or row.ends_at <= ctx.now:
        raise CommandRefused("rdv.error.none_chosen")
    await store.set_link(ctx.db, ctx.circle_id, row.number, url)
    updated = await store.get(ctx.db, ctx.circle_id, row.number)
    assert updated is not None and updated.starts_at is not None
    await ctx.post_text(
        Text.join(
            [
                ctx.t("rdv.link_set", number=row.number, when=when_text(ctx, updated.starts_at)),
                link_text(ctx, updated),
            ]
        )
    )
    post_invitation(ctx, updated)
