"""The visio link of a rendez-vous: the one set with ``!rdv lien``, else the circle's setting
(a fixed address, or a template such as ``https://meet.jit.si/{circle}``)."""

from __future__ import annotations

import re

from bot.commands.context import CommandContext
from bot.domain.folding import fold
from bot.matrix.messages import Text
from bot.store.rendezvous import RendezvousRow

LINK = re.compile(r"^https?://[^\s<>\"]+$")
MAX_LINK = 300


def configured_link(ctx: CommandContext) -> str | None:
    """The circle's link setting, its ``{circle}`` filled with the room's name as a slug."""
    template = ctx.circle.settings.rendezvous_link.strip()
    if not template:
        return None
    if "{circle}" not in template:
        return template
    return template.replace("{circle}", room_slug(ctx.runtime.room_name(ctx.circle_id)))


def room_slug(name: str) -> str:
    """« Cercle des pionniers » → ``CercleDesPionniers`` (a Jitsi room name, no accents)."""
    words = re.findall(r"[a-z0-9]+", fold(name))
    return "".join(w.capitalize() for w in words) or "Cercle"


def link_text(ctx: CommandContext, row: RendezvousRow) -> Text:
    if row.link:
        # Checked by ``LINK`` when it was set: an autolink, shown bare in the plain text.
        return ctx.t("rdv.link", link=Text(f"<{row.link}>", row.link))
    return ctx.t("rdv.link_follows")
