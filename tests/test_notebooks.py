"""Fast structural checks of the book's sources (the slow build is in test_book.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))
MARKER = "# NBVAL_CHECK_OUTPUT"


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def repository_url() -> str:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]["url"]


def test_toc_and_book_folder_agree(toc_files):
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    listed = toc_files(toc)
    for entry in listed:
        candidates = [ROOT / f"{entry}{ext}" for ext in (".md", ".ipynb")]
        assert any(p.is_file() for p in candidates), f"_toc.yml lists {entry} but no such file"
    sources = {str(p.relative_to(ROOT).with_suffix("")) for p in BOOK.glob("*.md")}
    sources |= {str(p.relative_to(ROOT).with_suffix("")) for p in NOTEBOOKS}
    assert sources <= set(listed), f"pages missing from _toc.yml: {sources - set(listed)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_keeps_only_checked_outputs(path):
    for cell in load(path)["cells"]:
        if cell["cell_type"] == "code" and MARKER not in source(cell):
            assert not cell["outputs"], f"{path.name}: unmarked cell with stored output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_checked_cells_have_stored_output(path):
    for cell in load(path)["cells"]:
        if cell["cell_type"] == "code" and MARKER in source(cell):
            assert cell["outputs"], f"{path.name}: {MARKER} cell without stored output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_cell_installs_lrbook_on_colab_from_the_configured_repository(path):
    first = next(c for c in load(path)["cells"] if c["cell_type"] == "code")
    urls = re.findall(r"git\+(https://[^\s\"']+)", source(first))
    assert urls == [repository_url()], (
        f"{path.name}: the Colab install cell must use {repository_url()}; "
        "run tools/set_repository.py"
    )
    assert "remove-cell" in first["metadata"].get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_on_the_python3_kernel(path):
    assert load(path)["metadata"]["kernelspec"]["name"] == "python3"
