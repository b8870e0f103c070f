"""How stories and blockers read in messages (texts from prompts, values escaped)."""

from __future__ import annotations

from babel.lists import format_list

from bot.commands.context import CommandContext
from bot.domain.folding import fold
from bot.domain.shortening import shorten
from bot.domain.stories import Blocker, Story, StoryRuleError
from bot.domain.story_parser import connected_parts, render_story, rendered_parts
from bot.domain.themes import extract_themes, theme_key
from bot.matrix.messages import Text

SHORT_STORY_CHARS = 110


def themes_text(ctx: CommandContext, themes: list[str]) -> Text:
    if not themes:
        return ctx.t("story.no_theme")
    return ctx.t("story.themes", themes=" ".join(f"#{t}" for t in themes))


def story_parts(ctx: CommandContext, story: Story) -> Text:
    """Role, need and benefit as the story reads them (« afin qu'on sache … »): a part
    alone could be a bare subjunctive, or keep the pioneer's slip."""
    _, need, benefit = connected_parts(story.parts, ctx.lang)
    return ctx.t(
        "story.parts",
        role=story.parts.role,
        need=need,
        benefit=benefit,
        themes=themes_text(ctx, story.themes),
    )


def story_sentence(story: Story, lang: str) -> str:
    """The whole story in correct French, as the bot writes it (the pioneer's own words
    fitted to their connectors)."""
    return render_story(story.parts, lang)


def short_story(story: Story, lang: str) -> str:
    """The rendered story, cut between words for a list line."""
    return shorten(render_story(story.parts, lang), SHORT_STORY_CHARS)


def story_title(story: Story, limit: int = 60, lang: str = "fr") -> str:
    """A short distinctive title: the need as rendered (« Un agenda partagé des salles »;
    a clause keeps its « que »: « Que les comptes rendus soient rangés »)."""
    shown = rendered_parts(story.parts, lang)
    need = shown.need.strip()
    connector = shown.need_connector
    if connector.endswith(" que"):
        need = f"qu'{need}" if fold(need)[:1] in tuple("aeiouy") else f"que {need}"
    elif connector.endswith(" that"):
        need = f"that {need}"
    return shorten(need[:1].upper() + need[1:], limit)


def status_text(ctx: CommandContext, story: Story) -> Text:
    return ctx.t(f"status.{story.status.value}")


def missing_parts(ctx: CommandContext, missing: tuple[str, ...]) -> str:
    names = [ctx.prompts.text(ctx.lang, f"story.part.{name}") for name in missing]
    return format_list(names, locale=ctx.lang)


def rule_error(ctx: CommandContext, exc: StoryRuleError) -> Text:
    """The friendly answer to a move the story rules refuse."""
    data = dict(exc.data)
    if exc.code == "incomplete":
        return Text.join(
            [
                ctx.t("story.incomplete", missing=missing_parts(ctx, data.get("missing", ()))),  # type: ignore[arg-type]
                ctx.t("story.form_help"),
            ]
        )
    if exc.code == "too_long":
        return ctx.t("story.error.too_long", limit=data.get("limit") or 0)
    if data.get("porteur"):
        data["porteur"] = ctx.display_name(str(data["porteur"]))
    if "status" in data and data["status"] is not None:
        data["status"] = ctx.prompts.text(ctx.lang, f"status.{data['status']}")
    return ctx.t(f"story.error.{exc.code}", **data)


def blocker_line(ctx: CommandContext, blocker: Blocker) -> Text:
    """A blocker in a list, with the themes given to it that its text does not show
    (``!themes appliquer``)."""
    written = {theme_key(t) for t in extract_themes(blocker.text)}
    added = [t for t in blocker.themes if theme_key(t) not in written]
    return ctx.t(
        "blocker.line_themes" if added else "blocker.line",
        number=blocker.number,
        text=blocker.text,
        author=ctx.display_name(blocker.author),
        themes=" ".join(f"#{t}" for t in added),
    )
