"""Optimizer races on a landscape: every optimizer tuned on the same learning-rate grid.

:func:`race` runs each optimizer at every learning rate of one grid in a single vectorized
pass, scores each run by the mean loss over its last ``window`` steps (so a sawtooth curve
is not judged by where its last tooth happens to fall), picks the best learning rate with
:func:`lrbook.tune` and reruns it alone. The result says whether the best value sits at an
edge of the grid (``at_edge``), in which case the grid must be widened before the race is
trusted. :func:`race_starts` runs the same tuning from many starting points at once, one
choice per start, so a verdict can be checked against where the race began.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np

from ._checks import check_int
from .optimizers import Optimizer
from .stats import TuneResult, tune, window_mean
from .trajectory import Trajectory, run

__all__ = ["RaceEntry", "StartsRace", "race", "race_starts"]

Array = np.ndarray


class RaceEntry(NamedTuple):
    """One optimizer's result in :func:`race`.

    Attributes:
        lr: the chosen learning rate (lowest window score over the grid).
        scores: ``(grid,)`` window-mean loss of every learning rate; ``inf`` if diverged.
        tuned: the :class:`lrbook.TuneResult` of the choice (``tuned.at_edge``: the best
            value is the first or last of the grid).
        run: the :class:`lrbook.Trajectory` of the chosen learning rate.
    """

    lr: float
    scores: Array
    tuned: TuneResult
    run: Trajectory

    @property
    def score(self) -> float:
        """The window-mean loss of the chosen learning rate."""
        return float(self.scores[self.tuned.index])


def _checked(steps: Any, window: Any, lrs: Any, optimizers: Any) -> tuple[int, int, Array]:
    """The checked ``steps``, ``window`` and grid shared by :func:`race` and
    :func:`race_starts`."""
    steps = check_int("steps", steps, minimum=1)
    window = check_int("window", window, minimum=1)
    if window > steps:
        raise ValueError(f"window must not exceed steps={steps}, got window={window}")
    grid = np.asarray(lrs, dtype=float)
    if grid.ndim != 1 or grid.size < 1 or np.any(grid <= 0) or np.any(np.diff(grid) <= 0):
        raise ValueError(
            f"lrs must be a strictly increasing 1-D array of positive values, got {lrs=}"
        )
    if not isinstance(optimizers, Mapping) or not optimizers:
        raise TypeError(
            f"optimizers must be a non-empty mapping name -> make(lr), got {optimizers!r}"
        )
    return steps, window, grid


def _window_scores(sweep: Trajectory, window: int) -> Array:
    """Window-mean loss of every run of a batched sweep, ``inf`` where it diverged."""
    scores = window_mean(sweep.losses[-window:], window)
    return np.where(sweep.diverged | ~np.isfinite(scores), np.inf, scores)


def race(
    f: Any,
    start: Any,
    steps: int,
    optimizers: Mapping[str, Callable[[Any], Optimizer]],
    lrs: Any,
    window: int = 20,
) -> dict[str, RaceEntry]:
    r"""Tune every optimizer on the same grid by its window-mean loss and rerun the best.

    For optimizer :math:`o` and learning rate :math:`\eta` of the grid, the score is

    .. math::

        S_o(\eta) = \frac1w \sum_{t = T - w + 1}^{T} J(\theta_t^{(o,\eta)}),
        \qquad \hat\eta_o = \arg\min_\eta S_o(\eta),

    with :math:`S = \infty` for a diverged run (never chosen).

    Args:
        f: a landscape (or any objective :func:`lrbook.run` accepts).
        start: the starting point, shape ``(d,)``.
        steps: number of updates :math:`T \ge 1`.
        optimizers: ``name -> make`` where ``make(lr)`` returns an optimizer; ``lr`` is
            given as a ``(grid, 1)`` array for the sweep and as a float for the rerun.
        lrs: the strictly increasing grid of learning rates, shape ``(grid,)``.
        window: :math:`w`, the number of last losses averaged, ``1 <= w <= steps``.

    Returns:
        ``name -> RaceEntry`` in the order of ``optimizers``.

    Example:
        >>> import numpy as np, lrbook as lrb
        >>> f = lrb.quadratic(eigenvalues=(4.0,))
        >>> res = race(f, np.array([1.0]), 10, {"GD": lambda lr: lrb.sgd(lr=lr)},
        ...            np.array([0.05, 0.25, 0.4, 1.0]), window=5)
        >>> res["GD"].lr, res["GD"].score, res["GD"].tuned.at_edge
        (0.25, 0.0, False)
        >>> bool(np.isinf(res["GD"].scores[-1]))                # eta = 1 diverged
        True

    References:
        Choi et al. (2019), "On empirical comparisons of optimizers for deep learning";
        Sivaprasad et al. (2020), "Optimizer benchmarking needs to account for
        hyperparameter tuning", ICML.
    """
    x0 = np.asarray(start, dtype=float)
    if x0.ndim != 1 or not np.all(np.isfinite(x0)):
        raise ValueError(f"start must be a finite 1-D point, got start={start!r}")
    steps, window, grid = _checked(steps, window, lrs, optimizers)
    starts = np.tile(x0, (grid.size, 1))
    results = {}
    for name, make in optimizers.items():
        scores = _window_scores(run(make(grid[:, None]), f, starts, steps), window)
        tuned = tune(scores[:, None], grid)
        results[name] = RaceEntry(tuned.value, scores, tuned, run(make(tuned.value), f, x0, steps))
    return results


class StartsRace(NamedTuple):
    """One optimizer's result in :func:`race_starts`: a race per starting point.

    Attributes:
        lrs: ``(starts,)`` the learning rate chosen for each start.
        scores: ``(starts, grid)`` window-mean loss of every start and learning rate;
            ``inf`` if diverged.
        best: ``(starts,)`` the score of each start's chosen learning rate.
        at_edge: ``(starts,)`` True where the chosen value is the first or last of the grid.
    """

    lrs: Array
    scores: Array
    best: Array
    at_edge: Array


def race_starts(
    f: Any,
    starts: Any,
    steps: int,
    optimizers: Mapping[str, Callable[[Any], Optimizer]],
    lrs: Any,
    window: int = 20,
) -> dict[str, StartsRace]:
    r""":func:`race` from several starting points, each start tuned on its own, in one pass.

    For start :math:`x_0^{(k)}` every optimizer runs the whole grid, all starts and
    learning rates as one batch, and start :math:`k` keeps its own choice

    .. math::

        \hat\eta_o^{(k)} = \arg\min_\eta S_o^{(k)}(\eta),

    with the window score :math:`S` of :func:`race`. Pairing the best scores of two
    optimizers start by start (:func:`lrbook.paired_interval`) asks whether a verdict of
    one race depends on where it began. The chosen runs are not rerun.

    Args:
        f: a landscape (or any objective :func:`lrbook.run` accepts).
        starts: the starting points, shape ``(starts, d)``.
        steps: number of updates :math:`T \ge 1`.
        optimizers: ``name -> make`` where ``make(lr)`` returns an optimizer; ``lr`` is
            given as a ``(starts * grid, 1)`` array.
        lrs: the strictly increasing grid of learning rates, shape ``(grid,)``.
        window: :math:`w`, the number of last losses averaged, ``1 <= w <= steps``.

    Returns:
        ``name -> StartsRace`` in the order of ``optimizers``.

    Example:
        >>> import numpy as np, lrbook as lrb
        >>> f = lrb.quadratic(eigenvalues=(4.0,))
        >>> res = race_starts(f, np.array([[1.0], [-3.0]]), 10,
        ...                   {"GD": lambda lr: lrb.sgd(lr=lr)},
        ...                   np.array([0.05, 0.25, 0.4, 1.0]), window=5)
        >>> res["GD"].lrs.tolist(), res["GD"].best.tolist(), res["GD"].at_edge.tolist()
        ([0.25, 0.25], [0.0, 0.0], [False, False])
    """
    x0 = np.asarray(starts, dtype=float)
    if x0.ndim != 2 or x0.shape[0] < 1 or not np.all(np.isfinite(x0)):
        raise ValueError(f"starts must be a finite (starts, d) array, got starts={starts!r}")
    steps, window, grid = _checked(steps, window, lrs, optimizers)
    n, g = x0.shape[0], grid.size
    batch = np.repeat(x0, g, axis=0)  # start k, learning rate j -> row k * g + j
    results = {}
    for name, make in optimizers.items():
        sweep = run(make(np.tile(grid, n)[:, None]), f, batch, steps)
        scores = _window_scores(sweep, window).reshape(n, g)
        tuned = [tune(row[:, None], grid) for row in scores]
        results[name] = StartsRace(
            lrs=np.array([t.value for t in tuned]),
            scores=scores,
            best=np.array([row[t.index] for row, t in zip(scores, tuned, strict=True)]),
            at_edge=np.array([t.at_edge for t in tuned]),
        )
    return results
