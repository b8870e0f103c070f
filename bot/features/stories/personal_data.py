"""Stories' and blockers' part of people's data: a deleted message withdraws the story or
blocker it carried (its text is erased, its number stays taken, the circle is told); a
member's stories in her file; forgetting her gives her stories to « une personne de
<structure> » (the circle's work stays, without her name) and drops her drafts."""

from __future__ import annotations

from typing import Any

from bot.commands.context import CommandContext
from bot.commands.runtime import PersonalData
from bot.domain.personal_data import Forgetting
from bot.matrix.incoming import IncomingRedaction
from bot.store import personal_data as people
from bot.store import stories as store
from bot.store.database import Database

_LIVE = "erased_at IS NULL"


async def on_story_redacted(ctx: CommandContext, redaction: IncomingRedaction) -> None:
    """The story (or the draft: an offer not confirmed, a dialogue) the message carried."""
    erased = await store.erase_by_source(
        ctx.db, "stories", ctx.circle_id, redaction.redacts, ctx.now
    )
    for number in erased:
        await ctx.post_text(ctx.t("data.story_erased", number=number))
    await store.drop_proposal(ctx.db, ctx.circle_id, redaction.redacts)
    await store.drop_dialogue(ctx.db, ctx.circle_id, redaction.redacts)


async def on_blocker_redacted(ctx: CommandContext, redaction: IncomingRedaction) -> None:
    erased = await store.erase_by_source(
        ctx.db, "blockers", ctx.circle_id, redaction.redacts, ctx.now
    )
    for number in erased:
        await ctx.post_text(ctx.t("data.blocker_erased", number=number))


# ---- a member's data ----
async def export_stories(db: Database, user_id: str) -> list[dict[str, Any]]:
    rows = await people.rows_of(db, "stories", "author", user_id, _LIVE)
    taken = await people.rows_of(db, "stories", "porteur", user_id, _LIVE)
    stories = [_story(row, "author") for row in rows]
    stories += [_story(row, "porteur") for row in taken if row["author"] != user_id]
    drafts = await people.rows_of(db, "story_proposals", "author", user_id)
    dialogues = await people.rows_of(db, "story_dialogues", "author", user_id)
    stories += [
        {"circle": d["circle_id"], "as": "offered", "text": d["text"], "at": d["created_at"]}
        for d in drafts
        if d["story_number"] is None
    ]
    stories += [
        {"circle": d["circle_id"], "as": "guided dialogue", "step": d["step"],
         "role": d["role"], "need": d["need"], "benefit": d["benefit"], "at": d["started_at"]}
        for d in dialogues
    ]  # fmt: skip
    return stories


def _story(row: dict[str, Any], role: str) -> dict[str, Any]:
    return {
        "circle": row["circle_id"],
        "number": row["number"],
        "as": role,
        "text": row["text"],
        "status": row["status"],
        "structure": row["structure"],
        "created_at": row["created_at"],
    }


async def forget_stories(ctx: CommandContext, forgetting: Forgetting) -> None:
    user = forgetting.user_id
    await people.give_to_alias(ctx.db, "stories", "author", user, forgetting.alias)
    await people.give_to_alias(ctx.db, "stories", "porteur", user, forgetting.alias)
    await people.delete_rows_of(ctx.db, "story_proposals", "author", user)
    await people.delete_rows_of(ctx.db, "story_dialogues", "author", user)


async def export_blockers(db: Database, user_id: str) -> list[dict[str, Any]]:
    return [
        {"circle": row["circle_id"], "number": row["number"], "text": row["text"],
         "created_at": row["created_at"]}
        for row in await people.rows_of(db, "blockers", "author", user_id, _LIVE)
    ]  # fmt: skip


async def forget_blockers(ctx: CommandContext, forgetting: Forgetting) -> None:
    await people.give_to_alias(ctx.db, "blockers", "author", forgetting.user_id, forgetting.alias)


STORY_DATA = PersonalData("stories", export_stories, forget_stories)
BLOCKER_DATA = PersonalData("blockers", export_blockers, forget_blockers)
