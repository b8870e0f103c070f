"""Incoming nio events turned into the plain dataclasses of ``incoming.py``, for a sink.

The adapter decides which events to read (not its own, decrypted, from a trusted device);
this module only translates what it is given and hands it to the ``EventSink``.
"""

from __future__ import annotations

from typing import Any, Protocol

from nio import BadEvent, ReactionEvent, RedactionEvent, RoomMemberEvent, RoomMessage, UnknownEvent

from bot.matrix.incoming import (
    IncomingInvite,
    IncomingMembership,
    IncomingMessage,
    IncomingPollResponse,
    IncomingReaction,
    IncomingRedaction,
    edited_message,
    is_edit,
    mentioned_users,
    redacted_event,
    relation_of,
    strip_reply_fallback,
)

POLL_RESPONSE_TYPES = ("org.matrix.msc3381.poll.response", "m.poll.response")


class EventSink(Protocol):
    async def on_invite(self, invite: IncomingInvite) -> None: ...
    async def on_message(self, message: IncomingMessage) -> None: ...
    async def on_edit(self, message: IncomingMessage) -> None: ...
    async def on_reaction(self, reaction: IncomingReaction) -> None: ...
    async def on_poll_response(self, response: IncomingPollResponse) -> None: ...
    async def on_membership(self, change: IncomingMembership) -> None: ...
    async def on_redaction(self, redaction: IncomingRedaction) -> None: ...
    async def after_batch(self, next_batch: str) -> None: ...


async def hand_to(sink: EventSink, room_id: str, event: Any) -> None:
    """Translate one timeline event the bot reads and pass it to the matching sink method.

    Events of other kinds (state the bot does not follow, unknown types) are dropped."""
    if isinstance(event, RoomMessage):
        await _hand_message(sink, room_id, event)
    elif isinstance(event, ReactionEvent):
        await sink.on_reaction(reaction_of(room_id, event))
    elif isinstance(event, UnknownEvent) and event.type in POLL_RESPONSE_TYPES:
        response = poll_response_of(room_id, event)
        if response is not None:
            await sink.on_poll_response(response)
    elif isinstance(event, RoomMemberEvent):
        await sink.on_membership(membership_of(room_id, event))
    elif isinstance(event, RedactionEvent | BadEvent | UnknownEvent):
        redaction = redaction_of(room_id, event)
        if redaction is not None:
            await sink.on_redaction(redaction)


async def _hand_message(sink: EventSink, room_id: str, event: RoomMessage) -> None:
    content = event.source.get("content", {})
    if not isinstance(content.get("body", ""), str):
        return
    if is_edit(content):  # never a new message, even when malformed
        correction = edited_message(
            room_id, event.event_id, event.sender, event.server_timestamp, content
        )
        if correction is not None:
            await sink.on_edit(correction)
        return
    await sink.on_message(message_of(room_id, event))


def message_of(room_id: str, event: RoomMessage) -> IncomingMessage:
    """A new message; a reply's quoted fallback is taken out of its body."""
    content = event.source.get("content", {})
    body = content.get("body", "")
    root, reply_to = relation_of(content)
    return IncomingMessage(
        room_id=room_id,
        event_id=event.event_id,
        sender=event.sender,
        body=strip_reply_fallback(body) if reply_to else body,
        msgtype=content.get("msgtype", ""),
        server_ts=event.server_timestamp,
        thread_root=root,
        reply_to=reply_to,
        mentioned_users=mentioned_users(content),
        formatted_body=content.get("formatted_body"),
    )


def reaction_of(room_id: str, event: ReactionEvent) -> IncomingReaction:
    return IncomingReaction(
        room_id, event.event_id, event.sender, event.reacts_to, event.key, event.server_timestamp
    )


def poll_response_of(room_id: str, event: UnknownEvent) -> IncomingPollResponse | None:
    """A poll answer, under the stable or the unstable (MSC3381) names; None if malformed."""
    content = event.source.get("content", {})
    rel = content.get("m.relates_to") or {}
    block = (
        content.get(event.type)
        or content.get("org.matrix.msc3381.poll.response")
        or content.get("m.selections")
        or {}
    )
    answers = block.get("answers") if isinstance(block, dict) else block
    if not isinstance(rel, dict) or not isinstance(answers, list):
        return None
    return IncomingPollResponse(
        room_id,
        event.event_id,
        event.sender,
        str(rel.get("event_id")),
        tuple(str(a) for a in answers),
        event.server_timestamp,
    )


def redaction_of(room_id: str, event: Any) -> IncomingRedaction | None:
    """A redaction, whatever nio made of it: a ``RedactionEvent`` when ``redacts`` is at the
    top level, a ``BadEvent`` when (room version 11+) it is only in the content."""
    source = event.source if isinstance(event.source, dict) else {}
    if source.get("type") != "m.room.redaction":
        return None
    target = redacted_event(source)
    if target is None:
        return None
    return IncomingRedaction(
        room_id, event.event_id, event.sender, target, int(event.server_timestamp)
    )


def membership_of(room_id: str, event: RoomMemberEvent) -> IncomingMembership:
    return IncomingMembership(
        room_id,
        event.event_id,
        event.state_key,
        event.membership,
        event.server_timestamp,
        dict(event.content or {}),
    )
