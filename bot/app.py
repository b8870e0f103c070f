"""The running bot: wires the Matrix edge, the store, the commands and the clock.

Every incoming event is handled in one database transaction that also records
its event id and queues the replies; the replies are sent after the commit.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from typing import Any

from bot.app_runtime import BotRuntime, Clock
from bot.circle import Circle
from bot.commands.addressing import MAX_COMMAND_CHARS, CommandText, command_text
from bot.commands.context import CommandContext
from bot.commands.registry import CommandRegistry
from bot.commands.router import CommandRouter
from bot.commands.throttle import Throttle, Verdict
from bot.config import Config
from bot.features import FEATURES, build_registry
from bot.features.feature import Composition, Feature
from bot.matrix.adapter import MatrixAdapter, now_ms
from bot.matrix.cross_signing import CrossSigningKeys, ensure_cross_signed
from bot.matrix.incoming import (
    IncomingInvite,
    IncomingMembership,
    IncomingMessage,
    IncomingPollResponse,
    IncomingReaction,
    IncomingRedaction,
)
from bot.matrix.messages import Markdown, Relation, Text, fill
from bot.prompts import Prompts
from bot.store import bot_state, circles, names, outbox, processed_events
from bot.store.database import Database

log = logging.getLogger(__name__)


def system_clock() -> datetime:
    return datetime.now(UTC)


class CircleBot(BotRuntime):
    """The running bot: every incoming event handled once, in one transaction with its
    replies; the runtime port (``BotRuntime``) is what features see of it."""

    def __init__(
        self,
        config: Config,
        db: Database,
        adapter: MatrixAdapter,
        prompts: Prompts,
        clock: Clock = system_clock,
        features: tuple[Feature, ...] = FEATURES,
    ) -> None:
        super().__init__(config, db, adapter, prompts, clock, Composition.of(features))
        self.features = features
        self.throttle = Throttle(config.commands_per_minute)
        self.direct_rooms: dict[str, tuple[str, int]] = {}
        self._first_batch = True
        self._rebuilding: asyncio.Task[None] | None = None  # the jobs, rebuilt at start
        self.registry: CommandRegistry = build_registry(features)
        self.router = CommandRouter(self.registry)

    # ---- start / stop ----
    async def start(self) -> None:
        """Load circles, start rebuilding the jobs, make sure the device is cross-signed;
        then ``run()``."""
        self.circles = {c.room_id: c.joined_at_ms for c in await circles.all_circles(self.db)}
        self.direct_rooms = await circles.direct_rooms(self.db)
        # The jobs are rebuilt (about a second at a thousand circles) while the device is
        # checked and the first sync comes; ``run()`` waits for them before handling it.
        self._start_rebuilding()
        try:
            await self.adapter.upload_own_keys()
            keys = CrossSigningKeys.load_or_create(self.config.data_dir / "cross-signing.json")
            await ensure_cross_signed(
                self.adapter.request,
                self.adapter.user_id,
                self.adapter.device_id,
                keys,
                self.config.password,
            )
        except BaseException:
            self._stop_clockwork()
            raise

    def _start_rebuilding(self) -> None:
        self.clockwork.start()
        self._rebuilding = asyncio.create_task(self._rebuild_jobs())

    def _stop_clockwork(self) -> None:
        if self._rebuilding is not None and not self._rebuilding.done():
            self._rebuilding.cancel()
        self.clockwork.shutdown()

    async def run(self) -> None:
        since = await bot_state.get(self.db, bot_state.SYNC_TOKEN)
        if self._rebuilding is None:  # not started by start()
            self._start_rebuilding()
        assert self._rebuilding is not None
        flusher = asyncio.create_task(self._flush_periodically())
        try:
            await self.adapter.run(self, since, self._flush, before_first_batch=self._rebuilding)
        finally:
            flusher.cancel()
            self._stop_clockwork()

    async def _rebuild_jobs(self) -> None:
        """Jobs come from the database: each feature rebuilds its own (deadlines, rhythms)."""
        for hook in self.hooks.on_start:
            await hook(self)

    # ---- EventSink ----
    async def on_invite(self, invite: IncomingInvite) -> None:
        if invite.room_id in self.circles or invite.room_id in self.direct_rooms:
            return
        home = self.circle_of_member(invite.inviter)
        if invite.is_direct and home is not None:
            if not await self.adapter.join(invite.room_id):
                return
            joined_at = now_ms()
            async with self.db.transaction():
                await circles.add_direct_room(self.db, invite.room_id, invite.inviter, joined_at)
                await self._queue(invite.room_id, self._text(home.language, "direct.greeting"))
            self.direct_rooms[invite.room_id] = (invite.inviter, joined_at)
            log.info("accepted a direct chat from %s", invite.inviter)
            return
        if self.config.may_invite(invite.inviter):
            if not await self.adapter.join(invite.room_id):
                return
            joined_at = now_ms()
            async with self.db.transaction():
                await circles.add_circle(self.db, invite.room_id, joined_at, invite.inviter)
                circle = self.circle(invite.room_id)
                await self._queue(circle.room_id, self._text(circle.language, "greeting"))
            self.circles[invite.room_id] = joined_at
            log.info("joined circle %s, invited by %s", invite.room_id, invite.inviter)
            for hook in self.hooks.on_circle_joined:
                await hook(self, invite.room_id)
            return
        log.info("declining invite to %s from %s (not allowed)", invite.room_id, invite.inviter)
        await self.adapter.leave(invite.room_id)

    async def on_message(self, message: IncomingMessage) -> None:
        if message.msgtype != "m.text" or not self._serves(message):
            return  # notices come from bots; history from before the bot joined is not news
        in_direct = message.room_id in self.direct_rooms
        found = self._command_in(message)
        if found is None:
            if in_direct:  # only the bot reads it: say what works here, rather than nothing
                if self.throttle.check(message.sender, time.monotonic()) is Verdict.ALLOW:
                    await self._handle(message, None, self._direct_chat_hint)
            elif self.hooks.chat:
                await self._handle(message, None, self._run_chat_hooks)
            return
        await self._run_command(message, found, in_direct)

    async def on_edit(self, message: IncomingMessage) -> None:
        """An edit (``message.edits`` set) of a command that was refused runs as the
        corrected command, the way people fix a typo in Element; an edit that is no
        command goes to the edit hooks (a check-in or retrospective answer corrected)."""
        if message.msgtype != "m.text" or message.edits is None or not self._serves(message):
            return
        found = self._command_in(message)
        if found is None:
            if self.hooks.edits:
                await self._handle(message, None, self._run_edit_hooks)
            return
        original = await processed_events.refused_command(self.db, message.edits)
        if original is None or original.sender != message.sender:
            return
        in_direct = message.room_id in self.direct_rooms
        await self._run_command(
            replace(message, thread_root=original.thread_root), found, in_direct
        )

    def _serves(self, message: IncomingMessage) -> bool:
        joined_at = self._joined_at(message.room_id)
        return joined_at is not None and message.server_ts >= joined_at

    def _command_in(self, message: IncomingMessage) -> CommandText | None:
        return command_text(
            message.body[: MAX_COMMAND_CHARS + 1],
            self.config.command_prefix,
            self.adapter.user_id,
            (self.adapter.display_name(message.room_id, self.adapter.user_id),),
            message.mentioned_users,
        )

    async def _run_command(
        self, message: IncomingMessage, found: CommandText, in_direct: bool
    ) -> None:
        verdict = self.throttle.check(message.sender, time.monotonic())
        if verdict is Verdict.SILENT:
            return
        command_event = message.edits or message.event_id

        async def run_command(ctx: CommandContext) -> None:
            if message.edits and not await processed_events.refused_command(self.db, message.edits):
                return  # another edit already ran it
            done = False
            if verdict is Verdict.WARN:
                await ctx.reply("throttled")
                done = True  # not refused: an edit must not replay it
            elif len(message.body) > MAX_COMMAND_CHARS:
                await ctx.reply("too_long", limit=MAX_COMMAND_CHARS)
            else:
                done = await self.router.run(ctx, found.word, found.args, direct_chat=in_direct)
            await processed_events.set_refused(self.db, command_event, not done)

        await self._handle(message, found.word, run_command)

    @staticmethod
    async def _direct_chat_hint(ctx: CommandContext) -> None:
        await ctx.reply("direct.hint")

    async def _run_edit_hooks(self, ctx: CommandContext) -> None:
        for hook in self.hooks.edits:
            if await hook(ctx):
                return

    async def _run_chat_hooks(self, ctx: CommandContext) -> None:
        for hook in self.hooks.chat:
            if await hook(ctx):
                return

    def _joined_at(self, room_id: str) -> int | None:
        if room_id in self.circles:
            return self.circles[room_id]
        if room_id in self.direct_rooms:
            return self.direct_rooms[room_id][1]
        return None

    def context_for(self, message: IncomingMessage) -> CommandContext | None:
        """The context a handler runs in; None for a direct chat of a non-member."""
        if message.room_id in self.direct_rooms:
            home = self.circle_of_member(message.sender)
            if home is None:
                return None
            circle = Circle(message.room_id, home.settings)
            facilitator = False
        else:
            home = circle = self.circle(message.room_id)
            facilitator = self.is_facilitator(message.room_id, message.sender)
        return CommandContext(
            db=self.db,
            prompts=self.prompts,
            builder=self.builder,
            circle=circle,
            message=message,
            is_facilitator=facilitator,
            now=self.clock(),
            prefix=self.config.command_prefix,
            display_name=lambda user: self.person_name(home.room_id, user),
            runtime=self,
            home=home if home is not circle else None,
        )

    async def _handle(
        self,
        message: IncomingMessage,
        label: str | None,
        work: Callable[[CommandContext], Awaitable[None]],
    ) -> None:
        """Run ``work`` once for this event: one transaction with the event id and replies."""
        ctx = self.context_for(message)
        if ctx is None:
            return
        try:
            async with self.db.transaction():
                if not await processed_events.claim(
                    self.db, message.event_id, message.room_id, message.sender, message.thread_root
                ):
                    return
                await work(ctx)
        except Exception:
            log.exception(
                "handling %s failed in %s (event %s)",
                label or "a message",
                message.room_id,
                message.event_id,
            )
            async with self.db.transaction():
                claimed = await processed_events.claim(self.db, message.event_id, message.room_id)
                if claimed and label is not None:
                    await ctx.reply("internal_error")

    async def on_reaction(self, reaction: IncomingReaction) -> None:
        joined_at = self.circles.get(reaction.room_id)
        if not self.hooks.reactions or joined_at is None or reaction.server_ts < joined_at:
            return
        # Replies to a reaction go to the reacted-to message.
        anchor = IncomingMessage(
            reaction.room_id,
            reaction.event_id,
            reaction.sender,
            "",
            "m.reaction",
            reaction.server_ts,
            reply_to=reaction.reacts_to,
        )

        async def work(ctx: CommandContext) -> None:
            for hook in self.hooks.reactions:
                if await hook(ctx, reaction):
                    return

        await self._handle(anchor, None, work)

    async def on_poll_response(self, response: IncomingPollResponse) -> None:
        joined_at = self.circles.get(response.room_id)
        if not self.hooks.polls or joined_at is None or response.server_ts < joined_at:
            return
        anchor = IncomingMessage(
            response.room_id,
            response.event_id,
            response.sender,
            "",
            "poll.response",
            response.server_ts,
        )

        async def work(ctx: CommandContext) -> None:
            for hook in self.hooks.polls:
                if await hook(ctx, response):
                    return

        await self._handle(anchor, None, work)

    async def on_redaction(self, redaction: IncomingRedaction) -> None:
        """A message deleted in Matrix: each feature withdraws what it carried (a ballot, a
        story, an answer…), once, in one transaction like any event."""
        joined_at = self._joined_at(redaction.room_id)
        if not self.hooks.redactions or joined_at is None or redaction.server_ts < joined_at:
            return
        anchor = IncomingMessage(
            redaction.room_id,
            redaction.event_id,
            redaction.sender,
            "",
            "m.room.redaction",
            redaction.server_ts,
        )

        async def work(ctx: CommandContext) -> None:
            for hook in self.hooks.redactions:
                await hook(ctx, redaction)

        await self._handle(anchor, None, work)

    async def on_membership(self, change: IncomingMembership) -> None:
        leaving = change.membership in ("leave", "ban")
        if change.user_id == self.adapter.user_id and leaving and change.room_id in self.circles:
            await circles.remove_circle(self.db, change.room_id)
            self.circles.pop(change.room_id, None)
            log.info("left circle %s", change.room_id)

    async def after_batch(self, next_batch: str) -> None:
        if self._first_batch and self.adapter.all_rooms_known:
            self._first_batch = False
            await self._adopt_unknown_rooms()
            self._start_background([partial(hook, self) for hook in self.hooks.on_first_sync])
        await self._remember_names()
        await bot_state.put(self.db, bot_state.SYNC_TOKEN, next_batch)

    async def _remember_names(self) -> None:
        """Circles' and members' names, kept for the offline export (``python -m bot export``)."""
        for room_id in self.adapter.take_renamed_rooms():
            if room_id in self.circles:
                await names.remember(
                    self.db,
                    room_id,
                    self.adapter.room_name(room_id),
                    self.adapter.member_names(room_id),
                )

    async def _adopt_unknown_rooms(self) -> None:
        """Rooms the bot is in without a record (e.g. a lost database) become circles, quietly."""
        for room_id in self.adapter.joined_rooms():
            if room_id not in self.circles and room_id not in self.direct_rooms:
                joined_at = now_ms()
                await circles.add_circle(self.db, room_id, joined_at, "?")
                self.circles[room_id] = joined_at
                log.info("adopted room %s as a circle", room_id)

    # ---- helpers ----
    def _text(self, lang: str, key: str, **fields: Any) -> Text:
        all_fields = {"p": Markdown(self.config.command_prefix), **fields}
        return fill(self.prompts.template(lang, key, fields.get("n")), all_fields)

    async def _queue(
        self,
        room_id: str,
        text: Text,
        notify: bool = False,
        relation: Relation | None = None,
        purpose: str | None = None,
    ) -> None:
        content = self.builder.build(text, notify=notify, relation=relation)
        await outbox.enqueue(self.db, room_id, "m.room.message", content, purpose)
