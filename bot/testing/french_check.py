"""French grammar and typography of message texts, checked by Grammalecte (``grammalecte-cli``).

Used by the prompt tests and the demo: every line of every text becomes one paragraph of a
temporary file, and the checker runs once over the file (it checks hundreds of messages in
about a second).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CLI = "grammalecte-cli"

# The typographic apostrophe (’ for ') is a style choice: pioneers type ' and the prompts do too.
ALLOWED_RULES = frozenset({"apostrophe_typographique"})


@dataclass(frozen=True)
class Finding:
    """One thing Grammalecte flags in ``texts[index]``: ``excerpt`` is the flagged part."""

    index: int
    rule: str
    kind: str  # Grammalecte's sType: "nbsp", "esp", "gn", "conj", "typo"…
    message: str
    excerpt: str
    suggestions: tuple[str, ...]
    in_code: bool = False  # the flagged part is a command or code, not French

    def describe(self, label: str = "") -> str:
        hint = f" → {' | '.join(self.suggestions)}" if self.suggestions else ""
        return f"{label or self.index}: [{self.rule}] {self.message} « {self.excerpt} »{hint}"


def grammalecte_available() -> bool:
    return shutil.which(CLI) is not None


def check_french(texts: Sequence[str], allowed: frozenset[str] = ALLOWED_RULES) -> list[Finding]:
    """Grammar and typography findings (not spelling) in ``texts``, minus the ``allowed`` rules.

    Each line of a text is checked as one paragraph (a message's lines are shown apart, as
    list items or paragraphs); a finding's ``index`` points back into ``texts``.
    Raises FileNotFoundError when grammalecte-cli is not installed.
    """
    if not grammalecte_available():
        raise FileNotFoundError(CLI)
    lines: list[tuple[int, str]] = [
        (index, shown)
        for index, text in enumerate(texts)
        for line in text.splitlines()
        if (shown := _as_shown(line))
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "messages.txt"
        # One paragraph a line: Grammalecte numbers the file's lines from 1.
        path.write_text("".join(line + "\n" for _, line in lines), encoding="utf-8")
        result = subprocess.run(
            [CLI, "-f", str(path), "-j"], capture_output=True, text=True, check=True, timeout=300
        )
    return [
        finding
        for finding in _findings(json.loads(result.stdout), lines)
        if finding.rule not in allowed and not finding.in_code
    ]


# Markdown that a client shows as layout, not as text: list bullets, quote bars, heading marks.
_BLOCK_MARK = re.compile(r"^(?:[-*+]|>|#{1,6})\s+")
# Commands are code, not French: `!vote 3 7` in backticks, or a bare !vote in plain text.
_CODE = re.compile(r"(`+)[^`]*?\1|(?<!\S)!\w\S*")


def _as_shown(line: str) -> str:
    return _BLOCK_MARK.sub("", line.strip())


def _findings(report: dict[str, Any], lines: list[tuple[int, str]]) -> list[Finding]:
    found: list[Finding] = []
    for block in report.get("data", []):
        index, text = lines[int(block["iParagraph"]) - 1]
        code = [m.span() for m in _CODE.finditer(text)]
        for error in block.get("lGrammarErrors", []):
            start, end = int(error["nStart"]), int(error["nEnd"])
            flagged = text[start:end]
            core_start = start + len(flagged) - len(flagged.lstrip())
            core_end = end - len(flagged) + len(flagged.rstrip())
            found.append(
                Finding(
                    index=index,
                    rule=str(error["sRuleId"]),
                    kind=str(error["sType"]),
                    message=str(error["sMessage"]),
                    excerpt=text[start:end],
                    suggestions=tuple(str(s) for s in error.get("aSuggestions", [])),
                    in_code=any(a <= core_start and core_end <= b for a, b in code),
                )
            )
    return found


def transcript_report(texts: Sequence[str], limit: int = 800) -> list[str]:
    """Lines saying how ``texts`` (a conversation's bot messages) fare: findings, longest one."""
    if not texts:
        return ["Grammalecte : aucun message à vérifier."]
    findings = check_french(texts)
    spacing = [f for f in findings if f.kind in ("nbsp", "esp")]
    longest = max(texts, key=len)
    over = sum(len(text) > limit for text in texts)
    lines = [
        f"Grammalecte, sur {len(texts)} messages du bot : grammaire et typographie, "
        f"{len(findings) - len(spacing)} ; espaces manquantes ou en trop, {len(spacing)} "
        f"(règle tolérée : {', '.join(sorted(ALLOWED_RULES))}).",
        f"Message le plus long : {len(longest)} caractères ; au-delà de {limit} : {over}. "
        f"« {paragraph_start(longest)} »",
    ]
    lines += [
        f"  - {finding.describe(paragraph_start(texts[finding.index]))}" for finding in findings
    ]
    return lines


def paragraph_start(text: str, width: int = 60) -> str:
    """The first words of a message, on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
