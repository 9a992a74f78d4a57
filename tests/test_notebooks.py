"""Fast structural checks of the book's sources (the slow build is in test_book.py)."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import toc_files
from tools.set_repository import pages_url, set_repository

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))
CHECK_TAG = "nbval-check-output"


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def checked(cell: dict) -> bool:
    """A code cell whose stored output nbval compares (it carries the nbval tag)."""
    return cell["cell_type"] == "code" and CHECK_TAG in cell["metadata"].get("tags", [])


def repository_url() -> str:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]["url"]


def test_toc_and_book_folder_agree():
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
        if cell["cell_type"] == "code" and not checked(cell):
            assert not cell["outputs"], f"{path.name}: untagged cell with stored output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_checked_cells_have_stored_output(path):
    for cell in load(path)["cells"]:
        if checked(cell):
            assert cell["outputs"], f"{path.name}: {CHECK_TAG} cell without stored output"
        if cell["cell_type"] == "code":
            assert "NBVAL" not in source(cell), f"{path.name}: nbval marker in the code"


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
def test_colab_install_cell_leaves_colabs_packages_alone(path):
    """lrbook comes without its dependencies, so pip never upgrades Colab's numpy,
    matplotlib, ipywidgets or scikit-learn under a running kernel; only missing modules
    are installed, unpinned."""
    text = source(next(c for c in load(path)["cells"] if c["cell_type"] == "code"))
    tree = ast.parse(text)
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "subprocess.run"
    ]
    assert len(calls) == 2, f"{path.name}: expected two pip calls"
    words = [n.value for n in ast.walk(calls[0].args[0]) if isinstance(n, ast.Constant)]
    assert "--no-deps" in words
    assert any(re.fullmatch(r"lrbook @ git\+https://\S+", w) for w in words), words
    missing = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "missing"
    )
    assert "find_spec(mod) is None" in ast.unparse(missing)
    needed = next(
        ast.literal_eval(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "needed"
    )
    assert set(needed.values()) == {
        "numpy",
        "matplotlib",
        "ipywidgets",
        "scikit-learn",
        "koreanize-matplotlib",
    }
    assert all(re.fullmatch(r"[a-z-]+", pkg) for pkg in needed.values()), "no version pins"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_hidden_code_is_collapsed_in_jupyterlab(path):
    """A ``hide-input`` cell shows only its figure in the HTML book, and the book drops the
    Colab install cell (``remove-cell``); JupyterLab reads ``jupyter.source_hidden`` to
    collapse the code of both."""
    cells = [c for c in load(path)["cells"] if c["cell_type"] == "code"]
    hidden = [c for c in cells if "hide-input" in c["metadata"].get("tags", [])]
    assert hidden, f"{path.name}: no hide-input cell"
    for cell in cells:
        tagged = bool({"hide-input", "remove-cell"} & set(cell["metadata"].get("tags", [])))
        collapsed = cell["metadata"].get("jupyter", {}).get("source_hidden", False)
        assert collapsed == tagged, f"{path.name} cell {cell.get('id')}: tag and metadata differ"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_on_the_python3_kernel(path):
    assert load(path)["metadata"]["kernelspec"]["name"] == "python3"


def test_published_site_follows_the_repository():
    """sitemap.xml and the Open Graph tags use the repository's GitHub Pages address."""
    sphinx = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]
    site = pages_url(repository_url())
    assert sphinx["config"]["html_baseurl"] == site
    assert sphinx["config"]["ogp_site_url"] == site


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://github.com/lrbook/lrbook", "https://lrbook.github.io/lrbook/"),
        ("https://github.com/Kim/learning-rate", "https://kim.github.io/learning-rate/"),
        ("https://github.com/kim/kim.github.io", "https://kim.github.io/"),
    ],
)
def test_pages_url(url, site):
    assert pages_url(url) == site


def test_pages_url_rejects_other_hosts():
    with pytest.raises(ValueError, match="gitlab"):
        pages_url("https://gitlab.com/kim/book")


def test_set_repository_rewrites_every_copy(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "_config.yml").write_bytes((ROOT / "_config.yml").read_bytes())
    for path in NOTEBOOKS[:2]:
        (tmp_path / "book" / path.name).write_bytes(path.read_bytes())
    changed = set_repository("https://github.com/kim/fork.git", root=tmp_path)
    assert len(changed) == 3
    config = yaml.safe_load((tmp_path / "_config.yml").read_text(encoding="utf-8"))
    assert config["repository"]["url"] == "https://github.com/kim/fork"
    assert config["sphinx"]["config"]["html_baseurl"] == "https://kim.github.io/fork/"
    assert config["sphinx"]["config"]["ogp_site_url"] == "https://kim.github.io/fork/"
    for path in NOTEBOOKS[:2]:
        first = next(c for c in load(tmp_path / "book" / path.name)["cells"])
        assert 'lrbook @ git+https://github.com/kim/fork"' in source(first)
