"""What goes into the wheel besides the Python modules.

The prompts stay in the top-level ``prompts/`` folder (facilitators read and edit them
there); the wheel carries them inside the package as ``bot/prompt_files/<lang>/*.yaml``,
so an installed bot finds them from any folder. Each data folder is listed as a package
of its own, as setuptools wants.
"""

from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
LANGUAGES = sorted(p.name for p in (HERE / "prompts").iterdir() if p.is_dir())
PROMPTS = [f"bot.prompt_files.{lang}" for lang in LANGUAGES]

setup(
    packages=[
        *find_packages(include=["bot", "bot.*"]),
        "bot.store.migrations",
        "bot.prompt_files",
        *PROMPTS,
    ],
    package_dir={"bot.prompt_files": "prompts"},
    package_data={
        "bot.store.migrations": ["*.sql"],
        "bot.domain": ["postit_background.txt"],
        **{name: ["*.yaml"] for name in PROMPTS},
    },
)
