"""``!rdv`` and ``!absent`` in process: slots proposed, answered by text and in the polls, the
slot covering every structure recommended, the date fixed (announcement, agenda, .ics),
reminders on the fake clock, attendance per structure."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from bot.domain.paging import PHONE_SCREEN
from bot.domain.personal_data import Forgetting
from bot.features.checkins.jobs import open_job
from bot.features.checkins.lifecycle import remind_job
from bot.features.rendezvous.personal_data import export_rendezvous, forget_rendezvous
from bot.features.rendezvous.reminders import rebuild_rendezvous_jobs, step_job
from bot.features.rendezvous.rhythm import rule_job
from bot.features.sprints.lifecycle import nudge_due_sprint
from bot.matrix.messages import POLL_START
from tests.unit.circle_in_memory import (
    PARIS,
    PIONEERS,
    ROOM,
    CircleInMemory,
    copy_of,
    realistic_circle_file,
)
from tests.unit.features.helpers import ANNA, BRUNO, CHLOE, EMMA, add_stories, one, plain
from tests.unit.features.test_personal_data import redact

FARID = "@farid:ex.org"
HUGO = "@hugo:ex.org"
PROPOSAL = "!rdv proposer mardi 8/12 18h, jeudi 10/12 12h30, lundi 14/12 à 18 h"


async def three_structures(circle: CircleInMemory) -> None:
    """Bruno and Chloé (Ressourcerie), Emma and Farid (Repair Café), Hugo (Jardins)."""
    for user, structure in (
        (BRUNO, "Ressourcerie"),
        (CHLOE, "Ressourcerie"),
        (EMMA, "Repair Café"),
        (FARID, "Repair Café"),
        (HUGO, "Jardins"),
    ):
        await circle.say(user, f"!structure {structure}")


async def proposed(circle: CircleInMemory) -> list[str]:
    """The three slots proposed; the event ids of their polls."""
    await three_structures(circle)
    before = len(circle.sent_of_type(POLL_START))
    await circle.say(ANNA, PROPOSAL)
    polls = circle.sent_of_type(POLL_START)[before:]
    return [circle.event_id_of(poll) for poll in polls]


def first(bodies: list[str]) -> str:
    """The bot's answer, before the status edit that follows it."""
    assert bodies and not bodies[0].startswith("* "), bodies
    return plain(bodies[0])


def status_body(circle: CircleInMemory) -> str:
    """The status message as it reads now (its latest edit)."""
    edits = [c for c in circle.sent_of_type("m.room.message") if "m.new_content" in c]
    return plain(edits[-1]["m.new_content"]["body"])


async def test_proposing_posts_a_status_and_one_small_poll_per_slot(circle: CircleInMemory) -> None:
    await three_structures(circle)
    [status] = await circle.say(ANNA, PROPOSAL)
    assert plain(status).startswith("📅 **Rendez-vous mensuel #1** : quelle date ?")
    assert "**1.** mardi 8 décembre à 18:00 — 0 oui, 0 si besoin · aucune structure" in plain(
        status
    )
    assert "**3.** lundi 14 décembre à 18:00" in plain(status)
    polls = circle.sent_of_type(POLL_START)
    assert len(polls) == 3
    start = polls[1]["org.matrix.msc3381.poll.start"]
    assert start["max_selections"] == 1
    assert [a["org.matrix.msc1767.text"] for a in start["answers"]] == ["Oui", "Si besoin", "Non"]
    assert "jeudi 10 décembre à 12:30" in start["question"]["body"]


async def test_the_slot_covering_every_structure_is_recommended_over_the_busiest(
    circle: CircleInMemory,
) -> None:
    polls = await proposed(circle)
    # Slot 1: four people of two structures; slot 2: three people, one per structure.
    for user in (BRUNO, CHLOE, EMMA, FARID):
        await circle.answer_poll(user, polls[0], "yes")
    await circle.answer_poll(HUGO, polls[1], "yes")
    await circle.say(BRUNO, "!rdv 2 oui 3 non")
    await circle.say(FARID, "!rdv 2 si-besoin")
    status = status_body(circle)
    assert (
        "**1.** mardi 8 décembre à 18:00 — 4 oui, 0 si besoin · Repair Café et Ressourcerie"
        in status
    )
    assert "👉 Créneau conseillé : **2** (jeudi 10 décembre à 12:30)" in status
    assert "parfois par un « si besoin »" in status
    # Emma says yes to slot 2 in the poll: now every structure has a « yes ».
    await circle.answer_poll(EMMA, polls[1], "yes")
    assert "chaque structure y a au moins un « oui »" in status_body(circle)
    assert "Créneau conseillé : **2**" in one(await circle.say(CHLOE, "!rdv"))


async def test_a_newer_answer_replaces_the_older_one(circle: CircleInMemory) -> None:
    polls = await proposed(circle)
    await circle.say(HUGO, "!rdv 1 oui")
    await circle.answer_poll(HUGO, polls[0], "no")
    assert "**1.** mardi 8 décembre à 18:00 — 0 oui" in status_body(circle)
    assert first(await circle.say(HUGO, "!rdv 1 si besoin")) == (
        "👍 Noté pour le rendez-vous #1 : 1 si besoin."
    )
    assert "— 0 oui, 1 si besoin · Jardins" in status_body(circle)


async def test_when_no_slot_covers_everyone_it_says_who_is_missing(circle: CircleInMemory) -> None:
    await proposed(circle)
    await circle.say(BRUNO, "!rdv 1 oui")
    await circle.say(HUGO, "!rdv 2 oui")
    status = status_body(circle)
    assert "Structures sans aucun créneau pour l'instant : **Repair Café**." in status
    assert "⚠️ Aucun créneau ne réunit toutes les structures." in status
    assert (
        "Le plus proche : **1** (mardi 8 décembre à 18:00), où il manque : **Jardins et Repair Café**."
        in status
    )
    await circle.say(BRUNO, "!rdv 2 oui")
    status = status_body(circle)
    assert (
        "Le plus proche : **2** (jeudi 10 décembre à 12:30), où il manque : **Repair Café**."
        in status
    )
    assert "Structures sans aucun créneau" not in status  # the line above says it already


async def test_bad_proposals_are_refused_with_the_reason(circle: CircleInMemory) -> None:
    await three_structures(circle)
    cases = {
        "!rdv proposer mardi 8/12 18h": "Il faut au moins 2 créneaux",
        "!rdv proposer 30/11 18h, mardi 8/12 18h": "Le créneau « 30/11 18h » est déjà passé.",
        "!rdv proposer mardi 10/12 18h, jeudi 10/12 19h": "« mardi 10/12 18h » : le 10 décembre est un jeudi.",
        "!rdv proposer mardi 8/12, jeudi 10/12 18h": "Il manque l'heure du créneau « mardi 8/12 ».",
        "!rdv proposer quand on veut, jeudi 10/12 18h": "Je ne comprends pas le créneau « quand on veut ».",
        "!rdv proposer " + ", ".join(f"{d}/12 18h" for d in range(2, 13)): "C'est trop de créneaux",
        "!rdv proposer": "Donnez de 2 à 10 créneaux",
    }
    for command, reason in cases.items():
        body = one(await circle.say(ANNA, command))
        assert body.startswith(reason), body
        assert "\n\nExemple : `!rdv proposer mardi 8/12 18h, jeudi 10/12 12h30" in body
    assert circle.sent_of_type(POLL_START) == []
    assert one(await circle.say(BRUNO, "!rdv")).startswith("Aucun rendez-vous pour l'instant.")


async def test_bad_answers_are_refused(circle: CircleInMemory) -> None:
    assert one(await circle.say(BRUNO, "!rdv 1 oui")) == (
        "Aucun rendez-vous ne cherche sa date en ce moment."
    )
    await proposed(circle)
    assert one(await circle.say(BRUNO, "!rdv 4 oui")).startswith(
        "Il n'y a pas de créneau 4 : les créneaux vont de 1 à 3.\n\nExemple : `!rdv 1 oui 2 si-besoin 3 non`"
    )
    assert one(await circle.say(BRUNO, "!rdv 1 bof")).startswith("Je ne comprends pas « bof »")
    assert one(await circle.say(BRUNO, "!rdv 1 oui 2")).startswith(
        "Il manque la réponse du créneau 2"
    )
    assert not [c for c in circle.sent_of_type("m.room.message") if "m.new_content" in c]


async def test_a_second_proposal_waits_for_the_first_date(circle: CircleInMemory) -> None:
    await proposed(circle)
    assert one(await circle.say(ANNA, PROPOSAL)).startswith(
        "Le rendez-vous #1 cherche déjà sa date"
    )


async def chosen(circle: CircleInMemory, slot: int = 2) -> str:
    """Proposed, answered, slot ``slot`` chosen; the announcement's body."""
    await proposed(circle)
    await circle.say(BRUNO, "!rdv 2 oui")
    await circle.say(EMMA, "!rdv 2 si-besoin 1 oui")
    await circle.say(HUGO, "!rdv 2 oui")
    await circle.say(CHLOE, "!rdv 2 non")
    return first(await circle.say(ANNA, f"!rdv choisir {slot}"))


async def test_choosing_announces_date_link_agenda_and_an_ics(circle: CircleInMemory) -> None:
    await add_stories(circle, 3)
    await circle.say(ANNA, "!chantier nouveau Agenda partagé")
    await circle.say(ANNA, "!chantier ajouter 1 2")
    await circle.say(BRUNO, "!histoire prendre 1")
    announce = await chosen(circle)
    assert announce.startswith(
        "📅 **Rendez-vous #1 : jeudi 10 décembre à 12:30**, pendant 1 heure, en visio."
    )
    assert "Le lien de la visio suivra (`!rdv lien <adresse>`)." in announce
    assert "Ont dit oui ou si besoin : Bruno Plateau, Emma Belleville, Hugo Partagés." in announce
    assert "- Mini-chantier #1 « Agenda partagé » :" in announce
    assert "(Bruno Plateau, en cours)" in announce
    assert "porteur ou porteuse à trouver" in announce
    assert "- 2 histoires sans porteur : #2 #3" in announce
    assert "📅 Rendez-vous #1 : date fixée, créneau 2, jeudi 10 décembre à 12:30." in status_body(
        circle
    )
    await circle.run_later()
    [(filename, data)] = circle.matrix.uploads
    assert filename == "rendez-vous-1.ics"
    event = Calendar.from_ical(data).walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime(2026, 12, 10, 12, 30, tzinfo=PARIS)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=1)
    assert b"BEGIN:VTIMEZONE" in data and b"TZID:Europe/Paris" in data


async def test_the_announcement_pings_who_said_yes(circle: CircleInMemory) -> None:
    await chosen(circle)
    announce = next(c for c in circle.sent_of_type("m.room.message") if "Ont dit oui" in c["body"])
    assert announce["msgtype"] == "m.text"
    assert sorted(announce["m.mentions"]["user_ids"]) == sorted([BRUNO, EMMA, HUGO])


async def test_a_link_and_a_duration_given_later(circle: CircleInMemory) -> None:
    await proposed(circle)
    await circle.say(HUGO, "!rdv 3 oui")
    body = first(await circle.say(ANNA, "!rdv choisir 3 durée 1h30"))
    assert "pendant 1 h 30" in body
    assert one(await circle.say(ANNA, "!rdv lien pas une adresse")).startswith(
        "« pas une adresse » n'est pas une adresse web."
    )
    bodies = await circle.say(ANNA, "!rdv lien https://meet.jit.si/NotreCercle")
    assert plain(bodies[0]).startswith("🔗 Rendez-vous #1 (lundi 14 décembre")
    assert "https://meet.jit.si/NotreCercle" in bodies[0]
    assert (
        one(await circle.say(BRUNO, "!rdv"))
        == "📅 Prochain rendez-vous : #1, lundi 14 décembre à 18:00."
    )


async def test_choosing_is_refused_without_an_open_poll_or_a_real_slot(
    circle: CircleInMemory,
) -> None:
    assert one(await circle.say(ANNA, "!rdv choisir 2")).startswith(
        "Aucun rendez-vous ne cherche sa date"
    )
    await proposed(circle)
    assert one(await circle.say(ANNA, "!rdv choisir 7")).startswith("Il n'y a pas de créneau 7.")
    assert one(await circle.say(ANNA, "!rdv choisir 2 durée toujours")).startswith(
        "Je ne comprends pas la durée « durée toujours »."
    )
    assert "cherche" not in one(await circle.say(BRUNO, "!rdv"))  # still the status


async def test_reminders_ping_who_comes_skip_who_is_away_and_name_missing_structures(
    circle: CircleInMemory,
) -> None:
    await chosen(circle)
    assert one(await circle.say(EMMA, "!absent jusqu'au 15/12 congés")).startswith(
        "🌴 C'est noté : ni rappel ni mention pour vous jusqu'au mardi 15 décembre inclus."
    )
    circle.now = datetime(2026, 12, 9, 12, 30, tzinfo=PARIS)
    [reminder] = await circle.run_job(step_job, ROOM, 1, "day")
    assert plain(reminder).startswith("⏰ Demain, rendez-vous #1 : jeudi 10 décembre à 12:30.")
    content = circle.matrix.sent[-1]
    assert content["msgtype"] == "m.text"
    assert sorted(content["m.mentions"]["user_ids"]) == sorted([BRUNO, HUGO])
    # Emma is away, Farid did not answer: the Repair Café has nobody yet.
    assert "Structures encore sans personne : **Repair Café**." in plain(reminder)
    # Never twice, even when the job runs again (a restart).
    assert await circle.run_job(step_job, ROOM, 1, "day") == []


async def test_no_reminder_in_a_pause_and_none_too_late(circle: CircleInMemory) -> None:
    await chosen(circle)
    await circle.say(ANNA, "!checkin pause jusqu'au 31/12")
    circle.now = datetime(2026, 12, 10, 11, 30, tzinfo=PARIS)
    assert await circle.run_job(step_job, ROOM, 1, "hour") == []
    circle.now = datetime(2026, 12, 10, 14, 0, tzinfo=PARIS)
    assert await circle.run_job(step_job, ROOM, 1, "day") == []


async def test_jobs_are_rebuilt_at_start_and_a_missed_one_runs_late_once(
    circle: CircleInMemory,
) -> None:
    await chosen(circle)
    circle.now = datetime(2026, 12, 10, 11, 50, tzinfo=PARIS)  # the bot was down at 11:30
    scheduled: list[tuple[str, datetime]] = []
    circle.bot.schedule_at = lambda job_id, when, job, *args: scheduled.append((job_id, when))  # type: ignore[method-assign]
    await rebuild_rendezvous_jobs(circle.bot)
    assert [job_id.split(":")[0] for job_id, _ in scheduled] == ["rdv-day", "rdv-hour", "rdv-start"]
    [late] = await circle.run_job(step_job, ROOM, 1, "hour")
    assert plain(late).startswith("⏰ Le rendez-vous #1 commence dans une heure")
    scheduled.clear()
    await rebuild_rendezvous_jobs(circle.bot)
    assert "rdv-hour" not in [job_id.split(":")[0] for job_id, _ in scheduled]


async def test_attendance_by_command_and_by_reaction_per_structure(circle: CircleInMemory) -> None:
    await chosen(circle)
    assert one(await circle.say(BRUNO, "!rdv present")) == (
        "Le rendez-vous #1 n'a pas encore commencé."
    )
    circle.now = datetime(2026, 12, 10, 12, 30, tzinfo=PARIS)
    [start] = await circle.run_job(step_job, ROOM, 1, "start")
    assert plain(start).startswith("🎬 **Le rendez-vous #1 commence !**")
    start_id = circle.matrix.sent_ids[-1]
    assert await circle.react(HUGO, start_id, "✋") == []
    body = one(await circle.say(BRUNO, "!rdv present"))
    assert body.startswith("✅ Rendez-vous #1 : 2 personnes présentes.")
    assert "Structure absente : **Repair Café**." in body
    assert one(await circle.say(ANNA, "!rdv presents @zoe:ex.org @farid:ex.org")) == (
        "@zoe:ex.org ne fait pas partie de ce cercle."
    )
    body = one(await circle.say(ANNA, f"!rdv presents {FARID} {CHLOE}"))
    assert body.startswith("✅ Rendez-vous #1 : 4 personnes présentes.")
    assert "Jardins 1 · Repair Café 1 · Ressourcerie 2" in body
    assert "Toutes les structures étaient là 🎉" in body
    assert one(await circle.say(ANNA, "!rdv presents")).startswith(
        "Nommez les personnes présentes."
    )


async def test_away_and_back(circle: CircleInMemory) -> None:
    assert (
        one(await circle.say(EMMA, "!absent"))
        == "Aucune absence n'est notée pour vous en ce moment."
    )
    assert one(await circle.say(EMMA, "!absent jusqu'au hier")).startswith(
        "Cette date est déjà passée."
    )
    assert one(await circle.say(EMMA, "!absent jusqu'au bientôt")).startswith(
        "Je ne comprends pas la date"
    )
    await circle.say(EMMA, "!absent jusqu'au 15 janvier congé parental")
    assert one(await circle.say(EMMA, "!absent")) == (
        "Votre absence est notée jusqu'au vendredi 15 janvier 2027 inclus."
    )
    assert one(await circle.say(EMMA, "!absent fin")).startswith("👋 Bon retour !")
    assert one(await circle.say(EMMA, "!absent fin")) == (
        "Aucune absence n'est notée pour vous en ce moment."
    )


async def test_an_english_alias(circle: CircleInMemory) -> None:
    await three_structures(circle)
    [status] = await circle.say(ANNA, "!meeting propose mardi 8/12 18h, jeudi 10/12 12h30")
    assert "Rendez-vous mensuel #1" in plain(status)
    assert "👍" in first(await circle.say(BRUNO, "!meeting 1 yes 2 maybe"))


# ---- away: no ping from the other features either ----
async def test_a_checkin_reminder_skips_who_is_away(circle: CircleInMemory) -> None:
    await three_structures(circle)
    await circle.run_job(open_job, ROOM)
    await circle.say(EMMA, "!absent jusqu'au 31/12")
    circle.now += timedelta(days=5)
    [reminder] = await circle.run_job(remind_job, ROOM, 1)
    pinged = circle.matrix.sent[-1]["m.mentions"]["user_ids"]
    assert BRUNO in pinged and FARID in pinged and EMMA not in pinged
    assert "Emma" not in reminder


async def test_a_chantier_nudge_names_an_away_porteur_without_pinging_her(
    circle: CircleInMemory,
) -> None:
    await add_stories(circle, 2)
    await circle.say(ANNA, "!chantier nouveau Agenda du 3/12 au 20/12")
    await circle.say(ANNA, "!chantier ajouter 1 2")
    await circle.say(EMMA, "!histoire prendre 1")
    await circle.say(CHLOE, "!histoire prendre 2")
    await circle.say(EMMA, "!absent congés")
    circle.now += timedelta(days=17)
    [nudge] = await circle.run_job(nudge_due_sprint, ROOM, 1)
    assert "Emma Belleville" in nudge
    assert circle.matrix.sent[-1]["m.mentions"]["user_ids"] == [CHLOE]


async def test_structures_and_the_recap_show_attendance_per_structure(
    circle: CircleInMemory,
) -> None:
    await chosen(circle)
    circle.now = datetime(2026, 12, 10, 13, 0, tzinfo=PARIS)
    await circle.say(ANNA, f"!rdv presents {BRUNO} {HUGO}")
    listing = one(await circle.say(CHLOE, "!structures"))
    assert "**Jardins** (1) : Hugo Partagés · rendez-vous : 1 sur 1" in listing
    assert (
        "**Repair Café** (2) : Emma Belleville, Farid Belleville · rendez-vous : 0 sur 1" in listing
    )
    assert (
        "au moins une personne par structure, chaque fois (le dernier rendez-vous compté)"
        in listing
    )
    await circle.run_later()
    [png] = [data for name, data in circle.matrix.uploads if name == "rendez-vous-presences.png"]
    assert png.startswith(b"\x89PNG")
    recap = one(await circle.say(CHLOE, "!bilan"))
    assert (
        "📅 Rendez-vous #1 : 2 personnes, structures présentes 2 sur 3. Absentes : Repair Café."
        in recap
    )


# ---- a regular rhythm: the circle's monthly rule ----
def with_rule(circle: CircleInMemory, mode: str, link: str = "") -> None:
    settings = circle.bot.config.circles[ROOM]
    changed = replace(
        settings,
        rendezvous_rule="deuxième mardi 18:00",
        rendezvous_mode=mode,
        rendezvous_days_before=14,
        rendezvous_link=link,
    )
    circle.bot.config = replace(circle.bot.config, circles={ROOM: changed})


async def test_the_rule_proposes_its_date_and_two_alternatives_once(circle: CircleInMemory) -> None:
    await three_structures(circle)
    with_rule(circle, "propose")
    [status] = await circle.run_job(rule_job, ROOM)  # 1 December: 8 December is 7 days ahead
    assert "**1.** mardi 8 décembre à 18:00" in plain(status)
    assert "**2.** mercredi 9 décembre à 18:00" in plain(status)
    assert "**3.** mardi 15 décembre à 18:00" in plain(status)
    assert len(circle.sent_of_type(POLL_START)) == 3
    assert await circle.run_job(rule_job, ROOM) == []  # once per date, also after a restart


async def test_the_rule_announces_its_date_with_the_circle_link(circle: CircleInMemory) -> None:
    with_rule(circle, "announce", link="https://meet.jit.si/{circle}")
    await circle.say(ANNA, "!checkin pause jusqu'au 2/12")
    assert await circle.run_job(rule_job, ROOM) == []  # paused on the day it was due
    await circle.say(ANNA, "!checkin reprendre")
    circle.now = datetime(2026, 12, 30, 9, 0, tzinfo=PARIS)  # 12 January is 13 days ahead
    [announce] = await circle.run_job(rule_job, ROOM)
    assert plain(announce).startswith("📅 **Rendez-vous #1 : mardi 12 janvier 2027 à 18:00**")
    assert "Lien de la visio : https://meet.jit.si/CercleDesPionniers" in plain(announce)
    assert circle.sent_of_type(POLL_START) == []


async def test_without_structures_the_slot_most_people_can_make_is_recommended(
    circle: CircleInMemory,
) -> None:
    await circle.say(ANNA, "!rdv proposer mardi 8/12 18h, jeudi 10/12 12h30")
    await circle.say(BRUNO, "!rdv 2 oui")
    assert "Créneau conseillé : **2** (jeudi 10 décembre à 12:30), celui où le plus de monde" in (
        status_body(circle)
    )


@pytest.fixture
def busy_circle_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return realistic_circle_file(tmp_path_factory.mktemp("busy"))


async def test_ten_slots_and_a_busy_circle_fit_a_phone_screen(
    busy_circle_file: Path, tmp_path: Path
) -> None:
    circle = await copy_of(busy_circle_file, tmp_path)
    try:
        circle.now = datetime(2026, 12, 28, 9, 0, tzinfo=PARIS)
        days = ", ".join(f"{day}/1 18h30" for day in range(4, 14))
        [status] = await circle.say(ANNA, f"!rdv proposer {days}")
        for index, user in enumerate(PIONEERS[:8]):
            await circle.say(user, f"!rdv {1 + index % 10} oui {1 + (index + 3) % 10} si-besoin")
        for shown in (status, status_body(circle)):
            assert len(re.sub(r"[*_`]", "", shown)) <= PHONE_SCREEN, shown
        assert "**1.** lun. 4/1 18:30 — 1 oui, 1 si besoin · 2/4" in status_body(circle)
        assert "Aucun créneau ne réunit toutes les structures." in status_body(circle)
    finally:
        await circle.db.close()


async def test_the_slot_polls_are_withdrawn_once_the_date_is_fixed(circle: CircleInMemory) -> None:
    polls = await proposed(circle)
    await circle.say(HUGO, "!rdv 1 oui")
    await circle.say(ANNA, "!rdv choisir 1")
    withdrawn = [c["redacts"] for c in circle.sent_of_type("m.room.redaction")]
    assert sorted(withdrawn) == sorted(polls)
    await circle.answer_poll(BRUNO, polls[1], "yes")  # too late: ignored
    assert one(await circle.say(BRUNO, "!rdv")).startswith("📅 Prochain rendez-vous : #1")


# ---- people's data ----
async def test_a_deleted_answer_is_withdrawn_and_her_data_is_hers(circle: CircleInMemory) -> None:
    await proposed(circle)
    await circle.say(HUGO, "!rdv 2 oui")
    answer_id = circle.last_event_id
    assert "— 1 oui, 0 si besoin · Jardins" in status_body(circle)
    await redact(circle, HUGO, answer_id)
    assert "**2.** jeudi 10 décembre à 12:30 — 0 oui" in status_body(circle)
    await circle.say(HUGO, "!rdv 1 si-besoin")
    await circle.say(HUGO, "!absent jusqu'au 20/12 formation")
    rows = await export_rendezvous(circle.db, HUGO)
    assert {"circle": ROOM, "rendezvous": 1, "slot": 1, "answer": "if_needed"} in [
        {k: r[k] for k in ("circle", "rendezvous", "slot", "answer")} for r in rows if "slot" in r
    ]
    assert {"circle": ROOM, "away_until": "2026-12-20", "reason": "formation"} in rows
    async with circle.bot.job(ROOM) as ctx:
        await forget_rendezvous(ctx, Forgetting(HUGO, {ROOM: "Jardins"}, "ab12"))
    assert await export_rendezvous(circle.db, HUGO) == []


async def test_a_structure_whose_members_are_all_away_is_named_not_called_covered(
    circle: CircleInMemory,
) -> None:
    await proposed(circle)
    await circle.say(BRUNO, "!rdv 1 oui")
    await circle.say(HUGO, "!rdv 1 oui")
    await circle.say(EMMA, "!absent jusqu'au 31/12")
    await circle.say(FARID, "!absent jusqu'au 31/12 congés")
    body = plain(one(await circle.say(CHLOE, "!rdv")))
    assert "Créneau conseillé : **1**" in body  # Ressourcerie and Jardins: all expected
    assert "Tous les membres de **Repair Café** sont absents" in body


async def test_the_answer_example_reads_in_element_without_escapes(circle: CircleInMemory) -> None:
    await proposed(circle)
    status = next(
        c for c in circle.sent_of_type("m.room.message") if "Rendez-vous mensuel #1" in c["body"]
    )
    # What Element shows: the formatted body's code span, as typed, no « si\-besoin ».
    assert "<code>!rdv 1 oui 2 si-besoin 3 non</code>" in status["formatted_body"]
    refused = await circle.say(BRUNO, "!rdv 1 peut-être")
    assert "\\" not in circle.matrix.sent[-1]["formatted_body"], refused


async def test_who_is_away_is_judged_on_each_slots_day_not_today(circle: CircleInMemory) -> None:
    await proposed(circle)  # today is 1/12; slots 8/12, 10/12 and 14/12
    # The Repair Café is away until the 9th: not expected on the 8th, expected on the 10th.
    await circle.say(EMMA, "!absent jusqu'au 9/12")
    await circle.say(FARID, "!absent jusqu'au 9/12 congés")
    await circle.say(BRUNO, "!rdv 1 oui 2 oui")
    await circle.say(HUGO, "!rdv 1 oui 2 oui")
    await circle.say(EMMA, "!rdv 2 oui")  # away today, back on the 10th: her answer counts
    body = plain(one(await circle.say(CHLOE, "!rdv")))
    assert "**2.** jeudi 10 décembre à 12:30 — 3 oui" in body, body
    assert "Créneau conseillé : **2**" in body, body
    assert "sont absents" not in body  # the Repair Café can come on the 10th
    # Away on every slot's day: named apart, as before.
    await circle.say(EMMA, "!absent jusqu'au 31/12")
    await circle.say(FARID, "!absent jusqu'au 31/12")
    body = plain(one(await circle.say(CHLOE, "!rdv")))
    assert "Tous les membres de **Repair Café** sont absents" in body, body
