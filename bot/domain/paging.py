"""Cutting a long list into pages that each fit a phone screen.

Pioneers read the bot in Element on a phone: a message longer than about 800 characters
of plain text takes two screens, so lists are cut into pages by their length, not by a
count of lines (a page of short titles holds more lines than a page of long ones).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

PHONE_SCREEN = 800  # characters of plain text in one message, at most
_NO_GROUP = object()


@dataclass(frozen=True)
class Line:
    """A line of a list: its ``group`` (a heading shown once per page) and its length."""

    group: Hashable
    length: int


def paginate(
    lines: Sequence[Line], heading_lengths: Mapping[Hashable, int], budget: int
) -> list[range]:
    """Consecutive pages of ``lines`` whose lengths, headings included, stay within ``budget``.

    A group's heading counts on every page where the group appears (it is shown again
    at the top of the next page). A line longer than the budget gets a page of its own.

    >>> paginate([Line("a", 5), Line("a", 5), Line("b", 5)], {"a": 2, "b": 2}, 13)
    [range(0, 2), range(2, 3)]
    """
    pages: list[range] = []
    start, used = 0, 0
    group: object = _NO_GROUP
    for index, line in enumerate(lines):
        cost = line.length + (heading_lengths.get(line.group, 0) if line.group != group else 0)
        if index > start and used + cost > budget:
            pages.append(range(start, index))
            start, used = index, line.length + heading_lengths.get(line.group, 0)
        else:
            used += cost
        group = line.group
    if start < len(lines):
        pages.append(range(start, len(lines)))
    return pages


def fitting(lengths: Sequence[int], budget: int) -> int:
    """How many of the first lines fit within ``budget`` characters (each counts its length).

    >>> fitting([40, 40, 40], 100)
    2
    """
    used = 0
    for count, length in enumerate(lengths):
        used += length
        if used > budget:
            return count
    return len(lengths)
