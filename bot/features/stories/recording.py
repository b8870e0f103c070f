"""Recording a story, shared by the command, the dialogue, the ✅ on a free text and blockers."""

from __future__ import annotations

import re

from bot.commands.context import CommandContext
from bot.commands.registry import CommandRefused, UsageError
from bot.domain import stories as rules
from bot.domain.stories import Story
from bot.features.stories.similar import similar_to_story
from bot.features.story_text import story_parts
from bot.matrix.messages import Text
from bot.store import stories as store

NUMBER = re.compile(r"^#?(\d{1,6})$")


def parse_number(word: str) -> int | None:
    """A story's number as people write it: ``12`` or ``#12``; None for anything else."""
    match = NUMBER.match(word.strip())
    return int(match.group(1)) if match else None


async def load_story(ctx: CommandContext, word: str) -> Story:
    """The circle's story numbered ``word``; refused if the word is no number or no story."""
    number = parse_number(word)
    if number is None:
        raise UsageError("story.error.bad_number", word=word)
    story = await store.get_story(ctx.db, ctx.circle_id, number)
    if story is None:
        raise CommandRefused("story.error.unknown", number=number)
    return story


async def record_story(
    ctx: CommandContext,
    text: str,
    author: str,
    blocker_number: int | None = None,
    source: str | None = None,
) -> Story:
    """Parse and save a new story; raises StoryRuleError (nothing saved) if it is not one.

    ``source`` is the message that carried it (the command's by default): deleting that
    message in Matrix withdraws the story."""
    number = await store.next_story_number(ctx.db, ctx.circle_id)
    structure = await store.structure_of(ctx.db, ctx.circle_id, author)
    story = rules.propose_story(
        number, ctx.circle_id, author, text, ctx.now,
        structure=structure, blocker_number=blocker_number,
    )  # fmt: skip
    await store.insert_story(ctx.db, story)
    source = source or ctx.message.edits or ctx.message.event_id
    await store.set_source(ctx.db, "stories", ctx.circle_id, number, source)
    return story


def recorded_text(ctx: CommandContext, story: Story) -> Text:
    """The answer to a recorded story: its number, its author and its three parts."""
    return Text.join(
        [
            ctx.t("story.recorded", number=story.number, author=ctx.display_name(story.author)),
            story_parts(ctx, story),
        ]
    )


async def recorded_reply(ctx: CommandContext, story: Story) -> Text:
    """:func:`recorded_text`, then a line per open story that looks like the same need."""
    return Text.join([recorded_text(ctx, story), *await similar_to_story(ctx, story)])
