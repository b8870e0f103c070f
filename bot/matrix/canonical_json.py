"""Matrix canonical JSON: the bytes that signatures are computed over."""

import json
from typing import Any


def canonical_json(obj: Any) -> bytes:
    """Keys sorted, no spaces, UTF-8 (no ASCII escaping).

    >>> canonical_json({"b": 1, "a": "é"})
    b'{"a":"\\xc3\\xa9","b":1}'
    """
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def signable(obj: dict[str, Any]) -> bytes:
    """The canonical JSON of a signed object, without ``signatures`` and ``unsigned``."""
    return canonical_json({k: v for k, v in obj.items() if k not in ("signatures", "unsigned")})
