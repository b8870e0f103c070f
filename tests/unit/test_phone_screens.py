"""What pioneers read on a phone: lists, recaps and help in a busy circle fit one screen,
and render in Element as they are meant to (headings on their own line, no cut word).

The circle (``circle_in_memory.fill_realistic_circle``): 20 stories, 12 members in 4
structures and a facilitator with none, a closed vote, a chantier, a check-in.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.domain.paging import PHONE_SCREEN
from bot.domain.recaps import RecapStory, build_monthly_recap
from bot.features import build_registry
from bot.features.recaps import recap_message
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


def assert_no_line_glued_to_a_list_item(html: str) -> None:
    """A line written right under a list item is read as the item's end (Markdown's lazy
    continuation): Element shows it on the item's line."""
    for item in re.findall(r"<li>(.*?)</li>", html, re.S):
        assert "\n" not in item.strip() or "<ul>" in item or "<p>" in item, item


COMMANDS = [
    "!aide",
    "!histoires",
    "!histoires page 2",
    "!histoires #planning",
    "!structures",
    "!freins",
    "!chantier",
    "!bilan",
    "!checkin clore",
    "!chantier clore",
    "!bilan chantier",
]


@pytest.mark.parametrize("command", COMMANDS)
async def test_a_command_answers_in_one_phone_screen_as_meant(
    circle: CircleInMemory, command: str
) -> None:
    contents = await circle.say_contents(FACILITATOR, command)
    assert contents
    assert_fits_a_phone([content["body"] for content in contents])
    for content in contents:
        assert_no_line_glued_to_a_list_item(content["formatted_body"])


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
    for word in ("histoire", "frein", "vote", "chantier", "checkin", "bilan", "structure"):
        assert re.search(rf"^- `!{word}` — ", body, re.M), word
    assert "`!aide <commande>`" in body
    # Every other command is named once, by its word, on the « Aussi » or facilitators' line.
    for command in build_registry().commands:
        if command.name != "aide":
            assert body.count(f"`!{command.name}`") == 1, command.name
    # !rdv (a line) and !absent (« Aussi ») took 12 characters of the 100 kept (December 2026).
    assert len(body) <= PHONE_SCREEN - 85, "room left for the commands still to come"


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


async def test_the_monthly_recap_names_counts_and_stories_done_in_one_screen(
    circle: CircleInMemory,
) -> None:
    [recap] = await answer(circle, "!bilan")
    assert_fits_a_phone([recap])
    assert "**20 nouvelles histoires** (`!histoires`), 4 freins notés." in recap
    assert "- #1 Voir le planning des collectes sur mon téléphone (Bruno Plateau)" in recap
    assert "(`!bilan chantier 1`)" in recap
    assert "7 personnes ont répondu. Structures présentes : 3 sur 4." in recap
    assert "Absente : **Tiers-Lieu La Fabrique** (`!structures`)" in recap
    assert "Merci** à Bruno Plateau" in recap and "Manon Fabrique !" in recap


async def test_the_recap_never_counts_people_without_structure_as_a_structure(
    circle: CircleInMemory,
) -> None:
    [recap] = await answer(circle, "!bilan")
    assert "sans structure" not in recap.lower()
    [closing] = await answer(circle, "!checkin clore")
    assert "sans structure" not in closing.lower()
    assert re.findall(r"^- (.*?) :", closing, re.M)[:4] == [
        "Les Jardins Partagés",
        "Repair Café de Belleville",
        "Ressourcerie du Plateau",
        "Tiers-Lieu La Fabrique",
    ]


async def test_many_stories_done_are_named_by_number_beyond_the_room(
    circle: CircleInMemory,
) -> None:
    for number in [6, 7, *range(9, 21)]:  # #8 is carried in the chantier
        await circle.say(PIONEERS[number % 12], f"!histoire prendre {number}")
        await circle.say(PIONEERS[number % 12], f"!histoire fait {number}")
    [recap] = await answer(circle, "!bilan")
    assert_fits_a_phone([recap])
    assert "**17 histoires faites**" in recap
    assert re.search(r"^- … et (#\d+ )*#20 \(`!histoires faites`\)$", recap, re.M), recap


async def test_the_checkin_recap_shortens_long_answers_and_points_to_the_thread(
    circle: CircleInMemory,
) -> None:
    opened = await circle.say_contents(FACILITATOR, "!checkin")
    assert opened
    rows = await circle.db.fetch_all("SELECT sent_event_id, purpose FROM outbox")
    root = next(r["sent_event_id"] for r in rows if (r["purpose"] or "").startswith("checkin:1:"))
    for index, user in enumerate(PIONEERS):
        await circle.say(
            user,
            f"1. Pluvieux 2. Rien de neuf 3. Le local numéro {index} est fermé le samedi matin"
            " et personne ne sait qui garde les clés, alors les bénévoles attendent dehors"
            " dans le froid pendant une heure 4. En tant que bénévole, je souhaite savoir qui"
            f" garde les clés du local {index} afin de ne plus attendre dehors le samedi",
            thread_root=root,
        )
    [closing] = await answer(circle, "!checkin clore")
    assert_fits_a_phone([closing])
    assert "12 personnes ont répondu" in closing
    assert re.search(r"^- … et \d+ autres, dans le fil du check-in$", closing, re.M), closing
    blockers = [line for line in closing.splitlines() if line.startswith("- Le local numéro")]
    assert blockers and all(line.endswith("…") for line in blockers)  # shortened, not cut
    assert all(len(line) <= 2 + 140 for line in blockers)


async def test_long_blockers_are_listed_by_pages_that_fit_a_phone(circle: CircleInMemory) -> None:
    for index in range(12):
        await circle.say(
            PIONEERS[index],
            f"!frein Numéro {index + 5} : le local est fermé le samedi matin et personne ne sait"
            " qui garde les clés, alors les bénévoles attendent dehors dans le froid pendant une"
            " heure avant de repartir sans avoir pu trier les dons de la semaine",
        )
    first = (await answer(circle, "!freins"))[0]
    pages = int(re.search(r"Page 1 sur (\d+)", first).group(1))  # type: ignore[union-attr]
    bodies = [first] + [(await answer(circle, f"!freins page {n}"))[0] for n in range(2, pages + 1)]
    assert_fits_a_phone(bodies)
    numbers = [int(n) for body in bodies for n in re.findall(r"^- #(\d+) ", body, re.M)]
    assert sorted(numbers) == list(range(1, 17))
    assert "`!freins page 2`" in first and f"Page {pages} sur {pages}, la dernière." in bodies[-1]
    assert all(body.rstrip().endswith("afin que …`") for body in bodies)


async def test_the_blocker_list_hint_is_a_paragraph_not_the_end_of_the_last_blocker(
    circle: CircleInMemory,
) -> None:
    [content] = await circle.say_contents(FACILITATOR, "!freins")
    assert re.search(r"</ul>\n<p>Pour en faire une histoire", content["formatted_body"])


async def test_a_month_with_many_contributors_thanks_the_most_active_by_name(
    circle: CircleInMemory,
) -> None:
    people = [f"@membre{n:02d}:ex.org" for n in range(40)]
    recap = build_monthly_recap(
        date(2026, 12, 1),
        date(2026, 12, 31),
        [
            RecapStory(n, f"Une histoire numéro {n} assez longue pour la liste")
            for n in range(1, 30)
        ],
        [RecapStory(n, f"Une histoire faite numéro {n}", porteur=people[n]) for n in range(1, 20)],
        [],
        [],
        [],
        {user: 40 - rank for rank, user in enumerate(people)},
    )
    text = recap_message(circle.context(), recap, blockers=12, checkin_held=False)
    assert_fits_a_phone([text.plain])
    assert "membre00" in text.plain and "membre14" in text.plain and "membre15" not in text.plain
    assert "et 25 autres personnes !" in text.plain.replace("\u00a0", " ").replace("\u202f", " ")


async def test_a_vote_over_every_story_opens_and_closes_in_one_screen_each(
    circle: CircleInMemory,
) -> None:
    # every open story a candidate: the titles that fit, then the rest by number
    opened = await circle.say_contents(FACILITATOR, "!vote ouvrir points 3")
    assert_fits_a_phone([content["body"] for content in opened])
    for content in opened:
        assert_no_line_glued_to_a_list_item(content["formatted_body"])
    for index, user in enumerate(PIONEERS):
        # the candidates are the stories still proposed: #6, #7 and #9 to #20
        await circle.say(user, f"!vote {9 + index % 12} {10 + index % 11} {6 + index % 2}")
    results = await answer(circle, "!vote clore")
    assert_fits_a_phone(results)
    ranking = results[0]
    assert f"{len(PIONEERS)} bulletins" in ranking
    assert re.search(r"^1\. ", ranking, re.M) and "… et #" in ranking
