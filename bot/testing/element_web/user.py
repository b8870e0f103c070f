"""A user logged in to Element Web: logging in past the first prompts, acting, reading tiles."""

from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.testing.element_web.tiles import (
    IMAGES_SETTLED_JS,
    INSECURE_TEXT,
    READ_TILES_JS,
    THREAD_MODEL_JS,
    THREAD_PATIENCE_S,
    Tile,
    Where,
    click_matching,
    visible,
)

if TYPE_CHECKING:
    from playwright.async_api import Page

    from bot.testing.element_web.browser import ElementWeb


# Buttons that put off what Element asks at a first login (key storage, notifications,
# « verify this session »): the harness always answers « later ».
_LATER = re.compile(
    r"^\s*(Later|Dismiss|Yes, dismiss|Not now|Skip|Close|OK|Got it|I'll do it later|"
    r"Maybe later|I'll verify later)\s*$",
    re.I,
)


class ElementError(RuntimeError):
    """Element Web did not get where a test needed it (the message says where it stopped)."""


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
            if not form_sent and await visible(page, "#mx_LoginForm_username"):
                await page.fill("#mx_LoginForm_username", self.user_id)
                await page.fill("#mx_LoginForm_password", password)
                await page.locator(".mx_Login_submit").first.click()
                form_sent = True
                self.prompts_handled.append("login form")
            elif await visible(page, ".mx_CompleteSecurity"):
                # « Confirm your identity » (another device exists): verify later
                if await visible(page, ".mx_CompleteSecurity_skip"):
                    await page.locator(".mx_CompleteSecurity_skip").first.click()
                await self._click_in(".mx_CompleteSecurity", re.compile(r"verify later|Skip", re.I))
            elif await self._click_in(
                ".mx_CompleteSecurityBody", re.compile(r"verify later", re.I)
            ):
                pass
            elif await visible(page, ".mx_InitialCryptoSetupDialog"):
                # first login: Element sets up cross-signing by itself with the password
                await self._click_in(".mx_CompleteSecurityBody", re.compile(r"^\s*Retry\s*$", re.I))
            elif await visible(page, ".mx_LeftPanel") or await visible(page, ".mx_HomePage"):
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
                label = await click_matching(toast, _LATER)
                if label:
                    self.prompts_handled.append(f"toast -> {label}")
                    did = True
                    break
            if await visible(self.page, ".mx_Dialog"):
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

    async def send_with_pill(self, before: str, name: str, after: str) -> None:
        """Type ``before``, then « @ » and the start of ``name``, pick ``name`` in Element's
        autocompletion (a pill, as a pioneer naming someone does), type ``after``, send."""
        composer = self.page.locator(".mx_RoomView_body .mx_BasicMessageComposer_input").first
        await composer.click()
        await self.page.keyboard.type(before)
        await self.page.keyboard.type("@" + name[:3])
        completion = self.page.locator(".mx_Autocomplete_Completion", has_text=name).first
        await completion.wait_for(timeout=15000)
        await completion.click()
        await self.page.wait_for_selector(
            ".mx_RoomView_body .mx_BasicMessageComposer_input .mx_Pill", timeout=5000
        )
        await self.page.keyboard.type(after)
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
        raw = await self.page.evaluate(READ_TILES_JS, [where, INSECURE_TEXT])
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
                model = await self.page.evaluate(THREAD_MODEL_JS, [self.room_id, self.thread_root])
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
        await self.page.evaluate(IMAGES_SETTLED_JS)
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
        await self.page.evaluate(IMAGES_SETTLED_JS)
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
            label = await click_matching(found, pattern)
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
