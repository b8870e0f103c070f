import calendar
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.sprints import (
    MAX_STORIES_PER_SPRINT,
    Sprint,
    SprintError,
    StoryView,
    add_months,
    add_stories,
    current_sprint,
    free_proposal,
    is_too_long,
    latest_open,
    next_planned,
    nudge_date,
    overlapping,
    plan_sprint,
    propose_next,
    remove_stories,
    sprint_name,
    summarise_sprint,
    under_way,
)
from bot.features.sprints import SprintSummary, sprint_summaries
from bot.store.sprints import SummaryFacts
from tests.unit.circle_in_memory import (
    FACILITATOR,
    PIONEERS,
    ROOM,
    copy_of,
    realistic_circle_file,
)

TODAY = date(2026, 12, 1)


def a_sprint(**changes: object) -> Sprint:
    fields: dict[str, object] = {
        "number": 2,
        "circle_id": "!cercle:ex.org",
        "name": "Agenda partagé",
        "starts_on": date(2026, 12, 1),
        "ends_on": date(2027, 1, 1),
        "status": "active",
        "stories": [3, 7],
        "created_by": "@anim:ex.org",
    }
    fields.update(changes)
    return Sprint(**fields)  # type: ignore[arg-type]


# --- plan_sprint -----------------------------------------------------------------------


def test_a_new_sprint_starts_today_and_lasts_one_month() -> None:
    assert plan_sprint("Agenda", TODAY) == (date(2026, 12, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2027, 1, 31), date(2027, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 12, 15), date(2027, 1, 14)),
        (date(2027, 2, 1), date(2027, 2, 28)),
        (date(2027, 1, 28), date(2027, 2, 27)),
        (date(2027, 3, 31), date(2027, 4, 30)),
    ],
)
def test_one_month_is_calendar_arithmetic(start: date, end: date) -> None:
    assert plan_sprint("Agenda", TODAY, start=start) == (start, end)


def test_a_sprint_may_have_explicit_dates() -> None:
    assert plan_sprint("Agenda", TODAY, date(2026, 12, 5), date(2026, 12, 20)) == (
        date(2026, 12, 5),
        date(2026, 12, 20),
    )


def test_an_end_without_start_starts_today() -> None:
    assert plan_sprint("Agenda", TODAY, end=date(2026, 12, 24)) == (TODAY, date(2026, 12, 24))


def test_a_one_day_sprint_is_allowed() -> None:
    assert plan_sprint("Atelier", TODAY, TODAY, TODAY) == (TODAY, TODAY)


@pytest.mark.parametrize(
    ("name", "start", "end", "code"),
    [
        ("Agenda", date(2026, 11, 30), None, "start_in_past"),
        ("Agenda", date(2026, 12, 10), date(2026, 12, 9), "end_before_start"),
        ("Agenda", None, date(2026, 11, 30), "end_before_start"),
        ("   ", None, None, "empty_name"),
        ("x" * 81, None, None, "name_too_long"),
    ],
)
def test_plan_sprint_reports_what_is_wrong(
    name: str, start: date | None, end: date | None, code: str
) -> None:
    with pytest.raises(SprintError) as caught:
        plan_sprint(name, TODAY, start, end)
    assert caught.value.code == code
    assert caught.value.stories == ()


def test_sprint_name_is_trimmed_and_may_be_eighty_characters() -> None:
    assert sprint_name("  Agenda \n partagé ") == "Agenda partagé"
    assert sprint_name("x" * 80) == "x" * 80


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_add_months_lands_in_the_next_month_never_beyond(day: date) -> None:
    later = add_months(day, 1)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == 1
    assert later.day <= day.day
    if later.day < day.day:  # clamped: the shorter month's last day
        assert later.day == calendar.monthrange(later.year, later.month)[1]


def test_add_months_crosses_years_both_ways() -> None:
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)
    assert add_months(date(2027, 1, 15), -1) == date(2026, 12, 15)


# --- the sprint's calendar --------------------------------------------------------------


def test_days_left_counts_down_to_zero_on_the_last_day() -> None:
    sprint = a_sprint()
    assert sprint.days_left(date(2026, 12, 1)) == 31
    assert sprint.days_left(date(2026, 12, 29)) == 3
    assert sprint.days_left(date(2027, 1, 1)) == 0
    assert sprint.days_left(date(2027, 1, 5)) == 0


def test_a_sprint_is_active_between_its_dates_unless_closed() -> None:
    sprint = a_sprint(status="planned", starts_on=date(2026, 12, 5))
    assert not sprint.is_active(date(2026, 12, 4))
    assert sprint.is_active(date(2026, 12, 5))
    assert sprint.is_active(date(2027, 1, 1))
    assert not sprint.is_active(date(2027, 1, 2))
    assert not a_sprint(status="closed").is_active(date(2026, 12, 10))


def test_a_planned_sprint_is_due_to_start_on_its_first_day() -> None:
    sprint = a_sprint(status="planned", starts_on=date(2026, 12, 5))
    assert not sprint.is_due_to_start(date(2026, 12, 4))
    assert sprint.is_due_to_start(date(2026, 12, 5))
    assert not a_sprint(status="active").is_due_to_start(date(2026, 12, 5))


def test_a_sprint_is_over_after_its_last_day_until_closed() -> None:
    assert not a_sprint().is_over(date(2027, 1, 1))
    assert a_sprint().is_over(date(2027, 1, 2))
    assert not a_sprint(status="closed").is_over(date(2027, 1, 2))


def test_the_nudge_comes_three_days_before_the_end() -> None:
    assert nudge_date(a_sprint()) == date(2026, 12, 29)
    assert nudge_date(a_sprint(), days_before=7) == date(2026, 12, 25)


def test_a_sprint_too_short_gets_no_nudge() -> None:
    assert nudge_date(a_sprint(ends_on=date(2026, 12, 4))) is None
    assert nudge_date(a_sprint(ends_on=date(2026, 12, 5))) == date(2026, 12, 2)


def test_current_sprint_is_the_latest_started_active_one() -> None:
    old = a_sprint(number=1, starts_on=date(2026, 11, 1), ends_on=date(2026, 12, 10))
    new = a_sprint(number=2, starts_on=date(2026, 12, 5), ends_on=date(2027, 1, 5))
    closed = a_sprint(number=3, status="closed")
    assert current_sprint([old, new, closed], date(2026, 12, 6)) is new
    assert current_sprint([old, new, closed], date(2026, 12, 2)) is old
    assert current_sprint([old, closed], date(2027, 2, 1)) is None


# --- choosing stories -------------------------------------------------------------------

KNOWN = {3: "proposed", 7: "proposed", 8: "proposed", 9: "done", 10: "withdrawn", 11: "taken"}


def test_add_stories_appends_in_order_without_touching_the_original() -> None:
    sprint = a_sprint()
    updated = add_stories(sprint, [11, 8, 11], KNOWN)
    assert updated.stories == [3, 7, 11, 8]
    assert sprint.stories == [3, 7]


@pytest.mark.parametrize(
    ("numbers", "code", "stories"),
    [
        ([8, 99, 98], "not_a_story", (99, 98)),
        ([8, 9, 10], "story_not_open", (9, 10)),
        ([8, 3], "already_in", (3,)),
        ([], "no_stories", ()),
    ],
)
def test_add_stories_refuses_all_when_one_is_wrong(
    numbers: list[int], code: str, stories: tuple[int, ...]
) -> None:
    sprint = a_sprint()
    with pytest.raises(SprintError) as caught:
        add_stories(sprint, numbers, KNOWN)
    assert caught.value.code == code
    assert caught.value.stories == stories
    assert sprint.stories == [3, 7]


def test_a_closed_sprint_takes_no_stories() -> None:
    with pytest.raises(SprintError) as caught:
        add_stories(a_sprint(status="closed"), [8], KNOWN)
    assert caught.value.code == "sprint_closed"


def test_a_sprint_holds_a_limited_number_of_stories() -> None:
    known = {n: "proposed" for n in range(1, MAX_STORIES_PER_SPRINT + 3)}
    full = a_sprint(stories=list(range(1, MAX_STORIES_PER_SPRINT + 1)))
    with pytest.raises(SprintError) as caught:
        add_stories(full, [MAX_STORIES_PER_SPRINT + 1], known)
    assert caught.value.code == "too_many_stories"


def test_remove_stories_keeps_the_others_in_order() -> None:
    sprint = a_sprint(stories=[3, 7, 8])
    assert remove_stories(sprint, [7]).stories == [3, 8]
    assert sprint.stories == [3, 7, 8]


def test_remove_stories_refuses_a_story_not_in_the_sprint() -> None:
    with pytest.raises(SprintError) as caught:
        remove_stories(a_sprint(), [3, 12])
    assert caught.value.code == "not_in"
    assert caught.value.stories == (12,)


# --- summary ----------------------------------------------------------------------------


def test_summary_sorts_stories_and_names_who_carried_what() -> None:
    sprint = a_sprint(stories=[3, 7, 8, 10, 42])
    stories = {
        3: StoryView(3, "Agenda partagé", "done", "@alice:ex.org"),
        7: StoryView(7, "Annuaire", "taken", "@bruno:ex.org"),
        8: StoryView(8, "Export", "done", "@alice:ex.org"),
        10: StoryView(10, "Retirée", "withdrawn", "@chloe:ex.org"),
    }
    summary = summarise_sprint(sprint, stories, votes={3: 9, 8: 2, 11: 5})
    assert [s.number for s in summary.done] == [3, 8]
    assert [s.number for s in summary.not_done] == [7]
    assert [s.number for s in summary.withdrawn] == [10]
    assert summary.porteurs == {"@alice:ex.org": [3, 8], "@bruno:ex.org": [7]}
    assert summary.votes == {3: 9, 8: 2, 7: 0}
    assert summary.unknown == [42]
    assert summary.without_porteur == []
    assert summary.total == 3
    assert summary.sprint_number == 2


def test_summary_lists_stories_nobody_carried() -> None:
    sprint = a_sprint(stories=[3])
    summary = summarise_sprint(sprint, {3: StoryView(3, "Agenda", "proposed")}, votes={})
    assert summary.without_porteur == [3]
    assert summary.porteurs == {}


def test_propose_next_takes_the_best_ranked_not_excluded() -> None:
    assert propose_next([5, 3, 9, 3, 1, 2], excluded={3, 1}) == [5, 9, 2]
    assert propose_next([5, 3], excluded=set(), n=5) == [5, 3]
    assert propose_next([5, 3], excluded=set(), n=0) == []


# --- which chantier: the rules the feature reads -----------------------------------------


def test_a_sprint_past_its_end_is_still_started_until_closed() -> None:
    sprint = a_sprint(status="planned", starts_on=date(2026, 12, 5))
    assert not sprint.is_started(date(2026, 12, 4))
    assert sprint.is_started(date(2026, 12, 5))
    assert sprint.is_started(date(2027, 1, 2))  # its close is still due
    assert not a_sprint(status="closed").is_started(date(2026, 12, 10))


def test_a_planned_sprint_whose_day_came_reads_as_active() -> None:
    planned = a_sprint(status="planned", starts_on=date(2026, 12, 5))
    assert planned.state(date(2026, 12, 4)) == "planned"
    assert planned.state(date(2026, 12, 5)) == "active"
    assert a_sprint(status="closed").state(date(2026, 12, 5)) == "closed"


def test_under_way_keeps_a_sprint_whose_close_is_late() -> None:
    old = a_sprint(number=1, starts_on=date(2026, 11, 1), ends_on=date(2026, 12, 10))
    assert under_way([old], date(2027, 2, 1)) is old
    assert current_sprint([old], date(2027, 2, 1)) is None
    new = a_sprint(number=2, starts_on=date(2026, 12, 5), ends_on=date(2027, 1, 5))
    assert under_way([old, new], date(2026, 12, 6)) is new
    assert under_way([new], date(2026, 12, 4)) is None


def test_next_planned_and_latest_open_take_the_highest_number() -> None:
    running = a_sprint(number=1, starts_on=date(2026, 12, 1))
    soon = a_sprint(number=2, status="planned", starts_on=date(2027, 1, 2))
    later = a_sprint(number=3, status="planned", starts_on=date(2027, 2, 2))
    closed = a_sprint(number=4, status="closed", starts_on=date(2027, 3, 2))
    assert next_planned([running, soon, later, closed], TODAY) is later
    assert next_planned([running, closed], TODAY) is None
    assert latest_open([running, soon, closed]) is soon
    assert latest_open([closed]) is None


def test_overlapping_finds_the_first_open_sprint_crossing_the_days() -> None:
    first = a_sprint(number=1, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 10))
    closed = a_sprint(number=2, status="closed", starts_on=date(2026, 12, 11))
    assert overlapping([first, closed], date(2026, 12, 10), date(2026, 12, 20)) is first
    assert overlapping([first, closed], date(2026, 12, 11), date(2026, 12, 20)) is None


def test_a_sprint_lasts_and_is_planned_at_most_a_year_ahead() -> None:
    assert not is_too_long(TODAY, date(2027, 12, 2), TODAY)
    assert is_too_long(TODAY, date(2027, 12, 3), TODAY)
    assert is_too_long(date(2027, 12, 3), date(2027, 12, 4), TODAY)


def test_free_proposal_skips_stories_taken_done_or_deleted() -> None:
    statuses = {3: "proposed", 7: "selected", 8: "proposed", 9: "done", 11: "proposed"}
    # 5 was deleted since the vote: it takes a place and is left out
    assert free_proposal([7, 5, 3, 9, 8, 11], statuses, n=3) == [3, 8]
    assert free_proposal([], statuses) == []


# --- the summary frozen at the close, typed at the store's edge ---------------------------

STORED_SUMMARY = {
    "number": 1,
    "name": "Agenda partagé",
    "starts_on": "2026-12-01",
    "ends_on": "2026-12-20",
    "stories": [
        {"number": 3, "title": "Agenda", "status": "done", "porteur": "@a:ex.org", "author": "@b"},
        {"number": 7, "title": "Salle", "status": "selected", "porteur": None, "author": "@b"},
    ],
    "done": [3],
    "not_done": [7],
    "withdrawn": [],
    "porteurs": {"@a:ex.org": [3]},
    "without_porteur": [7],
    "vote": {"number": 1, "kind": "dots", "points": {"3": 5, "7": None}, "ranks": {"3": 1, "7": 2}},
    "proposal": [8],
}


def test_a_stored_summary_reads_typed_and_writes_back_the_same() -> None:
    facts = SummaryFacts.from_json(json.dumps(STORED_SUMMARY))
    assert facts.starts_on == date(2026, 12, 1)
    assert facts.stories[1].porteur is None
    assert facts.vote is not None and facts.vote.points == {3: 5, 7: None}
    assert facts.vote.ranks[7] == 2
    assert json.loads(facts.to_json()) == STORED_SUMMARY


def test_a_summary_without_a_vote_reads_none() -> None:
    facts = SummaryFacts.from_json(json.dumps({**STORED_SUMMARY, "vote": None}))
    assert facts.vote is None
    assert json.loads(facts.to_json())["vote"] is None


# --- the feature in memory: the retrospective and the summaries others read ---------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return realistic_circle_file(tmp_path_factory.mktemp("realistic"))


async def test_a_retrospective_answer_is_thanked_and_read_typed(
    template: Path, tmp_path: Path
) -> None:
    circle = await copy_of(template, tmp_path)
    closing = await circle.say_contents(FACILITATOR, "!chantier clore")
    before = len(circle.matrix.sent)
    await circle.say(
        PIONEERS[1], "Tout a bien marché !", thread_root=circle.event_id_of(closing[-1])
    )
    [reaction] = [
        content
        for content, kind in zip(
            circle.matrix.sent[before:], circle.matrix.sent_types[before:], strict=True
        )
        if kind == "m.reaction"
    ]
    relation = reaction["m.relates_to"]
    assert relation["rel_type"] == "m.annotation" and relation["key"]
    [summary] = await sprint_summaries(circle.db, ROOM)
    assert isinstance(summary, SprintSummary)
    assert summary.status == "closed" and summary.number == 1
    assert [a.text for a in summary.retro] == ["Tout a bien marché !"]
    assert [s.number for s in summary.stories] == [1, 2, 3, 4, 5, 8]
    await circle.db.close()
