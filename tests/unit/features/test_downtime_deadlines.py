"""A deadline that passes while the bot is down: at start the bot rebuilds its jobs, then its
first sync reads what members sent meanwhile, and only then do the passed deadlines run, so
that a ballot or an answer sent before the deadline, while the bot was down, counts."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from apscheduler.triggers.date import DateTrigger

from bot.matrix.incoming import IncomingMessage
from tests.unit.circle_in_memory import ROOM, CircleInMemory
from tests.unit.features.helpers import ANNA, BRUNO, CHLOE, add_stories, one, plain


def stop_the_bot(circle: CircleInMemory) -> None:
    """Its jobs go with it (they live in memory, rebuilt from the database at start)."""
    circle.bot.clockwork.scheduler.remove_all_jobs()


async def run_due_jobs(circle: CircleInMemory) -> list[str]:
    """What the scheduler would run at once: the jobs whose time has come (bodies posted)."""
    scheduler = circle.bot.clockwork.scheduler
    due = [
        job
        for job in scheduler.get_jobs()
        if isinstance(job.trigger, DateTrigger) and job.trigger.run_date <= circle.now
    ]
    before = len(circle.matrix.sent)
    for job in due:
        scheduler.remove_job(job.id)
        await job.func(*job.args)
    await circle.bot.sender.flush()
    return [plain(c["body"]) for c in circle.messages_since(before)]


async def start_the_bot(circle: CircleInMemory) -> list[str]:
    """The jobs rebuilt at start, and those due run at once (before any sync)."""
    await circle.bot._rebuild_jobs()
    return await run_due_jobs(circle)


async def after_first_sync(circle: CircleInMemory) -> list[str]:
    for hook in circle.bot.hooks.on_first_sync:
        await hook(circle.bot)
    return await run_due_jobs(circle)


async def sent_while_down(
    circle: CircleInMemory, sender: str, body: str, at: datetime, thread_root: str | None = None
) -> list[str]:
    """A message sent at ``at`` while the bot was down, read by its first sync."""
    message = IncomingMessage(
        ROOM, f"$down-{uuid.uuid4().hex}", sender, body, "m.text",
        int(at.timestamp() * 1000), thread_root=thread_root,
    )  # fmt: skip
    before = len(circle.matrix.sent)
    await circle.bot.on_message(message)
    await circle.bot.sender.flush()
    return [plain(c["body"]) for c in circle.messages_since(before)]


async def test_a_ballot_sent_while_the_bot_was_down_counts_at_a_late_close(
    circle: CircleInMemory,
) -> None:
    await add_stories(circle, 2)
    await circle.say(ANNA, "!vote ouvrir")
    await circle.say(CHLOE, "!vote 1 2")
    deadline = circle.now + timedelta(days=circle.bot.circle(ROOM).settings.vote_duration_days)
    stop_the_bot(circle)
    circle.now = deadline + timedelta(hours=3)
    assert await start_the_bot(circle) == []  # the close waits for the first sync
    await sent_while_down(circle, BRUNO, "!vote 2 2", deadline - timedelta(hours=1))
    late = await sent_while_down(circle, CHLOE, "!vote 2 2", deadline + timedelta(hours=1))
    assert late and "clos" in late[0]  # sent after the deadline: not counted
    results = await after_first_sync(circle)
    assert results[0].startswith("🏁 **Résultats du vote #1**")
    assert "— 2 bulletins" in results[0]  # Chloé's first and Bruno's
    assert await after_first_sync(circle) == []  # once


async def test_a_checkin_answer_sent_while_the_bot_was_down_counts_at_a_late_close(
    circle: CircleInMemory,
) -> None:
    [opened] = await circle.say_contents(ANNA, "!checkin lancer")
    root = circle.event_id_of(opened)
    settings = circle.bot.circle(ROOM).settings
    deadline = circle.now + timedelta(days=settings.checkin_close_after_days)
    stop_the_bot(circle)
    circle.now = deadline + timedelta(hours=3)
    assert await start_the_bot(circle) == []  # neither the reminder nor the close yet
    await sent_while_down(circle, BRUNO, "1. Ensoleillé 2. Un agenda", deadline, root)
    await sent_while_down(circle, CHLOE, "Trop tard", deadline + timedelta(hours=1), root)
    [recap] = await after_first_sync(circle)  # no reminder after the deadline
    assert recap.startswith("📋 **Bilan du check-in #1** — 1 personne a répondu")
    assert "Trop tard" not in recap


async def test_a_chantier_closing_while_the_bot_was_down_closes_after_the_first_sync(
    circle: CircleInMemory,
) -> None:
    await add_stories(circle, 2)
    await circle.say(ANNA, "!chantier nouveau Agenda du 3/12 au 20/12")
    await circle.say(ANNA, "!chantier ajouter 1 2")
    stop_the_bot(circle)
    circle.now += timedelta(days=25)
    assert await start_the_bot(circle) == []
    posted = await after_first_sync(circle)
    assert any(p.startswith("🏁 **Bilan du mini-chantier #1 « Agenda »**") for p in posted)


async def test_the_status_names_a_proposals_close(circle: CircleInMemory) -> None:
    circle.bot.clockwork.start()
    try:
        await circle.say(BRUNO, "!proposition Tenir un stand commun")
        body = one(await circle.say(ANNA, "!statut"))
    finally:
        circle.bot.clockwork.shutdown()
    assert "- clôture de la proposition : " in body
