r"""Curvature and the classical step-size theory on quadratics.

Near a point :math:`x`, gradient descent sees the quadratic model with Hessian
:math:`H(x)`. Along an eigenvector with eigenvalue :math:`\lambda` one step of size
:math:`\eta` multiplies the error by :math:`1 - \eta\lambda`, so

* GD is stable iff :math:`\eta < 2/\lambda_{\max}` (:func:`stability_threshold`),
* on a quadratic with :math:`\mu \le \lambda \le L` the best fixed step is
  :math:`2/(\mu + L)` with rate :math:`(\kappa - 1)/(\kappa + 1)`, :math:`\kappa = L/\mu`
  (:func:`gd_optimal_lr`, :func:`gd_optimal_rate`),
* Polyak's heavy ball reaches :math:`(\sqrt\kappa - 1)/(\sqrt\kappa + 1)`
  (:func:`heavy_ball_optimal`, :func:`heavy_ball_rate`).

Functions of a landscape take ``(f, x)`` and are vectorized over the leading axes of x.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._checks import check_positive
from .landscapes import Landscape

__all__ = [
    "hessian_eigenvalues",
    "sharpness",
    "stability_threshold",
    "condition_number",
    "gd_contraction",
    "gd_rate",
    "gd_optimal_lr",
    "gd_optimal_rate",
    "HeavyBall",
    "heavy_ball_optimal",
    "heavy_ball_rate",
]

Array = np.ndarray


def hessian_eigenvalues(f: Landscape, x: Array) -> Array:
    r"""Eigenvalues of the Hessian of ``f`` at ``x``, ascending.

    Args:
        f: a :class:`~lrbook.Landscape`.
        x: points, shape ``(..., f.dim)``.

    Returns:
        Shape ``(..., f.dim)``: :math:`\lambda_1 \le \dots \le \lambda_d` of
        :math:`\nabla^2 f(x)` (symmetrized).

    .. math:: \nabla^2 f(x)\,v_i = \lambda_i v_i

    Example:
        >>> import lrbook as lrb
        >>> hessian_eigenvalues(lrb.quadratic((10.0, 1.0), angle=0.3), [0.0, 0.0]).round(12)
        array([ 1., 10.])

    References:
        Golub & Van Loan (2013), *Matrix Computations*, chapter 8.
    """
    h = f.hessian(x)
    return np.linalg.eigvalsh(0.5 * (h + np.swapaxes(h, -1, -2)))


def sharpness(f: Landscape, x: Array) -> Array:
    r"""Sharpness: the largest Hessian eigenvalue :math:`\lambda_{\max}(\nabla^2 f(x))`.

    Args:
        f: a :class:`~lrbook.Landscape`.
        x: points, shape ``(..., f.dim)``.

    Returns:
        Shape ``x.shape[:-1]`` (a float for a single point).

    .. math:: S(x) = \lambda_{\max}\big(\nabla^2 f(x)\big)

    Example:
        >>> import lrbook as lrb
        >>> f = lrb.flat_sharp()
        >>> sharpness(f, f.minima)
        array([ 1., 20.])

    References:
        Cohen et al. (2021), "Gradient descent on neural networks typically occurs at the
        edge of stability".
    """
    return hessian_eigenvalues(f, x)[..., -1]


def stability_threshold(f: Landscape, x: Array) -> Array:
    r"""The largest stable GD step near ``x``: :math:`2 / \lambda_{\max}` (inf if
    :math:`\lambda_{\max} \le 0`).

    Args:
        f: a :class:`~lrbook.Landscape`.
        x: points, shape ``(..., f.dim)``.

    Returns:
        Shape ``x.shape[:-1]``.

    .. math:: \eta_{\max}(x) = \frac{2}{\lambda_{\max}(\nabla^2 f(x))}

    GD on the quadratic model at ``x`` converges for :math:`\eta < \eta_{\max}` and
    diverges for :math:`\eta > \eta_{\max}`.

    Example:
        >>> import lrbook as lrb
        >>> float(stability_threshold(lrb.quadratic((1.0, 10.0)), [0.0, 0.0]))
        0.2

    References:
        Nesterov (2018), *Lectures on Convex Optimization*, section 1.2.3.
    """
    s = sharpness(f, x)
    with np.errstate(divide="ignore"):
        return np.where(s > 0, 2.0 / np.where(s > 0, s, 1.0), np.inf)[()]


def condition_number(f: Landscape, x: Array) -> Array:
    r"""The condition number :math:`\kappa = \lambda_{\max} / \lambda_{\min}` of the
    Hessian at ``x`` (inf unless :math:`\lambda_{\min} > 0`).

    Args:
        f: a :class:`~lrbook.Landscape`.
        x: points, shape ``(..., f.dim)``.

    Returns:
        Shape ``x.shape[:-1]``.

    .. math:: \kappa(x) = \frac{\lambda_{\max}(\nabla^2 f(x))}{\lambda_{\min}(\nabla^2 f(x))}

    Example:
        >>> import lrbook as lrb
        >>> float(condition_number(lrb.quadratic((1.0, 10.0)), [0.0, 0.0]))
        10.0

    References:
        Nocedal & Wright (2006), *Numerical Optimization*, section 3.3.
    """
    lam = hessian_eigenvalues(f, x)
    lo, hi = lam[..., 0], lam[..., -1]
    return np.where(lo > 0, hi / np.where(lo > 0, lo, 1.0), np.inf)[()]


def gd_contraction(lr: float | Array, eigenvalues: float | Array) -> Array:
    r"""GD's per-eigenvalue contraction factor :math:`|1 - \eta\lambda|` on a quadratic.

    Args:
        lr: step size(s) :math:`\eta` (broadcast against ``eigenvalues``).
        eigenvalues: Hessian eigenvalue(s) :math:`\lambda`.

    Returns:
        :math:`|1 - \eta\lambda|`: one GD step multiplies the error component along that
        eigenvector by this factor in absolute value (< 1 means it shrinks).

    .. math:: x_{t+1} - x^* = (I - \eta H)(x_t - x^*)

    Example:
        >>> gd_contraction(0.15, [1.0, 10.0])
        array([0.85, 0.5 ])

    References:
        Goh (2017), "Why momentum really works", Distill, section "First steps".
    """
    return np.abs(1 - np.asarray(lr, dtype=np.float64) * np.asarray(eigenvalues))


def gd_rate(lr: float | Array, eigenvalues: Array) -> Array:
    r"""The linear convergence rate of GD on a quadratic: :math:`\max_i |1 - \eta\lambda_i|`.

    Args:
        lr: step size(s) :math:`\eta`; an array broadcasts against the leading axes of
            ``eigenvalues``.
        eigenvalues: Hessian eigenvalues along the last axis.

    Returns:
        The rate (> 1 means divergence), shape of the broadcast leading axes.

    .. math:: \rho(\eta) = \max_i |1 - \eta\lambda_i| = \max(|1 - \eta\mu|, |1 - \eta L|)

    Example:
        >>> round(float(gd_rate(2 / 11, [1.0, 10.0])), 12)  # the optimal step for mu=1, L=10
        0.818181818182

    References:
        Nesterov (2018), *Lectures on Convex Optimization*, theorem 2.1.15.
    """
    lam = np.asarray(eigenvalues, dtype=np.float64)
    return np.max(gd_contraction(np.asarray(lr)[..., None], lam), axis=-1)[()]


def _mu_L(mu: float, L: float) -> tuple[float, float]:
    mu = check_positive("mu", mu)
    L = check_positive("L", L)
    if mu > L:
        raise ValueError(f"mu must not exceed L, got mu={mu}, L={L}")
    return mu, L


def gd_optimal_lr(mu: float, L: float) -> float:
    r"""The fixed GD step that minimizes the worst-case rate on
    :math:`\mu I \preceq H \preceq L I`: :math:`\eta^* = 2/(\mu + L)`.

    Args:
        mu: smallest curvature :math:`\mu > 0`.
        L: largest curvature :math:`L \ge \mu`.

    Returns:
        :math:`\eta^*`, which balances :math:`1 - \eta\mu = -(1 - \eta L)`.

    .. math:: \eta^* = \frac{2}{\mu + L}

    Example:
        >>> gd_optimal_lr(1.0, 10.0)
        0.18181818181818182

    References:
        Nesterov (2018), *Lectures on Convex Optimization*, theorem 2.1.15.
    """
    mu, L = _mu_L(mu, L)
    return 2.0 / (mu + L)


def gd_optimal_rate(mu: float, L: float) -> float:
    r"""GD's rate at the optimal fixed step: :math:`(\kappa - 1)/(\kappa + 1)`.

    Here :math:`\kappa = L/\mu` is the condition number.

    Args:
        mu: smallest curvature :math:`\mu > 0`.
        L: largest curvature :math:`L \ge \mu`.

    Returns:
        The factor by which the error norm shrinks per step (exactly, on a quadratic).

    .. math:: \rho^* = \frac{L - \mu}{L + \mu} = \frac{\kappa - 1}{\kappa + 1}

    Example:
        >>> gd_optimal_rate(1.0, 10.0)
        0.8181818181818182

    References:
        Nesterov (2018), *Lectures on Convex Optimization*, theorem 2.1.15.
    """
    mu, L = _mu_L(mu, L)
    return (L - mu) / (L + mu)


class HeavyBall(NamedTuple):
    """Optimal heavy-ball hyperparameters; use as ``lrb.sgd(lr=hb.lr, momentum=hb.momentum)``."""

    lr: float
    momentum: float


def heavy_ball_optimal(mu: float, L: float) -> HeavyBall:
    r"""Polyak's optimal heavy-ball step and momentum for :math:`\mu I \preceq H \preceq L I`.

    Args:
        mu: smallest curvature :math:`\mu > 0`.
        L: largest curvature :math:`L \ge \mu`.

    Returns:
        :class:`HeavyBall` ``(lr, momentum)`` = :math:`(\alpha, \beta)`.

    .. math::

        x_{t+1} = x_t - \alpha\nabla f(x_t) + \beta (x_t - x_{t-1}), \qquad
        \alpha = \frac{4}{(\sqrt L + \sqrt\mu)^2}, \quad
        \beta = \Big(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\Big)^2

    PyTorch's SGD keeps the buffer :math:`b_t = \beta b_{t-1} + g_t` (:math:`b_1 = g_1`) and
    steps :math:`x_t = x_{t-1} - \eta b_t`; then
    :math:`x_t - x_{t-1} = \beta (x_{t-1} - x_{t-2}) - \eta g_t`, which is the heavy ball with
    :math:`\alpha = \eta` (for a constant lr) started from :math:`x_{-1} = x_0`. So
    ``lrb.sgd(lr=alpha, momentum=beta)`` is exactly this iteration.

    Example:
        >>> hb = heavy_ball_optimal(1.0, 9.0)
        >>> hb.lr, hb.momentum
        (0.25, 0.25)

    References:
        Polyak (1964), "Some methods of speeding up the convergence of iteration
        methods", USSR Computational Mathematics and Mathematical Physics 4(5).
    """
    mu, L = _mu_L(mu, L)
    root = math.sqrt(L / mu)
    return HeavyBall(4.0 / (math.sqrt(L) + math.sqrt(mu)) ** 2, ((root - 1) / (root + 1)) ** 2)


def heavy_ball_rate(mu: float, L: float) -> float:
    r"""The heavy ball's rate at its optimal parameters:
    :math:`(\sqrt\kappa - 1)/(\sqrt\kappa + 1)`.

    Args:
        mu: smallest curvature :math:`\mu > 0`.
        L: largest curvature :math:`L \ge \mu`.

    Returns:
        The asymptotic factor per step (the spectral radius of the iteration matrix).

    .. math:: \rho_{\text{HB}} = \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1} = \sqrt{\beta}

    Example:
        >>> heavy_ball_rate(1.0, 9.0)
        0.5

    References:
        Polyak (1964); Goh (2017), "Why momentum really works", Distill.
    """
    mu, L = _mu_L(mu, L)
    root = math.sqrt(L / mu)
    return (root - 1) / (root + 1)
