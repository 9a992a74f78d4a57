"""Measurements on optimization runs: steps to a tolerance, power-law slopes, GD regimes.

These functions read the arrays a run produces (``traj.losses``, ``traj.params``) and
turn them into the numbers the book quotes::

    traj = lrb.run(lrb.sgd(lr=lrs[:, None]), f, x0, steps)     # a sweep over K lrs
    n = lrb.steps_to_tolerance(traj.losses, tol=1e-6)          # (K,) first step below tol
    fit = lrb.loglog_slope(lrs, n)                             # n ~ prefactor * lr**slope
    lrb.classify_regime(traj.params, traj.losses, traj.diverged)   # "monotone" / ... per run

Time is the leading axis of every input; the remaining axes are batches of independent
runs and are kept in the outputs.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import check_positive, check_real

__all__ = [
    "REGIMES",
    "PowerLawFit",
    "steps_to_tolerance",
    "loglog_slope",
    "classify_regime",
]

Array = np.ndarray

REGIMES = ("monotone", "oscillating", "divergent")
"""The three behaviours of a gradient-descent run, in the order of growing step size."""


def _as_time_series(name: str, value, min_ndim: int = 1) -> Array:
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim < min_ndim or arr.shape[0] < 2:
        raise ValueError(
            f"{name} must have a leading time axis of length >= 2 "
            f"(and at least {min_ndim} axes), got {name} of shape {arr.shape}"
        )
    return arr


def steps_to_tolerance(losses: Array, tol: float) -> Array:
    r"""Return the first step at which the loss is at most ``tol``, per run.

    Args:
        losses: array of shape ``(steps + 1, *batch)``; ``losses[t]`` is the loss after
            ``t`` updates (``losses[0]`` is the initial loss), e.g. ``traj.losses``.
        tol: positive tolerance.

    Returns:
        An int array of shape ``batch`` (a Python ``int`` for a single run) holding
        :math:`\min\{t : J(\theta_t) \le \text{tol}\}`, or ``-1`` where the loss never
        reaches ``tol`` (non-finite losses never count as reached).

    For gradient descent on :math:`J(x) = \tfrac{\lambda}{2}x^2` the loss is
    :math:`J_t = (1-\eta\lambda)^{2t} J_0`, so the answer is

    .. math::

        t^\star = \left\lceil \frac{\ln(\text{tol} / J_0)}{2 \ln|1 - \eta\lambda|} \right\rceil
        \approx \frac{\ln(J_0 / \text{tol})}{2\eta\lambda} \quad (\eta\lambda \ll 1).

    Example:
        >>> import numpy as np
        >>> steps_to_tolerance(np.array([1.0, 0.5, 0.25, 0.125]), tol=0.3)
        2
        >>> steps_to_tolerance(np.array([[1.0, 1.0], [0.1, 2.0]]), tol=0.5)
        array([ 1, -1])

    References:
        Nesterov (2004), *Introductory Lectures on Convex Optimization*, sec. 1.2.3.
    """
    losses = _as_time_series("losses", losses)
    tol = check_positive("tol", tol)
    reached = np.isfinite(losses) & (losses <= tol)
    first = np.where(reached.any(axis=0), reached.argmax(axis=0), -1)
    return int(first) if first.ndim == 0 else first


class PowerLawFit(NamedTuple):
    """A least-squares line on log-log axes: ``y ~ prefactor * x ** slope``."""

    slope: float
    prefactor: float

    def __call__(self, x):
        """Evaluate the fitted power law at ``x``."""
        return self.prefactor * np.asarray(x, dtype=np.float64) ** self.slope


def loglog_slope(x: Array, y: Array) -> PowerLawFit:
    r"""Fit :math:`y \approx c\,x^{p}` by least squares on :math:`(\ln x, \ln y)`.

    Args:
        x: positive values, shape ``(n,)`` with ``n >= 2`` and at least two distinct values.
        y: positive values, same shape as ``x``.

    Returns:
        A :class:`PowerLawFit` ``(slope, prefactor)``, the slope :math:`p` and the
        prefactor :math:`c` of the line

        .. math:: \ln y = p \ln x + \ln c

        that minimises the squared residuals in log space. Call it to evaluate the fit.

    Example:
        >>> fit = loglog_slope([1.0, 10.0, 100.0], [5.0, 0.5, 0.05])
        >>> round(fit.slope, 6), round(fit.prefactor, 6)
        (-1.0, 5.0)

    References:
        Any least-squares text, e.g. Nocedal & Wright (2006), *Numerical Optimization*,
        ch. 10.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape or x.size < 2:
        raise ValueError(
            f"x and y must be 1-D of the same length >= 2, got x.shape={x.shape}, y.shape={y.shape}"
        )
    if not (np.all(np.isfinite(x)) and np.all(x > 0)):
        raise ValueError(f"every x must be finite and positive, got x={x!r}")
    if not (np.all(np.isfinite(y)) and np.all(y > 0)):
        raise ValueError(f"every y must be finite and positive, got y={y!r}")
    if np.ptp(x) == 0:
        raise ValueError(f"x needs at least two distinct values, got x={x!r}")
    slope, intercept = np.polyfit(np.log(x), np.log(y), deg=1)
    return PowerLawFit(float(slope), float(np.exp(intercept)))


def classify_regime(
    params: Array, losses: Array, diverged: Array | None = None, rtol: float = 1e-9
) -> Array:
    r"""Label each gradient-descent run ``"monotone"``, ``"oscillating"`` or ``"divergent"``.

    Args:
        params: iterates of shape ``(steps + 1, *batch, d)``, e.g. ``traj.params``.
        losses: losses of shape ``(steps + 1, *batch)``, e.g. ``traj.losses``.
        diverged: optional bool flags of shape ``batch``, e.g. ``traj.diverged``: a flagged
            run is divergent whatever its losses say (``lrb.run`` freezes a diverged run at
            its last finite point, which may lie below the start).
        rtol: steps shorter than ``rtol`` times the run's longest step are round-off and
            are ignored when looking for reversals.

    Returns:
        An array of strings of shape ``batch`` (a Python ``str`` for a single run):

        * ``"divergent"`` if the run is flagged, a loss is non-finite or the last loss is
          not below the first;
        * otherwise ``"oscillating"`` if some step reverses the previous one,
          :math:`\langle \Delta_t, \Delta_{t+1} \rangle < 0` with
          :math:`\Delta_t = \theta_{t+1} - \theta_t` (the iterate overshoots);
        * otherwise ``"monotone"``.

    On a quadratic with Hessian eigenvalues :math:`\lambda_i`, gradient descent multiplies
    each eigen-component of the error by :math:`1 - \eta\lambda_i` per step. In one
    dimension the label is therefore exactly ``"monotone"`` for :math:`\eta < 1/\lambda`,
    ``"oscillating"`` for :math:`1/\lambda < \eta < 2/\lambda` and ``"divergent"`` for
    :math:`\eta \ge 2/\lambda`. The boundary :math:`\eta = 2/\lambda` is labelled
    ``"divergent"`` on purpose: the factor is :math:`-1`, the iterate bounces between
    :math:`\pm\theta_0` forever and the loss never goes below its start, so the run does not
    converge; "divergent" here means "does not converge", and ``"oscillating"`` is kept for
    runs that converge while they zigzag. In several dimensions the thresholds use
    :math:`\lambda_{\max}`: below :math:`1/\lambda_{\max}` every factor is positive and no
    step ever reverses, above :math:`2/\lambda_{\max}` the run diverges (from a start with a
    component along the top eigenvector), and in between the path zigzags as soon as the
    top eigen-component of the step dominates the others.

    Example:
        >>> import numpy as np
        >>> t = np.arange(6)[:, None]
        >>> x = np.stack([0.5 ** t, (-0.5) ** t, (-1.5) ** t], axis=1)  # (6, 3, 1)
        >>> classify_regime(x, 0.5 * x[..., 0] ** 2)
        array(['monotone', 'oscillating', 'divergent'], dtype='<U11')

    References:
        Goodfellow, Bengio & Courville (2016), *Deep Learning*, sec. 4.3 and 8.2.
    """
    params = _as_time_series("params", params, min_ndim=2)
    losses = _as_time_series("losses", losses)
    if params.shape[:-1] != losses.shape:
        raise ValueError(
            "params must have shape (steps + 1, *batch, d) and losses (steps + 1, *batch), "
            f"got params.shape={params.shape}, losses.shape={losses.shape}"
        )
    rtol = check_real("rtol", rtol)
    if rtol < 0:
        raise ValueError(f"rtol must be non-negative, got rtol={rtol!r}")

    finite = np.all(np.isfinite(losses), axis=0) & np.all(np.isfinite(params), axis=(0, -1))
    with np.errstate(invalid="ignore", over="ignore"):
        divergent = ~finite | ~(losses[-1] < losses[0])
        if diverged is not None:
            divergent = divergent | np.broadcast_to(
                np.asarray(diverged, dtype=bool), divergent.shape
            )
        steps = np.diff(params, axis=0)
        norms = np.linalg.norm(steps, axis=-1)
        floor = rtol * np.max(np.where(np.isfinite(norms), norms, 0.0), axis=0)
        real = (norms[:-1] > floor) & (norms[1:] > floor)
        dots = np.sum(steps[:-1] * steps[1:], axis=-1)
        oscillating = np.any(real & (dots < 0), axis=0)
    labels = np.where(divergent, REGIMES[2], np.where(oscillating, REGIMES[1], REGIMES[0]))
    return str(labels) if labels.ndim == 0 else labels
