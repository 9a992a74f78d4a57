r"""Warmup's mechanism: gradient descent under a schedule, with the sharpness tracked.

Gradient descent with step :math:`\eta` is stable near :math:`\theta` only while the
sharpness :math:`\lambda_{\max}(\nabla^2 J(\theta))` is below :math:`2/\eta`. A warmup
raises :math:`\eta_t` slowly, and on a network the sharpness falls while it does: by the
time :math:`\eta_t` reaches the peak, :math:`\lambda_{\max}` sits below
:math:`2/\eta_{\text{peak}}`, although it started above (Gilmer et al., 2022; Kalra &
Barkeshli, 2024). :func:`scheduled_sharpness` measures exactly that: it is
:func:`lrbook.gd_sharpness` with a learning-rate schedule instead of a constant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._checks import check_int
from ._protocol import as_loss_and_grad, first_step
from .hessian import SharpnessTrace, TopEigen, _track_sharpness, top_hessian_eigenvalue

__all__ = ["scheduled_sharpness"]

Array = np.ndarray


def scheduled_sharpness(
    f: Any,
    params: Any,
    batch: Any = None,
    *,
    schedule: Callable[[Any], Any],
    steps: int,
    every: int = 10,
    iters: int = 20,
    seed: int = 0,
) -> SharpnessTrace:
    r"""Full-batch gradient descent with a schedule, measuring the sharpness every ``every`` steps.

    Runs :math:`\theta_{t+1} = \theta_t - \eta_t\nabla J(\theta_t)` with
    :math:`\eta_t` = ``schedule(t)`` and, at steps :math:`0, k, 2k, \dots` (and the last),
    computes :math:`\lambda_{\max}(\nabla^2 J(\theta_t))` with
    :func:`lrbook.top_hessian_eigenvalue`, warm started from the previous eigenvector.
    With a constant schedule it is :func:`lrbook.gd_sharpness`.

    Args:
        f: a model, a ``loss_and_grad(params, batch=None)`` function, or a Landscape
            (with ``batch=None``): the training protocol of :mod:`lrbook`.
        params: initial parameters ``(P,)`` or ``(*B, P)`` (one run per leading index); not
            modified.
        batch: the whole training set ``(X, y)`` for a model; None for a landscape.
        schedule: ``step -> lr``, a float or an array broadcastable to ``B``.
        steps: number of gradient steps.
        every: measure the sharpness every this many steps.
        iters: Lanczos iterations per measurement.
        seed: seed of the first Lanczos start vector.

    Returns:
        A :class:`lrbook.SharpnessTrace`; a run whose loss or gradient became non-finite is
        frozen and recorded as NaN from its ``diverged_step`` on.

    Example:
        >>> import lrbook as lrb
        >>> f = lrb.quadratic((1.0, 10.0))
        >>> tr = scheduled_sharpness(f, [1.0, 1.0], schedule=lrb.linear_warmup(0.1, 10),
        ...                          steps=20, every=10, iters=2)
        >>> tr.steps, tr.sharpness.round(6)
        (array([ 0, 10, 20]), array([10., 10., 10.]))

    References:
        Gilmer et al. (2022), "A loss curvature perspective on training instabilities of
        deep learning models", ICLR; Kalra & Barkeshli (2024), "Why warmup the learning
        rate? Underlying mechanisms and improvements", NeurIPS.
    """
    if not callable(schedule):
        raise TypeError(f"schedule must be a function step -> lr, got schedule={schedule!r}")
    steps = check_int("steps", steps, minimum=0)
    every = check_int("every", every, minimum=1)
    p0 = np.asarray(params, dtype=np.float64)
    if p0.ndim == 0 or p0.shape[-1] == 0 or not np.all(np.isfinite(p0)):
        raise ValueError(f"params must be a finite array of shape (..., P), got params={params!r}")
    fn = as_loss_and_grad(f)
    shape = p0.shape[:-1]
    theta = p0.copy()
    marks = np.unique(np.r_[np.arange(0, steps + 1, every), steps])

    def measure(safe: Array, alive: Array, vec: Array | None) -> TopEigen:
        return top_hessian_eigenvalue(f, safe, batch, iters=iters, v0=vec, seed=seed)

    def advance(t: int, theta: Array, g: Array, alive: Array) -> Array:
        eta = np.broadcast_to(np.asarray(schedule(t), dtype=np.float64), shape)
        return np.where(alive[..., None], theta - eta[..., None] * g, theta)

    losses, sharp, theta, alive, bad = _track_sharpness(
        lambda p: fn(p, batch), theta, p0, steps, marks, measure, advance
    )
    return SharpnessTrace(losses, marks, sharp, theta[()], (~alive)[()], first_step(bad)[()])
