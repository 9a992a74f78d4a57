r"""Adam's preconditioned sharpness: the curvature that Adam's step actually meets.

Adam's update :math:`\theta_t = \theta_{t-1} - \eta\,\hat m_t/(\sqrt{\hat v_t}+\epsilon)`
with :math:`\hat m_t = m_t/(1-\beta_1^t)` is gradient descent with exponential-average
momentum :math:`m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t` in the metric of the diagonal
preconditioner (Cohen et al. 2022 fold the first-moment bias correction into it)

.. math::

    P_t = (1 - \beta_1^t)\,\mathrm{diag}\big(\sqrt{\hat v_t} + \epsilon\big),
    \qquad \theta_t = \theta_{t-1} - \eta\,P_t^{-1} m_t ,

so its stability is decided not by :math:`\lambda_{\max}(H)` but by the *preconditioned
sharpness* :math:`\lambda_{\max}(P^{-1}H) = \lambda_{\max}(P^{-1/2} H P^{-1/2})` (the two
matrices are similar). Full-batch Adam drives it up to
:math:`(2 + 2\beta_1)/((1-\beta_1)\eta)` (38/η for :math:`\beta_1 = 0.9`, see
:func:`lrbook.adam_stability_threshold`) and then hovers there: the adaptive edge of
stability.

* :func:`adam_preconditioner` -- :math:`\mathrm{diag}(P_t)` from an Adam state,
* :func:`preconditioned_sharpness` -- :math:`\lambda_{\max}(P^{-1/2} H P^{-1/2})`,
  matrix-free (Lanczos on Hessian-vector products, via
  :func:`lrbook.top_hessian_eigenvalue`),
* :func:`adam_sharpness` -- full-batch Adam that records it every few steps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from ._checks import check_int, check_nonnegative, check_positive
from .hessian import TopEigen, _lr_array, _track_sharpness, top_hessian_eigenvalue
from .optimizers import AdamState, adam
from .theory import adam_stability_threshold

__all__ = [
    "adam_preconditioner",
    "preconditioned_sharpness",
    "AdamSharpnessTrace",
    "adam_sharpness",
]

Array = np.ndarray
LossAndGrad = Callable[[Array, Any], tuple[Array, Array]]

_FD_STEP = np.finfo(np.float64).eps ** (1 / 3)


def _loss_and_grad(f: Any) -> LossAndGrad:
    """``(params, batch) -> (loss, grads)`` for a Landscape, a model or a function."""
    value, grad = getattr(f, "value", None), getattr(f, "grad", None)
    if callable(value) and callable(grad):
        return lambda p, batch: (value(p), grad(p))
    fn = getattr(f, "loss_and_grad", f)
    if not callable(fn):
        raise TypeError(
            "f must be a Landscape, a model with loss_and_grad, or a function "
            f"loss_and_grad(params, batch) -> (loss, grads), got f={f!r}"
        )
    return fn


def adam_preconditioner(
    state: AdamState, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8
) -> Array:
    r"""The diagonal of Adam's preconditioner :math:`P_t`, Adam's step :math:`-\eta P_t^{-1} m_t`.

    .. math::

        \hat v_t = \frac{v_t}{1 - \beta_2^t}, \qquad
        P_t = (1 - \beta_1^t)\,\big(\sqrt{\hat v_t} + \epsilon\big)

    (with AMSGrad, :math:`v_t` is the running maximum, as in :func:`lrbook.adam`). The
    factor :math:`1 - \beta_1^t` is the first moment's bias correction, folded into
    :math:`P_t` as in Cohen et al. (2022, §2), so that Adam's step
    :math:`-\eta\,\hat m_t/(\sqrt{\hat v_t}+\epsilon)` is exactly
    :math:`-\eta P_t^{-1} m_t` with the uncorrected average :math:`m_t`; with
    :math:`P_t` frozen, the stability threshold of :func:`lrbook.adam_stability_threshold`
    is then exact on a quadratic.

    Args:
        state: an :class:`~lrbook.AdamState` after at least one update.
        betas: the optimizer's :math:`(\beta_1, \beta_2)`.
        eps: the optimizer's :math:`\epsilon`.

    Returns:
        :math:`\mathrm{diag}(P_t)`, the shape of the parameters.

    Example:
        >>> import numpy as np
        >>> import lrbook as lrb
        >>> opt = lrb.adam(lr=0.1)
        >>> p = np.array([1.0, -2.0]); state = opt.init(p)
        >>> _, state = opt.update(np.array([0.5, -3.0]), state, p)
        >>> adam_preconditioner(state).round(6)        # (1 - 0.9) |g| after one step
        array([0.05, 0.3 ])

    References:
        Kingma & Ba (2015), "Adam: A method for stochastic optimization"; Cohen et al.
        (2022), "Adaptive gradient methods at the edge of stability".
    """
    if not isinstance(state, AdamState):
        raise TypeError(f"state must be an AdamState, got state={state!r}")
    if state.count < 1:
        raise ValueError(f"state must come after at least one update, got count={state.count}")
    try:
        b1, b2 = betas
    except (TypeError, ValueError):
        raise ValueError(f"betas must be a pair (beta1, beta2), got betas={betas!r}") from None
    eps = check_nonnegative("eps", eps)
    v = state.nu if state.nu_max is None else state.nu_max
    v_hat = v / (1.0 - float(b2) ** state.count)
    return (1.0 - float(b1) ** state.count) * (np.sqrt(v_hat) + eps)


def preconditioned_sharpness(
    f: Any,
    params: Any,
    precond: Any,
    batch: Any = None,
    *,
    iters: int = 20,
    v0: Any = None,
    seed: int = 0,
    step: float | None = None,
) -> TopEigen:
    r"""The largest eigenvalue of :math:`P^{-1/2} H P^{-1/2}` (equal to that of :math:`P^{-1}H`).

    Matrix-free: with :math:`D = P^{-1/2}`, the loss in the coordinates
    :math:`\phi` of :math:`\theta + D\phi` has gradient :math:`D\,\nabla J` and Hessian
    :math:`D H D` at :math:`\phi = 0`, so :func:`lrbook.top_hessian_eigenvalue` (Lanczos
    on finite-difference Hessian-vector products) applies to it unchanged:

    .. math::

        \lambda_{\max}\!\left(P^{-1/2} H P^{-1/2}\right), \qquad
        (P^{-1/2} H P^{-1/2})\,u = D\,\nabla^2 J(\theta)\,(D u) .

    Args:
        f: a :class:`~lrbook.Landscape`, a model with ``loss_and_grad(params, batch)`` or
            such a function.
        params: the point(s) :math:`\theta`, shape ``(..., P)``.
        precond: the diagonal of :math:`P` (positive), broadcast to ``params``, e.g.
            :func:`adam_preconditioner`.
        batch: the data for a model; None for a landscape.
        iters: Lanczos iterations.
        v0: start vector(s) in the scaled coordinates (e.g. the previous ``vector``).
        seed: seed of the start vector.
        step: finite-difference step in the scaled coordinates; default
            :math:`\epsilon^{1/3}\max(1, \mathrm{rms}\,\theta)/\mathrm{rms}(D)`, so the
            displacement in :math:`\theta` is the size :func:`lrbook.hvp` uses.

    Returns:
        A :class:`~lrbook.TopEigen`; ``vector`` is the eigenvector of
        :math:`P^{-1/2} H P^{-1/2}` (multiply by :math:`D` for the direction in
        :math:`\theta`).

    Example:
        >>> import numpy as np
        >>> import lrbook as lrb
        >>> f = lrb.quadratic((1.0, 10.0))
        >>> top = preconditioned_sharpness(f, [1.0, 1.0], [0.5, 20.0])
        >>> round(float(top.value), 6)                  # max(1 / 0.5, 10 / 20)
        2.0

    References:
        Cohen et al. (2022), "Adaptive gradient methods at the edge of stability",
        arXiv:2207.14484; Lanczos (1950).
    """
    fn = _loss_and_grad(f)
    theta = np.asarray(params, dtype=np.float64)
    if theta.ndim == 0 or not np.all(np.isfinite(theta)):
        raise ValueError(f"params must be a finite array of shape (..., P), got params={params!r}")
    p_diag = np.asarray(precond, dtype=np.float64)
    try:
        p_diag = np.broadcast_to(p_diag, theta.shape)
    except ValueError:
        raise ValueError(
            f"precond must broadcast to the parameters' shape {theta.shape}, "
            f"got shape {p_diag.shape}"
        ) from None
    if not np.all(np.isfinite(p_diag)) or np.any(p_diag <= 0):
        raise ValueError(f"precond must be positive and finite, got precond={precond!r}")
    D = 1.0 / np.sqrt(p_diag)
    if step is None:
        scale = max(1.0, float(np.sqrt(np.mean(theta * theta))))
        step = _FD_STEP * scale / float(np.sqrt(np.mean(D * D)))
    else:
        step = check_positive("step", step)

    def scaled(phi: Array, data: Any) -> tuple[Array, Array]:
        loss, g = fn(theta + D * phi, data)
        return loss, D * g

    return top_hessian_eigenvalue(
        scaled, np.zeros_like(theta), batch, iters=iters, v0=v0, seed=seed, step=step
    )


class AdamSharpnessTrace(NamedTuple):
    """The result of :func:`adam_sharpness`. ``B`` is the batch shape of the runs.

    Attributes:
        losses: full-batch loss before each step, then after the last, ``(steps + 1, *B)``.
        steps: the steps at which the sharpness was measured, ``(n,)`` (from 1: the
            preconditioner exists after the first update).
        sharpness: preconditioned sharpness :math:`\\lambda_{\\max}(P^{-1}H)` there,
            ``(n, *B)``.
        threshold: :math:`(2+2\\beta_1)/((1-\\beta_1)\\eta)`, shape ``B``.
        params: final parameters, ``(*B, P)``.
        diverged: ``B``, True where the loss became non-finite (that run is frozen).
    """

    losses: Array
    steps: Array
    sharpness: Array
    threshold: Array
    params: Array
    diverged: Array


def adam_sharpness(
    f: Any,
    params: Any,
    batch: Any = None,
    *,
    lr: Any,
    steps: int,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    every: int = 10,
    iters: int = 20,
    seed: int = 0,
) -> AdamSharpnessTrace:
    r"""Full-batch Adam that measures its preconditioned sharpness every ``every`` steps.

    Runs ``lrbook.adam(lr, betas, eps)`` on the full-batch gradient and, at steps
    :math:`1, 1 + k, 1 + 2k, \dots` (and the last), computes
    :math:`\lambda_{\max}(P_t^{-1/2} H P_t^{-1/2})` with
    :math:`P_t = (1-\beta_1^t)\,\mathrm{diag}(\sqrt{\hat v_t}+\epsilon)` of the state
    after update :math:`t` (:func:`adam_preconditioner`, :func:`preconditioned_sharpness`,
    warm started from the previous eigenvector). With a frozen preconditioner Adam is
    stable only while

    .. math:: \lambda_{\max}(P^{-1}H) < \frac{2 + 2\beta_1}{(1-\beta_1)\,\eta},

    and on neural networks the measured value typically rises to this line and hovers
    at it (the adaptive edge of stability).

    Args:
        f: a model or a ``loss_and_grad`` function (or a Landscape, with ``batch=None``).
        params: initial parameters ``(P,)`` or ``(*B, P)``; not modified.
        batch: the whole training set ``(X, y)``.
        lr: :math:`\eta`, a float or an array of shape ``B`` (one run each; ``(P,)``
            params are broadcast to ``(*B, P)``).
        steps: number of Adam updates (>= 1).
        betas: :math:`(\beta_1, \beta_2)`.
        eps: :math:`\epsilon`.
        every: measure every this many steps.
        iters: Lanczos iterations per measurement.
        seed: seed of the first Lanczos start vector.

    Returns:
        An :class:`AdamSharpnessTrace`.

    Example:
        >>> import lrbook as lrb
        >>> f = lrb.quadratic((1.0, 100.0))
        >>> tr = adam_sharpness(f, [1.0, 1.0], lr=0.01, steps=3, every=2, iters=2)
        >>> tr.steps, round(float(tr.threshold), 6)
        (array([1, 3]), 3800.0)

    References:
        Cohen et al. (2022), "Adaptive gradient methods at the edge of stability",
        arXiv:2207.14484.
    """
    steps = check_int("steps", steps, minimum=1)
    every = check_int("every", every, minimum=1)
    lr_arr = _lr_array(lr)
    fn = _loss_and_grad(f)
    p0 = np.asarray(params, dtype=np.float64)
    if p0.ndim == 0 or not np.all(np.isfinite(p0)):
        raise ValueError(f"params must be a finite array of shape (..., P), got params={params!r}")
    shape = np.broadcast_shapes(lr_arr.shape, p0.shape[:-1])
    theta = np.broadcast_to(p0, shape + p0.shape[-1:]).copy()
    eta = np.broadcast_to(lr_arr, shape)
    opt = adam(lr=eta[..., None], betas=betas, eps=eps)
    state = opt.init(theta)
    marks = np.unique(np.r_[np.arange(1, steps + 1, every), steps])

    def measure(safe: Array, alive: Array, vec: Array | None) -> TopEigen:
        P = adam_preconditioner(state, betas, eps)
        P = np.where(alive[..., None], P, 1.0)
        return preconditioned_sharpness(f, safe, P, batch, iters=iters, v0=vec, seed=seed)

    def advance(t: int, theta: Array, g: Array, alive: Array) -> Array:
        nonlocal state
        keep = alive[..., None]
        u, new = opt.update(np.where(keep, g, 0.0), state, theta)
        state = new._replace(
            mu=np.where(keep, new.mu, state.mu), nu=np.where(keep, new.nu, state.nu)
        )
        return np.where(keep, theta + u, theta)

    losses, sharp, theta, alive, _ = _track_sharpness(
        lambda p: fn(p, batch), theta, p0, steps, marks, measure, advance
    )
    threshold = adam_stability_threshold(eta, float(betas[0]))
    return AdamSharpnessTrace(
        losses, marks, sharp, np.asarray(threshold)[()], theta[()], (~alive)[()]
    )
