"""The check-in's recap: who answered, structure by structure, and what the answers bring."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.domain.checkin_answers import answers_findings
from bot.domain.paging import PHONE_SCREEN
from bot.domain.shortening import shorten
from bot.domain.structures import participation_by_structure
from bot.features.fitting import PARAGRAPH, fit_lines, length
from bot.matrix.messages import Text

FINDING_CHARS = 140  # a blocker or a story idea in the recap (whole in the thread)


def checkin_recap_text(
    ctx: CommandContext,
    number: int,
    answers: list[tuple[str, str]],
    members: dict[str, str | None],
) -> Text:
    """The check-in's recap: who answered, structure by structure, and what the answers
    bring (blockers, story ideas), shortened to fit a phone screen; the whole answers stay
    in the check-in's thread."""
    participants = {author for author, _ in answers}
    parts = [ctx.t("checkin.recap.header", number=number, n=len(participants))]
    if not participants:
        parts.append(ctx.t("checkin.recap.nobody"))
    lines = _structure_lines(ctx, participants, members)
    if lines:
        parts.append(Text.join(lines, "\n"))
    return Text.join([*parts, *_findings_parts(ctx, [text for _, text in answers], parts)])


def _structure_lines(
    ctx: CommandContext, participants: set[str], members: dict[str, str | None]
) -> list[Text]:
    return [
        ctx.t(
            "checkin.recap.absent_line" if part.is_absent else "checkin.recap.line",
            structure=part.structure,
            present=len(part.participants),
            members=len(part.members),
        )
        # People without a structure are no structure: they count among those who answered.
        for part in participation_by_structure(participants, members)
        if part.structure is not None
    ]


def _findings_parts(ctx: CommandContext, answers: list[str], above: list[Text]) -> list[Text]:
    """The blockers and story ideas spotted, each kind under its title, sharing what room
    the phone screen has left below ``above``."""
    findings = answers_findings(answers)
    found = [
        (ctx.t("checkin.recap.blockers"), "checkin.recap.blocker_line", findings.blockers),
        (ctx.t("checkin.recap.ideas"), "checkin.recap.idea_line", findings.story_ideas),
    ]
    found = [(title, key, texts) for title, key, texts in found if texts]
    room = PHONE_SCREEN - length([*above, *(title for title, _, _ in found)])

    def more(k: int) -> Text:
        return ctx.t("checkin.recap.more", n=k)

    parts: list[Text] = []
    for title, key, texts in found:
        share = room // len(found)
        found_lines = [ctx.t(key, text=shorten(text, FINDING_CHARS)) for text in texts]
        parts.append(title)
        parts.append(Text.join(fit_lines(found_lines, more, share - len(PARAGRAPH)), "\n"))
    return parts
