"""What a command handler gets: who asked, where, and how to answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.circle import Circle
from bot.matrix.incoming import IncomingMessage
from bot.matrix.messages import REDACTION, Markdown, MessageBuilder, Relation, Text, fill
from bot.prompts import Prompts
from bot.store import outbox
from bot.store.database import Database

if TYPE_CHECKING:
    from bot.commands.runtime import Runtime


@dataclass
class CommandContext:
    """Two room ids, not to be mixed up: ``circle.room_id`` is the room the message came in
    (where answers, threads and reactions go: a direct chat's room when it came by direct
    message), ``circle_id`` the circle itself (what rows are keyed by, where a post meant
    for the whole circle goes). They differ only in a direct chat."""

    db: Database
    prompts: Prompts
    builder: MessageBuilder
    circle: Circle
    message: IncomingMessage
    is_facilitator: bool
    now: datetime
    prefix: str
    display_name: Callable[[str], str]
    runtime: Runtime
    home: Circle | None = None  # the sender's circle, when the command came by direct message

    @property
    def lang(self) -> str:
        return self.circle.language

    @property
    def circle_id(self) -> str:
        """The circle's room id, also when the command came by direct message: the key of
        its rows in the store (``circle.room_id`` is the room to answer in)."""
        return self.home.room_id if self.home is not None else self.circle.room_id

    @property
    def in_direct_chat(self) -> bool:
        return self.circle_id != self.circle.room_id

    @property
    def sender(self) -> str:
        return self.message.sender

    def t(self, key: str, **fields: Any) -> Text:
        """A prompt as message text (fields escaped unless trusted)."""
        template_fields = {"p": Markdown(self.prefix), **fields}
        return fill(self.prompts.template(self.lang, key, fields.get("n")), template_fields)

    def reply_relation(self) -> Relation:
        """Answer in the thread the command came from, as a reply to it (to the message
        itself, not to an edit of it)."""
        reply_to = self.message.edits or self.message.event_id
        return Relation(thread_root=self.message.thread_root, reply_to=reply_to)

    async def reply(self, key: str, **fields: Any) -> None:
        await self.reply_text(self.t(key, **fields))

    async def reply_text(
        self, text: Text, notify: bool = False, purpose: str | None = None
    ) -> None:
        content = self.builder.build(text, notify=notify, relation=self.reply_relation())
        await outbox.enqueue(self.db, self.circle.room_id, "m.room.message", content, purpose)

    async def post_text(self, text: Text, notify: bool = False, purpose: str | None = None) -> None:
        """Post in the room itself (not as a reply)."""
        content = self.builder.build(text, notify=notify)
        await outbox.enqueue(self.db, self.circle.room_id, "m.room.message", content, purpose)

    async def reply_in_thread(
        self, text: Text, root: str, reply_to: str | None = None, purpose: str | None = None
    ) -> None:
        """Answer in the thread of ``root`` (in the room the message came in), replying to
        ``reply_to`` (the root itself by default)."""
        relation = Relation(thread_root=root, reply_to=reply_to or root)
        content = self.builder.build(text, relation=relation)
        await outbox.enqueue(self.db, self.circle.room_id, "m.room.message", content, purpose)

    async def post_event(
        self, event_type: str, content: dict[str, Any], purpose: str | None = None
    ) -> None:
        """Post an event the builder made (a poll…) in the circle's room."""
        await outbox.enqueue(self.db, self.circle_id, event_type, content, purpose)

    async def edit(self, original: str, text: Text, latest_only: str | None = None) -> None:
        """Edit a message the bot sent in the circle's room; with ``latest_only`` (a purpose),
        an unsent earlier edit of the same kind is dropped (a burst keeps only the last)."""
        content = self.builder.edit(original, self.builder.build(text))
        if latest_only is None:
            await outbox.enqueue(self.db, self.circle_id, "m.room.message", content)
        else:
            await outbox.replace_pending(
                self.db, self.circle_id, "m.room.message", content, latest_only
            )

    async def withdraw(self, event_id: str, reason: str) -> None:
        """Redact an event the bot sent in the circle's room."""
        content = self.builder.redaction(event_id, reason)
        await outbox.enqueue(self.db, self.circle_id, REDACTION, content)

    async def react(self, event_id: str, key: str) -> None:
        """Annotate ``event_id`` (in the room the message came in) with the emoji ``key``."""
        content = self.builder.reaction(event_id, key)
        await outbox.enqueue(self.db, self.circle.room_id, "m.reaction", content)
