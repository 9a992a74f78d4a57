r"""Closed forms the chapters quote: Adam's bias correction as a schedule, stability edges.

* :func:`bias_correction_schedule` -- :math:`\eta\,r_t` with
  :math:`r_t = (1-\beta_1^t)/\sqrt{1-\beta_2^t}`: Adam *without* bias correction is
  exactly Adam *with* it under this learning-rate schedule (for :math:`\epsilon = 0`).
* :func:`momentum_stability_threshold` -- heavy-ball momentum is stable on a quadratic
  while :math:`\lambda < (2 + 2\beta)/\eta`.
* :func:`adam_stability_threshold` -- Adam (frozen preconditioner) is stable while its
  preconditioned sharpness is below :math:`(2 + 2\beta_1)/((1-\beta_1)\eta)`, 38/η for
  :math:`\beta_1 = 0.9`: the level at which it settles at the edge of stability.
* :func:`noise_floor` -- the stationary expected loss of constant-step SGD on a
  quadratic with Gaussian gradient noise, :math:`\tfrac{\eta\sigma^2}{2}\sum_i 1/(2-\eta\lambda_i)`.

Gradient descent's own edge :math:`2/\eta` and contraction factors live in
:mod:`lrbook.curvature`.
"""

from __future__ import annotations

from collections.abc import Callable
from numbers import Integral
from typing import Any

import numpy as np

from ._checks import check_interval, check_nonnegative, check_positive

__all__ = [
    "bias_correction_schedule",
    "momentum_stability_threshold",
    "adam_stability_threshold",
    "noise_floor",
]

Array = np.ndarray


def _betas(betas: Any) -> tuple[float, float]:
    try:
        b1, b2 = betas
    except (TypeError, ValueError):
        raise ValueError(f"betas must be a pair (beta1, beta2), got betas={betas!r}") from None
    check_interval("betas[0]", b1, 0.0, 1.0, closed="left")
    check_interval("betas[1]", b2, 0.0, 1.0, closed="neither")
    return float(b1), float(b2)


def _steps(step: Any) -> Array:
    s = np.asarray(step)
    if isinstance(step, bool) or not (
        isinstance(step, Integral) or np.issubdtype(s.dtype, np.integer)
    ):
        raise TypeError(f"step must be an integer or an integer array, got step={step!r}")
    if np.any(s < 0):
        raise ValueError(f"step must be >= 0, got step={step!r}")
    return s


def bias_correction_schedule(
    lr: float = 1.0, betas: tuple[float, float] = (0.9, 0.999)
) -> Callable[[Any], Any]:
    r"""Adam's bias correction written as a learning-rate schedule :math:`\eta\,r_t`.

    Without bias correction Adam steps by :math:`\eta\,m_t/\sqrt{v_t}`; with it, by
    :math:`\eta\,\hat m_t/\sqrt{\hat v_t}` where :math:`\hat m_t = m_t/(1-\beta_1^t)` and
    :math:`\hat v_t = v_t/(1-\beta_2^t)`. For :math:`\epsilon = 0` the two differ only by
    a factor that depends on :math:`t` alone:

    .. math::

        \eta\,\frac{m_t}{\sqrt{v_t}} = \eta\,r_t\,\frac{\hat m_t}{\sqrt{\hat v_t}},
        \qquad r_t = \frac{1-\beta_1^t}{\sqrt{1-\beta_2^t}} .

    So uncorrected Adam *is* bias-corrected Adam (``lrbook.adam(eps=0)``) under the
    schedule :math:`\eta\,r_t`, for every gradient sequence. With the defaults
    :math:`r_1 = 0.1/\sqrt{0.001} \approx 3.16`, :math:`r_t` rises to 6.53 at
    :math:`t = 10`, peaks at 6.57 at :math:`t = 12` and is still 3.24 at
    :math:`t = 100`: dropping the correction takes steps several times too large early
    on. With :math:`(0.99, 0.999)`,
    :math:`r_1 \approx 0.32` and :math:`r_t` rises like a warmup. :math:`r_t \to 1` as
    :math:`t \to \infty`.

    Args:
        lr: the base learning rate :math:`\eta \ge 0`.
        betas: :math:`(\beta_1, \beta_2)`, :math:`0 \le \beta_1 < 1`, :math:`0 < \beta_2 < 1`.

    Returns:
        A schedule ``step -> lr * r_{step+1}`` (``step`` counts updates done, 0 at the
        first, like every lrbook schedule); it accepts an int or an integer array.

    Example:
        >>> import numpy as np
        >>> r = bias_correction_schedule(1.0, (0.9, 0.999))
        >>> np.round(r(np.array([0, 9, 99])), 2)          # t = 1, 10, 100
        array([3.16, 6.53, 3.24])

    References:
        Kingma & Ba (2015), "Adam: A method for stochastic optimization", section 3
        (initialization bias correction).
    """
    lr = check_nonnegative("lr", lr)
    b1, b2 = _betas(betas)

    def schedule(step: Any) -> Any:
        t = _steps(step) + 1.0
        r = lr * (1.0 - b1**t) / np.sqrt(1.0 - b2**t)
        return float(r) if np.ndim(r) == 0 else r

    return schedule


def momentum_stability_threshold(lr: float | Array, momentum: float) -> float | Array:
    r"""The largest curvature on which heavy-ball momentum is stable: :math:`(2+2\beta)/\eta`.

    On :math:`J = \tfrac\lambda2\theta^2`, ``lrbook.sgd(lr=η, momentum=β)`` iterates
    :math:`b_t = \beta b_{t-1} + \lambda\theta_{t-1}`,
    :math:`\theta_t = \theta_{t-1} - \eta b_t`, whose characteristic polynomial
    :math:`z^2 - (1 + \beta - \eta\lambda) z + \beta` has both roots inside the unit
    circle exactly when

    .. math:: 0 < \eta\lambda < 2 + 2\beta .

    Args:
        lr: :math:`\eta > 0` (float or array).
        momentum: :math:`\beta \in [0, 1)`.

    Returns:
        :math:`(2 + 2\beta)/\eta`, the shape of ``lr``.

    Example:
        >>> round(momentum_stability_threshold(0.1, 0.9), 6)   # vs 2/η = 20 without momentum
        38.0

    References:
        Polyak (1964), "Some methods of speeding up the convergence of iteration
        methods"; Cohen et al. (2021), "Gradient descent on neural networks typically
        occurs at the edge of stability", appendix on momentum.
    """
    beta = check_interval("momentum", momentum, 0.0, 1.0, closed="left")
    return (2.0 + 2.0 * beta) / _lr(lr)


def adam_stability_threshold(lr: float | Array, beta1: float = 0.9) -> float | Array:
    r"""Adam's edge of stability: :math:`(2 + 2\beta_1)/((1-\beta_1)\,\eta)`, 38/η at 0.9.

    Adam's step is :math:`-\eta P_t^{-1} m_t` with the exponential average
    :math:`m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t` and the preconditioner
    :math:`P_t = (1-\beta_1^t)\,\mathrm{diag}(\sqrt{\hat v_t} + \epsilon)`
    (:func:`lrbook.adam_preconditioner`; the first moment's bias correction is folded
    into it, as in Cohen et al. 2022). With :math:`P` held fixed, Adam is gradient descent
    with momentum :math:`m_t` on the preconditioned Hessian
    :math:`P^{-1/2} H P^{-1/2}`. That is heavy ball with step :math:`(1-\beta_1)\eta`,
    so by :func:`momentum_stability_threshold` it is stable while

    .. math::

        \lambda_{\max}\!\left(P^{-1} H\right) < \frac{2 + 2\beta_1}{(1 - \beta_1)\,\eta} .

    Full-batch Adam on neural networks drives this preconditioned sharpness up to the
    threshold and then hovers there (see :func:`lrbook.preconditioned_sharpness`).

    Args:
        lr: :math:`\eta > 0` (float or array).
        beta1: :math:`\beta_1 \in [0, 1)`.

    Returns:
        The threshold, the shape of ``lr``.

    Example:
        >>> round(adam_stability_threshold(0.01), 6)       # 38 / 0.01
        3800.0

    References:
        Cohen et al. (2022), "Adaptive gradient methods at the edge of stability",
        arXiv:2207.14484.
    """
    b1 = check_interval("beta1", beta1, 0.0, 1.0, closed="left")
    return (2.0 + 2.0 * b1) / ((1.0 - b1) * _lr(lr))


def _lr(lr: Any) -> float | Array:
    if isinstance(lr, np.ndarray | list | tuple):
        arr = np.asarray(lr, dtype=np.float64)
        if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
            raise ValueError(f"lr must be positive and finite, got lr={lr!r}")
        return arr
    return check_positive("lr", lr)


def noise_floor(lr: float | Array, eigenvalues: Any, sigma: float = 1.0) -> float | Array:
    r"""The noise floor: SGD's stationary expected loss on a quadratic with noisy gradients.

    On :math:`J(\theta) = \tfrac12\sum_i \lambda_i z_i^2` with gradients
    :math:`\nabla J + \sigma\xi`, :math:`\xi \sim \mathcal N(0, I)`, each eigen-direction
    of constant-step SGD is an AR(1) process :math:`z \leftarrow (1-\eta\lambda_i) z -
    \eta\sigma\xi_i` with stationary variance :math:`\eta\sigma^2/(\lambda_i(2-\eta\lambda_i))`,
    so the expected loss settles at

    .. math::

        \bar J(\eta) = \frac{\eta\sigma^2}{2}\sum_{i=1}^{d}\frac{1}{2-\eta\lambda_i}
        \;\approx\; \frac{d\,\sigma^2}{4}\,\eta \quad (\eta\lambda_{\max} \ll 1).

    Past the stability edge (:math:`\eta\lambda_{\max} \ge 2`) there is no stationary
    state and the floor is ``inf``.

    Args:
        lr: :math:`\eta > 0`, a float or an array (the result has its shape).
        eigenvalues: the :math:`d` positive curvatures :math:`\lambda_i`, 1-D.
        sigma: noise standard deviation :math:`\sigma \ge 0` per coordinate.

    Returns:
        :math:`\bar J(\eta)`, a float or an array of the shape of ``lr``.

    Example:
        >>> round(noise_floor(0.5, [1.0]), 6)          # 0.5 / 2 / (2 - 0.5)
        0.166667
        >>> noise_floor(0.25, [1.0, 10.0])             # 0.25 * 10 >= 2: unstable
        inf

    References:
        Mandt, Hoffman & Blei (2017), "Stochastic gradient descent as approximate Bayesian
        inference", JMLR; Bottou, Curtis & Nocedal (2018), section 4.
    """
    eta = _lr(lr)
    lam = np.asarray(eigenvalues, dtype=np.float64)
    if lam.ndim != 1 or lam.size == 0 or not np.all(np.isfinite(lam)) or np.any(lam <= 0):
        raise ValueError(
            f"eigenvalues must be a non-empty 1-D array of positive values, "
            f"got eigenvalues={eigenvalues!r}"
        )
    sigma = check_nonnegative("sigma", sigma)
    eta_arr = np.asarray(eta, dtype=np.float64)
    margin = 2.0 - eta_arr[..., None] * lam
    with np.errstate(divide="ignore"):
        terms = np.where(margin > 0, 1.0 / np.where(margin > 0, margin, 1.0), np.inf)
    floor = eta_arr * sigma**2 / 2.0 * terms.sum(axis=-1)
    return float(floor) if floor.ndim == 0 else floor
