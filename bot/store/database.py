"""The SQLite database: one file in the data directory, WAL mode, one writer.

Migrations are the numbered ``migrations/NNNN_name.sql`` files, applied in
order; ``schema_version`` holds the last one applied. Every change caused by
one incoming event happens inside one ``transaction()``, together with the
record that the event was processed and the replies to send (the outbox), so
a crash never leaves half of it saved.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

AfterCommit = Callable[[], Awaitable[None]]
MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_SAVEPOINT_NAME = re.compile(r"^[a-z_]+$")


class StoreError(Exception):
    """The database cannot be opened or migrated."""


def migrations() -> list[tuple[int, str, str]]:
    """The migration files shipped with the package, as (number, name, sql), in order."""
    found = []
    for entry in resources.files("bot.store").joinpath("migrations").iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise StoreError(f"migration numbers must run 1..N without gaps, got {numbers}")
    return found


class Database:
    """One aiosqlite connection shared by the whole process; writes are serialised."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Side effects hung on the open transaction (Synapse's ``txn.call_after``): handed
        # to ``on_commit`` once it commits, dropped if it rolls back.
        self.on_commit: Callable[[list[AfterCommit]], None] = _run_in_background
        self._after: list[AfterCommit] = []
        self._conn: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        # The task whose transaction is open: another task's write must wait for the
        # lock, not slip into (and share the fate of) someone else's transaction.
        self._owner: asyncio.Task[object] | None = None

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise StoreError("database is not open")
        return self._conn

    async def open(self) -> None:
        try:
            self._conn = await aiosqlite.connect(self.path, isolation_level=None)
        except Exception as exc:  # sqlite3.OperationalError and friends
            raise StoreError(f"cannot open database {self.path}: {exc}") from None
        self._conn.row_factory = aiosqlite.Row
        await self._conn.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL is durable across application crashes (not power loss).
        await self._conn.execute("PRAGMA synchronous=NORMAL")
        await self._conn.execute("PRAGMA foreign_keys=ON")
        await self._conn.execute("PRAGMA busy_timeout=5000")
        await self._migrate()

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def schema_version(self) -> int:
        await self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
        )
        async with self.conn.execute("SELECT MAX(version) FROM schema_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    async def _migrate(self) -> None:
        current = await self.schema_version()
        for number, name, sql in migrations():
            if number <= current:
                continue
            log.info("applying migration %s", name)
            async with self.transaction():
                for statement in _statements(sql):
                    await self.conn.execute(statement)
                await self.conn.execute(
                    "INSERT INTO schema_version (version) VALUES (?)", (number,)
                )

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE … COMMIT (ROLLBACK on any exception); one at a time."""
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            self._owner = asyncio.current_task()
            self._after = []
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")
                if self._after:
                    self.on_commit(self._after)
            finally:
                self._owner = None
                self._after = []

    @asynccontextmanager
    async def savepoint(self, name: str) -> AsyncIterator[None]:
        """A nested step of the open transaction: on an exception, what it wrote and the
        after-commit actions it hung are undone, then the exception goes on. For example::

            async with db.transaction():
                await processed_events.claim(db, event_id)  # kept
                try:
                    async with db.savepoint("command"):
                        await write_half(db)  # undone
                        raise CommandRefused("...")
                except CommandRefused:
                    await outbox.enqueue(db, ...)  # the refusal, kept
        """
        if not _SAVEPOINT_NAME.match(name):
            raise ValueError(f"not a savepoint name: {name!r}")
        if self._owner is None or self._owner is not asyncio.current_task():
            # Outside a transaction SQLite would open one without the write lock.
            raise StoreError("a savepoint needs this task's open transaction")
        hung = len(self._after)
        await self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            await self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            del self._after[hung:]
            raise
        finally:
            await self.conn.execute(f"RELEASE SAVEPOINT {name}")

    def call_after(self, action: AfterCommit) -> None:
        """Run ``action`` once the transaction this task has open commits; outside a
        transaction, at once (in the background)."""
        if self._owner is not None and self._owner is asyncio.current_task():
            self._after.append(action)
        else:
            self.on_commit([action])

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        async with self.conn.execute(sql, tuple(params)) as cur:
            return await cur.fetchone()

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        async with self.conn.execute(sql, tuple(params)) as cur:
            return list(await cur.fetchall())

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one write statement; inside a transaction, or as its own short one."""
        if self._owner is not None and self._owner is asyncio.current_task():
            cur = await self.conn.execute(sql, tuple(params))
            return cur.lastrowid or 0
        async with self.transaction():
            cur = await self.conn.execute(sql, tuple(params))
            return cur.lastrowid or 0


def _run_in_background(actions: list[AfterCommit]) -> None:
    """The default for ``on_commit``: each action as a task of its own, failures logged."""
    for action in actions:
        task = asyncio.get_running_loop().create_task(_logged(action))
        _BACKGROUND.add(task)
        task.add_done_callback(_BACKGROUND.discard)


async def _logged(action: AfterCommit) -> None:
    try:
        await action()
    except Exception:
        log.exception("an after-commit action failed")


_BACKGROUND: set[asyncio.Task[None]] = set()


def _statements(sql: str) -> list[str]:
    """Split a migration file on ';' at line ends (our files hold no triggers)."""
    parts = re.split(r";\s*(?:\n|$)", sql)
    cleaned = []
    for part in parts:
        lines = [ln for ln in part.splitlines() if not ln.strip().startswith("--")]
        text = "\n".join(lines).strip()
        if text:
            cleaned.append(text)
    return cleaned
