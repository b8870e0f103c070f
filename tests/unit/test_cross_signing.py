"""Cross-signing keys: created once, reused, signatures that verify."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from bot.matrix.canonical_json import canonical_json
from bot.matrix.cross_signing import (
    CrossSigningKeys,
    device_is_cross_signed,
    ensure_cross_signed,
    verify,
)


def test_canonical_json_sorts_keys_without_spaces_in_utf8() -> None:
    assert canonical_json({"b": [1, 2], "a": "é"}) == '{"a":"é","b":[1,2]}'.encode()


def test_keys_are_created_once_owner_only_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "cross-signing.json"
    first = CrossSigningKeys.load_or_create(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = CrossSigningKeys.load_or_create(path)
    assert first.master.public == again.master.public


def test_sub_keys_are_signed_by_the_master_key(tmp_path: Path) -> None:
    keys = CrossSigningKeys.load_or_create(tmp_path / "k.json")
    objects = keys.key_objects("@bot:x")
    ssk = objects["self_signing_key"]
    signature = ssk["signatures"]["@bot:x"][f"ed25519:{keys.master.public}"]
    assert verify(keys.master.public, ssk, signature)
    assert not verify(keys.self_signing.public, ssk, signature)


async def test_the_device_is_signed_and_a_first_upload_needs_no_password(tmp_path: Path) -> None:
    keys = CrossSigningKeys.load_or_create(tmp_path / "k.json")
    device = {"user_id": "@bot:x", "device_id": "DEV", "keys": {"ed25519:DEV": "abc"},
              "algorithms": [], "signatures": {"@bot:x": {"ed25519:DEV": "sig"}}}  # fmt: skip
    calls: list[tuple[str, dict[str, Any]]] = []

    async def request(method: str, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        calls.append((path, body))
        if path.endswith("keys/query"):
            return 200, {"device_keys": {"@bot:x": {"DEV": device}}}
        return 200, {"failures": {}}

    await ensure_cross_signed(request, "@bot:x", "DEV", keys, password=None)
    paths = [p for p, _ in calls]
    assert paths[1].endswith("device_signing/upload") and "auth" not in calls[1][1]
    signed = calls[2][1]["@bot:x"]["DEV"]
    ssk_id = f"ed25519:{keys.self_signing.public}"
    assert verify(keys.self_signing.public, device, signed["signatures"]["@bot:x"][ssk_id])


def _server_view(keys: CrossSigningKeys, device: dict[str, Any]) -> dict[str, Any]:
    objects = keys.key_objects("@bot:x")
    return {
        "master_keys": {"@bot:x": objects["master_key"]},
        "self_signing_keys": {"@bot:x": objects["self_signing_key"]},
        "device_keys": {"@bot:x": {"DEV": device}},
    }


def _query(view: dict[str, Any]) -> Any:
    async def request(method: str, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return 200, view

    return request


async def test_a_device_signed_by_the_self_signing_key_is_seen_cross_signed(
    tmp_path: Path,
) -> None:
    keys = CrossSigningKeys.load_or_create(tmp_path / "k.json")
    device = {"user_id": "@bot:x", "device_id": "DEV", "keys": {"ed25519:DEV": "abc"},
              "algorithms": []}  # fmt: skip
    unsigned = _server_view(keys, dict(device))
    assert not await device_is_cross_signed(_query(unsigned), "@bot:x", "DEV")

    ssk_id = f"ed25519:{keys.self_signing.public}"
    signed = dict(device, signatures={"@bot:x": {ssk_id: keys.self_signing.sign(device)}})
    assert await device_is_cross_signed(_query(_server_view(keys, signed)), "@bot:x", "DEV")

    # Signed by a self-signing key the server does not hold: not trusted.
    other = CrossSigningKeys.load_or_create(tmp_path / "other.json")
    forged = dict(device, signatures={"@bot:x": {ssk_id: other.self_signing.sign(device)}})
    assert not await device_is_cross_signed(_query(_server_view(keys, forged)), "@bot:x", "DEV")
