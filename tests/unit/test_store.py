"""The store: migrations in order, one transaction per event, the outbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store import outbox, processed_events
from bot.store.database import AfterCommit, Database, StoreError, migrations


@pytest.fixture
async def db(tmp_path: Path) -> Database:
    database = Database(tmp_path / "bot.db")
    await database.open()
    yield database  # type: ignore[misc]
    await database.close()


def test_migrations_are_numbered_without_gaps() -> None:
    numbers = [n for n, _, _ in migrations()]
    assert numbers == list(range(1, len(numbers) + 1))


async def test_the_schema_version_is_the_last_migration_and_reopening_changes_nothing(
    db: Database, tmp_path: Path
) -> None:
    assert await db.schema_version() == len(migrations())
    await db.close()
    again = Database(tmp_path / "bot.db")
    await again.open()
    assert await again.schema_version() == len(migrations())
    row = await again.fetch_one("PRAGMA journal_mode")
    assert row is not None and row[0] == "wal"
    await again.close()


async def test_an_event_is_claimed_only_once(db: Database) -> None:
    async with db.transaction():
        assert await processed_events.claim(db, "$e1", "!r")
    async with db.transaction():
        assert not await processed_events.claim(db, "$e1", "!r")


async def test_a_failed_handling_leaves_nothing_half_saved(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await processed_events.claim(db, "$e2", "!r")
            await outbox.enqueue(db, "!r", "m.room.message", {"body": "réponse"})
            raise RuntimeError("the handler broke")
    assert not await processed_events.seen(db, "$e2")
    assert await outbox.pending(db) == []


async def test_the_outbox_keeps_its_transaction_id_until_sent(db: Database) -> None:
    txn = await outbox.enqueue(db, "!r", "m.room.message", {"body": "a"}, purpose="status")
    (pending,) = await outbox.pending(db)
    assert pending.txn_id == txn and pending.purpose == "status"
    await outbox.mark_failed(db, pending.id, "timeout", give_up=False)
    (retry,) = await outbox.pending(db)
    assert retry.txn_id == txn and retry.attempts == 1
    await outbox.mark_sent(db, retry.id, "$sent")
    assert await outbox.pending(db) == []
    assert await outbox.sent_event_for(db, "status") == "$sent"
    assert await outbox.purpose_of_sent(db, "$sent") == "status"


async def test_a_newer_edit_replaces_an_unsent_one(db: Database) -> None:
    await outbox.replace_pending(db, "!r", "m.room.message", {"body": "* 1 vote"}, "edit:s")
    await outbox.replace_pending(db, "!r", "m.room.message", {"body": "* 2 votes"}, "edit:s")
    (only,) = await outbox.pending(db)
    assert only.content["body"] == "* 2 votes"


async def test_a_write_from_another_task_does_not_join_an_open_transaction(db: Database) -> None:
    import asyncio

    started = asyncio.Event()

    async def other_task() -> None:
        await started.wait()
        await outbox.enqueue(db, "!r", "m.room.message", {"body": "from the sender"})

    writer = asyncio.create_task(other_task())
    with pytest.raises(RuntimeError):
        async with db.transaction():
            started.set()
            await asyncio.sleep(0.05)  # the other task tries to write meanwhile
            raise RuntimeError("this handler fails")
    await writer
    (kept,) = await outbox.pending(db)  # the other task's row survived the rollback
    assert kept.content["body"] == "from the sender"


async def test_a_failed_savepoint_undoes_its_writes_and_its_after_commit_actions(
    db: Database,
) -> None:
    ran: list[str] = []

    async def note(what: str) -> None:
        ran.append(what)

    committed: list[AfterCommit] = []
    db.on_commit = committed.extend
    async with db.transaction():
        await processed_events.claim(db, "$kept", "!r")
        db.call_after(lambda: note("before"))
        with pytest.raises(RuntimeError):
            async with db.savepoint("command"):
                await outbox.enqueue(db, "!r", "m.room.message", {"body": "à moitié"})
                db.call_after(lambda: note("undone"))
                raise RuntimeError("refused")
        await outbox.enqueue(db, "!r", "m.room.message", {"body": "le refus"})
    for action in committed:
        await action()
    assert await processed_events.seen(db, "$kept")
    assert [p.content["body"] for p in await outbox.pending(db)] == ["le refus"]
    assert ran == ["before"]


async def test_a_savepoint_that_succeeds_keeps_its_writes_and_actions(db: Database) -> None:
    committed: list[AfterCommit] = []
    db.on_commit = committed.extend
    async with db.transaction(), db.savepoint("command"):
        await outbox.enqueue(db, "!r", "m.room.message", {"body": "gardé"})
        db.call_after(_nothing)
    assert [p.content["body"] for p in await outbox.pending(db)] == ["gardé"]
    assert committed == [_nothing]


async def test_a_savepoint_outside_a_transaction_is_refused(db: Database) -> None:
    with pytest.raises(StoreError):
        async with db.savepoint("command"):
            pass
    with pytest.raises(ValueError):
        async with db.transaction(), db.savepoint("x; DROP TABLE outbox"):
            pass


async def _nothing() -> None:
    return None


async def test_the_outbox_keeps_no_text_once_sent_or_given_up(db: Database) -> None:
    await outbox.enqueue(db, "!r", "m.room.message", {"body": "merci Bruno"}, purpose="a")
    await outbox.enqueue(db, "!r", "m.room.message", {"body": "bravo Chloé"}, purpose="b")
    first, second = await outbox.pending(db)
    await outbox.mark_sent(db, first.id, "$sent")
    await outbox.mark_failed(db, second.id, "forbidden", give_up=True)
    rows = await db.fetch_all("SELECT content_json, sent_event_id, purpose FROM outbox")
    assert [(r["content_json"], r["sent_event_id"]) for r in rows] == [
        ("{}", "$sent"),
        ("{}", "!failed"),
    ]
    assert await outbox.purpose_of_sent(db, "$sent") == "a"
