"""How a forgotten member (and one who declines thanks by name) is shown: « une personne de
<structure> », in the circle's language."""

from __future__ import annotations

from collections.abc import Callable

from bot.commands.context import CommandContext
from bot.domain.personal_data import Forgetting, alias_structure, is_alias
from bot.prompts import Prompts
from bot.store import personal_data as people


def someone_of(prompts: Prompts, lang: str, structure: str | None) -> str:
    """« une personne de Repair Café », or « une personne du cercle » without structure."""
    if structure:
        return prompts.text(lang, "data.someone_of", structure=structure)
    return prompts.text(lang, "data.someone")


def forgotten_name(prompts: Prompts, lang: str, user_id: str) -> str | None:
    """What stands for a forgotten member's alias; None for anyone else."""
    if not is_alias(user_id):
        return None
    return someone_of(prompts, lang, alias_structure(user_id))


async def discretion(ctx: CommandContext) -> Callable[[str | None], str | None]:
    """For recaps and summaries: the id to show for a person, an alias (« une personne de
    <structure> ») for one who declined thanks by name (``!merci non``)."""
    declined = await people.who_declines_thanks(ctx.db)
    if not declined:
        return lambda user: user
    members = await ctx.runtime.members(ctx.circle_id)

    def shown(user: str | None) -> str | None:
        if user is None or user not in declined:
            return user
        return Forgetting(user, {ctx.circle_id: members.get(user)}, "discreet").alias(ctx.circle_id)

    return shown
