"""Usage stories (« histoires d'usage ») and blockers (« freins »): their rules and lifecycle.

Every transition is a pure function returning a new value; a move the rules refuse raises
StoryRuleError. State errors are checked before permissions, so everyone learns that a story
is already withdrawn, whoever asks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Final

from bot.domain.folding import fold
from bot.domain.story_parser import StoryParts, parse_story
from bot.domain.themes import extract_themes, theme_key

MAX_BLOCKER_CHARS: Final = 500


class StoryStatus(StrEnum):
    PROPOSED = "proposed"  # proposée
    SELECTED = "selected"  # retenue: taken into a mini-chantier
    DONE = "done"  # faite
    WITHDRAWN = "withdrawn"  # retirée: kept, no longer listed by default


class StoryRuleError(ValueError):
    """A story or blocker move the rules refuse; ``code`` names the prompt, ``data`` fills it.

    Codes and data: ``not_allowed``; ``already_withdrawn``; ``already_done``; ``not_open``;
    ``not_editable``; ``incomplete`` (missing: tuple of "role"/"need"/"benefit");
    ``too_long`` (limit, part: None for the whole text); ``already_taken`` (porteur);
    ``already_selected``; ``not_selected``; ``already_reformulated`` (story_number);
    ``empty``.
    """

    def __init__(self, code: str, **data: object) -> None:
        super().__init__(code, data)
        self.code = code
        self.data = data


@dataclass
class Story:
    """A usage story of a circle; ``number`` counts per circle (« #12 »)."""

    number: int
    circle_id: str
    author: str  # Matrix user id
    text: str  # as written
    parts: StoryParts
    themes: list[str]
    status: StoryStatus
    created_at: datetime
    porteur: str | None = None
    blocker_number: int | None = None  # the blocker this story reformulates
    structure: str | None = None  # the author's structure when the story was written
    edited_at: datetime | None = None
    done_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        """Proposed or selected: still something to do."""
        return self.status in (StoryStatus.PROPOSED, StoryStatus.SELECTED)


def _parts_or_raise(text: str) -> StoryParts:
    result = parse_story(text)
    if result.error is not None:
        raise StoryRuleError(result.error, limit=result.limit, part=result.part)
    if result.parts is None:
        raise StoryRuleError("incomplete", missing=result.missing)
    return result.parts


def propose_story(
    number: int,
    circle_id: str,
    author: str,
    text: str,
    now: datetime,
    *,
    structure: str | None = None,
    blocker_number: int | None = None,
) -> Story:
    """A new proposed story read from ``text``; raises ``incomplete`` or ``too_long``."""
    parts = _parts_or_raise(text)
    return Story(
        number=number,
        circle_id=circle_id,
        author=author,
        text=text.strip(),
        parts=parts,
        themes=extract_themes(text),
        status=StoryStatus.PROPOSED,
        created_at=now,
        structure=structure,
        blocker_number=blocker_number,
    )


def withdraw(story: Story, by: str, is_facilitator: bool) -> Story:
    """Mark withdrawn (kept, no longer listed); by its author or a facilitator."""
    if story.status is StoryStatus.WITHDRAWN:
        raise StoryRuleError("already_withdrawn")
    if story.status is StoryStatus.DONE:
        raise StoryRuleError("already_done")
    if by != story.author and not is_facilitator:
        raise StoryRuleError("not_allowed")
    return replace(story, status=StoryStatus.WITHDRAWN)


def edit(story: Story, by: str, is_facilitator: bool, new_text: str, now: datetime) -> Story:
    """Replace the text, parts and themes; by its author or a facilitator, while open."""
    if not story.is_open:
        raise StoryRuleError("not_editable", status=story.status)
    if by != story.author and not is_facilitator:
        raise StoryRuleError("not_allowed")
    parts = _parts_or_raise(new_text)
    return replace(
        story, text=new_text.strip(), parts=parts, themes=extract_themes(new_text), edited_at=now
    )


def take(story: Story, by: str) -> Story:
    """Become the story's porteur; taking it again is harmless."""
    if not story.is_open:
        raise StoryRuleError("not_open", status=story.status)
    if story.porteur == by:
        return story
    if story.porteur is not None:
        raise StoryRuleError("already_taken", porteur=story.porteur)
    return replace(story, porteur=by)


def mark_done(story: Story, by: str, is_facilitator: bool, now: datetime | None = None) -> Story:
    """Mark the story done; by its porteur or a facilitator. ``now`` becomes ``done_at``."""
    if story.status is StoryStatus.WITHDRAWN:
        raise StoryRuleError("not_open", status=story.status)
    if story.status is StoryStatus.DONE:
        raise StoryRuleError("already_done")
    if by != story.porteur and not is_facilitator:
        if story.porteur is None:
            raise StoryRuleError("no_porteur", number=story.number)
        raise StoryRuleError("not_porteur", porteur=story.porteur)
    return replace(story, status=StoryStatus.DONE, done_at=now)


def select(story: Story) -> Story:
    """A mini-chantier takes the story: proposed → selected."""
    if story.status is StoryStatus.SELECTED:
        raise StoryRuleError("already_selected")
    if story.status is not StoryStatus.PROPOSED:
        raise StoryRuleError("not_open", status=story.status)
    return replace(story, status=StoryStatus.SELECTED)


def unselect(story: Story) -> Story:
    """The mini-chantier gives the story back: selected → proposed."""
    if story.status is StoryStatus.DONE:
        raise StoryRuleError("already_done")
    if story.status is StoryStatus.WITHDRAWN:
        raise StoryRuleError("not_open", status=story.status)
    if story.status is not StoryStatus.SELECTED:
        raise StoryRuleError("not_selected")
    return replace(story, status=StoryStatus.PROPOSED)


# Folded words, after dropping a plural "s" and then a feminine "e" (« retenues » → "retenu").
_STATUS_WORDS: Final = {
    "propose": StoryStatus.PROPOSED,
    "proposed": StoryStatus.PROPOSED,
    "retenu": StoryStatus.SELECTED,
    "selectionne": StoryStatus.SELECTED,
    "selected": StoryStatus.SELECTED,
    "fait": StoryStatus.DONE,
    "termine": StoryStatus.DONE,
    "done": StoryStatus.DONE,
    "retire": StoryStatus.WITHDRAWN,
    "withdrawn": StoryStatus.WITHDRAWN,
}


def parse_status_word(word: str) -> StoryStatus | None:
    """The status a word of « !histoire liste » names, or None.

    >>> parse_status_word("Retenues")
    <StoryStatus.SELECTED: 'selected'>
    >>> parse_status_word("proposees")
    <StoryStatus.PROPOSED: 'proposed'>
    """
    candidate = fold(word.strip())
    for ending in ("", "s", "e"):
        if candidate.endswith(ending) and len(candidate) > 3:
            candidate = candidate.removesuffix(ending)
        if candidate in _STATUS_WORDS:
            return _STATUS_WORDS[candidate]
    return None


def filter_stories(
    stories: Iterable[Story], theme: str | None = None, status: StoryStatus | None = None
) -> list[Story]:
    """Stories with ``theme`` (any case, accents, '#') and ``status``; without a status,
    every story but the withdrawn ones. Order is kept."""
    wanted_theme = theme_key(theme) if theme is not None else None
    chosen: list[Story] = []
    for story in stories:
        if status is None and story.status is StoryStatus.WITHDRAWN:
            continue
        if status is not None and story.status is not status:
            continue
        if wanted_theme is not None and wanted_theme not in {theme_key(t) for t in story.themes}:
            continue
        chosen.append(story)
    return chosen


def group_by_theme(stories: Iterable[Story]) -> list[tuple[str | None, list[Story]]]:
    """Stories under each of their themes, themes in alphabetical order, unthemed last (None).

    A theme is labelled with its first spelling in story-number order; a story with two
    themes appears in both groups; inside a group, stories go by number.
    """
    groups: dict[str, tuple[str, list[Story]]] = {}
    unthemed: list[Story] = []
    for story in sorted(stories, key=lambda s: s.number):
        keys: set[str] = set()
        for theme in story.themes:
            key = theme_key(theme)
            if not key or key in keys:
                continue
            keys.add(key)
            groups.setdefault(key, (theme.lstrip("#"), []))[1].append(story)
        if not keys:
            unthemed.append(story)
    grouped: list[tuple[str | None, list[Story]]] = [
        (label, members) for _, (label, members) in sorted(groups.items())
    ]
    if unthemed:
        grouped.append((None, unthemed))
    return grouped


@dataclass
class Blocker:
    """An obstacle (« frein ») noted by a member, numbered per circle, until reformulated."""

    number: int
    circle_id: str
    author: str
    text: str
    created_at: datetime
    themes: list[str] = field(default_factory=list)
    story_number: int | None = None  # the story it became

    @property
    def is_reformulated(self) -> bool:
        return self.story_number is not None


def validate_blocker_text(text: str) -> str | None:
    """None when ``text`` can be a blocker, else ``empty`` or ``too_long`` (MAX_BLOCKER_CHARS)."""
    stripped = text.strip()
    if not any(ch.isalnum() for ch in stripped):
        return "empty"
    if len(stripped) > MAX_BLOCKER_CHARS:
        return "too_long"
    return None


def note_blocker(number: int, circle_id: str, author: str, text: str, now: datetime) -> Blocker:
    """A new blocker; raises StoryRuleError ``empty`` or ``too_long`` (limit)."""
    error = validate_blocker_text(text)
    if error is not None:
        raise StoryRuleError(error, limit=MAX_BLOCKER_CHARS)
    return Blocker(
        number=number,
        circle_id=circle_id,
        author=author,
        text=text.strip(),
        created_at=now,
        themes=extract_themes(text),
    )


def reformulate(blocker: Blocker, story_number: int) -> Blocker:
    """Link the blocker to the story it became; a blocker is reformulated once."""
    if blocker.story_number is not None:
        raise StoryRuleError("already_reformulated", story_number=blocker.story_number)
    return replace(blocker, story_number=story_number)


def open_blockers(blockers: Iterable[Blocker]) -> list[Blocker]:
    """Blockers not yet reformulated, by number (« !frein liste »)."""
    return sorted((b for b in blockers if b.story_number is None), key=lambda b: b.number)
