"""book/_ext/numref_cache.py: numbered references read their target page once, and
resolve to the same text and links as Sphinx's own standard domain."""

from __future__ import annotations

import io
import sys
from collections import Counter

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import docutils_namespace

from tests.book_build import ROOT

GET_DOCTREE = BuildEnvironment.get_doctree  # Sphinx's own, before any test wraps it
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
FIGURES = """Figures
=======

.. _fig-one:

.. figure:: one.png

   The first figure.

.. _fig-two:

.. figure:: two.png

   The second figure.
"""
CITING = """Citing
======

See :numref:`fig-one`, then :numref:`fig-two`, :numref:`fig-one` again and
:numref:`Figure {number} <fig-two>`.
"""


def build(tmp_path, extensions: list[str], monkeypatch) -> tuple[str, Counter, Sphinx]:
    """Build a two-page project; return the citing page, the doctree reads per page and
    the application."""
    src = tmp_path / "src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(
        f"extensions = {extensions!r}\nnumfig = True\nnumfig_format = {{'figure': 'Fig. %s'}}\n"
    )
    (src / "index.rst").write_text("Home\n====\n\n.. toctree::\n\n   figures\n   citing\n")
    (src / "figures.rst").write_text(FIGURES)
    (src / "citing.rst").write_text(CITING)
    for name in ("one.png", "two.png"):  # the smallest PNG: one transparent pixel
        (src / name).write_bytes(PIXEL)
    reads: Counter = Counter()

    def counting(env, docname):
        reads[docname] += 1
        return GET_DOCTREE(env, docname)

    monkeypatch.setattr(BuildEnvironment, "get_doctree", counting)
    warnings = io.StringIO()
    with docutils_namespace():  # node registrations undone after, as sphinx-build does
        app = Sphinx(
            str(src),
            str(src),
            str(tmp_path / "html"),
            str(tmp_path / "doctrees"),
            "html",
            status=None,
            warning=warnings,
            freshenv=True,
        )
        app.build()
    assert "WARNING" not in warnings.getvalue(), warnings.getvalue()
    page = (tmp_path / "html" / "citing.html").read_text(encoding="utf-8")
    return page[page.index('<div class="body"') :], reads, app


def test_each_target_page_is_read_once_and_the_links_are_unchanged(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "book" / "_ext"))
    monkeypatch.delitem(sys.modules, "numref_cache", raising=False)
    plain, plain_reads, _ = build(tmp_path / "plain", [], monkeypatch)
    cached, cached_reads, app = build(tmp_path / "cached", ["numref_cache"], monkeypatch)
    assert cached == plain
    for number in ("Fig. 1", "Fig. 2", "Figure 2"):
        assert number in cached
    assert 'href="figures.html#fig-one"' in cached
    # Sphinx reads the figures page for each of the 4 references to it (besides the reads
    # for its own page and the toctree); with the extension, at most once for all four.
    assert plain_reads["figures"] - cached_reads["figures"] >= 3
    # the copies go when the build finishes, and a page read again drops its copy
    domain = app.env.get_domain("std")
    assert domain._target_doctrees == {}
    domain._target_doctree("figures")
    assert set(domain._target_doctrees) == {"figures"}
    domain.clear_doc("figures")
    assert domain._target_doctrees == {}
