"""Execute chapter notebooks and store them the way the repository keeps them.

Notebooks are committed without outputs (the book build executes them), except the cells
whose text output nbval checks: those carry the ``nbval-check-output`` cell tag and keep
the output of this fresh run. Execution counts, widget state and timing metadata are dropped.

Usage:
    python tools/refresh_notebooks.py book/01_step_size.ipynb [more.ipynb ...]
    python tools/refresh_notebooks.py --strip-only book/*.ipynb   # no execution
"""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat
from nbclient import NotebookClient

CHECK_TAG = "nbval-check-output"
VOLATILE_CELL_METADATA = ("execution", "collapsed", "scrolled", "ExecuteTime")


def keep_output(cell) -> bool:
    return cell.cell_type == "code" and CHECK_TAG in cell.metadata.get("tags", [])


def clean(nb) -> None:
    """Drop every output except nbval-checked ones, and all volatile metadata."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            continue
        if not keep_output(cell):
            # nbval treats a stored output without an execution count as an error, so the
            # checked cells keep theirs (deterministic for a top-to-bottom run).
            cell.execution_count = None
            cell.outputs = []


def refresh(path: Path, execute: bool = True, timeout: int = 300) -> None:
    nb = nbformat.read(path, as_version=4)
    if execute:
        resources = {"metadata": {"path": path.parent}}
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources=resources)
        client.execute()
    clean(nb)
    nbformat.write(nb, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--strip-only", action="store_true", help="do not execute, only clean")
    args = parser.parse_args()
    for path in args.notebooks:
        refresh(path, execute=not args.strip_only)
        print(f"refreshed {path}")


if __name__ == "__main__":
    main()
