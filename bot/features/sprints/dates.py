"""The dates of ``!chantier nouveau``: « Planning partagé du 1/12 au 31/12 »."""

from __future__ import annotations

from datetime import date, datetime, time

from bot.commands.context import CommandContext
from bot.domain.dates import parse_when
from bot.domain.folding import fold
from bot.features.date_refusals import date_refused

START_MARKERS = frozenset({"du", "from"})
END_MARKERS = frozenset({"au", "jusqu'au", "to", "until"})


def _marker(word: str) -> str:
    return fold(word).replace("’", "'")


def _date_after_marker(
    ctx: CommandContext, words: list[str], markers: frozenset[str], now: datetime
) -> tuple[date | None, int]:
    """The date after the last marker word (« au 31/12 ») and where the marker stands.

    Returns (None, len(words)) when the words end with no date: « Chantier du jardin »
    is a name. A tail with a digit that is no date is a mistyped date, not a name.
    """
    for index in range(len(words) - 1, -1, -1):
        if _marker(words[index]) not in markers:
            continue
        tail = " ".join(words[index + 1 :])
        if not tail:
            break
        found = parse_when(tail, now, ctx.circle.settings.timezone, ctx.lang)
        if found is not None:
            return found.at.date(), index
        if any(ch.isdigit() for ch in tail):
            raise date_refused(tail, "sprint.error.bad_date", ctx.lang)
        break
    return None, len(words)


def parse_plan(ctx: CommandContext, args: str) -> tuple[str, date | None, date | None]:
    """(name, start, end) of « Planning partagé du 1/12 au 31/12 »; dates optional.

    Also « Compost jusqu'au 15 janvier », « Compost du lundi prochain », "Compost from
    1/12 to 31/12". The end is read relative to the start when both are given.
    """
    words = args.split()
    end, end_index = _date_after_marker(ctx, words, END_MARKERS, ctx.now)
    head = words[:end_index]
    start, start_index = _date_after_marker(ctx, head, START_MARKERS, ctx.now)
    if start is not None and end is not None:
        from_start = datetime.combine(start, time(0, 0), tzinfo=ctx.circle.tz)
        end, _ = _date_after_marker(ctx, words, END_MARKERS, from_start)
    return " ".join(head[:start_index]), start, end
