"""``!mesdonnees`` (her data as a file), ``!oublier`` (then ``!oublier confirmer``) and
``!merci non|oui`` (thanked by name in recaps or not)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.commands.context import CommandContext
from bot.commands.registry import Command, CommandRefused, Subcommand, UsageError
from bot.domain.personal_data import Forgetting
from bot.features.personal_data.identity import structures_of
from bot.store import personal_data as people

# « !oublier confirmer » must follow « !oublier » within this (the prompts say « un quart d'heure »)
FORGET_WINDOW = timedelta(minutes=15)


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
    """The file: what it is, then one section per feature (its rows, as stored)."""
    content: dict[str, Any] = {
        "about": ctx.prompts.text(ctx.lang, "data.file_about", p=ctx.prefix),
        "person": user_id,
        "made_at": ctx.now.isoformat(),
    }
    for data in ctx.runtime.personal_data():
        content.setdefault(data.section, []).extend(await data.export(ctx.db, user_id))
    return json.dumps(content, ensure_ascii=False, indent=2).encode("utf-8")


async def ask_to_forget(ctx: CommandContext, args: str) -> None:
    if args.strip():
        raise UsageError()
    _in_direct_chat(ctx)
    await people.ask_to_forget(ctx.db, ctx.sender, ctx.now)
    await ctx.reply("data.forget.asked")


async def confirm_forget(ctx: CommandContext, args: str) -> None:
    _in_direct_chat(ctx)
    asked = await people.forget_asked_at(ctx.db, ctx.sender)
    if asked is None or ctx.now - asked > FORGET_WINDOW:
        raise CommandRefused("data.forget.not_asked")
    forgetting = Forgetting(ctx.sender, await structures_of(ctx, ctx.sender))
    for data in ctx.runtime.personal_data():
        await data.forget(ctx, forgetting)
    await ctx.reply("data.forget.done")


async def thanks_status(ctx: CommandContext, args: str) -> None:
    if args.strip():
        raise UsageError()
    declines = await people.declines_thanks(ctx.db, ctx.sender)
    await ctx.reply("data.thanks.declined" if declines else "data.thanks.accepted")


async def decline_thanks(ctx: CommandContext, args: str) -> None:
    await people.set_declines_thanks(ctx.db, ctx.sender, True, ctx.now)
    await ctx.reply("data.thanks.now_declined")


async def accept_thanks(ctx: CommandContext, args: str) -> None:
    await people.set_declines_thanks(ctx.db, ctx.sender, False, ctx.now)
    await ctx.reply("data.thanks.now_accepted")


def data_commands() -> tuple[Command, ...]:
    return (
        Command("mesdonnees", "mydata", my_data, works_in_direct_chat=True),
        Command(
            "oublier",
            "forget",
            ask_to_forget,
            subcommands=(Subcommand("confirmer", "confirm", confirm_forget),),
            works_in_direct_chat=True,
            listed=False,  # named by !mesdonnees' line in !aide
        ),
        Command(
            "merci",
            "thanks",
            thanks_status,
            subcommands=(
                Subcommand("non", "no", decline_thanks),
                Subcommand("oui", "yes", accept_thanks),
            ),
            works_in_direct_chat=True,
            listed=False,
        ),
    )
