"""The lines of a vote's ranking: « 1. (ex æquo) #7 Titre — 5 points »."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.domain.tally import DotResult, ScoreResult
from bot.matrix.messages import Text, escape_markdown


def score_lines(ctx: CommandContext, result: ScoreResult, titles: dict[int, str]) -> list[Text]:
    """One line per candidate: ranked ones with their means, then the unscored ones."""
    tied = _tied_ranks([s.rank for s in result.ranking if s.rank is not None])
    return [
        ctx.t(
            "vote.result.score_line" if s.ratio is not None else "vote.result.unscored_line",
            rank=_rank(ctx, s.rank or 0),
            tie=_tie(ctx, s.rank or 0, tied),
            number=s.story,
            text=titles.get(s.story, ""),
            impact=_decimal(ctx, s.mean_impact),
            cost=_decimal(ctx, s.mean_cost),
            ratio=_decimal(ctx, s.ratio),
            n=s.scorers,
        )
        for s in result.ranking
    ]


def dot_lines(ctx: CommandContext, result: DotResult, titles: dict[int, str]) -> list[Text]:
    """One line per story that got points (the others are named by number only)."""
    pointed = [s for s in result.ranking if s.points > 0]
    tied = _tied_ranks([s.rank for s in pointed])
    return [
        ctx.t(
            "vote.result.dot_line",
            rank=_rank(ctx, s.rank),
            tie=_tie(ctx, s.rank, tied),
            number=s.story,
            text=titles.get(s.story, ""),
            n=s.points,
        )
        for s in pointed
    ]


def _tied_ranks(ranks: list[int]) -> set[int]:
    return {rank for rank in ranks if ranks.count(rank) > 1}


def _rank(ctx: CommandContext, rank: int) -> Text:
    """« 2. », escaped so that Element shows it as written: an HTML list would be
    renumbered 1, 2, 3 and hide a tie."""
    label = ctx.prompts.text(ctx.lang, "vote.result.rank", rank=rank)
    return Text(escape_markdown(label), label)


def _tie(ctx: CommandContext, rank: int, tied: set[int]) -> Text:
    """« (ex æquo) » after a story that shares its rank."""
    return ctx.t("vote.result.tie") if rank in tied else Text("", "")


def _decimal(ctx: CommandContext, value: float | None) -> str:
    if value is None:
        return "—"
    from babel.numbers import format_decimal

    return str(format_decimal(round(value, 2), locale=ctx.lang))
