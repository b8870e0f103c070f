"""Refusing a date someone typed: say what is wrong with it, then the command's example."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from bot.commands.registry import UsageError
from bot.domain.dates import numeric_date_problem


def date_refused(text: str, reason_key: str, lang: str, hint_key: str | None = None) -> UsageError:
    """The refusal of ``text`` as a date: « 35/12 » has no 35th day, « 12/13 » no 13th month;
    anything else gets ``reason_key`` (« Je ne comprends pas la date … »). ``hint_key`` is
    the example of the command that was typed, when its usage's own example is another one.
    """
    problem = numeric_date_problem(text)
    if problem is None:
        return UsageError(reason_key, hint_key, text=text)
    if problem.kind == "month":
        return UsageError("date.error.no_such_month", hint_key, text=text)
    month = format_date(date(2024, problem.month, 1), "MMMM", locale=lang)
    return UsageError(
        "date.error.no_such_day", hint_key, text=text, month=month, n=problem.month_days
    )
