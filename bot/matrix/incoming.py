"""What the bot receives, as plain dataclasses: the rest of the code never sees nio."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_FALLBACK_LINE = re.compile(r"^> ?.*$")


@dataclass(frozen=True)
class IncomingMessage:
    room_id: str
    event_id: str
    sender: str
    body: str  # the reply fallback already stripped
    msgtype: str
    server_ts: int
    thread_root: str | None = None
    reply_to: str | None = None
    mentioned_users: tuple[str, ...] = ()
    formatted_body: str | None = None
    edits: str | None = None  # for an edit: the event it corrects (answers go to that one)


@dataclass(frozen=True)
class IncomingReaction:
    room_id: str
    event_id: str
    sender: str
    reacts_to: str
    key: str
    server_ts: int


@dataclass(frozen=True)
class IncomingPollResponse:
    room_id: str
    event_id: str
    sender: str
    poll_event_id: str
    answer_ids: tuple[str, ...]
    server_ts: int


@dataclass(frozen=True)
class IncomingRedaction:
    """A message deleted in Matrix (``m.room.redaction``): ``redacts`` is the deleted event.

    The homeserver lets only its sender or a moderator redact it, so any that arrives is valid."""

    room_id: str
    event_id: str
    sender: str
    redacts: str
    server_ts: int


def redacted_event(event: dict[str, Any]) -> str | None:
    """The event a redaction deletes: ``content.redacts`` since room version 11, top-level
    ``redacts`` before (servers may send both)."""
    content = event.get("content")
    inside = content.get("redacts") if isinstance(content, dict) else None
    target = inside if isinstance(inside, str) else event.get("redacts")
    return target if isinstance(target, str) and target else None


@dataclass(frozen=True)
class IncomingInvite:
    room_id: str
    inviter: str
    is_direct: bool


@dataclass(frozen=True)
class IncomingMembership:
    room_id: str
    event_id: str
    user_id: str
    membership: str  # join, leave, ban…
    server_ts: int
    content: dict[str, Any] = field(default_factory=dict)


def strip_reply_fallback(body: str) -> str:
    """Remove the quoted ``> <@user> …`` lines a reply starts with (older clients).

    >>> strip_reply_fallback("> <@a:x> hello\\n> more\\n\\n!aide")
    '!aide'
    """
    lines = body.split("\n")
    if not lines or not lines[0].startswith("> "):
        return body
    index = 0
    while index < len(lines) and _FALLBACK_LINE.match(lines[index]):
        index += 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    return "\n".join(lines[index:])


def mentioned_users(content: dict[str, Any]) -> tuple[str, ...]:
    """The user ids a message's ``m.mentions`` names."""
    mentions = content.get("m.mentions") or {}
    user_ids = mentions.get("user_ids") if isinstance(mentions, dict) else None
    return tuple(u for u in (user_ids or []) if isinstance(u, str))


def is_edit(content: dict[str, Any]) -> bool:
    """Whether the content edits an earlier message (``m.replace``), well formed or not."""
    rel = content.get("m.relates_to")
    return isinstance(rel, dict) and rel.get("rel_type") == "m.replace"


def edited_message(
    room_id: str, event_id: str, sender: str, server_ts: int, content: dict[str, Any]
) -> IncomingMessage | None:
    """An edit's corrected text, as a message that ``edits`` the original; None when the
    edit is malformed (no edited event, no ``m.new_content`` with a body)."""
    if not is_edit(content):
        return None
    original = content["m.relates_to"].get("event_id")
    new_content = content.get("m.new_content")
    if not isinstance(original, str) or not isinstance(new_content, dict):
        return None
    body = new_content.get("body")
    if not isinstance(body, str):
        return None
    return IncomingMessage(
        room_id=room_id,
        event_id=event_id,
        sender=sender,
        body=body,
        msgtype=str(new_content.get("msgtype", "")),
        server_ts=server_ts,
        mentioned_users=mentioned_users(new_content),
        formatted_body=new_content.get("formatted_body"),
        edits=original,
    )


def relation_of(content: dict[str, Any]) -> tuple[str | None, str | None]:
    """(thread root, replied-to event) from an event content's ``m.relates_to``."""
    rel = content.get("m.relates_to") or {}
    if not isinstance(rel, dict):
        return None, None
    in_reply = rel.get("m.in_reply_to") or {}
    reply_to = in_reply.get("event_id") if isinstance(in_reply, dict) else None
    if rel.get("rel_type") == "m.thread":
        root = rel.get("event_id")
        # In a thread, a "falling back" reply is not a real reply.
        if rel.get("is_falling_back"):
            reply_to = None
        return (root if isinstance(root, str) else None), reply_to
    return None, reply_to if isinstance(reply_to, str) else None
