"""After a restart: the rooms that changed are answered before every room's state is known."""

from __future__ import annotations

import asyncio
from typing import Any

from nio import AsyncClient, AsyncClientConfig, RoomGetStateResponse, SyncResponse

from bot.matrix import adapter as adapter_module
from bot.matrix.adapter import MatrixAdapter
from bot.matrix.incoming import IncomingMessage

BOT, ANNA = "@bot:ex.org", "@anna:ex.org"


def state_event(room: str, kind: str, key: str, content: dict[str, Any], n: int) -> dict[str, Any]:
    return {
        "type": kind,
        "state_key": key,
        "content": content,
        "sender": ANNA,
        "event_id": f"$s{n}{room}",
        "origin_server_ts": 1,
        "room_id": room,
    }


def room_state(room: str) -> list[dict[str, Any]]:
    return [
        state_event(room, "m.room.create", "", {"creator": ANNA, "room_version": "10"}, 1),
        state_event(room, "m.room.member", ANNA, {"membership": "join", "displayname": "Anna"}, 2),
        state_event(room, "m.room.member", BOT, {"membership": "join"}, 3),
        state_event(room, "m.room.power_levels", "", {"users": {ANNA: 100}}, 4),
    ]


def message(room: str, n: int) -> dict[str, Any]:
    return {
        "type": "m.room.message",
        "content": {"msgtype": "m.text", "body": f"!aide {n}"},
        "sender": ANNA,
        "event_id": f"$m{n}{room}",
        "origin_server_ts": 10 + n,
    }


def sync_body(token: str, rooms: dict[str, tuple[list[Any], list[Any]]]) -> dict[str, Any]:
    """``rooms``: room id -> (state events, timeline events)."""
    join = {
        room: {
            "state": {"events": state},
            "timeline": {"events": timeline, "limited": False, "prev_batch": "p"},
            "ephemeral": {"events": []},
            "account_data": {"events": []},
        }
        for room, (state, timeline) in rooms.items()
    }
    return {
        "next_batch": token,
        "rooms": {"join": join, "invite": {}, "leave": {}},
        "to_device": {"events": []},
        "device_lists": {"changed": [], "left": []},
        "device_one_time_keys_count": {},
        "account_data": {"events": []},
        "presence": {"events": []},
    }


class FakeClient(AsyncClient):
    """nio's client whose syncs and state requests are answered from a script."""

    def __init__(self, answers: list[dict[str, Any]]) -> None:
        super().__init__("http://ex.org", BOT, config=AsyncClientConfig(encryption_enabled=False))
        self.answers = answers
        self.asked: list[tuple[str | None, bool | None]] = []
        self.states_asked: list[str] = []
        self.access_token = "token"  # logged in, as far as nio asks

    async def send_to_device_messages(self) -> list[Any]:
        return []

    async def sync(self, timeout: int | None = 0, sync_filter: Any = None, since: Any = None,
                   full_state: bool | None = None, **_: Any) -> Any:  # fmt: skip
        self.asked.append((since, full_state))
        response = SyncResponse.from_dict(self.answers.pop(0))
        await self.receive_response(response)
        return response

    async def room_get_state(self, room_id: str) -> Any:
        self.states_asked.append(room_id)
        return RoomGetStateResponse(room_state(room_id), room_id)


class Sink:
    def __init__(self, adapter: MatrixAdapter) -> None:
        self.adapter = adapter
        self.seen: list[tuple[str, int, bool]] = []  # body, Anna's power level, rooms known
        self.tokens: list[str] = []

    async def on_message(self, message: IncomingMessage) -> None:
        level = self.adapter.power_level(message.room_id, ANNA)
        self.seen.append((message.body, level, self.adapter.all_rooms_known))

    async def after_batch(self, next_batch: str) -> None:
        self.tokens.append(next_batch)
        if len(self.tokens) == 2:
            self.adapter.stop()

    def __getattr__(self, name: str) -> Any:
        async def ignore(*_: Any) -> None:
            return None

        return ignore


def run(answers: list[dict[str, Any]]) -> tuple[FakeClient, MatrixAdapter, Sink]:
    client = FakeClient(answers)
    adapter = MatrixAdapter(client)
    sink = Sink(adapter)

    async def no_op() -> None:
        return None

    asyncio.run(adapter.run(sink, "t0", no_op))  # type: ignore[arg-type]
    return client, adapter, sink


def quiet_rooms(count: int) -> dict[str, tuple[list[Any], list[Any]]]:
    return {f"!q{i}:ex.org": (room_state(f"!q{i}:ex.org"), []) for i in range(count)}


def test_a_command_sent_while_down_is_answered_before_the_full_state_comes() -> None:
    busy = "!busy:ex.org"
    answers = [
        sync_body("t1", {busy: ([], [message(busy, 1)])}),
        sync_body("t2", {busy: (room_state(busy), []), **quiet_rooms(3)}),
    ]
    client, adapter, sink = run(answers)
    assert client.asked == [("t0", None), ("t1", True)]
    assert client.states_asked == [busy]
    assert sink.seen == [("!aide 1", 100, False)]  # the facilitator known, before the rest
    assert sink.tokens == ["t1", "t2"]
    assert adapter.all_rooms_known and len(client.rooms) == 4


def test_when_many_rooms_changed_their_events_wait_for_the_full_state_once() -> None:
    many = {
        f"!r{i}:ex.org": ([], [message(f"!r{i}:ex.org", i)])
        for i in range(adapter_module.MAX_ROOM_STATES_FETCHED + 1)
    }
    full = {room: (room_state(room), []) for room in many}
    answers = [sync_body("t1", many), sync_body("t2", full), sync_body("t3", {})]
    client, _, sink = run(answers)
    assert client.asked[:2] == [("t0", None), ("t1", True)]
    assert client.states_asked == []
    assert sorted(body for body, _, _ in sink.seen) == sorted(
        f"!aide {i}" for i in range(len(many))
    )
    assert all(level == 100 and known for _, level, known in sink.seen)
    assert sink.tokens[0] == "t2"  # t1 was never saved alone
