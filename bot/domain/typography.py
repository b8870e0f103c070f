"""French typography for prompt templates: the non-breaking spaces a phone needs.

French puts a space before « ; ! ? : » and inside « guillemets »; a plain space
there lets a phone start a line with « ! » or « ». The rule used here is the one
Grammalecte checks: a narrow no-break space (U+202F) before ; ! ? and a no-break
space (U+00A0) before : and », after «, after a dash that opens a line, and between
a number and its unit (« 2 semaines », ``{n} jours``, « 18 h »).

Only the template's own text is touched: code in backticks (``!vote 3 7``), URLs,
Markdown link targets, ``{fields}`` and emoji shortcodes (``:tada:``) stay as they are.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"

# What must never change: code spans (any number of backticks), Markdown link targets,
# URLs, {fields} (a format spec may hold a colon: {ratio:.1f}) and :shortcodes:.
_PROTECTED = re.compile(
    r"(?P<fence>`+)[\s\S]*?(?P=fence)"
    r"|\]\([^)\s]*\)"
    r"|(?:https?|mailto|matrix):[^\s<>()]+"
    r"|\{[^{}\s]*\}"
    r"|(?<![\w:]):[a-z0-9_+\-]+:(?![\w:])"
)
_SPACES = f"[ {NBSP}{NARROW_NBSP}]"
# A word or a closing mark before the sign, then a space, the end, or a closing mark after it:
# « Bravo ! », « **Thèmes** : », « changerait ?** ». Not « 18:00 », « !vote », « ?page=2 ».
_BEFORE_SIGN = r"(?:{s}+|(?<=[\w*_)\]}}»…]))"
_AFTER_SIGN = r"(?=[\s*_)\]»!?.,;:]|$)"
# Units of time and measure, as Grammalecte lists them (« 2 points » or « 3 histoires » are
# counts, not units: a plain space is fine there).
_UNITS = r"(?:h|min|heures?|minutes?|jours?|semaines?|mois|ans|an|années?|km|kg|€|%)(?![\w])"
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(_BEFORE_SIGN.format(s=_SPACES) + r"([;!?])" + _AFTER_SIGN), NARROW_NBSP + r"\1"),
    (re.compile(_BEFORE_SIGN.format(s=_SPACES) + r"(:)" + _AFTER_SIGN), NBSP + r"\1"),
    (re.compile(r"«" + _SPACES + r"*"), "«" + NBSP),
    (re.compile(_SPACES + r"*»"), NBSP + "»"),
    # A dash opening a line (a list or a dialogue) keeps its first word.
    (re.compile(r"^([–—]) ", re.MULTILINE), r"\1" + NBSP),
    # A number keeps its unit: « 2 semaines », « {n} jours », « 18 h 30 ».
    (re.compile(rf"(?<![\w#/.,:])(\d+) (?={_UNITS})"), r"\1" + NBSP),
    (re.compile(rf"(?<=\{{n\}}) (?={_UNITS})"), NBSP),
    (re.compile(r"(?<=\d\u00a0h) (?=\d)"), NBSP),
)


def french_spacing(template: str) -> str:
    """Put French non-breaking spaces around ; ! ? : « » in ``template``, outside code and fields.

    >>> french_spacing("Bravo {who} ! Tapez `!vote 3 7` : « oui ».") == (
    ...     "Bravo {who}\\u202f! Tapez `!vote 3 7`\\u00a0: «\\u00a0oui\\u00a0»."
    ... )
    True
    """
    protected = [m.span() for m in _PROTECTED.finditer(template)]
    for pattern, replacement in _RULES:
        template = _sub_outside(pattern, replacement, template, protected)
        protected = [m.span() for m in _PROTECTED.finditer(template)]
    return template


def _sub_outside(
    pattern: re.Pattern[str], replacement: str, text: str, protected: list[tuple[int, int]]
) -> str:
    def replace(match: re.Match[str]) -> str:
        if any(
            start <= match.start() < end or start < match.end() <= end for start, end in protected
        ):
            return match.group(0)
        return match.expand(replacement)

    return pattern.sub(replace, text)
