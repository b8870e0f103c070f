"""What Element shows: a timeline tile, the scripts that read tiles, finding on the page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from playwright.async_api import Page


INSECURE_TEXT = "Sent from an insecure device"
THREAD_PATIENCE_S = 10.0
Where = Literal["room", "thread"]


@dataclass(frozen=True)
class Tile:
    """One event tile as Element shows it (``text`` has Element's list numbers written in)."""

    event_id: str
    sender: str | None
    text: str
    highlighted: bool  # Element's mx_EventTile_highlight: a mention of the viewer
    reply_quote: bool  # a reply preview (the quoted message) is drawn above the body
    shield: bool  # an E2E warning icon beside the tile
    undecryptable: bool
    insecure: bool  # hidden as « Sent from an insecure device » (exclude-insecure on)
    redacted: bool
    poll_question: str | None
    poll_answers: tuple[str, ...]
    poll_footer: str  # « Final result based on … » once a poll has ended
    images: int  # images in the tile that finished loading with real pixels

    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


# Reads every tile of the main timeline or of the open thread. List markers are written into
# the text (Element renumbers an <ol> from its start whatever the source said), the reply quote,
# timestamps and the hover toolbar are left out.
READ_TILES_JS = """
([where, insecureText]) => {
  const scope = where === "thread"
    ? document.querySelector(".mx_ThreadView")
    : document.querySelector(".mx_RoomView_body");
  if (!scope) return [];
  const client = window.mxMatrixClientPeg && window.mxMatrixClientPeg.get();
  const roomId = window.location.hash.split("/")[2];
  const room = client && roomId ? client.getRoom(decodeURIComponent(roomId)) : null;
  const shown = (el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll(".mx_ReplyChain_wrapper, .mx_ReplyChain, .mx_MessageTimestamp, "
      + ".mx_MessageActionBar, .mx_EventTile_e2eIcon, .mx_ThreadSummary, "
      + ".mx_ReadReceiptGroup").forEach((n) => n.remove());
    copy.querySelectorAll("ol").forEach((ol) => {
      let n = ol.hasAttribute("start") ? parseInt(ol.getAttribute("start"), 10) : 1;
      [...ol.children].filter((c) => c.tagName === "LI").forEach((li) => {
        li.insertBefore(document.createTextNode(`${n}. `), li.firstChild);
        n += 1;
      });
    });
    copy.querySelectorAll("ul > li").forEach((li) => {
      li.insertBefore(document.createTextNode("• "), li.firstChild);
    });
    const box = document.createElement("div");
    box.style.cssText = `position:absolute;left:-20000px;top:0;width:${el.clientWidth || 800}px`;
    box.appendChild(copy);
    document.body.appendChild(box);
    const text = copy.innerText;
    box.remove();
    return text;
  };
  // what a tile itself holds, not what its reply preview quotes
  const own = (t, sel) => [...t.querySelectorAll(sel)].filter((n) => !n.closest(".mx_ReplyChain"));
  const tiles = [...scope.querySelectorAll(".mx_EventTile[data-event-id]")];
  return tiles.map((t) => {
    const id = t.getAttribute("data-event-id");
    const event = room ? room.findEventById(id) : null;
    const line = t.querySelector(".mx_EventTile_line") || t;
    const failure = own(t, ".mx_DecryptionFailureBody")[0];
    const poll = own(t, ".mx_MPollBody")[0];
    const footer = poll ? poll.querySelector(".mx_MPollBody_totalVotes") : null;
    const question = poll ? poll.querySelector("legend") : null;
    return {
      event_id: id,
      sender: event ? event.getSender() : null,
      text: shown(line),
      highlighted: t.classList.contains("mx_EventTile_highlight"),
      reply_quote: !!t.querySelector(".mx_ReplyChain"),
      shield: !!t.querySelector(".mx_EventTile_e2eIcon"),
      undecryptable: !!failure && !failure.innerText.includes(insecureText),
      insecure: !!failure && failure.innerText.includes(insecureText),
      redacted: own(t, ".mx_RedactedBody").length > 0,
      poll_question: question ? question.innerText.trim() : null,
      poll_answers: poll
        ? [...poll.querySelectorAll(".mx_PollOption_optionText")].map((o) => o.innerText.trim())
        : [],
      poll_footer: footer ? footer.innerText.trim() : "",
      images: own(t, ".mx_MImageBody img").filter((i) => i.complete && i.naturalWidth > 0).length,
    };
  });
}
"""

# What Element's client holds for a thread, against what its panel shows.
THREAD_MODEL_JS = """
([roomId, rootId]) => {
  const room = window.mxMatrixClientPeg.get().getRoom(roomId);
  const thread = room && room.getThread(rootId);
  if (!thread) return "no thread object";
  const live = thread.liveTimeline.getEvents().map((e) => e.getId());
  const shown = [...document.querySelectorAll(".mx_ThreadView .mx_EventTile[data-event-id]")]
    .map((t) => t.getAttribute("data-event-id"));
  const events = thread.liveTimeline.getEvents();
  return {
    length: thread.length,
    live_timeline: live.length,
    shown: shown.length,
    in_model_not_shown: events.filter((e) => !shown.includes(e.getId())).map((e) => {
      const at = live.indexOf(e.getId());
      return {
        sender: e.getSender(),
        position: at,
        ms_after_previous: at > 0 ? e.getTs() - events[at - 1].getTs() : null,
      };
    }),
  };
}
"""

IMAGES_SETTLED_JS = """
() => Promise.all([...document.images].filter((i) => !i.complete).map((i) =>
  new Promise((done) => { i.onload = i.onerror = done; setTimeout(done, 5000); })))
"""


async def visible(page: Page, selector: str) -> bool:
    try:
        return await page.locator(selector).first.is_visible()
    except Exception:
        return False


async def click_matching(scope: Any, pattern: re.Pattern[str]) -> str | None:
    """Click the first visible button in ``scope`` whose text matches; its text, or None."""
    for button in await scope.locator("[role=button], button").all():
        try:
            text = (await button.inner_text(timeout=500)).strip()
            if pattern.search(text) and await button.is_visible():
                await button.click(timeout=2000)
                return str(text)
        except Exception:
            continue
    return None
