"""Login once, then restore the same device on every start.

A new device per start would break decryption for everyone, so the device id
and access token are kept in ``<data_dir>/credentials.json`` (mode 0600) and
the E2EE store in ``<data_dir>/nio-store``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import ClientConnectionError, ClientResponse
from nio import AsyncClient, AsyncClientConfig, LoginResponse, WhoamiResponse

from bot.config import Config
from bot.matrix.pacing import Pace, is_message_send
from bot.matrix.reachability import ConnectionWatch, retry_delay

log = logging.getLogger(__name__)


class LoginFailed(Exception):
    """The homeserver refused the credentials (one line for the operator)."""


@dataclass(frozen=True)
class Credentials:
    homeserver: str
    user_id: str
    device_id: str
    access_token: str


def client_config() -> AsyncClientConfig:
    return AsyncClientConfig(
        encryption_enabled=True,
        # We store the sync token ourselves, after the events are handled.
        store_sync_tokens=False,
        max_limit_exceeded=3,  # then the outbox retries later, honouring retry_after_ms
        max_timeouts=None,  # keep retrying through a homeserver outage (BotClient says so)
        request_timeout=45,
    )


class BotClient(AsyncClient):
    """nio's client, saying in one line when the homeserver cannot be reached and why.

    nio retries a request that could not reach the homeserver forever; here the delay
    grows (capped) and the outage is logged by a ``ConnectionWatch`` instead of nio's
    « Timed out, sleeping » every few seconds.

    Message sends keep to the pace the homeserver's rate limit allows (``Pace``,
    learned from its 429s), so a fan-out to many circles meets a few 429s, not one
    per message.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connection = ConnectionWatch(self.homeserver)
        self._last_failure: BaseException | None = None
        self.message_pace = Pace()

    async def send(self, method: str, path: str, *args: Any, **kwargs: Any) -> ClientResponse:
        paced = is_message_send(method, path)
        if paced and (wait := self.message_pace.wait_before_send()) > 0:
            await asyncio.sleep(wait)
        started = time.monotonic()
        try:
            response = await super().send(method, path, *args, **kwargs)
        except (ClientConnectionError, TimeoutError) as exc:
            self._last_failure = exc
            raise
        self.connection.succeeded()
        if paced:
            await self._keep_pace(response, started)
        return response

    async def _keep_pace(self, response: ClientResponse, started: float) -> None:
        """Learn the message pace from a 429 (nio then waits ``retry_after_ms`` itself)."""
        if response.status != 429:
            if response.status < 400:
                self.message_pace.sent(started)
            return
        try:  # aiohttp keeps the body: nio reads it again
            retry_after_ms = (await response.json(content_type=None)).get("retry_after_ms")
        except (ValueError, AttributeError):
            retry_after_ms = None
        if isinstance(retry_after_ms, int | float):
            self.message_pace.limited(started, retry_after_ms / 1000)
            log.warning(
                "rate limited by the homeserver: one message every %.2f s for now",
                self.message_pace.interval,
            )

    async def get_timeout_retry_wait_time(self, got_timeouts: int) -> float:
        delay = retry_delay(got_timeouts)
        if self._last_failure is not None:
            self.connection.failed(self._last_failure, delay)
        return delay


class _QuietNio(logging.Filter):
    """nio's retry chatter is replaced by ``BotClient``'s lines; its schema complaints about
    an error answer (e.g. a refused login) are only debug: the answer is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if message.startswith("Timed out, sleeping"):
            return False
        if message.startswith("Error validating response") and record.levelno > logging.DEBUG:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


def quiet_nio_logs() -> None:
    for name in ("nio.client.async_client", "nio.responses"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _QuietNio) for f in logger.filters):
            logger.addFilter(_QuietNio())


def _credentials_path(data_dir: Path) -> Path:
    return data_dir / "credentials.json"


def _read_credentials(path: Path) -> Credentials | None:
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text())
        return Credentials(raw["homeserver"], raw["user_id"], raw["device_id"], raw["access_token"])
    except (OSError, ValueError, KeyError):
        log.warning("credentials file %s is unreadable; logging in again", path)
        return None


def saved_credentials(config: Config) -> Credentials | None:
    """The device saved by an earlier start, if it is for this account and homeserver."""
    saved = _read_credentials(_credentials_path(config.data_dir))
    if saved and (saved.user_id != config.user_id or saved.homeserver != config.homeserver):
        return None
    return saved


def _write_credentials(path: Path, creds: Credentials) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(creds.__dict__, handle)
    os.replace(tmp, path)


async def open_client(config: Config) -> AsyncClient:
    """A logged-in client with its E2EE store loaded (same device as last time if possible)."""
    quiet_nio_logs()
    store = config.data_dir / "nio-store"
    store.mkdir(mode=0o700, exist_ok=True)
    path = _credentials_path(config.data_dir)
    saved = _read_credentials(path)
    if saved and (saved.user_id != config.user_id or saved.homeserver != config.homeserver):
        log.warning("saved credentials are for another account; logging in again")
        saved = None
    if saved:
        restored = await _restore(config, saved, store)
        if restored is not None:
            return restored
    client = BotClient(
        config.homeserver, config.user_id, store_path=str(store), config=client_config()
    )
    if config.access_token:
        creds = await _adopt_token(client, config, config.access_token)
    else:
        creds = await _log_in(client, config)
    _write_credentials(path, creds)
    return client


async def _restore(config: Config, saved: Credentials, store: Path) -> AsyncClient | None:
    """The saved device, if the homeserver still accepts its token; else None."""
    client = BotClient(
        config.homeserver, saved.user_id, saved.device_id, str(store), config=client_config()
    )
    client.restore_login(saved.user_id, saved.device_id, saved.access_token)
    whoami = await client.whoami()
    if isinstance(whoami, WhoamiResponse):
        log.info("restored device %s", saved.device_id)
        return client
    await client.close()
    log.warning("saved access token refused (%s); logging in again", whoami.status_code)
    return None


async def _adopt_token(client: AsyncClient, config: Config, token: str) -> Credentials:
    """Use the configured access token, once the homeserver says whose device it is."""
    client.access_token = token
    client.user_id = config.user_id
    whoami = await client.whoami()
    if not isinstance(whoami, WhoamiResponse) or not whoami.device_id:
        await client.close()
        raise LoginFailed("the access token (BOT_ACCESS_TOKEN) was refused by the homeserver")
    if whoami.user_id != config.user_id:
        await client.close()
        raise LoginFailed(f"the access token belongs to {whoami.user_id}, not {config.user_id}")
    creds = Credentials(config.homeserver, config.user_id, whoami.device_id, token)
    client.restore_login(creds.user_id, creds.device_id, creds.access_token)
    return creds


async def _log_in(client: AsyncClient, config: Config) -> Credentials:
    """Log in with the password: a new device."""
    response = await client.login(config.password or "", device_name=config.device_name)
    if not isinstance(response, LoginResponse):
        await client.close()
        code = getattr(response, "status_code", "") or ""
        if code == "M_FORBIDDEN":
            raise LoginFailed(f"login refused for {config.user_id}: wrong password?")
        raise LoginFailed(f"login failed for {config.user_id}: {code or response}")
    creds = Credentials(
        config.homeserver, response.user_id, response.device_id, response.access_token
    )
    log.info("logged in as %s, new device %s", creds.user_id, creds.device_id)
    return creds
