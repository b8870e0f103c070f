"""Every French prompt, filled as the bot fills it, reads correctly and fits a phone screen.

Each key is rendered with fields a real circle would give it (0, 1, 2 and 5 for counts,
people's names, dates on the 1st and on another day, story texts as pioneers write them),
as the plain text of the message, and Grammalecte checks them all in one run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel.lists import format_list

from bot.domain.dates import format_date, format_datetime
from bot.matrix.messages import Markdown, fill
from bot.prompts import Prompts
from bot.testing.french_check import ALLOWED_RULES, check_french, grammalecte_available

PHONE_SCREEN = 800  # characters of plain text
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 20, 14, 30, tzinfo=PARIS)
COUNTS = (0, 1, 2, 5)
# A date on the 1st (« 1er ») and one on another day, alternately.
DAYS = (datetime(2026, 12, 1, 18, 0, tzinfo=PARIS), datetime(2026, 12, 18, 10, 0, tzinfo=PARIS))
NAMES = ("Alice Martin", "Karim Benali", "Chloé Dubois", "David Lefèvre")
STRUCTURES = ("Ressourcerie du Plateau", "Les Jardins partagés", "Tiers-lieu La Fabrique")
STORY = (
    "En tant que bénévole de la Ressourcerie, je souhaite voir le planning des collectes "
    "sur mon téléphone afin de ne plus rater de tournée"
)
SHORT_STORIES = (
    "Voir le planning des collectes sur mon téléphone",
    "Retrouver le dernier compte-rendu en un clic",
)
BLOCKER = "Je ne retrouve jamais le dernier compte-rendu de réunion"


@dataclass(frozen=True)
class Variant:
    """One rendering of a key: ``n`` is the count, ``i`` picks among the other samples."""

    prompts: Prompts
    i: int
    n: int

    def pick(self, values: tuple[Any, ...]) -> Any:
        return values[self.i % len(values)]

    @property
    def day(self) -> datetime:
        return self.pick(DAYS)

    def text(self, key: str, **fields: Any) -> str:
        return self.prompts.text("fr", key, **fields)


def _date(v: Variant) -> str:
    return format_date(v.day, "fr", NOW)


def _datetime(v: Variant) -> str:
    return format_datetime(v.day, "fr", NOW, glue=v.prompts.template("fr", "date.glue"))


def _lines(key: str, **fields: Any) -> Callable[[Variant], Markdown]:
    def lines(v: Variant) -> Markdown:
        return Markdown(
            "\n".join(v.text(key, structure=s, **fields) for s in STRUCTURES[: max(v.n, 1)])
        )

    return lines


Sample = Callable[[Variant], Any]

# What the bot puts in each field, by field name.
SAMPLES: dict[str, Sample] = {
    "p": lambda v: Markdown("!"),
    "cmd": lambda v: "vote",
    "n": lambda v: v.n,
    "number": lambda v: v.pick((12, 3, 7)),
    "story": lambda v: v.pick((7, 12)),
    "story_number": lambda v: 14,
    "blocker": lambda v: 4,
    "vote": lambda v: 2,
    "first": lambda v: 3,
    "allowed": lambda v: v.pick((3, 5)),
    "given": lambda v: v.pick((4, 6)),
    "limit": lambda v: 500,
    "min": lambda v: 1,
    "max": lambda v: 5,
    "value": lambda v: "8",
    "impact": lambda v: v.pick(("4", "3,5")),
    "cost": lambda v: v.pick(("2", "1,5")),
    "ratio": lambda v: v.pick(("2", "2,33")),
    "rank": lambda v: v.pick((1, 2)),
    "tie": lambda v: v.pick(("", " (ex æquo)")),
    "total": lambda v: 5,
    "done": lambda v: v.pick((0, 1, 2)),
    "present": lambda v: v.pick((0, 1, 2)),
    "voted": lambda v: v.pick((0, 1, 2)),
    "members": lambda v: v.pick((1, 2, 3)),
    "voters": lambda v: v.pick((1, 4)),
    "page": lambda v: 1,
    "filters": lambda v: Markdown(v.pick(("", " #planning retenues"))),
    "pages": lambda v: 3,
    "point": lambda v: v.pick((1, 2)),
    "points": lambda v: v.n,
    "author": lambda v: v.pick(NAMES),
    "who": lambda v: v.pick(NAMES),
    "porteur": lambda v: v.pick(NAMES[1:]),
    "name": lambda v: v.pick(("Planning partagé", "Annuaire des bénévoles")),
    "names": lambda v: format_list(list(NAMES[: max(v.n, 1)]), locale="fr"),
    "people": lambda v: format_list(list(NAMES[: max(v.n, 2)]), locale="fr"),
    "circle": lambda v: "Cercle des ressourceries",
    "structure": lambda v: v.pick(STRUCTURES),
    "structures": lambda v: ", ".join(STRUCTURES[:2]),
    "text": lambda v: v.pick(SHORT_STORIES),
    "title": lambda v: v.pick(SHORT_STORIES),
    "role": lambda v: "bénévole de la Ressourcerie",
    "need": lambda v: "voir le planning des collectes sur mon téléphone",
    "benefit": lambda v: "ne plus rater de tournée",
    "theme": lambda v: "planning",
    "themes": lambda v: v.text("story.themes", themes="#planning #collectes"),
    "topic": lambda v: "sondage",
    "word": lambda v: "bientôt",
    "token": lambda v: "sept",
    "summary": lambda v: v.text("cmd.vote.summary"),
    "example": lambda v: v.pick(("3 7 12", "3")),
    "numbers": lambda v: v.pick(("3 7", "12")),
    "stories": lambda v: Markdown("#3" if v.n == 1 else v.pick(("#3 #7", "#3 #7 #12"))),
    "commands": lambda v: Markdown(v.pick(("`!statut`", "`!absent`, `!mesdonnees`, `!oublier`"))),
    "candidates": lambda v: v.pick(("#3 #7 #12", "#3 #7")),
    "list": lambda v: Markdown(v.pick(("#3 #7 #12", "#3 #7"))),
    "ranking": lambda v: "#7 (5 points), #3 (2 points)",
    "top": lambda v: Markdown(v.pick(("#7", "#7 #3"))),
    "votes": lambda v: Markdown(v.text("vote.story_points", number=2, n=v.pick((1, 3)), rank=1)),
    "kind": lambda v: Markdown(
        v.pick((v.text("vote.kind.dots", points=3, n=3), v.text("vote.kind.scores")))
    ),
    "blockers": lambda v: v.text("recap.blockers_noted", n=v.pick((0, 1, 3))),
    "missing": lambda v: format_list(
        [v.text(f"story.part.{part}") for part in v.pick((("need",), ("need", "benefit")))],
        locale="fr",
    ),
    "status": lambda v: v.text(f"status.{v.pick(('proposed', 'selected', 'done', 'withdrawn'))}"),
    "state": lambda v: v.text(f"sprint.state.{v.pick(('planned', 'active', 'closed'))}"),
    "lines": _lines("vote.result.structure_line", voted=1, members=2),
    "rule": lambda v: v.pick(("premier lundi 10:00", "dernier vendredi 17:00")),
    "month": lambda v: v.pick(("décembre 2026", "avril 2027")),
    "closes": _datetime,
    "remind": _datetime,
    "when": _datetime,
    "version": lambda v: "0.1.0",
    "since": _datetime,
    "duration": lambda v: v.pick(("3\u00a0jours", "2\u00a0heures", "12\u00a0minutes")),
    "ago": lambda v: v.pick(
        ("il\u00a0y\u00a0a\u00a04\u00a0secondes", "il\u00a0y\u00a0a\u00a02\u00a0minutes")
    ),
    "dates": lambda v: format_list(
        [_datetime(v), _datetime(Variant(v.prompts, v.i + 1, v.n))], locale="fr"
    ),
    "start": _date,
    "starts": _date,
    "end": lambda v: format_date(v.pick((date(2026, 12, 31), date(2027, 1, 1))), "fr", NOW),
    "ends": lambda v: format_date(date(2026, 12, 31), "fr", NOW),
    "until": _date,
    "created": _date,
    "date": lambda v: v.pick(("2026-12-01", "2026-12-18")),
    "time": lambda v: "18:00",
    # the rendez-vous
    "slot": lambda v: v.pick((1, 2, 3)),
    "yes": lambda v: v.pick((0, 1, 3)),
    "maybe": lambda v: v.pick((0, 1, 2)),
    "answers": lambda v: "1 oui · 2 si besoin · 3 non",
    "link": lambda v: "https://meet.jit.si/CercleDesRessourceries",
    "room": lambda v: "Cercle des ressourceries",
    "weekday": lambda v: v.pick(("jeudi", "samedi")),
    "hours": lambda v: v.pick((1, 2)),
    "minutes": lambda v: v.pick(("30", "45")),
    "came": lambda v: v.pick((0, 1, 2)),
    "covered": lambda v: v.pick((0, 2, 3)),
    # proposals decided by consent
    "round": lambda v: v.pick((1, 2)),
    "next": lambda v: v.pick((2, 3)),
    "needed": lambda v: v.pick((3, 4)),
    "counts": lambda v: Markdown(v.pick(("2 d'accord · 1 objection", "1 abstention"))),
    "outcome": lambda v: v.text(f"proposal.outcome.{v.pick(('adoptee', 'a_retravailler'))}"),
    "answer": lambda v: v.text(f"proposal.answer.{v.pick(('objection', 'blocage'))}"),
    "reason": lambda v: v.pick(("le budget n'est pas voté", "pas avant l'assemblée générale")),
    "proposals": lambda v: Markdown(v.pick(("#3 #7", "#12"))),
    "decisions": lambda v: v.text("proposal.story_item", number=3, day="5 décembre"),
    "day": lambda v: v.pick(("5 décembre", "1ᵉʳ décembre")),
    # similar stories, merging, suggested themes
    "other": lambda v: v.pick((4, 12)),
    "kept": lambda v: v.pick((4, 12)),
    "merged": lambda v: v.pick((9, 15)),
    "newer": lambda v: 9,
    "index": lambda v: v.pick((1, 2)),
    "hashtag": lambda v: v.pick(("benevoles", "compta")),
    "texts": lambda v: Markdown(v.pick(("histoires #3, #7 · frein #2", "freins #1, #4"))),
    "asked": lambda v: 9,
    "low": lambda v: 2,
    "high": lambda v: 9,
    "added": lambda v: v.pick(("#planning", "#planning #outils")),
}

# Where a field means something else in one key.
OVERRIDES: dict[str, dict[str, Sample]] = {
    "date.glue": {"date": _date},
    "rdv.answered_slot": {"answer": lambda v: v.pick(("oui", "si besoin", "non"))},
    "rdv.error.slot_weekday": {
        "date": lambda v: "10 décembre",
        "text": lambda v: "mardi 10/12",
    },
    "vote.ack.dots": {
        "given": lambda v: (
            ", ".join(
                v.text("vote.points_for", story=s, n=c)
                for s, c in ((3, 1), (7, max(v.n - 1, 0)))
                if c
            )
            or v.text("vote.points_for", story=3, n=0)
        )
    },
    "structure.list.line": {
        "members": lambda v: format_list(list(NAMES[: max(v.n, 1)]), locale="fr")
    },
    "structure.list.line_checkin": {
        "members": lambda v: format_list(list(NAMES[: max(v.n, 1)]), locale="fr")
    },
    "export.checkin_line": {"people": lambda v: ", ".join(NAMES[: max(v.n, 1)])},
    "sprint.status.header": {
        "when": lambda v: v.pick(
            (
                v.text("sprint.status.days_left", n=v.pick((1, 5))),
                v.text("sprint.status.starts", start=_date(v)),
            )
        )
    },
    "recap.checkin": {"lines": _lines("checkin.recap.line", present=1, members=2)},
    "dialogue.confirm": {"story": lambda v: STORY},
    "vote.error.too_many_points": {"given": lambda v: 5, "allowed": lambda v: 3},
    "vote.error.bad_points": {"max": lambda v: 10},
    "sprint.summary.thanks_item": {
        "name": lambda v: v.pick(NAMES),
        "stories": lambda v: Markdown("#3 #7"),
    },
    "story.parts": {"themes": lambda v: v.text("story.themes", themes="#planning #collectes")},
    "story.themes": {"themes": lambda v: "#planning #collectes"},
    "sprint.porteur": {"name": lambda v: v.pick(NAMES)},
    "vote.voter_points": {"name": lambda v: v.pick(NAMES)},
    "vote.error.bad_candidates": {"numbers": lambda v: v.pick(("#3 #7", "#12"))},
    "export.status_heading": {
        "status": lambda v: v.text(f"export.status.{v.pick(('proposed', 'done'))}", n=v.n)
    },
    "vote.points_counted": {
        "list": lambda v: Markdown(
            " · ".join(
                v.text("vote.voter_points", name=name, n=given, total=3)
                for name, given in zip(NAMES, v.pick(((3, 1), (2, 0))), strict=False)
            )
        )
    },
    "vote.result.dot_line": {"rank": lambda v: _rank_label(v)},
    "vote.result.score_line": {"rank": lambda v: _rank_label(v)},
}


# Pieces the bot adds to another line, checked in that line.
IN_CONTEXT: dict[str, str] = {
    "export.story_porteur": "- **#12** Voir le planning des collectes — _Alice Martin_{}",
}


def _rank_label(v: Variant) -> str:
    """« 1. » or « 2. », as the results write a rank."""
    return v.text("vote.result.rank", rank=v.pick((1, 2)))


def _fields(prompts: Prompts, key: str, variant: Variant) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in sorted(prompts.fields_of("fr", key)):
        sample = OVERRIDES.get(key, {}).get(name) or SAMPLES.get(name)
        if sample is None:
            raise AssertionError(
                f"no sample for field {{{name}}} of {key!r}: add a realistic one to SAMPLES"
            )
        fields[name] = sample(variant)
    if key.startswith("cmd."):
        fields["cmd"] = key.split(".")[1]
    return fields


@dataclass(frozen=True)
class Rendered:
    key: str
    n: int
    text: str


def render_every_french_prompt(prompts: Prompts) -> list[Rendered]:
    """Every key, once per count (0, 1, 2, 5) when it has one, else on two days; plain text."""
    rendered: list[Rendered] = []
    for key in sorted(prompts.keys("fr")):
        # Plural forms are picked by n, even when the text shows another field (« {points} »).
        counted = "n" in prompts.fields_of("fr", key) or len(prompts.template_forms("fr", key)) > 1
        for i, n in enumerate(COUNTS if counted else (1, 1)):
            variant = Variant(prompts, i, n)
            fields = {"p": Markdown("!"), "n": n, **_fields(prompts, key, variant)}
            text = fill(prompts.template("fr", key, n if counted else None), fields).plain
            rendered.append(Rendered(key, n, IN_CONTEXT.get(key, "{}").format(text)))
    return rendered


@pytest.fixture(scope="module")
def rendered() -> list[Rendered]:
    return render_every_french_prompt(Prompts())


def test_every_french_prompt_renders_with_realistic_fields(rendered: list[Rendered]) -> None:
    assert {r.key for r in rendered} == Prompts().keys("fr")
    assert all(r.text.strip() for r in rendered if not r.key.endswith("ack_reaction"))


def test_every_french_prompt_fits_a_phone_screen(rendered: list[Rendered]) -> None:
    too_long = [(r.key, len(r.text)) for r in rendered if len(r.text) > PHONE_SCREEN]
    assert not too_long, too_long


@pytest.mark.skipif(not grammalecte_available(), reason="grammalecte-cli is not installed")
def test_every_french_prompt_passes_grammalecte(rendered: list[Rendered]) -> None:
    # Allowed: only ALLOWED_RULES (the typographic apostrophe, a style choice). Spelling is not
    # checked: command words (« checkin »), names and English loanwords are no mistakes.
    findings = check_french([r.text for r in rendered])
    report = "\n".join(
        finding.describe(f"{rendered[finding.index].key} (n={rendered[finding.index].n})")
        + f"\n    {rendered[finding.index].text!r}"
        for finding in findings
    )
    assert not findings, f"{len(findings)} findings (allowed: {sorted(ALLOWED_RULES)}):\n{report}"


@pytest.mark.skipif(not grammalecte_available(), reason="grammalecte-cli is not installed")
def test_the_checker_points_at_the_message_with_the_mistake() -> None:
    findings = check_french(["Tout va bien.", "Les chat dorment.\nBravo !"])
    assert {(f.index, f.kind) for f in findings} == {(1, "gn"), (1, "nbsp")}
    assert any(f.excerpt == "chat" for f in findings)


@pytest.mark.skipif(not grammalecte_available(), reason="grammalecte-cli is not installed")
def test_the_checker_reads_commands_as_code_and_bullets_as_layout() -> None:
    text = "- Tapez `!vote 3 7` ou !aide pour voir.\n- Une histoire de plus."
    assert check_french([text]) == []
