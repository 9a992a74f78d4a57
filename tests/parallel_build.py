"""Build the book with its chapter notebooks executed two at a time.

``jupyter-book build`` executes the notebooks one after another. On a 2-core machine the
test run finishes sooner when two kernels run at once, so this script (run by
tests/book_build.py in the background) does the build in four steps:

1. copy the repository's book sources into ``OUT/src``;
2. execute every chapter notebook of the copy in place, two kernels at a time, with
   ``book/`` as the working directory and ``MPLBACKEND=Agg``, recording errors as outputs
   (as ``allow_errors`` would) so the page and the tests show which cell failed;
3. build the copy with execution turned off (its ``_config.yml`` says ``execute_notebooks:
   "off"``), so each notebook is executed exactly once, in step 2;
4. with ``--browse``, or if ``OUT/browse.requested`` exists by then (tests/book_build.py
   writes it when test_browser.py is selected), open the built pages in chromium
   (tests/browser_pass.py) and write the report to ``OUT/browser.json``, while the unit
   tests are still running.

The reader's ``jupyter-book build`` is untouched: it still executes everything itself.

Usage: python tests/parallel_build.py OUT [--browse]
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
# pytest may be writing bytecode into tests/__pycache__ while this copies (the build starts
# during collection): caches are left behind, never copied.
SKIP = shutil.ignore_patterns(
    ".git",
    ".venv",
    "venv",
    "_build",
    "node_modules",
    ".*cache*",
    "__pycache__",
    "*.pyc",
    ".hypothesis",
)
WORKERS = 2
CELL_TIMEOUT = 300  # seconds, as _config.yml's execute: timeout


def execute(path: str) -> str:
    """Execute one notebook in place; return its name."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    client.execute()
    nbformat.write(nb, path)
    return Path(path).name


def write_marker(path: Path, returncode: int) -> None:
    """Write a step's return code, all at once (a reader never sees a half-written file)."""
    partial = path.with_suffix(".partial")
    partial.write_text(str(returncode))
    partial.replace(path)


def main(out: Path, browse: bool = False) -> int:
    src = out / "src"
    shutil.copytree(ROOT, src, ignore=SKIP)
    config = src / "_config.yml"
    text = config.read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^(\s*execute_notebooks:\s*).*$", r'\1"off"', text)
    assert n == 1, "_config.yml must set execute: execute_notebooks once"
    config.write_text(text, encoding="utf-8")

    # longest first, so the two workers finish close together
    notebooks = sorted((src / "book").glob("[0-9][0-9]_*.ipynb"), key=lambda p: -p.stat().st_size)
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:
        for done in as_completed([pool.submit(execute, str(nb)) for nb in notebooks]):
            print(f"executed {done.result()} at {time.perf_counter() - start:.1f} s", flush=True)

    jb = Path(sys.executable).with_name("jupyter-book")
    command = [str(jb), "build", "-W", "-n", "--keep-going", "--path-output", str(out), str(src)]
    returncode = subprocess.run(command, check=False).returncode
    # tests/book_build.py lets the book tests start as soon as this file appears
    write_marker(out / "build.returncode", returncode)
    print(f"built at {time.perf_counter() - start:.1f} s", flush=True)

    html = out / "_build" / "html"
    if (browse or (out / "browse.requested").is_file()) and html.is_dir():
        browser_pass = Path(__file__).with_name("browser_pass.py")
        checked = subprocess.run(
            [sys.executable, str(browser_pass), str(html), str(out / "browser.json")]
        )
        write_marker(out / "browser.returncode", checked.returncode)
        print(f"pages checked in the browser at {time.perf_counter() - start:.1f} s", flush=True)
    return returncode


if __name__ == "__main__":
    os.environ["MPLBACKEND"] = "Agg"
    sys.exit(main(Path(sys.argv[1]), browse="--browse" in sys.argv[2:]))
