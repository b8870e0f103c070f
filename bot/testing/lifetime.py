"""Child processes that do not outlive the program that started them (Linux).

``start_new_session`` keeps a terminal's Ctrl-C away from Synapse and the bot, but
also lets them run on when the demo is killed or its terminal closed. The kernel's
parent-death signal (``prctl(PR_SET_PDEATHSIG)``) ends them with their parent.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable

PR_SET_PDEATHSIG = 1

_prctl: Callable[..., int] | None = None
if sys.platform.startswith("linux"):
    try:  # looked up now: after fork, the child only calls it
        _prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        _prctl = None


def die_with_parent(sig: int = signal.SIGTERM) -> None:
    """Ask the kernel to send ``sig`` to this process when its parent dies (no-op elsewhere).

    For a child: pass it as ``preexec_fn``. The parent is the *thread* that started the
    child: start children from the main thread."""
    if _prctl is not None:
        _prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)


def end_with_parent(sig: int = signal.SIGHUP) -> None:
    """For the running program itself: receive ``sig`` when whoever started it dies."""
    parent = os.getppid()
    die_with_parent(sig)
    if os.getppid() != parent:  # the parent died before the request was made
        os.kill(os.getpid(), sig)
