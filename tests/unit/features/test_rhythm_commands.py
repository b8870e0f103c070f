"""``!frein``, ``!structure``, ``!checkin``, ``!chantier``, ``!bilan``, ``!aide`` in process,
with the check-in, chantier and recap jobs run on the fake clock."""

from __future__ import annotations

from datetime import timedelta

from bot.features.checkins.jobs import open_job
from bot.features.checkins.lifecycle import close_job, remind_job
from bot.features.recaps import recap_job
from bot.features.sprints.lifecycle import close_due_sprint, nudge_due_sprint, start_due_sprint
from tests.unit.circle_in_memory import ROOM, CircleInMemory
from tests.unit.features.helpers import ANNA, BRUNO, CHLOE, add_stories, one, plain


# ---- !frein ----
async def test_a_blocker_is_noted_then_listed(circle: CircleInMemory) -> None:
    assert one(await circle.say(BRUNO, "!frein Je ne retrouve jamais le compte rendu")).startswith(
        "📝 Frein **#1** noté."
    )
    assert one(await circle.say(CHLOE, "!freins")).startswith("**1 frein** à reformuler :")


async def test_an_empty_blocker_is_refused(circle: CircleInMemory) -> None:
    assert one(await circle.say(BRUNO, "!frein")).startswith("Écrivez le frein après la commande")
    assert one(await circle.say(BRUNO, "!frein liste")).startswith("Aucun frein en attente.")


async def test_a_blocker_becomes_a_story(circle: CircleInMemory) -> None:
    await circle.say(BRUNO, "!frein Je ne retrouve jamais le compte rendu")
    text = "En tant que bénévole, je souhaite retrouver le compte rendu afin que je sache"
    body = one(await circle.say(BRUNO, f"!frein 1 {text}"))
    assert body.startswith("🔁 Le frein **#1** devient l'histoire **#1**.")
    assert one(await circle.say(BRUNO, "!frein 9 " + text)).startswith(
        "Je ne trouve pas de frein #9"
    )


# ---- !structure ----
async def test_a_pioneer_declares_their_structure(circle: CircleInMemory) -> None:
    assert one(await circle.say(BRUNO, "!structure Ressourcerie du Plateau")) == (
        "👍 C'est noté : Bruno Plateau fait partie de la structure « Ressourcerie du Plateau »."
    )
    assert "**Ressourcerie du Plateau** (1) : Bruno Plateau" in one(
        await circle.say(CHLOE, "!structures")
    )


async def test_a_pioneer_may_not_declare_someone_elses_structure(circle: CircleInMemory) -> None:
    assert one(await circle.say(BRUNO, f"!structure {CHLOE} Repair Café")).startswith(
        "Seul·e un·e animateur·rice peut indiquer"
    )
    assert "Repair Café" not in one(await circle.say(CHLOE, "!structure liste"))


async def test_a_structure_without_name_is_refused(circle: CircleInMemory) -> None:
    assert one(await circle.say(BRUNO, "!structure")).startswith(
        "Donnez le nom de votre structure."
    )


# ---- !checkin and its jobs ----
async def test_a_launched_checkin_collects_answers_and_closes_with_a_recap(
    circle: CircleInMemory,
) -> None:
    [opened] = await circle.say_contents(ANNA, "!checkin lancer")
    assert plain(opened["body"]).startswith("☀️ **Check-in mensuel #1**")
    root = circle.event_id_of(opened)
    assert await circle.say(BRUNO, "1. Ensoleillé 2. Un agenda", root) == []
    assert "1 réponse pour l'instant" in one(await circle.say(CHLOE, "!checkin"))
    recap = one(await circle.say(ANNA, "!checkin clore"))
    assert recap.startswith("📋 **Bilan du check-in #1** — 1 personne a répondu")


async def test_checkin_commands_refuse_when_none_is_open(circle: CircleInMemory) -> None:
    assert one(await circle.say(ANNA, "!checkin clore")).startswith(
        "Aucun check-in n'est en cours."
    )
    assert one(await circle.say(ANNA, "!checkin relancer")).startswith(
        "Aucun check-in n'est en cours."
    )
    await circle.say(ANNA, "!checkin lancer")
    assert one(await circle.say(ANNA, "!checkin lancer")) == "Le check-in #1 est déjà en cours."


async def test_the_reminder_pings_who_has_not_answered_and_a_reply_to_it_is_an_answer(
    circle: CircleInMemory,
) -> None:
    await circle.say(ANNA, "!checkin lancer")
    [reminder] = await circle.say_contents(ANNA, "!checkin relancer")
    assert plain(reminder["body"]).startswith("⏰ Petit rappel du check-in #1 :")
    await circle.say(BRUNO, "Tout va bien", reply_to=circle.event_id_of(reminder))
    assert "1 réponse pour l'instant" in one(await circle.say(CHLOE, "!checkin"))


async def test_an_edited_answer_replaces_the_answer(circle: CircleInMemory) -> None:
    [opened] = await circle.say_contents(ANNA, "!checkin lancer")
    root = circle.event_id_of(opened)
    await circle.say(
        BRUNO, "4. En tant que bénévole, je souhaite un agenda afin que ça aille", root
    )
    answer = circle.last_event_id
    await circle.say(BRUNO, "4. En tant que bénévole, je souhaite un annuaire afin que ça aille",
                     root, edits=answer)  # fmt: skip
    recap = one(await circle.say(ANNA, "!checkin clore"))
    assert "annuaire" in recap and "agenda" not in recap


async def test_a_new_rhythm_is_planned_and_a_bad_one_refused(circle: CircleInMemory) -> None:
    assert one(await circle.say(ANNA, "!checkin planifier deuxième mardi 18:30")).startswith(
        "📅 Nouveau rythme : « deuxième mardi 18:30 »."
    )
    assert one(await circle.say(ANNA, "!checkin planifier premier lundi")).startswith(
        "Il manque l'heure"
    )


async def test_a_pause_stops_the_checkin_job_until_resumed(circle: CircleInMemory) -> None:
    assert one(await circle.say(ANNA, "!checkin pause")).startswith("⏸️ Rythme du cercle en pause")
    assert await circle.run_job(open_job, ROOM) == []
    assert one(await circle.say(ANNA, "!checkin reprendre")).startswith("▶️ C'est reparti !")
    assert one(await circle.say(ANNA, "!checkin reprendre")) == "Le rythme n'est pas en pause."
    [opened] = await circle.run_job(open_job, ROOM)
    assert plain(opened).startswith("☀️ **Check-in mensuel #1**")


async def test_the_checkin_jobs_open_remind_and_close(circle: CircleInMemory) -> None:
    [opened] = await circle.run_job(open_job, ROOM)
    assert plain(opened).startswith("☀️ **Check-in mensuel #1**")
    circle.now += timedelta(days=5)
    [reminder] = await circle.run_job(remind_job, ROOM, 1)
    assert plain(reminder).startswith("⏰ Petit rappel du check-in #1")
    assert await circle.run_job(remind_job, ROOM, 1) == []  # once
    circle.now += timedelta(days=5)
    [recap] = await circle.run_job(close_job, ROOM, 1)
    assert plain(recap).startswith("📋 **Bilan du check-in #1** — aucune réponse")


# ---- !chantier and its jobs ----
async def test_a_chantier_is_planned_filled_shown_and_closed(circle: CircleInMemory) -> None:
    await add_stories(circle, 3)
    assert one(await circle.say(ANNA, "!chantier nouveau Agenda partagé")).startswith(
        "🛠️ Mini-chantier **#1 « Agenda partagé »** planifié"
    )
    await circle.say(ANNA, "!chantier ajouter 1 2")
    shown = one(await circle.say(BRUNO, "!chantier"))
    assert "#1 « Agenda partagé »" in shown and "**#2**" in shown
    assert "#1 « Agenda partagé »" in one(await circle.say(BRUNO, "!chantiers"))
    await circle.say(ANNA, "!chantier retirer 2")
    assert "**#2**" not in one(await circle.say(BRUNO, "!chantier 1"))
    summary, retro = (plain(b) for b in await circle.say(ANNA, "!chantier clore"))
    assert summary.startswith("🏁 **Bilan du mini-chantier #1 « Agenda partagé »**")
    assert retro.startswith("🔁 **Rétrospective du mini-chantier #1")


async def test_chantier_refusals_change_nothing(circle: CircleInMemory) -> None:
    assert one(await circle.say(ANNA, "!chantier nouveau")).startswith(
        "Donnez un nom au mini-chantier."
    )
    assert one(await circle.say(ANNA, "!chantier ajouter 1")).startswith(
        "Il n'y a pas de mini-chantier en cours ni en préparation."
    )
    await circle.say(ANNA, "!chantier nouveau Agenda")
    assert one(await circle.say(ANNA, "!chantier ajouter 9")).startswith(
        "Ces histoires n'existent pas : #9"
    )
    assert one(await circle.say(ANNA, "!chantier ajouter")).startswith(
        "Donnez les numéros des histoires."
    )
    assert one(await circle.say(BRUNO, "!chantier 7")).startswith(
        "Il n'y a pas de mini-chantier #7."
    )


async def test_a_retrospective_answer_is_thanked_and_joins_the_summary(
    circle: CircleInMemory,
) -> None:
    await add_stories(circle, 1)
    await circle.say(ANNA, "!chantier nouveau Agenda")
    await circle.say(ANNA, "!chantier ajouter 1")
    _, retro = await circle.say_contents(ANNA, "!chantier clore")
    await circle.say(BRUNO, "Le planning a bien marché", circle.event_id_of(retro))
    assert circle.sent_of_type("m.reaction")[-1]["m.relates_to"]["key"] == "🙏"
    assert "Le planning a bien marché" in one(await circle.say(CHLOE, "!bilan chantier 1"))


async def test_the_chantier_jobs_announce_nudge_and_close(circle: CircleInMemory) -> None:
    await add_stories(circle, 2)
    await circle.say(ANNA, "!chantier nouveau Agenda du 3/12 au 20/12")
    await circle.say(ANNA, "!chantier ajouter 1 2")
    circle.now += timedelta(days=2)
    [announce] = await circle.run_job(start_due_sprint, ROOM, 1)
    assert plain(announce).startswith("🚀 **Le mini-chantier #1 « Agenda » commence !**")
    circle.now += timedelta(days=15)
    [nudge] = await circle.run_job(nudge_due_sprint, ROOM, 1)
    assert plain(nudge).startswith("⏳ **Plus que")
    circle.now += timedelta(days=2)
    summary, _retro = await circle.run_job(close_due_sprint, ROOM, 1)
    assert plain(summary).startswith("🏁 **Bilan du mini-chantier #1 « Agenda »**")
    assert await circle.run_job(close_due_sprint, ROOM, 1) == []


# ---- !bilan ----
async def test_the_monthly_recap_and_its_job(circle: CircleInMemory) -> None:
    assert one(await circle.say(BRUNO, "!bilan")).startswith("📅 **Bilan du mois : décembre 2026**")
    await add_stories(circle, 2)
    circle.now += timedelta(days=30)
    [posted] = await circle.run_job(recap_job, ROOM)
    assert "**2 nouvelles histoires**" in plain(posted)
    assert await circle.run_job(recap_job, ROOM) == []  # once a month


async def test_a_recap_of_a_bad_chantier_number_is_refused(circle: CircleInMemory) -> None:
    assert one(await circle.say(BRUNO, "!bilan chantier deux")).startswith(
        "« deux » n'est pas un numéro de mini-chantier."
    )
    assert one(await circle.say(BRUNO, "!bilan chantier")).startswith(
        "Il n'y a pas de mini-chantier en cours ni en préparation."
    )


async def test_the_export_is_announced_then_uploaded_after_commit(circle: CircleInMemory) -> None:
    await add_stories(circle, 1)
    await circle.say(BRUNO, "!bilan export")
    await circle.run_later()
    [(name, data)] = circle.matrix.uploads
    assert name == "memoire-cercle-2026-12-01.md" and "besoin numéro 1" in data.decode()


# ---- !aide ----
async def test_help_lists_the_commands_and_details_one(circle: CircleInMemory) -> None:
    listed = one(await circle.say(BRUNO, "!aide"))
    for word in ("histoire", "frein", "vote", "chantier", "checkin", "bilan", "structure"):
        assert f"!{word}" in listed
    assert "`!histoire 12`" in one(await circle.say(BRUNO, "!aide histoire"))
