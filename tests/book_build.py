"""One build of the whole book per test run, shared by test_book.py and test_browser.py.

The build is the only place the chapter notebooks execute during ``pytest``:
tests/parallel_build.py copies the book sources, executes each chapter notebook of the copy
once (two kernels at a time), then builds the copy with execution turned off; test_book.py
checks those executed notebooks (no failed cell, nbval-checked outputs unchanged) instead
of running them again. It runs with ``MPLBACKEND=Agg`` like a headless CI image, so the
pages must show their figures whatever the environment's matplotlib backend.

The build is a separate process, so it need not hold up the rest of the run: conftest.py
starts it in the background as soon as the tests are collected (:func:`start_build`), runs
the tests that do not need it meanwhile, and leaves the book tests for last; the first of
them waits for the build (:func:`build_book`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 1200  # seconds; the build takes about two minutes on a quiet 2-core machine


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


class _Running:
    """The build process, its output folder and its log file."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="lrbook-book-"))
        self.log_path = self.folder / "build.log"
        env = {**os.environ, "MPLBACKEND": "Agg"}
        script = Path(__file__).with_name("parallel_build.py")
        with self.log_path.open("w", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(script), str(self.folder)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        self.build: Build | None = None

    def wait(self) -> Build:
        if self.build is None:
            try:
                returncode = self.process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                returncode = self.process.wait()
            out = self.folder / "_build"
            self.build = Build(
                returncode=returncode,
                log=self.log_path.read_text(encoding="utf-8", errors="replace"),
                html=out / "html",
                executed=self.folder / "src",
            )
        return self.build

    def stop(self) -> None:
        """End the build if it still runs, and remove its folder."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_running: list[_Running] = []


def start_build() -> None:
    """Start the build in the background, once per test run."""
    if not _running:
        _running.append(_Running())


def build_book() -> Build:
    """Wait for the build (starting it first if nothing did) and return it."""
    start_build()
    return _running[0].wait()


def stop_build() -> None:
    """End a build still running (an interrupted run) and remove its files."""
    while _running:
        _running.pop().stop()
