"""Usage stories: ``!histoire`` and its sub-commands, free-text stories, the guided dialogue.

The package, by concern: ``recording`` (a story's number, recording one: shared with
blockers), ``commands`` (record, show, edit, withdraw, take, done, the command),
``listing`` (``!histoire liste``), ``dialogue`` (``!histoire`` alone, answered in a thread),
``free_text`` (a story typed in the chat, the offer and the author's ✅), ``similar`` (« elle
ressemble à #4 »), ``merging`` (``!histoire fusionner 9 4``), ``personal_data`` (a deleted
message withdraws its story or blocker; a member's stories: export, forget).
"""

from __future__ import annotations

from bot.features.feature import ChatOrder, Feature, Hooked
from bot.features.stories.commands import story_command
from bot.features.stories.dialogue import on_dialogue_answer
from bot.features.stories.free_text import on_confirmation_reaction, on_free_text_story
from bot.features.stories.merging import merge_lines
from bot.features.stories.personal_data import (
    BLOCKER_DATA,
    STORY_DATA,
    on_blocker_redacted,
    on_story_redacted,
)
from bot.features.stories.recording import (
    load_story,
    parse_number,
    record_story,
    recorded_reply,
    recorded_text,
)
from bot.features.stories.similar import similar_to_blocker

__all__ = [
    "BLOCKER_DATA",
    "FEATURE",
    "load_story",
    "on_blocker_redacted",
    "parse_number",
    "record_story",
    "recorded_reply",
    "recorded_text",
    "similar_to_blocker",
]

FEATURE = Feature(
    "stories",
    commands=(story_command(),),
    chat=(
        Hooked(ChatOrder.DIALOGUE, on_dialogue_answer),
        Hooked(ChatOrder.FREE_TEXT_STORY, on_free_text_story),
    ),
    reactions=(on_confirmation_reaction,),
    story_lines=(merge_lines,),
    redactions=(on_story_redacted,),
    personal_data=(STORY_DATA,),
)
