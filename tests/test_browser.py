"""Every chapter page in a real browser, at phone and laptop sizes.

The pages of the book built by tests/book_build.py are opened in chromium by
tests/browser_pass.py, which runs in the build's process right after the build, while the
other tests still run; these tests read its report. See tests/browser_pass.py for what is
checked and where the browser and the offline MathJax copy come from.

Without chromium the test is skipped, except when ``CI`` is set: there it fails instead
of silently skipping the browser checks. With chromium present, a missing MathJax copy
fails the test with the command that installs it.
"""

from __future__ import annotations

import os

import pytest

from tests.book_build import browser_report, build_book
from tests.browser_pass import BROKEN_PAGE_FAULTS, CHAPTERS, CHROMIUM, VIEWPORTS, page_key


@pytest.fixture(scope="module")
def report() -> dict:
    book = build_book()
    assert book.html.is_dir(), book.log[-4000:]
    result = browser_report()
    if "missing" in result:
        pytest.fail(result["missing"])
    if reason := result.get("unavailable"):
        if CHROMIUM.is_file():
            pytest.fail(reason)  # chromium without MathJax: say how to install it
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set: the browser test must run)")
        pytest.skip(reason)
    return result["pages"]


@pytest.mark.book
@pytest.mark.parametrize("chapter", CHAPTERS)
@pytest.mark.parametrize("device", VIEWPORTS)
def test_chapter_page_works_in_the_browser(report, chapter, device):
    key = page_key(device, chapter)
    assert key in report, f"{key} was not checked: {sorted(report)}"
    assert not report[key], f"{chapter} on a {device}: {report[key]}"


@pytest.mark.book
def test_the_checks_find_each_fault_of_a_broken_page(report):
    """The same pass over a page with one of each fault reports every one of them."""
    assert "broken-page" in report, f"the broken page was not checked: {sorted(report)}"
    found = report["broken-page"]
    assert set(BROKEN_PAGE_FAULTS) <= set(found), found
    assert "math not typeset" not in found and "browser" not in found, found
