"""The bot as a real process (``python -m bot run``), for tests, demo and benchmarks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.testing.lifetime import die_with_parent


class BotProcess:
    def __init__(
        self,
        homeserver: str,
        user_id: str,
        password: str,
        data_dir: Path,
        allowed_inviters: str,
        extra_env: dict[str, str] | None = None,
        config_file: Path | None = None,
        die_with_parent: bool = False,
    ) -> None:
        self.data_dir = data_dir
        self.die_with_parent = die_with_parent  # ended by the kernel when its starter dies
        self.log_path = data_dir.parent / f"{data_dir.name}.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("BOT_")},
            "BOT_HOMESERVER": homeserver,
            "BOT_USER_ID": user_id,
            "BOT_PASSWORD": password,
            "BOT_DATA_DIR": str(data_dir),
            "BOT_ALLOWED_INVITERS": allowed_inviters,
            "BOT_LOG_LEVEL": os.environ.get("TEST_BOT_LOG_LEVEL", "INFO"),
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        self.config_file = config_file
        self.proc: subprocess.Popen[bytes] | None = None
        self._log_offset = 0

    def start(self, wait_ready: bool = True, timeout: float = 60) -> None:
        cmd = [sys.executable, "-m", "bot", "run"]
        if self.config_file:
            cmd += ["--config", str(self.config_file)]
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            cmd,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent if self.die_with_parent else None,
        )
        log.close()
        if wait_ready:
            try:
                self.wait_for_log("ready as", timeout)
            except BaseException:
                self.kill()  # never leave a half-started bot behind
                raise

    def log_text(self, since_start: bool = True) -> str:
        if not self.log_path.exists():
            return ""
        data = self.log_path.read_bytes()
        return data[self._log_offset if since_start else 0 :].decode(errors="replace")

    def wait_for_log(self, needle: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.log_text():
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(
                    f"bot exited ({self.proc.returncode}):\n{self.log_text()[-3000:]}"
                )
            if time.monotonic() > deadline:
                raise TimeoutError(f"bot log never said {needle!r}:\n{self.log_text()[-3000:]}")
            time.sleep(0.1)

    def stop(self, timeout: float = 15) -> int:
        """SIGTERM and wait; returns the exit code."""
        if self.proc is None:
            return 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()

    def kill(self) -> None:
        """SIGKILL: the crash case."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None
