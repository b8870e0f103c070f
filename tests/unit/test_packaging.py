"""An installed bot (wheel, pip, pipx) carries its prompts and runs from any folder.

The source archive and the wheel are built here the way ``python -m build`` does it
(sdist first, then the wheel from the unpacked sdist), without network: the
setuptools of the test environment is used directly.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "LICENSE", "README.md")
SOURCE_DIRS = ("bot", "prompts", "config", "docs")


def _build(hook: str, source: Path, out: Path) -> Path:
    out.mkdir(exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", f"from setuptools import build_meta as b; print(b.{hook}({str(out)!r}))"],
        cwd=source, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return out / done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(sdist, wheel built from that sdist), from a copy of the checkout."""
    pytest.importorskip("setuptools", minversion="77")
    tmp = tmp_path_factory.mktemp("packaging")
    checkout = tmp / "checkout"
    checkout.mkdir()
    for name in SOURCES:
        if (REPO / name).exists():
            shutil.copy2(REPO / name, checkout / name)
    for name in SOURCE_DIRS:
        shutil.copytree(
            REPO / name, checkout / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    sdist = _build("build_sdist", checkout, tmp / "dist")
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp / "unpacked", filter="data")
    (unpacked,) = (tmp / "unpacked").iterdir()
    wheel = _build("build_wheel", unpacked, tmp / "dist")
    return sdist, wheel


def _repo_prompt_files() -> set[str]:
    files = {p.relative_to(REPO / "prompts").as_posix() for p in (REPO / "prompts").rglob("*.yaml")}
    assert any(f.startswith("fr/") for f in files)
    return files


def test_the_source_archive_carries_the_prompts_and_the_licence(built: tuple[Path, Path]) -> None:
    sdist, _ = built
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {f"prompts/{f}" for f in _repo_prompt_files()} <= names
    assert {"LICENSE", "setup.py", "config/config.example.yaml"} <= names
    assert "bot/domain/postit_background.txt" in names


def test_the_wheel_carries_every_prompt_file_migration_and_data_file(
    built: tuple[Path, Path],
) -> None:
    _, wheel = built
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {f"bot/prompt_files/{f}" for f in _repo_prompt_files()} <= names
    migrations = {p.name for p in (REPO / "bot/store/migrations").glob("*.sql")}
    assert {f"bot/store/migrations/{m}" for m in migrations} <= names
    assert "bot/domain/postit_background.txt" in names  # the similar stories' background
    assert not any(name.startswith("prompts/") for name in names)  # no top-level "prompts" package
    with zipfile.ZipFile(wheel) as archive:
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        commands = archive.read(entry_points).decode()
    assert "cercle-bot = bot.__main__:main" in commands  # pipx installs a command


def test_an_installed_bot_finds_its_prompts_from_any_folder(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    _, wheel = built
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)  # what pip does with a pure-Python wheel
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["PYTHONPATH"] = str(site)
    done = subprocess.run(
        [sys.executable, "-c",
         "import bot, bot.prompts as p; print(bot.__file__); print(p.Prompts().folder); "
         "print(p.Prompts().text('fr', 'greeting', p='!'))"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    module, folder, greeting = done.stdout.split("\n", 2)
    assert Path(module).is_relative_to(site)  # the installed copy, not the checkout
    assert Path(folder) == site / "bot" / "prompt_files"
    assert "Bonjour" in greeting
