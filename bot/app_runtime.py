"""What features see of the running bot: ``CircleBot``'s side of the runtime port.

``bot.commands.runtime.Runtime`` is the protocol; this class implements it over the Matrix
adapter, the store, the clock and the outbox. ``CircleBot`` (``bot/app.py``) adds the
handling of incoming events.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import aiohttp
from apscheduler.triggers.base import BaseTrigger

from bot.circle import Circle
from bot.commands.context import CommandContext
from bot.commands.runtime import BotHealth, Job, PersonalData, StoryLine
from bot.config import Config
from bot.features.feature import Composition
from bot.features.personal_data.naming import forgotten_name
from bot.matrix.adapter import MatrixAdapter, now_ms
from bot.matrix.cross_signing import CrossSigningError, device_is_cross_signed
from bot.matrix.incoming import IncomingMessage
from bot.matrix.messages import MessageBuilder, Upload
from bot.matrix.sender import Sender
from bot.prompts import Prompts
from bot.scheduling import Clockwork
from bot.store import memberships, outbox
from bot.store.database import Database

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class BotRuntime:
    """The runtime port over the adapter, the store, the clock and the outbox."""

    def __init__(
        self,
        config: Config,
        db: Database,
        adapter: MatrixAdapter,
        prompts: Prompts,
        clock: Clock,
        hooks: Composition,
    ) -> None:
        self.config = config
        self.db = db
        self.adapter = adapter
        self.prompts = prompts
        self.clock = clock
        self.hooks = hooks
        self.builder = MessageBuilder()
        self.sender = Sender(db, adapter)
        self.clockwork = Clockwork()
        self.circles: dict[str, int] = {}  # room id -> joined_at_ms
        self._background: set[asyncio.Task[None]] = set()
        self.started_at = clock()
        db.on_commit = self._start_background

    @property
    def bot_user_id(self) -> str:
        return self.adapter.user_id

    def now(self) -> datetime:
        return self.clock()

    def circle_ids(self) -> list[str]:
        return list(self.circles)

    async def members(self, circle_id: str) -> dict[str, str | None]:
        """Every human member of the circle's room and their structure (None if not declared)."""
        declared = dict(self.config.circle_settings(circle_id).structures)
        declared.update(await memberships.declared_structures(self.db, circle_id))
        people = [m for m in self.adapter.member_ids(circle_id) if m != self.adapter.user_id]
        return {m: declared.get(m) for m in people}

    def display_name(self, circle_id: str, user_id: str) -> str:
        return self.adapter.display_name(circle_id, user_id)

    def person_name(self, circle_id: str, user_id: str) -> str:
        """A person as the circle reads her: her display name, or « une personne de
        <structure> » once she asked to be forgotten."""
        lang = self.config.circle_settings(circle_id).language
        forgotten = forgotten_name(self.prompts, lang, user_id)
        return forgotten or self.adapter.display_name(circle_id, user_id)

    def room_name(self, circle_id: str) -> str:
        return self.adapter.room_name(circle_id)

    def story_lines(self) -> tuple[StoryLine, ...]:
        return self.hooks.story_lines

    def personal_data(self) -> tuple[PersonalData, ...]:
        return self.hooks.personal_data

    def schedule_at(self, job_id: str, when: datetime, job: Job, *args: Any) -> None:
        self.clockwork.at(job_id, when, job, self, *args)

    def schedule_repeat(self, job_id: str, trigger: BaseTrigger, job: Job, *args: Any) -> None:
        self.clockwork.repeat(job_id, trigger, job, self, *args)

    def cancel(self, job_id: str) -> None:
        self.clockwork.cancel(job_id)

    def next_run(self, job_id: str) -> datetime | None:
        return self.clockwork.next_run(job_id)

    def upcoming(self, circle_id: str) -> list[tuple[str, datetime]]:
        return self.clockwork.upcoming(circle_id)

    async def health(self) -> BotHealth:
        try:
            signed: bool | None = await device_is_cross_signed(
                self.adapter.request, self.adapter.user_id, self.adapter.device_id
            )
        except (CrossSigningError, aiohttp.ClientError, TimeoutError):
            signed = None
        return BotHealth(
            version=_version(),
            started_at=self.started_at,
            cross_signed=signed,
            last_sync_at=self.adapter.last_sync_at,
            circles=len(self.circles),
            outbox_waiting=await outbox.waiting(self.db),
        )

    @asynccontextmanager
    async def job(self, circle_id: str) -> AsyncIterator[CommandContext]:
        """A scheduled job's work in a circle: one transaction, then the replies sent."""
        async with self.db.transaction():
            yield self.context(circle_id)
        await self._flush()

    def after_commit(self, action: Callable[[], Awaitable[None]]) -> None:
        self.db.call_after(action)

    def _start_background(self, actions: list[Callable[[], Awaitable[None]]]) -> None:
        for action in actions:
            task = asyncio.create_task(self._guard(action))
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    async def _guard(self, action: Callable[[], Awaitable[None]]) -> None:
        try:
            await action()
        except Exception:
            log.exception("background action failed")

    def context(self, circle_id: str) -> CommandContext:
        """The context of a scheduled job posting in a circle (no message to answer)."""
        anchor = IncomingMessage(circle_id, "", self.adapter.user_id, "", "job", now_ms())
        return CommandContext(
            db=self.db,
            prompts=self.prompts,
            builder=self.builder,
            circle=self.circle(circle_id),
            message=anchor,
            is_facilitator=True,
            now=self.clock(),
            prefix=self.config.command_prefix,
            display_name=lambda user: self.person_name(circle_id, user),
            runtime=self,
        )

    async def post_image(self, room_id: str, png: bytes, filename: str, caption: str) -> None:
        """Upload a PNG (encrypted in an encrypted room) and post it as ``m.image``."""
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        upload = await self._upload(room_id, png, filename, "image/png")
        await self._post_now(
            room_id, self.builder.attachment(upload, caption, image_size=(width, height))
        )

    async def post_file(self, room_id: str, data: bytes, filename: str, mimetype: str) -> None:
        """Upload a file (encrypted in an encrypted room) and post it as ``m.file``."""
        upload = await self._upload(room_id, data, filename, mimetype)
        await self._post_now(room_id, self.builder.attachment(upload, filename))

    async def _upload(self, room_id: str, data: bytes, filename: str, mimetype: str) -> Upload:
        encrypted = self.adapter.room_encrypted(room_id)
        mxc, keys = await self.adapter.upload(data, mimetype, filename, encrypt=encrypted)
        return Upload(mxc, filename, mimetype, len(data), keys if encrypted else None)

    async def _post_now(self, room_id: str, content: dict[str, Any]) -> None:
        await outbox.enqueue(self.db, room_id, "m.room.message", content)
        await self._flush()

    async def _flush(self) -> None:
        try:
            await self.sender.flush()
        except Exception:
            log.exception("outbox flush failed")

    async def _flush_periodically(self) -> None:
        while True:
            await asyncio.sleep(2)
            await self._flush()

    # ---- circle lookup ----
    def circle(self, room_id: str) -> Circle:
        return Circle(room_id, self.config.circle_settings(room_id))

    def circle_of_member(self, user_id: str) -> Circle | None:
        for room_id in self.circles:
            if user_id in self.adapter.member_ids(room_id):
                return self.circle(room_id)
        return None

    def is_facilitator(self, room_id: str, user_id: str) -> bool:
        settings = self.config.circle_settings(room_id)
        if user_id in settings.facilitators:
            return True
        return self.adapter.power_level(room_id, user_id) >= self.config.facilitator_power_level


def _version() -> str:
    try:
        return version("cercle-bot")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "dev"
