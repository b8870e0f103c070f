"""The whole cycle, end to end, against a homeserver started here: ``python -m bot.demo``.

A facilitator and pioneers from three structures, all real matrix-nio clients
in an encrypted room, go through blockers, stories (command, free text + ✅,
guided dialogue), a vote (text ballots, an Element poll, a secret ballot by
direct message) with its picture, a proposal decided by consent, a mini-chantier,
a check-in with its reminder and recap, the monthly rendez-vous (slots, coverage by
structure, the chosen date with its agenda and invitation), the monthly recap and
the Markdown export. The clock is "compressed": facilitators trigger each step by
command instead of waiting for the calendar, except the vote, which closes by itself
at a deadline about a minute away. The room's conversation is printed
(``demo_transcript.py``); the export and the pictures are left in the output folder.

``--keep`` (``make demo-keep``) is for watching it in a real Element: it creates an
account « vous », invites it into the circle and waits until you log in with Element
and join the room; only then does the story start, so your new device can read every
encrypted message. Afterwards the homeserver and the bot keep running until Ctrl-C,
the terminal is closed or the program that started the demo dies. ``--listen
0.0.0.0`` (or ``DEMO_LISTEN``) opens the homeserver to the local network, for a phone;
the default stays 127.0.0.1. ``--port`` (or ``DEMO_PORT``) fixes its port.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.demo_keep import lan_addresses, still_running, stop_on_signals, viewer_invitation
from bot.demo_transcript import Transcript, bot_texts, first_line
from bot.testing.bot_process import BotProcess
from bot.testing.french_check import grammalecte_available, transcript_report
from bot.testing.homeserver import LocalHomeserver
from bot.testing.lifetime import end_with_parent
from bot.testing.pioneer import Pioneer, SeenEvent

PASSWORD = "demo-password"
VIEWER = "vous"  # the account a person logs into with Element in --keep mode
ROOM_NAME = "Cercle des pionniers (démo)"


class Demo:
    def __init__(
        self, out: Path, keep: bool = False, listen: str = "127.0.0.1", port: int | None = None
    ) -> None:
        self.out = out
        self.keep = keep
        # Synapse and the bot end with the demo, even when it is killed (see lifetime.py).
        self.hs = LocalHomeserver(
            out / "homeserver", port=port, bind_address=listen, die_with_parent=True
        )
        self.viewer = ""
        self.people: dict[str, Pioneer] = {}
        self.names: dict[str, str] = {}
        self.bot_id = ""
        self.room = ""
        self.bot: BotProcess | None = None
        self.transcript = Transcript()

    # ---- printing ----
    def phase(self, title: str) -> None:
        self.transcript.phase(title)

    def show_new(self) -> None:
        """Print the room's new messages as anna's client sees them."""
        self.transcript.show_new(self.anna.events, self.room, self.bot_id, self.names)

    # ---- actions ----
    @property
    def anna(self) -> Pioneer:
        return self.people["anna"]

    async def say(self, who: str, text: str, **kwargs: object) -> str:
        return await self.people[who].send(self.room, text, **kwargs)  # type: ignore[arg-type]

    async def bot_says(self, match: Callable[[SeenEvent], bool], timeout: float = 60) -> SeenEvent:
        event = await self.anna.wait_for(
            lambda e: e.sender == self.bot_id and match(e), timeout, after=self._mark
        )
        await asyncio.sleep(0.3)
        self.show_new()
        return event

    async def ask(self, who: str, text: str, contains: str = "") -> SeenEvent:
        self._mark = self.anna.mark()
        event_id = await self.say(who, text)
        return await self.bot_says(lambda e: e.reply_to == event_id and contains in e.body)

    async def post(self, who: str, text: str, contains: str, **kwargs: object) -> SeenEvent:
        self._mark = self.anna.mark()
        await self.say(who, text, **kwargs)
        return await self.bot_says(lambda e: contains in e.body)

    async def save_file(self, event: SeenEvent, name: str) -> Path:
        path = self.out / name
        path.write_bytes(await self.anna.download(event))
        return path

    # ---- the story ----
    async def set_up(self) -> None:
        self.phase("Un homeserver Synapse local, le bot et quatre personnes")
        self.hs.start()
        self.bot_id = self.hs.register("cercle-bot", PASSWORD)
        cast = {
            "anna": "Anna (animatrice)",
            "ben": "Ben (La Ressourcerie)",
            "chloe": "Chloé (Les Jardins)",
            "david": "David (Tiers-lieu)",
        }
        for user, label in cast.items():
            user_id = self.hs.register(user, PASSWORD)
            self.names[user_id] = label
            pioneer = Pioneer(self.hs.base_url, user_id, PASSWORD, self.out / "clients" / user)
            await pioneer.start()
            await pioneer.client.set_displayname(label.split(" ")[0])
            self.people[user] = pioneer
        self.names[self.bot_id] = "🤖 bot"
        self.bot = BotProcess(
            self.hs.base_url, self.bot_id, PASSWORD, self.out / "bot-data",
            allowed_inviters=self.anna.user_id, die_with_parent=True,
        )  # fmt: skip
        self.bot.start()
        print(f"  homeserver {self.hs.base_url}, bot {self.bot_id} (appareil cross-signé)")
        guests = [p.user_id for n, p in self.people.items() if n != "anna"]
        if self.keep:
            self.viewer = self.hs.register(VIEWER, PASSWORD)
            self.names[self.viewer] = "Vous (Element)"
            guests.append(self.viewer)
        self.room = await self.anna.create_room(ROOM_NAME, guests)
        for name in ("ben", "chloe", "david"):
            await self.people[name].join(self.room)
        print(f"  salon chiffré {self.room}")
        if self.keep:
            await self.anna.set_power_level(self.room, self.viewer, 50)  # facilitator too
            await self.wait_for_viewer()
        # The bot comes last: its greeting is the first message everyone can read.
        self._mark = self.anna.mark()
        await self.anna.invite(self.room, self.bot_id)
        await self.bot_says(lambda e: "Bonjour le cercle" in e.body)
        await self.ask("ben", "!structure La Ressourcerie", "Ressourcerie")
        await self.ask("chloe", "!structure Les Jardins", "Jardins")
        await self.ask("david", "!structure Tiers-lieu", "Tiers-lieu")
        await self.ask("anna", "!aide", "Ce que je sais faire")

    async def wait_for_viewer(self) -> None:
        """--keep: the story starts once a person has joined the room from Element."""
        lan_urls = [f"http://{ip}:{self.hs.port}" for ip in lan_addresses(self.hs.bind_address)]
        invitation = viewer_invitation(self.hs.base_url, lan_urls, VIEWER, PASSWORD, ROOM_NAME)
        print(invitation, flush=True)
        while self.viewer not in await self.anna.members(self.room):
            await asyncio.sleep(2)
        print("  Vous êtes dans le salon : la démo commence.", flush=True)
        await asyncio.sleep(3)  # let her Element settle (keys, first sync)

    async def blockers_and_stories(self) -> None:
        self.phase("Freins, puis histoires d'usage (commande, texte libre + ✅, dialogue guidé)")
        await self.ask(
            "ben", "!frein On ne retrouve jamais le dernier compte-rendu #documentation", "#1"
        )
        await self.ask("david", "!frein Trop de mails, les infos se perdent #communication", "#2")
        await self.ask("chloe", "!freins", "2 freins")
        await self.ask(
            "ben",
            "!frein 1 En tant que secrétaire, je souhaite un dossier partagé des comptes-rendus "
            "afin que chacun retrouve le dernier #documentation",
            "#1",
        )
        await self.ask(
            "chloe",
            "!histoire En tant que bénévole des Jardins, je voudrais voir le planning des "
            "arrosages sur mon téléphone pour ne plus rater mon tour #planning",
            "#2",
        )
        self._mark = self.anna.mark()
        source = await self.say(
            "david",
            "En tant que coordinateur du tiers-lieu, j'aimerais un agenda partagé des salles "
            "afin d'éviter les doubles réservations #planning",
        )
        offer = await self.bot_says(lambda e: e.thread_root == source)
        self._mark = self.anna.mark()
        await self.people["david"].react(self.room, offer.event_id, "✅")
        await self.bot_says(lambda e: "#3" in e.body)
        self._mark = self.anna.mark()
        root = await self.say("ben", "!histoire")
        await self.bot_says(lambda e: "Qui êtes-vous" in e.body)
        for answer, expect in (
            ("bénévole à la Ressourcerie", "De quoi avez-vous besoin"),
            ("un tableau des dons reçus chaque semaine", "Qu'est-ce que ça changerait"),
            ("on sait quoi proposer aux ateliers", "Je l'enregistre"),
            ("oui", "#4"),
        ):
            self._mark = self.anna.mark()
            await self.say("ben", answer, thread_root=root)
            await self.bot_says(_contains(expect))
        await self.ask("anna", "!histoires", "4 histoires")

    async def vote(self) -> None:
        self.phase("Vote de priorisation : commandes, sondage Element, bulletin secret en privé")
        deadline = datetime.now(ZoneInfo("Europe/Paris")) + timedelta(seconds=100)
        await self.post("anna", f"!vote ouvrir jusqu'au {deadline:%Y-%m-%d %H:%M}", "ouvert**")
        # one single-choice poll per point, since Element shows every poll as single choice
        opened_at = self._mark

        def polls() -> list[SeenEvent]:
            return [
                e
                for e in self.anna.events[opened_at:]
                if e.sender == self.bot_id and e.type.endswith("poll.start")
            ]

        await self.anna.wait_until(lambda: len(polls()) == 3, 60)
        await asyncio.sleep(0.3)
        self.show_new()
        await self.ask("ben", "!vote 1 1 3", "Bulletin reçu")
        await self.ask("ben", "!vote 1 3 4", "Bulletin reçu")  # replaces the first
        self._mark = self.anna.mark()
        print("  (Chloé vote dans les sondages, sans taper de commande : #3, #3 et #2)")
        for poll, story in zip(polls(), ("s3", "s3", "s2"), strict=True):
            await self.people["chloe"].answer_poll(self.room, poll.event_id, [story])
        await asyncio.sleep(1)
        self.show_new()
        print("  (David vote en secret, par message privé au bot)")
        david = self.people["david"]
        dm = await david.create_direct_chat(self.bot_id)
        await david.wait_for(
            lambda e: e.sender == self.bot_id and e.room_id == dm and e.type == "m.room.message", 30
        )
        mark = david.mark()
        await david.send(dm, "!vote 3 3 2")
        ack = await david.wait_for(
            lambda e: e.sender == self.bot_id and e.room_id == dm, 30, after=mark
        )
        print(f"  🤖 bot → David (privé): {first_line(ack.body)}")
        await self.ask("anna", "!vote", "ont voté")
        print(
            f"  … le vote se clôt tout seul à {deadline:%H:%M} (heure de Paris), on attend …",
            flush=True,
        )
        self._mark = self.anna.mark()
        await self.bot_says(lambda e: "Résultats du vote #1" in e.body, timeout=180)
        image = await self.bot_says(lambda e: e.content.get("msgtype") == "m.image", timeout=120)
        path = await self.save_file(image, "vote-1.png")
        print(f"  image des résultats enregistrée : {path}")

    async def sprint(self) -> None:
        self.phase(
            "Mini-chantier : planifié, histoires prises et faites, clos avec sa rétrospective"
        )
        await self.post("anna", "!chantier nouveau Outils partagés", "Outils partagés")
        await self.post("anna", "!chantier ajouter 3 1", "#3")
        await self.ask("david", "!histoire prendre 3", "#3")
        await self.ask("ben", "!histoire prendre 1", "#1")
        await self.ask("david", "!histoire fait 3", "#3")
        await self.ask("chloe", "!chantier", "Outils partagés")
        self._mark = self.anna.mark()
        await self.say("anna", "!chantier clore")
        retro = await self.bot_says(lambda e: "Ce qui a bien marché" in e.body)
        self._mark = self.anna.mark()
        answer = "Ce qui a bien marché : l'agenda est en ligne ! Avec quoi je repars : l'envie"
        await self.say("david", answer, thread_root=retro.event_id)
        await asyncio.sleep(1.5)
        self.show_new()

    async def decide(self) -> None:
        self.phase("Décider ensemble : une proposition par consentement, modifiée, adoptée")
        await self.post(
            "ben",
            "!proposition Les réunions mensuelles passent en visio le mardi soir",
            "Proposition #1",
        )
        await self.ask("chloe", "!proposition 1 objection certains bénévoles n'ont pas internet",
                       "objection")  # fmt: skip
        await self.post(
            "ben",
            "!proposition modifier 1 Réunions en visio le mardi soir, avec une salle ouverte "
            "à la Ressourcerie pour qui n'a pas internet",
            "tour 2",
        )
        await self.ask("chloe", "!proposition 1 d'accord", "d'accord")
        await self.ask("david", "!proposition 1 d'accord", "d'accord")
        await self.ask("ben", "!proposition 1 d'accord", "d'accord")
        await self.post("anna", "!proposition clore 1", "adoptée")
        await self.ask("david", "!decisions", "Registre des décisions")

    async def rendezvous(self) -> None:
        self.phase("Le rendez-vous mensuel : trouver une date où chaque structure peut venir")
        today = datetime.now(ZoneInfo("Europe/Paris")).date()
        slots = [today + timedelta(days=days) for days in (2, 3, 6)]
        times = ("18h", "12h30", "18h")
        proposal = ", ".join(f"{day:%d/%m} {at}" for day, at in zip(slots, times, strict=True))
        await self.post("anna", f"!rdv proposer {proposal}", "Rendez-vous mensuel #1")
        await self.ask("ben", "!rdv 1 oui 2 non 3 si besoin", "Noté")
        await self.ask("chloe", "!rdv 1 non 2 oui 3 oui", "Noté")
        await self.ask("david", "!rdv 1 oui 2 oui 3 oui", "Noté")
        await self.ask("anna", "!rdv", "Créneau conseillé")
        await self.post("anna", "!rdv choisir 3", "Ordre du jour")
        await asyncio.sleep(1.5)
        self.show_new()

    async def checkin(self) -> None:
        self.phase("Check-in mensuel : questions, réponses dans le fil, relance, bilan")
        opened = await self.post("anna", "!checkin lancer", "Check-in mensuel")
        self._mark = self.anna.mark()
        await self.say("ben", "Soleil ☀️\nFrein : pas de salle pour les ateliers de réparation",
                       thread_root=opened.event_id)  # fmt: skip
        await self.say("chloe", "Nuageux, mais les arrosages tournent.\nJ'aimerais un "
                       "calendrier des récoltes", thread_root=opened.event_id)  # fmt: skip
        await asyncio.sleep(1.5)
        self.show_new()
        await self.post("anna", "!checkin relancer", "rappel")
        await self.post("anna", "!checkin clore", "Bilan du check-in")

    async def recap(self) -> None:
        self.phase("Bilan du mois et export de la mémoire du cercle")
        await self.ask("chloe", "!bilan", "Bilan du mois")
        self._mark = self.anna.mark()
        await self.say("anna", "!bilan export")
        file = await self.bot_says(lambda e: e.content.get("msgtype") == "m.file", timeout=60)
        path = await self.save_file(file, "memoire-du-cercle.md")
        print(f"  export Markdown enregistré : {path}")

    def bot_texts(self) -> list[str]:
        """Every message the bot wrote that a pioneer saw (room and private), as plain text."""
        return bot_texts(
            (event for pioneer in self.people.values() for event in pioneer.events), self.bot_id
        )

    async def close(self, keep: bool) -> None:
        for pioneer in self.people.values():
            await pioneer.close()
        if keep:
            print(still_running(self.hs.base_url, VIEWER, PASSWORD), flush=True)
            try:
                while True:
                    await asyncio.sleep(3600)
            except (KeyboardInterrupt, asyncio.CancelledError):
                pass
        if self.bot is not None:
            self.bot.stop()
        self.hs.stop()


def _contains(text: str) -> Callable[[SeenEvent], bool]:
    return lambda event: text in event.body


async def main(out: Path, keep: bool, listen: str = "127.0.0.1", port: int | None = None) -> int:
    stop_on_signals()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    demo = Demo(out, keep, listen, port)
    started = time.monotonic()
    ok = False
    try:
        await demo.set_up()
        await demo.blockers_and_stories()
        await demo.vote()
        await demo.decide()
        await demo.sprint()
        await demo.checkin()
        await demo.rendezvous()
        await demo.recap()
        ok = True
    except Exception as exc:
        print(f"\nLa démo s'est arrêtée : {exc!r}", file=sys.stderr)
        if demo.bot is not None:
            print(
                "Dernières lignes du journal du bot :\n" + demo.bot.log_text()[-3000:],
                file=sys.stderr,
            )
    finally:
        texts = demo.bot_texts()
        await demo.close(keep and ok)
    if ok and grammalecte_available():
        print("\n" + "\n".join(transcript_report(texts)))
    if ok:
        print(
            f"\nDémo terminée en {time.monotonic() - started:.0f} s. Dans {out} : "
            "memoire-du-cercle.md, vote-1.png, bot-data/ (base, clés), homeserver/ (journaux)."
        )
        if not keep:
            print(
                "Pour la suivre dans un vrai Element : `make demo-keep` vous attend dans le salon "
                "avant de commencer, puis laisse tout tourner."
            )
    return 0 if ok else 1


def cli() -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("demo-output"), help="output folder")
    parser.add_argument(
        "--keep", action="store_true",
        help="wait for you in Element (account « vous ») before the story, then keep running",
    )  # fmt: skip
    parser.add_argument(
        "--listen", default=os.environ.get("DEMO_LISTEN", "127.0.0.1"),
        help="address Synapse listens on; 0.0.0.0 opens it to the local network (DEMO_LISTEN)",
    )  # fmt: skip
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("DEMO_PORT") or 0) or None,
        help="Synapse's port (DEMO_PORT; default: a free one)",
    )  # fmt: skip
    args = parser.parse_args()
    # The pioneers' clients would print nio's "Missing session for device" into the transcript.
    logging.getLogger("nio.crypto").setLevel(logging.ERROR)
    end_with_parent()  # a closed terminal or a killed `make` stops the demo (SIGHUP)
    try:
        return asyncio.run(main(args.out.resolve(), args.keep, args.listen, args.port))
    except (KeyboardInterrupt, asyncio.CancelledError):
        return 130


if __name__ == "__main__":
    sys.exit(cli())
