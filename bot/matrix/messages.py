"""The one place that builds every outgoing message's content.

Text is composed from prompt templates; every field value is user text unless
wrapped in ``Markdown`` (trusted, from prompts) or ``Mention`` (a pill). User
text is Markdown-escaped before rendering, and the renderer has raw HTML off,
so nothing a pioneer types becomes markup, a link or a pill.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from markdown_it import MarkdownIt

_MD = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("table")
    .enable("strikethrough")
)
_ASCII_PUNCT = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
_SPACES = re.compile(r"\s+")
HTML_FORMAT = "org.matrix.custom.html"
POLL_START = "org.matrix.msc3381.poll.start"
POLL_UNDISCLOSED = "org.matrix.msc3381.poll.undisclosed"
POLL_TEXT = "org.matrix.msc1767.text"
REDACTION = "m.room.redaction"


class Markdown(str):
    """Trusted Markdown (from prompts or built by code): inserted as is."""


@dataclass(frozen=True)
class Mention:
    """A pill that pings ``user_id``; shows ``name`` (display name or localpart)."""

    user_id: str
    name: str

    @property
    def markdown(self) -> str:
        return (
            f"[{escape_markdown(self.name)}](https://matrix.to/#/{quote(self.user_id, safe='@:')})"
        )


def escape_markdown(text: str) -> str:
    """Escape user text so Markdown renders it literally, on one line.

    >>> escape_markdown("**gras** <b>x</b>")
    '\\\\*\\\\*gras\\\\*\\\\* \\\\<b\\\\>x\\\\</b\\\\>'
    """
    return _ASCII_PUNCT.sub(r"\\\1", _SPACES.sub(" ", text).strip())


@dataclass(frozen=True)
class Text:
    """A piece of message text, held twice: Markdown source and plain fallback."""

    markdown: str
    plain: str
    mentions: tuple[str, ...] = ()

    def __add__(self, other: Text) -> Text:
        return Text(
            self.markdown + other.markdown,
            self.plain + other.plain,
            _unique(self.mentions + other.mentions),
        )

    @staticmethod
    def join(parts: Iterable[Text], sep: str = "\n\n") -> Text:
        items = list(parts)
        return Text(
            sep.join(p.markdown for p in items),
            sep.join(p.plain for p in items),
            _unique(tuple(m for p in items for m in p.mentions)),
        )

    @staticmethod
    def lines(parts: Iterable[Text]) -> Text:
        """Parts on lines of their own, in one paragraph (Markdown hard breaks): for rows
        that must not become a list Element would renumber, such as a ranking with ties."""
        items = list(parts)
        return Text(
            "\\\n".join(p.markdown for p in items),
            "\n".join(p.plain for p in items),
            _unique(tuple(m for p in items for m in p.mentions)),
        )


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def fill(template: str, fields: dict[str, Any]) -> Text:
    """Fill a template: escaped values for the Markdown side, raw ones for plain text."""
    md_fields: dict[str, Any] = {}
    plain_fields: dict[str, Any] = {}
    mentions: list[str] = []
    for name, value in fields.items():
        if isinstance(value, Mention):
            md_fields[name] = value.markdown
            plain_fields[name] = value.name
            mentions.append(value.user_id)
        elif isinstance(value, Text):
            md_fields[name] = value.markdown
            plain_fields[name] = value.plain
            mentions.extend(value.mentions)
        elif isinstance(value, Markdown):
            md_fields[name] = str(value)
            plain_fields[name] = str(value)
        elif isinstance(value, int | float):
            md_fields[name] = value
            plain_fields[name] = value
        else:
            md_fields[name] = escape_markdown(str(value))
            plain_fields[name] = str(value)
    return Text(template.format(**md_fields), template.format(**plain_fields), _unique(mentions))


def render_html(markdown: str) -> str:
    """Markdown → HTML in Element's allowlist (raw HTML is off, so it is escaped)."""
    return _MD.render(markdown).strip()


@dataclass(frozen=True)
class Relation:
    """Where a message goes: in a thread, as a reply, or in the room."""

    thread_root: str | None = None
    reply_to: str | None = None

    def content(self) -> dict[str, Any] | None:
        if self.thread_root:
            # Inside a thread the conversation is linear: the reply link is only the
            # fallback for clients without threads, so Element shows no quote above
            # each answer (it did quote every pioneer's answer in the story dialogue).
            return {
                "rel_type": "m.thread",
                "event_id": self.thread_root,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": self.reply_to or self.thread_root},
            }
        if self.reply_to:
            return {"m.in_reply_to": {"event_id": self.reply_to}}
        return None


@dataclass(frozen=True)
class Upload:
    """A file on the media repository: its ``mxc`` URI, and ``keys`` when encrypted."""

    mxc: str
    filename: str
    mimetype: str
    size: int
    keys: dict[str, Any] | None = None


@dataclass
class MessageBuilder:
    """Builds ``m.room.message`` contents: notice by default, text when it must ping."""

    extra_mentions: tuple[str, ...] = field(default=())

    def build(
        self,
        text: Text,
        *,
        notify: bool = False,
        relation: Relation | None = None,
    ) -> dict[str, Any]:
        # A notice never notifies (its push rule comes before the mention rule),
        # so a message meant to reach people must be m.text; only then do its
        # pills become real mentions.
        content: dict[str, Any] = {
            "msgtype": "m.text" if notify else "m.notice",
            "body": text.plain,
            "format": HTML_FORMAT,
            "formatted_body": render_html(text.markdown),
            "m.mentions": {"user_ids": list(text.mentions)} if notify and text.mentions else {},
        }
        rel = (relation or Relation()).content()
        if rel:
            content["m.relates_to"] = rel
        return content

    def poll_start(
        self, question: str, answers: Sequence[tuple[str, str]], fallback: str
    ) -> dict[str, Any]:
        """A single-choice poll (``answers``: id and label), results hidden until it ends.

        Element Web shows every poll as single choice whatever ``max_selections`` says,
        so the bot never asks for more than one answer.
        """
        return {
            POLL_START: {
                "kind": POLL_UNDISCLOSED,
                "max_selections": 1,
                "question": {POLL_TEXT: question, "body": question},
                "answers": [{"id": key, POLL_TEXT: label} for key, label in answers],
            },
            POLL_TEXT: fallback,
            "body": fallback,
            "m.mentions": {},
        }

    def attachment(
        self,
        upload: Upload,
        body: str,
        *,
        image_size: tuple[int, int] | None = None,
    ) -> dict[str, Any]:
        """An ``m.image`` (when ``image_size``, width and height, is given) or ``m.file``.

        An encrypted upload goes in ``file`` with its keys (clients decrypt it); a plain
        one in ``url``: a client reads one or the other, never both.
        """
        info: dict[str, Any] = {"mimetype": upload.mimetype, "size": upload.size}
        if image_size is not None:
            info["w"], info["h"] = image_size
        content: dict[str, Any] = {
            "msgtype": "m.file" if image_size is None else "m.image",
            "body": body,
            "filename": upload.filename,
            "info": info,
            "m.mentions": {},
        }
        if upload.keys:
            content["file"] = {"url": upload.mxc, "mimetype": upload.mimetype, **upload.keys}
        else:
            content["url"] = upload.mxc
        return content

    def redaction(self, event_id: str, reason: str) -> dict[str, Any]:
        """Withdraw an event the bot sent (sent as ``m.room.redaction`` by the adapter)."""
        return {"redacts": event_id, "reason": reason}

    def edit(self, original_event_id: str, new_content: dict[str, Any]) -> dict[str, Any]:
        """An ``m.replace`` edit of a message this bot sent."""
        replacement = {k: v for k, v in new_content.items() if k != "m.relates_to"}
        return {
            "msgtype": new_content["msgtype"],
            "body": "* " + new_content["body"],
            "format": HTML_FORMAT,
            "formatted_body": "* " + new_content["formatted_body"],
            "m.new_content": replacement,
            "m.mentions": {},
            "m.relates_to": {"rel_type": "m.replace", "event_id": original_event_id},
        }

    def reaction(self, event_id: str, key: str) -> dict[str, Any]:
        """An ``m.reaction`` content: ``key`` (an emoji) annotating ``event_id``."""
        return {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
