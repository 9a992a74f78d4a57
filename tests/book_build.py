"""One build of the whole book per test run, shared by test_book.py and test_browser.py.

The build is the only place the chapter notebooks execute during ``pytest``: MyST-NB
writes each executed notebook to ``_build/jupyter_execute``, and test_book.py checks
those (no failed cell, nbval-checked outputs unchanged) instead of running them again.
It runs with ``MPLBACKEND=Agg`` like a headless CI image, so the pages must show their
figures whatever the environment's matplotlib backend.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Build:
    """A finished ``jupyter-book build`` of the repository."""

    returncode: int
    log: str
    html: Path
    executed: Path

    def chapter_pages(self) -> list[Path]:
        """HTML pages of the chapter notebooks (book/NN_*.html), in order."""
        return sorted(self.html.glob("book/[0-9][0-9]_*.html"))


_builds: dict[str, Build] = {}


def build_book(tmp_path_factory) -> Build:
    """Build the book into a fresh temporary folder on the first call; then return it."""
    if "book" not in _builds:
        out = tmp_path_factory.mktemp("book")
        jb = Path(sys.executable).with_name("jupyter-book")
        env = {**os.environ, "MPLBACKEND": "Agg"}
        proc = subprocess.run(
            [str(jb), "build", "-W", "-n", "--keep-going", "--path-output", str(out), str(ROOT)],
            capture_output=True,
            text=True,
            timeout=1200,
            env=env,
        )
        _builds["book"] = Build(
            returncode=proc.returncode,
            log=proc.stdout + proc.stderr,
            html=out / "_build" / "html",
            executed=out / "_build" / "jupyter_execute",
        )
    return _builds["book"]
