"""The real Element Web (1.12.12) in headless Chromium, driven by Playwright, for tests.

The bundle is a production build kept beside the workplace (``../shared/element-web/``); it is
unpacked once into ``<repo>/.cache/element-web/`` and served on 127.0.0.1 by the ``serve.py``
that sits beside it, with Element's « exclude insecure devices » setting on. Chromium is Debian's
(``/usr/bin/chromium``) and may reach nothing but 127.0.0.1.

Example::

    async with ElementWeb(homeserver.base_url) as element:
        me = await element.login(user_id, password)
        await me.join(room_id)
        await me.open_room(room_id)
        await me.send("!aide")
        reply = await me.wait_for_tile(lambda t: "Ce que je sais faire" in t.text)
        await me.screenshot("aide")

An Element device only decrypts what is sent after it exists: log in first, then make the
bot act.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self

from bot.testing.homeserver import free_port

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page, Playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
ELEMENT_VERSION = "1.12.12"
CHROMIUM = Path("/usr/bin/chromium")
CACHE_DIR = REPO_ROOT / ".cache" / "element-web"
SHOTS_DIR = REPO_ROOT / "test-output" / "element"
_SHARED_DIR = REPO_ROOT.parent / "shared" / "element-web"

# Buttons that put off what Element asks at a first login (key storage, notifications,
# « verify this session »): the harness always answers « later ».
_LATER = re.compile(
    r"^\s*(Later|Dismiss|Yes, dismiss|Not now|Skip|Close|OK|Got it|I'll do it later|"
    r"Maybe later|I'll verify later)\s*$",
    re.I,
)
_INSECURE_TEXT = "Sent from an insecure device"
THREAD_PATIENCE_S = 10.0
Where = Literal["room", "thread"]


def bundle_path() -> Path:
    """The Element Web tarball: ``$ELEMENT_WEB_TGZ``, else the workplace's shared copy."""
    configured = os.environ.get("ELEMENT_WEB_TGZ")
    if configured:
        return Path(configured)
    return _SHARED_DIR / f"element-web-{ELEMENT_VERSION}.tgz"


def serve_script() -> Path:
    """``serve.py`` beside the bundle (it writes Element's ``config.json``)."""
    beside = bundle_path().parent / "serve.py"
    return beside if beside.exists() else _SHARED_DIR / "serve.py"


def element_web_available() -> str | None:
    """None when Element Web can run here, else a one-line reason why not."""
    if not bundle_path().is_file():
        return f"no Element Web bundle at {bundle_path()} (set ELEMENT_WEB_TGZ)"
    if not serve_script().is_file():
        return f"no serve.py beside the Element Web bundle ({serve_script()})"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 pip install …)"
    return None


def unpacked_webapp(cache: Path = CACHE_DIR) -> Path:
    """The unpacked webapp folder, unpacking the bundle on first use (under a second here)."""
    tgz = bundle_path()
    stamp = f"{tgz.name} {tgz.stat().st_size} {int(tgz.stat().st_mtime)}"
    webapp = cache / f"webapp-{ELEMENT_VERSION}"
    marker = cache / "unpacked-from"
    if webapp.is_dir() and marker.exists() and marker.read_text() == stamp:
        return webapp
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="unpacking-", dir=cache))
    try:
        with tarfile.open(tgz) as archive:
            archive.extractall(staging, filter="data")
        shutil.rmtree(webapp, ignore_errors=True)
        try:
            (staging / webapp.name).rename(webapp)
        except OSError:
            if not webapp.is_dir():  # else another test run unpacked it meanwhile
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    marker.write_text(stamp)
    return webapp


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
_READ_TILES_JS = """
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
_THREAD_MODEL_JS = """
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

_IMAGES_SETTLED_JS = """
() => Promise.all([...document.images].filter((i) => !i.complete).map((i) =>
  new Promise((done) => { i.onload = i.onerror = done; setTimeout(done, 5000); })))
"""


class ElementError(RuntimeError):
    """Element Web did not get where a test needed it (the message says where it stopped)."""


class ElementWeb:
    """The served bundle and one headless Chromium (one logged-in user per instance)."""

    def __init__(
        self,
        homeserver_url: str,
        shots_dir: Path = SHOTS_DIR,
        viewport: tuple[int, int] = (1280, 900),
    ) -> None:
        self.homeserver_url = homeserver_url
        self.shots_dir = shots_dir
        self.viewport = viewport
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.blocked_requests: list[str] = []  # anything that tried to leave 127.0.0.1
        self._server: subprocess.Popen[bytes] | None = None
        self._playwright: Playwright | None = None
        self._context: BrowserContext | None = None
        self._profile: Path | None = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        """Serve the webapp against the homeserver and launch Chromium (no page yet)."""
        reason = element_web_available()
        if reason:
            raise ElementError(reason)
        webapp = await asyncio.to_thread(unpacked_webapp)
        self._server = subprocess.Popen(
            [
                sys.executable,
                str(serve_script()),
                "--webapp",
                str(webapp),
                "--port",
                str(self.port),
                "--hs",
                self.homeserver_url,
                "--exclude-insecure-devices",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        await self._wait_served(time.monotonic() + 20)
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self._profile = Path(tempfile.mkdtemp(prefix="element-profile-"))
        width, height = self.viewport
        self._context = await self._playwright.chromium.launch_persistent_context(
            user_data_dir=str(self._profile),
            executable_path=str(CHROMIUM),
            headless=True,
            viewport={"width": width, "height": height},
            locale="en-GB",
            timezone_id="Europe/Paris",
            args=[
                "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        self._context.on("request", self._note_external)

    async def close(self) -> None:
        """Close Chromium, stop serving, delete the browser profile. Idempotent."""
        if self._context is not None:
            with contextlib.suppress(Exception):
                await self._context.close()
            self._context = None
        if self._playwright is not None:
            with contextlib.suppress(Exception):
                await self._playwright.stop()
            self._playwright = None
        if self._server is not None:
            self._server.terminate()
            try:
                self._server.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._server.kill()
                self._server.wait(timeout=5)
            if self._server.stderr is not None:
                self._server.stderr.close()
            self._server = None
        if self._profile is not None:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    async def login(self, user_id: str, password: str, timeout: float = 120) -> ElementUser:
        """Log in through the login form and get past the first-login prompts."""
        if self._context is None:
            raise ElementError("ElementWeb.start() first")
        page = self._context.pages[0] if self._context.pages else await self._context.new_page()
        user = ElementUser(self, page, user_id)
        await user.login(password, time.monotonic() + timeout)
        return user

    def memory_mib(self) -> int:
        """Proportional memory (PSS, MiB) of this Chromium and all its processes."""
        return chromium_pss_mib(str(self._profile)) if self._profile else 0

    def _note_external(self, request: Any) -> None:
        host = urllib.parse.urlsplit(request.url).hostname or ""
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host not in (
            "127.0.0.1",
            "localhost",
            "::1",
        ):
            self.blocked_requests.append(request.url[:200])

    async def _wait_served(self, deadline: float) -> None:
        while True:
            if self._server is not None and self._server.poll() is not None:
                err = self._server.stderr.read().decode() if self._server.stderr else ""
                raise ElementError(f"serve.py exited with {self._server.returncode}: {err}")
            try:
                await asyncio.to_thread(_http_get, self.url + "/version")
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise ElementError(f"Element Web not served on {self.url}") from None
                await asyncio.sleep(0.2)


class ElementUser:
    """A user logged in to Element Web: what she does and what her screen shows."""

    def __init__(self, element: ElementWeb, page: Page, user_id: str) -> None:
        self.element = element
        self.page = page
        self.user_id = user_id
        self.device_id = ""
        self.access_token = ""
        self.prompts_handled: list[str] = []
        self.login_seconds = 0.0
        self.room_id: str | None = None
        self.thread_root: str | None = None
        # Element's own slips the harness worked around, as a person would (for the report)
        self.quirks: list[str] = []

    # -- logging in -----------------------------------------------------------------------------

    async def login(self, password: str, deadline: float) -> None:
        started = time.monotonic()
        page = self.page
        await page.goto(self.element.url + "/#/login", wait_until="domcontentloaded")
        form_sent = False
        while True:
            if time.monotonic() > deadline:
                await self._fail("timed out waiting for Element's main view")
            if not form_sent and await _visible(page, "#mx_LoginForm_username"):
                await page.fill("#mx_LoginForm_username", self.user_id)
                await page.fill("#mx_LoginForm_password", password)
                await page.locator(".mx_Login_submit").first.click()
                form_sent = True
                self.prompts_handled.append("login form")
            elif await _visible(page, ".mx_CompleteSecurity"):
                # « Confirm your identity » (another device exists): verify later
                if await _visible(page, ".mx_CompleteSecurity_skip"):
                    await page.locator(".mx_CompleteSecurity_skip").first.click()
                await self._click_in(".mx_CompleteSecurity", re.compile(r"verify later|Skip", re.I))
            elif await self._click_in(
                ".mx_CompleteSecurityBody", re.compile(r"verify later", re.I)
            ):
                pass
            elif await _visible(page, ".mx_InitialCryptoSetupDialog"):
                # first login: Element sets up cross-signing by itself with the password
                await self._click_in(".mx_CompleteSecurityBody", re.compile(r"^\s*Retry\s*$", re.I))
            elif await _visible(page, ".mx_LeftPanel") or await _visible(page, ".mx_HomePage"):
                break
            await page.wait_for_timeout(500)
        session = await page.evaluate(
            """() => { const c = window.mxMatrixClientPeg && window.mxMatrixClientPeg.get();
                return c ? {device: c.getDeviceId(), token: c.getAccessToken()} : null }"""
        )
        if not session:
            await self._fail("no Matrix client in the page")
        self.device_id, self.access_token = session["device"], session["token"]
        await self._wait_device_published(deadline)
        await self.dismiss_prompts()
        self.login_seconds = time.monotonic() - started

    async def dismiss_prompts(self) -> None:
        """Put off every toast and dialog Element shows (« Later », « Dismiss », Escape)."""
        idle = 0
        for _ in range(12):
            did = False
            for toast in await self.page.locator(".mx_Toast_toast").all():
                label = await _click_matching(toast, _LATER)
                if label:
                    self.prompts_handled.append(f"toast -> {label}")
                    did = True
                    break
            if await _visible(self.page, ".mx_Dialog"):
                label = await self._click_in(".mx_Dialog", _LATER)
                if not label:
                    await self.page.keyboard.press("Escape")
                    label = "Escape"
                self.prompts_handled.append(f"dialog -> {label}")
                did = True
            if did:
                idle = 0
                await self.page.wait_for_timeout(800)
                continue
            idle += 1
            if idle >= 2:
                return
            await self.page.wait_for_timeout(500)

    # -- rooms ----------------------------------------------------------------------------------

    async def set_display_name(self, name: str) -> None:
        await self.page.evaluate(
            "(name) => window.mxMatrixClientPeg.get().setDisplayName(name)", name
        )

    async def wait_for_invite(self, room_id: str, timeout: float = 30) -> None:
        """Until Element's client has the invitation to ``room_id``."""
        deadline = time.monotonic() + timeout
        while True:
            membership = await self.page.evaluate(
                """(id) => { const room = window.mxMatrixClientPeg.get().getRoom(id);
                    return room ? room.getMyMembership() : null }""",
                room_id,
            )
            if membership in ("invite", "join"):
                return
            if time.monotonic() > deadline:
                await self._fail(f"no invitation to {room_id} reached Element")
            await asyncio.sleep(0.3)

    async def join(self, room_id: str) -> None:
        """Accept an invitation through Element's own client (as its « Accept » button does)."""
        await self.page.evaluate("(id) => window.mxMatrixClientPeg.get().joinRoom(id)", room_id)

    async def open_room(self, room_id: str) -> None:
        """Show the room's timeline, full width (no right panel)."""
        self.room_id = room_id
        await self.page.goto(self.element.url + "/#/room/" + urllib.parse.quote(room_id, safe="!:"))
        await self.page.wait_for_selector(
            ".mx_RoomView_body .mx_RoomView_MessageList", timeout=60000
        )
        await self.dismiss_prompts()
        await self.close_thread()

    # -- acting ---------------------------------------------------------------------------------

    async def send(self, text: str, where: Where = "room") -> None:
        """Type ``text`` in the composer (the room's, or the open thread's) and press Enter."""
        scope = ".mx_ThreadView" if where == "thread" else ".mx_RoomView_body"
        composer = self.page.locator(f"{scope} .mx_BasicMessageComposer_input").first
        await composer.click()
        await self.page.keyboard.type(text)
        await self.page.keyboard.press("Enter")
        await self.page.wait_for_timeout(300)

    async def click_poll_answer(self, poll: int | str, label: str) -> None:
        """Choose an answer of a poll tile, as a pioneer clicks it.

        ``poll`` is the poll's place in the timeline (0 = first) or words of its question;
        ``label`` is the answer's text or its beginning up to a space (« #2 » for « #2 Un
        planning »).
        """
        polls = []
        for found in await self.page.locator(".mx_RoomView_body .mx_MPollBody").all():
            if await found.evaluate("(el) => !el.closest('.mx_ReplyChain')"):
                polls.append(found)
        if isinstance(poll, int):
            chosen = polls[poll] if poll < len(polls) else None
        else:
            questions = [await p.locator("legend").first.inner_text() for p in polls]
            chosen = next((p for p, q in zip(polls, questions, strict=True) if poll in q), None)
        if chosen is None:
            raise ElementError(f"no poll {poll!r} among the {len(polls)} poll tiles")
        options = chosen.locator(".mx_PollOption")
        texts = [
            t.strip() for t in await options.locator(".mx_PollOption_optionText").all_inner_texts()
        ]
        matching = [i for i, t in enumerate(texts) if t == label or t.startswith(label + " ")]
        if len(matching) != 1:
            raise ElementError(f"poll {poll!r} has no single answer {label!r}: {texts}")
        option = options.nth(matching[0])
        await option.locator(".mx_PollOption_optionText").click()
        await option.locator("input:checked").wait_for(state="attached", timeout=10000)

    async def open_thread(self, root_event_id: str) -> None:
        """Open the thread under ``root_event_id`` (its « N replies » summary) on the right."""
        root = self.page.locator(
            f".mx_RoomView_body .mx_EventTile[data-event-id='{root_event_id}']"
        )
        await root.locator(".mx_ThreadSummary").click(timeout=15000)
        await self.page.wait_for_selector(".mx_ThreadView .mx_EventTile", timeout=15000)
        self.thread_root = root_event_id

    async def close_thread(self) -> None:
        """Close the right panel (Element reopens the last one a moment after a room opens)."""
        for _ in range(3):
            panel = self.page.locator(".mx_RightPanel")
            if not await panel.count() or not await panel.first.is_visible():
                return
            close = panel.first.get_by_role("button", name=re.compile(r"^Close", re.I))
            if not await close.count():
                return
            await close.first.click()
            await self.page.wait_for_timeout(500)

    # -- reading the screen ---------------------------------------------------------------------

    async def tiles(self, where: Where = "room") -> list[Tile]:
        """Every event tile in the main timeline, or in the open thread."""
        raw = await self.page.evaluate(_READ_TILES_JS, [where, _INSECURE_TEXT])
        return [Tile(**{**item, "poll_answers": tuple(item["poll_answers"])}) for item in raw]

    async def tile(self, event_id: str, where: Where = "room") -> Tile | None:
        return next((t for t in await self.tiles(where) if t.event_id == event_id), None)

    async def wait_for_tile(
        self,
        predicate: Callable[[Tile], bool],
        where: Where = "room",
        timeout: float = 30,
        describe: str = "",
    ) -> Tile:
        """The first tile matching ``predicate``, waiting for Element to show it.

        An open thread panel sometimes misses a reply that its summary in the room already
        shows (Element 1.12.12, about one run in ten): after ``THREAD_PATIENCE_S`` the thread is
        closed and opened again, as a person would, and the slip is noted in ``quirks``.
        """
        if where == "thread" and self.thread_root and timeout > THREAD_PATIENCE_S:
            try:
                return await self.wait_for_tile(predicate, where, THREAD_PATIENCE_S, describe)
            except ElementError:
                model = await self.page.evaluate(_THREAD_MODEL_JS, [self.room_id, self.thread_root])
                slip = (
                    f"the open thread did not show {describe or 'a reply'} for "
                    f"{THREAD_PATIENCE_S:.0f} s (Element's thread model then: {model})"
                )
                await self.page.evaluate(
                    """() => document.querySelectorAll(".mx_ThreadView .mx_ScrollPanel")
                        .forEach((el) => { el.scrollTop = el.scrollHeight; })"""
                )
                try:
                    found = await self.wait_for_tile(predicate, where, 3, describe)
                    self.quirks.append(slip + "; scrolling the thread down showed it")
                    return found
                except ElementError:
                    self.quirks.append(slip + "; closed and reopened the thread")
                await self.close_thread()
                await self.open_thread(self.thread_root)
                timeout -= THREAD_PATIENCE_S + 3
        tiles = await self.wait_for_screen(
            lambda shown: any(predicate(t) for t in shown), where, timeout, describe
        )
        return next(t for t in tiles if predicate(t))

    async def wait_for_screen(
        self,
        condition: Callable[[list[Tile]], bool],
        where: Where = "room",
        timeout: float = 30,
        describe: str = "",
    ) -> list[Tile]:
        """The tiles once ``condition`` holds for them all, waiting for Element to get there."""
        deadline = time.monotonic() + timeout
        while True:
            tiles = await self.tiles(where)
            if condition(tiles):
                return tiles
            await self._jump_to_latest(where)
            if time.monotonic() > deadline:
                seen = "\n".join(f"  {t.sender}: {t.text[:90]!r}" for t in tiles[-12:])
                shot = await self.screenshot("timeout")
                raise ElementError(
                    f"Element never showed {describe or 'what was expected'} in {timeout:.0f} s "
                    f"({where}; screenshot {shot}); last tiles:\n{seen}"
                )
            await self.page.wait_for_timeout(400)

    async def images_loaded(self) -> int:
        """Images in the main timeline that finished loading with real pixels."""
        await self.page.evaluate(_IMAGES_SETTLED_JS)
        return sum(t.images for t in await self.tiles())

    async def undecryptable_count(self, where: Where = "room") -> int:
        return sum(t.undecryptable for t in await self.tiles(where))

    async def insecure_count(self, where: Where = "room") -> int:
        return sum(t.insecure for t in await self.tiles(where))

    async def screenshot(
        self, name: str, full_height: int = 0, scroll_to: str | None = None
    ) -> Path:
        """A PNG in ``test-output/element/`` for humans.

        ``full_height`` grows the window first; ``scroll_to`` (an event id) brings that tile
        into view.
        """
        self.element.shots_dir.mkdir(parents=True, exist_ok=True)
        path = self.element.shots_dir / f"{name}.png"
        await self.page.evaluate(_IMAGES_SETTLED_JS)
        await self.page.mouse.move(150, 120)  # no hover toolbar or tooltip in the picture
        width, height = self.element.viewport
        if full_height:
            await self.page.set_viewport_size({"width": width, "height": full_height})
            await self.page.wait_for_timeout(800)
        if scroll_to:
            tile = self.page.locator(f".mx_EventTile[data-event-id='{scroll_to}']").first
            await tile.scroll_into_view_if_needed()
        await self.page.wait_for_timeout(300)
        await self.page.screenshot(path=str(path))
        if full_height:
            await self.page.set_viewport_size({"width": width, "height": height})
        if full_height or scroll_to:  # back to the latest messages, where a person reads
            await self.page.wait_for_timeout(300)
            await self._jump_to_latest("room", note=False)
        return path

    # -- internals ------------------------------------------------------------------------------

    async def _click_in(self, scope: str, pattern: re.Pattern[str]) -> str | None:
        for found in await self.page.locator(scope).all():
            label = await _click_matching(found, pattern)
            if label:
                return label
        return None

    async def _jump_to_latest(self, where: Where, note: bool = True) -> None:
        """Click the « jump to latest » arrow if Element shows one, as a person would.

        Element stops drawing new messages once the view is no longer at the bottom (it then
        shows an arrow with a count of new messages below).
        """
        scope = ".mx_ThreadView" if where == "thread" else ".mx_RoomView_body"
        arrow = self.page.locator(f"{scope} .mx_JumpToBottomButton_scrollDown").first
        if await arrow.count() and await arrow.is_visible():
            badge = self.page.locator(f"{scope} .mx_JumpToBottomButton_badge").first
            unread = await badge.inner_text() if await badge.count() else "?"
            if note:
                self.quirks.append(
                    f"the {where} view was left above the latest messages ({unread} new "
                    "below); clicked « jump to latest »"
                )
            await arrow.click()
            await self.page.wait_for_timeout(500)

    async def _wait_device_published(self, deadline: float) -> None:
        """Until the homeserver lists the new device's keys (else nobody encrypts for it)."""
        while True:
            keys = await asyncio.to_thread(
                _keys_query, self.element.homeserver_url, self.access_token, self.user_id
            )
            if self.device_id in keys.get("device_keys", {}).get(self.user_id, {}):
                return
            if time.monotonic() > deadline:
                await self._fail("the Element device never published its keys")
            await asyncio.sleep(0.5)

    async def _fail(self, what: str) -> None:
        shot = await self.screenshot("error")
        body = (await self.page.inner_text("body"))[:600]
        raise ElementError(f"{what} (screenshot {shot}); page says: {body!r}")


async def _visible(page: Page, selector: str) -> bool:
    try:
        return await page.locator(selector).first.is_visible()
    except Exception:
        return False


async def _click_matching(scope: Any, pattern: re.Pattern[str]) -> str | None:
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


def _http_get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=2) as answer:
        data: bytes = answer.read()
        return data


def _keys_query(homeserver_url: str, token: str, user_id: str) -> dict[str, Any]:
    request = urllib.request.Request(
        homeserver_url + "/_matrix/client/v3/keys/query",
        data=json.dumps({"device_keys": {user_id: []}}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            body: dict[str, Any] = json.loads(answer.read())
            return body
    except urllib.error.URLError:
        return {}


def chromium_pss_mib(marker: str) -> int:
    """PSS (MiB) of the Chromium whose command line holds ``marker``, and its descendants."""
    parents: dict[int, int] = {}
    roots: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(stat.rsplit(")", 1)[1].split()[1])
        if marker in command and "--type=" not in command:
            roots.add(pid)
    tree = set(roots)
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    kib = 0
    for pid in tree:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    kib += int(line.split()[1])
    return kib // 1024
