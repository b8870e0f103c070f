"""What a pioneer sees in the real Element Web 1.12.12, with « exclude insecure devices » on.

Élodie is a new account logged in to Element Web (headless Chromium, served on 127.0.0.1);
the bot is the real process; the facilitator anna and the pioneer ben are nio clients whose
devices are cross-signed, as Element's own are. Élodie's device exists before the bot acts in
each circle: a device only decrypts what is sent after it exists.
Screenshots land in ``test-output/element/`` for humans to look at.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from bot.testing.bot_process import BotProcess
from bot.testing.element_web import (
    ElementError,
    ElementUser,
    ElementWeb,
    Tile,
    element_web_available,
)
from bot.testing.homeserver import LocalHomeserver
from tests.integration.conftest import CircleRoom, make_pioneer, unique

UNAVAILABLE = element_web_available()

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(UNAVAILABLE is not None, reason=UNAVAILABLE or ""),
    pytest.mark.asyncio(loop_scope="module"),  # one browser for the whole module
]

STORIES = (
    "!histoire en tant que bénévole je souhaite un planning partagé afin de ne plus rater de tournée",
    "!histoire en tant que trésorière je souhaite exporter les cotisations afin de gagner du temps",
    "!histoire en tant que voisin je souhaite un composteur afin de réduire nos déchets",
)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def element(homeserver: LocalHomeserver) -> AsyncIterator[ElementWeb]:
    async with ElementWeb(homeserver.base_url) as running:
        yield running
        print(
            f"\n[element] chromium {running.memory_mib()} MiB at the end; "
            f"requests that tried to leave 127.0.0.1: {running.blocked_requests}"
        )


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def elodie(element: ElementWeb, homeserver: LocalHomeserver) -> AsyncIterator[ElementUser]:
    """Élodie, a new account, logged in to Element Web once for the whole module."""
    name = unique("elodie")
    user_id = homeserver.register(name, f"pw-{name}")
    user = await element.login(user_id, f"pw-{name}")
    await user.set_display_name("Élodie")
    print(
        f"\n[element] login {user.login_seconds:.1f} s, prompts {user.prompts_handled}, "
        f"chromium {element.memory_mib()} MiB"
    )
    yield user
    if user.quirks:
        print(f"\n[element] Element's own slips, worked around: {user.quirks}")


@pytest_asyncio.fixture(loop_scope="module")
async def circle(
    homeserver: LocalHomeserver, elodie: ElementUser, tmp_path: Path
) -> AsyncIterator[CircleRoom]:
    """A fresh circle: the bot, anna (facilitator) and ben on nio, Élodie in Element Web.

    It stands in for conftest's ``circle`` here: it runs in the module's event loop (the
    browser's), and Élodie joins before the bot is invited, so she can read all it says.
    """
    bot_user = unique("cerclebot")
    bot_id = homeserver.register(bot_user, f"pw-{bot_user}")
    anna = await make_pioneer(homeserver, tmp_path, "anna")
    ben = await make_pioneer(homeserver, tmp_path, "ben")
    bot = BotProcess(
        homeserver.base_url, bot_id, f"pw-{bot_user}", tmp_path / "botdata", anna.user_id
    )
    try:
        for pioneer in (anna, ben):
            await pioneer.cross_sign(tmp_path / f"{pioneer.user_id}-keys.json")
        bot.start()
        # Everyone is in before the bot: its greeting is then readable by Élodie's device too
        room_id = await anna.create_room("Cercle des pionniers", [ben.user_id, elodie.user_id])
        await ben.join(room_id)
        await elodie.wait_for_invite(room_id)
        await elodie.join(room_id)
        await elodie.open_room(room_id)
        await anna.invite(room_id, bot_id)
        for pioneer in (anna, ben):
            await pioneer.wait_for(
                lambda e: (
                    e.sender == bot_id and e.type == "m.room.message" and e.room_id == room_id
                ),
                40,
            )
        assert elodie.user_id in await anna.members(room_id)
        yield CircleRoom(homeserver, bot, bot_id, room_id, anna, [ben], tmp_path)
    finally:
        for pioneer in (anna, ben):
            await pioneer.close()
        bot.stop()


def _plain(text: str) -> str:
    """Text with French typography's non-breaking spaces read as spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _from(sender: str, *words: str) -> Any:
    """A tile predicate: sent by ``sender`` and showing all ``words``."""
    return lambda t: t.sender == sender and all(w in _plain(t.text) for w in words)


def _assert_readable(tile: Tile) -> None:
    """Decrypted, not hidden as from an insecure device, no warning shield."""
    assert not tile.undecryptable, tile
    assert not tile.insecure, tile
    assert not tile.shield, tile


def _rank(line: str) -> int | None:
    """The rank a results line starts with (« 1. ex æquo #2 … » → 1); a story number is no rank."""
    found = re.match(r"^[^\w#]*(\d+)", line)
    return int(found.group(1)) if found else None


async def test_a_command_typed_in_element_gets_a_readable_answer(
    circle: CircleRoom, elodie: ElementUser
) -> None:
    started = time.monotonic()
    await elodie.send("!aide")
    mine = await elodie.wait_for_tile(_from(elodie.user_id, "!aide"), describe="« !aide »")
    answer = await elodie.wait_for_tile(
        _from(circle.bot_id, "Ce que je sais faire"), describe="help"
    )
    seconds = time.monotonic() - started
    await elodie.screenshot("a-aide")
    _assert_readable(mine)
    _assert_readable(answer)
    assert answer.reply_quote  # in the room, an answer quotes the command it answers
    assert "!histoire" in answer.text and "!vote" in answer.text
    bot_tiles = [t for t in await elodie.tiles() if t.sender == circle.bot_id]
    assert bot_tiles and all(not (t.undecryptable or t.insecure or t.shield) for t in bot_tiles)
    assert await elodie.undecryptable_count() == 0
    assert await elodie.insecure_count() == 0  # the nio pioneers are cross-signed too
    assert "could not decrypt" not in circle.bot.log_text()  # the bot read her command
    assert elodie.element.blocked_requests == [], "nothing may leave 127.0.0.1"
    print(f"\n[element] !aide answered on screen after {seconds:.1f} s")


async def test_a_pioneer_gives_all_her_points_by_clicking_and_the_results_count_them(
    circle: CircleRoom, elodie: ElementUser
) -> None:
    anna, ben, bot_id = circle.anna, circle.ben, circle.bot_id
    for text in STORIES:  # #1 planning, #2 cotisations, #3 composteur
        await circle.ask(anna, text)
    await anna.send(circle.room_id, "!vote ouvrir points 3")
    polls = []
    for point in (1, 2, 3):
        polls.append(
            await elodie.wait_for_tile(
                lambda t, p=point: (
                    t.sender == bot_id and f"point {p} sur 3" in (t.poll_question or "")
                ),
                describe=f"poll of point {point}",
            )
        )
    for poll in polls:
        _assert_readable(poll)
        assert len(poll.poll_answers) == 3 and poll.poll_answers[0].startswith("#1 ")
    await elodie.screenshot("b-vote-polls", full_height=1800)

    # Élodie clicks: #1 for point 1, #1 for point 2, #2 for point 3; she types nothing
    await elodie.click_poll_answer("point 1 sur 3", "#1")
    await elodie.click_poll_answer("point 2 sur 3", "#1")
    await elodie.click_poll_answer("point 3 sur 3", "#2")
    status = await elodie.wait_for_tile(
        lambda t: (
            t.sender == bot_id
            and re.search(r"Élodie\W*3 (points )?sur 3", _plain(t.text)) is not None
        ),
        timeout=30,
        describe="status naming Élodie with 3 points out of 3",
    )
    _assert_readable(status)
    await elodie.screenshot("b-vote-status", scroll_to=status.event_id)
    typed = [t for t in await elodie.tiles() if t.sender == elodie.user_id]
    assert not typed, f"Élodie typed nothing: {typed}"

    # ben votes by text: #2 and #3 one point each, so #1 and #2 tie at 2 points
    assert "Bulletin" in (await circle.ask(ben, "!vote 2 3")).body
    mark = ben.mark()
    await anna.send(circle.room_id, "!vote clore")
    results = await ben.wait_for(
        lambda e: e.sender == bot_id and "Résultats du vote #1" in e.body, 30, after=mark
    )
    shown = await elodie.wait_for_tile(lambda t: t.event_id == results.event_id, describe="results")
    _assert_readable(shown)
    lines = {
        story: next(_plain(line) for line in shown.lines() if words in line)
        for story, words in (("A", "planning"), ("B", "cotisations"), ("C", "composteur"))
    }
    assert "2 points" in lines["A"], lines  # her two points, the only ones for #1
    assert "2 points" in lines["B"], lines  # her third point and ben's
    assert "1 point" in lines["C"], lines
    ranks = {story: _rank(line) for story, line in lines.items()}
    assert ranks["A"] is not None and ranks["A"] == ranks["B"], ranks  # a tie shows as a tie
    assert ranks["C"] is not None and ranks["C"] > ranks["A"], ranks

    picture = await elodie.wait_for_tile(
        lambda t: t.sender == bot_id and t.images > 0, timeout=60, describe="results picture"
    )
    _assert_readable(picture)
    # the bot withdraws its polls: none is left to show a « Final result » of its own
    poll_ids = {p.event_id for p in polls}
    tiles = await elodie.wait_for_screen(
        lambda shown: not [t for t in shown if t.event_id in poll_ids and not t.redacted],
        describe="the polls withdrawn",
    )
    assert not [t for t in tiles if t.poll_question or t.poll_footer], "no poll left on screen"
    assert await elodie.images_loaded() >= 1
    await elodie.screenshot("b-vote-results", full_height=2000, scroll_to=shown.event_id)


async def test_the_checkin_reminder_mentions_her_in_the_main_timeline(
    circle: CircleRoom, elodie: ElementUser
) -> None:
    anna, ben, bot_id = circle.anna, circle.ben, circle.bot_id
    mark = ben.mark()
    await anna.send(circle.room_id, "!checkin lancer")
    opened = await ben.wait_for(
        lambda e: e.sender == bot_id and "Check-in mensuel #1" in e.body, 30, after=mark
    )
    announced = await elodie.wait_for_tile(
        lambda t: t.event_id == opened.event_id, describe="check-in"
    )
    assert not announced.highlighted  # it pings nobody by name
    mark = ben.mark()
    await anna.send(circle.room_id, "!checkin relancer")
    reminder = await ben.wait_for(
        lambda e: e.sender == bot_id and "rappel" in e.body.lower(), 30, after=mark
    )
    assert elodie.user_id in reminder.content["m.mentions"].get("user_ids", [])
    try:
        shown = await elodie.wait_for_tile(
            lambda t: t.event_id == reminder.event_id, timeout=20, describe="reminder"
        )
    except ElementError as missing:
        raise AssertionError(
            f"the reminder is not in the main timeline (thread root: {reminder.thread_root})"
        ) from missing
    _assert_readable(shown)
    assert "Élodie" in shown.text, shown
    assert shown.highlighted, "Element highlights a mention of the viewer"
    await elodie.screenshot("c-checkin-reminder", scroll_to=shown.event_id)


async def test_the_story_dialogue_reads_like_a_conversation_in_its_thread(
    circle: CircleRoom, elodie: ElementUser
) -> None:
    bot_id = circle.bot_id
    await elodie.send("!histoire")
    start = await elodie.wait_for_tile(_from(elodie.user_id, "!histoire"), describe="« !histoire »")
    await elodie.open_thread(start.event_id)
    await elodie.wait_for_tile(
        _from(bot_id, "Qui êtes-vous"), where="thread", describe="question 1"
    )
    steps = (
        ("coordinatrice d'un tiers-lieu", "De quoi avez-vous besoin"),
        ("un agenda partagé entre nos trois structures", "Qu'est-ce que ça changerait"),
        ("on arrête de réserver deux fois la même salle", "Je l'enregistre"),
        ("Oui", "#1"),
    )
    for answer, expected in steps:
        await elodie.send(answer, where="thread")
        await elodie.wait_for_tile(_from(bot_id, expected), where="thread", describe=expected)
    await elodie.screenshot("d-story-thread", full_height=1600)
    thread = [t for t in await elodie.tiles("thread") if t.event_id != start.event_id]
    speakers = [t.sender for t in thread]
    assert speakers == [bot_id, elodie.user_id] * 4 + [bot_id], [
        (t.sender, t.text[:40]) for t in thread
    ]
    for tile in thread:
        _assert_readable(tile)
        assert not tile.reply_quote, f"a thread answer quotes the previous message: {tile}"
    assert "agenda partagé" in thread[-1].text


async def test_a_pioneer_answers_the_rendezvous_slots_by_clicking(
    circle: CircleRoom, elodie: ElementUser
) -> None:
    anna, ben, bot_id = circle.anna, circle.ben, circle.bot_id
    tomorrow = datetime.now(ZoneInfo("Europe/Paris")) + timedelta(days=1)
    later = tomorrow + timedelta(days=1)
    mark = ben.mark()
    await anna.send(circle.room_id, f"!rdv proposer {tomorrow:%d/%m} 18h, {later:%d/%m} 12h30")
    status = await ben.wait_for(
        lambda e: e.sender == bot_id and "Rendez-vous mensuel #1" in e.body, 30, after=mark
    )
    for slot in (1, 2):
        poll = await elodie.wait_for_tile(
            lambda t, s=slot: t.sender == bot_id and f"créneau {s}" in (t.poll_question or ""),
            describe=f"poll of slot {slot}",
        )
        _assert_readable(poll)
        assert [a.strip() for a in poll.poll_answers] == ["Oui", "Si besoin", "Non"]
    # Élodie answers each slot with one click (Element shows polls as single choice)
    await elodie.click_poll_answer("créneau 1", "Oui")
    await elodie.click_poll_answer("créneau 2", "Si besoin")
    shown = await elodie.wait_for_tile(
        lambda t: (
            t.event_id == status.event_id
            and "1 oui, 0 si besoin" in _plain(t.text)
            and "0 oui, 1 si besoin" in _plain(t.text)
        ),
        timeout=30,
        describe="the status edited with her two answers",
    )
    _assert_readable(shown)
    await elodie.screenshot("e-rendezvous-polls", full_height=1800, scroll_to=status.event_id)
    typed = [t for t in await elodie.tiles() if t.sender == elodie.user_id]
    assert not typed, f"Élodie typed nothing: {typed}"
    assert "Créneau conseillé" in (await circle.ask(ben, "!rdv")).body


async def test_a_facilitator_names_a_pioneer_with_an_element_pill(
    circle: CircleRoom, elodie: ElementUser
) -> None:
    """Élodie, made facilitator, names Ben the way Element users do: « @Be… », a pick in the
    autocompletion, a pill. Element puts Ben's display name in the body and his id in the
    pill's link and in « m.mentions »: the bot must read the id, not the name."""
    anna, ben, bot_id = circle.anna, circle.ben, circle.bot_id
    mark = ben.mark()
    await ben.client.set_displayname("Ben Martin")
    await anna.set_power_level(circle.room_id, elodie.user_id, 50)
    await ben.wait_for(lambda e: e.type == "m.room.power_levels", 20, after=mark)
    await elodie.send_with_pill("!structure ", "Ben Martin", " Ressourcerie du Pays")
    answer = await elodie.wait_for_tile(
        _from(bot_id, "Ben Martin fait partie de la structure", "Ressourcerie du Pays"),
        timeout=40,
        describe="the bot's answer naming Ben's structure",
    )
    _assert_readable(answer)
    await elodie.screenshot("f-structure-pill")
    listing = await circle.ask(ben, "!structures")
    assert "Ressourcerie du Pays" in _plain(listing.body) and "Ben Martin" in _plain(listing.body)
