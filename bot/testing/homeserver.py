"""A throwaway Synapse homeserver run as a subprocess, for tests, the demo and benchmarks.

Synapse lives in its own virtualenv (``.venv-synapse`` at the repo root, or ``$SYNAPSE_PYTHON``)
and is never imported here. Everything is synchronous (``urllib``), so it can be driven from a
pytest fixture, a script or a running event loop alike.

Example::

    with LocalHomeserver(tmp_path) as hs:
        alice = hs.register("alice", "secret")          # "@alice:localhost"
        token, device_id = hs.login_token(alice, "secret")
        client = AsyncClient(hs.base_url, alice)
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import weakref
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import yaml

from bot.testing.lifetime import die_with_parent

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
SYNAPSE_VENV = REPO_ROOT / ".venv-synapse"
READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
HTTP_TIMEOUT_S = 30.0

_UNLIMITED = {"per_second": 10000, "burst_count": 100000}

# Every rate limit Synapse applies to local clients, raised out of the way. With the defaults the
# 6th login from 127.0.0.1 gets a 429 (retry_after ~333 s) and messages 429 after room set-up.
UNLIMITED_RATE_LIMITS: dict[str, Any] = {
    "rc_message": _UNLIMITED,
    "rc_registration": _UNLIMITED,
    "rc_login": {"address": _UNLIMITED, "account": _UNLIMITED, "failed_attempts": _UNLIMITED},
    "rc_joins": {"local": _UNLIMITED, "remote": _UNLIMITED},
    "rc_joins_per_room": _UNLIMITED,
    "rc_invites": {"per_room": _UNLIMITED, "per_user": _UNLIMITED, "per_issuer": _UNLIMITED},
    "rc_room_creation": _UNLIMITED,
    "rc_key_requests": _UNLIMITED,
    "rc_media_create": _UNLIMITED,
    "rc_presence": {"per_user": _UNLIMITED},
    "rc_3pid_validation": _UNLIMITED,
    "rc_third_party_invite": _UNLIMITED,
    "rc_admin_redaction": _UNLIMITED,
}


# Synapse runs in its own session, so it would outlive a test run that forgets to stop it.
_STARTED: weakref.WeakSet[LocalHomeserver] = weakref.WeakSet()


@atexit.register
def _stop_forgotten_homeservers() -> None:
    for homeserver in list(_STARTED):
        homeserver.stop()


def synapse_python() -> Path:
    """The Python interpreter that has Synapse installed, creating ``.venv-synapse`` if needed."""
    configured = os.environ.get("SYNAPSE_PYTHON")
    if configured:
        return Path(configured)
    python = SYNAPSE_VENV / "bin" / "python"
    if not python.exists():
        log.warning("installing matrix-synapse into %s (about 20 s, once)", SYNAPSE_VENV)
        subprocess.run([sys.executable, "-m", "venv", str(SYNAPSE_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "matrix-synapse"], check=True
        )
    return python


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _merged(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``overrides`` applied, recursing into nested dicts."""
    result = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merged(result[key], value)
        else:
            result[key] = value
    return result


class HomeserverError(RuntimeError):
    """Synapse did not start, or answered an admin/login request with an error."""


class LocalHomeserver:
    """One Synapse process with its data in ``workdir``, listening on 127.0.0.1 (client API only).

    ``bind_address="0.0.0.0"`` opens it to the local network (the demo, for phones);
    ``die_with_parent=True`` ends it when the process that started it dies.

    ``rc_overrides`` replaces chosen rate limits, e.g. to provoke 429s::

        LocalHomeserver(tmp, rc_overrides={"rc_message": {"per_second": 0.5, "burst_count": 2}})

    ``extra_config`` is merged last into homeserver.yaml (for anything else a test needs).
    """

    def __init__(
        self,
        workdir: Path,
        port: int | None = None,
        server_name: str = "localhost",
        rc_overrides: dict[str, Any] | None = None,
        extra_config: dict[str, Any] | None = None,
        bind_address: str = "127.0.0.1",
        die_with_parent: bool = False,
    ) -> None:
        self.workdir = Path(workdir).resolve()
        self.bind_address = bind_address
        self.die_with_parent = die_with_parent
        self.port = port if port is not None else free_port()
        self._server_name = server_name
        self._rc_overrides = rc_overrides or {}
        self._extra_config = extra_config or {}
        self._shared_secret = secrets.token_hex(32)
        self._process: subprocess.Popen[bytes] | None = None

    # -- properties -----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``, what a client on this machine is given as homeserver URL."""
        wildcard = self.bind_address in ("0.0.0.0", "::", "")
        host = "127.0.0.1" if wildcard else self.bind_address
        return f"http://{host}:{self.port}"

    @property
    def server_name(self) -> str:
        """The ``:server`` part of user ids (``localhost`` by default)."""
        return self._server_name

    @property
    def config_path(self) -> Path:
        return self.workdir / "homeserver.yaml"

    @property
    def log_path(self) -> Path:
        """Synapse's own log (the ``log_config`` handler)."""
        return self.workdir / "homeserver.log"

    @property
    def console_path(self) -> Path:
        """The process' stdout and stderr (start-up crashes land here)."""
        return self.workdir / "synapse-console.log"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    # -- life cycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Write the config (first time only), launch Synapse and wait until it answers."""
        if self.running:
            raise HomeserverError(f"Synapse already running (pid {self.pid})")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._write_config()
        python = synapse_python()
        started = time.monotonic()
        with self.console_path.open("ab") as console:
            self._process = subprocess.Popen(
                [str(python), "-m", "synapse.app.homeserver", "-c", str(self.config_path)],
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=console,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=die_with_parent if self.die_with_parent else None,
            )
        _STARTED.add(self)
        try:
            self._wait_until_ready(started + READY_TIMEOUT_S)
        except BaseException:
            self.stop()
            raise
        log.info(
            "Synapse ready on %s after %.1f s (pid %s)",
            self.base_url,
            time.monotonic() - started,
            self.pid,
        )

    def stop(self) -> None:
        """SIGTERM, wait, then SIGKILL the whole session if it lingers. Idempotent."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            log.warning("Synapse pid %s ignored SIGTERM; killing it", process.pid)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=STOP_TIMEOUT_S)

    def restart(self) -> None:
        """Stop then start again, same data, same port and same shared secret."""
        self.stop()
        self.start()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- accounts -------------------------------------------------------------------------------

    def user_id(self, username: str) -> str:
        """``@username:server_name``."""
        return f"@{username}:{self._server_name}"

    def register(self, username: str, password: str, admin: bool = False) -> str:
        """Create an account through the shared-secret admin API and return its user id."""
        path = "/_synapse/admin/v1/register"
        nonce = self._request("GET", path)["nonce"]
        mac = hmac.new(self._shared_secret.encode(), digestmod=hashlib.sha1)
        mac.update(b"\x00".join([nonce.encode(), username.encode(), password.encode()]))
        mac.update(b"\x00admin" if admin else b"\x00notadmin")
        body = {
            "nonce": nonce,
            "username": username,
            "password": password,
            "admin": admin,
            "mac": mac.hexdigest(),
        }
        user_id: str = self._request("POST", path, body)["user_id"]
        return user_id

    def login_token(
        self, user_id: str, password: str, device_id: str | None = None
    ) -> tuple[str, str]:
        """Log in with a password; returns ``(access_token, device_id)`` (a new device if None)."""
        body: dict[str, Any] = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": user_id},
            "password": password,
            "initial_device_display_name": "test",
        }
        if device_id is not None:
            body["device_id"] = device_id
        answer = self._request("POST", "/_matrix/client/v3/login", body)
        return answer["access_token"], answer["device_id"]

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the console output and of the Synapse log, for error messages."""
        parts = []
        for path in (self.console_path, self.log_path):
            if path.exists():
                tail = path.read_text(errors="replace").splitlines()[-lines:]
                parts.append(f"--- {path.name} ---\n" + "\n".join(tail))
        return "\n".join(parts)

    # -- internals ------------------------------------------------------------------------------

    def _config(self) -> dict[str, Any]:
        config: dict[str, Any] = {
            "server_name": self._server_name,
            "pid_file": str(self.workdir / "homeserver.pid"),
            "listeners": [
                {
                    "port": self.port,
                    "bind_addresses": [self.bind_address],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": {"name": "sqlite3", "args": {"database": str(self.workdir / "hs.db")}},
            "log_config": str(self.workdir / "log_config.yaml"),
            "media_store_path": str(self.workdir / "media_store"),
            "signing_key_path": str(self.workdir / "signing.key"),
            "registration_shared_secret": self._shared_secret,
            "enable_registration": False,
            "bcrypt_rounds": 4,
            "report_stats": False,
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "federation_domain_whitelist": [],
            "presence": {"enabled": False},
            "url_preview_enabled": False,
            **_merged(UNLIMITED_RATE_LIMITS, self._rc_overrides),
        }
        return _merged(config, self._extra_config)

    def _log_config(self) -> dict[str, Any]:
        return {
            "version": 1,
            "formatters": {
                "precise": {
                    "format": "%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - "
                    "%(request)s - %(message)s"
                }
            },
            "handlers": {
                "file": {
                    "class": "logging.FileHandler",
                    "formatter": "precise",
                    "filename": str(self.log_path),
                    "encoding": "utf8",
                }
            },
            "root": {"level": "INFO", "handlers": ["file"]},
            "loggers": {"synapse.storage.SQL": {"level": "WARNING"}},
            "disable_existing_loggers": False,
        }

    def _write_config(self) -> None:
        self.config_path.write_text(yaml.safe_dump(self._config(), sort_keys=False))
        (self.workdir / "log_config.yaml").write_text(yaml.safe_dump(self._log_config()))

    def _wait_until_ready(self, deadline: float) -> None:
        url = self.base_url + "/_matrix/client/versions"
        while True:
            if self._process is None or self._process.poll() is not None:
                code = None if self._process is None else self._process.returncode
                raise HomeserverError(f"Synapse exited with {code}\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise HomeserverError(
                    f"Synapse not ready after {READY_TIMEOUT_S:.0f} s\n{self.log_tail()}"
                )
            time.sleep(0.1)

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")
            raise HomeserverError(f"{method} {path} -> {error.code}: {detail}") from error
