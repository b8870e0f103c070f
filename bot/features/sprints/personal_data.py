"""Chantiers' part of people's data: a retrospective answer whose message is deleted leaves
the summaries and the export; a story withdrawn that way leaves the closed chantiers'
frozen summaries too; a member's answers in her file; forgetting her erases her answers
and gives her place in the frozen summaries to her alias."""

from __future__ import annotations

import dataclasses
from typing import Any

from bot.commands.context import CommandContext
from bot.commands.runtime import PersonalData
from bot.domain.personal_data import Forgetting
from bot.features.personal_data.naming import discretion
from bot.matrix.incoming import IncomingRedaction
from bot.store import personal_data as people
from bot.store import sprints as store
from bot.store import stories as story_store
from bot.store.database import Database
from bot.store.sprints import RetroAnswer, SummaryFacts


async def on_retro_redacted(ctx: CommandContext, redaction: IncomingRedaction) -> None:
    await store.drop_retro_answer(ctx.db, ctx.circle_id, redaction.redacts)
    erased = set(await story_store.erased_by_source(ctx.db, ctx.circle_id, redaction.redacts))
    if not erased:
        return
    for row in await store.closed_summaries(ctx.db, ctx.circle_id):
        if row.summary is not None and erased & {s.number for s in row.summary.stories}:
            await store.save_summary(
                ctx.db, row.circle_id, row.number, without_stories(row.summary, erased)
            )


def without_stories(facts: SummaryFacts, numbers: set[int]) -> SummaryFacts:
    """A frozen summary that no longer holds the stories ``numbers`` (their text is gone)."""

    def kept(values: list[int]) -> list[int]:
        return [n for n in values if n not in numbers]

    return dataclasses.replace(
        facts,
        stories=[s for s in facts.stories if s.number not in numbers],
        done=kept(facts.done),
        not_done=kept(facts.not_done),
        withdrawn=kept(facts.withdrawn),
        porteurs={u: kept(ns) for u, ns in facts.porteurs.items() if kept(ns)},
        without_porteur=kept(facts.without_porteur),
        proposal=kept(facts.proposal),
    )


def with_alias(facts: SummaryFacts, user: str, alias: str) -> SummaryFacts:
    """A frozen summary where ``user`` is replaced by ``alias``."""

    def swap(who: str | None) -> str | None:
        return alias if who == user else who

    return dataclasses.replace(
        facts,
        stories=[
            dataclasses.replace(s, author=swap(s.author) or "", porteur=swap(s.porteur))
            for s in facts.stories
        ],
        porteurs={swap(u) or u: ns for u, ns in facts.porteurs.items()},
    )


async def discreet(
    ctx: CommandContext, facts: SummaryFacts, retro: list[RetroAnswer] | None
) -> tuple[SummaryFacts, list[RetroAnswer] | None]:
    """A summary as shown: who declined thanks by name reads « une personne de … »."""
    shown = await discretion(ctx)
    people_named = {s.porteur for s in facts.stories} | set(facts.porteurs)
    for user in people_named:
        if user is not None and shown(user) != user:
            facts = with_alias(facts, user, shown(user) or user)
    if retro is not None:
        retro = [dataclasses.replace(a, author=shown(a.author) or a.author) for a in retro]
    return facts, retro


# ---- a member's data ----
async def export_retro(db: Database, user_id: str) -> list[dict[str, Any]]:
    return [
        {"circle": row["circle_id"], "chantier": row["sprint_number"], "text": row["text"],
         "answered_at": row["answered_at"]}
        for row in await people.rows_of(db, "sprint_retro_answers", "author", user_id)
    ]  # fmt: skip


async def forget_retro(ctx: CommandContext, forgetting: Forgetting) -> None:
    user = forgetting.user_id
    await people.delete_rows_of(ctx.db, "sprint_retro_answers", "author", user)
    await people.give_to_alias(ctx.db, "sprints", "created_by", user, forgetting.alias)
    for row in await store.closed_summaries(ctx.db):
        facts = row.summary
        if facts is None:
            continue
        changed = with_alias(facts, user, forgetting.alias(row.circle_id))
        if changed != facts:
            await store.save_summary(ctx.db, row.circle_id, row.number, changed)


SPRINT_DATA = PersonalData("retrospectives", export_retro, forget_retro)
