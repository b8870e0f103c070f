"""How the demo prints the room's conversation: numbered phases, one line or block per event.

Pure text from the events a pioneer's client saw (``SeenEvent``); the demo's story itself is in
``bot/demo.py``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence

from bot.testing.pioneer import SeenEvent

WRAP = 100
POLL_START = "org.matrix.msc3381.poll.start"
TEXT = "org.matrix.msc1767.text"


class Transcript:
    """Prints the phases and, each time it is asked, the events it has not printed yet."""

    def __init__(self) -> None:
        self.printed = 0
        self.step = 0

    def phase(self, title: str) -> None:
        self.step += 1
        print(f"\n=== [{self.step}] {title} ===", flush=True)

    def show_new(
        self, events: Sequence[SeenEvent], room: str, bot_id: str, names: Mapping[str, str]
    ) -> None:
        """Print the room's new messages (and the bot's private ones) from ``events``."""
        for event in events[self.printed :]:
            if event.room_id != room and event.sender != bot_id:
                continue
            line = render(event, room, names)
            if line:
                print(line, flush=True)
        self.printed = len(events)


def render(event: SeenEvent, room: str, names: Mapping[str, str]) -> str | None:
    """One event as the transcript shows it, or None for an event it leaves out.

    e.g. ``  Anna ↳fil: [réaction ✅]`` for a reaction in a thread."""
    who = names.get(event.sender, event.sender)
    where = " (privé)" if event.room_id != room else ""
    prefix = f"  {who}{where}"
    if event.thread_root:
        prefix += " ↳fil"
    described = _describe(event)
    return None if described is None else f"{prefix}: {described}"


def _describe(event: SeenEvent) -> str | None:
    if event.type.endswith("poll.start"):
        start = event.content[POLL_START]
        answers = ", ".join(a[TEXT] for a in start["answers"])
        return f"[sondage Element] {start['question'][TEXT]} — {answers}"
    if event.type.endswith("poll.response"):
        block = event.content.get("org.matrix.msc3381.poll.response", {})
        chosen = ", ".join("#" + a.lstrip("s") for a in block.get("answers", []))
        return f"[répond au sondage] {chosen}"
    if event.type == "m.room.redaction":
        return f"[retire un sondage] {event.content.get('reason', '')}"
    if event.type.endswith("poll.end"):
        return f"[fin du sondage] {event.content.get(TEXT, '')}"
    if event.type == "m.reaction":
        return f"[réaction {event.content['m.relates_to']['key']}]"
    if event.type != "m.room.message":
        return None
    msgtype = event.content.get("msgtype")
    if msgtype in ("m.image", "m.file"):
        return f"[{msgtype[2:]}] {event.content.get('filename') or event.body}"
    if "m.new_content" in event.content:
        return "[modifie son message] " + first_line(event.content["m.new_content"]["body"])
    return textwrap.indent(
        "\n".join(textwrap.fill(line, WRAP) if line else "" for line in event.body.splitlines()),
        "      ",
    ).lstrip()


def bot_texts(events: Iterable[SeenEvent], bot_id: str) -> list[str]:
    """Every text the bot wrote among ``events``, once each, an edit replacing its original."""
    texts: dict[str, str] = {}
    for event in events:
        if event.sender != bot_id:
            continue
        if event.type.endswith("poll.start"):
            texts[event.event_id] = event.content[POLL_START]["question"][TEXT]
        elif event.type == "m.room.message":
            edited = event.content.get("m.new_content")
            content = edited or event.content
            key = event.content["m.relates_to"]["event_id"] if edited else event.event_id
            if content.get("msgtype") in ("m.text", "m.notice"):
                texts[key] = str(content.get("body", ""))
    return list(texts.values())


def first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""
