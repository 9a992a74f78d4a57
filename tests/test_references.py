"""Every entry of book/references.bib is cited, every citation resolves, none shows raw TeX.

The references page lists the whole .bib file (``:all:``), so an entry nobody cites is a
source the book claims without using. A key that a chapter is about to cite may wait in
``PENDING``; citing it anywhere in book/ means removing it from there.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest
from pybtex.database import parse_file
from pybtex.plugin import find_plugin

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
BIB = BOOK / "references.bib"

# Keys that no page cites yet, each with where it belongs.
PENDING: dict[str, str] = {}

# Entries whose rendered text still shows TeX markup, with what is left to fix.
RAW_TEX: dict[str, str] = {"smith2015cyclical": r"\emph in the note field"}

CITE = re.compile(r"\{cite(?::\w+)?\}`([^`]*)`")


@functools.cache
def bibliography():
    return parse_file(BIB)


def bib_keys() -> list[str]:
    return list(bibliography().entries)


def cited_keys() -> dict[str, set[str]]:
    """Cited key -> the book files that cite it (markdown pages, notebook cells, captions)."""
    texts = {path.name: path.read_text(encoding="utf-8") for path in BOOK.glob("*.md")}
    for path in BOOK.glob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        texts[path.name] = "\n".join(
            "".join(cell["source"]) + json.dumps(cell.get("metadata", {}), ensure_ascii=False)
            for cell in nb["cells"]
        )
    cited: dict[str, set[str]] = {}
    for name, text in texts.items():
        for match in CITE.finditer(text):
            for key in match[1].split(","):
                cited.setdefault(key.strip(), set()).add(name)
    return cited


def test_keys_are_unique():
    keys = re.findall(r"@\w+\{([^,\s]+),", BIB.read_text(encoding="utf-8"))
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


def test_every_citation_has_an_entry():
    missing = {k: sorted(v) for k, v in cited_keys().items() if k not in bib_keys()}
    assert not missing, f"cited but not in references.bib: {missing}"


def test_every_entry_is_cited_or_pending():
    cited = cited_keys()
    uncited = [key for key in bib_keys() if key not in cited and key not in PENDING]
    assert not uncited, f"entries no page cites (cite them or remove them): {uncited}"
    if PENDING:
        print("keys pending citation:\n" + "\n".join(f"  {k}: {v}" for k, v in PENDING.items()))


def test_pending_keys_are_not_cited_yet():
    done = sorted(set(PENDING) & set(cited_keys()))
    assert not done, f"cited now, remove from PENDING in tests/test_references.py: {done}"


@pytest.mark.parametrize("key", bib_keys())
def test_rendered_entry_shows_no_tex(key):
    """Format the entry as sphinxcontrib-bibtex does (pybtex) and look for TeX left over."""
    style = find_plugin("pybtex.style.formatting", "alpha")()
    entry = bibliography().entries[key]
    (formatted,) = style.format_entries([entry])
    text = formatted.text.render_as("text")
    leftovers = [c for c in ("\\", "{", "}", "$") if c in text]
    if key in RAW_TEX:
        pytest.skip(f"{key}: {RAW_TEX[key]}")
    assert not leftovers, f"{key} renders with {leftovers}: {text}"


def test_names_and_accents_render_as_text():
    style = find_plugin("pybtex.style.formatting", "alpha")()
    entries = bibliography().entries
    rendered = {
        e.key: e.text.render_as("text")
        for e in style.format_entries([entries["xiong2020layer"], entries["cauchy1847methode"]])
    }
    assert "Tie-Yan Liu" in rendered["xiong2020layer"]
    assert "Méthode générale" in rendered["cauchy1847methode"]
