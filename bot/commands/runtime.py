"""What a feature may use of the running bot: the port between ``bot/features`` and ``bot/app``.

Features depend on this protocol, never on ``CircleBot``: the bot implements it, and the
in-process tests implement it around a fake Matrix side. It imports no feature.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from apscheduler.triggers.base import BaseTrigger

    from bot.circle import Circle
    from bot.commands.context import CommandContext
    from bot.domain.personal_data import Forgetting
    from bot.domain.stories import Story
    from bot.matrix.messages import Text
    from bot.store.database import Database

Job = Callable[..., Awaitable[None]]
AfterCommit = Callable[[], Awaitable[None]]
StoryLine = Callable[["CommandContext", "Story"], Awaitable["Text | None"]]
# One member's rows, as plain JSON values (``!mesdonnees``), across every circle.
DataExport = Callable[["Database", str], Awaitable[list[dict[str, Any]]]]
# Forget one member (``!oublier``): erase her texts or give them to her alias.
DataForget = Callable[["CommandContext", "Forgetting"], Awaitable[None]]


@dataclass(frozen=True)
class PersonalData:
    """What a feature keeps about a person: ``export`` gives it to her under ``section`` in
    her ``!mesdonnees`` file, ``forget`` erases it or gives it to her alias (``!oublier``)."""

    section: str
    export: DataExport
    forget: DataForget


@dataclass(frozen=True)
class BotHealth:
    """How the running bot is, for ``!statut``."""

    version: str
    started_at: datetime
    cross_signed: bool | None  # None: the homeserver could not be asked
    last_sync_at: datetime | None
    circles: int
    outbox_waiting: int  # replies queued and not yet accepted by the homeserver


class Runtime(Protocol):
    """The running bot as features see it."""

    @property
    def bot_user_id(self) -> str: ...

    @property
    def db(self) -> Database:
        """The store, for work that spans circles (every open vote, at start)."""
        ...

    def now(self) -> datetime: ...

    def circle(self, circle_id: str) -> Circle: ...

    def circle_ids(self) -> list[str]:
        """The circles the bot serves now."""
        ...

    async def members(self, circle_id: str) -> dict[str, str | None]:
        """Every human member of the circle and their structure (None if not declared)."""
        ...

    def display_name(self, circle_id: str, user_id: str) -> str: ...

    def room_name(self, circle_id: str) -> str: ...

    def story_lines(self) -> tuple[StoryLine, ...]:
        """What features add under a story shown by ``!histoire N`` (its votes, its chantier)."""
        ...

    def personal_data(self) -> tuple[PersonalData, ...]:
        """What every feature keeps about a person (``Feature.personal_data``)."""
        ...

    # ---- the clock ----
    def schedule_at(self, job_id: str, when: datetime, job: Job, *args: Any) -> None:
        """Run ``job(runtime, *args)`` once at ``when`` (at once if it is past)."""
        ...

    def schedule_repeat(self, job_id: str, trigger: BaseTrigger, job: Job, *args: Any) -> None:
        """Run ``job(runtime, *args)`` at every fire time of ``trigger``."""
        ...

    def cancel(self, job_id: str) -> None: ...

    def next_run(self, job_id: str) -> datetime | None: ...

    def upcoming(self, circle_id: str) -> list[tuple[str, datetime]]:
        """(job function's name, next run) of the circle's scheduled jobs, soonest first."""
        ...

    async def health(self) -> BotHealth:
        """Version, uptime, device trust as the homeserver shows it, last sync, outbox."""
        ...

    # ---- work done outside an incoming event ----
    def context(self, circle_id: str) -> CommandContext:
        """A context to read a circle and post in it, outside any transaction (each write is
        its own); for long work such as drawing a picture."""
        ...

    def job(self, circle_id: str) -> AbstractAsyncContextManager[CommandContext]:
        """``async with runtime.job(circle) as ctx:`` one transaction; after it commits, its
        after-commit actions start and the replies are sent."""
        ...

    def after_commit(self, action: AfterCommit) -> None:
        """Run ``action`` once the transaction now open has committed (never if it rolls
        back); outside a transaction, at once in the background."""
        ...

    async def post_image(self, circle_id: str, png: bytes, filename: str, caption: str) -> None: ...

    async def post_file(
        self, circle_id: str, data: bytes, filename: str, mimetype: str
    ) -> None: ...
