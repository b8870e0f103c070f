"""The pace the homeserver's message rate limit allows, learned from its 429s.

Synapse limits how fast an account sends messages with a leaky bucket (``rc_message``:
``burst_count`` messages at once, then ``per_second``). nio waits out a 429 itself, with the
server's ``retry_after_ms``; but sending as fast as possible again right after meets the limit
again, one 429 for nearly every message of a fan-out to many circles. ``Pace`` learns the
interval the server allows from its first 429s (the interval since the previous message that
went through, plus the wait the server asks for) and spaces message sends by it; once the
sender has been quiet long enough for the server's burst to be back, it forgets it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

# Synapse's default message burst: after this many intervals without a message, the server's
# bucket is full again and the learned pace is forgotten.
PACE_MEMORY_INTERVALS = 10
ROUNDING_S = 0.001  # Synapse rounds its retry_after_ms down
MAX_INTERVAL_S = 60.0
_MESSAGE_SEND = re.compile(r"^/_matrix/client/[^/]+/rooms/[^/]+/(send|redact)/")


def is_message_send(method: str, path: str) -> bool:
    """Whether a request sends a room event (a message, a reaction, a redaction): what
    Synapse's message rate limit counts.

    >>> is_message_send("PUT", "/_matrix/client/v3/rooms/%21a%3Ab/send/m.room.encrypted/t1")
    True
    >>> is_message_send("PUT", "/_matrix/client/v3/sendToDevice/m.room.encrypted/t2")
    False
    """
    return method.upper() == "PUT" and _MESSAGE_SEND.match(path) is not None


class Pace:
    """The spacing between two message sends that the homeserver allows."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.interval = 0.0
        self._last_sent: float | None = None

    def wait_before_send(self) -> float:
        """Seconds to wait before the next send (0 when not rate limited lately)."""
        if self._last_sent is None or self.interval == 0.0:
            return 0.0
        since = self.clock() - self._last_sent
        if since > self.interval * PACE_MEMORY_INTERVALS:
            self.interval = 0.0  # the server's bucket has refilled
            return 0.0
        return max(0.0, self.interval - since)

    def sent(self, started_at: float) -> None:
        """The send that started at ``started_at`` went through."""
        self._last_sent = started_at

    def limited(self, started_at: float, retry_after_s: float) -> None:
        """The send that started at ``started_at`` was refused (429): the server allows the
        next one ``retry_after_s`` later. Timed from the starts of both sends, so the round
        trip does not count twice."""
        if self._last_sent is not None:
            allowed = started_at + retry_after_s + ROUNDING_S - self._last_sent
            self.interval = min(MAX_INTERVAL_S, max(0.0, allowed))
