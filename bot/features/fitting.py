"""Messages that fit a phone screen: long lists folded behind « … et 4 de plus »."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.domain.paging import fitting
from bot.matrix.messages import Text

LINE_BREAK = 1  # each line of a list costs its own length and a line break
PARAGRAPH = "\n\n"  # what separates the parts of a message


def fit_lines(
    lines: Sequence[Text], more: Callable[[int], Text], budget: int, keep: int = 1
) -> list[Text]:
    """The first ``lines`` that fit in ``budget`` characters of plain text, then ``more(k)``
    (« … et 3 de plus ») when ``k`` of them are left out; at least ``keep`` lines are kept."""
    lengths = [len(line.plain) + LINE_BREAK for line in lines]
    if sum(lengths) <= budget:
        return list(lines)
    shown = fitting(lengths, budget - len(more(len(lines)).plain) - LINE_BREAK)
    shown = min(len(lines), max(keep, shown))
    return [*lines[:shown], more(len(lines) - shown)] if shown < len(lines) else list(lines)


def length(parts: Sequence[Text], separator: str = PARAGRAPH) -> int:
    """The plain length of ``parts`` joined by ``separator``."""
    return sum(len(part.plain) for part in parts) + len(separator) * max(0, len(parts) - 1)
