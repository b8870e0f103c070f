"""A circle run in process: the real bot, its store and prompts, a fake Matrix edge.

Commands go in as ``IncomingMessage``s, messages come out of the outbox as the event
contents the bot would send. No homeserver, no clock running: a test moves ``now``.
``realistic_circle`` fills one with what a circle has after a few months (20 stories,
12 members in 4 structures plus a facilitator without one, a closed vote, a chantier,
a check-in) to measure what pioneers read on a phone.
"""

from __future__ import annotations

import asyncio
import functools
import re
import shutil
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import CircleBot
from bot.commands.throttle import Throttle
from bot.config import CircleSettings, Config
from bot.matrix.incoming import IncomingMessage, IncomingPollResponse, IncomingReaction
from bot.prompts import Prompts
from bot.store.database import Database

ROOM = "!cercle:ex.org"
BOT = "@cercle:ex.org"
PARIS = ZoneInfo("Europe/Paris")
FACILITATOR = "@anna:ex.org"


@dataclass
class FakeMatrix:
    """What the bot asks the homeserver, answered from memory; sent events are kept."""

    names: dict[str, str]
    room_name_text: str = "Cercle des pionniers"
    sent: list[dict[str, Any]] = field(default_factory=list)
    sent_types: list[str] = field(default_factory=list)
    sent_ids: list[str] = field(default_factory=list)
    uploads: list[tuple[str, bytes]] = field(default_factory=list)
    last_sync_at: datetime | None = None
    keys_query: dict[str, Any] = field(default_factory=dict)  # what /keys/query answers

    @property
    def user_id(self) -> str:
        return BOT

    @property
    def device_id(self) -> str:
        return "DEVICE"

    def knows_room(self, room_id: str) -> bool:
        return True

    async def send(
        self, room_id: str, event_type: str, content: dict[str, Any], txn_id: str
    ) -> str:
        self.sent.append(content)
        self.sent_types.append(event_type)
        self.sent_ids.append(f"$sent-{uuid.uuid4().hex}")
        return self.sent_ids[-1]

    def member_ids(self, room_id: str) -> list[str]:
        return [BOT, *self.names]

    def display_name(self, room_id: str, user_id: str) -> str:
        return self.names.get(user_id) or user_id.split(":", 1)[0].lstrip("@")

    def power_level(self, room_id: str, user_id: str) -> int:
        return 100 if user_id == FACILITATOR else 0

    def room_name(self, room_id: str) -> str:
        return self.room_name_text

    def room_encrypted(self, room_id: str) -> bool:
        return False

    async def request(
        self, method: str, path: str, body: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        return 200, self.keys_query

    async def upload(
        self, data: bytes, mimetype: str, filename: str, encrypt: bool = False
    ) -> tuple[str, dict[str, Any] | None]:
        self.uploads.append((filename, data))
        return f"mxc://ex.org/{filename}", None


@functools.cache
def shared_prompts() -> Prompts:
    """The prompts, read once for every circle of the test run (they are never changed)."""
    return Prompts()


class CircleInMemory:
    """One circle served by a real ``CircleBot`` over a temporary database."""

    def __init__(self, db: Database, names: dict[str, str], now: datetime) -> None:
        self.now = now
        self.matrix = FakeMatrix(names)
        config = Config(
            homeserver="http://127.0.0.1:9",
            user_id=BOT,
            data_dir=Path("."),
            circles={ROOM: CircleSettings(facilitators=(FACILITATOR,))},
        )
        self.bot = CircleBot(config, db, self.matrix, shared_prompts(), clock=lambda: self.now)  # type: ignore[arg-type]
        self.bot.circles[ROOM] = 0
        self.bot.throttle = Throttle(per_minute=100_000)  # a test types faster than anyone
        # Kept, not run: a test runs them when it wants the picture or the file (``run_later``).
        self.later: list[Callable[[], Awaitable[None]]] = []
        self.bot.after_commit = self.later.append  # type: ignore[method-assign,assignment]
        # Off: every event is stamped 1 ms after 1970. On: stamped at ``now``, one ms apart,
        # so a later ballot is later, and a ballot after the deadline is late.
        self.stamp_with_now = False
        self._stamped = 0

    def server_ts(self) -> int:
        """The server timestamp of the next incoming event."""
        if not self.stamp_with_now:
            return 1
        self._stamped += 1
        return int(self.now.timestamp() * 1000) + self._stamped

    @property
    def db(self) -> Database:
        return self.bot.db

    async def say(
        self, sender: str, body: str, thread_root: str | None = None, **how: Any
    ) -> list[str]:
        """Send ``body`` as ``sender``; the plain bodies of the bot's answers (``how``: the
        keywords of ``say_contents``)."""
        return [c["body"] for c in await self.say_contents(sender, body, thread_root, **how)]

    async def say_contents(
        self,
        sender: str,
        body: str,
        thread_root: str | None = None,
        *,
        reply_to: str | None = None,
        edits: str | None = None,
        event_id: str | None = None,
        room: str = ROOM,
    ) -> list[dict[str, Any]]:
        """Send ``body`` as ``sender``; the messages the bot sends in answer (polls left out).

        ``edits`` makes it an edit of that event (Element's « modifier »)."""
        self.last_event_id = event_id or f"$in-{uuid.uuid4().hex}"
        message = IncomingMessage(
            room,
            self.last_event_id,
            sender,
            body,
            "m.text",
            self.server_ts(),
            thread_root=thread_root,
            reply_to=reply_to,
            edits=edits,
        )
        before = len(self.matrix.sent)
        if edits is None:
            await self.bot.on_message(message)
        else:
            await self.bot.on_edit(message)
        await self.bot.sender.flush()
        return self.messages_since(before)

    def messages_since(self, before: int) -> list[dict[str, Any]]:
        """The ``m.room.message`` contents sent after the ``before``-th event."""
        sent = zip(self.matrix.sent[before:], self.matrix.sent_types[before:], strict=True)
        return [content for content, kind in sent if kind == "m.room.message"]

    async def react(self, sender: str, event_id: str, key: str = "✅") -> list[str]:
        """``sender`` reacts with ``key`` to ``event_id``; the bodies of the bot's answers."""
        before = len(self.matrix.sent)
        reaction = IncomingReaction(
            ROOM, f"$r-{uuid.uuid4().hex}", sender, event_id, key, self.server_ts()
        )
        await self.bot.on_reaction(reaction)
        await self.bot.sender.flush()
        return [c["body"] for c in self.messages_since(before)]

    async def answer_poll(self, sender: str, poll_event_id: str, *answer_ids: str) -> None:
        """``sender`` picks ``answer_ids`` in the Element poll ``poll_event_id``."""
        response = IncomingPollResponse(
            ROOM, f"$p-{uuid.uuid4().hex}", sender, poll_event_id, answer_ids, self.server_ts()
        )
        await self.bot.on_poll_response(response)
        await self.bot.sender.flush()

    async def run_job(self, job: Callable[..., Awaitable[None]], *args: Any) -> list[str]:
        """Run a scheduled job now (``job(bot, *args)``); the bodies of what it posted."""
        before = len(self.matrix.sent)
        await job(self.bot, *args)
        await self.bot.sender.flush()
        return [c["body"] for c in self.messages_since(before)]

    async def run_later(self) -> None:
        """Run the after-commit actions kept so far (a picture, an export file)."""
        actions, self.later[:] = list(self.later), []
        for action in actions:
            await action()
        await self.bot.sender.flush()

    def sent_of_type(self, event_type: str) -> list[dict[str, Any]]:
        """Every event of ``event_type`` the bot sent (polls, reactions, edits…)."""
        return [
            c
            for c, kind in zip(self.matrix.sent, self.matrix.sent_types, strict=True)
            if kind == event_type
        ]

    def event_id_of(self, content: dict[str, Any]) -> str:
        return self.matrix.sent_ids[self.matrix.sent.index(content)]

    def context(self) -> Any:
        """A job's context in the circle (what the monthly recap runs with)."""
        return self.bot.context(ROOM)


def plain_length(content: dict[str, Any]) -> int:
    """What a pioneer reads: the plain body, without the Markdown the fallback may keep."""
    return len(re.sub(r"[*_`]", "", content["body"]))


# ---- a circle after a few months ----
STRUCTURES = {
    "Ressourcerie du Plateau": ["bruno", "chloe", "david"],
    "Repair Café de Belleville": ["emma", "farid", "gaelle"],
    "Les Jardins Partagés": ["hugo", "ines", "jules"],
    "Tiers-Lieu La Fabrique": ["karim", "lea", "manon"],
}
NAMES = {
    FACILITATOR: "Anna Facilitatrice",
    **{
        f"@{login}:ex.org": f"{login.capitalize()} {structure.split()[-1]}"
        for structure, logins in STRUCTURES.items()
        for login in logins
    },
}
PIONEERS = [user for user in NAMES if user != FACILITATOR]
STORIES = [
    ("bénévole", "voir le planning des collectes sur mon téléphone", "je ne rate plus de tournée", "planning"),
    ("coordinatrice", "un agenda partagé des salles du tiers-lieu", "on évite les doubles réservations", "planning"),
    ("réparateur", "noter les pièces détachées disponibles", "on répare plus vite", "outils"),
    ("bénévole", "retrouver le dernier compte rendu de réunion en un clic", "je sais ce qui a été décidé", "documentation"),
    ("jardinière", "un calendrier des arrosages partagé avec les voisins", "les plantes ne sèchent plus en août", "planning"),
    ("trésorier", "suivre les dons matériels reçus chaque mois", "on prépare le bilan annuel sans stress", "documentation"),
    ("animatrice", "un annuaire des compétences des bénévoles", "on trouve vite la bonne personne", "communication"),
    ("bénévole", "recevoir un rappel la veille de ma permanence", "je n'oublie plus mes créneaux", "planning"),
    ("réparatrice", "un inventaire partagé des outils prêtés entre structures", "on sait toujours où est la ponceuse", "outils"),
    ("coordinateur", "publier les horaires d'ouverture sur le site et sur les réseaux sociaux du quartier", "les visiteurs ne trouvent plus porte close", "communication"),
    ("bénévole", "une fiche d'accueil pour les nouveaux arrivants", "ils se sentent attendus dès le premier jour", "accueil"),
    ("animateur", "un modèle de compte rendu simple à remplir", "tout le monde puisse en écrire un", "documentation"),
    ("jardinier", "échanger des graines avec les autres jardins du quartier", "on diversifie les cultures sans rien acheter", "outils"),
    ("salariée", "un tableau des subventions demandées et de leurs échéances", "on ne laisse plus passer une date limite", "documentation"),
    ("bénévole", "signaler une panne de la camionnette depuis mon téléphone", "elle soit réparée avant la prochaine collecte", "outils"),
    ("coordinatrice", "une liste de diffusion par structure", "les messages arrivent aux bonnes personnes", "communication"),
    ("réparateur", "partager des tutoriels de réparation en vidéo", "les nouveaux apprennent sans attendre un atelier", "accueil"),
    ("animatrice", "un sondage de dates qui marche sur téléphone", "tout le monde puisse répondre facilement", "planning"),
    ("bénévole", "savoir quels objets la ressourcerie accepte cette semaine", "je ne me déplace pas pour rien", "communication"),
    ("trésorière", "exporter les adhésions vers le tableur de la comptabilité", "on ne recopie plus rien à la main", "documentation"),
]  # fmt: skip


MONTH_END = datetime(2026, 12, 28, 9, 0, tzinfo=PARIS)


async def open_circle(path: Path, now: datetime = MONTH_END) -> CircleInMemory:
    """The circle whose database is at ``path`` (created if missing), at ``now``."""
    db = Database(path)
    await db.open()
    return CircleInMemory(db, dict(NAMES), now)


async def fill_realistic_circle(circle: CircleInMemory) -> None:
    """December 2026 in a busy circle: structures declared, 20 stories, 4 blockers, a dot
    vote closed, a chantier of 6 stories (3 done), a check-in open with 7 answers; the
    clock is left on 28 December."""
    circle.now = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)
    for structure, logins in STRUCTURES.items():
        for login in logins:
            await circle.say(f"@{login}:ex.org", f"!structure {structure}")
    for index, (role, need, benefit, theme) in enumerate(STORIES):
        author = PIONEERS[index % len(PIONEERS)]
        text = f"En tant que {role}, je souhaite {need} afin que {benefit} #{theme}"
        await circle.say(author, f"!histoire {text}")
    for index in range(4):
        await circle.say(PIONEERS[index], f"!frein Le frein numéro {index + 1} nous ralentit")
    await circle.say(FACILITATOR, "!vote ouvrir points 3")
    for index, user in enumerate(PIONEERS):
        await circle.say(user, f"!vote {1 + index % 5} {2 + index % 7} {9 + index % 4}")
    await circle.say(FACILITATOR, "!vote clore")
    circle.now += timedelta(days=1)
    await circle.say(FACILITATOR, "!chantier nouveau Agenda partagé jusqu'au 20/12")
    await circle.say(FACILITATOR, "!chantier ajouter 1 2 3 4 5 8")
    for number, user in zip((1, 2, 3, 4, 5, 8), PIONEERS, strict=False):
        await circle.say(user, f"!histoire prendre {number}")
    for number, user in zip((1, 2, 3), PIONEERS, strict=False):
        await circle.say(user, f"!histoire fait {number}")
    circle.now += timedelta(days=5)
    opened = await circle.say_contents(FACILITATOR, "!checkin lancer")
    root = circle.event_id_of(opened[0])
    for user in PIONEERS[:7]:
        await circle.say(
            user,
            "1. Ensoleillé 2. J'ai essayé le planning partagé 3. Les comptes rendus se perdent"
            " 4. En tant que bénévole, je souhaite un rappel par SMS afin que je vienne à l'heure",
            thread_root=root,
        )
    circle.now = MONTH_END


def realistic_circle_file(folder: Path) -> Path:
    """A database file holding ``fill_realistic_circle``'s circle (built once, then copied)."""
    path = folder / "realistic.db"

    async def build() -> None:
        circle = await open_circle(path)
        await fill_realistic_circle(circle)
        await circle.db.close()

    asyncio.run(build())
    return path


async def copy_of(template: Path, folder: Path) -> CircleInMemory:
    """A circle of its own, from a copy of ``template``'s database."""
    path = folder / "circle.db"
    shutil.copyfile(template, path)
    return await open_circle(path)
