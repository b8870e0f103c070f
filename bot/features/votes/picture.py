"""The results picture of a closed vote: drawn and posted after the close commits (once)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.domain.tally import tally_dot_votes, tally_scores
from bot.features.votes.wording import titles
from bot.store import votes as store

if TYPE_CHECKING:
    from bot.commands.runtime import Runtime

log = logging.getLogger(__name__)


async def send_picture(runtime: Runtime, circle_id: str, number: int) -> None:
    """Draw and upload the results picture of a closed vote, then post it (once)."""
    ctx = runtime.context(circle_id)
    vote = await store.get_vote(ctx.db, circle_id, number)
    if vote is None or vote.picture_state != "pending":
        return
    story_titles = await titles(ctx, vote.candidates)
    title = ctx.prompts.text(ctx.lang, "vote.picture.title", number=number)
    from bot.rendering.drawing_process import draw_dot_chart, draw_score_matrix

    if vote.kind == "scores":
        scores = tally_scores(await store.score_ballots(ctx.db, circle_id, number), vote.candidates)
        labels = {
            k: ctx.prompts.text(ctx.lang, f"vote.picture.{k}")
            for k in ("impact", "cost", "quick_wins")
        }
        png = await draw_score_matrix(scores, story_titles, title, labels)
    else:
        dots = tally_dot_votes(await store.dot_ballots(ctx.db, circle_id, number), vote.candidates)
        png = await draw_dot_chart(dots, story_titles, title)
    try:
        await runtime.post_image(circle_id, png, f"vote-{number}.png", title)
    except Exception:
        log.exception("could not post the picture of vote %s in %s", number, circle_id)
        return
    await store.set_picture_state(ctx.db, circle_id, number, "sent")


async def resend_pending_pictures(runtime: Runtime) -> None:
    """After a restart: pictures of closed votes that were not posted yet."""
    for vote in await store.pending_pictures(runtime.db):
        await send_picture(runtime, vote.circle_id, vote.number)
