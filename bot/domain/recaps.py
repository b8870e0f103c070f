"""The monthly recap: what the circle achieved in a month, and who made it happen.

The recap is assembled from small views the caller fills from the store, so this
module depends on no other aggregate. The month a recap covers is the month of its
*scheduled* time: a recap run late, after an outage, on the 2nd still covers the
previous month.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.domain.structures import StructureParticipation


@dataclass(frozen=True)
class RecapStory:
    """A story added or done during the month."""

    number: int
    title: str
    author: str | None = None
    porteur: str | None = None


@dataclass(frozen=True)
class RecapVote:
    """A vote closed during the month: its best-ranked stories and how many voted."""

    number: int
    top_stories: tuple[int, ...]
    voters: int


@dataclass(frozen=True)
class RecapDecision:
    """A proposal adopted during the month (by consent)."""

    number: int
    title: str


@dataclass(frozen=True)
class RecapSprint:
    """A chantier that ran during the month and how far it got."""

    number: int
    name: str
    starts_on: date
    ends_on: date
    status: str
    stories_done: int
    stories_total: int


@dataclass
class MonthlyRecap:
    """Everything the monthly recap message says, in display order."""

    month_start: date
    month_end: date
    stories_added: list[RecapStory]
    stories_done: list[RecapStory]
    votes_closed: list[RecapVote]
    sprints: list[RecapSprint]
    checkin_participation: list[StructureParticipation]  # structures only, by name
    checkin_people: int = 0  # who answered the month's check-ins, with or without structure
    thanks: list[str] = field(default_factory=list)
    decisions: list[RecapDecision] = field(default_factory=list)  # adopted in the month

    @property
    def absent_structures(self) -> list[str]:
        """Structures with members of which nobody took part in the month's check-in."""
        return [
            group.structure
            for group in self.checkin_participation
            if group.structure is not None and group.is_absent
        ]

    @property
    def present_structures(self) -> int:
        """Structures with members of which someone took part in the month's check-in."""
        return sum(1 for group in self.checkin_participation if group.participants)

    @property
    def expected_structures(self) -> int:
        """Structures with members: the ones the check-in hopes to hear from."""
        return sum(1 for group in self.checkin_participation if group.members)

    @property
    def is_quiet(self) -> bool:
        """True when nothing happened in the month (the message can say so briefly)."""
        return not (
            self.stories_added
            or self.stories_done
            or self.votes_closed
            or self.sprints
            or self.checkin_people
            or self.decisions
        )


def month_bounds(day: date) -> tuple[date, date]:
    """The first and last day of the month of ``day``.

    >>> month_bounds(date(2028, 2, 10))
    (datetime.date(2028, 2, 1), datetime.date(2028, 2, 29))
    """
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def tally_contributions(actors: Iterable[str | None]) -> dict[str, int]:
    """How many contributions each member made, from one actor per contribution
    (story authors, porteurs of done stories, check-in answerers, voters...).

    >>> tally_contributions(["@a:x", "@b:x", "@a:x", None])
    {'@a:x': 2, '@b:x': 1}
    """
    return dict(Counter(actor for actor in actors if actor is not None))


def build_monthly_recap(
    month_start: date,
    month_end: date,
    stories_added: Sequence[RecapStory],
    stories_done: Sequence[RecapStory],
    votes_closed: Sequence[RecapVote],
    sprints: Sequence[RecapSprint],
    checkin_participation: Sequence[StructureParticipation],
    contributions: Mapping[str, int],
    checkin_people: int | None = None,
    decisions: Sequence[RecapDecision] = (),
) -> MonthlyRecap:
    """Assemble the recap of ``month_start``..``month_end`` from the month's items.

    Items are sorted by number (chantiers by start date); ``contributions`` counts what
    each member did in the month, and ``thanks`` names those with at least one
    contribution, most first, then by user id. Members without a structure are no
    structure: their group is left out of the participation (they count in
    ``checkin_people``, by default everyone who took part in ``checkin_participation``).
    """
    if month_end < month_start:
        raise ValueError(f"month_end {month_end} is before month_start {month_start}")
    thanked = [user for user, count in contributions.items() if count > 0]
    thanked.sort(key=lambda user: (-contributions[user], user))
    return MonthlyRecap(
        month_start=month_start,
        month_end=month_end,
        stories_added=sorted(stories_added, key=lambda story: story.number),
        stories_done=sorted(stories_done, key=lambda story: story.number),
        votes_closed=sorted(votes_closed, key=lambda vote: vote.number),
        sprints=sorted(sprints, key=lambda sprint: (sprint.starts_on, sprint.number)),
        checkin_participation=[g for g in checkin_participation if g.structure is not None],
        checkin_people=(
            checkin_people
            if checkin_people is not None
            else sum(len(group.participants) for group in checkin_participation)
        ),
        thanks=thanked,
        decisions=sorted(decisions, key=lambda decision: decision.number),
    )
