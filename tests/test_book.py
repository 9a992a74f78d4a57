"""The whole book builds warning-free, and its pages are what a reader should get.

This is the slow end-to-end check: ``jupyter-book build -W -n --keep-going`` of the
repository into a temporary folder (tests/book_build.py), which executes every chapter
notebook once. The notebooks are checked on that execution: no cell fails, and the
cells tagged ``nbval-check-output`` print what their stored outputs say, compared the
way nbval compares them (same sanitizing rules, images ignored).
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup
from nbval.plugin import coalesce_streams, get_sanitize_patterns, transform_streams_for_comparison

from tests.book_build import ROOT, build_book
from tests.conftest import toc_files

NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
CHECK_TAG = "nbval-check-output"
SANITIZE = get_sanitize_patterns((ROOT / "tests" / "sanitize.cfg").read_text(encoding="utf-8"))
# Output fields nbval does not compare (with --nbval-lax and without nbdime).
SKIP_COMPARE = {
    "metadata",
    "traceback",
    "prompt_number",
    "output_type",
    "name",
    "execution_count",
    "application/vnd.jupyter.widget-view+json",
    "image/png",
    "image/jpeg",
}
MAX_PAGE_BYTES = 800_000

# Markers of a failed cell in a page rendered by MyST-NB.
ERROR_MARKERS = ("output traceback", "output stderr", "Traceback (most recent call last)")
# A label printed twice: math_eqref_format or numfig_format plus the same word in prose.
DOUBLED_LABELS = re.compile(r"(식|그림|표|코드)\s+\1\s")
# A particle whose form depends on how the number is read (그림 2.3은 / 식 (1.1)를):
# the prose must use forms that fit any number (의, 에, 에서, 에 따르면 ...).
NUMBER_PARTICLE = re.compile(
    r"(식 \(\d+\.\d+\)|그림 \d+\.\d+|표 \d+\.\d+)(을|를|은|는|이|가|과|와|으로|로)(?=[\s,.)])"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def page_text(soup: BeautifulSoup) -> str:
    """The words a reader sees in the article, one space between runs of text."""
    article = copy.copy(soup.select_one("article.bd-article") or soup)
    for hidden in article.select("script, style"):
        hidden.decompose()
    return " ".join(article.get_text(" ").split())


def comparable(outputs: list) -> dict[str, list]:
    """Outputs flattened by field the way nbval compares them, sanitized."""
    flat = defaultdict(list)
    for output in transform_streams_for_comparison(coalesce_streams(outputs)):
        for key, value in output.items():
            if key in SKIP_COMPARE:
                continue
            items = value.items() if key == "data" else [(key, value)]
            for field, content in items:
                if field in SKIP_COMPARE:
                    continue
                if isinstance(content, str):
                    for regex, replace in SANITIZE:
                        content = re.sub(regex, replace, content)
                flat[field].append(content)
    return dict(flat)


class UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key written twice in one mapping (PyYAML keeps the
    last one silently, so a second ``local_extensions:`` would drop the first)."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        doubled = sorted({k for k in keys if keys.count(k) > 1})
        if doubled:
            raise yaml.constructor.ConstructorError(
                None, None, f"keys written twice: {doubled}", node.start_mark
            )
        return super().construct_mapping(node, deep=deep)


@pytest.mark.parametrize("name", ["_config.yml", "_toc.yml"])
def test_book_configuration_writes_each_key_once(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    assert yaml.load(text, Loader=UniqueKeyLoader)
    with pytest.raises(yaml.constructor.ConstructorError, match="written twice"):
        yaml.load("a:\n  b: 1\n  b: 2\n", Loader=UniqueKeyLoader)


@pytest.fixture(scope="module")
def book():
    return build_book()


@pytest.fixture(scope="module")
def chapters(book) -> dict[str, BeautifulSoup]:
    """The chapter pages, parsed once for all the tests here."""
    pages = book.chapter_pages()
    assert len(pages) == len(list(ROOT.glob("book/[0-9][0-9]_*.ipynb")))
    return {p.name: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser") for p in pages}


@pytest.mark.book
def test_build_succeeds_without_warnings(book):
    assert book.returncode == 0, book.log[-8000:]


@pytest.mark.book
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_reproduces_its_checked_outputs(book, path):
    executed_path = book.executed / "book" / path.name
    assert executed_path.is_file(), f"the build did not execute {path.name}:\n{book.log[-4000:]}"
    executed = {c.id: c for c in nbformat.read(executed_path, as_version=4).cells}
    stored = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    for number, cell in enumerate(stored, start=1):
        run = executed[cell.id]
        for output in run.outputs:
            if output.output_type == "error":
                trace = ANSI.sub("", "\n".join(output.traceback[-3:]))
                pytest.fail(f"{path.name}, code cell {number} raised:\n{cell.source}\n{trace}")
        if CHECK_TAG in cell.metadata.get("tags", []):
            expected, got = comparable(cell.outputs), comparable(run.outputs)
            assert got == expected, (
                f"{path.name}, code cell {number} ({CHECK_TAG}) printed something else:\n"
                f"{cell.source}"
            )


@pytest.mark.book
def test_every_toc_file_has_its_page(book):
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = toc_files(toc)
    assert len(files) >= 2
    missing = [f for f in files if not (book.html / f"{Path(f).with_suffix('')}.html").is_file()]
    assert not missing, f"no HTML page for {missing}"


@pytest.mark.book
def test_no_page_shows_an_error(book):
    pages = sorted(book.html.glob("book/*.html"))
    assert pages
    bad = {
        page.name: marker
        for page in pages
        for marker in ERROR_MARKERS
        if marker in page.read_text(encoding="utf-8")
    }
    assert not bad, f"pages with error output: {bad}"


@pytest.mark.book
def test_pages_speak_korean(book):
    intro = (book.html / "book" / "intro.html").read_text(encoding="utf-8")
    assert re.search(r'<html[^>]*lang="ko"', intro)
    assert 'aria-label="검색"' in intro
    assert '<p class="prev-next-subtitle">다음</p>' in intro
    last = (book.html / "book" / "references.html").read_text(encoding="utf-8")
    assert '<p class="prev-next-subtitle">이전</p>' in last


@pytest.mark.book
def test_every_figure_is_an_image_with_a_description(chapters):
    count = 0
    for name, soup in chapters.items():
        for figure in soup.select("article figure"):
            label = figure.get("id") or figure.get_text(" ", strip=True)[:40]
            img = figure.find("img")
            assert img is not None, f"{name}: figure {label} holds no image"
            alt = (img.get("alt") or "").strip()
            assert len(alt) >= 15, f"{name}: figure {label} has no real alt text: {alt!r}"
            assert not re.search(r"\.(png|jpe?g|svg|gif)$", alt), f"{name}: {label} alt {alt!r}"
            assert not re.search(r"[$\\]", alt), f"{name}: {label} alt text holds TeX: {alt!r}"
            link = img.find_parent("a")
            assert link is not None and link.get("href", "").endswith(".png"), (
                f"{name}: figure {label} does not open its full-size image"
            )
            count += 1
    assert count >= 40, f"only {count} figures in the chapters"


@pytest.mark.book
def test_no_page_prints_a_figure_object_instead_of_the_figure(book):
    pages = [p.name for p in book.html.rglob("*.html") if "&lt;Figure size" in p.read_text()]
    assert not pages, f"figures shown as text in {pages}"


@pytest.mark.book
def test_labels_are_written_once_and_particles_fit_any_number(chapters):
    references = 0
    for name, soup in chapters.items():
        text = page_text(soup)
        doubled = DOUBLED_LABELS.findall(text)
        assert not doubled, f"{name}: doubled label {doubled}"
        particles = [m.group(0) for m in NUMBER_PARTICLE.finditer(text)]
        assert not particles, f"{name}: particle chosen for the number: {particles}"
        references += len(re.findall(r"식 \(\d+\.\d+\)", text))
    assert references >= 50, f"only {references} equation references read 식 (N.M)"


@pytest.mark.book
def test_pages_carry_no_test_markers_widget_state_or_duplicate_scripts(book):
    for page in book.html.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        name = str(page.relative_to(book.html))
        assert "NBVAL" not in html, f"{name} shows an nbval marker"
        assert "application/vnd.jupyter.widget-state+json" not in html, f"{name}: widget state"
        assert html.count("const THEBE_JS_URL") <= 1, f"{name} declares THEBE_JS_URL twice"


@pytest.mark.book
def test_footer_names_the_authors_in_korean_order(book):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = {p.name: p for p in book.html.glob("book/*.html")}
    expected = {Path(f).with_suffix(".html").name for f in toc_files(toc)}
    assert expected <= set(pages), f"pages missing from the check: {expected - set(pages)}"
    for name, page in sorted(pages.items()):
        html = page.read_text(encoding="utf-8")
        # the footers close the page: parse from the first one on, not the whole page
        soup = BeautifulSoup(html[max(html.find("<footer"), 0) :], "html.parser")
        author = soup.select_one("footer .component-author")
        assert author is not None, f"{name}: no author in the footer"
        assert author.get_text(" ", strip=True) == f"지은이: {config['author']}", name


@pytest.mark.book
def test_chapter_pages_stay_small(book):
    sizes = {p.name: p.stat().st_size for p in book.chapter_pages()}
    largest = max(sizes, key=sizes.get)
    assert sizes[largest] <= MAX_PAGE_BYTES, f"{largest} is {sizes[largest] / 1e3:.0f} KB: {sizes}"


@pytest.mark.book
def test_bibliography_shows_no_raw_tex(book):
    text = page_text(
        BeautifulSoup((book.html / "book" / "references.html").read_text(), "html.parser")
    )
    assert "Smith" in text
    raw = re.findall(r"\\[A-Za-z]+|[{}]", text)
    assert not raw, f"raw TeX in the bibliography: {raw}"
