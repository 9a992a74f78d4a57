"""The API reference page (book/api.md) documents every public function and class."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[1] / "book" / "api.md"
MODULES = [
    "optimizers",
    "schedules",
    "plateau",
    "landscapes",
    "trajectory",
    "curvature",
    "hessian",
    "analysis",
    "models",
    "data",
    "training",
    "finder",
    "linesearch",
    "theory",
    "lr_table",
    "preconditioned",
    "stats",
    "warmup",
    "races",
    "demos",
    "style",
    "plotting",
    "plot_steps",
    "plot_adaptive",
    "plot_schedules",
    "plot_practice",
    "plot_finder",
    "plot_summary",
    "live",
    "scrubbers",
    "widgets",
    "explore_landscape",
    "plot_landscape",
]


def documented() -> dict[str, set[str]]:
    """Module name -> names documented in its section of the page."""
    sections: dict[str, set[str]] = {}
    current = None
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"\.\. py:module:: lrbook\.(\w+)", line):
            current = sections.setdefault(m.group(1), set())
        elif m := re.match(r"\.\. (?:autofunction|autoclass|py:data):: (\w+)", line):
            assert current is not None, f"{line!r} before any module"
            current.add(m.group(1))
    return sections


@pytest.mark.parametrize("name", MODULES)
def test_every_public_callable_is_documented(name):
    module = importlib.import_module(f"lrbook.{name}")
    # lrbook.plotting re-exports the chapters' figure modules (lrbook.plot_*): those names
    # are documented in their own module's section.
    public = {
        n
        for n in module.__all__
        if callable(getattr(module, n))
        and not getattr(getattr(module, n), "__module__", "").startswith("lrbook.plot_")
    }
    page = documented()
    assert name in page, f"book/api.md has no section for lrbook.{name}"
    assert public <= page[name], f"undocumented in book/api.md: {sorted(public - page[name])}"
    extra = page[name] - set(module.__all__) if name != "plotting" else page[name] - public
    assert not extra, f"documented but not public: {sorted(extra)}"


def test_every_module_has_a_section():
    package = Path(importlib.import_module("lrbook").__file__).parent
    modules = {p.stem for p in package.glob("*.py") if not p.stem.startswith("_")}
    assert modules == set(MODULES), "update MODULES and book/api.md for new or removed modules"
    assert set(documented()) == modules, "book/api.md must have one section per public module"
