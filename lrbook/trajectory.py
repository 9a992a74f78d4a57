"""Run an optimizer on a landscape: a whole batch of trajectories in one call."""

from __future__ import annotations

from numbers import Real
from typing import Any, NamedTuple

import numpy as np

from ._checks import check_int
from ._protocol import as_loss_and_grad, first_step
from .landscapes import Landscape
from .optimizers import Optimizer, check_optimizer

__all__ = ["Trajectory", "run"]

Array = np.ndarray

_CHECK_EVERY = 64  # steps between checks whether every trajectory has already diverged
_FLOAT_MAX = np.finfo(np.float64).max


class Trajectory(NamedTuple):
    """The result of :func:`run`.

    Attributes:
        params: ``(steps + 1, *x0.shape)``, ``params[0]`` is ``x0``.
        losses: ``(steps + 1, *x0.shape[:-1])``, the loss at each row of ``params``.
        diverged: bool array ``x0.shape[:-1]``: the trajectory was stopped because its loss
            became non-finite or left the divergence bound.
        diverged_step: int array ``x0.shape[:-1]``: the first ``t`` whose ``losses[t]``
            (or ``params[t]``) was non-finite or out of bound, -1 if none
            (see :mod:`lrbook`). Rows from ``diverged_step`` on repeat the last good
            point, so ``losses[:diverged_step]`` is what the run actually visited.
    """

    params: Array
    losses: Array
    diverged: Array
    diverged_step: Array


def run(
    opt: Optimizer,
    f: Landscape | Any,
    x0: Array,
    steps: int,
    *,
    divergence_factor: float = 1e6,
    batch: Any = None,
) -> Trajectory:
    r"""Iterate ``opt`` on the landscape ``f`` from ``x0`` for ``steps`` updates.

    Every leading axis of ``x0`` is a batch of independent trajectories, all advanced
    together (one numpy operation per step for the whole batch). Pair it with an array lr
    of shape ``(K, 1)`` and ``x0`` of shape ``(K, d)`` to sweep K learning rates at once:
    the result equals K separate runs exactly.

    Args:
        opt: an :class:`~lrbook.Optimizer`, e.g. ``lrb.adam(lr=...)`` (not the factory
            ``lrb.adam`` itself).
        f: the objective in the training protocol of :mod:`lrbook`: a
            :class:`~lrbook.Landscape` (run on ``f.fresh()``, so a seeded noisy landscape
            gives the same trajectory every time), a model with ``loss_and_grad``, or a
            callable ``loss_and_grad(params, batch=None) -> (loss, grads)``.
        x0: starting points, shape ``(..., f.dim)``, finite.
        steps: number of updates, >= 0.
        divergence_factor: :math:`c \ge 1` in the divergence bound below (``inf``: only
            non-finite values count as divergence).
        batch: passed as ``loss_and_grad(params, batch)`` at every step (the whole
            training set of a model; None for a landscape).

    Returns:
        A :class:`Trajectory` ``(params, losses, diverged, diverged_step)``.

    A trajectory *diverges* at the first step whose loss is not finite, whose parameters
    are not finite, or whose loss leaves the bound

    .. math::

        |f(x_t)| \le c \cdot \max(|f(x_0)|, 1).

    From then on it is frozen: its params and loss repeat the last point that passed,
    and ``diverged`` is True. No floating-point warning escapes.

    Example:
        >>> import numpy as np
        >>> import lrbook as lrb
        >>> f = lrb.quadratic((1.0, 10.0))
        >>> lrs = np.array([[0.1], [0.19], [0.21]])          # 2 / 10 = 0.2 is the edge
        >>> traj = lrb.run(lrb.sgd(lr=lrs), f, np.ones((3, 2)), steps=1000)
        >>> traj.params.shape, traj.diverged
        ((1001, 3, 2), array([False, False,  True]))
        >>> traj.diverged_step     # loss ~ 5 * 1.1^(2t) passes 1e6 * f(x0) = 5.5e6 at t = 73
        array([-1, -1, 73])

    References:
        Nesterov (2018), *Lectures on Convex Optimization*, section 1.2.3.
    """
    steps = check_int("steps", steps, minimum=0)
    if isinstance(divergence_factor, bool) or not isinstance(divergence_factor, Real):
        raise TypeError(f"divergence_factor must be a real number, got {divergence_factor=}")
    factor = float(divergence_factor)
    if not factor >= 1:  # also rejects nan; inf means "only non-finite losses diverge"
        raise ValueError(f"divergence_factor must be >= 1, got divergence_factor={factor}")
    opt = check_optimizer("opt", opt)
    loss_and_grad = as_loss_and_grad(f)
    x = np.array(x0, dtype=np.float64)
    if x.ndim == 0 or (isinstance(f, Landscape) and x.shape[-1] != f.dim):
        dim = f.dim if isinstance(f, Landscape) else "P"
        raise ValueError(
            f"x0 must have last axis of size {dim} (the number of parameters), "
            f"got x0 of shape {x.shape}: x0={x0!r}"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError(f"x0 must be finite, got x0={x0!r}")

    single = x.ndim == 1
    if single:  # one trajectory runs as a batch of one: array arithmetic, not numpy scalars
        x = x[None, :]
    params = np.empty((steps + 1,) + x.shape)
    losses = np.empty((steps + 1,) + x.shape[:-1])
    params[0] = x
    with np.errstate(all="ignore"):
        loss, grads = loss_and_grad(x, batch)
        losses[0] = loss
        if not np.all(np.isfinite(losses[0])):
            raise ValueError(f"the loss at x0 must be finite, got x0={x0!r}")
        # |loss| <= bound is False for nan and, as bound is finite, for inf
        bound = np.minimum(factor * np.maximum(np.abs(losses[0]), 1.0), _FLOAT_MAX)
        alive = np.ones(x.shape[:-1], dtype=bool)
        checked = 1  # rows of losses already compared with the bound
        update = opt.update
        state = opt.init(x)
        t = 0
        for t in range(1, steps + 1):
            updates, state = update(grads, state, x)
            x = x + updates
            params[t] = x
            loss, grads = loss_and_grad(x, batch)
            losses[t] = loss
            if t - checked == _CHECK_EVERY - 1:
                alive &= np.all(np.abs(losses[checked : t + 1]) <= bound, axis=0)
                checked = t + 1
                if not alive.any():
                    break
        alive &= np.all(np.abs(losses[checked : t + 1]) <= bound, axis=0)
        # once a parameter is inf or nan, x + updates keeps it so: the last row tells
        alive &= np.all(np.isfinite(params[t]), axis=-1)
        step = _freeze(params, losses, bound, ~alive, t)
    if single:
        return Trajectory(params[:, 0], losses[:, 0], ~alive[0], step[0])
    return Trajectory(params, losses, ~alive, step)


def _freeze(params: Array, losses: Array, bound: Array, diverged: Array, last: int) -> Array:
    """In place: hold each diverged trajectory at its last point with finite params and
    loss within bound (rows after ``last`` were never computed). Returns ``diverged_step``."""
    step = np.full(diverged.shape, -1)
    if not diverged.any():
        return step
    cols = (slice(None),) + np.nonzero(diverged)
    sub_params, sub_losses = params[cols], losses[cols]  # (T, n), (T, n, d)
    ok = (np.abs(sub_losses) <= bound[cols[1:]]) & np.all(np.isfinite(sub_params), axis=-1)
    ok[last + 1 :] = False
    first_bad = first_step(~ok)  # ok[0] is True, and each column has a False
    idx = np.minimum(np.arange(losses.shape[0])[:, None], first_bad - 1)
    losses[cols] = np.take_along_axis(sub_losses, idx, axis=0)
    params[cols] = np.take_along_axis(sub_params, idx[..., None], axis=0)
    step[diverged] = first_bad
    return step
