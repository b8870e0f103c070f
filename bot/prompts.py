"""Every sentence a user reads, per language, from ``prompts/<lang>/*.yaml``.

A key maps to a template (``str.format`` fields, Markdown allowed) or to plural
forms ``{one: …, other: …}`` chosen by Babel's plural rule for the ``n`` field (an
optional ``zero`` form, when given, is used for 0).
Keys are unique across the files of one language; French is the reference and
English must define the same keys (checked by a unit test).
"""

from __future__ import annotations

import os
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from babel import Locale

from bot.domain.typography import french_spacing

# Installed from a wheel, the prompts ship inside the package (see setup.py); in a checkout
# they are the repository's top-level ``prompts/`` folder, which is what a facilitator edits.
_PACKAGED_DIR = Path(__file__).resolve().parent / "prompt_files"
_CHECKOUT_DIR = Path(__file__).resolve().parents[1] / "prompts"
DEFAULT_DIR = _PACKAGED_DIR if _PACKAGED_DIR.is_dir() else _CHECKOUT_DIR


class PromptError(Exception):
    """A prompt key is missing or a template does not fit its fields (a bug, not a user error)."""


@dataclass(frozen=True)
class Template:
    key: str
    forms: Mapping[str, str]  # "other" always present; "one", "zero"… optional

    def pick(self, locale: Locale, n: Any) -> str:
        if isinstance(n, int) and len(self.forms) > 1:
            if n == 0 and "zero" in self.forms:  # « Personne n'a voté » reads better than 0
                return self.forms["zero"]
            return self.forms.get(locale.plural_form(n), self.forms["other"])
        return self.forms["other"]


def prompts_dir() -> Path:
    """Where the prompt files are: ``BOT_PROMPTS_DIR``, else the copy shipped with the package."""
    return Path(os.environ.get("BOT_PROMPTS_DIR") or DEFAULT_DIR)


def _load_language(folder: Path) -> dict[str, Template]:
    templates: dict[str, Template] = {}
    files = sorted(folder.glob("*.yaml"))
    # French templates get French spacing, so a reworded prompt with plain spaces still reads
    # well on a phone; user fields are filled in later and never touched.
    typeset = french_spacing if folder.name.split("_")[0] == "fr" else str
    if not files:
        raise PromptError(f"no prompt files in {folder}")
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise PromptError(f"{file}: expected a mapping of keys to texts")
        for key, value in data.items():
            if key in templates:
                raise PromptError(f"{file}: key {key!r} is defined twice")
            # A YAML block (|) ends with a newline; messages are joined by the code.
            if isinstance(value, str):
                templates[key] = Template(key, {"other": typeset(value.rstrip("\n"))})
            elif isinstance(value, dict) and "other" in value:
                forms = {str(k): typeset(str(v).rstrip("\n")) for k, v in value.items()}
                templates[key] = Template(key, forms)
            else:
                raise PromptError(f"{file}: {key!r} must be text or {{one:, other:}} forms")
    return templates


class Prompts:
    """The loaded prompt catalogues; ``text(lang, key, **fields)`` renders one."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or prompts_dir()
        self._catalogues: dict[str, dict[str, Template]] = {}
        for lang_dir in sorted(p for p in self.folder.iterdir() if p.is_dir()):
            self._catalogues[lang_dir.name] = _load_language(lang_dir)
        if "fr" not in self._catalogues:
            raise PromptError(f"no French prompts in {self.folder}")
        self._locales = {lang: Locale.parse(lang) for lang in self._catalogues}

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._catalogues)

    def keys(self, lang: str) -> set[str]:
        return set(self._catalogues[lang])

    def has(self, lang: str, key: str) -> bool:
        return key in self._catalogues.get(lang, {})

    def text(self, lang: str, key: str, **fields: Any) -> str:
        """Render ``key`` in ``lang`` (falling back to French) with ``fields``."""
        catalogue = self._catalogues.get(lang) or self._catalogues["fr"]
        template = catalogue.get(key) or self._catalogues["fr"].get(key)
        if template is None:
            raise PromptError(f"missing prompt {key!r}")
        locale = self._locales.get(lang, self._locales["fr"])
        form = template.pick(locale, fields.get("n"))
        try:
            return form.format(**fields)
        except (KeyError, IndexError, ValueError) as exc:
            raise PromptError(f"prompt {key!r} ({lang}) does not fit its fields: {exc}") from None

    def template(self, lang: str, key: str, n: Any = None) -> str:
        """The raw template text of ``key`` (plural form chosen by ``n``), unfilled."""
        catalogue = self._catalogues.get(lang) or self._catalogues["fr"]
        template = catalogue.get(key) or self._catalogues["fr"].get(key)
        if template is None:
            raise PromptError(f"missing prompt {key!r}")
        return template.pick(self._locales.get(lang, self._locales["fr"]), n)

    def template_forms(self, lang: str, key: str) -> list[str]:
        """Every plural form of ``key``'s template, unfilled (for consistency tests)."""
        return list(self._catalogues[lang][key].forms.values())

    def fields_of(self, lang: str, key: str) -> set[str]:
        """The ``{field}`` names a template uses (for consistency tests)."""
        template = self._catalogues[lang][key]
        names: set[str] = set()
        for form in template.forms.values():
            for _, name, _, _ in string.Formatter().parse(form):
                if name:
                    names.add(name.split(".")[0].split("[")[0])
        return names
