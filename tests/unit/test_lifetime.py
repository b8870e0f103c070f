"""The demo's Synapse and bot end with the demo, even when it is killed; the demo's
homeserver can listen on the local network when asked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.testing.homeserver import LocalHomeserver

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")

PARENT = """
import subprocess, sys, time
from bot.testing.lifetime import die_with_parent
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                         start_new_session=True, preexec_fn=die_with_parent if {ask} else None)
print(child.pid, flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def _grandchild_after_parent_killed(ask: bool, wait: float) -> bool:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT.format(ask=ask)], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    grandchild = int(parent.stdout.readline())
    parent.kill()  # SIGKILL: no clean-up code runs in the parent
    parent.wait()
    deadline = time.monotonic() + wait
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = _alive(grandchild)
    if alive:
        os.kill(grandchild, signal.SIGKILL)
    return alive


def test_a_child_started_to_die_with_its_parent_ends_when_the_parent_is_killed() -> None:
    assert not _grandchild_after_parent_killed(ask=True, wait=5)


def test_without_it_a_child_in_its_own_session_outlives_its_parent() -> None:
    assert _grandchild_after_parent_killed(ask=False, wait=0.5)  # what the demo did before


def test_the_demo_homeserver_stays_on_loopback_unless_asked(tmp_path: Path) -> None:
    default = LocalHomeserver(tmp_path / "a", port=8448)
    assert default._config()["listeners"][0]["bind_addresses"] == ["127.0.0.1"]
    assert default.base_url == "http://127.0.0.1:8448"
    shared = LocalHomeserver(tmp_path / "b", port=8448, bind_address="0.0.0.0")
    assert shared._config()["listeners"][0]["bind_addresses"] == ["0.0.0.0"]
    assert shared.base_url == "http://127.0.0.1:8448"  # this machine's clients still use loopback
