"""Attendance per structure over the last months: lines for ``!structures`` and the monthly
recap, and the picture structures × months (drawn in a child process, posted after commit)."""

from __future__ import annotations

import logging
from datetime import date

from babel.dates import format_date

from bot.commands.context import CommandContext
from bot.domain.folding import fold
from bot.domain.rendezvous import attendance, attendance_grid, expected_structures
from bot.features.rendezvous.attendance import EARLY
from bot.features.rendezvous.people import members
from bot.matrix.messages import Text
from bot.store import rendezvous as store
from bot.store.rendezvous import RendezvousRow

log = logging.getLogger(__name__)
MONTHS = 6  # how far back ``!structures`` and the picture look


async def held(ctx: CommandContext, months: int = MONTHS) -> list[RendezvousRow]:
    """The rendez-vous held in the last ``months`` months (or starting within the hour, when
    attendance may be noted already), oldest first."""
    today = ctx.now.astimezone(ctx.circle.tz).date()
    first = _months_back(today, months - 1)
    return [
        row
        for row in await store.chosen_in(ctx.db, ctx.circle_id)
        if row.starts_at is not None
        and row.starts_at - EARLY <= ctx.now
        and row.starts_at.astimezone(ctx.circle.tz).date() >= first
    ]


def _months_back(today: date, months: int) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, 1)


async def structure_attendance(ctx: CommandContext) -> tuple[dict[str, int], int]:
    """(structure (folded) → rendez-vous it came to, rendez-vous held), over the last months."""
    rows = await held(ctx)
    came: dict[str, int] = {}
    for row in rows:
        attended = await store.attendance(ctx.db, ctx.circle_id, row.number)
        for structure in {fold(s) for s in attended.values() if s}:
            came[structure] = came.get(structure, 0) + 1
    return came, len(rows)


def attendance_suffix(
    ctx: CommandContext, structure: str, came: dict[str, int], held_count: int
) -> Text:
    """« · rendez-vous : 2 sur 3 » after a structure's line in ``!structures``."""
    return ctx.t("rdv.structures.suffix", came=came.get(fold(structure), 0), total=held_count)


async def recap_lines(ctx: CommandContext, start: date, end: date) -> list[Text]:
    """The month's rendez-vous in the recap: people, structures present, structures absent."""
    lines = []
    circle_members = await members(ctx)
    for row in await held(ctx):
        assert row.starts_at is not None
        if not start <= row.starts_at.astimezone(ctx.circle.tz).date() <= end:
            continue
        attended = await store.attendance(ctx.db, ctx.circle_id, row.number)
        found = attendance(attended, expected_structures(circle_members, ()))
        total = len(found.present) + len(found.absent)
        text = ctx.t("rdv.recap.line", number=row.number, n=found.people,
                     present=len(found.present), total=total)  # fmt: skip
        if found.absent:
            text = Text.join([text, ctx.t("rdv.recap.absent", structures=", ".join(found.absent))],
                             " ")  # fmt: skip
        lines.append(text)
    return lines


def post_attendance_picture(ctx: CommandContext) -> None:
    """After the commit: the picture structures × months, if a rendez-vous was held."""
    runtime, circle_id = ctx.runtime, ctx.circle_id

    async def draw_and_post() -> None:
        try:
            await _draw_and_post(runtime.context(circle_id))
        except Exception:
            log.exception("could not post the attendance picture of %s", circle_id)

    runtime.after_commit(draw_and_post)


async def _draw_and_post(ctx: CommandContext) -> None:
    rows = await held(ctx)
    if not rows:
        return
    months: list[tuple[str, dict[str, str | None]]] = []
    for row in rows:
        assert row.starts_at is not None
        month = f"{row.starts_at.astimezone(ctx.circle.tz):%Y-%m}"
        months.append((month, await store.attendance(ctx.db, ctx.circle_id, row.number)))
    structures = expected_structures(await members(ctx), ())
    grid = attendance_grid(months, structures)
    keys = list(dict.fromkeys(month for month, _ in months))
    labels = {
        m: format_date(date.fromisoformat(m + "-01"), "MMM yy", locale=ctx.lang) for m in keys
    }
    title = ctx.prompts.text(ctx.lang, "rdv.picture.title")
    from bot.rendering.drawing_process import draw_attendance_grid

    png = await draw_attendance_grid(grid, keys, labels, title)
    await ctx.runtime.post_image(ctx.circle_id, png, "rendez-vous-presences.png", title)
