r"""The learning-rate range test (LR finder) and fastai's four suggestion rules.

The range test (Smith, 2015/2017) trains for ``num_it`` steps while the learning rate
grows from ``start_lr`` to ``end_lr``, records the loss, and reads a good learning rate off
the curve. :func:`lr_find` follows fastai's ``Learner.lr_find`` step for step:

1. iteration :math:`i = 0, 1, \dots, \text{num\_it}-1` uses
   :math:`\eta_i = \eta_{start} (\eta_{end}/\eta_{start})^{i/\text{num\_it}}` (``"exp"``) or
   :math:`\eta_i = \eta_{start} + (\eta_{end}-\eta_{start})\, i/\text{num\_it}` (``"linear"``);
   the loss :math:`\ell_i` is that of the parameters *before* the step with :math:`\eta_i`;
2. the losses are smoothed by a debiased exponential moving average,
   :math:`a_i = \beta a_{i-1} + (1-\beta)\ell_i`, :math:`a_{-1} = 0`,
   :math:`s_i = a_i / (1 - \beta^{i+1})`;
3. the test stops after recording iteration :math:`i` when
   :math:`s_i > \text{diverge\_th}\cdot\min_{j\le i} s_j` (or when :math:`\ell_i` is not
   finite: fastai would carry on with NaN losses, there is nothing left to learn);
4. the suggestions are computed on the smoothed curve trimmed like fastai,
   ``[num_it // 10 : -5]`` and cut at its first NaN (:func:`trim_lr_curve`).

With ``track_sharpness=k`` the test also measures, every ``k`` iterations, the sharpness
:math:`\lambda_i` (the top Hessian eigenvalue, :func:`lrbook.top_hessian_eigenvalue`) at
the parameters it is standing on. Plain gradient descent on a quadratic is stable while
:math:`\eta\lambda < 2`; the loss of the range test blows up a few iterations after the
growing :math:`\eta_i` crosses :math:`2/\lambda_i`, the stability edge of the *current*
point, not that of the minimum training would reach.

How it differs from PyTorch Lightning's ``Tuner.lr_find`` (``min_lr=1e-8, max_lr=1.0,
num_training=100, mode="exponential", early_stop_threshold=4.0``): Lightning's
exponential sequence starts at ``min_lr`` and reaches ``max_lr`` itself at the last step,
while fastai's (and this) one stops one factor short of ``end_lr``; Lightning skips the
divergence check during the first steps; and it offers one suggestion only, the point of
steepest descent of the smoothed loss measured against the learning rate itself (a
``torch.gradient`` with the lrs as coordinates, after dropping the first 10 and last
point and any non-finite loss), whereas fastai's ``steep`` measures the slope against
:math:`\log\eta` on ``[num_it//10:-5]``, and fastai adds ``valley`` (its default),
``minimum`` and ``slide``. Both libraries save and restore the model around the test;
here ``params`` are never modified because nothing is done in place.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from ._checks import check_choice, check_int, check_interval, check_nonnegative, check_positive
from ._protocol import LossAndGrad, as_loss_and_grad
from .hessian import top_hessian_eigenvalue
from .optimizers import Optimizer, apply_updates, sgd

__all__ = [
    "LRFinderResult",
    "lr_find",
    "trim_lr_curve",
    "suggest_valley",
    "suggest_steep",
    "suggest_minimum",
    "suggest_slide",
]

Array = np.ndarray


# --------------------------------------------------------------------------------------
# suggestion rules (fastai's valley, steep, minimum and slide)


def _check_curve(lrs: Any, losses: Any, min_points: int, rule: str) -> tuple[Array, Array]:
    lrs, losses = np.asarray(lrs, dtype=float), np.asarray(losses, dtype=float)
    if lrs.ndim != 1 or lrs.shape != losses.shape:
        raise ValueError(
            f"lrs and losses must be 1-D of the same length, got lrs.shape={lrs.shape}, "
            f"losses.shape={losses.shape}"
        )
    if lrs.size < min_points:
        raise ValueError(
            f"{rule} needs at least {min_points} points, got len(losses)={losses.size}"
        )
    if not np.all(np.isfinite(lrs) & (lrs > 0)):
        raise ValueError(f"lrs must be finite and positive, got lrs={lrs!r}")
    if not np.all(np.isfinite(losses)):
        raise ValueError(
            f"losses must be finite (cut the curve first, see trim_lr_curve), got losses={losses!r}"
        )
    return lrs, losses


def suggest_valley(lrs: Any, losses: Any) -> float:
    r"""fastai's ``valley``: the lr 1/3 + 1/6 of the way into the longest valley.

    The valley is the longest strictly decreasing subsequence of the losses: with
    :math:`d_i = 1 + \max\{d_j : j < i,\ \ell_j > \ell_i\}` (1 if there is none), it ends
    at :math:`e`, the first index of :math:`\max_i d_i`, and starts at
    :math:`s = e - d_e` (:math:`s = 0` when :math:`e = 0`). With
    :math:`w = (e - s) / 3` the suggestion is ``lrs[s + int(w) + int(w / 2)]`` (a Python
    index: -1 wraps to the last point, as in fastai).

    Args:
        lrs: learning rates, increasing, shape ``(n,)`` with ``n >= 1``.
        losses: (smoothed) finite losses, shape ``(n,)``.

    Returns:
        The suggested learning rate.

    Example:
        >>> lrs = [1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0, 1000.0]
        >>> suggest_valley(lrs, [5.0, 4.0, 4.5, 3.0, 2.0, 1.0, 1.5, 9.0])  # e = 5, s = 0, idx = 1
        0.001

    References:
        fastai ``callback.schedule.valley`` (fastai pull request #3377, 2021).
    """
    lrs, losses = _check_curve(lrs, losses, 1, "valley")
    n = losses.size
    d = np.ones(n, dtype=int)
    for i in range(1, n):
        higher = losses[:i] > losses[i]
        if higher.any():
            d[i] = d[:i][higher].max() + 1
    e = int(np.argmax(d))
    s = e - int(d[e]) if e > 0 else 0
    w = (e - s) / 3
    return float(lrs[s + int(w) + int(w / 2)])


def suggest_steep(lrs: Any, losses: Any) -> float:
    r"""fastai's ``steep``: the lr where the loss falls fastest against :math:`\log\eta`.

    With slopes :math:`g_k = (\ell_{k+1} - \ell_k) / (\log\eta_{k+1} - \log\eta_k)`, the
    suggestion is :math:`\eta_{k^*}` for the first :math:`k^* = \arg\min_k g_k` (the left
    end of the steepest segment).

    Args:
        lrs: learning rates, strictly increasing, shape ``(n,)`` with ``n >= 2``.
        losses: finite losses, shape ``(n,)``.

    Returns:
        The suggested learning rate.

    Example:
        >>> suggest_steep([1e-3, 1e-2, 1e-1, 1.0], [5.0, 4.5, 2.0, 1.9])
        0.01

    References:
        fastai ``callback.schedule.steep``; Smith (2017), Cyclical learning rates.
    """
    lrs, losses = _check_curve(lrs, losses, 2, "steep")
    g = np.diff(losses) / np.diff(np.log(lrs))
    return float(lrs[np.argmin(g)])


def suggest_minimum(lrs: Any, losses: Any) -> float:
    r"""fastai's ``minimum``: a tenth of the lr at the lowest loss, :math:`\eta_{\arg\min\ell}/10`.

    Args:
        lrs: learning rates, shape ``(n,)`` with ``n >= 1``.
        losses: finite losses, shape ``(n,)``.

    Returns:
        The suggested learning rate.

    Example:
        >>> suggest_minimum([1e-3, 1e-2, 1e-1, 1.0], [5.0, 4.0, 3.0, 8.0])
        0.01

    References:
        fastai ``callback.schedule.minimum``; Howard & Gugger (2020), Deep Learning for
        Coders, ch. 5.
    """
    lrs, losses = _check_curve(lrs, losses, 1, "minimum")
    return float(lrs[np.argmin(losses)] / 10.0)


def suggest_slide(
    lrs: Any, losses: Any, lr_diff: int = 15, thresh: float = 0.005, adjust_value: float = 1.0
) -> float:
    r"""fastai's ``slide``: walk a window of width ``lr_diff`` left until the slope flattens.

    With :math:`g` = ``np.gradient(losses)`` (slopes per index), compare
    :math:`g_r` and :math:`g_{r - \text{lr\_diff}}` for :math:`r = n-1, n-2, \dots`, and
    stop at the first window where :math:`|g_r - g_{r-\text{lr\_diff}}| \le` ``thresh``
    (or when the left end would leave the curve). The suggestion is ``adjust_value``
    times the lr at the left end of the last window that did not stop, or of the first
    window if that one already stops.

    Args:
        lrs: learning rates, shape ``(n,)`` with ``n >= lr_diff + 1``.
        losses: finite losses, shape ``(n,)``.
        lr_diff: width of the window in points, at least 1.
        thresh: largest slope difference counted as flat, non-negative.
        adjust_value: factor applied to the suggestion, positive.

    Returns:
        The suggested learning rate.

    Example:
        >>> lrs = [10.0 ** (k / 4 - 4) for k in range(20)]
        >>> losses = [1.0] * 15 + [2.0, 4.0, 8.0, 16.0, 32.0]   # flat, then a blow-up
        >>> round(suggest_slide(lrs, losses, lr_diff=5), 6)    # lrs[9] = 10 ** -1.75
        0.017783

    References:
        fastai ``callback.schedule.slide`` (fastai pull request #3377, 2021).
    """
    lr_diff = check_int("lr_diff", lr_diff, minimum=1)
    thresh = check_nonnegative("thresh", thresh)
    adjust_value = check_positive("adjust_value", adjust_value)
    lrs, losses = _check_curve(lrs, losses, max(lr_diff + 1, 2), "slide")
    n = losses.size
    g = np.gradient(losses)
    right = np.arange(n - 1, lr_diff - 1, -1)
    left = right - lr_diff
    flat = np.abs(g[right] - g[left]) <= thresh
    k = int(np.argmax(flat)) if flat.any() else left.size
    return float(lrs[left[max(k - 1, 0)]] * adjust_value)


_RULES: dict[str, tuple[Callable[[Any, Any], float], int]] = {
    "valley": (suggest_valley, 1),
    "steep": (suggest_steep, 2),
    "minimum": (suggest_minimum, 1),
    "slide": (suggest_slide, 16),
}


def trim_lr_curve(lrs: Any, losses: Any, num_it: int) -> tuple[Array, Array]:
    """fastai's trimming before suggesting: ``[num_it // 10 : -5]``, then cut at the first NaN.

    The first tenth of the planned iterations (too small an lr to tell anything) and the
    last five recorded points (the blow-up that stopped the test) are dropped, and the
    curve ends before its first non-finite loss (fastai cuts at NaN; an infinite loss is
    cut too, since no rule can use it).

    Args:
        lrs: recorded learning rates, shape ``(n,)``.
        losses: recorded (smoothed) losses, shape ``(n,)``.
        num_it: the planned number of iterations of the test.

    Returns:
        The trimmed ``(lrs, losses)``, possibly empty.

    Example:
        >>> import numpy as np
        >>> losses = np.r_[np.ones(12), np.nan, np.ones(7)]
        >>> lrs, losses = trim_lr_curve(np.arange(1.0, 21.0), losses, num_it=20)
        >>> lrs.tolist()
        [3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0]
    """
    num_it = check_int("num_it", num_it, minimum=1)
    lrs, losses = np.asarray(lrs, dtype=float), np.asarray(losses, dtype=float)
    lrs, losses = lrs[num_it // 10 : -5], losses[num_it // 10 : -5]
    bad = np.flatnonzero(~np.isfinite(losses))
    stop = bad[0] if bad.size else losses.size
    return lrs[:stop], losses[:stop]


# --------------------------------------------------------------------------------------
# the range test


@dataclass(frozen=True)
class LRFinderResult:
    """The record of an LR range test.

    Attributes:
        lrs: learning rate of each iteration run, shape ``(n,)``, ``n <= num_it``.
        losses: loss at each iteration (before its step), shape ``(n,)``.
        smoothed: debiased EMA of the losses, shape ``(n,)``.
        suggestions: ``{"valley", "steep", "minimum", "slide"} -> lr`` computed on the
            trimmed smoothed curve (NaN when it is too short for a rule).
        num_it: the planned number of iterations.
        step_mode: ``"exp"`` or ``"linear"``.
        stopped_early: True if the divergence test (or a non-finite loss) ended the run.
        diverged: the same as ``stopped_early``, under the name every loop uses.
        diverged_step: the iteration whose (smoothed) loss failed the divergence test,
            the last one recorded, ``n - 1``; -1 if the test ran to the end
            (see :mod:`lrbook`).
        sharpness_steps: iterations at which the sharpness was measured (with
            ``track_sharpness``; empty otherwise), shape ``(m,)``.
        sharpness: the top Hessian eigenvalue :math:`\\lambda_i` at the parameters of
            those iterations (before their step), shape ``(m,)``.
    """

    lrs: Array
    losses: Array
    smoothed: Array
    suggestions: dict[str, float] = field(default_factory=dict)
    num_it: int = 100
    step_mode: str = "exp"
    stopped_early: bool = False
    diverged_step: int = -1
    sharpness_steps: Array = field(default_factory=lambda: np.zeros(0, dtype=int))
    sharpness: Array = field(default_factory=lambda: np.zeros(0))

    @property
    def diverged(self) -> bool:
        """True if the divergence test ended the run (``diverged_step >= 0``)."""
        return self.diverged_step >= 0

    #: The drawing function behind :meth:`plot`, set by :mod:`lrbook.plotting` when it is
    #: imported (the numpy core draws nothing and never imports the figure modules).
    plotter: ClassVar[Callable[..., Any] | None] = None

    def plot(self, ax: Any = None, skip_end: int = 5) -> Any:
        """Plot loss against lr (log x) with the suggestions marked and labelled.

        Draws with :func:`lrbook.plotting.plot_lr_finder` (the book's Korean figure style):
        raw losses thin, the smoothed curve bold, one marker per suggestion. As in fastai the
        last ``skip_end`` points are left out. Needs ``import lrbook.plotting`` first (it
        registers the drawing function; the numpy core never imports matplotlib).

        Args:
            ax: a matplotlib Axes to draw on (a new figure if None).
            skip_end: number of final points not drawn.

        Returns:
            The Axes.

        Raises:
            RuntimeError: if :mod:`lrbook.plotting` has not been imported.
        """
        skip_end = check_int("skip_end", skip_end, minimum=0)
        if LRFinderResult.plotter is None:
            raise RuntimeError(
                "LRFinderResult.plot draws with lrbook.plotting: run `import lrbook.plotting` "
                "first (it needs matplotlib: pip install 'lrbook[plots]')"
            )
        fig = LRFinderResult.plotter(self, ax, skip_end)
        return ax if ax is not None else fig.axes[0]


def _batch_source(batches: Any) -> Callable[[int], Any]:
    if batches is None:
        return lambda i: None
    if callable(batches):
        return batches
    if not isinstance(batches, Iterable):
        raise TypeError(f"batches must be None, a callable or an iterable, got batches={batches!r}")
    iterator = iter(batches)

    def next_batch(i: int) -> Any:
        nonlocal iterator
        try:
            return next(iterator)
        except StopIteration:
            iterator = iter(batches)  # a new epoch, as fastai runs as many as needed
            try:
                return next(iterator)
            except StopIteration:
                raise ValueError(
                    f"batches ran out after {i} iterations; pass a re-iterable collection, "
                    f"a callable i -> batch, or an endless stream, got batches={batches!r}"
                ) from None

    return next_batch


def lr_find(
    loss_and_grad: LossAndGrad,
    params: Any,
    optimizer: Callable[..., Optimizer] = sgd,
    start_lr: float = 1e-7,
    end_lr: float = 10.0,
    num_it: int = 100,
    step_mode: str = "exp",
    beta: float = 0.98,
    diverge_th: float | None = 4.0,
    batches: Any = None,
    track_sharpness: int | None = None,
    sharpness_batch: Any = None,
) -> LRFinderResult:
    r"""Run the LR range test from ``params`` and suggest learning rates (fastai's rules).

    The procedure (lr sequence, smoothing, stopping, trimming) is given in the module
    docstring:
    :math:`\eta_i = \eta_{start}(\eta_{end}/\eta_{start})^{i/\text{num\_it}}`,
    :math:`s_i = a_i/(1-\beta^{i+1})` with :math:`a_i = \beta a_{i-1} + (1-\beta)\ell_i`,
    stop when :math:`s_i > \text{diverge\_th}\cdot\min_{j \le i} s_j`.

    Args:
        loss_and_grad: ``(params, batch) -> (loss, grads)`` with a scalar loss, or a
            Landscape or a model that provides it (see :mod:`lrbook`).
        params: starting parameters ``(P,)``; never modified.
        optimizer: factory called as ``optimizer(lr=schedule)``, e.g. :func:`lrbook.sgd`,
            :func:`lrbook.adam` or a ``functools.partial`` of one (not a ready
            :class:`~lrbook.Optimizer`: the test sets the lr itself).
        start_lr: first learning rate, positive.
        end_lr: the learning rate the sweep heads for, above ``start_lr``.
        num_it: number of iterations, at least 1.
        step_mode: ``"exp"`` (geometric) or ``"linear"`` spacing.
        beta: EMA factor of the smoothing, in ``[0, 1)`` (0: no smoothing).
        diverge_th: stop when the smoothed loss exceeds this multiple (at least 1) of its
            best value; None never stops early (Lightning's ``early_stop_threshold=None``).
        batches: the batch of each iteration: None (``loss_and_grad(params, None)``
            every time, for full-batch or closed-form losses), a callable ``i -> batch``,
            or an iterable of batches (iterated again when exhausted, like fastai's
            epochs; see :func:`lrbook.batch_stream`).
        track_sharpness: measure the sharpness every this many iterations (at
            iterations 0, k, 2k, ... and at the last one recorded), at least 1; None
            (default) measures nothing. Each measurement is 20 Lanczos iterations of
            :func:`lrbook.top_hessian_eigenvalue`, warm-started from the previous
            eigenvector, each costing two gradients.
        sharpness_batch: the batch the sharpness is measured on (e.g. a fixed part of the
            training set); None measures it on the iteration's own minibatch.

    Returns:
        An :class:`LRFinderResult`.

    Example:
        >>> import numpy as np
        >>> H = np.array([1.0, 10.0])      # 0.5 (x - xi)^T diag(H) (x - xi), lambda_max = 10
        >>> f = lambda x, xi: (0.5 * np.sum(H * (x - xi) ** 2), H * (x - xi))
        >>> noise = 0.1 * np.random.default_rng(0).standard_normal((100, 2))
        >>> res = lr_find(f, np.ones(2), batches=noise)
        >>> res.stopped_early, bool(2 / 10 < res.lrs[-1] < 1.0)   # stopped past 2 / lambda_max
        (True, True)
        >>> {name: round(lr, 4) for name, lr in res.suggestions.items()}
        {'valley': 0.0063, 'steep': 0.0158, 'minimum': 0.0209, 'slide': 0.0132}
        >>> sharp = lr_find(f, np.ones(2), batches=noise, track_sharpness=10)
        >>> np.round(sharp.sharpness, 6).tolist()[:3]      # lambda_max of diag(1, 10)
        [10.0, 10.0, 10.0]

    References:
        Smith (2017), Cyclical learning rates for training neural networks (WACV);
        Smith (2018), A disciplined approach to neural network hyper-parameters;
        fastai ``Learner.lr_find`` and ``LRFinder``.
    """
    start_lr = check_positive("start_lr", start_lr)
    end_lr = check_positive("end_lr", end_lr)
    if start_lr >= end_lr:
        raise ValueError(
            f"start_lr must be below end_lr, got start_lr={start_lr!r}, end_lr={end_lr!r}"
        )
    num_it = check_int("num_it", num_it, minimum=1)
    step_mode = check_choice("step_mode", step_mode, ("exp", "linear"))
    beta = check_interval("beta", beta, 0.0, 1.0, closed="left")
    if diverge_th is not None:
        diverge_th = check_interval("diverge_th", diverge_th, 1.0, math.inf, closed="left")
    loss_and_grad = as_loss_and_grad(loss_and_grad, "loss_and_grad")
    if isinstance(optimizer, Optimizer):
        raise TypeError(
            "optimizer must be a factory called with lr=, such as lrb.sgd, got a ready "
            f"Optimizer: pass the factory (functools.partial for other arguments), "
            f"got optimizer={optimizer!r}"
        )
    if not callable(optimizer):
        raise TypeError(f"optimizer must be a factory called with lr=, got optimizer={optimizer!r}")
    if track_sharpness is not None:
        track_sharpness = check_int("track_sharpness", track_sharpness, minimum=1)

    def lr_at(i: Any) -> Any:
        if step_mode == "exp":
            return start_lr * (end_lr / start_lr) ** (i / num_it)
        return start_lr + (end_lr - start_lr) * (i / num_it)

    next_batch = _batch_source(batches)
    opt = optimizer(lr=lr_at)
    params = np.array(params, dtype=float)
    state = opt.init(params)
    lrs, losses, smoothed = [], [], []
    avg, best, stopped_at = 0.0, math.inf, -1
    sharp_steps: list[int] = []
    sharp: list[float] = []
    vector = None

    def measure(i: int, batch: Any) -> None:
        nonlocal vector
        if not np.all(np.isfinite(params)):
            return
        on = batch if sharpness_batch is None else sharpness_batch
        top = top_hessian_eigenvalue(loss_and_grad, params, on, v0=vector)
        vector = top.vector
        sharp_steps.append(i)
        sharp.append(float(top.value))

    with np.errstate(all="ignore"):
        for i in range(num_it):
            batch = next_batch(i)
            loss, grads = loss_and_grad(params, batch)
            if np.ndim(loss) != 0:
                raise ValueError(
                    f"loss_and_grad must return a scalar loss, got np.shape(loss)={np.shape(loss)}"
                )
            loss = float(loss)
            # 1) record lr and loss, 2) debiased EMA, 3) divergence test, 4) step
            lrs.append(float(lr_at(i)))
            losses.append(loss)
            avg = beta * avg + (1.0 - beta) * loss
            s = avg / (1.0 - beta ** (i + 1))
            smoothed.append(s)
            best = min(best, s)
            stop = not math.isfinite(loss) or (diverge_th is not None and s > diverge_th * best)
            if track_sharpness is not None and (
                i % track_sharpness == 0 or stop or i == num_it - 1
            ):
                measure(i, batch)
            if stop:
                stopped_at = i
                break
            updates, state = opt.update(grads, state, params)
            params = apply_updates(params, updates)
    lrs_a, losses_a, smoothed_a = np.array(lrs), np.array(losses), np.array(smoothed)
    t_lrs, t_smoothed = trim_lr_curve(lrs_a, smoothed_a, num_it)
    suggestions = {
        name: rule(t_lrs, t_smoothed) if t_lrs.size >= min_points else math.nan
        for name, (rule, min_points) in _RULES.items()
    }
    return LRFinderResult(
        lrs=lrs_a,
        losses=losses_a,
        smoothed=smoothed_a,
        suggestions=suggestions,
        num_it=num_it,
        step_mode=step_mode,
        stopped_early=stopped_at >= 0,
        diverged_step=stopped_at,
        sharpness_steps=np.array(sharp_steps, dtype=int),
        sharpness=np.array(sharp),
    )
