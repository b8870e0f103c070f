"""The guided dialogue: ``!histoire`` alone asks the role, the need and the benefit, one reply
at a time in the command's thread, then records the story on the author's « oui »."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.commands.registry import CommandRefused
from bot.domain.folding import fold
from bot.domain.stories import StoryRuleError
from bot.domain.story_parser import PART_NAMES, StoryDraft, answer_part, render_story
from bot.features.stories.recording import record_story, recorded_reply
from bot.features.story_text import rule_error
from bot.matrix.messages import Text
from bot.store import stories as store

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
DialogueRow = dict[str, str | None]  # as the store gives it: a column to its value


async def start_dialogue(ctx: CommandContext) -> None:
    """Open a dialogue in the command's thread (or the thread it starts); one per thread."""
    root = ctx.message.thread_root or ctx.message.event_id
    if not await store.start_dialogue(ctx.db, root, ctx.circle_id, ctx.sender, ctx.now):
        raise CommandRefused("dialogue.already_open")
    await _say(ctx, root, Text.join([ctx.t("dialogue.intro"), ctx.t("dialogue.ask.role")]))


async def on_dialogue_answer(ctx: CommandContext) -> bool:
    """A reply in a dialogue's thread by its author: the next answer."""
    root = ctx.message.thread_root
    if root is None:
        return False
    row = await store.get_dialogue(ctx.db, root)
    if row is None or row["author"] != ctx.sender or row["step"] in ("done", "cancelled"):
        return False
    answer = ctx.message.body.strip()
    if _word(answer) in CANCEL_WORDS:
        await store.save_dialogue(ctx.db, root, {**row, "step": "cancelled"})
        await _say(ctx, root, ctx.t("dialogue.cancelled"))
    elif row["step"] == "confirm":
        await _confirm(ctx, root, row, answer)
    else:
        await _answer_part(ctx, root, _draft(row), str(row["step"]), answer)
    return True


async def _confirm(ctx: CommandContext, root: str, row: DialogueRow, answer: str) -> None:
    """The answer to « is this your story? »: a yes records it, anything else asks again."""
    if _word(answer) not in YES_WORDS:
        await _say(ctx, root, ctx.t("dialogue.confirm_again"))
        return
    draft = _draft(row)
    if draft.to_parts() is None:  # cannot happen: confirm comes after the three parts
        raise RuntimeError(f"dialogue {root} confirmed without its three parts")
    try:
        story = await record_story(ctx, _story_text(ctx, draft), ctx.sender, source=root)
    except StoryRuleError as exc:
        await _say(ctx, root, rule_error(ctx, exc))
        return
    await store.save_dialogue(ctx.db, root, {**row, "step": "done"})
    await _say(ctx, root, await recorded_reply(ctx, story))


async def _answer_part(
    ctx: CommandContext, root: str, draft: StoryDraft, step: str, answer: str
) -> None:
    """The answer to the part ``step``: ask it again if unusable, else ask the next part
    still missing, or the confirmation once all three are there."""
    result = answer_part(draft, step, answer, ctx.lang)
    if result.error == "too_long":
        await _say(ctx, root, ctx.t("story.error.too_long", limit=result.limit or 0))
        return
    new = result.draft
    if not getattr(new, step):
        await _say(ctx, root, ctx.t(f"dialogue.ask.{step}"))
        return
    following = [name for name in PART_NAMES if not getattr(new, name)]
    if following:
        await store.save_dialogue(ctx.db, root, {**_values(new), "step": following[0]})
        await _say(ctx, root, ctx.t(f"dialogue.ask.{following[0]}"))
        return
    await store.save_dialogue(ctx.db, root, {**_values(new), "step": "confirm"})
    await _say(ctx, root, ctx.t("dialogue.confirm", story=_story_text(ctx, new)))


async def _say(ctx: CommandContext, root: str, text: Text) -> None:
    """In the dialogue's thread, as a reply to the message being answered."""
    await ctx.reply_in_thread(text, root, reply_to=ctx.message.event_id)


def _word(answer: str) -> str:
    """An answer as compared with the yes and cancel words (« Oui ! » is « oui »)."""
    return fold(answer).strip(" .!")


def _draft(row: DialogueRow) -> StoryDraft:
    return StoryDraft(
        role=row.get("role"),
        need=row.get("need"),
        benefit=row.get("benefit"),
        need_connector=row.get("need_connector"),
        benefit_connector=row.get("benefit_connector"),
    )


def _values(draft: StoryDraft) -> DialogueRow:
    return {
        "role": draft.role,
        "need": draft.need,
        "benefit": draft.benefit,
        "need_connector": draft.need_connector,
        "benefit_connector": draft.benefit_connector,
    }


def _story_text(ctx: CommandContext, draft: StoryDraft) -> str:
    parts = draft.to_parts()
    assert parts is not None
    return render_story(parts, ctx.lang)
