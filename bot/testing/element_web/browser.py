"""The served bundle and one headless Chromium: ``ElementWeb``, and the memory it takes."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from bot.testing.homeserver import free_port

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Playwright

from bot.testing.element_web.bundle import (
    CHROMIUM,
    SHOTS_DIR,
    element_web_available,
    http_get,
    serve_script,
    unpacked_webapp,
)
from bot.testing.element_web.user import ElementError, ElementUser


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
                await asyncio.to_thread(http_get, self.url + "/version")
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise ElementError(f"Element Web not served on {self.url}") from None
                await asyncio.sleep(0.2)


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
