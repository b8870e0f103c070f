"""Obstacles (« freins »): ``!frein <texte>``, ``!frein liste``, ``!frein 4 en tant que …``."""

from __future__ import annotations

from dataclasses import replace

from bot.commands.context import CommandContext
from bot.commands.registry import Command, CommandRefused, RefusedWith, Subcommand, UsageError
from bot.domain import stories as rules
from bot.domain.folding import fold
from bot.domain.paging import PHONE_SCREEN, Line, paginate
from bot.domain.shortening import shorten
from bot.domain.stories import StoryRuleError
from bot.features.feature import Feature
from bot.features.fitting import length
from bot.features.stories import (
    BLOCKER_DATA,
    on_blocker_redacted,
    parse_number,
    record_story,
    recorded_reply,
    similar_to_blocker,
)
from bot.features.story_text import blocker_line, rule_error
from bot.matrix.messages import Text
from bot.store import stories as store

LISTED_CHARS = 120  # a blocker in the list: its start, cut between words


async def blocker_default(ctx: CommandContext, args: str) -> None:
    """``!frein <texte>`` notes a blocker; ``!frein 4 <histoire>`` reformulates blocker 4."""
    if not args.strip():
        raise UsageError("blocker.error.empty")
    first, _, rest = args.partition(" ")
    number = parse_number(first)
    if number is not None:
        if not rest.strip():
            raise UsageError("blocker.error.reformulate_form", number=number)
        await reformulate(ctx, number, rest)
        return
    try:
        blocker = rules.note_blocker(
            await store.next_blocker_number(ctx.db, ctx.circle_id),
            ctx.circle_id,
            ctx.sender,
            args,
            ctx.now,
        )
    except StoryRuleError as exc:
        raise RefusedWith(rule_error_for_blocker(ctx, exc)) from None
    await store.insert_blocker(ctx.db, blocker)
    source = ctx.message.edits or ctx.message.event_id
    await store.set_source(ctx.db, "blockers", ctx.circle_id, blocker.number, source)
    noted = ctx.t("blocker.noted", number=blocker.number)
    await ctx.reply_text(Text.join([noted, *await similar_to_blocker(ctx, blocker)]))


def rule_error_for_blocker(ctx: CommandContext, exc: StoryRuleError) -> Text:
    if exc.code == "too_long":
        return ctx.t("blocker.error.too_long", limit=exc.data.get("limit") or 0)
    return ctx.t("blocker.error.empty")


async def reformulate(ctx: CommandContext, number: int, story_text: str) -> None:
    blocker = await store.get_blocker(ctx.db, ctx.circle_id, number)
    if blocker is None:
        raise CommandRefused("blocker.error.unknown", number=number)
    if blocker.story_number is not None:
        raise CommandRefused(
            "blocker.error.already_reformulated", number=number, story=blocker.story_number
        )
    try:
        story = await record_story(ctx, story_text, ctx.sender, blocker_number=number)
        linked = rules.reformulate(blocker, story.number)
    except StoryRuleError as exc:
        raise RefusedWith(rule_error(ctx, exc)) from None
    await store.link_blocker(ctx.db, ctx.circle_id, number, story.number)
    await ctx.reply_text(
        Text.join(
            [
                ctx.t("blocker.reformulated", blocker=linked.number, story=story.number),
                await recorded_reply(ctx, story),
            ]
        )
    )


async def list_blockers(ctx: CommandContext, args: str) -> None:
    words = args.split()
    page = 1
    if words:
        if len(words) != 2 or fold(words[0]) != "page" or not words[1].isdigit():
            raise UsageError()
        page = max(1, int(words[1]))
    open_ones = rules.open_blockers(await store.all_blockers(ctx.db, ctx.circle_id))
    if not open_ones:
        await ctx.reply("blocker.list.empty")
        return
    header = ctx.t("blocker.list.header", n=len(open_ones))
    hint = ctx.t("blocker.list.hint", number=open_ones[0].number)
    # A blocker may be long: the list shows its start, cut between words.
    lines = [blocker_line(ctx, replace(b, text=shorten(b.text, LISTED_CHARS))) for b in open_ones]
    footer = ctx.t("blocker.list.pages", page=99, pages=99, number=99)
    budget = PHONE_SCREEN - length([header, hint, footer])
    pages = paginate([Line(None, len(line.plain) + 1) for line in lines], {}, budget)
    page = min(page, len(pages))
    # Blank lines around the list: a line right under an item would be read as its end.
    blocks = [Text.join([header, *(lines[i] for i in pages[page - 1])], "\n")]
    if len(pages) > 1:
        key = "blocker.list.pages" if page < len(pages) else "blocker.list.last_page"
        blocks.append(ctx.t(key, page=page, pages=len(pages), number=page + 1))
    blocks.append(hint)
    await ctx.reply_text(Text.join(blocks))


def blocker_command() -> Command:
    return Command(
        "frein",
        "blocker",
        blocker_default,
        subcommands=(Subcommand("liste", "list", list_blockers),),
        shortcuts=(("freins", "liste"), ("blockers", "liste")),
    )


FEATURE = Feature(
    "blockers",
    commands=(blocker_command(),),
    redactions=(on_blocker_redacted,),
    personal_data=(BLOCKER_DATA,),
)
