"""Cross-signing of the bot's own device (nio 0.26 has no API for it).

Since 2026 Element hides messages from devices that their owner has not
cross-signed, and does not encrypt for them. On every start the bot makes sure
that: its master / self-signing / user-signing keys exist (created once, kept
in the data directory with owner-only permissions, never replaced), that the
homeserver has them, and that its current device carries the self-signing
key's signature.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from Crypto.PublicKey import ECC
from Crypto.Signature import eddsa

from bot.matrix.canonical_json import signable

log = logging.getLogger(__name__)


class CrossSigningError(Exception):
    """Cross-signing could not be set up (the bot would be invisible in Element)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class SigningKey:
    """An Ed25519 key pair held as its 32-byte seed."""

    seed: bytes

    @classmethod
    def generate(cls) -> SigningKey:
        key = ECC.generate(curve="Ed25519")
        return cls(key.seed)

    @property
    def _key(self) -> ECC.EccKey:
        return eddsa.import_private_key(self.seed)

    @property
    def public(self) -> str:
        return _b64(self._key.public_key().export_key(format="raw"))

    def sign(self, obj: dict[str, Any]) -> str:
        return _b64(eddsa.new(self._key, "rfc8032").sign(signable(obj)))


def verify(public: str, obj: dict[str, Any], signature: str) -> bool:
    """Whether ``signature`` is ``public``'s Ed25519 signature of ``obj``."""
    key = eddsa.import_public_key(_unb64(public))
    try:
        eddsa.new(key, "rfc8032").verify(signable(obj), _unb64(signature))
    except ValueError:
        return False
    return True


def _signed_by(obj: dict[str, Any], user_id: str, key_id: str, public: str) -> bool:
    signature = obj.get("signatures", {}).get(user_id, {}).get(key_id)
    if not isinstance(signature, str):
        return False
    unsigned = {k: v for k, v in obj.items() if k not in ("signatures", "unsigned")}
    return verify(public, unsigned, signature)


async def device_is_cross_signed(request: Request, user_id: str, device_id: str) -> bool:
    """What another client sees: the homeserver's self-signing key of ``user_id``, signed by
    its master key, has signed ``device_id``'s keys (``/keys/query``, as Element checks)."""
    status, query = await request(
        "POST", "/_matrix/client/v3/keys/query", {"device_keys": {user_id: []}}
    )
    if status != 200:
        raise CrossSigningError(f"keys/query answered {status}")
    master = query.get("master_keys", {}).get(user_id, {})
    ssk = query.get("self_signing_keys", {}).get(user_id, {})
    device = query.get("device_keys", {}).get(user_id, {}).get(device_id)
    if not master or not ssk or device is None:
        return False
    master_id, master_public = next(iter(master.get("keys", {}).items()), ("", ""))
    ssk_id, ssk_public = next(iter(ssk.get("keys", {}).items()), ("", ""))
    if not master_public or not ssk_public:
        return False
    return _signed_by(ssk, user_id, master_id, master_public) and _signed_by(
        device, user_id, ssk_id, ssk_public
    )


@dataclass(frozen=True)
class CrossSigningKeys:
    master: SigningKey
    self_signing: SigningKey
    user_signing: SigningKey

    @classmethod
    def load_or_create(cls, path: Path) -> CrossSigningKeys:
        """Read the keys from ``path``; create and save them (mode 0600) the first time."""
        if path.exists():
            try:
                raw = json.loads(path.read_text())
                return cls(
                    *(
                        SigningKey(_unb64(raw[name]))
                        for name in ("master", "self_signing", "user_signing")
                    )
                )
            except (OSError, ValueError, KeyError) as exc:
                raise CrossSigningError(
                    f"cross-signing key file {path} is unreadable: {exc}"
                ) from None
        keys = cls(SigningKey.generate(), SigningKey.generate(), SigningKey.generate())
        data = json.dumps(
            {
                "master": _b64(keys.master.seed),
                "self_signing": _b64(keys.self_signing.seed),
                "user_signing": _b64(keys.user_signing.seed),
            }
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(data)
        log.info("created cross-signing keys (master %s)", keys.master.public)
        return keys

    def key_objects(self, user_id: str) -> dict[str, dict[str, Any]]:
        """The three public key objects to upload, sub-keys signed by the master key."""
        master = _key_object(user_id, "master", self.master.public)
        uploads = {"master_key": master}
        for field, usage, key in (
            ("self_signing_key", "self_signing", self.self_signing),
            ("user_signing_key", "user_signing", self.user_signing),
        ):
            obj = _key_object(user_id, usage, key.public)
            obj["signatures"] = {user_id: {f"ed25519:{self.master.public}": self.master.sign(obj)}}
            uploads[field] = obj
        return uploads


def _key_object(user_id: str, usage: str, public: str) -> dict[str, Any]:
    return {"user_id": user_id, "usage": [usage], "keys": {f"ed25519:{public}": public}}


# (method, path, body) -> (status, json body)
Request = Callable[[str, str, dict[str, Any]], Awaitable[tuple[int, dict[str, Any]]]]


async def ensure_cross_signed(
    request: Request,
    user_id: str,
    device_id: str,
    keys: CrossSigningKeys,
    password: str | None,
) -> None:
    """Upload the keys if the server lacks them, then sign this device if it is not yet."""
    status, query = await request(
        "POST", "/_matrix/client/v3/keys/query", {"device_keys": {user_id: []}}
    )
    if status != 200:
        raise CrossSigningError(f"keys/query answered {status}")
    server_master = query.get("master_keys", {}).get(user_id, {}).get("keys", {})
    our_master = f"ed25519:{keys.master.public}"
    if our_master not in server_master:
        if server_master:
            log.warning("the homeserver holds another master key for %s; replacing it", user_id)
        await _upload_keys(request, user_id, keys, password)

    device = query.get("device_keys", {}).get(user_id, {}).get(device_id)
    if device is None:
        raise CrossSigningError(f"device {device_id} has no keys on the homeserver yet")
    ssk_id = f"ed25519:{keys.self_signing.public}"
    signatures = device.get("signatures", {}).get(user_id, {})
    if ssk_id in signatures and verify(keys.self_signing.public, device, signatures[ssk_id]):
        log.info("device %s already cross-signed", device_id)
        return
    signed = {k: v for k, v in device.items() if k != "unsigned"}
    signed["signatures"] = {user_id: {ssk_id: keys.self_signing.sign(signed)}}
    status, body = await request(
        "POST", "/_matrix/client/v3/keys/signatures/upload", {user_id: {device_id: signed}}
    )
    if status != 200 or body.get("failures"):
        raise CrossSigningError(f"signatures/upload answered {status}: {body.get('failures')}")
    log.info("device %s cross-signed with self-signing key %s", device_id, keys.self_signing.public)


async def _upload_keys(
    request: Request, user_id: str, keys: CrossSigningKeys, password: str | None
) -> None:
    body: dict[str, Any] = keys.key_objects(user_id)
    path = "/_matrix/client/v3/keys/device_signing/upload"
    status, answer = await request("POST", path, body)
    if status == 401 and "session" in answer:
        # Replacing keys needs user-interactive auth: the bot's password.
        if not password:
            raise CrossSigningError(
                "the homeserver wants the password to replace the cross-signing keys "
                "(set BOT_PASSWORD once)"
            )
        body["auth"] = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": user_id},
            "password": password,
            "session": answer["session"],
        }
        status, answer = await request("POST", path, body)
    if status != 200:
        raise CrossSigningError(f"device_signing/upload answered {status} {answer.get('errcode')}")
    log.info("uploaded cross-signing keys (master %s)", keys.master.public)
