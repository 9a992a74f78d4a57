r"""A table of learning rates as a schedule: many schedules run in one vectorized call.

:func:`from_table` turns an array ``rows`` of shape ``(..., T)`` -- one row of learning
rates per run -- into a schedule ``t -> rows[..., t, None]`` of shape ``(..., 1)``, which
broadcasts against parameters of shape ``(..., d)``. :func:`lrbook.run` then advances every
run with its own schedule in one numpy operation per step.
"""

from __future__ import annotations

from collections.abc import Callable
from numbers import Integral
from typing import Any

import numpy as np

__all__ = ["from_table"]

Array = np.ndarray


def from_table(rows: Any) -> Callable[[Any], Array]:
    r"""A schedule that reads step ``t``'s learning rate of every run from a table.

    .. math::

        \eta^{(k)}_t = \texttt{rows}[k, t] \quad\text{for run } k,\ t = 0, \dots, T-1.

    Args:
        rows: learning rates of shape ``(..., T)``: the leading axes index runs, the last
            axis steps. Finite and non-negative, at least one step. Build it from any
            schedules, e.g. ``np.array([s(np.arange(T)) for s in schedules])``.

    Returns:
        A pure function ``t -> rows[..., t, None]`` for an integer step ``0 <= t < T``: an
        array of shape ``(..., 1)``, a per-run learning rate for parameters of shape
        ``(..., d)``. The table is copied, so changing ``rows`` later changes nothing.

    Raises:
        TypeError: ``rows`` is not numeric, or the step is not an integer.
        ValueError: ``rows`` is empty, 0-dimensional, negative or not finite; the step is
            outside ``0 .. T-1``.

    Example:
        >>> import lrbook as lrb
        >>> rows = np.array([[0.1, 0.1, 0.1], [0.0, 0.05, 0.1]])   # constant; warmup
        >>> from_table(rows)(1)
        array([[0.1 ],
               [0.05]])
        >>> traj = lrb.run(lrb.sgd(lr=from_table(rows)), lrb.quadratic((1.0,)),
        ...                np.ones((2, 1)), steps=3)
        >>> traj.params[-1, :, 0].round(6)        # 0.9**3 and 1 * 0.95 * 0.9
        array([0.729, 0.855])
    """
    table = np.array(rows, copy=True)
    if not (np.issubdtype(table.dtype, np.floating) or np.issubdtype(table.dtype, np.integer)):
        raise TypeError(f"rows must be an array of numbers, got rows={rows!r}")
    table = table.astype(float)
    if table.ndim == 0 or table.shape[-1] == 0:
        raise ValueError(f"rows must have shape (..., T) with T >= 1, got shape {table.shape}")
    if not np.all(np.isfinite(table)) or np.any(table < 0):
        raise ValueError(f"rows must be finite and non-negative, got rows={rows!r}")
    table.setflags(write=False)
    steps = table.shape[-1]

    def schedule(t: Any) -> Array:
        if isinstance(t, bool) or not isinstance(t, Integral | np.integer):
            raise TypeError(f"step must be an integer, got step={t!r}")
        if not 0 <= t < steps:
            raise ValueError(f"step must lie in 0 .. {steps - 1} (the table's length), got {t=}")
        return table[..., int(t), None]

    return schedule
