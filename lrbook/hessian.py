r"""Hessian-vector products and the top Hessian eigenvalue of any differentiable loss.

:func:`lrbook.sharpness` reads the largest eigenvalue off a landscape's exact Hessian. A
network's Hessian is a :math:`P \times P` matrix that nobody forms, but its product with a
vector costs two gradients (a central difference of the gradient along that vector), and
a few dozen such products find the top eigenvalue by the Lanczos method. Everything here
needs only gradients, so it takes the objective in the training protocol of :mod:`lrbook`
(a :class:`~lrbook.Landscape`, a model of :mod:`lrbook.models`,
or any ``loss_and_grad(params, batch=None) -> (loss, grads)``) and is vectorized
over leading axes of ``params``: a batch of K parameter vectors (K
runs of a learning-rate sweep) gets K eigenvalues in one pass.

* :func:`hvp` -- the Hessian-vector product :math:`\nabla^2 J(\theta)\,v`,
* :func:`hessian_matrix` -- the full Hessian, column by column (small models only),
* :func:`top_hessian_eigenvalue` -- :math:`\lambda_{\max}` and its eigenvector (Lanczos),
* :func:`gd_sharpness` -- full-batch gradient descent that records the loss and
  :math:`\lambda_{\max}` along the way (the edge-of-stability experiment).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from ._checks import check_int, check_positive
from ._protocol import as_loss_and_grad, first_step

__all__ = [
    "hvp",
    "hessian_matrix",
    "TopEigen",
    "top_hessian_eigenvalue",
    "SharpnessTrace",
    "gd_sharpness",
]

Array = np.ndarray
GradFn = Callable[[Array], Array]

_EPS = np.finfo(np.float64).eps


def _loss_and_grad(f: Any, batch: Any) -> Callable[[Array], tuple[Array, Array]]:
    """``params -> (loss, grads)`` of ``f`` on ``batch`` (see :mod:`lrbook`)."""
    fn = as_loss_and_grad(f)
    return lambda p: fn(p, batch)


def _params(params: Any) -> Array:
    p = np.asarray(params, dtype=np.float64)
    if p.ndim == 0 or p.shape[-1] == 0 or not np.all(np.isfinite(p)):
        raise ValueError(
            f"params must be a finite array of shape (..., P) with P >= 1, got params={params!r}"
        )
    return p


def _lr_array(lr: Any) -> Array:
    """``lr`` as a float array: one positive, finite step size per run."""
    lr_arr = np.asarray(lr, dtype=np.float64)
    if not np.all(np.isfinite(lr_arr)) or np.any(lr_arr <= 0):
        raise ValueError(f"lr must be positive and finite, got lr={lr!r}")
    return lr_arr


def _norm(x: Array) -> Array:
    return np.sqrt(np.sum(x * x, axis=-1))


def _default_step(p: Array) -> Array:
    r""":math:`h = \epsilon^{1/3}\max(1, \mathrm{rms}(\theta))` per parameter vector, ``(...)``."""
    rms = np.sqrt(np.mean(p * p, axis=-1))
    return _EPS ** (1 / 3) * np.maximum(1.0, rms)


def _hvp(grad: GradFn, p: Array, v: Array, step: float | None) -> Array:
    """Central-difference Hessian-vector products; ``p`` and ``v`` broadcast, last axis P."""
    shape = np.broadcast_shapes(p.shape, v.shape)
    p, v = np.broadcast_to(p, shape), np.broadcast_to(v, shape)
    size = _norm(v)[..., None]
    u = v / np.where(size > 0, size, 1.0)
    h = (_default_step(p) if step is None else np.full(shape[:-1], step))[..., None]
    g = grad(np.stack([p + h * u, p - h * u]))
    return (g[0] - g[1]) / (2 * h) * size


def hvp(f: Any, params: Any, v: Any, batch: Any = None, *, step: float | None = None) -> Array:
    r"""The Hessian-vector product :math:`\nabla^2 J(\theta)\,v` from two gradients.

    Args:
        f: a :class:`~lrbook.Landscape`, a model with ``loss_and_grad(params, batch)``
            (e.g. :class:`lrbook.MLP`) or such a function.
        params: the point :math:`\theta`, shape ``(..., P)``.
        v: the vector(s), broadcast against ``params``.
        batch: the data ``(X, y)`` for a model; None for a landscape.
        step: the finite-difference step :math:`h` along the unit vector
            :math:`u = v/\|v\|`; default
            :math:`\epsilon^{1/3}\max(1, \mathrm{rms}(\theta))` (about :math:`6\cdot10^{-6}`).

    Returns:
        Shape ``broadcast(params, v).shape``.

    .. math::

        \nabla^2 J(\theta)\,v \approx \|v\|\,
        \frac{\nabla J(\theta + h u) - \nabla J(\theta - h u)}{2h}

    The error is :math:`O(h^2)` (exact for a quadratic up to round-off). Both gradients
    are taken in one vectorized call (a leading axis of 2).

    Example:
        >>> import lrbook as lrb
        >>> f = lrb.quadratic((1.0, 10.0))
        >>> hvp(f, [3.0, -2.0], [1.0, 1.0]).round(8)
        array([ 1., 10.])

    References:
        Nocedal & Wright (2006), *Numerical Optimization*, section 8.1; Pearlmutter
        (1994), "Fast exact multiplication by the Hessian".
    """
    p = _params(params)
    vec = np.asarray(v, dtype=np.float64)
    if vec.ndim == 0 or vec.shape[-1] != p.shape[-1]:
        raise ValueError(f"v must have last axis {p.shape[-1]} like params, got v={v!r}")
    if step is not None:
        step = check_positive("step", step)
    fn = _loss_and_grad(f, batch)
    return _hvp(lambda q: fn(q)[1], p, vec, step)


def hessian_matrix(f: Any, params: Any, batch: Any = None, *, step: float | None = None) -> Array:
    r"""The full Hessian by central differences of the gradient, one column per coordinate.

    Args:
        f: a :class:`~lrbook.Landscape`, a model or a ``loss_and_grad`` function.
        params: the point, shape ``(..., P)``; the cost is ``P`` gradient pairs, taken in
            one vectorized call, so keep ``P`` in the hundreds.
        batch: the data for a model; None for a landscape.
        step: finite-difference step (see :func:`hvp`).

    Returns:
        Shape ``(..., P, P)``, symmetrized: :math:`\tfrac12(H + H^\top)`.

    .. math:: H_{:, j} = \nabla^2 J(\theta)\,e_j

    Example:
        >>> import lrbook as lrb
        >>> hessian_matrix(lrb.rosenbrock(), [1.0, 1.0]).round(5)
        array([[ 802., -400.],
               [-400.,  200.]])

    References:
        Nocedal & Wright (2006), *Numerical Optimization*, section 8.1.
    """
    p = _params(params)
    if step is not None:
        step = check_positive("step", step)
    fn = _loss_and_grad(f, batch)
    eye = np.eye(p.shape[-1])
    cols = _hvp(lambda q: fn(q)[1], p[..., None, :], eye, step)  # (..., j, i) = H e_j
    return 0.5 * (cols + np.swapaxes(cols, -1, -2))


class TopEigen(NamedTuple):
    """The result of :func:`top_hessian_eigenvalue`.

    Attributes:
        value: the largest Hessian eigenvalue :math:`\\lambda_{\\max}`, shape ``(...)``.
        vector: its unit eigenvector, shape ``(..., P)``.
        residual: :math:`\\|Hv - \\lambda_{\\max} v\\|` estimated by Lanczos, shape ``(...)``:
            small means converged.
    """

    value: Array
    vector: Array
    residual: Array


def _orthogonalize(w: Array, basis: Array) -> Array:
    """``w (K, P)`` minus its projection on the orthonormal rows ``basis (j, K, P)``, twice."""
    for _ in range(2):
        coef = np.einsum("jkp,kp->jk", basis, w)
        w = w - np.einsum("jk,jkp->kp", coef, basis)
    return w


def top_hessian_eigenvalue(
    f: Any,
    params: Any,
    batch: Any = None,
    *,
    iters: int = 20,
    v0: Any = None,
    seed: int = 0,
    step: float | None = None,
) -> TopEigen:
    r"""The largest Hessian eigenvalue (the sharpness) by the Lanczos method.

    Each iteration costs one :func:`hvp` (two gradients). The Lanczos recurrence builds an
    orthonormal basis :math:`q_1, \dots, q_m` of the Krylov space
    :math:`\{v_0, Hv_0, \dots, H^{m-1}v_0\}` in which :math:`H` is tridiagonal,

    .. math::

        \beta_{j+1} q_{j+1} = H q_j - \alpha_j q_j - \beta_j q_{j-1}, \qquad
        \alpha_j = q_j^\top H q_j,

    and the largest eigenvalue of that :math:`m \times m` tridiagonal matrix approaches
    :math:`\lambda_{\max}(H)` much faster than power iteration does (and it is the largest
    *algebraic* eigenvalue, even when a negative one is larger in magnitude). The basis is
    fully re-orthogonalized; if it becomes invariant early, it is continued with a fresh
    random direction, so with ``iters >= P`` the result is exact up to the finite
    differences.

    Args:
        f: a :class:`~lrbook.Landscape`, a model or a ``loss_and_grad`` function.
        params: the point(s), shape ``(..., P)``; every leading index is solved
            independently, all in one vectorized pass.
        batch: the data for a model; None for a landscape.
        iters: Lanczos iterations :math:`m` (capped at ``P``).
        v0: start vector(s) broadcast to ``params.shape`` (e.g. the previous eigenvector,
            a warm start); default a seeded Gaussian vector.
        seed: seed of the start vector and of any restart.
        step: finite-difference step of the products (see :func:`hvp`).

    Returns:
        A :class:`TopEigen` ``(value, vector, residual)``.

    Example:
        >>> import lrbook as lrb
        >>> f = lrb.quadratic((0.5, 3.0, 25.0), angle=0.7)
        >>> round(float(top_hessian_eigenvalue(f, [1.0, 2.0, 3.0]).value), 6)
        25.0

    References:
        Lanczos (1950), "An iteration method for the solution of the eigenvalue problem
        of linear differential and integral operators"; Golub & Van Loan (2013), *Matrix
        Computations*, chapter 10; Cohen et al. (2021), "Gradient descent on neural
        networks typically occurs at the edge of stability".
    """
    p = _params(params)
    iters = check_int("iters", iters, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    if step is not None:
        step = check_positive("step", step)
    fn = _loss_and_grad(f, batch)
    lead, P = p.shape[:-1], p.shape[-1]
    flat = p.reshape(-1, P)
    K, m = flat.shape[0], min(iters, P)
    rng = np.random.default_rng(seed)
    if v0 is None:
        q = rng.standard_normal((K, P))
    else:
        q = np.broadcast_to(np.asarray(v0, dtype=np.float64), p.shape).reshape(K, P).copy()
        if not np.all(np.isfinite(q)) or np.any(_norm(q) == 0):
            raise ValueError(f"v0 must be finite and non-zero, got v0={v0!r}")
    q = q / _norm(q)[:, None]

    def grad(x: Array) -> Array:
        return fn(x.reshape(x.shape[:-2] + lead + (P,)))[1].reshape(x.shape)

    basis = np.zeros((m, K, P))
    alpha, beta = np.zeros((m, K)), np.zeros((m, K))
    q_prev = np.zeros((K, P))
    for j in range(m):
        basis[j] = q
        w = _hvp(grad, flat, q, step)
        alpha[j] = np.sum(q * w, axis=-1)
        w = w - alpha[j][:, None] * q - (beta[j - 1][:, None] * q_prev if j else 0.0)
        w = _orthogonalize(w, basis[: j + 1])
        beta[j] = _norm(w)
        if j == m - 1:
            break
        scale = np.maximum(np.abs(alpha[: j + 1]).max(axis=0), beta[: j + 1].max(axis=0))
        stuck = beta[j] <= np.sqrt(_EPS) * np.maximum(scale, np.finfo(np.float64).tiny)
        if stuck.any():  # invariant subspace: continue with a fresh orthogonal direction
            fresh = _orthogonalize(rng.standard_normal((K, P)), basis[: j + 1])
            w = np.where(stuck[:, None], fresh, w)
            beta[j] = np.where(stuck, 0.0, beta[j])
        q_prev, q = q, w / _norm(w)[:, None]
    T = np.zeros((K, m, m))
    idx = np.arange(m)
    T[:, idx, idx] = alpha.T
    T[:, idx[:-1], idx[1:]] = T[:, idx[1:], idx[:-1]] = beta[:-1].T
    theta, s = np.linalg.eigh(T)
    y = s[:, :, -1]  # (K, m): the top Ritz vector in the Lanczos basis
    vector = np.einsum("jkp,kj->kp", basis, y)
    vector = vector / _norm(vector)[:, None]
    residual = np.abs(beta[m - 1] * y[:, -1])
    return TopEigen(
        theta[:, -1].reshape(lead)[()], vector.reshape(p.shape), residual.reshape(lead)[()]
    )


class SharpnessTrace(NamedTuple):
    """The result of :func:`gd_sharpness`. ``B`` is the batch shape of the runs.

    Attributes:
        losses: full-batch loss before each step, then after the last, ``(steps + 1, *B)``.
        steps: the steps at which the sharpness was measured, ``(n,)``.
        sharpness: :math:`\\lambda_{\\max}` at those steps, ``(n, *B)``.
        params: final parameters, ``(*B, P)`` (for a diverged run: those of ``diverged_step``).
        diverged: ``B``, True where the loss or the gradient became non-finite.
        diverged_step: ``B``, the first ``t`` with a non-finite ``losses[t]`` (or
            gradient there), -1 if none (see :mod:`lrbook`); from that step on the
            run is frozen and its ``losses`` and ``sharpness`` are NaN.
    """

    losses: Array
    steps: Array
    sharpness: Array
    params: Array
    diverged: Array
    diverged_step: Array


def _track_sharpness(
    loss_and_grad: Callable[[Array], tuple[Array, Array]],
    theta: Array,
    p0: Array,
    steps: int,
    marks: Array,
    measure: Callable[[Array, Array, Array | None], TopEigen],
    advance: Callable[[int, Array, Array, Array], Array],
) -> tuple[Array, Array, Array, Array, Array]:
    """The loop shared by the sharpness trackers: train, and measure at ``marks``.

    At each ``t`` in ``0..steps`` it evaluates ``loss_and_grad(theta)``, freezes the runs
    whose loss or gradient is non-finite, records the loss (NaN once frozen), calls
    ``measure(safe, alive, v0)`` when ``t`` is the next mark (``safe`` holds ``p0`` for
    frozen runs; ``v0`` is the previous eigenvector) and, before the last step, sets
    ``theta = advance(t, theta, grads, alive)``. Returns ``(losses, sharpness, theta,
    alive, bad)`` with ``bad[t]`` True where step ``t`` was non-finite.
    """
    shape = theta.shape[:-1]
    losses = np.empty((steps + 1,) + shape)
    sharp = np.full((marks.size,) + shape, np.nan)
    alive = np.ones(shape, dtype=bool)
    bad = np.zeros((steps + 1,) + shape, dtype=bool)
    vec, k = None, 0
    with np.errstate(all="ignore"):
        for t in range(steps + 1):
            loss, g = loss_and_grad(theta)
            bad[t] = ~(np.isfinite(loss) & np.all(np.isfinite(g), axis=-1))
            alive &= ~bad[t]
            losses[t] = np.where(alive, loss, np.nan)
            if k < marks.size and t == marks[k]:
                top = measure(np.where(alive[..., None], theta, p0), alive, vec)
                sharp[k] = np.where(alive, top.value, np.nan)
                vec, k = top.vector, k + 1
            if t < steps:
                theta = advance(t, theta, g, alive)
    return losses, sharp, theta, alive, bad


def gd_sharpness(
    f: Any,
    params: Any,
    batch: Any = None,
    *,
    lr: Any,
    steps: int,
    every: int = 10,
    iters: int = 20,
    seed: int = 0,
) -> SharpnessTrace:
    r"""Full-batch gradient descent that measures the sharpness every ``every`` steps.

    Runs :math:`\theta_{t+1} = \theta_t - \eta\nabla J(\theta_t)` and, at steps
    :math:`0, k, 2k, \dots` (and the last), computes
    :math:`\lambda_{\max}(\nabla^2 J(\theta_t))` with :func:`top_hessian_eigenvalue`, warm
    started from the previous eigenvector. Gradient descent is stable near
    :math:`\theta` only while :math:`\lambda_{\max} < 2/\eta`; on neural networks the
    sharpness typically rises to that line and then hovers at it (the edge of stability).

    Args:
        f: a model, a ``loss_and_grad(params, batch=None)`` function, or a Landscape
            (with ``batch=None``): the training protocol of :mod:`lrbook`.
        params: initial parameters ``(P,)`` or ``(*B, P)``; not modified.
        batch: the whole training set ``(X, y)``.
        lr: step size :math:`\eta`: a float or an array of shape ``B`` (one run each;
            ``(P,)`` params are broadcast to ``(*B, P)``).
        steps: number of gradient steps.
        every: measure the sharpness every this many steps.
        iters: Lanczos iterations per measurement.
        seed: seed of the first Lanczos start vector.

    Returns:
        A :class:`SharpnessTrace`.

    Example:
        >>> import lrbook as lrb
        >>> f = lrb.quadratic((1.0, 10.0))
        >>> tr = gd_sharpness(f, [1.0, 1.0], lr=0.1, steps=20, every=10, iters=2)
        >>> tr.steps, tr.sharpness.round(6)
        (array([ 0, 10, 20]), array([10., 10., 10.]))

    References:
        Cohen et al. (2021), "Gradient descent on neural networks typically occurs at the
        edge of stability", ICLR.
    """
    steps = check_int("steps", steps, minimum=0)
    every = check_int("every", every, minimum=1)
    lr_arr = _lr_array(lr)
    p0 = _params(params)
    shape = np.broadcast_shapes(lr_arr.shape, p0.shape[:-1])
    theta = np.broadcast_to(p0, shape + p0.shape[-1:]).copy()
    eta = np.broadcast_to(lr_arr, shape)[..., None]
    fn = _loss_and_grad(f, batch)
    marks = np.unique(np.r_[np.arange(0, steps + 1, every), steps])

    def measure(safe: Array, alive: Array, vec: Array | None) -> TopEigen:
        return top_hessian_eigenvalue(f, safe, batch, iters=iters, v0=vec, seed=seed)

    def advance(t: int, theta: Array, g: Array, alive: Array) -> Array:
        return np.where(alive[..., None], theta - eta * g, theta)

    losses, sharp, theta, alive, bad = _track_sharpness(
        fn, theta, p0, steps, marks, measure, advance
    )
    return SharpnessTrace(losses, marks, sharp, theta[()], (~alive)[()], first_step(bad)[()])
