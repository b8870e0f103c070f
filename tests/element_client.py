"""Drive the headless Element-grade client (tests/element/client.mjs) from Python tests.

The client is matrix-js-sdk with Rust crypto, its device cross-signed and device isolation set to
"only signed devices", so it sees the bot as a current Element does. See client.mjs for the spec.

Example::

    run = run_element_client(
        {
            "homeserver": hs.base_url,
            "userId": "@anne:localhost",
            "password": "pw",
            "roomId": room_id,
            "actions": [
                {"send": "!aide"},
                {"expect": {"sender": bot_id, "bodyContains": "commandes"}},
            ],
        },
        timeout=60,
    )
    assert run.ok, run.stderr
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ELEMENT_DIR = Path(__file__).resolve().parent / "element"
CLIENT_SCRIPT = ELEMENT_DIR / "client.mjs"
# Room left for the script's own global timeout to fire and print its summary before we kill it.
OWN_TIMEOUT_MARGIN_S = 3.0


@dataclass(frozen=True)
class ElementRun:
    """What one run of the client printed: every JSON line, and the received events."""

    ok: bool
    messages: list[dict[str, Any]]
    stderr: str
    records: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] | None = None
    returncode: int | None = None
    elapsed: float = 0.0

    def from_sender(self, user_id: str) -> list[dict[str, Any]]:
        """The received events whose sender is ``user_id``, in arrival order."""
        return [message for message in self.messages if message["sender"] == user_id]


def node_available() -> bool:
    """True if a ``node`` and an ``npm`` are on PATH (tests skip otherwise)."""
    return shutil.which("node") is not None and shutil.which("npm") is not None


def ensure_node_modules() -> None:
    """Install tests/element/node_modules (npm ci from the lock file) unless already there."""
    marker = ELEMENT_DIR / "node_modules" / "matrix-js-sdk" / "package.json"
    if marker.exists():
        return
    # Several pytest processes may arrive here together: one installs, the others wait.
    with (ELEMENT_DIR / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.exists():
            return
        command = "ci" if (ELEMENT_DIR / "package-lock.json").exists() else "install"
        subprocess.run(
            ["npm", command, "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=ELEMENT_DIR,
            check=True,
            capture_output=True,
            timeout=300,
        )


def _prepared(spec: dict[str, Any], timeout: float) -> str:
    """The spec as JSON, with a global timeout that fires before ours."""
    own_ms = max(1000, int((timeout - OWN_TIMEOUT_MARGIN_S) * 1000))
    return json.dumps({**spec, "timeoutMs": min(spec.get("timeoutMs", own_ms), own_ms)})


def _parsed(
    stdout: str, stderr: str, returncode: int | None, elapsed: float, timed_out: bool
) -> ElementRun:
    records: list[dict[str, Any]] = []
    for line in stdout.splitlines():
        with contextlib.suppress(json.JSONDecodeError):
            records.append(json.loads(line))
    latest: dict[str, dict[str, Any]] = {}
    for record in records:
        if record.get("type") == "message":
            latest.pop(record["eventId"], None)  # a late decryption moves it to its new place
            latest[record["eventId"]] = record
    summary = next((r for r in records if r.get("type") == "summary"), None)
    ok = not timed_out and returncode == 0 and summary is not None and bool(summary.get("ok"))
    if timed_out:
        stderr += f"\n[element_client] killed after {elapsed:.1f} s"
    return ElementRun(
        ok=ok,
        messages=list(latest.values()),
        stderr=stderr,
        records=records,
        summary=summary,
        returncode=returncode,
        elapsed=elapsed,
    )


def run_element_client(spec: dict[str, Any], timeout: float = 90.0) -> ElementRun:
    """Run the client once to completion (blocking) and return what it printed."""
    ensure_node_modules()
    started = time.monotonic()
    try:
        done = subprocess.run(
            ["node", str(CLIENT_SCRIPT)],
            input=_prepared(spec, timeout),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ELEMENT_DIR,
        )
    except subprocess.TimeoutExpired as expired:
        return _parsed(
            _text(expired.stdout), _text(expired.stderr), None, time.monotonic() - started, True
        )
    return _parsed(done.stdout, done.stderr, done.returncode, time.monotonic() - started, False)


def _text(output: bytes | str | None) -> str:
    if output is None:
        return ""
    return output if isinstance(output, str) else output.decode(errors="replace")


class ElementClientProcess:
    """A client running beside the test's event loop, for exchanges that need coordination.

    Example::

        client = await ElementClientProcess.start(spec, timeout=60)
        await client.wait_for("ready")          # joined, device cross-signed
        ...                                     # the nio side acts now
        run = await client.finish()
    """

    def __init__(self, process: asyncio.subprocess.Process, timeout: float) -> None:
        self._process = process
        self._deadline = time.monotonic() + timeout
        self._started = time.monotonic()
        self._records: list[dict[str, Any]] = []
        self._stdout: list[str] = []
        self._changed = asyncio.Event()
        self._reader = asyncio.create_task(self._read_stdout())
        self._stderr = asyncio.create_task(self._read_stderr())

    @classmethod
    async def start(cls, spec: dict[str, Any], timeout: float = 90.0) -> ElementClientProcess:
        """Launch the client with ``spec``; it will be killed ``timeout`` seconds from now."""
        await asyncio.to_thread(ensure_node_modules)
        process = await asyncio.create_subprocess_exec(
            "node",
            str(CLIENT_SCRIPT),
            _prepared(spec, timeout),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=ELEMENT_DIR,
        )
        return cls(process, timeout)

    async def _read_stdout(self) -> None:
        assert self._process.stdout is not None
        async for raw in self._process.stdout:
            line = raw.decode(errors="replace")
            self._stdout.append(line)
            with contextlib.suppress(json.JSONDecodeError):
                self._records.append(json.loads(line))
            self._changed.set()
        self._changed.set()

    async def _read_stderr(self) -> str:
        assert self._process.stderr is not None
        return (await self._process.stderr.read()).decode(errors="replace")

    async def wait_for(self, record_type: str, **fields: Any) -> dict[str, Any]:
        """The first printed record of ``record_type`` whose fields equal ``fields``."""
        while True:
            for record in self._records:
                if record.get("type") == record_type and all(
                    record.get(key) == value for key, value in fields.items()
                ):
                    return record
            if self._reader.done():
                raise AssertionError(f"client ended without a {record_type} record {fields}")
            self._changed.clear()
            remaining = self._deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {record_type} record {fields} before the deadline")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=remaining)

    async def kill(self) -> None:
        """Stop the client now (cleanup after a failed test). Idempotent."""
        if self._process.returncode is None:
            self._process.kill()
            await self._process.wait()

    async def finish(self) -> ElementRun:
        """Wait for the client to end (killing it at the deadline) and return what it printed."""
        timed_out = False
        try:
            await asyncio.wait_for(
                self._process.wait(), timeout=max(0.1, self._deadline - time.monotonic())
            )
        except TimeoutError:
            timed_out = True
            self._process.kill()
            await self._process.wait()
        await self._reader
        stderr = await self._stderr
        return _parsed(
            "".join(self._stdout),
            stderr,
            self._process.returncode,
            time.monotonic() - self._started,
            timed_out,
        )
