"""``!histoire`` and its sub-commands: record, show, edit, withdraw, take, done (the list is
in ``listing``, the guided dialogue of ``!histoire`` alone in ``dialogue``)."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.commands.registry import Command, RefusedWith, Subcommand, UsageError
from bot.domain import stories as rules
from bot.domain.dates import format_date as format_day
from bot.domain.stories import StoryRuleError
from bot.features.stories.dialogue import start_dialogue
from bot.features.stories.listing import list_stories
from bot.features.stories.merging import merge_story
from bot.features.stories.recording import load_story, parse_number, record_story, recorded_reply
from bot.features.story_text import rule_error, status_text, story_parts, story_sentence
from bot.matrix.messages import Text
from bot.store import stories as store


async def story_default(ctx: CommandContext, args: str) -> None:
    """``!histoire`` alone (dialogue), ``!histoire 12`` (show) or ``!histoire <texte>`` (record)."""
    if not args:
        await start_dialogue(ctx)
        return
    if parse_number(args) is not None:
        await show_story(ctx, args)
        return
    try:
        story = await record_story(ctx, args, ctx.sender)
    except StoryRuleError as exc:
        raise RefusedWith(rule_error(ctx, exc)) from None
    await ctx.reply_text(await recorded_reply(ctx, story))


async def show_story(ctx: CommandContext, args: str) -> None:
    story = await load_story(ctx, args.split()[0])
    structure = story.structure or await store.structure_of(ctx.db, ctx.circle_id, story.author)
    details = ctx.t(
        "story.details",
        author=ctx.display_name(story.author),
        structure=structure or ctx.prompts.text(ctx.lang, "story.no_structure"),
        porteur=ctx.display_name(story.porteur)
        if story.porteur
        else ctx.prompts.text(ctx.lang, "story.no_porteur"),
        created=format_day(story.created_at.astimezone(ctx.circle.tz), ctx.lang, ctx.now),
    )
    parts = [
        ctx.t("story.header", number=story.number, status=status_text(ctx, story)),
        ctx.t("story.quote", text=story_sentence(story, ctx.lang)),
        story_parts(ctx, story),
        details,
    ]
    if story.blocker_number:
        parts.append(ctx.t("story.from_blocker", number=story.blocker_number))
    for line in ctx.runtime.story_lines():  # what other features say of it (its chantier…)
        extra = await line(ctx, story)
        if extra is not None:
            parts.append(extra)
    await ctx.reply_text(Text.join(parts))


async def edit_story(ctx: CommandContext, args: str) -> None:
    number_word, _, text = args.partition(" ")
    if not number_word or not text.strip():
        raise UsageError("story.error.edit_form")
    story = await load_story(ctx, number_word)
    try:
        changed = rules.edit(story, ctx.sender, ctx.is_facilitator, text, ctx.now)
    except StoryRuleError as exc:
        raise RefusedWith(rule_error(ctx, exc)) from None
    await store.save_story(ctx.db, changed)
    await ctx.reply_text(
        Text.join([ctx.t("story.edited", number=changed.number), story_parts(ctx, changed)])
    )


async def _transition(ctx: CommandContext, args: str, key: str, move: str) -> None:
    if not args.split():
        raise UsageError()
    story = await load_story(ctx, args.split()[0])
    try:
        if move == "withdraw":
            changed = rules.withdraw(story, ctx.sender, ctx.is_facilitator)
        elif move == "take":
            changed = rules.take(story, ctx.sender)
        else:
            changed = rules.mark_done(story, ctx.sender, ctx.is_facilitator, ctx.now)
    except StoryRuleError as exc:
        raise RefusedWith(rule_error(ctx, exc)) from None
    await store.save_story(ctx.db, changed)
    await ctx.reply(key, number=changed.number, who=ctx.display_name(ctx.sender))


async def withdraw_story(ctx: CommandContext, args: str) -> None:
    await _transition(ctx, args, "story.withdrawn", "withdraw")


async def take_story(ctx: CommandContext, args: str) -> None:
    await _transition(ctx, args, "story.taken", "take")


async def done_story(ctx: CommandContext, args: str) -> None:
    await _transition(ctx, args, "story.done", "done")


def story_command() -> Command:
    return Command(
        "histoire",
        "story",
        story_default,
        subcommands=(
            Subcommand("liste", "list", list_stories),
            Subcommand("modifier", "edit", edit_story),
            Subcommand("retirer", "withdraw", withdraw_story),
            Subcommand("prendre", "take", take_story),
            Subcommand("fait", "done", done_story),
            Subcommand("fusionner", "merge", merge_story),
        ),
        shortcuts=(("histoires", "liste"), ("stories", "liste")),
    )
