"""People's data (RGPD): ``!mesdonnees``, ``!oublier``, ``!merci non|oui``.

Each feature declares what it keeps about a person (``Feature.personal_data``: export and
forget) and what a deleted message withdraws (``Feature.redactions``); this package runs
them for one person and keeps what is hers alone. By concern: ``commands``, ``identity``
(her structure, names, choices), ``naming`` (« une personne de <structure> »).
"""

from __future__ import annotations

from bot.features.feature import Feature
from bot.features.personal_data.commands import data_command
from bot.features.personal_data.identity import IDENTITY_DATA

__all__ = ["FEATURE"]

FEATURE = Feature("personal_data", commands=(data_command(),), personal_data=(IDENTITY_DATA,))
