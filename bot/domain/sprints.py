"""Mini-chantiers: time-boxed sprints that take the best-ranked stories.

A chantier lasts one calendar month by default, from ``starts_on`` to ``ends_on``
(both days included). Stories are referred to by their number only, and their status
comes in as a plain string, so this module does not depend on the stories module.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Literal

MAX_SPRINT_NAME_LENGTH = 80
MAX_STORIES_PER_SPRINT = 30
MAX_SPRINT_DAYS = 366  # a chantier lasts, and is planned ahead, at most a year
DEFAULT_NUDGE_DAYS_BEFORE = 3

SprintStatus = Literal["planned", "active", "closed"]

CLOSED_STORY_STATUSES = frozenset({"done", "withdrawn"})
"""Story statuses that cannot join a chantier; every other status counts as open."""


class SprintError(ValueError):
    """A chantier request the user can fix.

    ``code``: ``empty_name``, ``name_too_long``, ``end_before_start``, ``start_in_past``,
    ``sprint_closed``, ``no_stories``, ``not_a_story``, ``already_in``, ``not_in``,
    ``story_not_open``, ``too_many_stories``; ``stories`` holds the story numbers the
    code is about (empty when it is about no story).
    """

    def __init__(self, code: str, stories: Iterable[int] = ()) -> None:
        self.code = code
        self.stories = tuple(stories)
        super().__init__(f"{code} {list(self.stories)}" if self.stories else code)


@dataclass
class Sprint:
    """A mini-chantier of a circle, numbered per circle."""

    number: int
    circle_id: str
    name: str
    starts_on: date
    ends_on: date
    status: SprintStatus = "planned"
    stories: list[int] = field(default_factory=list)
    created_by: str = ""
    closed_at: datetime | None = None

    def days_left(self, today: date) -> int:
        """Calendar days from ``today`` to the last day: 0 on the last day and after it."""
        return max(0, (self.ends_on - today).days)

    def is_active(self, today: date) -> bool:
        """True when the chantier is not closed and ``today`` is within its dates."""
        return self.status != "closed" and self.starts_on <= today <= self.ends_on

    def is_due_to_start(self, today: date) -> bool:
        """True when a planned chantier's first day has come (time to announce it)."""
        return self.status == "planned" and self.starts_on <= today

    def is_over(self, today: date) -> bool:
        """True when the chantier's last day has passed and it is not closed yet."""
        return self.status != "closed" and today > self.ends_on

    def is_started(self, today: date) -> bool:
        """True when the chantier is under way: active, or over while its close is still due
        (the close comes on the last day's evening, later if the bot was down)."""
        return self.is_active(today) or self.is_over(today)

    def state(self, today: date) -> SprintStatus:
        """The status as people see it: a planned chantier whose first day came is active
        (its start job may not have run yet)."""
        return "active" if self.status == "planned" and self.is_started(today) else self.status


def add_months(day: date, months: int) -> date:
    """``day`` moved by calendar months, clamped to the end of a shorter month.

    >>> add_months(date(2027, 1, 31), 1)
    datetime.date(2027, 2, 28)
    """
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def sprint_name(name: str) -> str:
    """The display form of a chantier name (trimmed, spaces collapsed), or ``SprintError``."""
    display = " ".join(name.split())
    if not display:
        raise SprintError("empty_name")
    if len(display) > MAX_SPRINT_NAME_LENGTH:
        raise SprintError("name_too_long")
    return display


def one_month_from(start: date) -> date:
    """The last day of one month from ``start``, both days included: from 1 December to
    31 December, from 15 December to 14 January; from 31 January to the end of February.

    >>> one_month_from(date(2026, 12, 1)), one_month_from(date(2027, 1, 31))
    (datetime.date(2026, 12, 31), datetime.date(2027, 2, 28))
    """
    same_day = add_months(start, 1)
    if same_day.day < start.day:  # clamped: the next month is shorter, its last day ends it
        return same_day
    return same_day - timedelta(days=1)


def plan_sprint(
    name: str, today: date, start: date | None = None, end: date | None = None
) -> tuple[date, date]:
    """The (first day, last day) of a new chantier; by default from today for one month.

    ``start`` may be today or later; ``end`` may equal ``start`` (a one-day chantier).
    Raises ``SprintError`` (``empty_name``, ``name_too_long``, ``start_in_past``,
    ``end_before_start``).
    """
    sprint_name(name)
    starts_on = today if start is None else start
    if starts_on < today:
        raise SprintError("start_in_past")
    ends_on = one_month_from(starts_on) if end is None else end
    if ends_on < starts_on:
        raise SprintError("end_before_start")
    return starts_on, ends_on


def nudge_date(sprint: Sprint, days_before: int = DEFAULT_NUDGE_DAYS_BEFORE) -> date | None:
    """The day of the "a few days left" nudge, or ``None`` when the chantier is too short
    for one (the nudge would fall on or before its first day)."""
    day = sprint.ends_on - timedelta(days=days_before)
    return day if day > sprint.starts_on else None


def is_too_long(starts_on: date, ends_on: date, today: date) -> bool:
    """True when a chantier would last, or start, more than ``MAX_SPRINT_DAYS`` away.

    >>> is_too_long(date(2026, 12, 1), date(2045, 11, 13), date(2026, 12, 1))  # « au 45/13 »
    True
    """
    return (ends_on - starts_on).days > MAX_SPRINT_DAYS or (
        starts_on - today
    ).days > MAX_SPRINT_DAYS


def current_sprint(sprints: Iterable[Sprint], today: date) -> Sprint | None:
    """The chantier active today (the most recently started one if several overlap)."""
    active = [sprint for sprint in sprints if sprint.is_active(today)]
    return max(active, key=lambda sprint: (sprint.starts_on, sprint.number), default=None)


def under_way(sprints: Iterable[Sprint], today: date) -> Sprint | None:
    """The chantier under way (``is_started``): the latest started if several, also one
    whose last day passed while its close is still due."""
    started = [sprint for sprint in sprints if sprint.is_started(today)]
    return max(started, key=lambda sprint: (sprint.starts_on, sprint.number), default=None)


def next_planned(sprints: Iterable[Sprint], today: date) -> Sprint | None:
    """The chantier being prepared: not closed, not started yet (the latest planned)."""
    planned = [s for s in sprints if s.status != "closed" and s.starts_on > today]
    return max(planned, key=lambda sprint: sprint.number, default=None)


def latest_open(sprints: Iterable[Sprint]) -> Sprint | None:
    """The chantier whose stories change: the latest planned of those not closed.

    Right after planning one that is the one just planned, whether it starts today or next
    month; while one runs and the next is being prepared, the next.
    """
    open_ = [sprint for sprint in sprints if sprint.status != "closed"]
    return max(open_, key=lambda sprint: sprint.number, default=None)


def overlapping(sprints: Iterable[Sprint], starts_on: date, ends_on: date) -> Sprint | None:
    """The first chantier not closed whose days cross ``starts_on``..``ends_on``."""
    for sprint in sprints:
        if sprint.status == "closed":
            continue
        if starts_on <= sprint.ends_on and ends_on >= sprint.starts_on:
            return sprint
    return None


def free_proposal(ranking: Sequence[int], statuses: Mapping[int, str], n: int = 3) -> list[int]:
    """The first ``n`` stories of ``ranking`` still free to take (« proposed ») for a chantier.

    ``statuses`` maps every story of the circle to its status; a ranked story deleted since
    takes a place in the first ``n`` and is then left out (as it always was).
    """
    free = {number for number, status in statuses.items() if status == "proposed"}
    chosen = propose_next(ranking, set(statuses) - free, n)
    return [number for number in chosen if number in free]


def add_stories(sprint: Sprint, numbers: Iterable[int], known: Mapping[int, str]) -> Sprint:
    """The chantier with the stories ``numbers`` added, all or none.

    ``known`` maps every story number of the circle to its status. Raises ``SprintError``
    with the offending numbers: ``sprint_closed``, ``no_stories``, ``not_a_story``,
    ``story_not_open`` (done or withdrawn), ``already_in``, ``too_many_stories``.
    """
    wanted = _distinct(numbers)
    _check_open(sprint, wanted)
    _raise_if("not_a_story", [n for n in wanted if n not in known])
    _raise_if("story_not_open", [n for n in wanted if known[n] in CLOSED_STORY_STATUSES])
    _raise_if("already_in", [n for n in wanted if n in sprint.stories])
    if len(sprint.stories) + len(wanted) > MAX_STORIES_PER_SPRINT:
        raise SprintError("too_many_stories", wanted)
    return replace(sprint, stories=[*sprint.stories, *wanted])


def remove_stories(sprint: Sprint, numbers: Iterable[int]) -> Sprint:
    """The chantier without the stories ``numbers``, all or none.

    Raises ``SprintError``: ``sprint_closed``, ``no_stories``, ``not_in``.
    """
    unwanted = _distinct(numbers)
    _check_open(sprint, unwanted)
    _raise_if("not_in", [n for n in unwanted if n not in sprint.stories])
    return replace(sprint, stories=[n for n in sprint.stories if n not in unwanted])


def propose_next(ranking: Sequence[int], excluded: set[int], n: int = 3) -> list[int]:
    """The first ``n`` stories of ``ranking`` (best first) that are not ``excluded``."""
    proposal: list[int] = []
    for number in ranking:
        if len(proposal) >= n:
            break
        if number not in excluded and number not in proposal:
            proposal.append(number)
    return proposal


@dataclass(frozen=True)
class StoryView:
    """What a chantier summary needs to know of a story."""

    number: int
    title: str
    status: str
    porteur: str | None = None


@dataclass
class SprintOutcome:
    """The end-of-chantier summary: what was done, who carried what, the votes behind it."""

    sprint_number: int
    done: list[StoryView]
    not_done: list[StoryView]
    withdrawn: list[StoryView]
    porteurs: dict[str, list[int]]
    without_porteur: list[int]
    votes: dict[int, int]
    unknown: list[int]

    @property
    def total(self) -> int:
        """Stories counted in the summary (withdrawn ones excluded)."""
        return len(self.done) + len(self.not_done)


def summarise_sprint(
    sprint: Sprint, stories: Mapping[int, StoryView], votes: Mapping[int, int]
) -> SprintOutcome:
    """Sort the chantier's stories into done / not done / withdrawn, with porteurs and votes.

    ``votes`` maps a story number to the points it received; missing means 0. Stories of
    the chantier absent from ``stories`` are listed in ``unknown``.
    """
    done: list[StoryView] = []
    not_done: list[StoryView] = []
    withdrawn: list[StoryView] = []
    porteurs: dict[str, list[int]] = {}
    without_porteur: list[int] = []
    unknown: list[int] = []
    for number in sprint.stories:
        story = stories.get(number)
        if story is None:
            unknown.append(number)
            continue
        if story.status == "withdrawn":
            withdrawn.append(story)
            continue
        (done if story.status == "done" else not_done).append(story)
        if story.porteur is None:
            without_porteur.append(number)
        else:
            porteurs.setdefault(story.porteur, []).append(number)
    return SprintOutcome(
        sprint_number=sprint.number,
        done=done,
        not_done=not_done,
        withdrawn=withdrawn,
        porteurs={user: porteurs[user] for user in sorted(porteurs)},
        without_porteur=without_porteur,
        votes={view.number: votes.get(view.number, 0) for view in [*done, *not_done]},
        unknown=unknown,
    )


def _distinct(numbers: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(numbers))


def _check_open(sprint: Sprint, numbers: list[int]) -> None:
    if sprint.status == "closed":
        raise SprintError("sprint_closed")
    if not numbers:
        raise SprintError("no_stories")


def _raise_if(code: str, numbers: list[int]) -> None:
    if numbers:
        raise SprintError(code, numbers)
