"""The floors of ``bot/`` and what each may import: no import circle, no arrow up.

Read from the source (imports at any depth, in functions too), so that it stays true as the
code changes. An arrow up is refused even in a ``TYPE_CHECKING`` block (a feature naming
``CircleBot`` is a feature reaching into the bot); the circle test leaves those blocks out,
since two modules of one floor may name each other's types.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[2] / "bot"

# Lower floors first. A module may import its own floor and the floors below it.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("bot.domain",),  # (and the package ``bot`` itself, which holds nothing)
    ("bot.store", "bot.prompts", "bot.circle", "bot.config", "bot.logging_setup"),
    ("bot.matrix", "bot.rendering", "bot.scheduling"),
    ("bot.commands",),
    ("bot.features", "bot.memory_export"),
    ("bot.app", "bot.app_runtime"),
    ("bot.__main__", "bot.demo", "bot.demo_keep", "bot.demo_transcript", "bot.testing"),
)
# Modules that import nothing of the bot's own beyond the standard library and third parties.
PURE = ("bot.domain",)


def _module_name(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _floor(module: str) -> int:
    if module == "bot":
        return 0
    for index, names in enumerate(FLOORS):
        if any(module == name or module.startswith(name + ".") for name in names):
            return index
    raise AssertionError(f"{module} belongs to no floor: add it to FLOORS")


def _imports(path: Path, typing: bool = True) -> set[str]:
    """The bot's modules ``path`` imports (with ``typing``: also in ``TYPE_CHECKING`` blocks)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if not typing and isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for child in ast.walk(node))
    found: set[str] = set()
    package = (
        _module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module_name(path)
    )
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                kept = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*kept, base])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "bot" or name.startswith("bot.")}


MODULES = {_module_name(path): path for path in sorted(BOT.rglob("*.py"))}


def _own(names: set[str]) -> set[str]:
    """Imported names that are modules of the bot (``from bot.x import Y`` names bot.x)."""
    return {name for name in names if name in MODULES}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_floor_above_its_own(module: str) -> None:
    floor = _floor(module)
    above = sorted(n for n in _own(_imports(MODULES[module])) if _floor(n) > floor)
    assert not above, f"{module} (floor {floor}) imports {above} from a floor above"


def test_the_domain_imports_no_other_floor() -> None:
    for module, path in MODULES.items():
        if module.startswith(PURE):
            others = sorted(n for n in _own(_imports(path)) if not n.startswith(PURE))
            assert not others, f"{module} imports {others}"


def test_no_import_circle() -> None:
    graph = {
        module: _own(_imports(path, typing=False)) - {module} for module, path in MODULES.items()
    }
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        if module in done:
            return
        assert module not in visiting, " -> ".join([*visiting[visiting.index(module) :], module])
        visiting.append(module)
        for imported in sorted(graph.get(module, ())):
            # a package's __init__ is imported with its submodules: follow only real edges
            if imported != module.rsplit(".", 1)[0]:
                visit(imported)
        visiting.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)
