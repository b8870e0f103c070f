"""The rendez-vous's part of people's data: a deleted answer withdraws what it said; a
member's answers, attendance and absences in her file; forgetting her keeps her in the counts
as « une personne de <structure> » and drops her absences (their reason is her own words)."""

from __future__ import annotations

from typing import Any

from bot.commands.context import CommandContext
from bot.commands.runtime import PersonalData
from bot.domain.personal_data import Forgetting
from bot.features.rendezvous.status import refresh_status
from bot.matrix.incoming import IncomingRedaction
from bot.store import personal_data as people
from bot.store import rendezvous as store
from bot.store.database import Database


async def on_answer_redacted(ctx: CommandContext, redaction: IncomingRedaction) -> None:
    number = await store.drop_answers_of_event(ctx.db, ctx.circle_id, redaction.redacts)
    if number is None:
        return
    row = await store.get(ctx.db, ctx.circle_id, number)
    if row is not None and row.status == "open":
        await refresh_status(ctx, row)


async def export_rendezvous(db: Database, user_id: str) -> list[dict[str, Any]]:
    answers = [
        {"circle": r["circle_id"], "rendezvous": r["number"], "slot": r["slot"],
         "answer": r["answer"], "answered_at": r["answered_at"]}
        for r in await people.rows_of(db, "rendezvous_answers", "user_id", user_id)
    ]  # fmt: skip
    came = [
        {"circle": r["circle_id"], "rendezvous": r["number"], "present": True,
         "recorded_at": r["recorded_at"]}
        for r in await people.rows_of(db, "rendezvous_attendance", "user_id", user_id)
    ]  # fmt: skip
    away = [
        {"circle": r["circle_id"], "away_until": r["until"], "reason": r["reason"]}
        for r in await people.rows_of(db, "absences", "user_id", user_id)
    ]
    return answers + came + away


async def forget_rendezvous(ctx: CommandContext, forgetting: Forgetting) -> None:
    user = forgetting.user_id
    for table, column in (
        ("rendezvous_answers", "user_id"),
        ("rendezvous_attendance", "user_id"),
        ("rendezvous_attendance", "recorded_by"),
        ("rendezvous", "proposed_by"),
    ):
        await people.give_to_alias(ctx.db, table, column, user, forgetting.alias)
    await people.delete_rows_of(ctx.db, "absences", "user_id", user)


RENDEZVOUS_DATA = PersonalData("rendezvous", export_rendezvous, forget_rendezvous)
