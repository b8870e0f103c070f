"""Proposals and people's data, in process: a deleted answer or proposal before the close is
withdrawn, after it nothing changes; ``!mesdonnees`` and ``!oublier`` cover proposals."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.matrix.incoming import IncomingPollResponse
from bot.store import proposals as store
from tests.unit.circle_in_memory import ROOM, CircleInMemory
from tests.unit.features.helpers import ANNA, BRUNO, CHLOE, EMMA, one, plain
from tests.unit.features.test_personal_data import in_direct_chat, in_dm, redact
from tests.unit.features.test_proposal_commands import close_job, last_poll, status_of

REDACTION = "m.room.redaction"
TEXT = "Adhérer au réseau des ressourceries"


async def propose(circle: CircleInMemory, event_id: str = "$proposal") -> None:
    await circle.say(BRUNO, f"!proposition {TEXT}", event_id=event_id)


async def poll_answer(circle: CircleInMemory, sender: str, answer: str, event_id: str) -> None:
    response = IncomingPollResponse(
        ROOM, event_id, sender, last_poll(circle), (answer,), circle.server_ts()
    )
    await circle.bot.on_poll_response(response)
    await circle.bot.sender.flush()


# ---- a deleted answer ----
async def test_a_deleted_answer_stops_counting_before_the_close_and_the_status_says_so(
    circle: CircleInMemory,
) -> None:
    await propose(circle)
    await circle.say(EMMA, "!proposition 1 objection le budget n'est pas voté", event_id="$obj")
    await circle.say(CHLOE, "!proposition 1 d'accord")
    [edit] = await redact(circle, EMMA, "$obj")
    assert "**1 réponse** : 1 d'accord" in edit and "1 réponse retirée" in edit
    assert "budget" not in edit
    outcome = plain((await circle.say(BRUNO, "!proposition clore 1"))[0])
    assert outcome.startswith("🏁 **Proposition #1 : adoptée**")


async def test_a_deleted_answer_of_someone_else_s_room_or_after_the_close_changes_nothing(
    circle: CircleInMemory,
) -> None:
    await propose(circle)
    await circle.say(EMMA, "!proposition 1 objection le budget n'est pas voté", event_id="$obj")
    assert await redact(circle, EMMA, "$obj", room="!other:ex.org") == []
    await circle.say(BRUNO, "!proposition clore 1")
    assert await redact(circle, EMMA, "$obj") == []
    assert len(await store.answers(circle.db, ROOM, 1)) == 1
    assert await store.withdrawn_count(circle.db, ROOM, 1, 1) == 0
    assert "à retravailler" in one(await circle.say(CHLOE, "!proposition 1"))


async def test_a_deleted_reason_in_the_thread_leaves_the_objection_waiting(
    circle: CircleInMemory,
) -> None:
    await propose(circle)
    before = len(circle.matrix.sent)
    await poll_answer(circle, EMMA, "objection", "$poll-emma")
    ask = circle.messages_since(before)[0]
    await circle.say(EMMA, "pas avant l'AG", thread_root=circle.event_id_of(ask), event_id="$why")
    [edit] = await redact(circle, EMMA, "$why")
    assert "En attente de sa raison, donc pas encore comptée : Emma Belleville." in edit
    assert "AG" not in edit and "1 réponse retirée" in edit


async def test_a_deleted_poll_objection_takes_its_reason_with_it(circle: CircleInMemory) -> None:
    await propose(circle)
    await circle.say(EMMA, "!proposition 1 d'accord")
    before = len(circle.matrix.sent)
    await poll_answer(circle, EMMA, "objection", "$poll-emma")
    ask = circle.messages_since(before)[0]
    await circle.say(EMMA, "pas avant l'AG", thread_root=circle.event_id_of(ask))
    [edit] = await redact(circle, EMMA, "$poll-emma")
    assert "**1 réponse** : 1 d'accord" in edit  # her earlier answer counts again
    assert "AG" not in edit and "En attente" not in edit
    assert [a.answer.value for a in await store.answers(circle.db, ROOM, 1)] == ["accord"]


# ---- a deleted proposal ----
async def test_a_proposal_deleted_before_the_close_is_withdrawn(circle: CircleInMemory) -> None:
    await propose(circle)
    await circle.say(EMMA, "!proposition 1 d'accord")
    redactions = len(circle.sent_of_type(REDACTION))
    told = await redact(circle, BRUNO, "$proposal")
    assert "🗑️ La proposition #1 est retirée : son message a été supprimé." in told[-1]
    assert any("⚖️ Proposition #1 retirée" in t for t in told)  # the status, edited
    # The poll and the bot's message quoting the text are deleted too.
    assert len(circle.sent_of_type(REDACTION)) == redactions + 2
    assert close_job(circle, 1) is None
    shown = one(await circle.say(CHLOE, "!proposition 1"))
    assert shown.startswith("La proposition #1 a été retirée") and "réseau" not in shown
    late = one(await circle.say(CHLOE, "!proposition 1 d'accord"))
    assert "retirée" in late
    assert one(await circle.say(CHLOE, "!proposition")).startswith("Aucune proposition")
    [round_] = await store.rounds(circle.db, ROOM, 1)
    assert round_.text == ""


async def test_an_adopted_proposal_deleted_stays_in_the_register(circle: CircleInMemory) -> None:
    await propose(circle)
    await circle.say(EMMA, "!proposition 1 d'accord")
    await circle.say(BRUNO, "!proposition clore 1")
    [note] = await redact(circle, BRUNO, "$proposal")
    assert note.startswith("🗂️ La proposition #1 est déjà close (adoptée) : son texte reste")
    assert "`!oublier`" in note
    assert TEXT in plain(one(await circle.say(CHLOE, "!decisions")))


# ---- !mesdonnees, !oublier ----
async def test_my_data_has_my_proposals_and_answers(circle: CircleInMemory) -> None:
    in_direct_chat(circle, EMMA)
    await propose(circle)
    await circle.say(EMMA, "!proposition Tenir un stand commun")
    await circle.say(EMMA, "!proposition modifier 2 Tenir un stand commun en juin")
    await circle.say(EMMA, "!proposition 1 objection le budget n'est pas voté")
    await in_dm(circle, "!mesdonnees", EMMA)
    await circle.run_later()
    content = {plain(k): v for k, v in json.loads(circle.matrix.uploads[-1][1]).items()}
    proposals = content["Vos propositions et leurs modifications"]
    assert [(p["proposal"], p["as"], p["text"]) for p in proposals] == [
        (2, "author", "Tenir un stand commun en juin"),
        (2, "amendment", "Tenir un stand commun en juin"),
    ]
    [answer] = content["Vos réponses aux propositions (et vos raisons)"]
    assert answer["answer"] == "objection" and answer["reason"] == "le budget n'est pas voté"
    assert "réseau" not in json.dumps(content, ensure_ascii=False)  # Bruno's proposal


async def test_a_forgotten_member_s_proposals_and_answers(circle: CircleInMemory) -> None:
    in_direct_chat(circle, EMMA)
    await circle.say(EMMA, "!structure Repair Café")
    await circle.say(EMMA, "!proposition Tenir un stand commun")
    await circle.say(BRUNO, "!proposition 1 d'accord")
    await circle.say(EMMA, "!proposition 1 d'accord")
    await circle.say(EMMA, "!proposition clore 1")
    await propose(circle)
    await circle.say(EMMA, "!proposition 2 objection le budget n'est pas voté")
    await in_dm(circle, "!oublier", EMMA)
    *edits, done = await in_dm(circle, "!oublier confirmer", EMMA)
    assert plain(done).startswith("✅") and "personne n'a encore répondu" in edits[0]
    first = plain(one(await circle.say(CHLOE, "!proposition 1")))
    assert "2 réponses (2 d'accord)" in first and "Emma" not in first  # counts stay
    assert "Tenir un stand commun" in plain(one(await circle.say(CHLOE, "!decisions")))
    assert (await store.get_proposal(circle.db, ROOM, 1)).author != EMMA  # type: ignore[union-attr]
    second = await status_of(circle, 2)
    assert "personne n'a encore répondu" in second and "budget" not in second
    members = {a.member for n in (1, 2) for a in await store.answers(circle.db, ROOM, n)}
    assert EMMA not in members and ANNA not in members


async def test_a_late_deletion_after_the_deadline_waits_for_the_close(
    circle: CircleInMemory,
) -> None:
    await propose(circle)
    circle.stamp_with_now = True
    circle.now += timedelta(days=30)  # past the deadline, the close job not run yet
    assert await redact(circle, BRUNO, "$proposal") == []
    assert (await store.get_proposal(circle.db, ROOM, 1)).is_open  # type: ignore[union-attr]


async def test_a_deleted_amendment_withdraws_the_proposal_too(circle: CircleInMemory) -> None:
    await propose(circle)
    await circle.say(BRUNO, "!proposition modifier 1 Adhérer en juin", event_id="$amend")
    told = await redact(circle, BRUNO, "$amend")
    assert "🗑️ La proposition #1 est retirée" in told[-1]
    assert all(r.text == "" for r in await store.rounds(circle.db, ROOM, 1))


async def test_a_corrected_answer_is_withdrawn_by_deleting_its_message(
    circle: CircleInMemory,
) -> None:
    await propose(circle)
    await circle.say(EMMA, "!proposition 1 objectoin trop tôt", event_id="$typo")  # refused
    await circle.say(EMMA, "!proposition 1 objection trop tôt", edits="$typo")
    assert "trop tôt" in await status_of(circle)
    [edit] = await redact(circle, EMMA, "$typo")
    assert "1 réponse retirée" in edit and "trop tôt" not in edit
