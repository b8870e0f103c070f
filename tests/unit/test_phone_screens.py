"""What pioneers read on a phone: lists, recaps and help in a busy circle fit one screen,
and render in Element as they are meant to (headings on their own line, no cut word).

The circle (``circle_in_memory.fill_realistic_circle``): 20 stories, 12 members in 4
structures and a facilitator with none, a closed vote, a chantier, a check-in.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.domain.paging import PHONE_SCREEN
from tests.unit.circle_in_memory import (
    FACILITATOR,
    PIONEERS,
    CircleInMemory,
    copy_of,
    realistic_circle_file,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return realistic_circle_file(tmp_path_factory.mktemp("realistic"))


@pytest.fixture
async def circle(template: Path, tmp_path: Path) -> AsyncIterator[CircleInMemory]:
    circle = await copy_of(template, tmp_path)
    yield circle
    await circle.db.close()


async def answer(circle: CircleInMemory, command: str, sender: str = FACILITATOR) -> list[str]:
    """The plain bodies of the answers, no-break spaces read as spaces."""
    bodies = await circle.say(sender, command)
    assert bodies, f"no answer to {command}"
    return [body.replace("\u00a0", " ").replace("\u202f", " ") for body in bodies]


def assert_fits_a_phone(bodies: list[str]) -> None:
    for body in bodies:
        assert len(body) <= PHONE_SCREEN, f"{len(body)} characters:\n{body}"


@pytest.mark.parametrize(
    "command",
    ["!aide", "!histoires", "!histoires page 2", "!structures", "!freins", "!chantier"],
)
async def test_a_command_answers_in_one_phone_screen(circle: CircleInMemory, command: str) -> None:
    assert_fits_a_phone(await answer(circle, command))


async def test_the_story_list_pages_hold_every_story_once(circle: CircleInMemory) -> None:
    first = (await answer(circle, "!histoires"))[0]
    pages = int(re.search(r"Page 1 sur (\d+)", first).group(1))  # type: ignore[union-attr]
    bodies = [first] + [
        (await answer(circle, f"!histoires page {n}"))[0] for n in range(2, pages + 1)
    ]
    assert_fits_a_phone(bodies)
    numbers = [int(n) for body in bodies for n in re.findall(r"^- #(\d+) ", body, re.M)]
    assert sorted(numbers) == list(range(1, 21))
    assert "`!histoires page 2`" in bodies[0] and f"Page {pages} sur {pages}" in bodies[-1]


async def test_the_next_page_keeps_the_filter(circle: CircleInMemory) -> None:
    for number in range(1, 8):
        await circle.say(
            PIONEERS[0],
            f"!histoire En tant que bénévole, je souhaite un outil numéro {number} pour le planning des tournées du samedi afin de gagner du temps #planning",
        )
    first = (await answer(circle, "!histoires #planning"))[0]
    assert "`!histoires #planning page 2`" in first


async def test_a_theme_heading_is_a_paragraph_of_its_own_in_element(circle: CircleInMemory) -> None:
    [content] = await circle.say_contents(FACILITATOR, "!histoires")
    html = content["formatted_body"]
    assert "<p><strong>#accueil</strong></p>" in html
    # never inside the previous story's line
    assert not re.search(r"<li>[^<]*(?:<em>[^<]*</em>[^<]*)?\s*<strong>#", html), html


async def test_the_story_list_shows_short_titles_cut_between_words(circle: CircleInMemory) -> None:
    body = (await answer(circle, "!histoires"))[0]
    assert "- #7 Un annuaire des compétences des bénévoles — " in body
    assert "En tant que" not in body
    [cut] = re.findall(r"^- #10 (.*)… — ", body, re.M)
    need = "Publier les horaires d'ouverture sur le site et sur les réseaux sociaux du quartier"
    assert need.startswith(cut) and need[len(cut)] == " "


async def test_help_lists_every_command_on_one_line_each(circle: CircleInMemory) -> None:
    [body] = await answer(circle, "!aide")
    for word in ("histoire", "frein", "vote", "chantier", "checkin", "bilan", "structure", "aide"):
        assert re.search(rf"^- `!{word}` — ", body, re.M), word
    assert "`!aide <commande>`" in body
    assert len(body) <= PHONE_SCREEN - 100, "room left for the commands still to come"


async def test_a_declared_structure_reads_right_whatever_its_name(circle: CircleInMemory) -> None:
    [body] = await answer(circle, "!structure Ressourcerie du Plateau", PIONEERS[0])
    assert "Bruno Plateau fait partie de la structure « Ressourcerie du Plateau »" in body


async def test_people_without_structure_are_named_apart_not_as_a_structure(
    circle: CircleInMemory,
) -> None:
    [body] = await answer(circle, "!structures")
    assert "**4 structures**" in body
    assert "sans structure" not in body.lower().replace("sans structure déclarée", "")
    assert "Sans structure déclarée : Anna Facilitatrice" in body
    lines = re.findall(r"^- \*\*(.*?)\*\*", body, re.M)
    assert lines == sorted(lines, key=str.casefold) and len(lines) == 4


async def close_the_chantier_with_answers(circle: CircleInMemory, answers: int) -> list[str]:
    """Close the chantier; ``answers`` pioneers answer its retrospective at length."""
    closing = await circle.say_contents(FACILITATOR, "!chantier clore")
    retro = circle.event_id_of(closing[-1])
    for user in PIONEERS[:answers]:
        await circle.say(
            user,
            "1. Le planning partagé a bien marché, tout le monde l'a utilisé chaque semaine. "
            "2. Les comptes rendus se perdent encore dans les mails de chacun. "
            "3. Je repars avec l'envie de continuer avec le même groupe.",
            thread_root=retro,
        )
    return [content["body"] for content in closing]


async def test_the_chantier_summary_shows_every_story_in_one_screen(circle: CircleInMemory) -> None:
    summary, questions = await close_the_chantier_with_answers(circle, 0)
    assert_fits_a_phone([summary, questions])
    shown = re.findall(r"^- #(\d+) .* — ", summary, re.M)
    assert shown == ["1", "2", "3", "4", "5", "8"]
    assert "— Bruno Plateau (3 points)" in summary and "au vote #1" in summary


async def test_the_summary_points_to_the_retrospective_it_has_no_room_for(
    circle: CircleInMemory,
) -> None:
    await close_the_chantier_with_answers(circle, 5)
    [summary] = await answer(circle, "!bilan chantier")
    assert_fits_a_phone([summary])
    assert "5 réponses" in summary and "dans le fil de la rétrospective" in summary
    # Stories with no room for their line are still named.
    assert all(re.search(rf"#{n}\b", summary) for n in (1, 2, 3, 4, 5, 8))


async def test_a_short_retrospective_answer_joins_the_summary(circle: CircleInMemory) -> None:
    closing = await circle.say_contents(FACILITATOR, "!chantier clore")
    await circle.say(
        PIONEERS[1], "Tout a bien marché !", thread_root=circle.event_id_of(closing[-1])
    )
    [summary] = await answer(circle, "!bilan chantier")
    assert "- Chloe Plateau : Tout a bien marché !" in summary
    assert_fits_a_phone([summary])


async def test_a_chantier_of_many_stories_names_the_rest_by_number(circle: CircleInMemory) -> None:
    await circle.say(FACILITATOR, "!chantier clore")
    await circle.say(FACILITATOR, "!chantier nouveau Grand ménage")
    numbers = " ".join(str(n) for n in range(4, 21))
    bodies = await answer(circle, f"!chantier ajouter {numbers}")
    bodies += await answer(circle, "!chantier")
    assert_fits_a_phone(bodies)
    announce = next(body for body in bodies if "commence" in body)
    status = bodies[-1]
    for shown in (announce, status):
        assert re.search(r"^- … et #\d+( #\d+)* #20$", shown, re.M), shown
