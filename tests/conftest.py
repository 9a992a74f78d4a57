"""Shared test setup: figures render off-screen, and numpy runs single-threaded.

The notebooks (nbval, and the book build in test_book.py) run in kernels started from
this process, so they inherit the environment. Their matrices are small: on a 2-core
machine a multi-threaded BLAS only adds contention, so one thread is both faster and
steadier. Set OPENBLAS_NUM_THREADS yourself to override.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
