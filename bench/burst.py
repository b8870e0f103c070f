"""A burst: 20 pioneers send their ballots at the same moment; all must be counted.

One circle, a facilitator and 20 voting pioneers. The facilitator writes 5 stories and opens a
vote (``!vote ouvrir``: dot voting, 3 points, every proposed story); the 20 pioneers then send
``!vote a b c`` together (``asyncio.gather``). Measured: the time from the burst to the last
acknowledgement (a reply to, or a reaction on, the ballot), seen by the facilitator; then
``!vote`` must report 20 voters.

While the vote commands do not exist yet (the bot answers « Je ne connais pas … »), the burst
is 20 concurrent ``!histoire`` recordings instead (``--burst-variant stories`` forces it): all
20 answered, numbered 1..20 without gap or duplicate, and ``!histoires`` lists 20. The output
says which variant ran.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Callable

from bench import CpuMeter, Figure, Rig, answers, ask, percentile, rss_mb, settle, wait_for_all
from bot.testing.bot_process import BotProcess
from bot.testing.pioneer import Pioneer, SeenEvent

VOTERS = 20
STORIES = 5
SETTLE_TIMEOUT_S = 120
UNKNOWN_COMMAND = ("Je ne connais pas", "Vouliez-vous dire")


def acknowledges(bot_id: str, event_id: str) -> Callable[[SeenEvent], bool]:
    """The bot's reply to ``event_id``, or its reaction on it."""
    replied = answers(bot_id, event_id)

    def match(e: SeenEvent) -> bool:
        if replied(e):
            return True
        relation = e.content.get("m.relates_to") or {}
        return (
            e.sender == bot_id and e.type == "m.reaction" and relation.get("event_id") == event_id
        )

    return match


def ballot(voter: int) -> str:
    """Three points over the five stories, different from one voter to the next."""
    points = [voter % STORIES + 1, (voter + 1) % STORIES + 1, (voter * 2) % STORIES + 1]
    return "!vote " + " ".join(str(p) for p in points)


def voter_story(voter: int) -> str:
    return (
        f"!histoire En tant que pionnière n°{voter + 1}, je souhaite un annuaire des structures "
        f"du cercle afin que je trouve qui contacter pour la question {voter + 1}"
    )


async def _burst(
    observer: Pioneer,
    bot_id: str,
    room_id: str,
    voters: list[Pioneer],
    text: Callable[[int], str],
    meter: CpuMeter,
) -> tuple[float, list[float], list[SeenEvent | None], list[str]]:
    """Send ``text(i)`` from every voter at once; returns the time to the last acknowledgement,
    each one's delay, the acknowledgements (None if missing) and the sent event ids."""
    mark = observer.mark()
    meter.start()
    began = time.monotonic()
    sent = await asyncio.gather(*(v.send(room_id, text(i)) for i, v in enumerate(voters)))
    acks = await wait_for_all(
        observer, [acknowledges(bot_id, e) for e in sent], SETTLE_TIMEOUT_S, mark
    )
    print(f"  burst: {meter.summary()}")
    delays = [a.received_at - began for a in acks if a is not None]
    settled = max(delays) if len(delays) == len(acks) else float("nan")
    return settled, delays, acks, list(sent)


async def run(rig: Rig, variant: str = "auto") -> list[Figure]:
    """The burst; ``variant`` "auto" sends ballots if the bot knows ``!vote``, else stories;
    "votes" or "stories" forces one."""
    facilitator = await rig.pioneer("burst-anna")
    bot, bot_id = rig.bot("burst-bot", facilitator.user_id)
    voters = await rig.pioneers_named("burst-voter", VOTERS)
    room_id = await facilitator.create_room("Cercle rafale", [bot_id, *(v.user_id for v in voters)])
    for voter in voters:
        await voter.join(room_id)
    await facilitator.wait_for(lambda e: e.sender == bot_id and e.room_id == room_id, 60)
    # Everyone speaks once first, so that the burst does not pay for the first sharing of
    # each pioneer's encryption keys with the 21 other devices.
    began = time.monotonic()
    warm = await asyncio.gather(
        *(ask(v, room_id, bot_id, "!aide", SETTLE_TIMEOUT_S) for v in voters)
    )
    print(
        f"  warm-up: {VOTERS} concurrent !aide (first messages, keys shared) answered in "
        f"{time.monotonic() - began:.1f} s, slowest {max(w[1] for w in warm):.1f} s"
    )
    await settle(2)
    probe, _, _ = await ask(facilitator, room_id, bot_id, "!vote")
    meter = CpuMeter({"bot": bot.pid, "synapse": rig.homeserver.pid, "21 pioneers": os.getpid()})
    knows_votes = not any(words in probe.body for words in UNKNOWN_COMMAND)
    if variant == "stories" or (variant == "auto" and not knows_votes):
        why = "asked for" if knows_votes else f"the bot does not know !vote yet: {probe.body!r}"
        print(f"  VARIANT: story recordings ({why})")
        figures = await _story_burst(facilitator, bot_id, room_id, voters, meter)
    else:
        print("  VARIANT: ballots (!vote)")
        figures = await _vote_burst(facilitator, bot, bot_id, room_id, voters, meter)
    bot.stop()
    return figures


async def _vote_burst(
    facilitator: Pioneer,
    bot: BotProcess,
    bot_id: str,
    room_id: str,
    voters: list[Pioneer],
    meter: CpuMeter,
) -> list[Figure]:
    for i in range(STORIES):
        await ask(facilitator, room_id, bot_id, voter_story(100 + i))
    # The vote is announced by a post of its own, not by a reply.
    opened, seconds, _ = await ask(facilitator, room_id, bot_id, "!vote ouvrir", reply=False)
    print(f"  !vote ouvrir ({seconds:.2f} s) → {_first_line(opened.body)}")
    settled, delays, acks, _ = await _burst(facilitator, bot_id, room_id, voters, ballot, meter)
    await settle(1)
    status, seconds, _ = await ask(facilitator, room_id, bot_id, "!vote")
    counted = re.search(rf"\b{VOTERS}\b", status.body) is not None
    print(f"  !vote ({seconds:.2f} s) → {_one_line(status.body)}")
    acknowledged = sum(a is not None for a in acks)
    closed, seconds, _ = await ask(
        facilitator, room_id, bot_id, "!vote clore", SETTLE_TIMEOUT_S, reply=False
    )
    print(f"  !vote clore ({seconds:.2f} s) → {_first_line(closed.body)}")
    await settle(2)
    rss, _ = rss_mb(bot.pid or 0)
    print(f"  bot RSS after the results and their chart: {rss:.1f} MB")
    figures = _figures(
        "ballots (!vote)",
        settled,
        delays,
        acknowledged,
        counted,
        f"!vote says {VOTERS} voters",
    )
    return [*figures, Figure("burst", "bot RSS after !vote clore (chart)", rss, "MB")]


async def _story_burst(
    facilitator: Pioneer, bot_id: str, room_id: str, voters: list[Pioneer], meter: CpuMeter
) -> list[Figure]:
    settled, delays, acks, _ = await _burst(
        facilitator, bot_id, room_id, voters, voter_story, meter
    )
    numbers = sorted(
        int(m.group(1)) for a in acks if a and (m := re.search(r"#(\d+)", a.body)) is not None
    )
    await settle(1)
    listing, _, _ = await ask(facilitator, room_id, bot_id, "!histoires")
    listed = {int(n) for n in re.findall(r"#(\d+)", listing.body)}
    expected = list(range(1, VOTERS + 1))
    counted = numbers == expected and listed >= set(expected)
    counted = counted and f"{VOTERS} histoires" in listing.body
    print(f"  numbers given: {numbers}")
    print(f"  !histoires → {_first_line(listing.body)} (numbers listed: {len(listed)})")
    return _figures(
        "story recordings",
        settled,
        delays,
        sum(a is not None for a in acks),
        counted,
        f"numbered 1..{VOTERS}, listed",
    )


def _figures(
    variant: str,
    settled: float,
    delays: list[float],
    acknowledged: int,
    counted: bool,
    check: str,
) -> list[Figure]:
    print(
        f"  {acknowledged}/{VOTERS} acknowledged; settled after {settled:.2f} s "
        f"(acknowledgement delay p50 {percentile(delays, 50):.2f} s, "
        f"first {percentile(delays, 0):.2f} s, last {percentile(delays, 100):.2f} s); "
        f"{check}: {'yes' if counted else 'NO'}"
    )
    bench = "burst"
    nothing_lost = acknowledged == VOTERS and counted
    return [
        Figure(bench, "variant", variant),
        Figure(bench, "acknowledged", f"{acknowledged}/{VOTERS}", "", "all", nothing_lost),
        Figure(bench, check, "yes" if counted else "no", "", "yes", counted),
        Figure(bench, "time until settled", settled, "s"),
        Figure(bench, "acknowledgement delay p50", percentile(delays, 50), "s"),
    ]


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:120] if text.strip() else "(empty)"


def _one_line(text: str) -> str:
    return " ⏎ ".join(line for line in text.splitlines() if line.strip())[:300]
