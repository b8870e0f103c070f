from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.stories import (
    MAX_BLOCKER_CHARS,
    Blocker,
    Story,
    StoryRuleError,
    StoryStatus,
    edit,
    filter_stories,
    group_by_theme,
    mark_done,
    note_blocker,
    open_blockers,
    parse_status_word,
    propose_story,
    reformulate,
    select,
    take,
    unselect,
    validate_blocker_text,
    withdraw,
)
from bot.domain.story_parser import MAX_STORY_CHARS, StoryParts

NOW = datetime(2026, 3, 2, 18, 30, tzinfo=UTC)
AUTHOR = "@camille:example.org"
OTHER = "@samir:example.org"
TEXT = (
    "En tant que bénévole de la Ressourcerie, je voudrais voir le planning des collectes "
    "pour ne plus rater de tournée #planning #Ressourcerie"
)


def a_story(
    number: int = 1,
    themes: list[str] | None = None,
    status: StoryStatus = StoryStatus.PROPOSED,
    porteur: str | None = None,
) -> Story:
    return Story(
        number=number,
        circle_id="!cercle:example.org",
        author=AUTHOR,
        text=f"story {number}",
        parts=StoryParts("bénévole", "un badge", "être reconnu"),
        themes=themes if themes is not None else [],
        status=status,
        created_at=NOW,
        porteur=porteur,
    )


def raised(call: object) -> StoryRuleError:
    assert callable(call)
    with pytest.raises(StoryRuleError) as caught:
        call()
    return caught.value


# --- proposing -----------------------------------------------------------------------------


def test_a_proposed_story_has_its_parts_themes_and_author() -> None:
    story = propose_story(
        7, "!cercle:example.org", AUTHOR, f"  {TEXT}\n", NOW, structure="Ressourcerie"
    )
    assert story.number == 7
    assert story.status is StoryStatus.PROPOSED
    assert story.text == TEXT
    assert story.parts.role == "bénévole de la Ressourcerie"
    assert story.parts.benefit == "ne plus rater de tournée"
    assert story.themes == ["planning", "Ressourcerie"]
    assert (story.structure, story.created_at, story.porteur) == ("Ressourcerie", NOW, None)


def test_a_story_from_a_blocker_remembers_it() -> None:
    story = propose_story(8, "!c", AUTHOR, TEXT, NOW, blocker_number=4)
    assert story.blocker_number == 4


def test_an_incomplete_story_is_refused_with_its_missing_parts() -> None:
    error = raised(lambda: propose_story(1, "!c", AUTHOR, "je souhaite un outil afin de voir", NOW))
    assert error.code == "incomplete"
    assert error.data == {"missing": ("role",)}


def test_a_too_long_story_is_refused_with_the_limit() -> None:
    error = raised(lambda: propose_story(1, "!c", AUTHOR, TEXT + "x" * MAX_STORY_CHARS, NOW))
    assert error.code == "too_long"
    assert error.data["limit"] == MAX_STORY_CHARS


# --- withdrawing ---------------------------------------------------------------------------


def test_the_author_withdraws_their_story() -> None:
    story = a_story()
    withdrawn = withdraw(story, AUTHOR, is_facilitator=False)
    assert withdrawn.status is StoryStatus.WITHDRAWN
    assert story.status is StoryStatus.PROPOSED


def test_a_facilitator_withdraws_any_story() -> None:
    assert withdraw(a_story(), OTHER, is_facilitator=True).status is StoryStatus.WITHDRAWN


def test_another_member_cannot_withdraw_a_story() -> None:
    assert raised(lambda: withdraw(a_story(), OTHER, is_facilitator=False)).code == "not_allowed"


def test_withdrawing_twice_is_refused() -> None:
    story = a_story(status=StoryStatus.WITHDRAWN)
    assert raised(lambda: withdraw(story, AUTHOR, is_facilitator=False)).code == "already_withdrawn"


def test_a_done_story_cannot_be_withdrawn() -> None:
    story = a_story(status=StoryStatus.DONE)
    assert raised(lambda: withdraw(story, AUTHOR, is_facilitator=True)).code == "already_done"


# --- editing -------------------------------------------------------------------------------


def test_editing_replaces_text_parts_and_themes() -> None:
    later = NOW + timedelta(hours=2)
    new_text = (
        "En tant que trésorière, je veux exporter les comptes afin de gagner du temps #compta"
    )
    edited = edit(a_story(themes=["planning"]), AUTHOR, False, new_text, later)
    assert edited.text == new_text
    assert edited.parts.role == "trésorière"
    assert edited.themes == ["compta"]
    assert edited.edited_at == later
    assert edited.created_at == NOW


def test_a_facilitator_may_edit_a_selected_story() -> None:
    story = a_story(status=StoryStatus.SELECTED)
    edited = edit(story, OTHER, True, "En tant que X, je veux Y afin de Z", NOW)
    assert edited.parts.need == "Y"
    assert edited.status is StoryStatus.SELECTED


def test_another_member_cannot_edit() -> None:
    error = raised(lambda: edit(a_story(), OTHER, False, "En tant que X, je veux Y afin de Z", NOW))
    assert error.code == "not_allowed"


@pytest.mark.parametrize("status", [StoryStatus.WITHDRAWN, StoryStatus.DONE])
def test_withdrawn_or_done_stories_are_not_editable(status: StoryStatus) -> None:
    story = a_story(status=status)
    error = raised(lambda: edit(story, AUTHOR, True, "En tant que X, je veux Y afin de Z", NOW))
    assert error.code == "not_editable"
    assert error.data == {"status": status}


def test_an_incomplete_edit_is_refused_and_names_what_is_missing() -> None:
    error = raised(lambda: edit(a_story(), AUTHOR, False, "En tant que bénévole, je veux Y", NOW))
    assert error.code == "incomplete"
    assert error.data == {"missing": ("benefit",)}


def test_a_too_long_part_in_an_edit_is_refused_with_its_name() -> None:
    new_text = "En tant que X, je veux " + "y" * 600 + " afin de Z"
    error = raised(lambda: edit(a_story(), AUTHOR, False, new_text, NOW))
    assert (error.code, error.data["part"]) == ("too_long", "need")


# --- porteur and done ----------------------------------------------------------------------


def test_taking_a_story_makes_you_its_porteur() -> None:
    assert take(a_story(), OTHER).porteur == OTHER


def test_taking_your_own_story_again_changes_nothing() -> None:
    story = a_story(porteur=OTHER)
    assert take(story, OTHER) == story


def test_a_story_carried_by_someone_else_cannot_be_taken() -> None:
    error = raised(lambda: take(a_story(porteur=AUTHOR), OTHER))
    assert error.code == "already_taken"
    assert error.data == {"porteur": AUTHOR}


@pytest.mark.parametrize("status", [StoryStatus.WITHDRAWN, StoryStatus.DONE])
def test_closed_stories_cannot_be_taken(status: StoryStatus) -> None:
    assert raised(lambda: take(a_story(status=status), OTHER)).code == "not_open"


def test_a_selected_story_can_be_taken() -> None:
    assert take(a_story(status=StoryStatus.SELECTED), OTHER).porteur == OTHER


def test_the_porteur_marks_the_story_done() -> None:
    done = mark_done(a_story(status=StoryStatus.SELECTED, porteur=OTHER), OTHER, False, NOW)
    assert (done.status, done.done_at, done.porteur) == (StoryStatus.DONE, NOW, OTHER)


def test_a_facilitator_marks_a_story_without_porteur_done() -> None:
    assert mark_done(a_story(), OTHER, True).status is StoryStatus.DONE


def test_a_member_who_is_not_the_porteur_cannot_mark_done() -> None:
    error = raised(lambda: mark_done(a_story(porteur=OTHER), AUTHOR, False))
    assert error.code == "not_porteur"
    assert error.data == {"porteur": OTHER}


def test_a_story_nobody_carries_is_taken_before_being_marked_done() -> None:
    story = a_story()
    error = raised(lambda: mark_done(story, AUTHOR, False))
    assert (error.code, error.data) == ("no_porteur", {"number": story.number})


def test_marking_done_twice_is_refused() -> None:
    story = a_story(status=StoryStatus.DONE, porteur=OTHER)
    assert raised(lambda: mark_done(story, OTHER, False)).code == "already_done"


def test_a_withdrawn_story_cannot_be_done() -> None:
    story = a_story(status=StoryStatus.WITHDRAWN)
    assert raised(lambda: mark_done(story, OTHER, True)).code == "not_open"


# --- chantier selection --------------------------------------------------------------------


def test_select_and_unselect_go_between_proposed_and_selected() -> None:
    selected = select(a_story())
    assert selected.status is StoryStatus.SELECTED
    assert unselect(selected).status is StoryStatus.PROPOSED


def test_selecting_twice_is_refused() -> None:
    assert raised(lambda: select(a_story(status=StoryStatus.SELECTED))).code == "already_selected"


@pytest.mark.parametrize("status", [StoryStatus.WITHDRAWN, StoryStatus.DONE])
def test_closed_stories_cannot_be_selected(status: StoryStatus) -> None:
    assert raised(lambda: select(a_story(status=status))).code == "not_open"


def test_unselecting_a_proposed_story_is_refused() -> None:
    assert raised(lambda: unselect(a_story())).code == "not_selected"


def test_a_done_story_stays_done_when_unselected() -> None:
    assert raised(lambda: unselect(a_story(status=StoryStatus.DONE))).code == "already_done"


# --- status words --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("proposée", StoryStatus.PROPOSED),
        ("proposees", StoryStatus.PROPOSED),
        ("Proposés", StoryStatus.PROPOSED),
        ("proposé", StoryStatus.PROPOSED),
        ("proposed", StoryStatus.PROPOSED),
        ("retenue", StoryStatus.SELECTED),
        ("RETENUES", StoryStatus.SELECTED),
        ("retenu", StoryStatus.SELECTED),
        ("sélectionnées", StoryStatus.SELECTED),
        ("selected", StoryStatus.SELECTED),
        ("faite", StoryStatus.DONE),
        ("faites", StoryStatus.DONE),
        ("fait", StoryStatus.DONE),
        ("done", StoryStatus.DONE),
        ("retirée", StoryStatus.WITHDRAWN),
        ("retirees", StoryStatus.WITHDRAWN),
        ("withdrawn", StoryStatus.WITHDRAWN),
    ],
)
def test_status_words_in_french_and_english(word: str, status: StoryStatus) -> None:
    assert parse_status_word(word) is status


@pytest.mark.parametrize("word", ["", "#planning", "toutes", "ses", "e", "12"])
def test_other_words_are_not_statuses(word: str) -> None:
    assert parse_status_word(word) is None


# --- listing -------------------------------------------------------------------------------


def test_filtering_without_status_hides_withdrawn_stories() -> None:
    stories = [
        a_story(1),
        a_story(2, status=StoryStatus.WITHDRAWN),
        a_story(3, status=StoryStatus.DONE),
    ]
    assert [s.number for s in filter_stories(stories)] == [1, 3]


def test_filtering_by_status_shows_only_that_status() -> None:
    stories = [a_story(1), a_story(2, status=StoryStatus.WITHDRAWN)]
    assert [s.number for s in filter_stories(stories, status=StoryStatus.WITHDRAWN)] == [2]


def test_filtering_by_theme_ignores_case_accents_and_hash() -> None:
    stories = [a_story(1, ["Hygiène-numérique"]), a_story(2, ["outils"]), a_story(3)]
    assert [s.number for s in filter_stories(stories, theme="#HYGIENE-numerique")] == [1]


def test_group_by_theme_orders_themes_and_puts_unthemed_last() -> None:
    stories = [
        a_story(5, ["outils"]),
        a_story(2),
        a_story(3, ["Écologie", "outils"]),
        a_story(1, ["ecologie"]),
        a_story(4, ["Mémoire"]),
    ]
    grouped = [(label, [s.number for s in members]) for label, members in group_by_theme(stories)]
    assert grouped == [
        ("ecologie", [1, 3]),
        ("Mémoire", [4]),
        ("outils", [3, 5]),
        (None, [2]),
    ]


def test_group_by_theme_without_unthemed_stories_has_no_none_group() -> None:
    assert [label for label, _ in group_by_theme([a_story(1, ["outils"])])] == ["outils"]


def test_group_by_theme_of_nothing_is_empty() -> None:
    assert group_by_theme([]) == []


def test_a_theme_repeated_in_one_story_lists_it_once() -> None:
    grouped = group_by_theme([a_story(1, ["outils", "Outils"])])
    assert [(label, len(members)) for label, members in grouped] == [("outils", 1)]


# --- blockers ------------------------------------------------------------------------------


def test_a_blocker_keeps_its_text_and_themes() -> None:
    blocker = note_blocker(4, "!c", AUTHOR, "  Trop de mails, on s'y perd #outils ", NOW)
    assert blocker == Blocker(
        4, "!c", AUTHOR, "Trop de mails, on s'y perd #outils", NOW, ["outils"]
    )
    assert not blocker.is_reformulated


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("?!…", "empty"),
        ("x" * (MAX_BLOCKER_CHARS + 1), "too_long"),
    ],
)
def test_invalid_blocker_texts(text: str, code: str) -> None:
    assert validate_blocker_text(text) == code
    error = raised(lambda: note_blocker(1, "!c", AUTHOR, text, NOW))
    assert error.code == code
    assert error.data == {"limit": MAX_BLOCKER_CHARS}


def test_a_blocker_at_the_limit_is_valid() -> None:
    assert validate_blocker_text("x" * MAX_BLOCKER_CHARS) is None


def test_reformulating_links_the_blocker_to_its_story() -> None:
    blocker = note_blocker(4, "!c", AUTHOR, "Trop de mails", NOW)
    linked = reformulate(blocker, 12)
    assert linked.story_number == 12
    assert linked.is_reformulated
    assert blocker.story_number is None


def test_a_blocker_is_reformulated_only_once() -> None:
    linked = reformulate(note_blocker(4, "!c", AUTHOR, "Trop de mails", NOW), 12)
    error = raised(lambda: reformulate(linked, 13))
    assert error.code == "already_reformulated"
    assert error.data == {"story_number": 12}


def test_open_blockers_are_the_unreformulated_ones_by_number() -> None:
    first = note_blocker(1, "!c", AUTHOR, "A", NOW)
    second = note_blocker(2, "!c", AUTHOR, "B", NOW)
    third = replace(note_blocker(3, "!c", AUTHOR, "C", NOW), story_number=9)
    assert open_blockers([second, third, first]) == [first, second]
