"""A chantier's summary as a message that fits a phone screen: the stories done and not,
the thanks, the next proposal, and what room is left for the retrospective's answers."""

from __future__ import annotations

from typing import Any

from babel.lists import format_list

from bot.commands.context import CommandContext
from bot.domain.paging import PHONE_SCREEN
from bot.domain.shortening import shorten
from bot.features.fitting import PARAGRAPH, fit_lines, length
from bot.features.sprints.wording import TITLE_CHARS, plain_numbers, short_day, tags
from bot.matrix.messages import Text
from bot.store.sprints import FrozenStory, RetroAnswer, SummaryFacts

RETRO_LINE_CHARS = 140  # a retrospective answer in the summary; whole in the export


def _story_line(ctx: CommandContext, facts: SummaryFacts, story: FrozenStory) -> Text:
    porteur: str | Text = (
        ctx.display_name(story.porteur) if story.porteur else ctx.t("sprint.summary.nobody")
    )
    # Titles frozen before titles were short are shortened here.
    title = shorten(story.title, TITLE_CHARS)
    fields: dict[str, Any] = {"number": story.number, "text": title, "porteur": porteur}
    vote = facts.vote
    if vote and vote.points.get(story.number) is not None:
        votes = ctx.t("sprint.summary.vote_points", n=vote.points[story.number], vote=vote.number)
        return ctx.t("sprint.summary.story_line_voted", votes=votes, **fields)
    if vote and story.number in vote.ranks:
        votes = ctx.t("sprint.summary.vote_rank", rank=vote.ranks[story.number], vote=vote.number)
        return ctx.t("sprint.summary.story_line_voted", votes=votes, **fields)
    return ctx.t("sprint.summary.story_line", **fields)


def _head(ctx: CommandContext, facts: SummaryFacts, closed: bool) -> list[Text]:
    done, not_done = facts.done, facts.not_done
    header = "sprint.summary.header" if closed else "sprint.summary.live_header"
    head = [
        ctx.t(
            header,
            number=facts.number,
            name=facts.name,
            start=short_day(ctx, facts.starts_on),
            end=short_day(ctx, facts.ends_on),
            n=len(done),
            total=len(done) + len(not_done),
        )
    ]
    if not done and not not_done:
        head.append(ctx.t("sprint.summary.no_stories"))
    return head


def _tail(ctx: CommandContext, facts: SummaryFacts, closed: bool) -> list[Text]:
    """Withdrawn stories, thanks, and at the close what the next chantier could take."""
    tail: list[Text] = []
    if facts.withdrawn:
        tail.append(ctx.t("sprint.summary.withdrawn", stories=tags(facts.withdrawn)))
    # Thanks go to whoever carried a story to the end (everyone is named on the lines).
    porteurs = facts.porteurs
    thanked = [user for user, numbers in porteurs.items() if set(numbers) & set(facts.done)]
    if thanked or porteurs:
        names = [ctx.display_name(user) for user in thanked or porteurs]
        tail.append(ctx.t("sprint.summary.thanks", people=format_list(names, locale=ctx.lang)))
    if not closed:
        return tail
    if facts.proposal:
        tail.append(
            ctx.t(
                "sprint.summary.next",
                stories=tags(facts.proposal),
                numbers=plain_numbers(facts.proposal),
                vote=facts.vote.number if facts.vote else "",
            )
        )
    else:
        tail.append(ctx.t("sprint.summary.next_none"))
    return tail


def _sections(
    ctx: CommandContext, facts: SummaryFacts, closed: bool
) -> list[tuple[Text, list[int]]]:
    """(title, story numbers) of the lists that have stories: done, then not done."""
    not_done_key = "sprint.summary.not_done" if closed else "sprint.summary.in_progress"
    sections = [
        (ctx.t("sprint.summary.done", n=len(facts.done)), facts.done),
        (ctx.t(not_done_key, n=len(facts.not_done)), facts.not_done),
    ]
    return [(heading, numbers) for heading, numbers in sections if numbers]


def _story_parts(
    ctx: CommandContext, facts: SummaryFacts, sections: list[tuple[Text, list[int]]], room: int
) -> list[Text]:
    """Each list with as many story lines as ``room`` allows, the rest named by number."""
    by_number = {s.number: s for s in facts.stories}
    lines = {n: _story_line(ctx, facts, by_number[n]) for n in [*facts.done, *facts.not_done]}
    fits = sum(len(line.plain) + 1 for line in lines.values()) <= room
    parts, spare = [], 0
    for heading, numbers in sections:

        def more(k: int, numbers: list[int] = numbers) -> Text:
            return ctx.t("sprint.summary.more", stories=tags(numbers[-k:]))

        # Each list gets its share of the room, and what the lists before it left.
        share = room if fits else room * len(numbers) // len(lines) + spare
        shown = fit_lines([lines[n] for n in numbers], more, share)
        spare = share - sum(len(line.plain) + 1 for line in shown)
        parts.append(Text.join([heading, *shown], "\n"))
    return parts


def _retro_part(
    ctx: CommandContext, retro: list[RetroAnswer], before: list[Text], in_thread: Text
) -> Text:
    """What room the stories leave: the whole answers are in the retrospective's thread."""
    retro_header = ctx.t("sprint.summary.retro_header", n=len(retro))
    answers = [
        ctx.t(
            "sprint.summary.retro_line",
            author=ctx.display_name(a.author),
            text=shorten(a.text, RETRO_LINE_CHARS),
        )
        for a in retro
    ]
    room = PHONE_SCREEN - length(before) - len(PARAGRAPH) - len(retro_header.plain)

    def more_answers(k: int) -> Text:
        return ctx.t("sprint.summary.retro_more", n=k)

    shown = fit_lines(answers, more_answers, room, keep=0)
    if shown[0] is not answers[0]:  # none fits: where they are
        return in_thread
    return Text.join([retro_header, *shown], "\n")


def summary_text(
    ctx: CommandContext, facts: SummaryFacts, retro: list[RetroAnswer] | None, closed: bool
) -> Text:
    """A chantier's summary from its facts (``summary_facts``), with its retrospective answers.

    It fits a phone screen: stories beyond the room left are named by number only, and
    retrospective answers are shortened, the rest pointed to in the retrospective's thread.
    """
    head, tail = _head(ctx, facts, closed), _tail(ctx, facts, closed)
    sections = _sections(ctx, facts, closed)
    in_thread = ctx.t("sprint.summary.retro_in_thread", n=len(retro)) if retro else None
    fixed = [
        *head,
        *(heading for heading, _ in sections),
        *tail,
        *([in_thread] if in_thread else []),
    ]
    room = PHONE_SCREEN - length(fixed)  # each line then costs its length and a line break
    parts = [*head, *_story_parts(ctx, facts, sections, room), *tail]
    if retro and in_thread is not None:
        parts.append(_retro_part(ctx, retro, parts, in_thread))
    return Text.join(parts)
