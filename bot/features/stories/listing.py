"""``!histoire liste``: the stories by theme, one phone screen per page, filters kept."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.commands.context import CommandContext
from bot.commands.registry import UsageError
from bot.domain import stories as rules
from bot.domain.folding import fold
from bot.domain.paging import PHONE_SCREEN, Line, paginate
from bot.domain.stories import Story, StoryStatus
from bot.domain.themes import is_theme_word
from bot.features.story_text import status_text, story_title
from bot.matrix.messages import Markdown, Text
from bot.store import stories as store

LIST_SLACK = 10  # room for the blank lines between a page's blocks


@dataclass
class ListQuery:
    """What ``!histoire liste …`` asks for; ``filters`` are its words repeated in the pointer
    to the next page (« page 2 » itself is not)."""

    theme: str | None = None
    status: StoryStatus | None = None
    page: int = 1
    filters: list[str] = field(default_factory=list)

    @property
    def filtered(self) -> bool:
        return self.theme is not None or self.status is not None


def parse_list_words(args: str) -> ListQuery:
    """``#theme``, a status word, ``page N`` in any order; a UsageError for any other word."""
    query = ListQuery()
    words = args.split()
    index = 0
    while index < len(words):
        word = words[index]
        if word.startswith("#") and is_theme_word(word.lstrip("#")):
            query.theme = word.lstrip("#")
            query.filters.append(word.replace("`", ""))
        elif fold(word) == "page" and index + 1 < len(words) and words[index + 1].isdigit():
            query.page = max(1, int(words[index + 1]))
            index += 1
        elif (found := rules.parse_status_word(word)) is not None:
            query.status = found
            query.filters.append(word.replace("`", ""))
        else:
            raise UsageError("story.error.list_word", word=word)
        index += 1
    return query


async def list_stories(ctx: CommandContext, args: str) -> None:
    query = parse_list_words(args)
    every = await store.all_stories(ctx.db, ctx.circle_id)
    chosen = rules.filter_stories(every, query.theme, query.status)
    if chosen:
        await ctx.reply_text(list_page(ctx, chosen, query))
    elif not every:
        await ctx.reply("story.list.empty")
    else:  # a filter, or by default the withdrawn ones left out
        await ctx.reply("story.list.no_match" if query.filtered else "story.list.only_withdrawn")


def list_page(ctx: CommandContext, chosen: list[Story], query: ListQuery) -> Text:
    """The page ``query.page`` (the last one if beyond) of ``chosen``, grouped by theme."""
    groups = rules.group_by_theme(chosen)
    lines = [(label, story) for label, members in groups for story in members]
    texts = [_list_line(ctx, story) for _, story in lines]
    headings = {
        label: ctx.t("story.list.theme", theme=label) if label else ctx.t("story.list.no_theme")
        for label, _ in groups
    }
    header = ctx.t("story.list.header", n=len(chosen))
    repeated = Markdown("".join(f" {word}" for word in query.filters))
    footer = ctx.t("story.list.pages", page=99, pages=99, number=99, filters=repeated)
    budget = PHONE_SCREEN - len(header.plain) - len(footer.plain) - LIST_SLACK
    pages = paginate(
        [Line(label, len(text.plain) + 1) for (label, _), text in zip(lines, texts, strict=True)],
        {label: len(text.plain) + 2 for label, text in headings.items()},
        budget,
    )
    page = min(query.page, len(pages))
    blocks: list[Text] = [header]
    shown = [(lines[i][0], texts[i]) for i in pages[page - 1]]
    for label in dict.fromkeys(label for label, _ in shown):
        group = [text for shown_label, text in shown if shown_label == label]
        blocks.append(Text.join([headings[label], *group], "\n"))
    if len(pages) > 1:
        key = "story.list.pages" if page < len(pages) else "story.list.last_page"
        blocks.append(ctx.t(key, page=page, pages=len(pages), number=page + 1, filters=repeated))
    # Blank lines between blocks: a theme heading right under a list item would be read
    # as the end of that item (Markdown's lazy continuation), on the same line in Element.
    return Text.join(blocks, "\n\n")


def _list_line(ctx: CommandContext, story: Story) -> Text:
    porteur = ctx.display_name(story.porteur) if story.porteur else None
    return ctx.t(
        "story.list.line_porteur" if porteur else "story.list.line",
        number=story.number,
        text=story_title(story, lang=ctx.lang),
        status=status_text(ctx, story),
        porteur=porteur or "",
    )
