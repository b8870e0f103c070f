"""The monthly check-in: ``!checkin`` and its sub-commands, and the jobs that keep its rhythm.

A check-in is a message whose thread collects the answers. After
``checkin_remind_after_days`` a reminder pings those who have not answered and
names the structures still absent; after ``checkin_close_after_days`` it closes
with a recap. During a pause no check-in opens and no reminder goes out.

The package, by concern: ``keys`` (purposes and job ids), ``rule`` (the circle's rule and
the dates it gives), ``lifecycle`` (opening, reminding, closing, and a check-in's own jobs),
``jobs`` (the monthly job, rebuilt at start), ``answers`` (the thread's hooks),
``recap_text`` (the recap at the close), ``commands``, ``wording`` (dates and the pause),
``personal_data`` (a deleted answer, a member's answers).
"""

from __future__ import annotations

from bot.features.checkins.answers import on_answer_edit, on_checkin_answer
from bot.features.checkins.commands import checkin_command
from bot.features.checkins.jobs import (
    rebuild_checkin_jobs,
    run_overdue_steps,
    schedule_circle_checkins,
)
from bot.features.checkins.lifecycle import close_checkin, open_new_checkin, send_reminder
from bot.features.checkins.personal_data import CHECKIN_DATA, on_answer_redacted
from bot.features.checkins.recap_text import checkin_recap_text
from bot.features.feature import ChatOrder, Feature, Hooked

__all__ = [
    "FEATURE",
    "checkin_recap_text",
    "close_checkin",
    "open_new_checkin",
    "schedule_circle_checkins",
    "send_reminder",
]

FEATURE = Feature(
    "checkins",
    commands=(checkin_command(),),
    chat=(Hooked(ChatOrder.CHECKIN, on_checkin_answer),),
    edits=(Hooked(ChatOrder.CHECKIN, on_answer_edit),),
    on_start=(rebuild_checkin_jobs,),
    on_first_sync=(run_overdue_steps,),
    on_circle_joined=(schedule_circle_checkins,),
    redactions=(on_answer_redacted,),
    personal_data=(CHECKIN_DATA,),
)
