"""Message sends against a homeserver that rate limits them the way Synapse does.

The homeserver is simulated on a fake clock: Synapse's limiter (a leaky bucket of
``burst_count`` messages draining at ``per_second``; a 429 carries ``retry_after_ms``,
rounded down), a round trip of 20–60 ms with the server deciding halfway. The client is
nio's retry loop (a 429 is waited out with ``retry_after_ms``, then the same message is
sent again) with the bot's ``Pace`` around each attempt, as ``BotClient.send`` does.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from nio import AsyncClient

from bot.matrix.pacing import PACE_MEMORY_INTERVALS, Pace, is_message_send
from bot.matrix.session import BotClient


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class SynapseLimiter:
    """Synapse's ``Ratelimiter.can_do_action`` for one account's messages."""

    def __init__(self, per_second: float, burst: int) -> None:
        self.rate, self.burst = per_second, burst
        self.count, self.start = 0.0, 0.0

    def retry_after_ms(self, now: float) -> int | None:
        """None when the message is allowed (and counted), else the wait Synapse answers."""
        performed = self.count - (now - self.start) * self.rate
        if performed < 0:
            performed, self.count, self.start = 0.0, 0.0, now
        if performed > self.burst - 1:
            allowed_at = self.start + (self.count - self.burst + 1) / self.rate
            return int(1000 * max(0.0, allowed_at - now))
        self.count += 1
        return None


def fan_out(messages: int, per_second: float, burst: int, paced: bool) -> tuple[float, int]:
    """Send ``messages`` one after the other; returns (seconds taken, 429s answered)."""
    clock, server, trips = FakeClock(), SynapseLimiter(per_second, burst), random.Random(7)
    pace = Pace(clock)
    server.start = began = clock.now
    refused = 0
    for _ in range(messages):
        while True:
            if paced:
                clock.now += pace.wait_before_send()
            started, trip = clock.now, trips.uniform(0.02, 0.06)
            retry = server.retry_after_ms(started + trip / 2)
            clock.now += trip
            if retry is None:
                pace.sent(started)
                break
            refused += 1
            pace.limited(started, retry / 1000)
            clock.now += retry / 1000  # nio waits out the 429, then sends the same again
    return clock.now - began, refused


@pytest.mark.parametrize(
    ("messages", "per_second", "burst"), [(1000, 5.0, 10), (300, 5.0, 10), (60, 0.2, 10)]
)
def test_a_fan_out_keeps_to_the_pace_the_rate_limit_allows(
    messages: int, per_second: float, burst: int
) -> None:
    took, refused = fan_out(messages, per_second, burst, paced=True)
    permitted = (messages - burst) / per_second
    assert took <= 1.1 * permitted
    assert refused <= 10  # a few to learn the pace, not one per message past the burst


def test_without_the_pace_nearly_every_message_past_the_burst_meets_a_429() -> None:
    _, refused = fan_out(300, 5.0, 10, paced=False)
    assert refused > 200


def test_without_a_limit_nothing_waits() -> None:
    took, refused = fan_out(100, 1e9, 10**9, paced=True)
    assert refused == 0
    assert took <= 100 * 0.06  # the round trips only


def test_the_pace_is_learned_from_a_429_and_forgotten_once_the_bucket_refills() -> None:
    clock = FakeClock()
    pace = Pace(clock)
    assert pace.wait_before_send() == 0.0
    pace.sent(clock.now)
    clock.now += 0.05
    pace.limited(clock.now, 0.15)  # the next send may start 0.2 s after the previous one
    assert pace.interval == pytest.approx(0.2, abs=0.002)
    clock.now += 0.15
    pace.sent(clock.now)
    assert pace.wait_before_send() == pytest.approx(0.2, abs=0.002)
    clock.now += 0.2 * PACE_MEMORY_INTERVALS + 0.01
    assert pace.wait_before_send() == 0.0
    assert pace.interval == 0.0


def test_only_room_events_are_paced() -> None:
    assert is_message_send("PUT", "/_matrix/client/v3/rooms/%21r%3Ahs/send/m.room.message/t")
    assert is_message_send("put", "/_matrix/client/v3/rooms/%21r%3Ahs/redact/%24e/t")
    assert not is_message_send("PUT", "/_matrix/client/v3/sendToDevice/m.room.encrypted/t")
    assert not is_message_send("GET", "/_matrix/client/v3/sync?timeout=30000")
    assert not is_message_send("POST", "/_matrix/client/v3/keys/query")


class FakeResponse:
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status = status
        self.body = body

    async def json(self, content_type: str | None = None) -> dict[str, Any]:
        return self.body


async def test_the_bot_client_learns_the_pace_from_a_429_of_a_message_send(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = [
        FakeResponse(200, {"event_id": "$1"}),
        FakeResponse(429, {"errcode": "M_LIMIT_EXCEEDED", "retry_after_ms": 180}),
        FakeResponse(200, {}),  # a sync: not a message
    ]

    async def send(self: AsyncClient, method: str, path: str, *args: Any, **kwargs: Any) -> Any:
        return answers.pop(0)

    monkeypatch.setattr(AsyncClient, "send", send)
    client = BotClient("http://127.0.0.1:9", "@bot:hs")
    message = "/_matrix/client/v3/rooms/%21r%3Ahs/send/m.room.encrypted/t1"
    await client.send("PUT", message)
    assert client.message_pace.interval == 0.0
    refused = await client.send("PUT", message)
    assert refused.status == 429
    assert 0.18 <= client.message_pace.interval < 0.5
    await client.send("GET", "/_matrix/client/v3/sync")
    assert client.message_pace.wait_before_send() > 0  # the next message waits its turn
    await client.close()
