"""Who is in a circle, and in which structure: the basis of participation per structure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.store.database import Database

if TYPE_CHECKING:
    from bot.app import CircleBot


async def structures_of(db: Database, circle_id: str) -> dict[str, str]:
    """user id -> structure, declared in the room (``!structure``)."""
    rows = await db.fetch_all(
        "SELECT user_id, structure FROM memberships WHERE circle_id = ?", (circle_id,)
    )
    return {r["user_id"]: r["structure"] for r in rows}


async def member_structures(bot: CircleBot, circle_id: str) -> dict[str, str | None]:
    """Every human member of the circle's room and their structure (None if not declared)."""
    declared = dict(bot.config.circle_settings(circle_id).structures)
    declared.update(await structures_of(bot.db, circle_id))
    members = [m for m in bot.adapter.member_ids(circle_id) if m != bot.adapter.user_id]
    return {m: declared.get(m) for m in members}


def by_structure(members: dict[str, str | None], unassigned: str) -> dict[str, list[str]]:
    """structure -> members; members without a structure under ``unassigned``."""
    grouped: dict[str, list[str]] = {}
    for user, structure in sorted(members.items()):
        grouped.setdefault(structure or unassigned, []).append(user)
    return grouped


def by_declared_structure(members: dict[str, str | None]) -> dict[str, list[str]]:
    """structure -> members, leaving out people who declared none: they are not an absent
    structure, and participation per structure does not list them."""
    grouped: dict[str, list[str]] = {}
    for user, structure in sorted(members.items()):
        if structure:
            grouped.setdefault(structure, []).append(user)
    return grouped
