"""How a chantier's messages write days, story titles and story numbers, and fit a phone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bot.commands.context import CommandContext
from bot.domain.dates import format_date, format_day_month
from bot.domain.paging import PHONE_SCREEN
from bot.domain.stories import Story
from bot.features.fitting import PARAGRAPH, fit_lines, length
from bot.features.story_text import story_title
from bot.matrix.messages import Markdown, Text

TITLE_CHARS = 45


def today(ctx: CommandContext) -> date:
    """Today in the circle's zone."""
    return ctx.now.astimezone(ctx.circle.tz).date()


def day(ctx: CommandContext, when: date) -> str:
    return format_date(when, ctx.lang, ctx.now)


def short_day(ctx: CommandContext, when: date) -> str:
    """« 2 décembre », for a summary that must fit a phone (the year when it is not this one)."""
    return format_day_month(when, ctx.lang, year=when.year != today(ctx).year)


def title(story: Story, lang: str) -> str:
    """A story as a chantier's lines show it: its short title (the full text is one
    ``!histoire 12`` away), so that a chantier of several stories fits a phone screen."""
    return story_title(story, TITLE_CHARS, lang)


def tags(numbers: Iterable[int]) -> Markdown:
    """« #3 #7 »: story numbers as the bot writes them."""
    return Markdown(" ".join(f"#{n}" for n in numbers))


def plain_numbers(numbers: Iterable[int]) -> Markdown:
    """« 3 7 »: story numbers as a command takes them."""
    return Markdown(" ".join(str(n) for n in numbers))


def folded(ctx: CommandContext, lines: list[Text], numbers: list[int], rest: list[Text]) -> Text:
    """``lines`` (one per story of ``numbers``) as many as fit a phone screen beside ``rest``,
    the others named by number (« … et #9 #12 »)."""

    def more(k: int) -> Text:
        return ctx.t("sprint.summary.more", stories=tags(numbers[-k:]))

    room = PHONE_SCREEN - length(rest) - len(PARAGRAPH)
    return Text.join(fit_lines(lines, more, room), "\n")
