"""``!mesdonnees`` (her data as a file), ``!oublier`` (then ``!oublier confirmer``) and
``!merci non|oui`` (thanked by name in recaps or not): one command, three words."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.commands.context import CommandContext
from bot.commands.registry import Command, CommandRefused, Subcommand, UsageError
from bot.domain.folding import fold
from bot.domain.personal_data import Forgetting
from bot.features.personal_data.identity import structures_of
from bot.store import personal_data as people

# « !oublier confirmer » must follow « !oublier » within this (the prompts say « un quart d'heure »)
FORGET_WINDOW = timedelta(minutes=15)
CONFIRM_WORDS = ("confirmer", "confirm")


def _in_direct_chat(ctx: CommandContext) -> None:
    if not ctx.in_direct_chat:
        raise CommandRefused("data.direct_only")


async def my_data(ctx: CommandContext, args: str) -> None:
    """Everything the bot keeps about the sender, across circles, as a JSON file in her DM."""
    if args.strip():
        raise UsageError()
    _in_direct_chat(ctx)
    data = await data_file(ctx, ctx.sender)
    room, runtime = ctx.circle.room_id, ctx.runtime
    filename = f"mes-donnees-{ctx.now.date().isoformat()}.json"
    await ctx.reply("data.file_coming")

    async def upload() -> None:
        await runtime.post_file(room, data, filename, "application/json")

    runtime.after_commit(upload)


async def data_file(ctx: CommandContext, user_id: str) -> bytes:
    """The file: what it is, the circles by name, then one section per feature (its rows,
    as stored), titled in the circle's language (``data.section.<section>``)."""
    content: dict[str, Any] = {
        "about": ctx.prompts.text(ctx.lang, "data.file_about", p=ctx.prefix),
        "person": user_id,
        "made_at": ctx.now.isoformat(),
        "circles": {c: ctx.runtime.room_name(c) for c in ctx.runtime.circle_ids()},
    }
    for data in ctx.runtime.personal_data():
        title = ctx.prompts.text(ctx.lang, f"data.section.{data.section}")
        content.setdefault(title, []).extend(await data.export(ctx.db, user_id))
    return json.dumps(content, ensure_ascii=False, indent=2).encode("utf-8")


async def forget(ctx: CommandContext, args: str) -> None:
    """``!oublier`` asks what « confirmer » will do; ``!oublier confirmer`` does it."""
    _in_direct_chat(ctx)
    word = fold(args.strip())
    if not word:
        await people.ask_to_forget(ctx.db, ctx.sender, ctx.now)
        await ctx.reply("data.forget.asked")
    elif word in CONFIRM_WORDS:
        await _confirm_forget(ctx)
    else:
        raise UsageError("data.forget.unknown_word", "data.forget.hint", word=args.strip())


async def _confirm_forget(ctx: CommandContext) -> None:
    asked = await people.forget_asked_at(ctx.db, ctx.sender)
    if asked is None or ctx.now - asked > FORGET_WINDOW:
        raise CommandRefused("data.forget.not_asked")
    forgetting = Forgetting(ctx.sender, await structures_of(ctx, ctx.sender))
    for data in ctx.runtime.personal_data():
        await data.forget(ctx, forgetting)
    await ctx.reply("data.forget.done")


async def thanks(ctx: CommandContext, args: str) -> None:
    """``!merci`` says her choice; ``!merci non`` / ``!merci oui`` changes it."""
    word = fold(args.strip())
    if not word:
        declines = await people.declines_thanks(ctx.db, ctx.sender)
        await ctx.reply("data.thanks.declined" if declines else "data.thanks.accepted")
    elif word in ("non", "no", "oui", "yes"):
        declines = word in ("non", "no")
        await people.set_declines_thanks(ctx.db, ctx.sender, declines, ctx.now)
        await ctx.reply("data.thanks.now_declined" if declines else "data.thanks.now_accepted")
    else:
        raise UsageError("data.thanks.unknown_word", "data.thanks.hint", word=args.strip())


def data_command() -> Command:
    """One command for a person's data; ``!oublier`` and ``!merci`` are its words too, so
    that ``!aide`` names the family once."""
    return Command(
        "mesdonnees",
        "mydata",
        my_data,
        subcommands=(
            Subcommand("oublier", "forget", forget),
            Subcommand("merci", "thanks", thanks),
        ),
        shortcuts=(
            ("oublier", "oublier"),
            ("forget", "oublier"),
            ("merci", "merci"),
            ("thanks", "merci"),
        ),
        works_in_direct_chat=True,
        help_group="more",
    )
