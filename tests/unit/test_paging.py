from bot.domain.paging import Line, fitting, paginate
from bot.features.fitting import fit_lines
from bot.matrix.messages import Text


def test_lines_that_fit_make_one_page() -> None:
    assert paginate([Line("a", 10), Line("b", 10)], {"a": 5, "b": 5}, 100) == [range(0, 2)]


def test_a_page_ends_before_the_line_that_would_overflow_it() -> None:
    lines = [Line(None, 40), Line(None, 40), Line(None, 40)]
    assert paginate(lines, {}, 100) == [range(0, 2), range(2, 3)]


def test_a_heading_counts_on_every_page_its_group_appears() -> None:
    lines = [Line("a", 30), Line("a", 30), Line("a", 30)]
    # 10 + 30 + 30 = 70 on the first page; the heading is shown again on the second.
    assert paginate(lines, {"a": 10}, 75) == [range(0, 2), range(2, 3)]


def test_a_line_longer_than_the_budget_gets_a_page_of_its_own() -> None:
    assert paginate([Line(None, 5), Line(None, 500), Line(None, 5)], {}, 100) == [
        range(0, 1),
        range(1, 2),
        range(2, 3),
    ]


def test_no_lines_make_no_page() -> None:
    assert paginate([], {}, 100) == []


def test_fitting_counts_the_first_lines_within_the_budget() -> None:
    assert fitting([40, 40, 40], 100) == 2
    assert fitting([40, 40], 80) == 2
    assert fitting([200], 100) == 0


def test_lines_beyond_the_room_are_folded_into_one_more_line() -> None:
    lines = [Text(f"- #{n} une histoire", f"- #{n} une histoire") for n in range(1, 6)]

    def more(k: int) -> Text:
        return Text(f"… et {k} de plus", f"… et {k} de plus")

    shown = fit_lines(lines, more, 60)
    assert [line.plain for line in shown] == [
        "- #1 une histoire",
        "- #2 une histoire",
        "… et 3 de plus",
    ]
    assert fit_lines(lines, more, 1000) == lines
    assert [line.plain for line in fit_lines(lines, more, 10, keep=0)] == ["… et 5 de plus"]
    assert fit_lines(lines, more, 10)[0] is lines[0]  # one line kept by default
