"""Shared test setup and helpers.

Figures render off-screen, and numpy runs single-threaded. The notebooks (nbval, and the
book build in test_book.py) run in kernels started from this process, so they inherit
the environment. Their matrices are small: on a 2-core machine a multi-threaded BLAS only
adds contention, so one thread is both faster and steadier. Set OPENBLAS_NUM_THREADS
yourself to override.

Helpers that several test modules use are fixtures here, never imported from another
test module: ``quiet`` (a block that must emit no warning and no matplotlib warning log)
and ``toc_files`` (the files a ``_toc.yml`` lists).
"""

import logging
import os
import warnings
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import matplotlib  # noqa: E402

matplotlib.use("Agg")


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _quiet() -> Iterator[None]:
    """Fail if the block emits any warning, or any matplotlib log message of level WARNING
    (the mathtext "does not have a glyph" message is logged, not warned)."""
    handler = _Records()
    logger = logging.getLogger("matplotlib")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
    finally:
        logger.removeHandler(handler)
    assert [str(w.message) for w in caught] == []
    assert handler.messages == []


def _toc_files(toc: dict) -> list[str]:
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


@pytest.fixture
def quiet() -> Callable[[], AbstractContextManager[None]]:
    """``with quiet(): ...`` fails if the block warns or logs a matplotlib warning."""
    return _quiet


@pytest.fixture
def toc_files() -> Callable[[dict], list[str]]:
    """``toc_files(toc)``: every ``file:`` entry of a parsed ``_toc.yml``, root first."""
    return _toc_files
