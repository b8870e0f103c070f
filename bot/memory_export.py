"""The circle's memory as one Markdown document for its wiki (CC BY-SA).

Used by ``!bilan export`` (uploaded to the room) and ``python -m bot export``
(written to a file, no homeserver needed). User text is Markdown-escaped so
that nothing a pioneer wrote becomes markup in the wiki.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.domain import stories as story_rules
from bot.domain.checkin_answers import answers_findings
from bot.domain.story_parser import render_story
from bot.prompts import Prompts
from bot.store import rhythm as rhythm_store
from bot.store import stories as story_store
from bot.store import votes as vote_store
from bot.store.database import Database

SprintSource = Callable[[Database, str], Awaitable[list[dict[str, object]]]]


_MARKUP = re.compile(r"([\\`*_\[\]<>|~&])")
_LINE_START = re.compile(r"^(\s*)([#+\-=])")
_ORDERED_START = re.compile(r"^(\s*\d+)([.)])")


def escape_for_wiki(text: object) -> str:
    """User text, inert in Markdown but still readable in the file a wiki editor opens."""
    one_line = " ".join(str(text).split())
    escaped = _MARKUP.sub(r"\\\1", one_line)
    return _ORDERED_START.sub(r"\1\\\2", _LINE_START.sub(r"\1\\\2", escaped))


_e = escape_for_wiki


async def export_markdown(
    db: Database,
    prompts: Prompts,
    circle_id: str,
    lang: str,
    now: datetime,
    name_of: Callable[[str], str],
    circle_name: str,
    sprint_source: SprintSource | None = None,
) -> str:
    """The whole memory of a circle, in ``lang``."""

    def t(key: str, **fields: object) -> str:
        return prompts.text(lang, key, **fields)

    out: list[str] = [
        t("export.title", circle=_e(circle_name)),
        t("export.licence", date=now.date().isoformat()),
    ]
    stories = await story_store.all_stories(db, circle_id)
    out.append(t("export.stories", n=len(stories)))
    for status in story_rules.StoryStatus:
        chosen = [s for s in stories if s.status is status]
        if not chosen:
            continue
        heading = t(f"export.status.{status.value}", n=len(chosen))
        out.append(t("export.status_heading", status=heading, n=len(chosen)))
        for label, group in story_rules.group_by_theme(chosen):
            out.append(
                t("export.theme_heading", theme=_e(label)) if label else t("export.no_theme")
            )
            for story in group:
                line = t(
                    "export.story_line",
                    number=story.number,
                    text=_e(render_story(story.parts, lang)),
                    author=_e(name_of(story.author)),
                )
                if story.porteur:
                    line += t("export.story_porteur", porteur=_e(name_of(story.porteur)))
                out.append(line)
    blockers = await story_store.all_blockers(db, circle_id)
    out.append(t("export.blockers", n=len(blockers)))
    for blocker in blockers:
        key = "export.blocker_story" if blocker.story_number else "export.blocker_line"
        out.append(
            t(
                key,
                number=blocker.number,
                text=_e(blocker.text),
                story=blocker.story_number or 0,
            )
        )
    votes = await vote_store.all_votes(db, circle_id)
    out.append(t("export.votes", n=len(votes)))
    for vote in votes:
        if vote.results is None:
            out.append(t("export.vote_open", number=vote.number))
            continue
        ranking = vote.results.get("ranking", [])[:10]
        points = vote.results.get("points", {})
        ranked = ", ".join(
            f"#{n}" + (f" ({points.get(str(n))})" if points.get(str(n)) is not None else "")
            for n in ranking
        )
        out.append(
            t(
                "export.vote_line",
                number=vote.number,
                date=vote.closed_at.date().isoformat() if vote.closed_at else "",
                voters=vote.results.get("voters", 0),
                ranking=ranked,
            )
        )
    if sprint_source is not None:
        sprints = await sprint_source(db, circle_id)
        out.append(t("export.sprints", n=len(sprints)))
        for sprint in sprints:
            out.append(_sprint_section(t, sprint, name_of))
    checkins = await rhythm_store.all_checkins(db, circle_id)
    out.append(t("export.checkins", n=len(checkins)))
    for checkin in checkins:
        answers = await rhythm_store.answers(db, circle_id, checkin.number)
        people = sorted({name_of(a) for a, _ in answers})
        out.append(
            t(
                "export.checkin_line",
                number=checkin.number,
                date=checkin.opened_at.date().isoformat(),
                n=len(people),
                people=_e(", ".join(people)),
            )
        )
        findings = answers_findings([text for _, text in answers])
        for found in findings.blockers:
            out.append(t("export.checkin_blocker", text=_e(found)))
        for idea in findings.story_ideas:
            out.append(t("export.checkin_idea", text=_e(idea)))
    return "\n\n".join(out).strip() + "\n"


def _sprint_section(
    t: Callable[..., str], sprint: dict[str, object], name_of: Callable[[str], str]
) -> str:
    lines = [
        t(
            "export.sprint_heading",
            number=sprint.get("number", 0),
            name=_e(sprint.get("name", "")),
            starts=sprint.get("starts_on", ""),
            ends=sprint.get("ends_on", ""),
        )
    ]
    for story in _list(sprint.get("stories")):
        porteur = story.get("porteur")
        lines.append(
            t(
                "export.sprint_story",
                number=story.get("number", 0),
                title=_e(story.get("title", "")),
                status=t(f"status.{story.get('status', 'proposed')}"),
                porteur=_e(name_of(str(porteur))) if porteur else "—",
            )
        )
    retro = _list(sprint.get("retro"))
    if retro:
        lines.append(t("export.retro"))
        for answer in retro:
            lines.append(
                t(
                    "export.retro_line",
                    author=_e(name_of(str(answer.get("author", "")))),
                    text=_e(answer.get("text", "")),
                )
            )
    return "\n".join(lines)


def _list(value: object) -> list[dict[str, object]]:
    if isinstance(value, str):
        value = json.loads(value)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
