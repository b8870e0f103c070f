"""``!vote``: opening, ballots (text and Element polls), status, closing and the deadline."""

from __future__ import annotations

from datetime import timedelta

from bot.features.votes.closing import close_due_vote
from tests.unit.circle_in_memory import ROOM, CircleInMemory
from tests.unit.features.helpers import ANNA, BRUNO, CHLOE, EMMA, add_stories, one, plain

POLL_START = "org.matrix.msc3381.poll.start"


async def test_without_a_vote_the_status_says_none_is_open(circle: CircleInMemory) -> None:
    assert one(await circle.say(BRUNO, "!vote")).startswith("Aucun vote n'est ouvert.")


async def test_a_ballot_without_a_vote_is_not_counted(circle: CircleInMemory) -> None:
    await add_stories(circle, 2)
    assert one(await circle.say(BRUNO, "!vote 1 2")).startswith("Aucun vote n'est ouvert.")


async def test_opening_a_dot_vote_lists_the_candidates_and_posts_one_poll_per_point(
    circle: CircleInMemory,
) -> None:
    await add_stories(circle, 3)
    opened, status = [plain(b) for b in await circle.say(ANNA, "!vote ouvrir points 3")]
    assert opened.startswith("🗳️ **Vote #1 ouvert** — vote par points, 3 points par personne.")
    assert "**#1**" in opened and "**#3**" in opened
    assert status.startswith("🗳️ **Vote #1 en cours**")
    assert len(circle.sent_of_type(POLL_START)) == 3


async def test_a_vote_without_proposed_stories_is_refused(circle: CircleInMemory) -> None:
    assert one(await circle.say(ANNA, "!vote ouvrir")).startswith(
        "Il n'y a aucune histoire proposée à mettre au vote."
    )
    assert circle.sent_of_type(POLL_START) == []


async def test_a_second_vote_while_one_is_open_is_refused(circle: CircleInMemory) -> None:
    await add_stories(circle, 2)
    await circle.say(ANNA, "!vote ouvrir")
    assert one(await circle.say(ANNA, "!vote ouvrir")).startswith(
        "Le vote #1 est déjà ouvert : un seul vote à la fois."
    )


async def test_an_option_out_of_range_is_refused(circle: CircleInMemory) -> None:
    await add_stories(circle, 2)
    assert one(await circle.say(ANNA, "!vote ouvrir points 99")).startswith(
        "Le nombre de points va de 1 à 20."
    )
    assert one(await circle.say(BRUNO, "!vote")).startswith("Aucun vote n'est ouvert.")


async def test_unknown_candidates_are_refused(circle: CircleInMemory) -> None:
    await add_stories(circle, 2)
    assert one(await circle.say(ANNA, "!vote ouvrir histoires 1 9")).startswith(
        "Ces histoires n'existent pas ou ne sont plus ouvertes : #9."
    )


async def test_a_ballot_is_acknowledged_and_counted_in_the_status(circle: CircleInMemory) -> None:
    await add_stories(circle, 3)
    await circle.say(ANNA, "!vote ouvrir points 3")
    ack, edit = await circle.say(BRUNO, "!vote 1 1 2")
    assert plain(ack).startswith("🗳️ Bulletin reçu : #1 (2 points), #2 (1 point).")
    assert "**1 personne a voté**" in edit
    assert "Bruno Plateau 3 sur 3" in one(await circle.say(CHLOE, "!vote"))


async def test_a_second_ballot_replaces_the_first(circle: CircleInMemory) -> None:
    await add_stories(circle, 3)
    await circle.say(ANNA, "!vote ouvrir points 3")
    await circle.say(BRUNO, "!vote 1 1 1")
    await circle.say(BRUNO, "!vote 3 3 3")
    results = plain((await circle.say(ANNA, "!vote clore"))[0])
    assert "1 bulletin" in results
    assert "1. **#3**" in results and "3 points" in results
    assert "Sans point : #1 #2" in results


async def test_too_many_points_are_refused_and_not_counted(circle: CircleInMemory) -> None:
    await add_stories(circle, 3)
    await circle.say(ANNA, "!vote ouvrir points 3")
    assert one(await circle.say(BRUNO, "!vote 1 2 3 3")).startswith(
        "Vous avez donné 4 points, mais chacun·e en a 3. Rien n'est compté"
    )
    assert "Personne n'a encore voté" in one(await circle.say(BRUNO, "!vote"))


async def test_a_story_that_is_no_candidate_is_refused(circle: CircleInMemory) -> None:
    await add_stories(circle, 2)
    await circle.say(ANNA, "!vote ouvrir")
    assert one(await circle.say(BRUNO, "!vote 7")).startswith(
        "L'histoire #7 n'est pas candidate à ce vote"
    )


async def test_scores_in_a_dot_vote_are_refused(circle: CircleInMemory) -> None:
    await add_stories(circle, 2)
    await circle.say(ANNA, "!vote ouvrir")
    assert one(await circle.say(BRUNO, "!vote 1 impact 4 coût 2")).startswith(
        "Le vote #1 se fait par points"
    )
    assert "Personne n'a encore voté" in one(await circle.say(BRUNO, "!vote"))


async def test_an_impact_cost_vote_takes_scores_and_ranks_them(circle: CircleInMemory) -> None:
    await add_stories(circle, 2)
    await circle.say(ANNA, "!vote ouvrir impact")
    ack, _ = await circle.say(CHLOE, "!vote 1 impact 4 coût 2")
    assert plain(ack).startswith("🗳️ Noté : histoire #1, impact 4, coût 2.")
    results = plain((await circle.say(ANNA, "!vote clore"))[0])
    assert "1. **#1**" in results and "impact 4, coût 2" in results
    assert "**#2** " in results and "pas de note" in results


async def test_a_score_out_of_range_is_refused(circle: CircleInMemory) -> None:
    await add_stories(circle, 2)
    await circle.say(ANNA, "!vote ouvrir impact")
    assert one(await circle.say(CHLOE, "!vote 1 impact 9 coût 2")).startswith(
        "Les notes vont de 1 à 5 (« 9 » ne va pas)."
    )


async def test_closing_posts_the_ranking_and_a_proposal(circle: CircleInMemory) -> None:
    await add_stories(circle, 3)
    await circle.say(ANNA, "!vote ouvrir points 2")
    await circle.say(BRUNO, "!vote 2 2")
    await circle.say(CHLOE, "!vote 2 1")
    results, closed_status = (plain(b) for b in await circle.say(ANNA, "!vote clore"))
    assert results.startswith("🏁 **Résultats du vote #1**")
    assert "1. **#2**" in results and "3 points" in results
    assert "`!chantier ajouter 2 1`" in results
    assert "Vote #1 clos" in closed_status
    assert one(await circle.say(BRUNO, "!vote")).startswith("Aucun vote n'est ouvert (le dernier")


async def test_closing_without_a_vote_says_none_is_open(circle: CircleInMemory) -> None:
    assert one(await circle.say(ANNA, "!vote clore")).startswith("Aucun vote n'est ouvert.")


async def test_the_results_picture_waits_for_the_close_to_commit(circle: CircleInMemory) -> None:
    await add_stories(circle, 2)
    await circle.say(ANNA, "!vote ouvrir")
    await circle.say(BRUNO, "!vote 1 2")
    assert circle.later == []
    await circle.say(ANNA, "!vote clore")
    assert len(circle.later) == 1  # drawn in a child process: not run here (seconds)


async def test_answers_to_the_point_polls_make_a_ballot(circle: CircleInMemory) -> None:
    await add_stories(circle, 3)
    await circle.say(ANNA, "!vote ouvrir points 2")
    first, second = (circle.event_id_of(p) for p in circle.sent_of_type(POLL_START))
    await circle.answer_poll(EMMA, first, "s3")
    await circle.answer_poll(EMMA, second, "s3")
    assert "Emma Belleville 2 sur 2" in one(await circle.say(BRUNO, "!vote"))
    results = plain((await circle.say(ANNA, "!vote clore"))[0])
    assert "1. **#3**" in results and "2 points" in results


async def test_the_deadline_job_closes_the_vote_once(circle: CircleInMemory) -> None:
    await add_stories(circle, 2)
    await circle.say(ANNA, "!vote ouvrir")
    await circle.say(BRUNO, "!vote 1 2")
    circle.now += timedelta(days=7)
    posted = await circle.run_job(close_due_vote, ROOM, 1)
    assert plain(posted[0]).startswith("🏁 **Résultats du vote #1**")
    assert await circle.run_job(close_due_vote, ROOM, 1) == []
