"""What the bot keeps about a person herself, whatever she wrote: her structure in each
circle, her display names (for the offline export), her direct chat, her choices (thanks by
name, a forget request). Forgetting her deletes it all (her direct chat stays a direct
chat: the bot answers there)."""

from __future__ import annotations

from typing import Any

from bot.commands.context import CommandContext
from bot.commands.runtime import PersonalData
from bot.domain.personal_data import Forgetting
from bot.store import personal_data as people
from bot.store.database import Database


async def export_identity(db: Database, user_id: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"circle": m["circle_id"], "structure": m["structure"], "set_by": m["set_by"],
         "set_at": m["set_at"]}
        for m in await people.rows_of(db, "memberships", "user_id", user_id)
    ]  # fmt: skip
    rows += [
        {"circle": n["room_id"], "display_name": n["display_name"], "seen_at": n["updated_at"]}
        for n in await people.rows_of(db, "member_names", "user_id", user_id)
    ]
    rows += [
        {"direct_chat": d["room_id"]}
        for d in await people.rows_of(db, "direct_rooms", "user_id", user_id)
    ]
    if await people.declines_thanks(db, user_id):
        rows.append({"thanks_by_name": False})
    return rows


async def forget_identity(ctx: CommandContext, forgetting: Forgetting) -> None:
    user = forgetting.user_id
    await people.delete_rows_of(ctx.db, "memberships", "user_id", user)
    await people.give_to_alias(ctx.db, "memberships", "set_by", user, forgetting.alias)
    await people.delete_rows_of(ctx.db, "member_names", "user_id", user)
    await people.delete_rows_of(ctx.db, "thanks_declined", "user_id", user)
    await people.delete_rows_of(ctx.db, "forget_requests", "user_id", user)
    await people.forget_sender(ctx.db, user)


async def structures_of(ctx: CommandContext, user_id: str) -> dict[str, str | None]:
    """Her structure in each circle she is or was in (None where she declared none)."""
    found: dict[str, str | None] = {
        m["circle_id"]: m["structure"]
        for m in await people.rows_of(ctx.db, "memberships", "user_id", user_id)
    }
    for circle_id in ctx.runtime.circle_ids():
        members = await ctx.runtime.members(circle_id)
        if user_id in members:
            found[circle_id] = members[user_id] or found.get(circle_id)
    return found


IDENTITY_DATA = PersonalData("you", export_identity, forget_identity)
