"""What ``python -m bot check-config`` asks the homeserver, one line per finding.

Nothing here changes anything the bot keeps: an access token is checked with
``/account/whoami``; a password, when no saved device can be used, by logging in a
temporary device and logging it out again at once (the only way Matrix offers).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Literal

import aiohttp
import yaml

from bot.config import Config
from bot.matrix.reachability import (
    NotAMatrixHomeserver,
    describe_connection_error,
    fetch_versions,
    not_matrix_message,
)
from bot.matrix.session import saved_credentials
from bot.prompts import PromptError, Prompts, prompts_dir

Level = Literal["ok", "warning", "error"]
CHECK_DEVICE_NAME = "Cercle bot check-config (logged out at once)"


@dataclass(frozen=True)
class Finding:
    level: Level
    text: str

    def line(self) -> str:
        return f"{self.level}: {self.text}"


def settings_findings(config: Config) -> list[Finding]:
    """What the settings alone tell (no network)."""
    found = [
        Finding(
            "ok",
            f"settings read: {config.user_id} on {config.homeserver}, data in {config.data_dir}, "
            f"{len(config.allowed_inviters)} allowed inviter(s), "
            f"{len(config.circles)} circle(s) configured",
        )
    ]
    if not config.allowed_inviters:
        found.append(Finding("warning", NOBODY_MAY_INVITE))
    found += prompts_findings(config)
    return found


def load_prompts() -> Prompts:
    """The prompt files, or ``PromptError`` with one line saying where and what is wrong."""
    folder = prompts_dir()
    by = " (BOT_PROMPTS_DIR)" if os.environ.get("BOT_PROMPTS_DIR") else ""
    try:
        return Prompts(folder)
    except PromptError as exc:
        raise PromptError(f"prompts: {exc}{by}") from None
    except OSError as exc:
        raise PromptError(f"prompts in {folder}{by} cannot be read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" ({mark.name}, line {mark.line + 1})" if mark is not None else ""
        raise PromptError(f"prompts: not valid YAML{where}{by}") from None


def prompts_findings(config: Config) -> list[Finding]:
    """Can every sentence be found, in every language the circles speak?"""
    try:
        prompts = load_prompts()
    except PromptError as exc:
        return [Finding("error", str(exc))]
    found = [Finding("ok", f"prompts read from {prompts.folder} ({', '.join(prompts.languages)})")]
    spoken = {config.defaults.language, *(c.language for c in config.circles.values())}
    for lang in sorted(spoken - set(prompts.languages)):
        found.append(Finding("warning", f"no {lang!r} prompts in {prompts.folder}: French is used"))
    return found


NOBODY_MAY_INVITE = (
    "nobody may invite the bot, so it will decline every invite: set BOT_ALLOWED_INVITERS "
    "(e.g. '@animatrice:example.org' or '*:example.org')"
)


class _Server:
    """The few client-API calls the checks need, with the answers' status and JSON."""

    def __init__(self, session: aiohttp.ClientSession, homeserver: str) -> None:
        self.session = session
        self.homeserver = homeserver

    async def call(
        self, method: str, path: str, token: str | None = None, body: dict[str, Any] | None = None
    ) -> tuple[int, dict[str, Any]]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with self.session.request(
            method, self.homeserver + path, json=body, headers=headers
        ) as response:
            try:
                data = await response.json(content_type=None)
            except ValueError:
                data = None
            return response.status, data if isinstance(data, dict) else {}


def _code(status: int, data: dict[str, Any]) -> str:
    return str(data.get("errcode") or status)


async def check_homeserver(config: Config, request_timeout: float = 10.0) -> list[Finding]:
    """Reachable? A Matrix homeserver? Credentials accepted, for the configured user?"""
    timeout = aiohttp.ClientTimeout(total=request_timeout)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        server = _Server(session, config.homeserver)
        try:
            versions = await fetch_versions(session, config.homeserver)
        except NotAMatrixHomeserver as problem:
            return [Finding("error", await not_matrix_message(session, config.homeserver, problem))]
        except (aiohttp.ClientError, TimeoutError) as exc:
            reason = describe_connection_error(exc)
            return [Finding("error", f"homeserver {config.homeserver} unreachable: {reason}")]
        if not versions.speaks_v1:
            return [
                Finding(
                    "error",
                    f"{config.homeserver} speaks Matrix {versions.summary()}; "
                    "the bot needs v1.1 or later",
                )
            ]
        answers = f"homeserver {config.homeserver} answers (Matrix {versions.summary()})"
        found = [Finding("ok", answers)]
        try:
            found += await _check_credentials(config, server)
        except (aiohttp.ClientError, TimeoutError) as exc:
            reason = describe_connection_error(exc)
            found.append(Finding("error", f"homeserver stopped answering: {reason}"))
        return found


async def _whoami(server: _Server, token: str) -> tuple[int, dict[str, Any]]:
    return await server.call("GET", "/_matrix/client/v3/account/whoami", token)


def _same_user(config: Config, data: dict[str, Any], what: str) -> Finding | None:
    """An error when the account logged in is not BOT_USER_ID."""
    user = data.get("user_id")
    if user != config.user_id:
        return Finding("error", f"{what} belongs to {user}, not to BOT_USER_ID {config.user_id}")
    return None


async def _check_credentials(config: Config, server: _Server) -> list[Finding]:
    found: list[Finding] = []
    saved = saved_credentials(config)
    saved_works = False
    if saved is not None:
        status, data = await _whoami(server, saved.access_token)
        if status == 200:
            saved_works = True
            found.append(
                _same_user(config, data, "the saved device")
                or Finding("ok", f"saved device {saved.device_id} of {config.user_id} accepted")
            )
        else:
            found.append(
                Finding(
                    "warning",
                    f"saved device {saved.device_id} refused ({_code(status, data)}): "
                    "the bot will log in again, with a new device",
                )
            )
    if config.access_token:
        found.append(await _check_token(config, server))
    elif saved_works:
        found.append(
            Finding("ok", "password not tried: the bot uses its saved device (no login needed)")
        )
    else:
        found.append(await _check_password(config, server))
    return found


async def _check_token(config: Config, server: _Server) -> Finding:
    assert config.access_token
    status, data = await _whoami(server, config.access_token)
    if status != 200:
        return Finding(
            "error", f"the access token (BOT_ACCESS_TOKEN) is refused ({_code(status, data)})"
        )
    if not data.get("device_id"):
        return Finding("error", "the access token has no device: create one from a login")
    return _same_user(config, data, "the access token") or Finding(
        "ok", f"access token accepted for {config.user_id} (device {data['device_id']})"
    )


async def _check_password(config: Config, server: _Server) -> Finding:
    status, data = await server.call("GET", "/_matrix/client/v3/login")
    flows = [f.get("type") for f in data.get("flows", []) if isinstance(f, dict)]
    if status == 200 and "m.login.password" not in flows:
        offered = ", ".join(str(f) for f in flows) or "nothing"
        return Finding(
            "error",
            f"{config.homeserver} does not take passwords (it offers {offered}): "
            "set BOT_ACCESS_TOKEN instead of BOT_PASSWORD",
        )
    status, data = await server.call(
        "POST",
        "/_matrix/client/v3/login",
        body={
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": config.user_id},
            "password": config.password,
            "initial_device_display_name": CHECK_DEVICE_NAME,
        },
    )
    if status != 200 or not data.get("access_token"):
        code = _code(status, data)
        if code == "M_FORBIDDEN":
            return Finding("error", f"login refused for {config.user_id}: wrong password?")
        if code == "M_LIMIT_EXCEEDED":
            wait = int(data.get("retry_after_ms", 0)) // 1000
            return Finding("error", f"too many logins: the homeserver asks to wait {wait} s")
        return Finding("error", f"login failed for {config.user_id} ({code})")
    mismatch = _same_user(config, data, "the password")
    token = str(data["access_token"])
    logged_out = (await server.call("POST", "/_matrix/client/v3/logout", token, {}))[0] == 200
    if mismatch is not None:
        return mismatch
    if not logged_out:
        return Finding(
            "warning",
            f"password accepted, but the temporary device {data.get('device_id')} could not be "
            "logged out: remove it from the account's sessions",
        )
    return Finding(
        "ok", f"password accepted for {config.user_id} (a temporary device was logged out at once)"
    )
