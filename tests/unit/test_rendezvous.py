"""The rendez-vous rules: slots typed in the circle's words, answers, the structure rule."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.rendezvous import (
    Answer,
    AnswerError,
    Level,
    SlotError,
    coverage,
    parse_answers,
    parse_slots,
    recommend,
    uncovered_anywhere,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)  # a Tuesday
YES, MAYBE, NO = Answer.YES, Answer.IF_NEEDED, Answer.NO


def slots(text: str, now: datetime = NOW, lang: str = "fr") -> list[str]:
    return [s.isoformat() for s in parse_slots(text, now, "Europe/Paris", lang)]


# ---- slots ----
def test_french_slots_with_weekdays_numeric_dates_and_times() -> None:
    assert slots("mardi 8/12 18h, jeudi 10/12 12h30, lundi 14/12 à 18 h") == [
        "2026-12-08T18:00:00+01:00",
        "2026-12-10T12:30:00+01:00",
        "2026-12-14T18:00:00+01:00",
    ]


def test_relative_words_and_month_names() -> None:
    assert slots("demain 18h ; le 15 décembre à 18h30") == [
        "2026-12-02T18:00:00+01:00",
        "2026-12-15T18:30:00+01:00",
    ]


def test_english_slots() -> None:
    assert slots("Tuesday 15 December 6pm, next monday 12:30", lang="en") == [
        "2026-12-15T18:00:00+01:00",
        "2026-12-07T12:30:00+01:00",
    ]


def test_slots_one_per_line() -> None:
    assert len(slots("mardi 8/12 18h\njeudi 10/12 12h30\nvendredi 11/12 9h")) == 3


def test_a_slot_after_the_spring_change_is_in_summer_time() -> None:
    now = datetime(2027, 3, 20, 9, 0, tzinfo=PARIS)
    assert slots("samedi 27/3 18h, dimanche 28/3 18h", now) == [
        "2027-03-27T18:00:00+01:00",
        "2027-03-28T18:00:00+02:00",
    ]


def test_a_slot_on_the_autumn_change_keeps_its_wall_time() -> None:
    now = datetime(2027, 10, 25, 9, 0, tzinfo=PARIS)
    found = parse_slots("samedi 30/10 18h, dimanche 31/10 18h", now, "Europe/Paris")
    assert [s.hour for s in found] == [18, 18]
    assert [s.utcoffset().total_seconds() / 3600 for s in found] == [2.0, 1.0]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "code", "slot"),
    [
        ("mardi 8/12 18h", "too_few", "mardi 8/12 18h"),
        ("1/12 8h, mardi 8/12 18h", "past", "1/12 8h"),
        ("mardi 8/12, jeudi 10/12 18h", "no_time", "mardi 8/12"),
        ("mardi 8/12 25h, jeudi 10/12 18h", "bad_time", "mardi 8/12 25h"),
        ("bientôt peut-être, jeudi 10/12 18h", "unreadable", "bientôt peut-être"),
        ("mardi 10/12 18h, jeudi 10/12 19h", "weekday", "mardi 10/12 18h"),
        ("jeudi 10/12 18h, 10/12 18h", "twice", "10/12 18h"),
        ("35/12 18h, jeudi 10/12 18h", "unreadable", "35/12 18h"),
    ],
)
def test_bad_slots_are_refused_with_a_reason(text: str, code: str, slot: str) -> None:
    with pytest.raises(SlotError) as refused:
        parse_slots(text, NOW, "Europe/Paris")
    assert (refused.value.code, refused.value.text) == (code, slot)


def test_a_weekday_that_does_not_match_says_the_real_day() -> None:
    with pytest.raises(SlotError) as refused:
        parse_slots("mardi 10/12 18h, jeudi 10/12 19h", NOW, "Europe/Paris")
    assert refused.value.day is not None and refused.value.day.weekday() == 3  # a Thursday


def test_more_than_ten_slots_are_refused() -> None:
    text = ", ".join(f"{day}/12 18h" for day in range(2, 13))
    with pytest.raises(SlotError) as refused:
        parse_slots(text, NOW, "Europe/Paris")
    assert refused.value.code == "too_many"


# ---- answers ----
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 oui 2 si-besoin 3 non", {1: YES, 2: MAYBE, 3: NO}),
        ("1 oui, 2 si besoin, 3 non", {1: YES, 2: MAYBE, 3: NO}),
        ("1 2 oui 3 non", {1: YES, 2: YES, 3: NO}),
        ("oui 1 3 non 2", {1: YES, 3: YES, 2: NO}),
        ("1:yes 2:maybe 3:no", {1: YES, 2: MAYBE, 3: NO}),
        ("2 if needed", {2: MAYBE}),
        ("3 pas dispo", {3: NO}),
        ("1 Oui 2 peut-être", {1: YES, 2: MAYBE}),
    ],
)
def test_answers_in_natural_forms(text: str, expected: dict[int, Answer]) -> None:
    assert parse_answers(text, 3) == expected


@pytest.mark.parametrize(
    ("text", "code", "token"),
    [
        ("", "empty", ""),
        ("4 oui", "no_slot", "4"),
        ("1 peutetre 2 bof", "bad_word", "bof"),
        ("1 oui 2", "no_answer", "2"),
        ("oui non 1", "bad_word", "non"),
    ],
)
def test_unreadable_answers(text: str, code: str, token: str) -> None:
    with pytest.raises(AnswerError) as refused:
        parse_answers(text, 3)
    assert (refused.value.code, refused.value.token) == (code, token)


# ---- coverage and recommendation ----
MEMBERS = {
    "@awa": "Ressourcerie",
    "@bruno": "Ressourcerie",
    "@chloe": "Repair Café",
    "@david": "Jardins",
    "@emma": "Jardins",
    "@anna": None,  # the facilitator, no structure
}


def test_the_slot_covering_every_structure_wins_over_the_slot_with_more_people() -> None:
    answers = {
        "@awa": {1: YES, 2: YES},
        "@bruno": {1: YES, 2: NO},
        "@david": {1: YES, 2: YES},
        "@emma": {1: YES, 2: NO},
        "@chloe": {1: NO, 2: YES},
    }
    found = coverage([1, 2], answers, MEMBERS)
    assert found[0].people == 4 and found[0].missing == ("Repair Café",)
    assert recommend(found) == recommend(found).__class__(2, Level.ALL_YES, ())


def test_if_needed_covers_a_structure_when_no_slot_has_a_yes_from_it() -> None:
    answers = {"@awa": {1: YES, 2: YES}, "@chloe": {1: MAYBE, 2: NO}, "@david": {1: YES, 2: YES}}
    found = recommend(coverage([1, 2], answers, MEMBERS))
    assert (found.slot, found.level) == (1, Level.ALL_IF_NEEDED)


def test_a_yes_everywhere_beats_an_if_needed_slot_with_more_people() -> None:
    answers = {
        "@awa": {1: YES, 2: YES},
        "@bruno": {1: YES, 2: NO},
        "@chloe": {1: MAYBE, 2: YES},
        "@david": {1: YES, 2: YES},
        "@emma": {1: YES, 2: NO},
    }
    assert recommend(coverage([1, 2], answers, MEMBERS)).slot == 2


def test_ties_are_broken_by_people_then_the_earliest_slot() -> None:
    answers = {
        "@awa": {1: YES, 2: YES, 3: YES},
        "@bruno": {2: YES},
        "@chloe": {1: YES, 2: YES, 3: YES},
        "@david": {1: YES, 2: YES, 3: YES},
    }
    assert recommend(coverage([1, 2, 3], answers, MEMBERS)).slot == 2
    del answers["@bruno"]
    assert recommend(coverage([1, 2, 3], answers, MEMBERS)).slot == 1


def test_when_no_slot_covers_everyone_it_says_who_is_missing() -> None:
    answers = {"@awa": {1: YES, 2: NO}, "@david": {1: NO, 2: YES}, "@emma": {1: YES}}
    found = coverage([1, 2], answers, MEMBERS)
    assert recommend(found) == recommend(found).__class__(1, Level.PARTIAL, ("Repair Café",))
    assert uncovered_anywhere(found) == ["Repair Café"]


def test_nobody_answered_yet() -> None:
    assert recommend(coverage([1, 2], {}, MEMBERS)).level is Level.NOBODY


def test_a_structure_whose_members_are_all_away_is_not_missing() -> None:
    answers = {"@awa": {1: YES}, "@david": {1: YES}}
    assert coverage([1], answers, MEMBERS, away={1: {"@chloe"}})[0].missing == ()
    # Emma is away, David is not: the Jardins are still expected.
    assert coverage([1], {"@awa": {1: YES}}, MEMBERS, away={1: {"@emma"}})[0].missing == (
        "Jardins",
        "Repair Café",
    )


def test_an_away_member_does_not_make_her_structure_missing_if_others_come() -> None:
    answers = {"@awa": {1: YES}, "@chloe": {1: YES}, "@david": {1: YES}}
    assert coverage([1], answers, MEMBERS, away={1: {"@emma"}})[0].missing == ()


def test_the_answer_of_someone_away_does_not_cover_her_structure() -> None:
    answers = {"@awa": {1: YES}, "@chloe": {1: YES}, "@emma": {1: YES}}
    found = coverage([1], answers, MEMBERS, away={1: {"@emma"}})[0]
    assert found.yes == ("@awa", "@chloe") and found.missing == ("Jardins",)


def test_someone_no_longer_in_the_circle_does_not_count() -> None:
    answers = {"@awa": {1: YES}, "@chloe": {1: YES}, "@zoe": {1: YES}}
    assert coverage([1], answers, MEMBERS)[0].yes == ("@awa", "@chloe")


ANSWER = st.sampled_from([YES, MAYBE, NO])
ANSWERS = st.dictionaries(
    st.sampled_from(sorted(MEMBERS)),
    st.dictionaries(st.integers(1, 4), ANSWER, max_size=4),
    max_size=6,
)


@given(ANSWERS)
def test_the_recommended_slot_covers_everyone_whenever_some_slot_does(
    answers: dict[str, dict[int, Answer]],
) -> None:
    found = coverage([1, 2, 3, 4], answers, MEMBERS)
    best = recommend(found)
    if best.slot is None:
        assert all(c.people == 0 for c in found)
        return
    chosen = next(c for c in found if c.slot == best.slot)
    assert all(len(chosen.covered) >= len(c.covered) for c in found)
    if any(c.everyone_yes for c in found):
        assert best.level is Level.ALL_YES and chosen.everyone_yes
    elif any(not c.missing and c.people for c in found):
        assert best.level is Level.ALL_IF_NEEDED


@given(ANSWERS)
def test_the_recommendation_does_not_depend_on_the_order_answers_came(
    answers: dict[str, dict[int, Answer]],
) -> None:
    reversed_answers = dict(reversed(list(answers.items())))
    assert recommend(coverage([1, 2, 3, 4], answers, MEMBERS)) == recommend(
        coverage([1, 2, 3, 4], reversed_answers, MEMBERS)
    )


@given(
    st.datetimes(min_value=datetime(2026, 12, 2), max_value=datetime(2027, 9, 30)).map(
        lambda d: d.replace(second=0, microsecond=0)
    )
)
def test_a_slot_typed_as_day_month_and_time_reads_back_to_the_same_wall_time(
    wall: datetime,
) -> None:
    at = wall.replace(tzinfo=PARIS)
    if at.astimezone(ZoneInfo("UTC")).astimezone(PARIS).replace(tzinfo=None) != wall:
        return  # a time skipped when clocks go forward does not exist
    typed, _ = parse_slots(f"{wall:%d/%m} {wall:%H}h{wall:%M}, 1/11/2027 9h", NOW, "Europe/Paris")
    assert typed.replace(tzinfo=None) == wall and typed.utcoffset() == at.utcoffset()
