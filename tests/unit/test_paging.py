from bot.domain.paging import Line, paginate


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
