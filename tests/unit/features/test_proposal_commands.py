"""``!proposition``: proposals decided by consent — answers by text and by poll, reasons in a
thread, amendments and rounds, the close and the deadline, the register ``!décisions``."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.config import CircleSettings
from bot.domain.paging import PHONE_SCREEN
from bot.features.proposals.closing import close_due_proposal, close_overdue, rebuild_close_jobs
from tests.unit.circle_in_memory import PIONEERS, ROOM, CircleInMemory, plain_length
from tests.unit.features.helpers import ANNA, BRUNO, CHLOE, EMMA, one, plain, story_text

POLL_START = "org.matrix.msc3381.poll.start"
REDACTION = "m.room.redaction"
TEXT = "Adhérer au réseau des ressourceries pour partager nos outils"


async def with_structures(circle: CircleInMemory) -> None:
    """Bruno (and Chloé) for the Ressourcerie, Emma for the Repair Café."""
    await circle.say(BRUNO, "!structure Ressourcerie")
    await circle.say(CHLOE, "!structure Ressourcerie")
    await circle.say(EMMA, "!structure Repair Café")


async def propose(circle: CircleInMemory, text: str = TEXT, author: str = BRUNO) -> list[str]:
    return [plain(b) for b in await circle.say(author, f"!proposition {text}")]


def last_poll(circle: CircleInMemory) -> str:
    return circle.event_id_of(circle.sent_of_type(POLL_START)[-1])


def poll_answers(circle: CircleInMemory) -> list[str]:
    poll = circle.sent_of_type(POLL_START)[-1]["org.matrix.msc3381.poll.start"]
    return [answer["id"] for answer in poll["answers"]]


async def status_of(circle: CircleInMemory, number: int = 1) -> str:
    return one(await circle.say(CHLOE, f"!proposition {number}"))


def close_job(circle: CircleInMemory, number: int) -> Any:
    """The deadline job of proposal ``number`` (the scheduler is not started in these tests)."""
    return circle.bot.clockwork.scheduler.get_job(f"proposal-close:{number}:{ROOM}")


def allow_blocks(circle: CircleInMemory) -> None:
    settings = CircleSettings(facilitators=(ANNA,), proposal_blocking=True)
    circle.bot.config = replace(circle.bot.config, circles={ROOM: settings})


# ---- opening ----
async def test_a_proposal_posts_its_text_a_poll_and_a_status(circle: CircleInMemory) -> None:
    await with_structures(circle)
    opened, status = await propose(circle)
    assert opened.startswith("⚖️ **Proposition #1**, proposée par Bruno Plateau")
    assert f"> {TEXT}" in opened and "`!proposition 1 objection <votre raison>`" in opened
    assert "personne n'a encore répondu" in status
    assert "Structures qui n'ont pas encore répondu : Repair Café, Ressourcerie" in status
    assert poll_answers(circle) == ["accord", "abstention", "objection"]  # no block by default


async def test_the_english_alias_opens_a_proposal_too(circle: CircleInMemory) -> None:
    opened, _ = [plain(b) for b in await circle.say(EMMA, f"!proposal {TEXT}")]
    assert opened.startswith("⚖️ **Proposition #1**")


async def test_the_default_deadline_comes_from_the_circle(circle: CircleInMemory) -> None:
    await propose(circle)
    assert "Clôture : dimanche 6 décembre à 09:00" in await status_of(circle)  # 5 days
    job = close_job(circle, 1)
    assert job is not None and job.trigger.run_date == circle.now + timedelta(days=5)


async def test_a_deadline_typed_after_the_text_is_kept_apart(circle: CircleInMemory) -> None:
    opened, _ = await propose(circle, f"{TEXT} jusqu'au 10/12")
    assert "Réponses jusqu'au **jeudi 10 décembre à 23:59**" in opened
    assert f"> {TEXT}\n" in opened


async def test_jusqu_au_without_a_date_is_part_of_the_text(circle: CircleInMemory) -> None:
    opened, _ = await propose(circle, "Tenir la permanence jusqu'au bout de l'année")
    assert "> Tenir la permanence jusqu'au bout de l'année" in opened


async def test_an_impossible_date_is_refused_and_nothing_is_saved(circle: CircleInMemory) -> None:
    refused = one(await circle.say(BRUNO, f"!proposition {TEXT} jusqu'au 35/12"))
    assert refused.startswith("« 35/12 » n'est pas une date")
    assert "`!proposition Adhérer au réseau des ressourceries jusqu'au 15/12`" in refused
    assert one(await circle.say(BRUNO, "!proposition")).startswith("Aucune proposition en cours.")
    assert circle.sent_of_type(POLL_START) == []


async def test_a_past_date_is_refused(circle: CircleInMemory) -> None:
    refused = one(await circle.say(BRUNO, f"!proposition {TEXT} jusqu'au 1/11/2026"))
    assert refused.startswith("Cette date est déjà passée")


async def test_a_text_too_long_is_refused(circle: CircleInMemory) -> None:
    refused = one(await circle.say(BRUNO, "!proposition " + "très long " * 80))
    assert refused.startswith("Une proposition tient en 300 caractères au plus (celle-ci en a")


async def test_a_proposal_citing_stories_links_them(circle: CircleInMemory) -> None:
    await circle.say(BRUNO, f"!histoire {story_text()}")
    opened, _ = await propose(circle, "Adopter le planning partagé de #1 et de #9 #planning")
    assert "Histoires citées : #1\n" in opened or opened.endswith("Histoires citées : #1")


async def test_the_open_proposals_are_listed(circle: CircleInMemory) -> None:
    await propose(circle)
    await propose(circle, "Tenir un stand commun à la fête du quartier", author=EMMA)
    listed = one(await circle.say(CHLOE, "!proposition"))
    assert listed.startswith("⚖️ **2 propositions en cours**")
    assert "- **#2** Tenir un stand commun à la fête du quartier (tour 1)" in listed


# ---- answering by text ----
async def test_an_answer_is_acknowledged_and_counted_in_the_status(circle: CircleInMemory) -> None:
    await with_structures(circle)
    await propose(circle)
    ack, edit = [plain(b) for b in await circle.say(EMMA, "!proposition 1 d'accord")]
    assert ack.startswith("✅ Noté : vous êtes d'accord avec la proposition #1.")
    assert "**1 réponse** : 1 d'accord" in edit
    assert "pas encore répondu : Ressourcerie" in edit


async def test_an_objection_shows_with_its_reason_and_author(circle: CircleInMemory) -> None:
    await propose(circle)
    await circle.say(EMMA, "!proposition 1 objection le budget n'est pas encore voté")
    status = await status_of(circle)
    assert "**Objection à entendre** :\n- Emma Belleville (objection) : le budget" in status


async def test_an_objection_without_a_reason_is_refused_and_not_counted(
    circle: CircleInMemory,
) -> None:
    await propose(circle)
    refused = one(await circle.say(EMMA, "!proposition 1 objection"))
    assert refused.startswith("Une objection ou un blocage dit toujours sa raison")
    assert "`!proposition 1 objection le budget n'est pas encore voté`" in refused
    assert "personne n'a encore répondu" in await status_of(circle)


async def test_a_block_is_refused_where_the_circle_does_not_allow_it(
    circle: CircleInMemory,
) -> None:
    await propose(circle)
    refused = one(await circle.say(EMMA, "!proposition 1 blocage contraire à nos statuts"))
    assert refused.startswith("Ce cercle n'utilise pas le blocage")
    assert "personne n'a encore répondu" in await status_of(circle)


async def test_an_unknown_answer_word_is_named(circle: CircleInMemory) -> None:
    await propose(circle)
    refused = one(await circle.say(EMMA, "!proposition 1 peut-être"))
    assert refused.startswith("Je ne comprends pas « peut-être » : répondez d'accord")


async def test_a_new_answer_replaces_the_old(circle: CircleInMemory) -> None:
    await propose(circle)
    await circle.say(EMMA, "!proposition 1 objection trop tôt pour nous")
    await circle.say(EMMA, "!proposition 1 abstention")
    status = await status_of(circle)
    assert "**1 réponse** : 1 abstention" in status and "Objection" not in status


async def test_an_answer_to_an_unknown_proposal_is_refused(circle: CircleInMemory) -> None:
    assert one(await circle.say(EMMA, "!proposition 4 d'accord")).startswith(
        "Il n'y a pas de proposition #4."
    )


# ---- answering in the poll ----
async def test_an_agreement_in_the_poll_counts(circle: CircleInMemory) -> None:
    await propose(circle)
    await circle.answer_poll(EMMA, last_poll(circle), "accord")
    assert "**1 réponse** : 1 d'accord" in await status_of(circle)


async def test_an_objection_in_the_poll_waits_for_its_reason_in_a_thread(
    circle: CircleInMemory,
) -> None:
    await with_structures(circle)
    await propose(circle)
    await circle.say(EMMA, "!proposition 1 d'accord")
    before = len(circle.matrix.sent)
    await circle.answer_poll(EMMA, last_poll(circle), "objection")
    ask, edit = circle.messages_since(before)
    assert ask["msgtype"] == "m.text" and ask["m.mentions"] == {"user_ids": [EMMA]}
    assert "Tant qu'elle n'est pas donnée, votre objection n'est pas comptée" in plain(ask["body"])
    assert "En attente de sa raison, donc pas encore comptée : Emma Belleville." in plain(
        edit["body"]
    )
    assert "personne n'a encore répondu" in plain(edit["body"])  # her « d'accord » is replaced
    thanks, counted = await circle.say(EMMA, "pas avant l'AG", thread_root=circle.event_id_of(ask))
    assert plain(thanks).startswith("Merci : votre objection à la proposition #1 est comptée")
    assert "- Emma Belleville (objection) : pas avant l'AG" in plain(counted)


async def test_a_reason_too_short_in_the_thread_is_refused(circle: CircleInMemory) -> None:
    await propose(circle)
    before = len(circle.matrix.sent)
    await circle.answer_poll(EMMA, last_poll(circle), "objection")
    ask = circle.messages_since(before)[0]
    refused = one(await circle.say(EMMA, "?", thread_root=circle.event_id_of(ask)))
    assert refused.startswith("Une objection ou un blocage dit toujours sa raison")


async def test_a_reply_in_the_thread_with_nothing_waiting_is_explained(
    circle: CircleInMemory,
) -> None:
    await propose(circle)
    before = len(circle.matrix.sent)
    await circle.answer_poll(EMMA, last_poll(circle), "objection")
    ask = circle.messages_since(before)[0]
    await circle.answer_poll(EMMA, last_poll(circle), "accord")
    note = one(await circle.say(EMMA, "finalement ça va", thread_root=circle.event_id_of(ask)))
    assert note.startswith("Votre réponse actuelle à la proposition #1 n'attend pas de raison.")


async def test_blocks_are_offered_where_the_circle_allows_them(circle: CircleInMemory) -> None:
    allow_blocks(circle)
    opened, _ = await propose(circle)
    assert "`!proposition 1 blocage <votre raison>`" in opened
    assert poll_answers(circle) == ["accord", "abstention", "objection", "blocage"]
    await circle.say(EMMA, "!proposition 1 blocage contraire à nos statuts")
    results = plain((await circle.say(BRUNO, "!proposition clore 1"))[0])
    assert results.startswith("🏁 **Proposition #1 : bloquée**")
    assert "- Emma Belleville (blocage) : contraire à nos statuts" in results


# ---- amending ----
async def test_someone_else_cannot_amend_and_is_told_kindly(circle: CircleInMemory) -> None:
    await propose(circle)
    refused = one(await circle.say(EMMA, "!proposition modifier 1 Adhérer en 2027"))
    assert refused.startswith("Merci de vouloir l'améliorer ! Seule la personne")
    assert "(Bruno Plateau)" in refused
    assert "tour 1" in await status_of(circle)


async def test_an_amendment_opens_a_new_round(circle: CircleInMemory) -> None:
    await with_structures(circle)
    await propose(circle)
    await circle.say(EMMA, "!proposition 1 objection pas de budget cette année")
    first_poll = last_poll(circle)
    before = len(circle.matrix.sent)
    bodies = [plain(b) for b in await circle.say(BRUNO, "!proposition modifier 1 Adhérer en 2027")]
    history, amended, status = bodies
    assert history.startswith("* ⚖️ Proposition #1 · tour 1 terminé — le texte a changé (tour 2)")
    assert "- Emma Belleville (objection) : pas de budget cette année" in history
    assert amended.startswith("✏️ **Proposition #1 modifiée : tour 2**")
    assert "tour 2 — **personne n'a encore répondu**" in status
    redacted = circle.sent_of_type(REDACTION)
    assert [r["redacts"] for r in redacted] == [first_poll]
    assert len(circle.matrix.sent) - before == 5  # edit, redaction, text, new poll, status
    shown = await status_of(circle)
    assert (
        "_Tour 1_ : 1 réponse (1 objection), qui ne compte plus.\n"
        "- Emma Belleville (objection) : pas de budget cette année"
    ) in shown


async def test_an_answer_to_the_replaced_poll_is_not_counted(circle: CircleInMemory) -> None:
    await propose(circle)
    first_poll = last_poll(circle)
    await circle.say(BRUNO, "!proposition modifier 1 Adhérer en 2027")
    await circle.answer_poll(EMMA, first_poll, "accord")
    assert "personne n'a encore répondu" in await status_of(circle)


async def test_a_facilitator_may_amend(circle: CircleInMemory) -> None:
    await propose(circle)
    bodies = await circle.say(ANNA, "!proposition amend 1 Adhérer en 2027")
    assert any("modifiée : tour 2" in plain(b) for b in bodies)


async def test_an_amendment_without_text_gets_the_form(circle: CircleInMemory) -> None:
    await propose(circle)
    refused = one(await circle.say(BRUNO, "!proposition modifier 1"))
    assert refused.startswith("Donnez le numéro de la proposition, puis son nouveau texte.")


async def test_the_same_text_again_is_no_amendment(circle: CircleInMemory) -> None:
    await propose(circle)
    refused = one(await circle.say(BRUNO, f"!proposition modifier 1 {TEXT}"))
    assert refused.startswith("C'est déjà le texte de la proposition #1")


# ---- closing ----
async def test_closing_adopts_with_the_quorum_and_withdraws_the_poll(
    circle: CircleInMemory,
) -> None:
    await with_structures(circle)
    await propose(circle)
    await circle.say(BRUNO, "!proposition 1 d'accord")
    await circle.say(EMMA, "!proposition 1 abstention")
    results, closed = (plain(b) for b in await circle.say(BRUNO, "!proposition clore 1"))
    assert results.startswith("🏁 **Proposition #1 : adoptée**")
    assert "Tour 1 : 2 réponses (1 d'accord · 1 abstention)." in results
    assert "Elle entre au registre des décisions : `!décisions`." in results
    assert "Le sondage est retiré" in results
    assert closed == "* ⚖️ Proposition #1 close : **adoptée**. Le résultat est ci-dessous."
    assert len(circle.sent_of_type(REDACTION)) == 1


async def test_closing_without_the_quorum_names_the_structures_missing(
    circle: CircleInMemory,
) -> None:
    await with_structures(circle)
    await propose(circle)
    await circle.say(BRUNO, "!proposition 1 d'accord")
    results = plain((await circle.say(ANNA, "!proposition clore 1"))[0])
    assert results.startswith("🏁 **Proposition #1 : non adoptée, faute de quorum**")
    assert "aucune réponse de Repair Café" in results


async def test_an_objection_sends_the_proposal_back_to_work(circle: CircleInMemory) -> None:
    await with_structures(circle)
    await propose(circle)
    await circle.say(BRUNO, "!proposition 1 d'accord")
    await circle.say(EMMA, "!proposition 1 objection le budget n'est pas voté")
    results = plain((await circle.say(BRUNO, "!proposition close 1"))[0])
    assert results.startswith("🏁 **Proposition #1 : à retravailler**")
    assert "- Emma Belleville (objection) : le budget n'est pas voté" in results


async def test_someone_else_cannot_close(circle: CircleInMemory) -> None:
    await propose(circle)
    refused = one(await circle.say(EMMA, "!proposition clore 1"))
    assert refused.startswith("Merci de suivre la proposition #1 ! Seule la personne")
    assert "tour 1" in await status_of(circle)


async def test_closing_twice_is_refused(circle: CircleInMemory) -> None:
    await propose(circle)
    await circle.say(BRUNO, "!proposition clore 1")
    refused = one(await circle.say(BRUNO, "!proposition clore 1"))
    assert refused == "La proposition #1 est déjà close (non adoptée, faute de quorum)."


async def test_closing_an_unknown_number_is_refused(circle: CircleInMemory) -> None:
    assert one(await circle.say(ANNA, "!proposition clore 7")).startswith(
        "Il n'y a pas de proposition #7."
    )
    assert one(await circle.say(ANNA, "!proposition clore")).startswith(
        "Donnez le numéro de la proposition à clore."
    )
    assert one(await circle.say(ANNA, "!proposition clore sept")).startswith(
        "« sept » n'est pas un numéro de proposition."
    )


async def test_an_answer_after_the_close_is_refused(circle: CircleInMemory) -> None:
    await propose(circle)
    poll = last_poll(circle)
    await circle.say(BRUNO, "!proposition clore 1")
    refused = one(await circle.say(EMMA, "!proposition 1 d'accord"))
    assert refused.startswith("La proposition #1 est close (non adoptée, faute de quorum)")
    await circle.answer_poll(EMMA, poll, "accord")
    assert "aucune réponse" in await status_of(circle)


async def test_amending_a_closed_proposal_is_refused(circle: CircleInMemory) -> None:
    await propose(circle)
    await circle.say(BRUNO, "!proposition clore 1")
    refused = one(await circle.say(BRUNO, "!proposition modifier 1 Adhérer en 2027"))
    assert refused.startswith("La proposition #1 est close")


async def test_the_deadline_job_closes_once(circle: CircleInMemory) -> None:
    await propose(circle)
    await circle.say(EMMA, "!proposition 1 d'accord")
    assert await circle.run_job(close_due_proposal, ROOM, 1) == []  # not due yet
    circle.now += timedelta(days=5)
    posted = await circle.run_job(close_due_proposal, ROOM, 1)
    assert plain(posted[0]).startswith("🏁 **Proposition #1 : adoptée**")  # no structures
    assert await circle.run_job(close_due_proposal, ROOM, 1) == []


async def test_the_deadline_jobs_are_rebuilt_at_start(circle: CircleInMemory) -> None:
    await propose(circle)
    await propose(circle, "Tenir un stand commun")
    await propose(circle, "Changer de local", author=EMMA)
    await circle.say(BRUNO, "!proposition clore 2")
    await circle.say(EMMA, "!proposition modifier 3 Changer de local jusqu'au 2/12")
    for number in (1, 3):  # the bot stops: its jobs are gone (a scheduler not started in
        while close_job(circle, number) is not None:  # tests keeps a replaced job twice)
            circle.bot.cancel(f"proposal-close:{number}:{ROOM}")
    circle.now += timedelta(days=2)  # the bot was down when #3's deadline passed
    await rebuild_close_jobs(circle.bot)
    assert close_job(circle, 1) is not None
    assert close_job(circle, 2) is None
    assert close_job(circle, 3) is None  # after the first sync: the answers sent meanwhile count
    await close_overdue(circle.bot)
    assert close_job(circle, 3) is not None


# ---- the register ----
async def test_the_register_lists_adopted_proposals(circle: CircleInMemory) -> None:
    assert one(await circle.say(EMMA, "!décisions")).startswith(
        "Le registre des décisions est vide pour l'instant"
    )
    await circle.say(BRUNO, f"!histoire {story_text()}")
    await propose(circle, "Adopter le planning partagé de #1")
    await circle.say(EMMA, "!proposition 1 d'accord")
    await circle.say(BRUNO, "!proposition clore 1")
    await propose(circle, "Tenir un stand commun")
    await circle.say(EMMA, "!proposition 2 objection pas assez de bénévoles")
    await circle.say(BRUNO, "!proposition clore 2")
    register = one(await circle.say(EMMA, "!decisions"))
    assert register.startswith("📜 **Registre des décisions** — 1 décision adoptée :")
    assert "- 1ᵉʳ décembre · **#1** Adopter le planning partagé de #1" in register
    assert "#2" not in register
    assert "📜 **Décisions** : proposition #1, adoptée le 1ᵉʳ décembre" in one(
        await circle.say(EMMA, "!histoire 1")
    )


async def test_the_register_is_also_a_sub_command(circle: CircleInMemory) -> None:
    assert one(await circle.say(EMMA, "!proposition décisions")).startswith(
        "Le registre des décisions est vide"
    )


async def adopt_one(circle: CircleInMemory) -> None:
    await circle.say(BRUNO, f"!histoire {story_text()}")
    await propose(circle, "Adopter le planning partagé de #1")
    await circle.say(EMMA, "!proposition 1 d'accord")
    await circle.say(BRUNO, "!proposition clore 1")


async def test_the_monthly_recap_names_the_month_s_decisions(circle: CircleInMemory) -> None:
    await adopt_one(circle)
    recap = one(await circle.say(EMMA, "!bilan"))
    assert "⚖️ Décision adoptée par consentement : **#1** Adopter le planning partagé de #1" in recap
    circle.now += timedelta(days=31)
    assert "consentement" not in one(await circle.say(EMMA, "!bilan"))


async def test_the_wiki_export_has_the_register(circle: CircleInMemory) -> None:
    await adopt_one(circle)
    await circle.say(ANNA, "!bilan export")
    await circle.run_later()
    [(_, data)] = circle.matrix.uploads
    page = data.decode("utf-8")
    assert "## Registre des décisions (1)" in page
    assert (
        "- **#1** (adoptée le 1ᵉʳ décembre 2026) Adopter le planning partagé de #1"
        " — _proposée par Bruno Plateau_ (histoires #1)"
    ) in page


async def test_a_proposal_may_start_with_a_number(circle: CircleInMemory) -> None:
    opened, _ = await propose(circle, "2 réunions par mois au lieu d'une")
    assert "> 2 réunions par mois au lieu d'une" in opened
    assert one(await circle.say(EMMA, "!proposition 2 d'accord")).startswith(
        "Il n'y a pas de proposition #2."
    )


async def test_every_message_fits_a_phone_with_long_texts_and_many_objections(
    circle: CircleInMemory,
) -> None:
    allow_blocks(circle)
    await with_structures(circle)
    longest = ("Adhérer au réseau des ressourceries et partager nos outils " * 6)[:300]
    before = len(circle.matrix.sent)
    await circle.say(ANNA, f"!proposition {longest.strip()} jusqu'au mercredi 30 décembre 18h")
    for user in PIONEERS[:9]:
        await circle.say(user, f"!proposition 1 objection {'une raison longue ' * 27}")
    await circle.say(BRUNO, "!proposition 1 blocage contraire aux statuts de la Ressourcerie")
    await circle.say(ANNA, f"!proposition modifier 1 {longest[:290]} en 2027")
    for user in PIONEERS[:9]:
        await circle.say(user, f"!proposition 1 objection {'encore une raison ' * 27}")
    await circle.say(EMMA, "!proposition 1")
    await circle.say(ANNA, "!proposition clore 1")
    sent = circle.messages_since(before)
    assert max(plain_length(content) for content in sent) <= PHONE_SCREEN, max(
        sent, key=plain_length
    )["body"]
    assert any("à lire dans la conversation" in content["body"] for content in sent)


async def test_a_reason_given_after_an_amendment_is_too_late(circle: CircleInMemory) -> None:
    await propose(circle)
    before = len(circle.matrix.sent)
    await circle.answer_poll(EMMA, last_poll(circle), "objection")
    ask = circle.messages_since(before)[0]
    await circle.say(BRUNO, "!proposition modifier 1 Adhérer en 2027")
    late = one(await circle.say(EMMA, "pas de budget", thread_root=circle.event_id_of(ask)))
    assert late.startswith("La proposition #1 est close ou a changé de tour")
    assert "personne n'a encore répondu" in await status_of(circle)


async def test_an_english_circle_decides_in_english(circle: CircleInMemory) -> None:
    settings = CircleSettings(language="en", facilitators=(ANNA,))
    circle.bot.config = replace(circle.bot.config, circles={ROOM: settings})
    opened, status = [plain(b) for b in await circle.say(BRUNO, f"!proposal {TEXT}")]
    assert opened.startswith("⚖️ **Proposal #1** by Bruno Plateau, to decide by consent.")
    assert "nobody has answered yet" in status
    refused = one(await circle.say(EMMA, "!proposal 1 objection"))
    assert refused.startswith("An objection or a block always gives its reason")
    await circle.say(EMMA, "!proposal 1 agree")
    results = plain((await circle.say(BRUNO, "!proposal close 1"))[0])
    assert results.startswith("🏁 **Proposal #1: adopted**")
    assert "Register of decisions" in one(await circle.say(EMMA, "!decisions"))


async def test_a_busy_month_names_three_decisions_and_numbers_the_others(
    circle: CircleInMemory,
) -> None:
    for number in range(1, 6):
        await propose(circle, f"Décision numéro {number} du cercle")
        await circle.say(EMMA, f"!proposition {number} d'accord")
        await circle.say(BRUNO, f"!proposition clore {number}")
    recap = one(await circle.say(EMMA, "!bilan"))
    assert "⚖️ 5 décisions adoptées par consentement : **#1** Décision numéro 1" in recap
    assert "**#3** Décision numéro 3 du cercle ; et #4 #5" in recap
