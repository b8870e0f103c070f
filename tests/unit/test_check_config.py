"""check-config asks the homeserver; a wrong or unreachable one is one clear line.

A tiny aiohttp server plays the homeserver; a closed port plays one that is down.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.__main__ import main
from bot.config import Config, load_config
from bot.matrix import reachability
from bot.matrix.preflight import check_homeserver, settings_findings
from bot.matrix.reachability import (
    ConnectionWatch,
    NotAMatrixHomeserver,
    describe_connection_error,
    retry_delay,
    wait_until_reachable,
)
from bot.matrix.session import BotClient, Credentials, _write_credentials, client_config

BOT = "@cercle:example.org"


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class FakeHomeserver:
    """Answers the few client-API calls check-config makes, and remembers them."""

    versions: list[str] = field(default_factory=lambda: ["r0.6.1", "v1.1", "v1.11"])
    tokens: dict[str, str] = field(default_factory=lambda: {"good-token": BOT})
    password: str = "right-password"
    flows: list[str] = field(default_factory=lambda: ["m.login.password"])
    failures_before_up: int = 0
    versions_status: int = 200
    well_known: str | None = None
    calls: list[str] = field(default_factory=list)
    logged_out: list[str] = field(default_factory=list)
    url: str = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/_matrix/client/versions", self._versions)
        app.router.add_get("/.well-known/matrix/client", self._well_known)
        app.router.add_get("/_matrix/client/v3/account/whoami", self._whoami)
        app.router.add_get("/_matrix/client/v3/login", self._flows)
        app.router.add_post("/_matrix/client/v3/login", self._login)
        app.router.add_post("/_matrix/client/v3/logout", self._logout)
        return app

    async def _versions(self, request: web.Request) -> web.Response:
        self.calls.append("versions")
        if self.failures_before_up > 0:
            self.failures_before_up -= 1
            return web.Response(status=502, text="Bad Gateway")
        if self.versions_status != 200:
            return web.Response(status=self.versions_status, text="<html>Not found</html>")
        return web.json_response({"versions": self.versions})

    async def _well_known(self, request: web.Request) -> web.Response:
        if self.well_known is None:
            return web.Response(status=404)
        return web.json_response({"m.homeserver": {"base_url": self.well_known}})

    def _token(self, request: web.Request) -> str:
        return request.headers.get("Authorization", "").removeprefix("Bearer ")

    async def _whoami(self, request: web.Request) -> web.Response:
        self.calls.append("whoami")
        user = self.tokens.get(self._token(request))
        if user is None:
            return web.json_response({"errcode": "M_UNKNOWN_TOKEN"}, status=401)
        return web.json_response({"user_id": user, "device_id": "DEV" + self._token(request)[:3]})

    async def _flows(self, request: web.Request) -> web.Response:
        return web.json_response({"flows": [{"type": f} for f in self.flows]})

    async def _login(self, request: web.Request) -> web.Response:
        self.calls.append("login")
        body: dict[str, Any] = await request.json()
        if body.get("password") != self.password:
            return web.json_response({"errcode": "M_FORBIDDEN"}, status=403)
        self.tokens["temporary"] = body["identifier"]["user"]
        return web.json_response(
            {"access_token": "temporary", "device_id": "TMP", "user_id": body["identifier"]["user"]}
        )

    async def _logout(self, request: web.Request) -> web.Response:
        token = self._token(request)
        self.logged_out.append(token)
        self.tokens.pop(token, None)
        return web.json_response({})


@pytest.fixture
async def homeserver() -> AsyncIterator[FakeHomeserver]:
    fake = FakeHomeserver()
    runner = web.AppRunner(fake.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    fake.url = f"http://127.0.0.1:{port}"
    yield fake
    await runner.cleanup()


@pytest.fixture(autouse=True)
def root_logger_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """``main`` would point the root logger at the captured stderr, for every later test."""
    monkeypatch.setattr("bot.logging_setup.setup_logging", lambda level, secrets: None)


def config_for(url: str, tmp_path: Path, **env: str) -> Config:
    values = {
        "BOT_HOMESERVER": url,
        "BOT_USER_ID": BOT,
        "BOT_DATA_DIR": str(tmp_path / "data"),
        "BOT_ALLOWED_INVITERS": "@anna:example.org",
        **env,
    }
    return load_config(None, values)


def lines(findings: list[Any]) -> list[str]:
    return [f.line() for f in findings]


async def test_an_access_token_is_checked_with_whoami_alone(
    homeserver: FakeHomeserver, tmp_path: Path
) -> None:
    config = config_for(homeserver.url, tmp_path, BOT_ACCESS_TOKEN="good-token")
    found = lines(await check_homeserver(config))
    assert found[0] == f"ok: homeserver {homeserver.url} answers (Matrix v1.1 to v1.11)"
    assert found[1] == f"ok: access token accepted for {BOT} (device DEVgoo)"
    assert "login" not in homeserver.calls  # no device created


async def test_a_refused_access_token_is_an_error(
    homeserver: FakeHomeserver, tmp_path: Path
) -> None:
    config = config_for(homeserver.url, tmp_path, BOT_ACCESS_TOKEN="stale")
    assert lines(await check_homeserver(config))[-1] == (
        "error: the access token (BOT_ACCESS_TOKEN) is refused (M_UNKNOWN_TOKEN)"
    )


async def test_a_token_of_another_account_is_an_error(
    homeserver: FakeHomeserver, tmp_path: Path
) -> None:
    homeserver.tokens["someone-elses"] = "@anna:example.org"
    config = config_for(homeserver.url, tmp_path, BOT_ACCESS_TOKEN="someone-elses")
    assert lines(await check_homeserver(config))[-1] == (
        f"error: the access token belongs to @anna:example.org, not to BOT_USER_ID {BOT}"
    )


async def test_a_password_is_tried_with_a_device_logged_out_at_once(
    homeserver: FakeHomeserver, tmp_path: Path
) -> None:
    config = config_for(homeserver.url, tmp_path, BOT_PASSWORD="right-password")
    found = lines(await check_homeserver(config))
    assert (
        found[-1] == f"ok: password accepted for {BOT} (a temporary device was logged out at once)"
    )
    assert homeserver.logged_out == ["temporary"]
    assert not (tmp_path / "data" / "credentials.json").exists()  # nothing kept


async def test_a_wrong_password_is_an_error(homeserver: FakeHomeserver, tmp_path: Path) -> None:
    config = config_for(homeserver.url, tmp_path, BOT_PASSWORD="wrong")
    assert lines(await check_homeserver(config))[-1] == (
        f"error: login refused for {BOT}: wrong password?"
    )


async def test_a_homeserver_without_password_login_asks_for_a_token(
    homeserver: FakeHomeserver, tmp_path: Path
) -> None:
    homeserver.flows = ["m.login.sso", "m.login.token"]
    config = config_for(homeserver.url, tmp_path, BOT_PASSWORD="right-password")
    found = lines(await check_homeserver(config))
    assert found[-1] == (
        f"error: {homeserver.url} does not take passwords (it offers m.login.sso, "
        "m.login.token): set BOT_ACCESS_TOKEN instead of BOT_PASSWORD"
    )
    assert "login" not in homeserver.calls


async def test_a_saved_device_is_checked_and_the_password_not_tried(
    homeserver: FakeHomeserver, tmp_path: Path
) -> None:
    config = config_for(homeserver.url, tmp_path, BOT_PASSWORD="right-password")
    config.data_dir.mkdir()
    homeserver.tokens["saved-token"] = BOT
    creds = Credentials(homeserver.url, BOT, "SAVEDDEV", "saved-token")
    _write_credentials(config.data_dir / "credentials.json", creds)
    found = lines(await check_homeserver(config))
    assert found[1:] == [
        f"ok: saved device SAVEDDEV of {BOT} accepted",
        "ok: password not tried: the bot uses its saved device (no login needed)",
    ]
    assert "login" not in homeserver.calls


async def test_a_web_site_that_is_no_homeserver_is_named_with_the_announced_address(
    homeserver: FakeHomeserver, tmp_path: Path
) -> None:
    homeserver.versions_status = 404
    homeserver.well_known = "https://matrix.example.org"
    config = config_for(homeserver.url, tmp_path, BOT_PASSWORD="pw")
    (line,) = lines(await check_homeserver(config))
    assert line == (
        f"error: {homeserver.url} is not a Matrix homeserver ({homeserver.url}"
        "/_matrix/client/versions answered 404 without Matrix versions); its .well-known "
        "names https://matrix.example.org: set BOT_HOMESERVER=https://matrix.example.org"
    )


async def test_an_old_homeserver_is_an_error(homeserver: FakeHomeserver, tmp_path: Path) -> None:
    homeserver.versions = ["r0.5.0", "r0.6.1"]
    config = config_for(homeserver.url, tmp_path, BOT_PASSWORD="pw")
    assert lines(await check_homeserver(config)) == [
        f"error: {homeserver.url} speaks Matrix r0.5.0, r0.6.1; the bot needs v1.1 or later"
    ]


def test_nobody_allowed_to_invite_is_a_warning(tmp_path: Path) -> None:
    config = config_for("https://m.example.org", tmp_path, BOT_PASSWORD="pw")
    assert [f.level for f in settings_findings(config)] == ["ok", "ok"]
    lonely = load_config(None, {"BOT_HOMESERVER": "https://m.example.org", "BOT_USER_ID": BOT,
                                "BOT_PASSWORD": "pw", "BOT_DATA_DIR": str(tmp_path)})  # fmt: skip
    warning = settings_findings(lonely)[1]
    assert warning.level == "warning"
    assert "nobody may invite the bot" in warning.text and "BOT_ALLOWED_INVITERS" in warning.text


def test_prompts_that_cannot_be_read_are_an_error_and_a_missing_language_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_for("https://m.example.org", tmp_path, BOT_PASSWORD="pw")
    monkeypatch.setenv("BOT_PROMPTS_DIR", str(tmp_path / "nowhere"))
    assert (
        settings_findings(config)[-1]
        .line()
        .startswith(f"error: prompts in {tmp_path / 'nowhere'} (BOT_PROMPTS_DIR) cannot be read")
    )
    french_only = tmp_path / "prompts"
    shutil.copytree(Path(__file__).resolve().parents[2] / "prompts" / "fr", french_only / "fr")
    monkeypatch.setenv("BOT_PROMPTS_DIR", str(french_only))
    english = tmp_path / "c.yaml"
    english.write_text("circles:\n  '!r:example.org':\n    language: en\n")
    config = load_config(english, {"BOT_HOMESERVER": "https://m.example.org", "BOT_USER_ID": BOT,
                                   "BOT_PASSWORD": "pw", "BOT_DATA_DIR": str(tmp_path)})  # fmt: skip
    assert [f.line() for f in settings_findings(config)][-2:] == [
        f"ok: prompts read from {french_only} (fr)",
        f"warning: no 'en' prompts in {french_only}: French is used",
    ]


def test_run_without_its_prompts_stops_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key, value in {
        "BOT_HOMESERVER": f"http://127.0.0.1:{closed_port()}",
        "BOT_USER_ID": BOT,
        "BOT_PASSWORD": "pw",
        "BOT_DATA_DIR": str(tmp_path / "data"),
        "BOT_ALLOWED_INVITERS": "@anna:example.org",
        "BOT_PROMPTS_DIR": str(tmp_path / "empty"),  # a folder without prompts
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("BOT_CONFIG", raising=False)
    (tmp_path / "empty").mkdir()
    assert main(["run"]) == 2
    empty = tmp_path / "empty"
    assert capsys.readouterr().err.splitlines() == [
        f"error: prompts: no French prompts in {empty} (BOT_PROMPTS_DIR)"
    ]


def test_check_config_on_a_closed_port_exits_3_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key, value in {
        "BOT_HOMESERVER": f"http://127.0.0.1:{closed_port()}",
        "BOT_USER_ID": BOT,
        "BOT_PASSWORD": "pw",
        "BOT_DATA_DIR": str(tmp_path / "data"),
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("BOT_ALLOWED_INVITERS", raising=False)
    monkeypatch.delenv("BOT_CONFIG", raising=False)
    assert main(["check-config"]) == 3
    out, err = capsys.readouterr()
    assert out.startswith(f"ok: settings read: {BOT} on http://127.0.0.1:")
    assert err.splitlines()[0].startswith("warning: nobody may invite the bot")
    assert err.splitlines()[1].endswith(
        "unreachable: connection refused (nothing listens on that port)"
    )
    assert len(err.splitlines()) == 2
    assert main(["check-config", "--offline"]) == 0  # the settings alone are fine


def test_connection_problems_are_named_in_a_few_words() -> None:
    key: Any = type("Key", (), {"host": "nonexistent.invalid", "port": 443, "ssl": True})()
    dns = aiohttp.ClientConnectorError(key, socket.gaierror(-2, "Name or service not known"))
    assert describe_connection_error(dns) == (
        "cannot resolve the host name nonexistent.invalid (DNS)"
    )
    assert describe_connection_error(TimeoutError()) == "no answer in time"
    assert describe_connection_error(aiohttp.ServerDisconnectedError()) == (
        "the server closed the connection"
    )
    reset = aiohttp.ClientOSError(104, "Connection reset by peer")
    assert describe_connection_error(reset) == "connection reset by peer"


def test_retry_delays_grow_and_are_capped() -> None:
    assert [retry_delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 15, 15, 15]


def test_an_outage_is_one_line_a_reminder_now_and_then_and_one_line_when_it_ends(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [0.0]
    watch = ConnectionWatch("https://m.example.org", clock=lambda: now[0])
    refused = aiohttp.ClientConnectionError("connection refused")
    with caplog.at_level(logging.INFO, logger="bot.matrix.reachability"):
        for _ in range(10):  # 0 s to 270 s: said once
            watch.failed(refused, 15)
            now[0] += 30
        watch.failed(refused, 15)  # 300 s: a reminder
        now[0] += 200
        watch.succeeded()
    said = [r.getMessage() for r in caplog.records]
    assert said == [
        "homeserver https://m.example.org unreachable: connection refused; "
        "trying again in 15 s (then at most every 15 s)",
        "homeserver https://m.example.org unreachable for 5 min: connection refused; "
        "trying again in 15 s (then at most every 15 s)",
        "homeserver https://m.example.org reachable again after 500 s",
    ]


async def test_start_up_waits_for_the_homeserver_with_growing_delays(
    homeserver: FakeHomeserver, caplog: pytest.LogCaptureFixture
) -> None:
    homeserver.failures_before_up = 4
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)

    with caplog.at_level(logging.INFO, logger="bot.matrix.reachability"):
        versions = await wait_until_reachable(homeserver.url, sleep=sleep)
    assert versions.speaks_v1
    assert waited == [1, 2, 4, 8]
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 2
    assert "unreachable: the server answers 502; trying again in 1 s" in said[0]
    assert "reachable again" in said[1]


async def test_start_up_stops_at_once_on_an_address_that_is_no_homeserver(
    homeserver: FakeHomeserver,
) -> None:
    homeserver.versions_status = 404
    with pytest.raises(NotAMatrixHomeserver, match="is not a Matrix homeserver"):
        await wait_until_reachable(homeserver.url)


async def test_the_client_says_why_it_cannot_reach_the_homeserver_instead_of_nio_chatter(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    from bot.matrix import session

    monkeypatch.setattr(session, "retry_delay", lambda attempt: 0.01)
    # nio retries forever in the bot; three tries are enough here
    config = dataclasses.replace(client_config(), max_timeouts=3)
    session.quiet_nio_logs()
    client = BotClient(f"http://127.0.0.1:{closed_port()}", BOT, config=config)
    try:
        with caplog.at_level(logging.DEBUG), pytest.raises(aiohttp.ClientConnectionError):
            await client.whoami()
    finally:
        await client.close()
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert len(said) == 1, said
    assert "unreachable: connection refused" in said[0]
    assert not any("Timed out" in r.getMessage() for r in caplog.records)
    assert reachability.MAX_RETRY_DELAY_S == 15
