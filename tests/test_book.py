"""The whole book builds warning-free, every toc page is produced, no page shows an error.

This is the slow end-to-end check: it runs ``jupyter-book build -W -n --keep-going`` on the
repository into a temporary folder, which executes every chapter notebook.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

# Markers of a failed cell in a page rendered by MyST-NB.
ERROR_MARKERS = ("output traceback", "output stderr", "Traceback (most recent call last)")


def toc_files(toc: dict) -> list[str]:
    """Every ``file:`` entry of a jb-book ``_toc.yml``, root first."""
    found = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return found


@pytest.fixture(scope="module")
def built_book(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path_factory.mktemp("book")
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run(
        [str(jb), "build", "-W", "-n", "--keep-going", "--path-output", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    return proc, out / "_build" / "html"


@pytest.mark.book
def test_build_succeeds_without_warnings(built_book):
    proc, _ = built_book
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]


@pytest.mark.book
def test_every_toc_file_has_its_page(built_book):
    _, html = built_book
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = toc_files(toc)
    assert len(files) >= 2
    missing = [f for f in files if not (html / f"{Path(f).with_suffix('')}.html").is_file()]
    assert not missing, f"no HTML page for {missing}"


@pytest.mark.book
def test_no_page_shows_an_error(built_book):
    _, html = built_book
    pages = sorted(html.glob("book/*.html"))
    assert pages
    bad = {
        page.name: marker
        for page in pages
        for marker in ERROR_MARKERS
        if marker in page.read_text(encoding="utf-8")
    }
    assert not bad, f"pages with error output: {bad}"


@pytest.mark.book
def test_pages_speak_korean(built_book):
    _, html = built_book
    intro = (html / "book" / "intro.html").read_text(encoding="utf-8")
    assert re.search(r'<html[^>]*lang="ko"', intro)
    assert 'aria-label="검색"' in intro
    assert '<p class="prev-next-subtitle">다음</p>' in intro
    last = (html / "book" / "references.html").read_text(encoding="utf-8")
    assert '<p class="prev-next-subtitle">이전</p>' in last
