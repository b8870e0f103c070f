"""Merging a story into another that says the same need (« !histoire fusionner 9 4 »).

The merged story is withdrawn (kept, marked); the kept one gains its themes; both authors
stay credited (the store keeps co-authors). Who may merge: the author of the newer of the
two (the one who wrote the same need again) or a facilitator.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.domain.stories import Story, StoryRuleError, StoryStatus
from bot.domain.themes import theme_key


@dataclass(frozen=True)
class Merge:
    """The two stories once merged: ``merged`` withdrawn, ``kept`` with both themes."""

    merged: Story
    kept: Story


def merge(source: Story, target: Story, by: str, is_facilitator: bool) -> Merge:
    """Merge ``source`` into ``target``; raises StoryRuleError, codes: ``merge_itself``,
    ``merge_source_closed`` / ``merge_target_closed`` (status), ``merge_selected`` (the source
    is in a mini-chantier), ``merge_not_allowed`` (newer: the number whose author may)."""
    if source.number == target.number:
        raise StoryRuleError("merge_itself", number=source.number)
    if source.status is not StoryStatus.PROPOSED:
        if source.status is StoryStatus.SELECTED:
            raise StoryRuleError("merge_selected", number=source.number)
        raise StoryRuleError("merge_source_closed", number=source.number, status=source.status)
    if not target.is_open:
        raise StoryRuleError("merge_target_closed", number=target.number, status=target.status)
    newer = source if source.number > target.number else target
    if by != newer.author and not is_facilitator:
        raise StoryRuleError("merge_not_allowed", newer=newer.number)
    return Merge(
        merged=replace(source, status=StoryStatus.WITHDRAWN),
        kept=replace(target, themes=merged_themes(target.themes, source.themes)),
    )


def merged_themes(kept: list[str], added: list[str]) -> list[str]:
    """``kept`` then each theme of ``added`` it lacks (compared without case or accents).

    >>> merged_themes(["Planning"], ["planning", "outils"])
    ['Planning', 'outils']
    """
    keys = {theme_key(t) for t in kept}
    themes = list(kept)
    for theme in added:
        if theme_key(theme) not in keys:
            keys.add(theme_key(theme))
            themes.append(theme)
    return themes
