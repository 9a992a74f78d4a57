"""One build of the whole book per test run, shared by test_book.py and test_browser.py.

The build is the only place the chapter notebooks execute during ``pytest``:
tests/parallel_build.py copies the book sources, executes each chapter notebook of the copy
once (two kernels at a time), then builds the copy with execution turned off; test_book.py
checks those executed notebooks (no failed cell, nbval-checked outputs unchanged) instead
of running them again. It runs with ``MPLBACKEND=Agg`` like a headless CI image, so the
pages must show their figures whatever the environment's matplotlib backend.

The build is a separate process, so it need not hold up the rest of the run: conftest.py
starts it in the background as soon as a test that needs it is collected
(:func:`start_build`), runs the tests that do not need it meanwhile, and leaves the book
tests for last; the first of them waits for the build (:func:`build_book`). When
test_browser.py is selected, the same process then opens the pages in chromium
(tests/browser_pass.py) while the remaining tests run; test_browser.py waits for that
report (:func:`browser_report`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# seconds for the build and the browser pass together; they take about two minutes on a
# quiet 2-core machine
TIMEOUT = 1200


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
    """The build process, its output folder and its log file.

    The build runs in a process group of its own (same session, so the same CPU
    scheduling group as the tests): stopping it ends its notebook workers, Sphinx and the
    browser pass too, not only the top process.
    """

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="lrbook-book-"))
        self.log_path = self.folder / "build.log"
        env = {**os.environ, "MPLBACKEND": "Agg"}
        script = Path(__file__).with_name("parallel_build.py")
        if not hasattr(os, "killpg"):  # not POSIX: no process groups to speak of
            own_group = {}
        elif sys.version_info >= (3, 11):
            own_group = {"process_group": 0}
        else:  # Python 3.10 (lrbook's oldest)
            own_group = {"preexec_fn": os.setpgrp}
        with self.log_path.open("w", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(script), str(self.folder)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                **own_group,
            )
        self.deadline = time.monotonic() + TIMEOUT
        self.timed_out = False
        self.build: Build | None = None

    def _kill(self) -> None:
        if self.process.poll() is None:
            if hasattr(os, "killpg"):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            else:
                self.process.kill()
        self.process.wait()

    def _finished(self, marker: Path) -> int:
        """Wait until ``marker`` holds a return code or the process has ended; return the code."""
        while not marker.is_file() and self.process.poll() is None:
            if time.monotonic() > self.deadline:
                self.timed_out = True
                self._kill()
                break
            time.sleep(0.2)
        if marker.is_file():
            return int(marker.read_text() or 1)
        return self.process.wait() or 1  # ended before writing it: a crash or the timeout

    def log(self) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        if self.timed_out:
            text += f"\n[stopped: the build and browser pass took over {TIMEOUT} s]\n"
        return text

    def wait(self) -> Build:
        if self.build is None:
            returncode = self._finished(self.folder / "build.returncode")
            self.build = Build(
                returncode=returncode,
                log=self.log(),
                html=self.folder / "_build" / "html",
                executed=self.folder / "src",
            )
        return self.build

    def browser_report(self) -> dict:
        """The browser pass's report (see tests/browser_pass.py), or ``{"missing": why}``."""
        self.wait()
        self._finished(self.folder / "browser.returncode")
        report = self.folder / "browser.json"
        if report.is_file():
            return json.loads(report.read_text(encoding="utf-8"))
        if not (self.folder / "browser.returncode").is_file():
            why = (
                "the browser pass did not run: the build looks for its request "
                "(tests/book_build.py request_browser_pass) when Sphinx is done, and found "
                "none, or it was stopped."
            )
        else:
            why = "the browser pass ended without a report."
        return {"missing": f"{why} The build log ends:\n{self.log()[-4000:]}"}

    def stop(self) -> None:
        """End the build and everything it started, if it still runs; remove its folder."""
        self._kill()
        shutil.rmtree(self.folder, ignore_errors=True)


_running: list[_Running] = []


def start_build() -> None:
    """Start the build in the background, once per test run."""
    if not _running:
        _running.append(_Running())


def request_browser_pass() -> None:
    """Have the build check its pages in the browser once built (tests/browser_pass.py);
    tests/parallel_build.py looks for this request when the build is done."""
    start_build()
    (_running[0].folder / "browse.requested").touch()


def build_book() -> Build:
    """Wait for the build (starting it first if nothing did) and return it."""
    start_build()
    return _running[0].wait()


def browser_report() -> dict:
    """Wait for the browser pass over the built pages and return its report."""
    request_browser_pass()
    return _running[0].browser_report()


def stop_build() -> None:
    """End a build still running (an interrupted run) and remove its files."""
    while _running:
        _running.pop().stop()
