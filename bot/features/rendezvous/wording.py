"""How the rendez-vous's messages name a slot, people and structures."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from babel.lists import format_list

from bot.commands.context import CommandContext
from bot.domain.dates import format_datetime
from bot.domain.rendezvous import Answer
from bot.matrix.messages import Mention, Text


def when_text(ctx: CommandContext, at: datetime) -> str:
    """« mardi 8 décembre à 18:00 », in the circle's zone."""
    glue = ctx.prompts.template(ctx.lang, "date.glue")
    return format_datetime(at.astimezone(ctx.circle.tz), ctx.lang, ctx.now, glue=glue)


def names(ctx: CommandContext, items: Iterable[str]) -> str:
    """« Ressourcerie, Jardins et Repair Café » in the circle's language."""
    listed = list(items)
    return format_list(listed, locale=ctx.lang) if listed else ""


def answer_word(ctx: CommandContext, answer: Answer) -> str:
    return ctx.prompts.text(ctx.lang, f"rdv.answer.{answer.value}")


def mentions(ctx: CommandContext, users: Iterable[str]) -> Text:
    """Pills that ping ``users``, separated by commas."""
    pills = [Mention(u, ctx.display_name(u)) for u in users]
    return Text.join([Text(m.markdown, m.name, (m.user_id,)) for m in pills], ", ")
