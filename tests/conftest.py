"""Shared test setup (figures render off-screen, numpy runs single-threaded, the book
builds in the background) and the helpers that several test modules share: the
figure-test helpers and ``toc_files``. Test modules import helpers from here, never from
each other.

The notebooks (nbval, and the book build in test_book.py) run in kernels started from
this process, so they inherit the environment. Their matrices are small: on a 2-core
machine a multi-threaded BLAS only adds contention, so one thread is both faster and
steadier. Set OPENBLAS_NUM_THREADS yourself to override.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import io  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
import warnings  # noqa: E402
from contextlib import contextmanager  # noqa: E402

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402
from matplotlib.quiver import Quiver  # noqa: E402

from tests.book_build import request_browser_pass, start_build, stop_build  # noqa: E402

# Property tests check values, not speed: no per-example deadline (Hypothesis's default is
# 200 ms), which a test process sharing the CPU with the book build could miss.
settings.register_profile("lrbook", deadline=None)
settings.load_profile("lrbook")

# --------------------------------------------------------------------------------------
# the book build, in the background: the tests marked ``book`` need it, and go last


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Run the tests that need the book build after all the others."""
    items.sort(key=lambda item: item.get_closest_marker("book") is not None)


# How much lower this process's CPU priority is set once the build runs (see below).
YIELD_TO_BUILD = 10


def pytest_itemcollected(item):
    """Start the book build as soon as a test that needs it is collected: collecting the
    rest takes seconds. If that test is then deselected, pytest_collection_finish stops it."""
    if item.get_closest_marker("book") and not item.config.option.collectonly:
        start_build()


def pytest_collection_finish(session):
    """Keep the book build running if a selected test needs it (it runs in its own
    processes while the other tests run here), with the browser pass if test_browser.py
    is selected; stop it otherwise.

    The build is the long pole of the run (notebooks, then Sphinx, then the browser), and
    the tests here only have to be done by the time it is. So this process lowers its own
    CPU priority: the build gets the cores first, and the tests here fill the time it
    leaves a core idle (Sphinx is single-threaded; the browser waits on pages). Tests that
    time themselves allow for that (no test here has a deadline under a few seconds).
    """
    if session.config.option.collectonly:
        return
    needed = [item for item in session.items if item.get_closest_marker("book")]
    if not needed:
        stop_build()
        return
    start_build()
    if any(item.path.name == "test_browser.py" for item in needed):
        request_browser_pass()
    if hasattr(os, "nice"):
        os.nice(YIELD_TO_BUILD)


def pytest_unconfigure(config):
    stop_build()


# --------------------------------------------------------------------------------------
# helpers of the figure tests (test_style, test_plotting, test_live, test_scrubbers,
# test_widgets)


#: ipywidgets 7.7.0 to 7.7.3 open their comms through ``ipykernel.comm.Comm``, which
#: ipykernel 6.18 and later deprecate, so every widget they create warns under a current
#: ipykernel (7.7.4 moved to the ``comm`` package). pyproject.toml still allows ipywidgets
#: 7.7 because Colab ships 7.7.1, next to an ipykernel old enough not to warn there; the
#: tests ignore exactly this warning when ipywidgets itself raises it (pyproject.toml's
#: ``filterwarnings`` holds the same filter for the doctests).
IPYWIDGETS7_COMM = {
    "message": re.escape("The `ipykernel.comm.Comm` class has been deprecated"),
    "category": DeprecationWarning,
    "module": r"ipywidgets\.widgets\.widget",
}


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def quiet():
    """Fail if the block emits any warning (but ``IPYWIDGETS7_COMM``), or any matplotlib
    log message of level WARNING (the mathtext "does not have a glyph" message is logged,
    not warned)."""
    handler = _Records()
    logger = logging.getLogger("matplotlib")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            warnings.filterwarnings("ignore", **IPYWIDGETS7_COMM)
            yield
    finally:
        logger.removeHandler(handler)
    assert [str(w.message) for w in caught] == []
    assert handler.messages == []


def render(fig, fmt: str = "png") -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt)
    return buffer.getvalue()


def shown_texts(fig) -> list[str]:
    """Every visible non-empty text of a figure: titles, labels, notes, annotations, legends."""
    found = []
    for text in fig.findobj(mpl.text.Text):
        if text.get_visible() and text.get_text() and text.axes is not None:
            found.append(text.get_text())
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            found += [t.get_text() for t in legend.get_texts()]
    return found


def notes(fig) -> list[str]:
    return [
        t.get_text()
        for ax in fig.axes
        for t in ax.texts
        if t.get_gid() == "lrbook-note" and t.get_visible()
    ]


def lines(ax, gid: str) -> list:
    return [line for line in ax.lines if line.get_gid() == gid and line.get_visible()]


def hidden_arrows(q: Quiver) -> np.ndarray:
    """Which arrows of a quiver are masked (not drawn)."""
    return np.broadcast_to(np.ma.getmaskarray(np.ma.array(q.U, mask=q.Umask)), q.U.shape)


def quivers(ax) -> list[Quiver]:
    return [c for c in ax.collections if isinstance(c, Quiver) and c.get_visible()]


@pytest.fixture
def no_open_figures():
    """Plot functions must not leave figures in pyplot's registry."""
    yield
    assert plt.get_fignums() == []


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
