"""Shared test setup: figures render off-screen (no display needed)."""

import matplotlib

matplotlib.use("Agg")
