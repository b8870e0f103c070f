"""The real Element Web (1.12.12) in headless Chromium, driven by Playwright, for tests.

The bundle is a production build kept beside the workplace (``../shared/element-web/``); it is
unpacked once into ``<repo>/.cache/element-web/`` and served on 127.0.0.1 by the ``serve.py``
that sits beside it, with Element's « exclude insecure devices » setting on. Chromium is Debian's
(``/usr/bin/chromium``) and may reach nothing but 127.0.0.1.

Example::

    async with ElementWeb(homeserver.base_url) as element:
        me = await element.login(user_id, password)
        await me.join(room_id)
        await me.open_room(room_id)
        await me.send("!aide")
        reply = await me.wait_for_tile(lambda t: "Ce que je sais faire" in t.text)
        await me.screenshot("aide")

An Element device only decrypts what is sent after it exists: log in first, then make the
bot act.

A package by concern: ``bundle`` (finding, unpacking and serving the bundle), ``browser``
(Chromium and the server), ``user`` (logging in and acting as a person), ``tiles`` (reading
what the timeline shows).
"""

from __future__ import annotations

from bot.testing.element_web.browser import ElementWeb, chromium_pss_mib
from bot.testing.element_web.bundle import (
    CACHE_DIR,
    CHROMIUM,
    ELEMENT_VERSION,
    REPO_ROOT,
    SHOTS_DIR,
    bundle_path,
    element_web_available,
    serve_script,
    unpacked_webapp,
)
from bot.testing.element_web.tiles import THREAD_PATIENCE_S, Tile, Where
from bot.testing.element_web.user import ElementError, ElementUser

__all__ = [
    "CACHE_DIR",
    "CHROMIUM",
    "ELEMENT_VERSION",
    "REPO_ROOT",
    "SHOTS_DIR",
    "THREAD_PATIENCE_S",
    "ElementError",
    "ElementUser",
    "ElementWeb",
    "Tile",
    "Where",
    "bundle_path",
    "chromium_pss_mib",
    "element_web_available",
    "serve_script",
    "unpacked_webapp",
]
