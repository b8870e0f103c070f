"""``!statut``: the bot's health and the circle's next scheduled events, for facilitators."""

from __future__ import annotations

from datetime import timedelta

from tests.unit.circle_in_memory import CircleInMemory
from tests.unit.features.helpers import ANNA, BRUNO, FACILITATOR_ONLY, one


async def test_a_facilitator_sees_the_bots_health(circle: CircleInMemory) -> None:
    circle.matrix.last_sync_at = circle.now - timedelta(seconds=4)
    body = one(await circle.say(ANNA, "!statut"))
    assert body.startswith("🩺 **État du bot** (version ")
    assert "- 1 cercle servi" in body
    assert "- Aucune réponse en attente d'envoi" in body
    assert "- Dernière synchronisation avec le serveur : il y a 4 secondes" in body
    # The fake homeserver holds no cross-signing keys: the device is not verified.
    assert "Appareil **non vérifié**" in body


async def test_the_circles_next_events_are_listed_soonest_first(circle: CircleInMemory) -> None:
    circle.bot.clockwork.start()
    try:
        await circle.say(ANNA, "!chantier nouveau Planning partagé")
        await circle.run_later()  # the jobs are scheduled once the plan is committed
        body = one(await circle.say(ANNA, "!status"))
    finally:
        circle.bot.clockwork.shutdown()
    header = body.index("**Prochaines échéances du cercle :**")
    closing = body.index("- clôture du mini-chantier : ")
    assert header < closing
    assert "Aucune échéance" not in body


async def test_without_jobs_the_status_says_nothing_is_planned(circle: CircleInMemory) -> None:
    assert "Aucune échéance prévue pour ce cercle." in one(await circle.say(ANNA, "!statut"))


async def test_a_pioneer_may_not_see_the_status(circle: CircleInMemory) -> None:
    assert one(await circle.say(BRUNO, "!statut")) == FACILITATOR_ONLY
