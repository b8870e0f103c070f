"""Similar stories, ``!histoire fusionner`` and ``!themes``, in process: what is said, what
is saved, and every refusal changing nothing."""

from __future__ import annotations

from bot.config import CircleSettings
from bot.domain.stories import Story, StoryStatus
from bot.store import stories as store
from bot.store import story_merges, theme_proposals, votes
from tests.unit.circle_in_memory import ROOM, CircleInMemory
from tests.unit.features.helpers import ANNA, BRUNO, CHLOE, FACILITATOR_ONLY, one, plain

# The same need in other words: « CR » / « comptes rendus », « réunions » / « rdv ».
MINUTES = (
    "En tant que membre du bureau je veux retrouver les CR des réunions pour savoir ce qui a"
    " été décidé"
)
MINUTES_AGAIN = (
    "En tant qu'administrateur, je voudrais accéder aux comptes rendus des rdv précédents"
    " afin de connaître les décisions"
)
KEYS = (
    "En tant que salariée je veux retrouver les clés de la salle polyvalente afin d'ouvrir"
    " le samedi"
)
BLOCKERS = [
    "les adhésions sont sur papier puis recopiées dans un tableur",
    "on n'arrive pas à relancer ceux qui n'ont pas renouvelé leur adhésion",
    "cotisations payées en liquide à l'accueil, adhésion jamais à jour",
    "double réservation de la salle polyvalente ce mois-ci",
    "on ne sait jamais si la grande salle est libre pour une réservation",
    "réservation de salle par téléphone seulement, l'accueil est débordé",
]


async def story(circle: CircleInMemory, number: int) -> Story:
    found = await store.get_story(circle.db, ROOM, number)
    assert found is not None
    return found


async def test_a_paraphrase_is_said_to_look_like_the_earlier_story(circle: CircleInMemory) -> None:
    await circle.say(BRUNO, f"!histoire {MINUTES}")
    body = one(await circle.say(CHLOE, f"!histoire {MINUTES_AGAIN}"))
    assert body.startswith("📗 Histoire **#2** enregistrée")
    assert "🔎 Elle ressemble à l'histoire **#1** : « Retrouver les CR" in body
    assert "`!histoire fusionner 2 1`" in body


async def test_an_unrelated_story_is_not_flagged(circle: CircleInMemory) -> None:
    await circle.say(BRUNO, f"!histoire {MINUTES}")
    assert "ressemble" not in one(await circle.say(CHLOE, f"!histoire {KEYS}"))


async def test_a_story_from_the_guided_dialogue_is_compared_too(circle: CircleInMemory) -> None:
    await circle.say(BRUNO, f"!histoire {MINUTES}")
    await circle.say(CHLOE, "!histoire")
    root = circle.last_event_id
    for answer in (
        "administrateur",
        "accéder aux comptes rendus des rdv précédents",
        "connaître les décisions",
        "oui",
    ):
        last = await circle.say(CHLOE, answer, thread_root=root)
    assert "ressemble à l'histoire **#1**" in plain(last[-1])


async def test_a_story_written_freely_is_compared_when_its_author_confirms(
    circle: CircleInMemory,
) -> None:
    await circle.say(BRUNO, f"!histoire {MINUTES}")
    await circle.say(CHLOE, MINUTES_AGAIN)
    body = one(await circle.react(CHLOE, circle.last_event_id, "✅"))
    assert body.startswith("📗 Histoire **#2** enregistrée")
    assert "`!histoire fusionner 2 1`" in body


async def test_a_blocker_that_names_an_open_need_points_to_the_story(
    circle: CircleInMemory,
) -> None:
    await circle.say(BRUNO, f"!histoire {MINUTES}")
    body = one(
        await circle.say(CHLOE, "!frein impossible de retrouver les comptes rendus des réunions")
    )
    assert body.startswith("📝 Frein **#1** noté.")
    assert "🔎 Ce frein ressemble à l'histoire **#1**" in body
    assert "ressemble" not in one(await circle.say(CHLOE, "!frein la photocopieuse est en panne"))


async def test_the_newer_story_s_author_merges_it_and_both_authors_stay(
    circle: CircleInMemory,
) -> None:
    await circle.say(BRUNO, f"!histoire {MINUTES} #communication")
    await circle.say(CHLOE, "!frein personne ne sait écrire à toute la liste")
    await circle.say(CHLOE, f"!frein 1 {MINUTES_AGAIN} #outils")
    body = one(await circle.say(CHLOE, "!histoire fusionner 2 1"))
    assert body.startswith("🔗 L'histoire **#2** rejoint l'histoire **#1**")
    assert "Chloe Plateau signe désormais aussi l'histoire **#1**." in body
    assert "#outils" in body and "Le frein qu'elle reformulait" in body
    merged, kept = await story(circle, 2), await story(circle, 1)
    assert merged.status is StoryStatus.WITHDRAWN
    assert kept.themes == ["communication", "outils"] and kept.text.startswith("En tant que")
    assert await story_merges.coauthors(circle.db, ROOM, 1) == [CHLOE]
    blocker = await store.get_blocker(circle.db, ROOM, 1)
    assert blocker is not None and blocker.story_number == 1
    assert "**Aussi écrite par** : Chloe Plateau" in one(await circle.say(BRUNO, "!histoire 1"))
    assert "🔗 Fusionnée dans l'histoire **#1**." in one(await circle.say(BRUNO, "!histoire 2"))


async def test_a_facilitator_merges_in_english(circle: CircleInMemory) -> None:
    await circle.say(BRUNO, f"!histoire {MINUTES}")
    await circle.say(CHLOE, f"!histoire {MINUTES_AGAIN}")
    assert one(await circle.say(ANNA, "!story merge 2 1")).startswith("🔗 L'histoire **#2**")


async def test_a_running_vote_keeps_the_merged_story_s_points(circle: CircleInMemory) -> None:
    await circle.say(BRUNO, f"!histoire {MINUTES}")
    await circle.say(CHLOE, f"!histoire {MINUTES_AGAIN}")
    await circle.say(ANNA, "!vote ouvrir points 3")
    await circle.say(BRUNO, "!vote 2 2")
    body = one(await circle.say(CHLOE, "!histoire fusionner 2 1"))
    assert "Le vote **#1** en cours ne change pas" in body
    assert "points déjà donnés à l'histoire **#2** y restent comptés pour elle" in body
    [ballot] = await votes.dot_ballots(circle.db, ROOM, 1)
    assert ballot.points == {2: 2}


async def test_merge_refusals_name_the_problem_and_change_nothing(circle: CircleInMemory) -> None:
    await circle.say(BRUNO, f"!histoire {MINUTES}")
    await circle.say(CHLOE, f"!histoire {MINUTES_AGAIN}")
    await circle.say(BRUNO, f"!histoire {KEYS}")
    await circle.say(BRUNO, "!histoire retirer 3")
    refusals = {
        "!histoire fusionner 2 2": "On ne fusionne pas l'histoire #2 avec elle-même",
        "!histoire fusionner 2 3": "L'histoire #3 est retirée : choisissez une histoire",
        "!histoire fusionner 2 9": "Je ne trouve pas d'histoire #9 dans ce cercle.",
        "!histoire fusionner 2": "Il faut deux numéros",
        "!histoire fusionner 3 1": "L'histoire #3 est retirée : seule une histoire proposée",
    }
    for command, start in refusals.items():
        assert one(await circle.say(CHLOE, command)).startswith(start), command
    # Bruno wrote #1, not the newer #2: only Chloé (or a facilitator) merges these two.
    assert one(await circle.say(BRUNO, "!histoire fusionner 2 1")).startswith(
        "Seul·e l'auteur·rice de l'histoire #2, la plus récente des deux"
    )
    assert (await story(circle, 2)).status is StoryStatus.PROPOSED
    assert await story_merges.merge_of(circle.db, ROOM, 2) is None


async def blockers_noted(circle: CircleInMemory) -> None:
    for text in BLOCKERS:
        await circle.say(BRUNO, f"!frein {text}")


async def test_themes_proposes_groups_of_untagged_blockers(circle: CircleInMemory) -> None:
    await blockers_noted(circle)
    await circle.say(BRUNO, "!frein la compta est en retard #compta")  # has a theme: left out
    body = one(await circle.say(ANNA, "!themes"))
    assert body.startswith("🥔 **Thèmes proposés** pour 6 histoires et freins sans thème")
    assert "1. **#adhesion** : freins #1, #2, #3" in body
    assert "2. **#reservation** : freins #4, #5, #6" in body or "**#salle** : freins #4" in body
    assert "#7" not in body
    groups = await theme_proposals.last_proposal(circle.db, ROOM)
    assert groups is not None and len(groups) == 2


async def test_themes_applies_one_group_then_all(circle: CircleInMemory) -> None:
    await blockers_noted(circle)
    await circle.say(BRUNO, f"!histoire {KEYS}")
    shown = one(await circle.say(ANNA, "!themes 2"))
    assert "**#adhesion** : freins #1, #2, #3" in shown
    number = 1 if "1. **#adhesion**" in shown else 2
    body = one(await circle.say(ANNA, f"!themes appliquer {number}"))
    assert body == "🏷️ **#adhesion** ajouté à : freins #1, #2, #3."
    blocker = await store.get_blocker(circle.db, ROOM, 1)
    assert blocker is not None and blocker.themes == ["adhesion"]
    assert blocker.text == BLOCKERS[0]  # nothing rewritten
    assert "· #adhesion" in one(await circle.say(CHLOE, "!freins"))
    await circle.say(ANNA, "!themes apply")
    tagged = (await story(circle, 1)).themes
    assert len(tagged) == 1
    assert "#1 " in one(await circle.say(CHLOE, f"!histoires #{tagged[0]}"))


async def test_applying_a_group_that_was_not_shown_is_refused(circle: CircleInMemory) -> None:
    await blockers_noted(circle)
    assert one(await circle.say(ANNA, "!themes appliquer")).startswith(
        "Je n'ai pas encore proposé de thèmes dans ce cercle"
    )
    await circle.say(ANNA, "!themes 2")
    assert one(await circle.say(ANNA, "!themes appliquer 9")).startswith(
        "Ma dernière proposition a 2 groupes, pas de groupe 9"
    )
    assert one(await circle.say(ANNA, "!themes appliquer tout")).startswith(
        "« tout » n'est pas un numéro de groupe."
    )
    assert all(not b.themes for b in await store.all_blockers(circle.db, ROOM))


async def test_themes_is_for_facilitators_and_asks_a_sensible_count(
    circle: CircleInMemory,
) -> None:
    await blockers_noted(circle)
    assert one(await circle.say(BRUNO, "!themes")) == FACILITATOR_ONLY
    assert one(await circle.say(ANNA, "!themes 40")).startswith("Le nombre de groupes va de 2 à 9")


async def test_themes_with_nothing_untagged_says_so(circle: CircleInMemory) -> None:
    assert one(await circle.say(ANNA, "!themes")).startswith(
        "Toutes les histoires et tous les freins ouverts ont déjà un thème"
    )


async def test_a_circle_can_turn_similar_stories_off_and_cap_the_groups(
    circle: CircleInMemory,
) -> None:
    circle.bot.config.circles[ROOM] = CircleSettings(
        facilitators=(ANNA,), similar_stories=False, theme_groups=2
    )
    await circle.say(BRUNO, f"!histoire {MINUTES}")
    assert "ressemble" not in one(await circle.say(CHLOE, f"!histoire {MINUTES_AGAIN}"))
    for text in BLOCKERS * 2:
        await circle.say(BRUNO, f"!frein {text}")
    groups = one(await circle.say(ANNA, "!themes"))
    assert "2. **#" in groups and "3. **#" not in groups
