"""Reading a usage story: « En tant que <rôle>, je souhaite <besoin> afin que <bénéfice> ».

Matching runs on a folded copy of the text (case, accents and apostrophe styles ignored)
that keeps, for every folded character, the index of the original character it came from;
the parts are sliced from the ORIGINAL text, so they keep the writer's case and accents.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Final

from bot.domain.folding import fold
from bot.domain.french_clauses import french_benefit, french_need
from bot.domain.themes import HASHTAG, is_theme_word

MAX_STORY_CHARS: Final = 1000
MAX_PART_CHARS: Final = 500
PART_NAMES: Final = ("role", "need", "benefit")

# looks_like_story: the role connector must begin within this many characters.
_FREE_TEXT_ROLE_WITHIN: Final = 40

DEFAULT_NEED_CONNECTOR: Final = "je souhaite"
DEFAULT_BENEFIT_CONNECTOR: Final = "afin que"


@dataclass(frozen=True)
class StoryParts:
    """The three parts of a story, trimmed, plus the connectors used, to render it faithfully.

    Connectors are canonical forms: ``need_connector`` like "je souhaite", "j'aimerais que",
    "I want to"; ``benefit_connector`` like "afin que", "afin de", "pour", "so that".
    """

    role: str
    need: str
    benefit: str
    need_connector: str = DEFAULT_NEED_CONNECTOR
    benefit_connector: str = DEFAULT_BENEFIT_CONNECTOR


@dataclass(frozen=True)
class StoryDraft:
    """Whatever parts were found so far (``None`` = missing), e.g. to ask only for the rest."""

    role: str | None = None
    need: str | None = None
    benefit: str | None = None
    need_connector: str | None = None
    benefit_connector: str | None = None

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(name for name in PART_NAMES if not getattr(self, name))

    def to_parts(self) -> StoryParts | None:
        """The complete story, or None while a part is missing."""
        if not (self.role and self.need and self.benefit):
            return None
        return StoryParts(
            role=self.role,
            need=self.need,
            benefit=self.benefit,
            need_connector=self.need_connector or DEFAULT_NEED_CONNECTOR,
            benefit_connector=self.benefit_connector or DEFAULT_BENEFIT_CONNECTOR,
        )


@dataclass(frozen=True)
class StoryParseResult:
    """What parse_story understood.

    ``parts`` is set only when the three parts are there and nothing is too long.
    ``missing``: subset of ("role", "need", "benefit"), in that order.
    ``error``: None or "too_long"; then ``limit`` is the limit passed and ``part`` names the
    part that is too long (None when the whole text is).
    ``draft``: the parts found, even when some are missing.
    """

    parts: StoryParts | None
    missing: tuple[str, ...] = ()
    error: str | None = None
    limit: int | None = None
    part: str | None = None
    draft: StoryDraft = StoryDraft()

    @property
    def is_complete(self) -> bool:
        return self.parts is not None


# --- folding with an index map ------------------------------------------------------------

_APOSTROPHES = frozenset("'’‘ʼ`´′ʹ＇")
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


@dataclass(frozen=True)
class _FoldedText:
    original: str
    folded: str
    origins: tuple[int, ...]  # origins[i]: index in `original` of the char folded[i] came from

    def to_original(self, folded_index: int) -> int:
        if folded_index < len(self.origins):
            return self.origins[folded_index]
        return len(self.original)

    def original_slice(self, start: int, end: int) -> str:
        return self.original[self.to_original(start) : self.to_original(end)]


def _fold_aligned(text: str) -> _FoldedText:
    # Folding char by char keeps the alignment even where fold() changes the length
    # ("ß" → "ss", "ﬁ" → "fi", a combining accent → "").
    pieces: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        if char in _APOSTROPHES:
            folded = "'"
        elif char.isspace():
            folded = " "
        elif char in _INVISIBLE:
            folded = ""
        else:
            folded = fold(char)
        pieces.append(folded)
        origins.extend([index] * len(folded))
    return _FoldedText(text, "".join(pieces), tuple(origins))


# --- connectors ---------------------------------------------------------------------------

# Elidable endings: « que » / « qu' » / « qu » + vowel (phone typing), same for « de ».
_QUE = r"qu(?:e(?!\w)|'\s*|\s+(?=[aeiouyh]))"
_DE = r"d(?:e(?!\w)|'\s*|\s+(?=[aeiouyh]))"
_J = r"j(?:'\s*|\s+(?=ai|au))"
_NOT_BIEN = r"(?!\s+bien(?!\w))"  # « je veux bien » agrees to something; it is not a need


@dataclass(frozen=True)
class _Connector:
    canonical: str
    pattern: re.Pattern[str]
    lang: str
    kind: str  # "plain", "clause" (a verb follows: « que … », "so that …") or "infinitive"
    tier: int = 0  # benefit connectors: 1 strong, 2 medium, 3 bare « pour »
    # Optional endings captured as named groups: group name → (canonical suffix, kind).
    suffixes: tuple[tuple[str, str, str], ...] = ()


def _connector(
    canonical: str,
    pattern: str,
    lang: str,
    kind: str,
    *,
    tier: int = 0,
    suffixes: tuple[tuple[str, str, str], ...] = (),
) -> _Connector:
    ending = "".join(rf"(?:\s+(?P<{name}>{_SUFFIX_PATTERNS[name]}))?" for name, _, _ in suffixes)
    compiled = re.compile(rf"(?<!\w){pattern}(?:(?<=['\s])|(?!\w)){ending}")
    return _Connector(canonical, compiled, lang, kind, tier, suffixes)


_SUFFIX_PATTERNS = {"que": _QUE, "de": _DE, "to": r"to(?!\w)"}
_FR_QUE = (("que", " que", "clause"),)
_FR_BESOIN = (("de", " de", "plain"), ("que", " que", "clause"))
_EN_TO = (("to", " to", "infinitive"),)

_ROLE_CONNECTORS: Final = (
    # « en temps que » is a frequent misspelling of « en tant que ».
    _connector("en tant que", r"en\s*(?:tant|temps)\s+" + _QUE, "fr", "plain"),
    _connector("as a", r"as\s+an?", "en", "plain"),
    _connector("as", r"as(?=\s+the\s)", "en", "plain"),
)

_NEED_CONNECTORS: Final = (
    _connector("je souhaite", r"je\s+souhaite", "fr", "plain", suffixes=_FR_QUE),
    _connector("je souhaiterais", r"je\s+souhaiterai[st]?", "fr", "plain", suffixes=_FR_QUE),
    _connector("je veux", r"je\s+veux" + _NOT_BIEN, "fr", "plain", suffixes=_FR_QUE),
    _connector("je voudrais", r"je\s+voudrai[st]?", "fr", "plain", suffixes=_FR_QUE),
    _connector("j'aimerais", r"j(?:'\s*|\s+)aimerai[st]?", "fr", "plain", suffixes=_FR_QUE),
    _connector("je désire", r"je\s+desire", "fr", "plain", suffixes=_FR_QUE),
    _connector("je désirerais", r"je\s+desirerai[st]?", "fr", "plain", suffixes=_FR_QUE),
    _connector("j'ai besoin", _J + r"ai\s+besoin", "fr", "plain", suffixes=_FR_BESOIN),
    _connector("j'aurais besoin", _J + r"aurai[st]?\s+besoin", "fr", "plain", suffixes=_FR_BESOIN),
    _connector("nous souhaitons", r"nous\s+souhaitons", "fr", "plain", suffixes=_FR_QUE),
    _connector("nous souhaiterions", r"nous\s+souhaiterions", "fr", "plain", suffixes=_FR_QUE),
    _connector("nous voulons", r"nous\s+voulons" + _NOT_BIEN, "fr", "plain", suffixes=_FR_QUE),
    _connector("nous voudrions", r"nous\s+voudrions", "fr", "plain", suffixes=_FR_QUE),
    _connector("nous aimerions", r"nous\s+aimerions", "fr", "plain", suffixes=_FR_QUE),
    _connector("nous avons besoin", r"nous\s+avons\s+besoin", "fr", "plain", suffixes=_FR_BESOIN),
    _connector(
        "nous aurions besoin", r"nous\s+aurions\s+besoin", "fr", "plain", suffixes=_FR_BESOIN
    ),
    _connector("on souhaite", r"on\s+souhaite", "fr", "plain", suffixes=_FR_QUE),
    _connector("on souhaiterait", r"on\s+souhaiterai[st]?", "fr", "plain", suffixes=_FR_QUE),
    _connector("on veut", r"on\s+veut" + _NOT_BIEN, "fr", "plain", suffixes=_FR_QUE),
    _connector("on voudrait", r"on\s+voudrai[st]?", "fr", "plain", suffixes=_FR_QUE),
    _connector("on aimerait", r"on\s+aimerai[st]?", "fr", "plain", suffixes=_FR_QUE),
    _connector("on a besoin", r"on\s+a\s+besoin", "fr", "plain", suffixes=_FR_BESOIN),
    _connector("on aurait besoin", r"on\s+aurai[st]?\s+besoin", "fr", "plain", suffixes=_FR_BESOIN),
    _connector("I want", r"i\s+want", "en", "plain", suffixes=_EN_TO),
    _connector("I would like", r"i\s+would\s+like", "en", "plain", suffixes=_EN_TO),
    _connector("I'd like", r"i'\s*d\s+like", "en", "plain", suffixes=_EN_TO),
    _connector("I would love", r"i\s+would\s+love", "en", "plain", suffixes=_EN_TO),
    _connector("I'd love", r"i'\s*d\s+love", "en", "plain", suffixes=_EN_TO),
    _connector("I wish", r"i\s+wish", "en", "plain", suffixes=_EN_TO),
    _connector("I need", r"i\s+need", "en", "plain", suffixes=_EN_TO),
    _connector("we want", r"we\s+want", "en", "plain", suffixes=_EN_TO),
    _connector("we would like", r"we\s+would\s+like", "en", "plain", suffixes=_EN_TO),
    _connector("we'd like", r"we'\s*d\s+like", "en", "plain", suffixes=_EN_TO),
    _connector("we need", r"we\s+need", "en", "plain", suffixes=_EN_TO),
)

_BENEFIT_CONNECTORS: Final = (
    _connector("afin que", r"afin\s+" + _QUE, "fr", "clause", tier=1),
    _connector("afin de", r"afin\s+" + _DE, "fr", "infinitive", tier=1),
    _connector("so that", r"so\s+that", "en", "clause", tier=1),
    _connector("in order to", r"in\s+order\s+to", "en", "infinitive", tier=1),
    _connector("in order that", r"in\s+order\s+that", "en", "clause", tier=1),
    _connector("pour que", r"pour\s+" + _QUE, "fr", "clause", tier=2),
    _connector("de sorte que", r"de\s+sorte\s+" + _QUE, "fr", "clause", tier=2),
    _connector("de façon à ce que", r"de\s+facon\s+a\s+ce\s+" + _QUE, "fr", "clause", tier=2),
    _connector("de manière à ce que", r"de\s+maniere\s+a\s+ce\s+" + _QUE, "fr", "clause", tier=2),
    _connector("de façon à", r"de\s+facon\s+a", "fr", "infinitive", tier=2),
    _connector("de manière à", r"de\s+maniere\s+a", "fr", "infinitive", tier=2),
    _connector("dans le but de", r"dans\s+le\s+but\s+" + _DE, "fr", "infinitive", tier=2),
    _connector("so as to", r"so\s+as\s+to", "en", "infinitive", tier=2),
    _connector("pour", r"pour", "fr", "infinitive", tier=3),
)

_BARE_TIER: Final = 3
# A guided-dialogue answer to « je souhaite… ? » may start with « que ».
_NEED_QUE: Final = _connector("je souhaite que", _QUE, "fr", "clause")

# How each language renders a story; connectors of another language are replaced by the
# default of the same kind (a French « afin de » becomes "in order to" in English).
_FRAMES: Final[dict[str, dict[str, dict[str, str]]]] = {
    "fr": {
        "need": {"plain": "je souhaite", "clause": "je souhaite que", "infinitive": "je souhaite"},
        "benefit": {"clause": "afin que", "infinitive": "afin de", "plain": "afin que"},
    },
    "en": {
        "need": {"plain": "I want", "clause": "I wish that", "infinitive": "I want to"},
        "benefit": {"clause": "so that", "infinitive": "in order to", "plain": "so that"},
    },
}
_DEFAULT_LANG: Final = "fr"


def _connector_variants(connectors: tuple[_Connector, ...]) -> dict[str, tuple[str, str]]:
    variants: dict[str, tuple[str, str]] = {}
    for connector in connectors:
        variants[connector.canonical] = (connector.lang, connector.kind)
        for _, suffix, kind in connector.suffixes:
            variants[connector.canonical + suffix] = (connector.lang, kind)
    return variants


_NEED_VARIANTS: Final = _connector_variants(_NEED_CONNECTORS)
_BENEFIT_VARIANTS: Final = _connector_variants(_BENEFIT_CONNECTORS)


@dataclass(frozen=True)
class _Match:
    start: int  # in the folded text
    end: int
    connector: _Connector
    canonical: str
    kind: str


def _find(text: _FoldedText, connectors: tuple[_Connector, ...]) -> list[_Match]:
    found: list[_Match] = []
    for connector in connectors:
        for match in connector.pattern.finditer(text.folded):
            if connector.lang == "en" and _has_accent(text.original_slice(*match.span())):
                continue  # French « as à » folds to "as a"; English connectors need no accent
            canonical, kind = connector.canonical, connector.kind
            for name, suffix, suffix_kind in connector.suffixes:
                if match.group(name) is not None:
                    canonical, kind = canonical + suffix, suffix_kind
            found.append(_Match(match.start(), match.end(), connector, canonical, kind))
    found.sort(key=lambda m: (m.start, -m.end))
    return found


def _has_accent(text: str) -> bool:
    return any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", text))


def _overlaps(match: _Match, other: _Match | None) -> bool:
    return other is not None and match.start < other.end and other.start < match.end


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


# --- the bare « pour » --------------------------------------------------------------------


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words that may stand between « pour » and its infinitive: « pour ne plus », « pour les
# aider », « pour mieux s'organiser », « pour y accéder ».
_BEFORE_INFINITIVE: Final = _word_set(
    "me m' te t' se s' nous vous le la les l' lui leur y en mieux bien plus moins "
    "enfin toujours davantage vite aussi facilement rapidement"
)
# Words ending like an infinitive that are not verbs, common right after « pour ».
_NOT_INFINITIVES: Final = _word_set(
    "notre votre autre autres quatre entre contre outre propre libre leur hier "
    "premier dernier entier chaque tout"
)
_WORD: Final = re.compile(r"[^\W\d_]+'?")


def _starts_with_infinitive(folded_tail: str) -> bool:
    """True when a folded French phrase starts like an infinitive clause ("ne plus rater")."""
    for position, word_match in enumerate(_WORD.finditer(folded_tail[:120])):
        word = word_match.group()
        if position > 3:
            return False
        if word in ("ne", "n'"):
            return True
        if word in _BEFORE_INFINITIVE:
            continue
        return len(word) > 3 and word.endswith(("er", "ir", "re")) and word not in _NOT_INFINITIVES
    return False


def _choose_bare_pour(
    text: _FoldedText, bare: list[_Match], region_start: int, region_end: int
) -> _Match | None:
    # A bare « pour » is ambiguous: « un outil pour le planning pour gagner du temps ».
    # Rule: only when no stronger connector (afin…, pour que, so that…) exists; among the
    # « pour » that leave a non-empty need before them, take the LAST one that is followed by an
    # infinitive (« pour gagner », « pour ne plus », « pour les aider »), else the last one.
    # « un tableau pour suivre les dons pour l'épicerie » → need « un tableau ».
    candidates = [
        match
        for match in bare
        if region_start < match.start < region_end
        and _has_words(text.folded[region_start : match.start])
    ]
    if not candidates:
        return None
    verbal = [m for m in candidates if _starts_with_infinitive(text.folded[m.end : region_end])]
    return (verbal or candidates)[-1]


# --- analysis -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Analysis:
    text: _FoldedText
    role: _Match | None
    need: _Match | None
    benefit: _Match | None
    draft: StoryDraft


def _analyse(raw: str) -> _Analysis:
    text = _fold_aligned(raw)
    role, need, incise = _role_and_need(text)
    benefit = _benefit(text, role, need, incise)
    segments = _segments(text, {"role": role, "need": need, "benefit": benefit})
    if incise and role is not None and need is not None:
        role_text, _, need_text = _split_incise(segments.get("role", ""))
        segments["role"], segments["need"] = role_text, need_text

    cleaned = {name: _clean_part(segment) or None for name, segment in segments.items()}
    draft = StoryDraft(
        role=cleaned.get("role"),
        need=cleaned.get("need"),
        benefit=cleaned.get("benefit"),
        need_connector=need.canonical if need else None,
        benefit_connector=benefit.canonical if benefit else None,
    )
    return _Analysis(text, role, need, benefit, draft)


def _role_and_need(text: _FoldedText) -> tuple[_Match | None, _Match | None, bool]:
    """The role and need connectors, and whether the role is an incise inside the need.

    An incise: « Je souhaite, en tant que trésorière, pouvoir … »."""
    roles = _find(text, _ROLE_CONNECTORS)
    role = roles[0] if roles else None

    needs = [m for m in _find(text, _NEED_CONNECTORS) if not _overlaps(m, role)]
    # Prefer a need connector after the role: « Je veux partager une idée : en tant que … ».
    after_role = [m for m in needs if role is not None and m.start >= role.end]
    need = next(iter(after_role or needs), None)

    # « Je souhaite, en tant que trésorière, pouvoir … »: the need follows the role, after a comma.
    incise = (
        need is not None
        and role is not None
        and need.end <= role.start
        and not _has_words(text.folded[need.end : role.start])
    )
    if role is not None and need is not None and role.start > need.start and not incise:
        # « je souhaite être reconnue en tant que bénévole »: that « en tant que » belongs to
        # the need, the story has no role.
        role = None
    return role, need, incise


def _benefit(
    text: _FoldedText, role: _Match | None, need: _Match | None, incise: bool
) -> _Match | None:
    """The benefit connector: the strongest after the need, else a bare « pour » that fits."""
    benefits = [
        m
        for m in _find(text, _BENEFIT_CONNECTORS)
        if not _overlaps(m, role) and not _overlaps(m, need)
    ]
    strong = [m for m in benefits if m.connector.tier < _BARE_TIER]
    if need is not None:
        # Order role → need → benefit is the rule; a benefit before the need is accepted only
        # when none follows it (« En tant que X, afin de Y, je souhaite Z »).
        strong = [m for m in strong if m.start >= need.end] or strong
    benefit = min(strong, key=lambda m: (m.connector.tier, m.start, -m.end), default=None)
    if benefit is None and need is not None:
        bare = [m for m in benefits if m.connector.tier == _BARE_TIER]
        if incise and role is not None:
            region = (role.end, len(text.folded))
        else:
            later = [m.start for m in (role,) if m is not None and m.start > need.end]
            region = (need.end, min(later, default=len(text.folded)))
        benefit = _choose_bare_pour(text, bare, *region)
    return benefit


def _segments(text: _FoldedText, matches: dict[str, _Match | None]) -> dict[str, str]:
    """Each found connector's text: from its end to the next connector, or to the end."""
    present = sorted(
        ((m, name) for name, m in matches.items() if m), key=lambda item: item[0].start
    )
    segments: dict[str, str] = {}
    for index, (match, name) in enumerate(present):
        if index + 1 < len(present):
            segments[name] = text.original_slice(match.end, present[index + 1][0].start)
        else:
            last = _first_sentence(text.original_slice(match.end, len(text.folded)))
            segments[name] = _drop_end_label(last)
    return segments


# The last part ends with its sentence: « … afin de gagner du temps. Merci ! » or « … pour
# ne rien rater. Qu'en pensez-vous ? » must not carry the words after it. A sentence ends at
# . ! ? … followed by a capital (not after « etc. », « M. », a lone letter), or a blank line.
_NEXT_SENTENCE: Final = re.compile(
    r"(?P<word>[\w°]*)[.!?…]+[)»”\"]?\s+(?=[«“\"(]?\s*[A-ZÀ-ÖØ-ÞŒ])|\n\s*\n"
)
_ABBREVIATIONS: Final = frozenset(
    {"etc", "cf", "ex", "mme", "mmes", "mlle", "mr", "dr", "st", "ste", "env", "vs", "no", "n°"}
)


def _first_sentence(segment: str) -> str:
    for found in _NEXT_SENTENCE.finditer(segment):
        word = found["word"]
        if word is not None and (len(word) == 1 or word.casefold() in _ABBREVIATIONS):
            continue
        if _has_words(segment[: found.start()]):
            return segment[: found.start()] + segment[found.start() : found.end()].rstrip()
    return segment


def _split_incise(role_segment: str) -> tuple[str, str, str]:
    """« trésorière, pouvoir exporter » → role « trésorière », need « pouvoir exporter »."""
    for separator in (",", "\n", ";", ":"):
        role, found, need = role_segment.partition(separator)
        if found and _has_words(role) and _has_words(need):
            return role, found, need
    return role_segment, "", ""


# --- trimming a part ----------------------------------------------------------------------

_PAIRS: Final = {"(": ")", "[": "]", "{": "}", "«": "»", "“": "”", "„": "“", "‹": "›"}
_CLOSERS: Final = {close: open_ for open_, close in _PAIRS.items()}
_SYMMETRIC_QUOTES: Final = frozenset('"')
_KEPT_PUNCTUATION: Final = frozenset("#%&@'’")
_EXTRA_STRIPPED: Final = frozenset("~|>+=<^")
# Hashtags closing a part, e.g. a line of themes after the sentence (« … du temps.\n#outils »).
_TRAILING_HASHTAGS: Final = re.compile(r"(?:\s*" + HASHTAG.pattern + r")+\s*$")
_SENTENCE_END: Final = tuple(".!?…")


def _is_strippable(char: str) -> bool:
    if char.isspace() or char in _EXTRA_STRIPPED:
        return True
    if char in _KEPT_PUNCTUATION or char in _PAIRS or char in _CLOSERS:
        return False
    return unicodedata.category(char) in ("Po", "Pd", "Pc") and char not in _SYMMETRIC_QUOTES


def _balanced(text: str, open_: str, close: str) -> bool:
    depth = 0
    for char in text:
        if char == open_:
            depth += 1
        elif char == close:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _strip_unbalanced(part: str) -> str:
    if not part:
        return part
    first, last = part[0], part[-1]
    if first in _PAIRS and _PAIRS[first] == last and _balanced(part[1:-1], first, last):
        return part[1:-1]
    if last in _CLOSERS and part.count(last) > part.count(_CLOSERS[last]):
        return part[:-1]
    if first in _PAIRS and part.count(first) > part.count(_PAIRS[first]):
        return part[1:]
    for quote in _SYMMETRIC_QUOTES:
        if first == quote and last == quote and part.count(quote) == 2:
            return part[1:-1]
        if part.count(quote) % 2 == 1:
            if last == quote:
                return part[:-1]
            if first == quote:
                return part[1:]
    return part


# Words after which a hashtag ending the message is a word of the sentence (« gérer le
# #planning »); after any other word it labels the story (« gagner du temps #compta »).
# fmt: off
_LEADS_TO_A_WORD: Final = frozenset({
    "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "au", "aux", "mon", "ma",
    "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre", "nos", "votre", "vos", "leur",
    "leurs", "ce", "cet", "cette", "ces", "en", "sur", "pour", "avec", "par", "dans",
    "chez", "sans", "sous", "vers", "entre", "et", "ou", "the", "a", "an", "my", "our",
    "your", "their", "his", "her", "its", "this", "that", "these", "those", "of", "to",
    "for", "with", "in", "on", "at", "by", "from", "and", "or",
})
# fmt: on


def _drop_end_label(segment: str) -> str:
    """« … gagner du temps #compta » → « … gagner du temps »: the message's last hashtag
    labels the story unless an article or preposition asks for it (themes are read from
    the whole text anyway)."""
    tag = _TRAILING_HASHTAGS.search(segment)
    if tag is None or len(HASHTAG.findall(tag.group())) != 1:
        return segment
    before = segment[: tag.start()]
    words = re.findall(r"\w+", fold(before).replace("’", "'"))
    if (
        not words
        or words[-1] in _LEADS_TO_A_WORD
        or not is_theme_word(HASHTAG.findall(tag.group())[0])
    ):
        return segment
    return before


def _strip_theme_line(part: str) -> str:
    # Only a run of hashtags that labels the text goes: after a line break or the end of a
    # sentence, or several in a row (« … de tournée #planning #collectes »); at the end of
    # the message, also one that no article asks for (see _drop_end_label). In « gérer le
    # #planning » the single hashtag is a word of the sentence and stays.
    tags = _TRAILING_HASHTAGS.search(part)
    if tags is None:
        return part
    before, run = part[: tags.start()], tags.group()
    names = HASHTAG.findall(run)
    detached = (
        "\n" in run.split("#", 1)[0] or before.rstrip().endswith(_SENTENCE_END) or len(names) > 1
    )
    if detached and _has_words(before) and all(is_theme_word(name) for name in names):
        return before
    return part


def _clean_part(segment: str) -> str:
    """Trim a part: edges' punctuation, bullets, unbalanced quotes and trailing hashtags go;
    inner whitespace (line breaks included) collapses to one space."""
    part = segment
    while True:
        before = part
        start, end = 0, len(part)
        while start < end and _is_strippable(part[start]):
            start += 1
        while end > start and _is_strippable(part[end - 1]):
            end -= 1
        part = _strip_unbalanced(part[start:end])
        part = _strip_theme_line(part)
        if part == before:
            break
    part = " ".join(part.split())
    return part if _has_words(part) else ""


# --- public API ---------------------------------------------------------------------------


def parse_story(text: str) -> StoryParseResult:
    """Split a story into role, need and benefit, whatever the case, accents or punctuation.

    >>> parts = parse_story("En tant qu’animatrice, je souhaite recevoir un rappel la veille "
    ...                     "afin que je n’oublie pas le rendez-vous.").parts
    >>> parts.role, parts.need, parts.benefit, parts.benefit_connector
    ('animatrice', 'recevoir un rappel la veille', 'je n’oublie pas le rendez-vous', 'afin que')

    Accepted: « en tant que / qu' », « je souhaite (que) / je veux / je voudrais / j'aimerais /
    j'ai besoin de / nous souhaitons / on voudrait … », « afin que / afin de / pour que /
    de sorte que / pour … »; English "as a …, I want (to) / I would like (to) … so that /
    in order to …". Text before the first connector is ignored (« Bonjour ! En tant que … »).
    """
    stripped = text.strip()
    if len(stripped) > MAX_STORY_CHARS:
        return StoryParseResult(parts=None, error="too_long", limit=MAX_STORY_CHARS)
    return _result(_analyse(stripped).draft)


def _result(draft: StoryDraft) -> StoryParseResult:
    for name in PART_NAMES:
        value = getattr(draft, name)
        if value is not None and len(value) > MAX_PART_CHARS:
            return StoryParseResult(
                parts=None,
                missing=draft.missing,
                error="too_long",
                limit=MAX_PART_CHARS,
                part=name,
                draft=draft,
            )
    return StoryParseResult(parts=draft.to_parts(), missing=draft.missing, draft=draft)


def looks_like_story(text: str) -> bool:
    """True when a chat message (not a command) is a complete story written freely.

    >>> looks_like_story("En tant que bénévole, je voudrais le planning pour ne rien rater")
    True
    >>> looks_like_story("je souhaite bon courage à tous pour demain")
    False

    Stricter than parse_story: the role connector comes first, begins within the first 40
    characters or at the start of a sentence (« Bonjour à tous ! Une idée depuis l'AG.
    En tant que … »), and a bare « pour » counts only when an infinitive follows it.
    """
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_STORY_CHARS:
        return False
    analysis = _analyse(stripped)
    role, need, benefit = analysis.role, analysis.need, analysis.benefit
    if role is None or need is None or benefit is None or _result(analysis.draft).parts is None:
        return False
    role_at = analysis.text.to_original(role.start)
    if role.start > need.start or not (
        role_at <= _FREE_TEXT_ROLE_WITHIN or _starts_a_sentence(stripped, role_at)
    ):
        return False
    if benefit.connector.tier == _BARE_TIER:
        return _starts_with_infinitive(analysis.text.folded[benefit.end :])
    return True


def _starts_a_sentence(text: str, index: int) -> bool:
    return text[:index].rstrip(" \t").endswith(("\n", ".", "!", "?", "…", ":"))


def answer_part(draft: StoryDraft, part: str, answer: str, lang: str = "fr") -> StoryParseResult:
    """Fill one part of ``draft`` with a guided-dialogue answer; a connector typed is dropped.

    >>> answer_part(StoryDraft(role="trésorière", need="exporter les comptes"),
    ...             "benefit", "Afin de gagner du temps.").parts.benefit
    'gagner du temps'

    Without a typed connector the benefit gets « afin de » before an infinitive, else
    « afin que » (English: "in order to" / "so that"). ``part`` is one of PART_NAMES.
    """
    if part not in PART_NAMES:
        raise ValueError(f"unknown story part {part!r}")
    stripped = answer.strip()
    if len(stripped) > MAX_PART_CHARS:
        return StoryParseResult(
            parts=None,
            missing=draft.missing,
            error="too_long",
            limit=MAX_PART_CHARS,
            part=part,
            draft=draft,
        )
    text = _fold_aligned(stripped)
    connectors = {
        "role": _ROLE_CONNECTORS,
        "need": _NEED_CONNECTORS,
        "benefit": _BENEFIT_CONNECTORS,
    }
    lead = _leading_connector(text, connectors[part])
    if part == "need" and lead is None:
        que = re.match(rf"\W*{_QUE}", text.folded)
        if que is not None:
            lead = _Match(que.start(), que.end(), _NEED_QUE, _NEED_QUE.canonical, "clause")
    body = text.original_slice(lead.end, len(text.folded)) if lead else stripped
    if part == "role" and lead is None:
        body = _ROLE_LEAD.sub("", body, count=1) or body
    value = _clean_part(body) or None
    changes: dict[str, str | None] = {part: value}
    if part == "need":
        changes["need_connector"] = (
            lead.canonical if lead else _guess_need_connector(fold(value or ""), lang)
        )
    elif part == "benefit":
        changes["benefit_connector"] = (
            lead.canonical if lead else _guess_benefit_connector(fold(value or ""), lang)
        )
    return _result(replace(draft, **changes))


# « Qui êtes-vous ? » — « Je suis une bénévole » reads « En tant que bénévole ».
_ROLE_LEAD: Final = re.compile(
    r"^\W*(?:moi\W+)?(?:je\s+suis\s+|i\s+am\s+|i'm\s+|i’m\s+)?"
    r"(?:(?:un|une|le|la|les|a|an|the)\s+(?=\w)|l['’](?=\w))?",
    re.IGNORECASE,
)


def _leading_connector(text: _FoldedText, connectors: tuple[_Connector, ...]) -> _Match | None:
    lead = re.match(r"\W*", text.folded)
    offset = lead.end() if lead else 0
    starting = [m for m in _find(text, connectors) if m.start == offset]
    return max(starting, key=lambda m: m.end, default=None)


_EN_CLAUSE_STARTS: Final = _word_set(
    "i we you they he she it everyone everybody people nobody no the my our their his her"
)


# An English need without its connector: "a shared calendar" wants "I want", a verb "I want to".
_EN_NOUN_STARTS: Final = _word_set(
    "a an the my our their some more less fewer better one two every each this that these those to"
)


def _guess_need_connector(folded_need: str, lang: str) -> str | None:
    """None in French (the default « je souhaite », fitted at rendering); in English the
    connector that keeps the story English."""
    if lang != "en":
        return None
    first = folded_need.split(maxsplit=1)[0] if folded_need.split() else ""
    return "I want" if first in _EN_NOUN_STARTS else "I want to"


def _guess_benefit_connector(folded_benefit: str, lang: str) -> str:
    if lang == "en":
        first = folded_benefit.split(maxsplit=1)[0] if folded_benefit.split() else ""
        return "so that" if first.rstrip("'") in _EN_CLAUSE_STARTS else "in order to"
    return "afin de" if _starts_with_infinitive(folded_benefit) else "afin que"


def render_story(parts: StoryParts, lang: str) -> str:
    """The story's canonical plain-text form in ``lang`` ("fr" or "en"; others fall back to fr).

    >>> render_story(StoryParts("animatrice", "un rappel", "il soit utile", "je veux"), "fr")
    "En tant qu'animatrice, je veux un rappel afin qu'il soit utile"
    >>> render_story(StoryParts("bénévole", "un agenda", "on sait quoi proposer"), "fr")
    "En tant que bénévole, je souhaite un agenda afin qu'on sache quoi proposer"

    Connectors of the story's own language are kept (« pour », « j'aimerais que »). A story
    written in the other language is rendered in its own (its parts are in it: "As a
    gardener, I want a seed calendar…" stays English in a French circle). French parts are
    fitted to their connectors (see ``rendered_parts``).
    """
    role, need, benefit = connected_parts(parts, lang)
    return f"{role}, {need} {benefit}"


def connected_parts(parts: StoryParts, lang: str) -> tuple[str, str, str]:
    """Role, need and benefit each with its connector, as ``render_story`` joins them.

    >>> connected_parts(StoryParts("bénévole", "un agenda", "on sait quoi proposer"), "fr")
    ('En tant que bénévole', 'je souhaite un agenda', "afin qu'on sache quoi proposer")
    """
    lang = _story_lang(parts, lang)
    shown = rendered_parts(parts, lang)
    if lang == "en":
        role_folded = fold(parts.role)
        if role_folded.startswith("the "):
            role_connector = "As"
        else:
            role_connector = "As an" if role_folded[:1] in tuple("aeiou") else "As a"
    else:
        role_connector = "En tant que"
    role = _join(role_connector, shown.role, lang)
    need = _join(shown.need_connector, shown.need, lang)
    benefit = _join(shown.benefit_connector, shown.benefit, lang)
    return role, need, benefit


def rendered_parts(parts: StoryParts, lang: str) -> StoryParts:
    """The parts as ``render_story`` writes them: connectors in the story's language and, in
    French, need and benefit fitted to their connector (« afin que » + subjunctive, « afin de »
    + infinitive, « afin d'avoir » + noun phrase; « je souhaite que » + subjunctive).

    >>> rendered_parts(StoryParts("bénévole", "un agenda", "moins de mails"), "fr").benefit
    'avoir moins de mails'
    """
    lang = _story_lang(parts, lang)
    frame = _FRAMES[lang]
    need_connector = _localised(parts.need_connector, _NEED_VARIANTS, frame["need"], lang)
    benefit_connector = _localised(
        parts.benefit_connector, _BENEFIT_VARIANTS, frame["benefit"], lang
    )
    need, benefit = parts.need, parts.benefit
    if lang == "fr":
        need_connector, need = french_need(need_connector, need)
        benefit_connector, benefit = french_benefit(benefit_connector, benefit)
    return StoryParts(parts.role, need, benefit, need_connector, benefit_connector)


def _story_lang(parts: StoryParts, lang: str) -> str:
    own_lang, _ = _NEED_VARIANTS.get(parts.need_connector, ("", "plain"))
    return own_lang if own_lang in _FRAMES else lang if lang in _FRAMES else _DEFAULT_LANG


def _localised(
    canonical: str, variants: dict[str, tuple[str, str]], defaults: dict[str, str], lang: str
) -> str:
    connector_lang, kind = variants.get(canonical, ("", "plain"))
    if connector_lang == lang:
        return canonical
    return defaults.get(kind, defaults["plain"])


# Words whose h is silent and elides (« qu'habitante », « d'héberger »); any other h is taken
# as aspirated (« de hiérarchiser », « que Hugo »).
_SILENT_H: Final = (
    "habit", "habil", "hebdo", "heberg", "herb", "hesit", "herit", "heure", "heureu",
    "histoi", "hiver", "homm", "honn", "honor", "hopit", "hote", "hotel", "huil", "human",
    "humain", "humeur", "humid", "humil", "hygien", "hypoth", "horaire", "horizon", "horr",
    "harmoni",
)  # fmt: skip


def _join(connector: str, part: str, lang: str) -> str:
    # French elision before a vowel or a silent h: « qu'animatrice », « d'éviter ».
    last_word = connector.rsplit(" ", 1)[-1]
    start = fold(part)
    if (
        lang == "fr"
        and last_word in ("que", "de")
        and (start[:1] in tuple("aeiou") or start.startswith(_SILENT_H) or start[:5] == "hier ")
    ):
        return f"{connector[:-1]}'{part}"
    return f"{connector} {part}"
