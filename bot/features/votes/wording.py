"""How a vote's messages name its stories, its dates and its example ballot."""

from __future__ import annotations

from datetime import datetime

from bot.commands.context import CommandContext
from bot.domain.dates import format_datetime
from bot.features.fitting import fit_lines
from bot.features.story_text import story_title
from bot.matrix.messages import Markdown, Text
from bot.store import stories as story_store


def when_text(ctx: CommandContext, at: datetime) -> str:
    glue = ctx.prompts.template(ctx.lang, "date.glue")
    return format_datetime(at.astimezone(ctx.circle.tz), ctx.lang, ctx.now, glue=glue)


def kind_text(ctx: CommandContext, kind: str, points: int) -> Text:
    """« vote par points (3 points) » or « impact / coût »."""
    return ctx.t(f"vote.kind.{kind}", points=points, n=points)


def tags(numbers: list[int]) -> Markdown:
    """« #3 #7 #12 »."""
    return Markdown(" ".join(f"#{n}" for n in numbers))


def ballot_example(candidates: list[int], points: int) -> str:
    """A text ballot with this vote's own numbers: « 1 2 1 » for #1 #2 and 3 points."""
    return " ".join(str(n) for n in (candidates * points)[:points])


async def titles(ctx: CommandContext, numbers: list[int]) -> dict[int, str]:
    """The title of each story that still exists, by number."""
    found: dict[int, str] = {}
    for number in numbers:
        story = await story_store.get_story(ctx.db, ctx.circle_id, number)
        if story is not None:
            found[number] = story_title(story)
    return found


def tags_line(ctx: CommandContext, key: str, numbers: list[int]) -> Text:
    return ctx.t(key, stories=tags(numbers))


def fit_stories(
    ctx: CommandContext, lines: list[Text], numbers: list[int], room: int, more_key: str
) -> list[Text]:
    """The lines that fit in ``room``, then « … et #14 #15 » for the stories left out."""

    def more(k: int) -> Text:
        return tags_line(ctx, more_key, numbers[-k:])

    return fit_lines(lines, more, room)
