"""Usage stories: ``!histoire`` and its sub-commands, free-text stories, the guided dialogue."""

from __future__ import annotations

import re

from bot.commands.context import CommandContext
from bot.commands.registry import Command, CommandRefused, RefusedWith, Subcommand, UsageError
from bot.domain import stories as rules
from bot.domain.dates import format_date as format_day
from bot.domain.folding import fold
from bot.domain.paging import PHONE_SCREEN, Line, paginate
from bot.domain.stories import Story, StoryRuleError, StoryStatus
from bot.domain.story_parser import (
    PART_NAMES,
    StoryDraft,
    answer_part,
    looks_like_story,
    parse_story,
    render_story,
)
from bot.domain.themes import is_theme_word
from bot.features.feature import ChatOrder, Feature, Hooked
from bot.features.story_text import (
    rule_error,
    status_text,
    story_parts,
    story_sentence,
    story_title,
)
from bot.matrix.incoming import IncomingReaction
from bot.matrix.messages import Markdown, Relation, Text
from bot.store import outbox
from bot.store import stories as store
from bot.store.purposes import ProposalPurpose

LIST_SLACK = 10  # room for the blank lines between a page's blocks
CONFIRM_KEYS = ("✅", "✔️", "✔", "☑️", "👍")
YES_WORDS = {
    "oui",
    "ok",
    "yes",
    "d'accord",
    "daccord",
    "valider",
    "enregistrer",
    "✅",
    "👍",
    "o",
    "y",
}
CANCEL_WORDS = {"annuler", "cancel", "stop", "non", "no", "abandonner"}
NUMBER = re.compile(r"^#?(\d{1,6})$")


def parse_number(word: str) -> int | None:
    match = NUMBER.match(word.strip())
    return int(match.group(1)) if match else None


async def load_story(ctx: CommandContext, word: str) -> Story:
    number = parse_number(word)
    if number is None:
        raise UsageError("story.error.bad_number", word=word)
    story = await store.get_story(ctx.db, ctx.circle_id, number)
    if story is None:
        raise CommandRefused("story.error.unknown", number=number)
    return story


async def record_story(
    ctx: CommandContext, text: str, author: str, blocker_number: int | None = None
) -> Story:
    """Parse and save a new story; raises StoryRuleError (nothing saved) if it is not one."""
    number = await store.next_story_number(ctx.db, ctx.circle_id)
    structure = await store.structure_of(ctx.db, ctx.circle_id, author)
    story = rules.propose_story(
        number, ctx.circle_id, author, text, ctx.now,
        structure=structure, blocker_number=blocker_number,
    )  # fmt: skip
    await store.insert_story(ctx.db, story)
    return story


def recorded_text(ctx: CommandContext, story: Story) -> Text:
    return Text.join(
        [
            ctx.t("story.recorded", number=story.number, author=ctx.display_name(story.author)),
            story_parts(ctx, story),
        ]
    )


# ---- !histoire ----
async def story_default(ctx: CommandContext, args: str) -> None:
    """``!histoire`` alone (dialogue), ``!histoire 12`` (show) or ``!histoire <texte>`` (record)."""
    if not args:
        await start_dialogue(ctx)
        return
    if parse_number(args) is not None:
        await show_story(ctx, args)
        return
    try:
        story = await record_story(ctx, args, ctx.sender)
    except StoryRuleError as exc:
        raise RefusedWith(rule_error(ctx, exc)) from None
    await ctx.reply_text(recorded_text(ctx, story))


async def show_story(ctx: CommandContext, args: str) -> None:
    story = await load_story(ctx, args.split()[0])
    structure = story.structure or await store.structure_of(ctx.db, ctx.circle_id, story.author)
    details = ctx.t(
        "story.details",
        author=ctx.display_name(story.author),
        structure=structure or ctx.prompts.text(ctx.lang, "story.no_structure"),
        porteur=ctx.display_name(story.porteur)
        if story.porteur
        else ctx.prompts.text(ctx.lang, "story.no_porteur"),
        created=format_day(story.created_at.astimezone(ctx.circle.tz), ctx.lang, ctx.now),
    )
    parts = [
        ctx.t("story.header", number=story.number, status=status_text(ctx, story)),
        ctx.t("story.quote", text=story_sentence(story, ctx.lang)),
        story_parts(ctx, story),
        details,
    ]
    if story.blocker_number:
        parts.append(ctx.t("story.from_blocker", number=story.blocker_number))
    for line in ctx.runtime.story_lines():
        extra = await line(ctx, story)
        if extra is not None:
            parts.append(extra)
    await ctx.reply_text(Text.join(parts))


async def list_stories(ctx: CommandContext, args: str) -> None:
    theme: str | None = None
    status: StoryStatus | None = None
    page = 1
    words = args.split()
    filters: list[str] = []  # repeated in the pointer to the next page
    index = 0
    while index < len(words):
        word = words[index]
        if word.startswith("#") and is_theme_word(word.lstrip("#")):
            theme = word.lstrip("#")
            filters.append(word.replace("`", ""))
        elif fold(word) == "page" and index + 1 < len(words) and words[index + 1].isdigit():
            page = max(1, int(words[index + 1]))
            index += 1
        elif (found := rules.parse_status_word(word)) is not None:
            status = found
            filters.append(word.replace("`", ""))
        else:
            raise UsageError("story.error.list_word", word=word)
        index += 1
    every = await store.all_stories(ctx.db, ctx.circle_id)
    chosen = rules.filter_stories(every, theme, status)
    if not chosen:
        if not every:
            await ctx.reply("story.list.empty")
        else:  # a filter, or by default the withdrawn ones left out
            filtered = theme is not None or status is not None
            await ctx.reply("story.list.no_match" if filtered else "story.list.only_withdrawn")
        return
    groups = rules.group_by_theme(chosen)
    lines = [(label, story) for label, members in groups for story in members]
    texts = [_list_line(ctx, story) for _, story in lines]
    headings = {
        label: ctx.t("story.list.theme", theme=label) if label else ctx.t("story.list.no_theme")
        for label, _ in groups
    }
    header = ctx.t("story.list.header", n=len(chosen))
    repeated = Markdown("".join(f" {word}" for word in filters))
    footer = ctx.t("story.list.pages", page=99, pages=99, number=99, filters=repeated)
    budget = PHONE_SCREEN - len(header.plain) - len(footer.plain) - LIST_SLACK
    pages = paginate(
        [Line(label, len(text.plain) + 1) for (label, _), text in zip(lines, texts, strict=True)],
        {label: len(text.plain) + 2 for label, text in headings.items()},
        budget,
    )
    page = min(page, len(pages))
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
    await ctx.reply_text(Text.join(blocks, "\n\n"))


def _list_line(ctx: CommandContext, story: Story) -> Text:
    porteur = ctx.display_name(story.porteur) if story.porteur else None
    return ctx.t(
        "story.list.line_porteur" if porteur else "story.list.line",
        number=story.number,
        text=story_title(story, lang=ctx.lang),
        status=status_text(ctx, story),
        porteur=porteur or "",
    )


async def edit_story(ctx: CommandContext, args: str) -> None:
    number_word, _, text = args.partition(" ")
    if not number_word or not text.strip():
        raise UsageError("story.error.edit_form")
    story = await load_story(ctx, number_word)
    try:
        changed = rules.edit(story, ctx.sender, ctx.is_facilitator, text, ctx.now)
    except StoryRuleError as exc:
        raise RefusedWith(rule_error(ctx, exc)) from None
    await store.save_story(ctx.db, changed)
    await ctx.reply_text(
        Text.join([ctx.t("story.edited", number=changed.number), story_parts(ctx, changed)])
    )


async def _transition(ctx: CommandContext, args: str, key: str, move: str) -> None:
    if not args.split():
        raise UsageError()
    story = await load_story(ctx, args.split()[0])
    try:
        if move == "withdraw":
            changed = rules.withdraw(story, ctx.sender, ctx.is_facilitator)
        elif move == "take":
            changed = rules.take(story, ctx.sender)
        else:
            changed = rules.mark_done(story, ctx.sender, ctx.is_facilitator, ctx.now)
    except StoryRuleError as exc:
        raise RefusedWith(rule_error(ctx, exc)) from None
    await store.save_story(ctx.db, changed)
    await ctx.reply(key, number=changed.number, who=ctx.display_name(ctx.sender))


async def withdraw_story(ctx: CommandContext, args: str) -> None:
    await _transition(ctx, args, "story.withdrawn", "withdraw")


async def take_story(ctx: CommandContext, args: str) -> None:
    await _transition(ctx, args, "story.taken", "take")


async def done_story(ctx: CommandContext, args: str) -> None:
    await _transition(ctx, args, "story.done", "done")


def story_command() -> Command:
    return Command(
        "histoire",
        "story",
        story_default,
        subcommands=(
            Subcommand("liste", "list", list_stories),
            Subcommand("modifier", "edit", edit_story),
            Subcommand("retirer", "withdraw", withdraw_story),
            Subcommand("prendre", "take", take_story),
            Subcommand("fait", "done", done_story),
        ),
        shortcuts=(("histoires", "liste"), ("stories", "liste")),
    )


# ---- guided dialogue ----
def _thread_of(ctx: CommandContext) -> str:
    return ctx.message.thread_root or ctx.message.event_id


async def start_dialogue(ctx: CommandContext) -> None:
    root = _thread_of(ctx)
    if not await store.start_dialogue(ctx.db, root, ctx.circle_id, ctx.sender, ctx.now):
        raise CommandRefused("dialogue.already_open")
    await _say_in_thread(
        ctx, root, Text.join([ctx.t("dialogue.intro"), ctx.t("dialogue.ask.role")])
    )


async def _say_in_thread(ctx: CommandContext, root: str, text: Text) -> None:
    content = ctx.builder.build(
        text, relation=Relation(thread_root=root, reply_to=ctx.message.event_id)
    )
    await outbox.enqueue(ctx.db, ctx.circle.room_id, "m.room.message", content)


def _draft(row: dict[str, str | None]) -> StoryDraft:
    return StoryDraft(
        role=row.get("role"),
        need=row.get("need"),
        benefit=row.get("benefit"),
        need_connector=row.get("need_connector"),
        benefit_connector=row.get("benefit_connector"),
    )


async def on_dialogue_answer(ctx: CommandContext) -> bool:
    """A reply in a dialogue's thread by its author: the next answer."""
    root = ctx.message.thread_root
    if root is None:
        return False
    row = await store.get_dialogue(ctx.db, root)
    if row is None or row["author"] != ctx.sender or row["step"] in ("done", "cancelled"):
        return False
    answer = ctx.message.body.strip()
    step = str(row["step"])
    if fold(answer).strip(" .!") in CANCEL_WORDS:
        await store.save_dialogue(ctx.db, root, {**row, "step": "cancelled"})
        await _say_in_thread(ctx, root, ctx.t("dialogue.cancelled"))
        return True
    draft = _draft(row)
    if step == "confirm":
        if fold(answer).strip(" .!") not in YES_WORDS:
            await _say_in_thread(ctx, root, ctx.t("dialogue.confirm_again"))
            return True
        parts = draft.to_parts()
        if parts is None:  # cannot happen: confirm comes after the three parts
            raise RuntimeError(f"dialogue {root} confirmed without its three parts")
        text = _dialogue_story_text(ctx, draft)
        try:
            story = await record_story(ctx, text, ctx.sender)
        except StoryRuleError as exc:
            await _say_in_thread(ctx, root, rule_error(ctx, exc))
            return True
        await store.save_dialogue(ctx.db, root, {**row, "step": "done"})
        await _say_in_thread(ctx, root, recorded_text(ctx, story))
        return True
    result = answer_part(draft, step, answer, ctx.lang)
    if result.error == "too_long":
        await _say_in_thread(ctx, root, ctx.t("story.error.too_long", limit=result.limit or 0))
        return True
    new = result.draft
    if not getattr(new, step):
        await _say_in_thread(ctx, root, ctx.t(f"dialogue.ask.{step}"))
        return True
    following = [name for name in PART_NAMES if not getattr(new, name)]
    values = {
        "role": new.role,
        "need": new.need,
        "benefit": new.benefit,
        "need_connector": new.need_connector,
        "benefit_connector": new.benefit_connector,
    }
    if following:
        await store.save_dialogue(ctx.db, root, {**values, "step": following[0]})
        await _say_in_thread(ctx, root, ctx.t(f"dialogue.ask.{following[0]}"))
        return True
    await store.save_dialogue(ctx.db, root, {**values, "step": "confirm"})
    await _say_in_thread(ctx, root, ctx.t("dialogue.confirm", story=_dialogue_story_text(ctx, new)))
    return True


def _dialogue_story_text(ctx: CommandContext, draft: StoryDraft) -> str:
    parts = draft.to_parts()
    assert parts is not None
    return render_story(parts, ctx.lang)


# ---- free-text stories ----
async def on_free_text_story(ctx: CommandContext) -> bool:
    """A chat message that is a complete story: offer to record it (✅ by its author)."""
    body = ctx.message.body
    if ctx.message.thread_root is not None or not looks_like_story(body):
        return False
    result = parse_story(body)
    if result.parts is None:
        return False
    await store.add_proposal(ctx.db, ctx.message.event_id, ctx.circle_id, ctx.sender, body, ctx.now)
    text = Text.join(
        [
            ctx.t("proposal.offer", author=ctx.display_name(ctx.sender)),
            ctx.t(
                "proposal.parts",
                role=result.parts.role,
                need=result.parts.need,
                benefit=result.parts.benefit,
            ),
        ]
    )
    content = ctx.builder.build(
        text, relation=Relation(thread_root=ctx.message.event_id, reply_to=ctx.message.event_id)
    )
    await outbox.enqueue(
        ctx.db,
        ctx.circle.room_id,
        "m.room.message",
        content,
        ProposalPurpose(ctx.message.event_id).text(),
    )
    return True


async def on_confirmation_reaction(ctx: CommandContext, reaction: IncomingReaction) -> bool:
    """The author's ✅ on their story or on the bot's offer records the story."""
    if reaction.key.strip() not in CONFIRM_KEYS:
        return False
    source = reaction.reacts_to
    proposal = await store.get_proposal(ctx.db, source)
    if proposal is None:
        purpose = ProposalPurpose.parse(await outbox.purpose_of_sent(ctx.db, source) or "")
        if purpose is None:
            return False
        source = purpose.event_id
        proposal = await store.get_proposal(ctx.db, source)
        if proposal is None:
            return False
    _circle_id, author, text, recorded = proposal
    if reaction.sender != author or recorded is not None:
        return False  # only the author confirms, and only once
    relation = Relation(thread_root=source, reply_to=source)
    try:
        story = await record_story(ctx, text, author)
    except StoryRuleError as exc:
        content = ctx.builder.build(rule_error(ctx, exc), relation=relation)
        await outbox.enqueue(ctx.db, ctx.circle.room_id, "m.room.message", content)
        return True
    await store.mark_proposal_recorded(ctx.db, source, story.number)
    content = ctx.builder.build(recorded_text(ctx, story), relation=relation)
    await outbox.enqueue(ctx.db, ctx.circle.room_id, "m.room.message", content)
    return True


FEATURE = Feature(
    "stories",
    commands=(story_command(),),
    chat=(
        Hooked(ChatOrder.DIALOGUE, on_dialogue_answer),
        Hooked(ChatOrder.FREE_TEXT_STORY, on_free_text_story),
    ),
    reactions=(on_confirmation_reaction,),
)
