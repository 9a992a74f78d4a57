"""Build the book with its chapter notebooks executed two at a time.

``jupyter-book build`` executes the notebooks one after another. On a 2-core machine the
test run finishes sooner when two kernels run at once, so this script (run by
tests/book_build.py in the background) does the build in three steps:

1. copy the repository's book sources into ``OUT/src``;
2. execute every chapter notebook of the copy in place, two kernels at a time, with
   ``book/`` as the working directory and ``MPLBACKEND=Agg``, recording errors as outputs
   (as ``allow_errors`` would) so the page and the tests show which cell failed;
3. build the copy with execution turned off (its ``_config.yml`` says ``execute_notebooks:
   "off"``), so each notebook is executed exactly once, in step 2.

The reader's ``jupyter-book build`` is untouched: it still executes everything itself.

Usage: python tests/parallel_build.py OUT
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(".git", ".venv", "venv", "_build", "node_modules", ".*cache*")
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


def main(out: Path) -> int:
    src = out / "src"
    shutil.copytree(ROOT, src, ignore=SKIP)
    config = src / "_config.yml"
    text = config.read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^(\s*execute_notebooks:\s*).*$", r'\1"off"', text)
    assert n == 1, "_config.yml must set execute: execute_notebooks once"
    config.write_text(text, encoding="utf-8")

    # longest first, so the two workers finish close together
    notebooks = sorted((src / "book").glob("[0-9][0-9]_*.ipynb"), key=lambda p: -p.stat().st_size)
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:
        for name in pool.map(execute, map(str, notebooks)):
            print(f"executed {name}", flush=True)

    jb = Path(sys.executable).with_name("jupyter-book")
    command = [str(jb), "build", "-W", "-n", "--keep-going", "--path-output", str(out), str(src)]
    return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    os.environ["MPLBACKEND"] = "Agg"
    sys.exit(main(Path(sys.argv[1])))
