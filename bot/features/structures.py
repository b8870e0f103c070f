"""Structures (associations): ``!structure <nom>``, ``!structure @user <nom>``, ``!structures``."""

from __future__ import annotations

import re

from babel.lists import format_list

from bot.commands.context import CommandContext
from bot.commands.registry import Command, CommandRefused, Subcommand, UsageError
from bot.domain.folding import fold
from bot.domain.structures import (
    by_structure,
    find_structure,
    normalise_structure_name,
    validate_structure_name,
)
from bot.features.feature import Feature
from bot.features.rendezvous.history import (
    attendance_suffix,
    post_attendance_picture,
    structure_attendance,
)
from bot.matrix.messages import Text
from bot.store import memberships
from bot.store import rhythm as rhythm_store

USER_ID = re.compile(r"^@[^\s:]+:[^\s]+$")
PILL = re.compile(r"https://matrix\.to/#/(@[^\"'?>]+)")


def _target(ctx: CommandContext, args: str) -> tuple[str, str]:
    """(user, name): « @user:server Nom » or a pill from Element, else the sender themself."""
    first, _, rest = args.strip().partition(" ")
    if USER_ID.match(first):
        return first, rest
    html = ctx.message.formatted_body or ""
    pill = PILL.search(html)
    if pill and ctx.message.mentioned_users:
        user = ctx.message.mentioned_users[0]
        # Element writes the display name in the body: drop it, keep the structure's name.
        name = ctx.display_name(user)
        text = args.strip()
        if text.startswith(name):
            return user, text[len(name) :].lstrip(" :")
        return user, rest
    return ctx.sender, args


async def structure_default(ctx: CommandContext, args: str) -> None:
    if not args.strip():
        raise UsageError("structure.error.empty")
    user, name = _target(ctx, args)
    if user != ctx.sender and not ctx.is_facilitator:
        raise CommandRefused("structure.error.others")
    error = validate_structure_name(name)
    if error is not None:
        raise UsageError(f"structure.error.{error}", limit=60)
    members = await ctx.runtime.members(ctx.circle_id)
    if user not in members:
        raise CommandRefused("structure.error.not_member", who=user)
    known = {s for s in members.values() if s}
    display = find_structure(normalise_structure_name(name), known) or normalise_structure_name(
        name
    )
    await memberships.set_structure(ctx.db, ctx.circle_id, user, display, ctx.sender, ctx.now)
    await ctx.reply("structure.set", who=ctx.display_name(user), structure=display)


async def list_structures(ctx: CommandContext, args: str) -> None:
    members = await ctx.runtime.members(ctx.circle_id)
    if not members:
        await ctx.reply("structure.list.empty")
        return
    checkin = await _last_checkin_participants(ctx)
    grouped = by_structure({u: s for u, s in members.items() if s}, unassigned="")
    lines: list[Text] = [ctx.t("structure.list.header", n=len(grouped))]
    for structure in sorted(grouped, key=lambda name: (fold(name), name)):
        users = grouped[structure]
        names = ", ".join(ctx.display_name(u) for u in users)
        if checkin is None:
            lines.append(
                ctx.t("structure.list.line", structure=structure, members=names, n=len(users))
            )
        else:
            present = sum(1 for u in users if u in checkin)
            lines.append(
                ctx.t(
                    "structure.list.line_checkin",
                    structure=structure,
                    members=names,
                    n=len(users),
                    present=present,
                )
            )
    came, held = await structure_attendance(ctx)
    if held:
        lines[1:] = [
            line + attendance_suffix(ctx, structure, came, held)
            for line, structure in zip(
                lines[1:], sorted(grouped, key=lambda n: (fold(n), n)), strict=True
            )
        ]
    blocks = [Text.join(lines, "\n")]
    # People without a structure (often the facilitator) are no structure: named apart,
    # with no participation count.
    unassigned = sorted((u for u, s in members.items() if not s), key=ctx.display_name)
    if unassigned:
        names = format_list([ctx.display_name(u) for u in unassigned], locale=ctx.lang)
        blocks.append(ctx.t("structure.list.unassigned", names=names))
    if checkin is not None and grouped:
        blocks.append(ctx.t("structure.list.checkin_note"))
    if held and grouped:
        blocks.append(ctx.t("rdv.structures.note", n=held))
        post_attendance_picture(ctx)
    await ctx.reply_text(Text.join(blocks, "\n\n"))


async def _last_checkin_participants(ctx: CommandContext) -> set[str] | None:
    checkins = await rhythm_store.all_checkins(ctx.db, ctx.circle_id)
    if not checkins:
        return None
    answers = await rhythm_store.answers(ctx.db, ctx.circle_id, checkins[-1].number)
    return {author for author, _ in answers}


def structure_command() -> Command:
    return Command(
        "structure",
        "structure",
        structure_default,
        subcommands=(Subcommand("liste", "list", list_structures),),
        shortcuts=(("structures", "liste"),),
    )


FEATURE = Feature("structures", commands=(structure_command(),))
