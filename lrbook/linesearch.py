r"""Step sizes that choose themselves: Armijo backtracking and the Polyak step.

Both are :class:`~lrbook.Optimizer` pairs like :func:`lrbook.sgd`, so
:func:`lrbook.run` drives them unchanged. Unlike a constant learning rate they need loss
values, so the objective is bound when the optimizer is built::

    opt = lrb.armijo(f, lr=1.0)           # f: a Landscape, a model, or loss_and_grad
    traj = lrb.run(opt, f, x0, steps=100)

The objective may be

* a :class:`~lrbook.Landscape` (its ``value`` is used),
* a model with ``loss(params, batch)`` such as :class:`lrbook.MLP` (bind ``batch``),
* any function ``loss_and_grad(params, batch=None) -> (loss, grads)``.

Every leading axis of the parameters is an independent trajectory with its own line
search, all advanced together (the backtracking loop runs over trials, never over the
batch). The state counts, per trajectory, the loss evaluations and the gradients each
method used (:class:`StepSizeState`), so a chapter can compare the cost of reaching a
tolerance with that of the best tuned constant step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from ._checks import check_int, check_interval, check_positive, check_real
from .optimizers import Optimizer

__all__ = ["StepSizeState", "armijo", "polyak"]

Array = np.ndarray
LossFn = Callable[[Array], Array]


class StepSizeState(NamedTuple):
    """State of :func:`armijo` and :func:`polyak`; ``B`` is the batch shape
    ``params.shape[:-1]``.

    Attributes:
        count: number of updates done.
        lr: ``B``, the step size :math:`\\eta_t` of the last update (0 before the first).
        n_values: ``B`` ints, loss evaluations used so far.
        n_grads: ``B`` ints, gradients used so far (one per update: the one passed in).
        params: ``(*B, P)``, the point where ``loss`` was evaluated (Armijo's accepted
            trial point, reused as the next step's :math:`J(\\theta_t)`); None for Polyak.
        loss: ``B``, the loss at ``params``; None for Polyak.
    """

    count: int
    lr: Array
    n_values: Array
    n_grads: Array
    params: Array | None
    loss: Array | None


def _loss_fn(f: Any, batch: Any) -> LossFn:
    """``params -> loss`` for a Landscape, a model, or a ``loss_and_grad`` function."""
    value, grad = getattr(f, "value", None), getattr(f, "grad", None)
    if callable(value) and callable(grad):
        if batch is not None:
            raise ValueError(f"batch must be None for a landscape, got batch={batch!r}")
        return value
    loss = getattr(f, "loss", None)
    if callable(loss):
        return lambda p: loss(p, batch)
    fn = getattr(f, "loss_and_grad", f)
    if not callable(fn):
        raise TypeError(
            "loss_and_grad must be a Landscape, a model, or a function "
            f"loss_and_grad(params, batch=None) -> (loss, grads), got loss_and_grad={f!r}"
        )
    return lambda p: fn(p, batch)[0]


def _start(params: Array) -> StepSizeState:
    p = np.asarray(params, dtype=np.float64)
    if p.ndim == 0:
        raise ValueError(f"params must have a last axis of parameters, got params={params!r}")
    shape = p.shape[:-1]
    zeros = np.zeros(shape, dtype=np.int64)
    return StepSizeState(0, np.zeros(shape), zeros, zeros.copy(), None, None)


def _evaluate(loss: LossFn, p: Array, rows: Any) -> Array:
    """The loss at the rows ``rows`` (a mask, indices or a slice) of ``p`` only, flat."""
    q = p[rows]
    if q.shape[0] == 0:
        return np.zeros(0)
    with np.errstate(all="ignore"):
        return np.asarray(loss(q), dtype=np.float64).reshape(-1)


def armijo(
    loss_and_grad: Any,
    lr: float = 1.0,
    c: float = 1e-4,
    shrink: float = 0.5,
    max_backtracks: int = 30,
    batch: Any = None,
) -> Optimizer:
    r"""Gradient descent with Armijo backtracking line search.

    Each step starts from the trial step size :math:`\eta = \eta_0` (``lr``) and shrinks
    it by :math:`\rho` (``shrink``) until the sufficient-decrease (Armijo) condition
    holds:

    .. math::

        J(\theta_t - \eta\,g_t) \le J(\theta_t) - c\,\eta\,\|g_t\|^2, \qquad
        \eta \in \{\eta_0, \rho\eta_0, \rho^2\eta_0, \dots\}, \qquad
        \theta_{t+1} = \theta_t - \eta_t\,g_t .

    If ``max_backtracks`` shrinks do not satisfy it, the smallest trial
    :math:`\rho^{m}\eta_0` is taken anyway. A zero gradient gives a zero step without any
    evaluation. The loss of the accepted point is kept in the state and reused as the
    next step's :math:`J(\theta_{t+1})` when ``update`` is called at that point (as
    :func:`lrbook.run` does), so a step costs one gradient plus one loss evaluation per
    trial.

    Args:
        loss_and_grad: the objective: a Landscape, a model with ``loss(params, batch)``,
            or a function ``loss_and_grad(params, batch=None) -> (loss, grads)``; called
            on a batch of trajectories at once (leading axes).
        lr: first trial step size :math:`\eta_0 > 0` of every step.
        c: sufficient-decrease constant in (0, 1).
        shrink: factor :math:`\rho` in (0, 1).
        max_backtracks: at most this many shrinks per step (>= 0).
        batch: data passed to a model's loss (None for a landscape).

    Returns:
        An :class:`~lrbook.Optimizer` with state :class:`StepSizeState`.

    Example:
        >>> import numpy as np
        >>> f = lambda p, batch=None: (np.sum(p * p, axis=-1), 2 * p)      # J = θ²
        >>> opt = armijo(f, lr=1.0, c=1e-4, shrink=0.5)
        >>> p = np.array([3.0]); state = opt.init(p)
        >>> u, state = opt.update(2 * p, state, p)   # η = 1 lands on J(-3) = 9: reject
        >>> u, state.lr, state.n_values                # η = 0.5 lands on 0: accept
        (array([-3.]), array(0.5), array(3))

    References:
        Armijo (1966), "Minimization of functions having Lipschitz continuous first
        partial derivatives", Pacific J. Math.; Nocedal & Wright (2006), *Numerical
        Optimization*, Algorithm 3.1; Vaswani et al. (2019), "Painless stochastic
        gradient: interpolation, line-search, and convergence rates", NeurIPS.
    """
    loss = _loss_fn(loss_and_grad, batch)
    lr = check_positive("lr", lr)
    c = check_interval("c", c, 0.0, 1.0, closed="neither")
    shrink = check_interval("shrink", shrink, 0.0, 1.0, closed="neither")
    max_backtracks = check_int("max_backtracks", max_backtracks, minimum=0)

    def init(params: Array) -> StepSizeState:
        return _start(params)

    def update(grads: Array, state: StepSizeState, params: Array | None = None):
        if params is None:
            raise ValueError("armijo's update needs params (the current point), got params=None")
        shape = np.shape(params)
        p = np.asarray(params, dtype=np.float64).reshape(-1, shape[-1])  # (K, P)
        g = np.asarray(grads, dtype=np.float64).reshape(p.shape)
        n_values = state.n_values.reshape(-1).copy()
        # 1) J(θ_t): reuse the accepted trial of the previous step where we are there
        known = np.zeros(p.shape[0], dtype=bool)
        J0 = np.zeros(p.shape[0])
        if state.params is not None and state.params.shape == shape:
            known = np.all(state.params.reshape(p.shape) == p, axis=-1)
            J0[known] = state.loss.reshape(-1)[known]
        J0[~known] = _evaluate(loss, p, ~known)
        n_values[~known] += 1
        # 2) backtrack: every trajectory tries η0, ρη0, ... until its condition holds
        gg = np.sum(g * g, axis=-1)
        pending = gg > 0
        eta = np.where(pending, lr, 0.0)
        J1 = J0.copy()
        for k in range(max_backtracks + 1):
            if not pending.any():
                break
            rows = np.flatnonzero(pending)
            Jt = _evaluate(loss, p[rows] - eta[rows, None] * g[rows], slice(None))
            n_values[rows] += 1
            with np.errstate(invalid="ignore"):
                ok = Jt <= J0[rows] - c * eta[rows] * gg[rows]
            if k == max_backtracks:
                ok[:] = True  # out of shrinks: take the smallest trial
            J1[rows[ok]] = Jt[ok]
            eta[rows[~ok]] *= shrink
            pending[rows[ok]] = False
        step = (-eta[:, None] * g).reshape(shape)
        batch_shape = shape[:-1]
        return step, StepSizeState(
            state.count + 1,
            eta.reshape(batch_shape),
            n_values.reshape(batch_shape),
            state.n_grads + 1,
            np.asarray(params, dtype=np.float64) + step,
            J1.reshape(batch_shape),
        )

    return Optimizer(init, update)


def polyak(
    loss_and_grad: Any,
    f_star: float = 0.0,
    max_lr: float | None = None,
    batch: Any = None,
) -> Optimizer:
    r"""Gradient descent with the Polyak step size.

    .. math::

        \eta_t = \min\!\left(\frac{J(\theta_t) - J^\star}{\|g_t\|^2},\ \eta_{\max}\right),
        \qquad \theta_{t+1} = \theta_t - \eta_t\,g_t

    The step is the one that would reach the level :math:`J^\star` if :math:`J` were
    linear along :math:`-g_t`; on :math:`J = \lambda\theta^2/2` with :math:`J^\star = 0`
    it is :math:`\eta_t = 1/(2\lambda)` at every point, half the Newton step. A negative
    numerator (``f_star`` above the loss) and a zero gradient give :math:`\eta_t = 0`.
    Each step costs one gradient (passed in) and one loss evaluation.

    Args:
        loss_and_grad: the objective (see :func:`armijo`).
        f_star: the optimal value :math:`J^\star` (0 for an interpolating model).
        max_lr: optional cap :math:`\eta_{\max} > 0`; None for no cap.
        batch: data passed to a model's loss (None for a landscape).

    Returns:
        An :class:`~lrbook.Optimizer` with state :class:`StepSizeState`.

    Example:
        >>> import numpy as np
        >>> f = lambda p, batch=None: (np.sum(p * p, axis=-1), 2 * p)      # J = θ²
        >>> opt = polyak(f)
        >>> p = np.array([3.0]); state = opt.init(p)
        >>> u, state = opt.update(2 * p, state, p)     # η = 9 / 36 = 0.25
        >>> u, state.lr
        (array([-1.5]), array(0.25))

    References:
        Polyak (1987), *Introduction to Optimization*, section 5.3; Hazan & Kakade
        (2019), "Revisiting the Polyak step size"; Loizou et al. (2021), "Stochastic
        Polyak step-size for SGD", AISTATS.
    """
    loss = _loss_fn(loss_and_grad, batch)
    f_star = check_real("f_star", f_star)
    if max_lr is not None:
        max_lr = check_positive("max_lr", max_lr)

    def init(params: Array) -> StepSizeState:
        return _start(params)

    def update(grads: Array, state: StepSizeState, params: Array | None = None):
        if params is None:
            raise ValueError("polyak's update needs params (the current point), got params=None")
        p = np.asarray(params, dtype=np.float64)
        g = np.asarray(grads, dtype=np.float64)
        J = _evaluate(loss, p, ...).reshape(p.shape[:-1])
        gg = np.sum(g * g, axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            eta = np.where(gg > 0, np.maximum(J - f_star, 0.0) / gg, 0.0)
        if max_lr is not None:
            eta = np.minimum(eta, max_lr)
        return -eta[..., None] * g, StepSizeState(
            state.count + 1, eta, state.n_values + 1, state.n_grads + 1, None, None
        )

    return Optimizer(init, update)
