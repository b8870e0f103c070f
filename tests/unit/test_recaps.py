from datetime import date

import pytest

from bot.domain.recaps import (
    RecapSprint,
    RecapStory,
    RecapVote,
    build_monthly_recap,
    month_bounds,
    tally_contributions,
)
from bot.domain.structures import StructureParticipation

DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))


def empty_recap_args() -> dict[str, object]:
    return {
        "stories_added": [],
        "stories_done": [],
        "votes_closed": [],
        "sprints": [],
        "checkin_participation": [],
        "contributions": {},
    }


@pytest.mark.parametrize(
    ("day", "bounds"),
    [
        (date(2026, 12, 15), (date(2026, 12, 1), date(2026, 12, 31))),
        (date(2027, 2, 1), (date(2027, 2, 1), date(2027, 2, 28))),
        (date(2028, 2, 29), (date(2028, 2, 1), date(2028, 2, 29))),
        (date(2026, 4, 30), (date(2026, 4, 1), date(2026, 4, 30))),
    ],
)
def test_month_bounds(day: date, bounds: tuple[date, date]) -> None:
    assert month_bounds(day) == bounds


def test_thanks_go_to_contributors_most_first_then_by_name() -> None:
    contributions = {"@zoe:ex.org": 2, "@alice:ex.org": 2, "@bruno:ex.org": 5, "@idle:ex.org": 0}
    args = empty_recap_args() | {"contributions": contributions}
    recap = build_monthly_recap(*DECEMBER, **args)  # type: ignore[arg-type]
    assert recap.thanks == ["@bruno:ex.org", "@alice:ex.org", "@zoe:ex.org"]


def test_recap_items_are_sorted() -> None:
    recap = build_monthly_recap(
        *DECEMBER,
        stories_added=[RecapStory(14, "Annuaire", "@a:ex.org"), RecapStory(12, "Agenda")],
        stories_done=[RecapStory(9, "Export", porteur="@b:ex.org"), RecapStory(3, "Wiki")],
        votes_closed=[RecapVote(3, (12, 9), 7), RecapVote(2, (3,), 4)],
        sprints=[
            RecapSprint(2, "Agenda", date(2026, 12, 5), date(2027, 1, 5), "active", 1, 3),
            RecapSprint(1, "Wiki", date(2026, 11, 2), date(2026, 12, 2), "closed", 2, 2),
        ],
        checkin_participation=[],
        contributions={},
    )
    assert [s.number for s in recap.stories_added] == [12, 14]
    assert [s.number for s in recap.stories_done] == [3, 9]
    assert [v.number for v in recap.votes_closed] == [2, 3]
    assert [s.number for s in recap.sprints] == [1, 2]
    assert (recap.month_start, recap.month_end) == DECEMBER
    assert not recap.is_quiet


def test_recap_names_structures_absent_from_the_checkin() -> None:
    participation = [
        StructureParticipation("Écoloc", ["@a:ex.org"], ["@a:ex.org", "@b:ex.org"]),
        StructureParticipation("La Ruche", [], ["@c:ex.org"]),
        StructureParticipation("Atelier Vélo", [], []),
        StructureParticipation(None, [], ["@d:ex.org"]),
    ]
    args = empty_recap_args() | {"checkin_participation": participation}
    recap = build_monthly_recap(*DECEMBER, **args)  # type: ignore[arg-type]
    assert recap.absent_structures == ["La Ruche"]
    assert recap.checkin_participation == participation[:3]
    assert (recap.present_structures, recap.expected_structures) == (1, 2)


def test_members_without_structure_are_no_participation_line_but_count_as_people() -> None:
    participation = [
        StructureParticipation("Écoloc", [], ["@a:ex.org"]),
        StructureParticipation(None, ["@anna:ex.org"], ["@anna:ex.org", "@d:ex.org"]),
    ]
    args = empty_recap_args() | {"checkin_participation": participation}
    recap = build_monthly_recap(*DECEMBER, **args)  # type: ignore[arg-type]
    assert [group.structure for group in recap.checkin_participation] == ["Écoloc"]
    assert recap.absent_structures == ["Écoloc"]
    assert recap.checkin_people == 1
    assert not recap.is_quiet  # someone answered the check-in


def test_a_month_where_nothing_happened_is_quiet() -> None:
    recap = build_monthly_recap(*DECEMBER, **empty_recap_args())  # type: ignore[arg-type]
    assert recap.is_quiet
    assert recap.thanks == []


def test_a_recap_month_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        build_monthly_recap(date(2026, 12, 31), date(2026, 12, 1), **empty_recap_args())  # type: ignore[arg-type]


def test_tally_contributions_counts_each_actor() -> None:
    actors = ["@a:ex.org", "@b:ex.org", None, "@a:ex.org"]
    assert tally_contributions(actors) == {"@a:ex.org": 2, "@b:ex.org": 1}
