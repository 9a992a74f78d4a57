"""The shared helpers of conftest.py can fail: each is checked on a case it must reject."""

import logging
import warnings

import pytest

from tests.conftest import quiet, toc_files


def test_quiet_fails_on_a_warning_and_on_a_matplotlib_log():
    with pytest.raises(AssertionError), quiet():
        warnings.warn("something", UserWarning, stacklevel=1)
    with pytest.raises(AssertionError), quiet():
        logging.getLogger("matplotlib.font_manager").warning("missing glyph")
    with quiet():
        logging.getLogger("matplotlib").info("not a warning")


def test_toc_files_walks_parts_chapters_and_sections():
    toc = {
        "format": "jb-book",
        "root": "book/intro",
        "parts": [
            {"caption": "A", "chapters": [{"file": "book/01", "sections": [{"file": "book/01a"}]}]},
            {"chapters": [{"file": "book/02"}]},
        ],
    }
    assert toc_files(toc) == ["book/intro", "book/01", "book/01a", "book/02"]
