"""Is the homeserver there, and is it a Matrix homeserver? One clear line when it is not.

Used at start-up (``python -m bot run`` waits for an unreachable homeserver with
growing delays), by every request of the running client (an outage is one line when
it starts, a reminder now and then, one line when it ends) and by ``check-config``.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

VERSIONS_PATH = "/_matrix/client/versions"
MAX_RETRY_DELAY_S = 15.0
REMIND_EVERY_S = 300.0


class NotAMatrixHomeserver(Exception):
    """The address answers, but not as a Matrix homeserver (a wrong setting, not an outage)."""


def retry_delay(attempt: int) -> float:
    """Seconds to wait before try ``attempt + 1``: 1, 2, 4, 8, then 15 at most."""
    return min(MAX_RETRY_DELAY_S, 2.0 ** max(0, min(attempt - 1, 10)))


def describe_connection_error(exc: BaseException) -> str:
    """What went wrong, in a few words an operator understands (no traceback)."""
    os_error = getattr(exc, "os_error", None)
    if isinstance(os_error, socket.gaierror) or isinstance(exc, socket.gaierror):
        host = getattr(exc, "host", None)
        return f"cannot resolve the host name {host} (DNS)" if host else "host name unknown (DNS)"
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return f"its TLS certificate is refused: {exc.certificate_error}"
    if isinstance(exc, aiohttp.ClientSSLError | ssl.SSLError):
        return "TLS handshake failed (is it https on an http port, or the reverse?)"
    if isinstance(os_error, ConnectionRefusedError):
        return "connection refused (nothing listens on that port)"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "the server closed the connection"
    if isinstance(exc, TimeoutError):
        return "no answer in time"
    if isinstance(os_error, OSError) and os_error.strerror:
        return os_error.strerror.lower()
    if isinstance(exc, OSError) and exc.strerror:  # e.g. connection reset by peer
        return exc.strerror.lower()
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


@dataclass(frozen=True)
class Versions:
    """The homeserver's answer to ``/_matrix/client/versions``."""

    versions: tuple[str, ...]

    @property
    def speaks_v1(self) -> bool:
        """Matrix v1.1 brought the ``/v3`` client endpoints the bot (through nio) uses."""
        return any(v.startswith("v1.") and v != "v1.0" for v in self.versions)

    def summary(self) -> str:
        ours = [v for v in self.versions if v.startswith("v1.")]
        if not ours:
            return ", ".join(self.versions) or "none"
        ordered = sorted(ours, key=lambda v: int(v.split(".")[1]) if v[3:].isdigit() else 0)
        return ordered[0] if len(ordered) == 1 else f"{ordered[0]} to {ordered[-1]}"


async def fetch_versions(session: aiohttp.ClientSession, homeserver: str) -> Versions:
    """The Matrix versions the homeserver speaks.

    Raises ``NotAMatrixHomeserver`` when something answers but not as Matrix, and
    ``aiohttp.ClientError``/``TimeoutError`` when nothing answers (an outage)."""
    url = homeserver + VERSIONS_PATH
    async with session.get(url, allow_redirects=False) as response:
        if response.status >= 500:
            # A proxy in front of a homeserver that is down: an outage, not a wrong address.
            raise aiohttp.ClientConnectionError(f"the server answers {response.status}")
        if response.status in (301, 302, 307, 308):
            where = response.headers.get("Location", "?")
            raise NotAMatrixHomeserver(f"{url} redirects to {where}")
        try:
            data: Any = await response.json(content_type=None)
        except ValueError:
            data = None
        versions = data.get("versions") if isinstance(data, dict) else None
        if response.status != 200 or not isinstance(versions, list):
            raise NotAMatrixHomeserver(f"{url} answered {response.status} without Matrix versions")
        return Versions(tuple(str(v) for v in versions))


async def well_known_base_url(session: aiohttp.ClientSession, homeserver: str) -> str | None:
    """The client API address announced by ``/.well-known/matrix/client``, if any."""
    try:
        async with session.get(homeserver + "/.well-known/matrix/client") as response:
            data = await response.json(content_type=None) if response.status == 200 else None
    except (aiohttp.ClientError, TimeoutError, ValueError):
        return None
    block = data.get("m.homeserver") if isinstance(data, dict) else None
    base = block.get("base_url") if isinstance(block, dict) else None
    return str(base).rstrip("/") if isinstance(base, str) and base.startswith("http") else None


async def not_matrix_message(
    session: aiohttp.ClientSession, homeserver: str, problem: NotAMatrixHomeserver
) -> str:
    """One line for a wrong homeserver address, pointing at the right one when announced."""
    hint = ""
    announced = await well_known_base_url(session, homeserver)
    if announced and announced != homeserver:
        hint = f"; its .well-known names {announced}: set BOT_HOMESERVER={announced}"
    return f"{homeserver} is not a Matrix homeserver ({problem}){hint}"


class ConnectionWatch:
    """Logs an outage once when it starts, a reminder every few minutes, once when it ends."""

    def __init__(self, homeserver: str, clock: Any = time.monotonic) -> None:
        self.homeserver = homeserver
        self._clock = clock
        self._since: float | None = None
        self._last_said = 0.0
        self._last_reason = ""

    @property
    def down(self) -> bool:
        return self._since is not None

    def failed(self, exc: BaseException, next_try_s: float) -> None:
        reason = describe_connection_error(exc)
        now = self._clock()
        if self._since is None:
            self._since = now
        elif reason == self._last_reason and now - self._last_said < REMIND_EVERY_S:
            log.debug("homeserver still unreachable (%s)", reason)
            return
        minutes = (now - self._since) / 60
        for_how_long = f" for {minutes:.0f} min" if minutes >= 1 else ""
        log.warning(
            "homeserver %s unreachable%s: %s; trying again in %.0f s (then at most every %.0f s)",
            self.homeserver, for_how_long, reason, next_try_s, MAX_RETRY_DELAY_S,
        )  # fmt: skip
        self._last_said, self._last_reason = now, reason

    def succeeded(self) -> None:
        if self._since is None:
            return
        seconds = self._clock() - self._since
        self._since = None
        self._last_reason = ""
        log.info("homeserver %s reachable again after %.0f s", self.homeserver, seconds)


async def wait_until_reachable(
    homeserver: str, request_timeout: float = 15.0, sleep: Any = asyncio.sleep
) -> Versions:
    """Wait (growing delays, capped) until the homeserver answers; returns its versions.

    Raises ``NotAMatrixHomeserver`` (with a one-line message) for a wrong address."""
    watch = ConnectionWatch(homeserver)
    attempt = 0
    timeout = aiohttp.ClientTimeout(total=request_timeout)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        while True:
            attempt += 1
            try:
                versions = await fetch_versions(session, homeserver)
            except NotAMatrixHomeserver as problem:
                raise NotAMatrixHomeserver(
                    await not_matrix_message(session, homeserver, problem)
                ) from None
            except (aiohttp.ClientError, TimeoutError) as exc:
                delay = retry_delay(attempt)
                watch.failed(exc, delay)
                await sleep(delay)
                continue
            watch.succeeded()
            return versions
