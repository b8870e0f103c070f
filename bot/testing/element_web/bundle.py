"""Where Element Web comes from: the bundle beside the workplace, unpacked once, its server."""

from __future__ import annotations

import importlib.util
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


REPO_ROOT = Path(__file__).resolve().parents[3]
ELEMENT_VERSION = "1.12.12"
CHROMIUM = Path("/usr/bin/chromium")
CACHE_DIR = REPO_ROOT / ".cache" / "element-web"
SHOTS_DIR = REPO_ROOT / "test-output" / "element"
_SHARED_DIR = REPO_ROOT.parent / "shared" / "element-web"


def bundle_path() -> Path:
    """The Element Web tarball: ``$ELEMENT_WEB_TGZ``, else the workplace's shared copy."""
    configured = os.environ.get("ELEMENT_WEB_TGZ")
    if configured:
        return Path(configured)
    return _SHARED_DIR / f"element-web-{ELEMENT_VERSION}.tgz"


def serve_script() -> Path:
    """``serve.py`` beside the bundle (it writes Element's ``config.json``)."""
    beside = bundle_path().parent / "serve.py"
    return beside if beside.exists() else _SHARED_DIR / "serve.py"


def element_web_available() -> str | None:
    """None when Element Web can run here, else a one-line reason why not."""
    if not bundle_path().is_file():
        return f"no Element Web bundle at {bundle_path()} (set ELEMENT_WEB_TGZ)"
    if not serve_script().is_file():
        return f"no serve.py beside the Element Web bundle ({serve_script()})"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 pip install …)"
    return None


def unpacked_webapp(cache: Path = CACHE_DIR) -> Path:
    """The unpacked webapp folder, unpacking the bundle on first use (under a second here)."""
    tgz = bundle_path()
    stamp = f"{tgz.name} {tgz.stat().st_size} {int(tgz.stat().st_mtime)}"
    webapp = cache / f"webapp-{ELEMENT_VERSION}"
    marker = cache / "unpacked-from"
    if webapp.is_dir() and marker.exists() and marker.read_text() == stamp:
        return webapp
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="unpacking-", dir=cache))
    try:
        with tarfile.open(tgz) as archive:
            archive.extractall(staging, filter="data")
        shutil.rmtree(webapp, ignore_errors=True)
        try:
            (staging / webapp.name).rename(webapp)
        except OSError:
            if not webapp.is_dir():  # else another test run unpacked it meanwhile
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    marker.write_text(stamp)
    return webapp


def http_get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=2) as answer:
        data: bytes = answer.read()
        return data
