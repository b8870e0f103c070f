"""Configuration: a YAML file (optional) overlaid by environment variables.

Secrets (password, access token) come only from the environment. A setting that
is missing or wrong raises ``ConfigError`` with a one-line message; the CLI
prints it and exits non-zero, without a traceback.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot.domain.checkin_rule import parse_monthly_rule
from bot.domain.consent import Quorum

SUPPORTED_LANGUAGES = ("fr", "en")
USER_ID_RE = re.compile(r"^@[a-z0-9._=\-/+]+:[A-Za-z0-9.\-]+(:\d+)?$")
INVITER_RE = re.compile(r"^(@[a-z0-9._=\-/+]+|\*):[A-Za-z0-9.\-]+(:\d+)?$")


class ConfigError(Exception):
    """A setting is missing or wrong; the message is one line for the operator."""


@dataclass(frozen=True)
class CircleSettings:
    """Settings of one circle (room); every room joined starts from the defaults."""

    language: str = "fr"
    timezone: str = "Europe/Paris"
    facilitators: tuple[str, ...] = ()
    structures: dict[str, str] = field(default_factory=dict)
    checkin_rule: str = "premier lundi 10:00"
    checkin_remind_after_days: int = 3
    checkin_close_after_days: int = 7
    recap_hour: int = 17
    vote_points: int = 3
    vote_duration_days: int = 7
    sprint_nudge_days_before: int = 3
    # The monthly rendez-vous: visio link (fixed, or a template with {circle}), length, and an
    # optional monthly rule with its mode (propose three dates, or announce the rule's date).
    rendezvous_link: str = ""
    rendezvous_duration_minutes: int = 60
    rendezvous_rule: str = ""
    rendezvous_mode: str = "propose"
    rendezvous_days_before: int = 14
    proposal_duration_days: int = 5
    proposal_quorum: str | int = "structures"  # or a whole number of people
    proposal_blocking: bool = False
    similar_stories: bool = True  # say « elle ressemble à #4 » when a story is recorded
    theme_groups: int = 5  # at most this many groups for « !themes » without a number


@dataclass(frozen=True)
class Config:
    homeserver: str
    user_id: str
    data_dir: Path
    password: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)
    allowed_inviters: tuple[str, ...] = ()
    command_prefix: str = "!"
    device_name: str = "Cercle bot"
    log_level: str = "INFO"
    facilitator_power_level: int = 50
    only_cross_signed_devices: bool = False
    commands_per_minute: int = 20
    defaults: CircleSettings = field(default_factory=CircleSettings)
    circles: dict[str, CircleSettings] = field(default_factory=dict)

    def circle_settings(self, room_id: str) -> CircleSettings:
        """The settings of a room: its own block if configured, else the defaults."""
        return self.circles.get(room_id, self.defaults)

    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in a log line."""
        return tuple(s for s in (self.password, self.access_token) if s)

    def may_invite(self, user_id: str) -> bool:
        """Whether ``user_id`` is an allowed inviter (exact id or ``*:server``)."""
        server = user_id.split(":", 1)[1] if ":" in user_id else ""
        return any(
            allowed == user_id or (allowed.startswith("*:") and allowed[2:] == server)
            for allowed in self.allowed_inviters
        )


_CIRCLE_KEYS = {
    "language": "language",
    "timezone": "timezone",
    "facilitators": "facilitators",
    "structures": "structures",
    "vote_points": "vote_points",
    "vote_duration_days": "vote_duration_days",
    "sprint_nudge_days_before": "sprint_nudge_days_before",
    "recap_hour": "recap_hour",
    "similar_stories": "similar_stories",
    "theme_groups": "theme_groups",
}


def _circle_settings(raw: Any, base: CircleSettings, where: str) -> CircleSettings:
    if raw is None:
        return base
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping of settings")
    changes: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "checkin":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}.checkin: expected a mapping")
            for sub, attr in (
                ("rule", "checkin_rule"),
                ("remind_after_days", "checkin_remind_after_days"),
                ("close_after_days", "checkin_close_after_days"),
            ):
                if sub in value:
                    changes[attr] = value[sub]
            unknown = set(value) - {"rule", "remind_after_days", "close_after_days"}
            if unknown:
                raise ConfigError(f"{where}.checkin: unknown key {sorted(unknown)[0]!r}")
        elif key == "rendezvous":
            changes.update(_rendezvous_settings(value, where))
        elif key == "proposals":
            changes.update(_proposal_settings(value, f"{where}.proposals"))
        elif key in _CIRCLE_KEYS:
            changes[_CIRCLE_KEYS[key]] = value
        else:
            raise ConfigError(f"{where}: unknown key {key!r}")
    settings = replace(base, **changes)
    return _validate_circle(settings, where)


_RENDEZVOUS_KEYS = {
    "link": "rendezvous_link",
    "duration_minutes": "rendezvous_duration_minutes",
    "rule": "rendezvous_rule",
    "mode": "rendezvous_mode",
    "days_before": "rendezvous_days_before",
}
RENDEZVOUS_MODES = ("propose", "announce")


def _rendezvous_settings(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}.rendezvous: expected a mapping")
    unknown = set(value) - set(_RENDEZVOUS_KEYS)
    if unknown:
        raise ConfigError(f"{where}.rendezvous: unknown key {sorted(unknown)[0]!r}")
    changes = {_RENDEZVOUS_KEYS[k]: v for k, v in value.items()}
    link = changes.get("rendezvous_link", "")
    if link is None:
        changes["rendezvous_link"] = link = ""
    if not isinstance(link, str) or (link and not re.match(r"^https?://\S+$", link)):
        raise ConfigError(f"{where}.rendezvous.link: expected an https:// address, got {link!r}")
    if changes.get("rendezvous_mode", "propose") not in RENDEZVOUS_MODES:
        raise ConfigError(f"{where}.rendezvous.mode: expected 'propose' or 'announce'")
    rule = changes.get("rendezvous_rule") or ""
    changes["rendezvous_rule"] = rule
    try:
        if rule:
            parse_monthly_rule(str(rule))
    except ValueError:
        raise ConfigError(
            f"{where}.rendezvous.rule: expected text such as 'deuxième mardi 18:00', got {rule!r}"
        ) from None
    return changes


_PROPOSAL_KEYS = {
    "duration_days": "proposal_duration_days",
    "quorum": "proposal_quorum",
    "blocking": "proposal_blocking",
}


def _proposal_settings(value: Any, where: str) -> dict[str, Any]:
    """The ``proposals:`` block of a circle (deadline, quorum, whether blocks are allowed)."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a mapping")
    unknown = set(value) - set(_PROPOSAL_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    quorum = value.get("quorum", "structures")
    try:
        Quorum.parse(quorum)
    except ValueError:
        raise ConfigError(f"{where}.quorum: 'structures' or a whole number of people") from None
    if not isinstance(value.get("blocking", False), bool):
        raise ConfigError(f"{where}.blocking: expected true or false")
    return {_PROPOSAL_KEYS[key]: v for key, v in value.items()}


def _validate_circle(s: CircleSettings, where: str) -> CircleSettings:
    if s.language not in SUPPORTED_LANGUAGES:
        raise ConfigError(
            f"{where}.language: {s.language!r} is not one of {', '.join(SUPPORTED_LANGUAGES)}"
        )
    try:
        ZoneInfo(str(s.timezone))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{where}.timezone: unknown time zone {s.timezone!r}") from None
    facilitators = tuple(s.facilitators or ())
    for user in facilitators:
        if not isinstance(user, str) or not USER_ID_RE.match(user):
            raise ConfigError(f"{where}.facilitators: {user!r} is not a Matrix user id")
    if not isinstance(s.structures, dict):
        raise ConfigError(f"{where}.structures: expected a mapping '@user:server': structure")
    for user, name in s.structures.items():
        if not USER_ID_RE.match(str(user)) or not str(name).strip():
            raise ConfigError(f"{where}.structures: bad entry {user!r}: {name!r}")
    for attr, low, high in (
        ("checkin_remind_after_days", 1, 27),
        ("checkin_close_after_days", 1, 28),
        ("vote_points", 1, 20),
        ("vote_duration_days", 1, 90),
        ("proposal_duration_days", 1, 90),
        ("sprint_nudge_days_before", 0, 27),
        ("recap_hour", 0, 23),
        ("rendezvous_duration_minutes", 15, 480),
        ("rendezvous_days_before", 3, 28),
        ("theme_groups", 2, 9),
    ):
        value = getattr(s, attr)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ConfigError(f"{where}: {attr} must be a whole number from {low} to {high}")
    if not isinstance(s.similar_stories, bool):
        raise ConfigError(f"{where}: similar_stories must be true or false")
    if not isinstance(s.checkin_rule, str) or not s.checkin_rule.strip():
        raise ConfigError(f"{where}.checkin.rule: expected text such as 'premier lundi 10:00'")
    return replace(s, facilitators=facilitators, structures=dict(s.structures))


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


_KNOWN_KEYS = frozenset(
    {
        "homeserver",
        "user_id",
        "data_dir",
        "allowed_inviters",
        "command_prefix",
        "device_name",
        "log_level",
        "facilitator_power_level",
        "only_cross_signed_devices",
        "commands_per_minute",
        "defaults",
        "circles",
    }
)


@dataclass(frozen=True)
class _Account:
    """Where and as whom the bot connects, and where it keeps its data."""

    homeserver: str
    user_id: str
    data_dir: Path
    password: str | None
    access_token: str | None


def _read_file(path: Path) -> dict[str, Any]:
    """The top-level mapping of the YAML file (empty for an empty file)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc}") from None
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise ConfigError(f"config file {path} is not valid YAML{where}") from None
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"config file {path}: expected a mapping at the top level")
    for secret_key in ("password", "access_token"):
        if secret_key in loaded:
            raise ConfigError(
                f"config file: {secret_key!r} must not be in the file; "
                f"set BOT_{secret_key.upper()} in the environment"
            )
    return loaded


def _account(raw: dict[str, Any], env: dict[str, str], need_account: bool) -> _Account:
    """The homeserver, user id, data directory and credentials (the environment wins)."""

    def pick(key: str, env_key: str) -> Any:
        return env[env_key] if env.get(env_key) else raw.get(key)

    homeserver = pick("homeserver", "BOT_HOMESERVER")
    user_id = pick("user_id", "BOT_USER_ID")
    data_dir = pick("data_dir", "BOT_DATA_DIR")
    if not homeserver and need_account:
        raise ConfigError("homeserver is missing: set BOT_HOMESERVER or 'homeserver' in the file")
    if homeserver and not re.match(r"^https?://[^\s/]+", str(homeserver)):
        raise ConfigError(f"homeserver {homeserver!r} must start with http:// or https://")
    if not user_id and need_account:
        raise ConfigError("user id is missing: set BOT_USER_ID or 'user_id' in the file")
    if user_id and not USER_ID_RE.match(str(user_id)):
        raise ConfigError(f"user id {user_id!r} is not like @name:server.org")
    if not data_dir:
        raise ConfigError("data directory is missing: set BOT_DATA_DIR or 'data_dir' in the file")
    password = env.get("BOT_PASSWORD") or None
    access_token = env.get("BOT_ACCESS_TOKEN") or None
    if not password and not access_token and need_account:
        raise ConfigError("no credentials: set BOT_PASSWORD or BOT_ACCESS_TOKEN")
    return _Account(
        homeserver=str(homeserver or "").rstrip("/"),
        user_id=str(user_id or ""),
        data_dir=Path(str(data_dir)),
        password=password,
        access_token=access_token,
    )


def _inviters(raw: dict[str, Any], env: dict[str, str]) -> tuple[str, ...]:
    """Who may invite the bot: ``BOT_ALLOWED_INVITERS`` (comma-separated) or the file's list."""
    if env.get("BOT_ALLOWED_INVITERS"):
        inviters = _split_list(env["BOT_ALLOWED_INVITERS"])
    else:
        listed = raw.get("allowed_inviters") or []
        if not isinstance(listed, list):
            raise ConfigError("allowed_inviters: expected a list of user ids or '*:server'")
        inviters = tuple(str(x) for x in listed)
    for inviter in inviters:
        if not INVITER_RE.match(inviter):
            raise ConfigError(f"allowed inviter {inviter!r} is not a user id nor '*:server.name'")
    return inviters


def _circles(raw: dict[str, Any]) -> tuple[CircleSettings, dict[str, CircleSettings]]:
    """The default circle settings, and each configured room's settings laid over them."""
    defaults = _circle_settings(
        raw.get("defaults"), _validate_circle(CircleSettings(), "defaults"), "defaults"
    )
    circles_raw = raw.get("circles") or {}
    if not isinstance(circles_raw, dict):
        raise ConfigError("circles: expected a mapping room id -> settings")
    circles = {
        str(room): _circle_settings(settings, defaults, f"circles[{room}]")
        for room, settings in circles_raw.items()
    }
    return defaults, circles


def _whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _bot_settings(raw: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    """The bot-wide settings (prefix, log level, thresholds), checked, as ``Config`` fields."""
    prefix = str(raw.get("command_prefix", "!"))
    if not prefix or len(prefix) > 3 or any(ch.isspace() for ch in prefix):
        raise ConfigError("command_prefix: one to three characters, no space")
    level = str(env.get("BOT_LOG_LEVEL") or raw.get("log_level", "INFO")).upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"log_level {level!r}: use DEBUG, INFO, WARNING or ERROR")
    threshold = raw.get("facilitator_power_level", 50)
    if not _whole_number(threshold):
        raise ConfigError("facilitator_power_level: expected a whole number, e.g. 50")
    per_minute = raw.get("commands_per_minute", 20)
    if not _whole_number(per_minute) or per_minute < 1:
        raise ConfigError("commands_per_minute: expected a whole number of at least 1")
    only_signed = raw.get("only_cross_signed_devices", False)
    if not isinstance(only_signed, bool):
        raise ConfigError("only_cross_signed_devices: expected true or false")
    return {
        "command_prefix": prefix,
        "device_name": str(raw.get("device_name", "Cercle bot")),
        "log_level": level,
        "facilitator_power_level": threshold,
        "only_cross_signed_devices": only_signed,
        "commands_per_minute": per_minute,
    }


def load_config(
    path: Path | None, environ: dict[str, str] | None = None, need_account: bool = True
) -> Config:
    """Read the YAML file (if any), then apply the ``BOT_*`` environment variables.

    With ``need_account=False`` (the offline export) the homeserver, user id and
    credentials may be missing: only the data directory is needed."""
    env = dict(os.environ if environ is None else environ)
    if path is None and env.get("BOT_CONFIG"):
        path = Path(env["BOT_CONFIG"])
    raw = _read_file(path) if path is not None else {}
    account = _account(raw, env, need_account)
    inviters = _inviters(raw, env)
    unknown = set(raw) - _KNOWN_KEYS
    if unknown:
        raise ConfigError(f"config file: unknown key {sorted(unknown)[0]!r}")
    defaults, circles = _circles(raw)
    return Config(
        homeserver=account.homeserver,
        user_id=account.user_id,
        data_dir=account.data_dir,
        password=account.password,
        access_token=account.access_token,
        allowed_inviters=inviters,
        defaults=defaults,
        circles=circles,
        **_bot_settings(raw, env),
    )
