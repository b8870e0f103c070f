"""Mini-chantiers: ``!chantier`` — plan one, choose its stories, follow it, close it.

A chantier is announced when it starts (its stories, porteurs wanted), nudged
``sprint_nudge_days_before`` days before its end, and closed on its last day at
18:00 in the circle's zone (the last day still counts as a working day; the
summary arrives at the end of it) or earlier by ``!chantier clore``. The close
posts a summary, then the retrospective questions in a separate message whose
thread collects the answers.

The package, by concern: ``dates`` (reading « du 1/12 au 31/12 »), ``planning``
(nouveau, ajouter, retirer), ``commands`` (show, list, close, the command),
``status`` and ``summary_text`` (what a chantier says), ``summary`` (its facts, typed),
``announcements`` and ``lifecycle`` (its jobs), ``retrospective`` (the thread's hooks),
``rows`` (which chantier, by the domain's rules), ``wording`` (days, titles, numbers),
``personal_data`` (deleted answers and stories, a member's data).
"""

from __future__ import annotations

from bot.features.feature import ChatOrder, Feature, Hooked
from bot.features.sprints.commands import sprint_command
from bot.features.sprints.lifecycle import rebuild_sprint_jobs, run_overdue_sprint_jobs
from bot.features.sprints.personal_data import SPRINT_DATA, on_retro_redacted
from bot.features.sprints.retrospective import on_retro_answer, on_retro_edit
from bot.features.sprints.status import sprint_summary_text, story_sprint_line
from bot.features.sprints.summary import SprintSummary, sprint_summaries

__all__ = ["FEATURE", "SprintSummary", "sprint_summaries", "sprint_summary_text"]

FEATURE = Feature(
    "sprints",
    commands=(sprint_command(),),
    chat=(Hooked(ChatOrder.RETROSPECTIVE, on_retro_answer),),
    edits=(Hooked(ChatOrder.RETROSPECTIVE, on_retro_edit),),
    on_start=(rebuild_sprint_jobs,),
    on_first_sync=(run_overdue_sprint_jobs,),
    story_lines=(story_sprint_line,),
    redactions=(on_retro_redacted,),
    personal_data=(SPRINT_DATA,),
)
