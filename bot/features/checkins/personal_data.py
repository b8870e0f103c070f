"""Check-ins' part of people's data: an answer whose message is deleted leaves the
summaries, recaps and export; a member's answers in her file; forgetting her erases their
words and keeps her in the counts as « une personne de <structure> »."""

from __future__ import annotations

from typing import Any

from bot.commands.context import CommandContext
from bot.commands.runtime import PersonalData
from bot.domain.personal_data import Forgetting
from bot.matrix.incoming import IncomingRedaction
from bot.store import personal_data as people
from bot.store import rhythm as store
from bot.store.database import Database


async def on_answer_redacted(ctx: CommandContext, redaction: IncomingRedaction) -> None:
    await store.drop_answer(ctx.db, ctx.circle_id, redaction.redacts)


async def export_answers(db: Database, user_id: str) -> list[dict[str, Any]]:
    return [
        {"circle": row["circle_id"], "checkin": row["number"], "text": row["text"],
         "answered_at": row["answered_at"]}
        for row in await people.rows_of(db, "checkin_answers", "author", user_id)
    ]  # fmt: skip


async def forget_answers(ctx: CommandContext, forgetting: Forgetting) -> None:
    user = forgetting.user_id
    await store.erase_answer_texts(ctx.db, user)
    await people.give_to_alias(ctx.db, "checkin_answers", "author", user, forgetting.alias)
    await people.give_to_alias(ctx.db, "checkins", "opened_by", user, forgetting.alias)


CHECKIN_DATA = PersonalData("checkins", export_answers, forget_answers)
