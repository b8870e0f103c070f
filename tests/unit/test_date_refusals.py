"""A refused date says what is wrong with it and gives an example of the command typed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.domain.dates import DateProblem, numeric_date_problem
from bot.domain.pauses import pause_date_words
from tests.unit.circle_in_memory import FACILITATOR, CircleInMemory, open_circle


@pytest.fixture
async def circle(tmp_path: Path) -> AsyncIterator[CircleInMemory]:
    circle = await open_circle(tmp_path / "bot.db")
    yield circle
    await circle.db.close()


async def refusal(circle: CircleInMemory, command: str) -> str:
    [body] = await circle.say(FACILITATOR, command)
    return body.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("35/12", DateProblem("day", 35, 12)),
        ("jusqu'au 31/4", DateProblem("day", 31, 4)),
        ("30/2/2027", DateProblem("day", 30, 2)),
        ("12/13", DateProblem("month", 12, 13)),
        ("29/2", None),
        ("1/9", None),
        ("la saint-glinglin", None),
    ],
)
def test_what_is_wrong_with_a_numeric_date(text: str, problem: DateProblem | None) -> None:
    assert numeric_date_problem(text) == problem


def test_the_date_of_a_pause_is_read_without_the_words_before_it() -> None:
    assert pause_date_words("jusqu'au 35/12") == "35/12"
    assert pause_date_words("jusqu’au 1er septembre") == "1er septembre"
    assert pause_date_words("until 1/9") == "1/9"


async def test_a_pause_to_a_day_that_does_not_exist_is_refused_with_the_pause_example(
    circle: CircleInMemory,
) -> None:
    body = await refusal(circle, "!checkin pause jusqu'au 35/12")
    assert body.startswith("« 35/12 » n'est pas une date : décembre n'a que 31 jours.")
    assert "`!checkin pause jusqu'au 1/9`" in body
    assert "jusqu'au 35/12" not in body and "planifier" not in body


async def test_a_thirteenth_month_is_named_as_the_mistake(circle: CircleInMemory) -> None:
    body = await refusal(circle, "!checkin pause jusqu'au 12/13")
    assert body.startswith("« 12/13 » n'est pas une date : le mois va de 1 à 12")
    assert "`!checkin pause jusqu'au 1/9`" in body


async def test_words_that_are_no_date_are_quoted_alone(circle: CircleInMemory) -> None:
    body = await refusal(circle, "!checkin pause jusqu'au bientôt")
    assert body.startswith("Je ne comprends pas la date « bientôt ».")
    assert "`!checkin pause jusqu'au 1/9`" in body


async def test_a_chantier_ending_on_a_day_that_does_not_exist_gets_the_chantier_example(
    circle: CircleInMemory,
) -> None:
    body = await refusal(circle, "!chantier nouveau Compost jusqu'au 31/4")
    assert body.startswith("« 31/4 » n'est pas une date : avril n'a que 30 jours.")
    assert "`!chantier nouveau " in body
