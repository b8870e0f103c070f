"""Mini-chantiers against the real Synapse, in an encrypted room."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.dates import format_date
from bot.domain.sprints import one_month_from
from bot.testing.pioneer import Pioneer, SeenEvent
from tests.integration.conftest import CircleRoom

pytestmark = pytest.mark.integration

PARIS = ZoneInfo("Europe/Paris")

STORIES = (
    "!histoire en tant que bénévole je souhaite un planning partagé afin de ne plus rater de tournée",
    "!histoire en tant que trésorière je souhaite exporter les cotisations afin de gagner du temps",
    "!histoire en tant que voisin je souhaite un composteur afin de réduire nos déchets",
)


def _name(pioneer: Pioneer) -> str:
    """The display name Synapse gives a new account: its localpart."""
    return pioneer.user_id.split(":", 1)[0].lstrip("@")


async def _stories(circle: CircleRoom) -> None:
    """Story #1 by chloe, #2 by ben, #3 by anna."""
    for who, text in zip((circle.chloe, circle.ben, circle.anna), STORIES, strict=True):
        assert "#" in (await circle.ask(who, text)).body


async def _bot_says(circle: CircleRoom, needle: str, mark: int, timeout: float = 30) -> SeenEvent:
    return await circle.ben.wait_for(
        lambda e: e.sender == circle.bot_id and e.type == "m.room.message" and needle in e.body,
        timeout,
        after=mark,
    )


def _db(circle: CircleRoom, readonly: bool = True) -> sqlite3.Connection:
    path = circle.bot.data_dir / "bot.db"
    if readonly:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    return sqlite3.connect(path)


def _sprint_dates(circle: CircleRoom, number: int, starts_on: date, ends_on: date) -> None:
    """Move a chantier's dates while the bot is stopped (its jobs are rebuilt at start)."""
    with _db(circle, readonly=False) as conn:
        conn.execute(
            "UPDATE sprints SET starts_on = ?, ends_on = ? WHERE number = ?",
            (starts_on.isoformat(), ends_on.isoformat(), number),
        )
    conn.close()


async def test_a_pioneer_cannot_plan_or_close_a_chantier(circle: CircleRoom) -> None:
    refused = await circle.ask(circle.ben, "!chantier nouveau Mon chantier")
    assert "réservée à l'équipe d'animation" in refused.body
    refused = await circle.ask(circle.ben, "!sprint close")
    assert "réservée à l'équipe d'animation" in refused.body
    assert "Aucun mini-chantier" in (await circle.ask(circle.ben, "!chantier")).body


async def test_a_chantier_is_planned_filled_carried_and_closed_with_its_retrospective(
    circle: CircleRoom,
) -> None:
    anna, ben, chloe = circle.anna, circle.ben, circle.chloe
    await _stories(circle)
    now = datetime.now(PARIS)
    planned = await circle.ask(anna, "!chantier nouveau Outils partagés")
    assert "#1" in planned.body and "Outils partagés" in planned.body
    assert format_date(one_month_from(now.date()), "fr", now) in planned.body
    assert "chantier ajouter" in planned.body  # how to choose its stories

    mark = ben.mark()
    added = await circle.ask(anna, "!chantier ajouter 1 2")
    assert "#1 #2" in added.body and "ajoutées" in added.body
    # It started today: adding its first stories announces it, pinging the authors
    # of the stories nobody carries yet.
    announce = await _bot_says(circle, "commence", mark)
    assert announce.content["msgtype"] == "m.text"
    assert set(announce.content["m.mentions"]["user_ids"]) == {chloe.user_id, ben.user_id}
    assert "porteur·euse recherché·e" in announce.body

    assert "Déjà dans le mini-chantier #1" in (await circle.ask(anna, "!chantier ajouter 2")).body
    assert "n'existent pas" in (await circle.ask(anna, "!chantier ajouter 9")).body
    assert "retenue" in (await circle.ask(ben, "!histoire 2")).body

    assert "#2" in (await circle.ask(ben, "!histoire prendre 2")).body
    assert "#2" in (await circle.ask(ben, "!histoire fait 2")).body
    status = await circle.ask(chloe, "!chantier")
    assert "Outils partagés" in status.body
    assert f"portée par {_name(ben)}" in status.body
    assert "porteur·euse recherché·e" in status.body  # story 1
    assert "jours restants" in status.body
    assert "1 histoire faite sur 2" in status.body
    assert "#1" in (await circle.ask(chloe, "!chantiers")).body

    mark = ben.mark()
    await anna.send(circle.room_id, "!chantier clore")
    summary = await _bot_says(circle, "Bilan du mini-chantier #1", mark)
    retro = await _bot_says(circle, "Ce qui a bien marché", mark)
    assert ben.events.index(summary) < ben.events.index(retro)  # the summary comes first
    assert "1 histoire faite" in summary.body and "sur 2" in summary.body
    assert "Pas terminé" in summary.body
    assert "- #2 " in summary.body and f" — {_name(ben)}" in summary.body  # who carried it
    assert _name(ben) in summary.body.split("Merci")[1]  # and thanks to whoever finished one
    assert "Ce qui a moins bien marché" in retro.body and "Avec quoi je repars" in retro.body
    assert retro.thread_root is None  # its own message: the answers go in its thread

    mark = ben.mark()
    answer = await chloe.send(
        circle.room_id, "Le planning partagé a bien marché", thread_root=retro.event_id
    )
    await ben.wait_for(
        lambda e: (
            e.sender == circle.bot_id
            and e.type == "m.reaction"
            and e.content["m.relates_to"]["event_id"] == answer
        ),
        30,
        after=mark,
    )
    with _db(circle) as conn:
        rows = conn.execute(
            "SELECT author, text, sprint_number FROM sprint_retro_answers"
        ).fetchall()
    conn.close()
    assert rows == [(chloe.user_id, "Le planning partagé a bien marché", 1)]

    # The unfinished story is « proposée » again; the chantier is closed.
    assert "proposée" in (await circle.ask(chloe, "!histoire 1")).body
    assert "Aucun mini-chantier en cours" in (await circle.ask(chloe, "!chantier")).body
    assert "Le planning partagé a bien marché" in (await circle.ask(chloe, "!chantier 1")).body
    # corrected in Element by its author (someone else's "edit" changes nothing)
    await ben.edit(circle.room_id, answer, "Rien n'a marché")
    await chloe.edit(circle.room_id, answer, "Le planning partagé a très bien marché")
    await asyncio.sleep(1)
    summary_again = (await circle.ask(chloe, "!chantier 1")).body
    assert "très bien marché" in summary_again and "Rien n'a marché" not in summary_again


async def test_wrong_dates_and_overlaps_are_refused_kindly(circle: CircleRoom) -> None:
    anna = circle.anna
    today = datetime.now(PARIS).date()
    start = today + timedelta(days=10)
    before = start - timedelta(days=3)
    refused = await circle.ask(
        anna,
        f"!chantier nouveau Compost du {start:%d/%m/%Y} au {before:%d/%m/%Y}",
    )
    assert "avant le début" in refused.body
    # The refusal says what is wrong with the date.
    no_day = (await circle.ask(anna, "!chantier nouveau Compost au 31/02")).body
    assert "«\u00a031/02\u00a0» n'est pas une date" in no_day and "février n'a que 29" in no_day
    no_month = (await circle.ask(anna, "!chantier nouveau Compost au 45/13")).body
    assert "«\u00a045/13\u00a0» n'est pas une date\u00a0: le mois va de 1 à 12" in no_month
    assert "Donnez un nom" in (await circle.ask(anna, "!chantier nouveau")).body

    planned = await circle.ask(anna, "!chantier nouveau Chantier du jardin")
    assert "Chantier du jardin" in planned.body  # « du jardin » is not a date
    overlap = await circle.ask(anna, f"!chantier nouveau Compost du {start:%d/%m/%Y}")
    assert "un seul mini-chantier à la fois" in overlap.body
    later = one_month_from(today) + timedelta(days=1)
    nxt = await circle.ask(anna, f"!chantier nouveau Compost du {later:%d/%m/%Y}")
    assert "#2" in nxt.body and "je l'annoncerai" in nxt.body
    # The chantier being prepared takes the stories; the current one stays as it is.
    await _stories(circle)
    added = await circle.ask(anna, "!chantier ajouter 3")
    assert "#3" in added.body and "#2" in added.body
    status = await circle.ask(anna, "!chantier")
    assert "Chantier du jardin" in status.body and "Ensuite" in status.body


async def test_jobs_announce_nudge_and_close_once_even_across_restarts(circle: CircleRoom) -> None:
    anna, ben, chloe = circle.anna, circle.ben, circle.chloe
    await _stories(circle)
    today = datetime.now(PARIS).date()
    tomorrow = today + timedelta(days=1)
    planned = await circle.ask(anna, f"!chantier nouveau Demain du {tomorrow:%d/%m/%Y}")
    assert "je l'annoncerai" in planned.body
    await circle.ask(anna, "!chantier ajouter 1 2")
    await circle.ask(ben, "!histoire prendre 2")

    # While the bot is down, the chantier's first day and its nudge day pass.
    circle.bot.stop()
    _sprint_dates(circle, 1, today - timedelta(days=10), today + timedelta(days=2))
    mark = ben.mark()
    circle.bot.start()
    announce = await _bot_says(circle, "commence", mark, timeout=60)
    assert announce.content["m.mentions"]["user_ids"] == [chloe.user_id]  # #1 has no porteur
    nudge = await _bot_says(circle, "Plus que 2\u00a0jours", mark, timeout=60)
    assert nudge.content["msgtype"] == "m.text"
    assert nudge.content["m.mentions"]["user_ids"] == [ben.user_id]  # porteur of #2

    # Then its last day passes: it closes by itself, once.
    circle.bot.stop()
    _sprint_dates(circle, 1, today - timedelta(days=10), today - timedelta(days=1))
    mark = ben.mark()
    circle.bot.start()
    await _bot_says(circle, "Bilan du mini-chantier #1", mark, timeout=60)
    await _bot_says(circle, "Ce qui a bien marché", mark, timeout=60)
    circle.bot.stop()
    circle.bot.start()
    assert "Aucun mini-chantier en cours" in (await circle.ask(chloe, "!chantier")).body
    await asyncio.sleep(2)
    said = [e.body for e in ben.messages_from(circle.bot_id, circle.room_id, after=mark)]
    assert sum("Bilan du mini-chantier" in body for body in said) == 1
    assert sum("commence" in body for body in said) == 0
    assert sum("Plus que" in body for body in said) == 0


async def test_the_last_vote_proposes_the_stories_and_its_points_join_the_summary(
    circle: CircleRoom,
) -> None:
    anna, ben, chloe = circle.anna, circle.ben, circle.chloe
    await _stories(circle)
    mark = ben.mark()
    await anna.send(circle.room_id, "!vote ouvrir")
    await _bot_says(circle, "ouvert**", mark)
    await circle.ask(ben, "!vote 3 3 3")
    await circle.ask(chloe, "!vote 3 1 1")
    mark = ben.mark()
    await anna.send(circle.room_id, "!vote clore")
    await _bot_says(circle, "Résultats du vote #1", mark)

    planned = await circle.ask(anna, "!chantier nouveau Priorités")
    assert "Les mieux classées au vote #1" in planned.body
    assert "!chantier ajouter 3 1" in planned.body  # #3: 4 points, #1: 2, #2: none
    await circle.ask(anna, "!chantier ajouter 3 1")
    await circle.ask(anna, "!histoire fait 3")
    assert "1 histoire faite sur 2" in (await circle.ask(chloe, "!chantier")).body
    mark = ben.mark()
    await anna.send(circle.room_id, "!chantier clore")
    summary = await _bot_says(circle, "Bilan du mini-chantier #1", mark)
    assert "(4 points)" in summary.body and "(2 points)" in summary.body
    assert "au vote #1" in summary.body
    # #1 is not finished: proposée again, it tops the proposal for the next chantier.
    assert "!chantier ajouter 1" in summary.body
