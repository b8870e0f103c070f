"""The circle's memory as one Markdown document for its wiki (CC BY-SA).

Used by ``!bilan export`` (uploaded to the room) and ``python -m bot export``
(written to a file, no homeserver needed). User text is Markdown-escaped so
that nothing a pioneer wrote becomes markup in the wiki.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from bot.domain import stories as story_rules
from bot.domain.checkin_answers import answers_findings
from bot.domain.dates import format_day_month
from bot.domain.stories import Story
from bot.domain.story_parser import render_story
from bot.domain.tally import tally_scores
from bot.features.story_text import story_title
from bot.prompts import Prompts
from bot.store import proposals as proposal_store
from bot.store import rhythm as rhythm_store
from bot.store import stories as story_store
from bot.store import votes as vote_store
from bot.store.database import Database
from bot.store.votes import VoteRow

if TYPE_CHECKING:
    from bot.features.sprints import SprintSummary

# The chantiers' summaries, passed in (``sprint_summaries``) so that the export reads no feature.
SprintSource = Callable[[Database, str], Awaitable[list["SprintSummary"]]]
RANKED_IN_EXPORT = 10  # stories of a vote's ranking kept in the memory
TITLE_CHARS = 120  # a chantier's story: its title, whole in practice (the text is above)


_MARKUP = re.compile(r"([\\`*_\[\]<>|~&])")
_LINE_START = re.compile(r"^(\s*)([#+\-=])")
_ORDERED_START = re.compile(r"^(\s*\d+)([.)])")


def escape_for_wiki(text: object) -> str:
    """User text, inert in Markdown but still readable in the file a wiki editor opens."""
    one_line = " ".join(str(text).split())
    escaped = _MARKUP.sub(r"\\\1", one_line)
    return _ORDERED_START.sub(r"\1\\\2", _LINE_START.sub(r"\1\\\2", escaped))


_e = escape_for_wiki


Translate = Callable[..., str]


@dataclass(frozen=True)
class _Circle:
    """What every section needs: the store, the language, names and the local calendar."""

    db: Database
    circle_id: str
    lang: str
    t: Translate
    name_of: Callable[[str], str]
    zone: ZoneInfo

    def day(self, moment: datetime | date) -> str:
        """« 1ᵉʳ décembre 2026 »: a date in the text as French writes it (never ISO)."""
        if isinstance(moment, datetime):
            moment = moment.astimezone(self.zone).date()
        return format_day_month(moment, self.lang, year=True)

    def number(self, value: float) -> str:
        return str(format_decimal(round(value, 2), locale=self.lang))


async def export_markdown(
    db: Database,
    prompts: Prompts,
    circle_id: str,
    lang: str,
    now: datetime,
    name_of: Callable[[str], str],
    circle_name: str,
    sprint_source: SprintSource | None = None,
    tz: str = "Europe/Paris",
) -> str:
    """The whole memory of a circle, in ``lang``, dates in the circle's zone ``tz``.

    Blocks are separated by blank lines and the items of one list by a line break, so the
    page renders as headings, paragraphs and tight lists (CommonMark).
    """

    def t(key: str, **fields: object) -> str:
        return prompts.text(lang, key, **fields)

    circle = _Circle(db, circle_id, lang, t, name_of, ZoneInfo(tz))
    blocks = [
        t("export.title", circle=_e(circle_name)),
        t("export.licence", date=circle.day(now)),
        *await _stories_section(circle),
        *await _blockers_section(circle),
        *await _votes_section(circle),
        *await _decisions_section(circle),
    ]
    if sprint_source is not None:
        blocks += await _sprints_section(circle, await sprint_source(db, circle_id))
    blocks += await _checkins_section(circle)
    return "\n\n".join(blocks).strip() + "\n"


async def _stories_section(circle: _Circle) -> list[str]:
    t = circle.t
    stories = await story_store.all_stories(circle.db, circle.circle_id)
    blocks = [t("export.stories", n=len(stories))]
    for status in story_rules.StoryStatus:
        chosen = [s for s in stories if s.status is status]
        if not chosen:
            continue
        heading = t(f"export.status.{status.value}", n=len(chosen))
        blocks.append(t("export.status_heading", status=heading, n=len(chosen)))
        for label, group in story_rules.group_by_theme(chosen):
            blocks.append(
                t("export.theme_heading", theme=_e(label)) if label else t("export.no_theme")
            )
            blocks.append("\n".join(_story_line(circle, story) for story in group))
    return blocks


def _story_line(circle: _Circle, story: Story) -> str:
    line = circle.t(
        "export.story_line",
        number=story.number,
        text=_e(render_story(story.parts, circle.lang)),
        author=_e(circle.name_of(story.author)),
    )
    if story.porteur:
        line += circle.t("export.story_porteur", porteur=_e(circle.name_of(story.porteur)))
    return line


async def _blockers_section(circle: _Circle) -> list[str]:
    blockers = await story_store.all_blockers(circle.db, circle.circle_id)
    lines = [
        circle.t(
            "export.blocker_story" if blocker.story_number else "export.blocker_line",
            number=blocker.number,
            text=_e(blocker.text),
            story=blocker.story_number or 0,
        )
        for blocker in blockers
    ]
    return [circle.t("export.blockers", n=len(blockers)), *(["\n".join(lines)] if lines else [])]


async def _votes_section(circle: _Circle) -> list[str]:
    votes = await vote_store.all_votes(circle.db, circle.circle_id)
    lines = []
    for vote in votes:
        if vote.results is None or vote.closed_at is None:
            lines.append(circle.t("export.vote_open", number=vote.number))
            continue
        voters = vote.results.voters
        lines.append(
            circle.t(
                "export.vote_scores_line" if vote.kind == "scores" else "export.vote_line",
                number=vote.number,
                date=circle.day(vote.closed_at),
                n=voters,
                ranking=", ".join(await _ranking(circle, vote)),
            )
        )
    return [circle.t("export.votes", n=len(votes)), *(["\n".join(lines)] if lines else [])]


async def _ranking(circle: _Circle, vote: VoteRow) -> list[str]:
    """The ten best-ranked stories with what they got: « #7 (5 points) », « #3 (impact 4,
    coût 2) » (means recomputed from the ballots, the way the results were)."""
    assert vote.results is not None
    ranking = list(vote.results.ranking[:RANKED_IN_EXPORT])
    if vote.kind == "scores":
        ballots = await vote_store.score_ballots(circle.db, circle.circle_id, vote.number)
        scored = {s.story: s for s in tally_scores(ballots, vote.candidates).ranking}
        return [
            circle.t(
                "export.vote_scores",
                number=n,
                impact=circle.number(scored[n].mean_impact or 0),
                cost=circle.number(scored[n].mean_cost or 0),
            )
            if n in scored and scored[n].ratio is not None
            else circle.t("export.vote_unscored", number=n)
            for n in ranking
        ]
    points = vote.results.points
    return [
        circle.t("export.vote_points", number=n, n=points[n]) if n in points else f"#{n}"
        for n in ranking
    ]


async def _decisions_section(circle: _Circle) -> list[str]:
    """The register of decisions: each adopted proposal, its date, its text, its stories."""
    adopted = await proposal_store.decisions(circle.db, circle.circle_id)
    lines = []
    for proposal in adopted:
        line = circle.t(
            "export.decision_line",
            number=proposal.number,
            date=circle.day(proposal.closed_at or proposal.opened_at),
            text=_e(proposal.text),
            author=_e(circle.name_of(proposal.author)),
        )
        if proposal.stories:
            stories = " ".join(f"#{n}" for n in proposal.stories)
            line += circle.t("export.decision_stories", stories=stories)
        lines.append(line)
    return [circle.t("export.decisions", n=len(adopted)), *(["\n".join(lines)] if lines else [])]


async def _sprints_section(circle: _Circle, sprints: list[SprintSummary]) -> list[str]:
    """Each chantier: its stories with their status as it is now (one truth for the whole
    page), its retrospective under a heading of its own."""
    t = circle.t
    stories = {s.number: s for s in await story_store.all_stories(circle.db, circle.circle_id)}
    blocks = [t("export.sprints", n=len(sprints))]
    for sprint in sprints:
        blocks.append(
            t(
                "export.sprint_heading",
                number=sprint.number,
                name=_e(sprint.name),
                starts=circle.day(sprint.starts_on),
                ends=circle.day(sprint.ends_on),
            )
        )
        lines = [
            _sprint_story_line(circle, story)
            for frozen in sprint.stories
            # a story deleted since is left out: nothing deleted is published
            if (story := stories.get(frozen.number)) is not None
        ]
        if lines:
            blocks.append("\n".join(lines))
        if sprint.retro:
            blocks.append(t("export.retro"))
            blocks.append(
                "\n".join(
                    t(
                        "export.retro_line",
                        author=_e(circle.name_of(answer.author)),
                        text=_e(answer.text),
                    )
                    for answer in sprint.retro
                )
            )
    return blocks


def _sprint_story_line(circle: _Circle, story: Story) -> str:
    return circle.t(
        "export.sprint_story",
        number=story.number,
        title=_e(story_title(story, TITLE_CHARS, circle.lang)),
        status=circle.t(f"status.{story.status.value}"),
        porteur=_e(circle.name_of(story.porteur)) if story.porteur else "—",
    )


async def _checkins_section(circle: _Circle) -> list[str]:
    t = circle.t
    checkins = await rhythm_store.all_checkins(circle.db, circle.circle_id)
    lines = []
    for checkin in checkins:
        answers = await rhythm_store.answers(circle.db, circle.circle_id, checkin.number)
        people = sorted({circle.name_of(a) for a, _ in answers})
        lines.append(
            t(
                "export.checkin_line",
                number=checkin.number,
                date=circle.day(checkin.opened_at),
                n=len(people),
                people=_e(", ".join(people)),
            )
        )
        findings = answers_findings([text for _, text in answers])
        lines += [t("export.checkin_blocker", text=_e(found)) for found in findings.blockers]
        lines += [t("export.checkin_idea", text=_e(idea)) for idea in findings.story_ideas]
    return [t("export.checkins", n=len(checkins)), *(["\n".join(lines)] if lines else [])]
