"""Learning-rate schedules: pure functions ``step -> lr``.

The one stateful schedule, ReduceLROnPlateau, lives in :mod:`lrbook.plateau`.

Every factory checks its arguments and returns a :class:`Schedule`, a small frozen
object whose call is the formula of the factory's docstring. A schedule keeps no
state: the same step always gives the same lr, and ``schedule(np.arange(T))`` draws
the whole curve at once. Its ``repr`` shows the arguments (handy for plot legends)
and ``schedule.params`` holds them.

Steps count updates from 0: ``schedule(0)`` is the lr of the first update. A step is
an int (the result is a float) or an array of integers (the result is an array of the
same shape); negative or fractional steps raise ``ValueError``.

The torch-named schedules give, at step ``t``, the lr that the PyTorch scheduler of
the same name reports (``get_last_lr()``) after ``t`` calls of ``scheduler.step()``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral
from types import MappingProxyType
from typing import Any

import numpy as np

from ._checks import (
    check_choice,
    check_int,
    check_interval,
    check_nonnegative,
    check_positive,
    check_real,
)

__all__ = [
    "Schedule",
    "constant_schedule",
    "step_decay",
    "multistep_decay",
    "exponential_decay",
    "cosine_annealing",
    "cosine_warm_restarts",
    "linear_warmup",
    "warmup_cosine",
    "one_cycle",
    "cyclic",
    "inverse_sqrt",
    "join_schedules",
]

Steps = int | np.integer | np.ndarray
LR = float | np.ndarray
Formula = Callable[[np.ndarray], np.ndarray]


def _as_steps(step: Any) -> tuple[np.ndarray, bool]:
    """Check ``step`` and return it as an int64 array, plus whether it was a scalar.

    Integer-valued floats (``3.0``) are accepted; fractions, negatives, bools and
    non-numbers are not.
    """
    scalar = np.ndim(step) == 0 and not isinstance(step, np.ndarray)
    if isinstance(step, bool | np.bool_):
        raise TypeError(f"step must be an integer or an integer array, got step={step!r}")
    try:
        t = np.asarray(step)
    except (TypeError, ValueError) as err:
        raise TypeError(f"step must be an integer or an integer array, got step={step!r}") from err
    if t.dtype.kind not in "iuf":
        raise TypeError(f"step must be an integer or an integer array, got step={step!r}")
    if t.dtype.kind == "f" and np.any(bad := ~np.isfinite(t) | (t != np.floor(t))):
        raise ValueError(f"step must be a whole number, got step={t[bad].ravel()[0].item()!r}")
    if np.any(bad := t < 0):
        raise ValueError(f"step must be non-negative, got step={t[bad].ravel()[0].item()!r}")
    return t.astype(np.int64), scalar


@dataclass(frozen=True, eq=False, repr=False)
class Schedule:
    """A pure learning-rate schedule ``step -> lr`` that remembers its arguments.

    Args:
        name: the factory that built it, e.g. ``"step_decay"``.
        params: the factory's arguments (read-only), shown by ``repr``.
        formula: maps a checked int64 step array to the float lr array of the same shape.

    Calling it checks the step (non-negative integer, or an array of them) and returns
    a float for a scalar step, an ndarray for an array of steps.
    """

    name: str
    params: Mapping[str, Any]
    formula: Formula

    def __call__(self, step: Steps) -> LR:
        t, scalar = _as_steps(step)
        with np.errstate(over="ignore"):  # a growth schedule may reach inf, as in PyTorch
            lr = np.broadcast_to(np.asarray(self.formula(t), dtype=float), t.shape)
        return float(lr) if scalar else lr.copy()

    def __repr__(self) -> str:
        args = ", ".join(f"{key}={value!r}" for key, value in self.params.items())
        return f"{self.name}({args})"


def _schedule(name: str, formula: Formula, **params: Any) -> Schedule:
    return Schedule(name, MappingProxyType(params), formula)


def _check_sorted_ints(name: str, values: Any, *, sort: bool = False) -> tuple[int, ...]:
    """A non-decreasing sequence of non-negative integers (repeats allowed); with
    ``sort=True`` any order is accepted and the sorted tuple returned."""
    try:
        items = tuple(values)
    except TypeError:
        items = None
    if items is None or not all(
        isinstance(v, Integral) and not isinstance(v, bool) and v >= 0 for v in items
    ):
        raise ValueError(
            f"{name} must be a sequence of non-negative integers, got {name}={values!r}"
        )
    items = tuple(sorted(int(v) for v in items)) if sort else tuple(int(v) for v in items)
    if any(b < a for a, b in zip(items, items[1:], strict=False)):
        raise ValueError(f"{name} must be sorted in non-decreasing order, got {name}={values!r}")
    return items


def constant_schedule(lr: float) -> Schedule:
    r"""The same learning rate at every step.

    .. math:: \eta_t = \eta

    Args:
        lr: the learning rate :math:`\eta`, non-negative.

    Returns:
        A :class:`Schedule`.

    Example:
        >>> sched = constant_schedule(0.1)
        >>> sched(0), sched(1000)
        (0.1, 0.1)

    References:
        optax ``constant_schedule``; PyTorch with no scheduler.
    """
    lr = check_nonnegative("lr", lr)
    return _schedule("constant_schedule", lambda t: np.full(t.shape, lr), lr=lr)


def step_decay(lr: float, step_size: int, gamma: float = 0.1) -> Schedule:
    r"""Multiply the learning rate by ``gamma`` every ``step_size`` steps.

    .. math:: \eta_t = \eta \, \gamma^{\lfloor t / s \rfloor}

    Args:
        lr: the initial learning rate :math:`\eta`, non-negative.
        step_size: the period :math:`s` of the decay, a positive integer.
        gamma: the factor :math:`\gamma \ge 0`; :math:`\gamma > 1` grows the learning
            rate (PyTorch accepts it too). A negative factor is rejected: it would make
            every other learning rate negative, a step uphill.

    Returns:
        A :class:`Schedule`.

    Example:
        >>> sched = step_decay(1.0, step_size=2, gamma=0.5)
        >>> sched(np.arange(6)).tolist()
        [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
        >>> step_decay(1.0, step_size=2, gamma=3.0)(np.arange(6)).tolist()
        [1.0, 1.0, 3.0, 3.0, 9.0, 9.0]

    References:
        PyTorch ``torch.optim.lr_scheduler.StepLR`` (its closed form
        ``lr * gamma ** (t // step_size)``). A growing lr that overflows is ``inf``.
    """
    lr = check_nonnegative("lr", lr)
    step_size = check_int("step_size", step_size, minimum=1)
    gamma = check_nonnegative("gamma", gamma)

    def formula(t: np.ndarray) -> np.ndarray:
        return lr * gamma ** (t // step_size)

    return _schedule("step_decay", formula, lr=lr, step_size=step_size, gamma=gamma)


def multistep_decay(lr: float, milestones: Sequence[int], gamma: float = 0.1) -> Schedule:
    r"""Multiply the learning rate by ``gamma`` at each milestone step.

    .. math:: \eta_t = \eta \, \gamma^{\#\{i \,:\, m_i \le t\}}

    As in PyTorch, which counts the milestones with a ``collections.Counter``, the
    order of ``milestones`` does not matter and a milestone listed :math:`k` times
    multiplies the learning rate by :math:`\gamma^k` there. The schedule keeps the
    milestones sorted.

    Args:
        lr: the initial learning rate :math:`\eta`, non-negative.
        milestones: the steps :math:`m_i` at which the decay happens, non-negative
            integers in any order, repeats allowed.
        gamma: the factor :math:`\gamma \ge 0`; :math:`\gamma > 1` grows the learning
            rate (PyTorch accepts it too). A negative factor is rejected: it would make
            the learning rate negative, a step uphill.

    Returns:
        A :class:`Schedule`.

    Example:
        >>> sched = multistep_decay(1.0, milestones=[4, 2, 4], gamma=0.5)
        >>> sched(np.arange(6)).tolist()
        [1.0, 1.0, 0.5, 0.5, 0.125, 0.125]
        >>> sched
        multistep_decay(lr=1.0, milestones=(2, 4, 4), gamma=0.5)

    References:
        PyTorch ``torch.optim.lr_scheduler.MultiStepLR`` (its closed form
        ``lr * gamma ** bisect_right(sorted(milestones), t)``).
    """
    lr = check_nonnegative("lr", lr)
    milestones = _check_sorted_ints("milestones", milestones, sort=True)
    gamma = check_nonnegative("gamma", gamma)
    m = np.asarray(milestones, dtype=np.int64)

    def formula(t: np.ndarray) -> np.ndarray:
        passed = np.searchsorted(m, t, side="right")
        return lr * gamma**passed

    return _schedule("multistep_decay", formula, lr=lr, milestones=milestones, gamma=gamma)


def exponential_decay(lr: float, decay_rate: float) -> Schedule:
    r"""Continuous exponential decay.

    .. math:: \eta_t = \eta \, e^{-k t}

    Args:
        lr: the initial learning rate :math:`\eta`, non-negative.
        decay_rate: the rate :math:`k` per step, any finite real number: :math:`k < 0`
            grows the learning rate geometrically, as an LR range test does
            (PyTorch ``ExponentialLR`` with ``gamma > 1``).

    Returns:
        A :class:`Schedule`.

    Example:
        >>> import math
        >>> sched = exponential_decay(1.0, decay_rate=math.log(2))
        >>> np.round(sched(np.arange(4)), 12).tolist()
        [1.0, 0.5, 0.25, 0.125]
        >>> np.round(exponential_decay(1e-3, decay_rate=-math.log(10))(np.arange(4)), 12).tolist()
        [0.001, 0.01, 0.1, 1.0]

    References:
        PyTorch ``torch.optim.lr_scheduler.ExponentialLR`` with
        ``gamma = exp(-decay_rate)``.
    """
    lr = check_nonnegative("lr", lr)
    decay_rate = check_real("decay_rate", decay_rate)

    def formula(t: np.ndarray) -> np.ndarray:
        return lr * np.exp(-decay_rate * t)

    return _schedule("exponential_decay", formula, lr=lr, decay_rate=decay_rate)


def cosine_annealing(lr: float, total_steps: int, min_lr: float = 0.0) -> Schedule:
    r"""Half a cosine from ``lr`` down to ``min_lr`` over ``total_steps``, then held.

    .. math::
        \eta_t = \eta_{\min} + \tfrac12 (\eta - \eta_{\min})
                 \left(1 + \cos \frac{\pi \min(t, T)}{T}\right)

    Args:
        lr: the initial learning rate :math:`\eta`, non-negative.
        total_steps: the length :math:`T` of the decay, a positive integer.
        min_lr: the final learning rate :math:`\eta_{\min}`, non-negative.

    Returns:
        A :class:`Schedule`.

    Example:
        >>> sched = cosine_annealing(1.0, total_steps=4)
        >>> np.round(sched(np.arange(7)), 4).tolist()
        [1.0, 0.8536, 0.5, 0.1464, 0.0, 0.0, 0.0]

    References:
        Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts",
        ICLR 2017. PyTorch ``torch.optim.lr_scheduler.CosineAnnealingLR`` with
        ``T_max = total_steps``: equal on steps ``0..total_steps``. After that PyTorch's
        cosine turns back up (period ``2 T_max``); here the lr deliberately stays at
        ``min_lr``, which is what a run longer than its budget should see.
    """
    lr = check_nonnegative("lr", lr)
    total_steps = check_int("total_steps", total_steps, minimum=1)
    min_lr = check_nonnegative("min_lr", min_lr)

    def formula(t: np.ndarray) -> np.ndarray:
        progress = np.minimum(t, total_steps) / total_steps
        return min_lr + 0.5 * (lr - min_lr) * (1 + np.cos(np.pi * progress))

    return _schedule("cosine_annealing", formula, lr=lr, total_steps=total_steps, min_lr=min_lr)


def cosine_warm_restarts(lr: float, T_0: int, T_mult: int = 1, min_lr: float = 0.0) -> Schedule:
    r"""Cosine annealing that restarts at ``lr``, each cycle ``T_mult`` times longer.

    .. math::
        \eta_t = \eta_{\min} + \tfrac12 (\eta - \eta_{\min})
                 \left(1 + \cos \frac{\pi T_{cur}}{T_i}\right)

    where cycle :math:`i` lasts :math:`T_i = T_0 T_{mult}^i` steps and :math:`T_{cur}`
    counts the steps since the last restart.

    Args:
        lr: the learning rate :math:`\eta` at every restart, non-negative.
        T_0: the length of the first cycle, a positive integer.
        T_mult: the growth factor of the cycle length, an integer at least 1.
        min_lr: the learning rate :math:`\eta_{\min}` approached at the end of each cycle.

    Returns:
        A :class:`Schedule`.

    Example:
        >>> sched = cosine_warm_restarts(1.0, T_0=2, T_mult=2)
        >>> np.round(sched(np.arange(8)), 4).tolist()
        [1.0, 0.5, 1.0, 0.8536, 0.5, 0.1464, 1.0, 0.9619]

    References:
        Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts",
        ICLR 2017. PyTorch ``torch.optim.lr_scheduler.CosineAnnealingWarmRestarts``
        (``eta_min = min_lr``).
    """
    lr = check_nonnegative("lr", lr)
    T_0 = check_int("T_0", T_0, minimum=1)
    T_mult = check_int("T_mult", T_mult, minimum=1)
    min_lr = check_nonnegative("min_lr", min_lr)

    def formula(t: np.ndarray) -> np.ndarray:
        if T_mult == 1:
            T_cur, T_i = t % T_0, np.full(t.shape, T_0)
        else:
            # PyTorch's restart rule, applied once per cycle (log many times):
            # when T_cur reaches T_i, start over and make the next cycle T_mult longer.
            T_cur, T_i = t.copy(), np.full(t.shape, T_0, dtype=np.int64)
            while np.any(restart := T_cur >= T_i):
                T_cur = np.where(restart, T_cur - T_i, T_cur)
                T_i = np.where(restart, T_i * T_mult, T_i)
        return min_lr + (lr - min_lr) * (1 + np.cos(np.pi * T_cur / T_i)) / 2

    return _schedule("cosine_warm_restarts", formula, lr=lr, T_0=T_0, T_mult=T_mult, min_lr=min_lr)


def linear_warmup(lr: float, warmup_steps: int, init_lr: float = 0.0) -> Schedule:
    r"""Rise linearly from ``init_lr`` to ``lr`` over ``warmup_steps``, then hold.

    .. math:: \eta_t = \eta_0 + (\eta - \eta_0) \min(t / W, 1)

    With ``warmup_steps=0`` this is the constant ``lr``.

    Args:
        lr: the learning rate :math:`\eta` after the warmup, non-negative.
        warmup_steps: the length :math:`W` of the warmup, a non-negative integer.
        init_lr: the learning rate :math:`\eta_0` at step 0, non-negative.

    Returns:
        A :class:`Schedule`.

    Example:
        >>> sched = linear_warmup(1.0, warmup_steps=4)
        >>> sched(np.arange(6)).tolist()
        [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]

    References:
        Goyal et al., "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour",
        2017. optax ``linear_schedule(init_lr, lr, warmup_steps)``.
    """
    lr = check_nonnegative("lr", lr)
    warmup_steps = check_int("warmup_steps", warmup_steps, minimum=0)
    init_lr = check_nonnegative("init_lr", init_lr)

    def formula(t: np.ndarray) -> np.ndarray:
        if warmup_steps == 0:
            return np.full(t.shape, lr)
        return init_lr + (lr - init_lr) * np.minimum(t, warmup_steps) / warmup_steps

    return _schedule("linear_warmup", formula, lr=lr, warmup_steps=warmup_steps, init_lr=init_lr)


def warmup_cosine(
    peak_lr: float,
    warmup_steps: int,
    total_steps: int,
    init_lr: float = 0.0,
    min_lr: float = 0.0,
) -> Schedule:
    r"""Linear warmup to ``peak_lr``, then half a cosine down to ``min_lr``: the Transformer recipe.

    .. math::
        \eta_t = \begin{cases}
            \eta_0 + (\eta_{\max} - \eta_0)\, t / W & t < W \\
            \eta_{\min} + \tfrac12 (\eta_{\max} - \eta_{\min})
                \left(1 + \cos \frac{\pi (\min(t, T) - W)}{T - W}\right) & t \ge W
        \end{cases}

    Args:
        peak_lr: the learning rate :math:`\eta_{\max}` at the end of the warmup.
        warmup_steps: the length :math:`W` of the warmup, a non-negative integer.
        total_steps: the step :math:`T > W` where the decay ends (warmup included).
        init_lr: the learning rate :math:`\eta_0` at step 0, non-negative.
        min_lr: the learning rate :math:`\eta_{\min} \le \eta_{\max}` from step ``T`` on.

    Returns:
        A :class:`Schedule`.

    Example:
        >>> sched = warmup_cosine(1.0, warmup_steps=2, total_steps=6)
        >>> np.round(sched(np.arange(8)), 4).tolist()
        [0.0, 0.5, 1.0, 0.8536, 0.5, 0.1464, 0.0, 0.0]

    References:
        Loshchilov & Hutter, "SGDR", ICLR 2017; Goyal et al., 2017. optax
        ``warmup_cosine_decay_schedule(init_lr, peak_lr, warmup_steps, total_steps,
        min_lr)``; with ``init_lr = min_lr = 0`` it is Hugging Face's
        ``get_cosine_schedule_with_warmup`` times ``peak_lr`` on steps ``0..total_steps``.
        ``min_lr > peak_lr`` is rejected (optax then ignores ``end_value`` when
        ``peak_value`` is 0).
    """
    peak_lr = check_nonnegative("peak_lr", peak_lr)
    warmup_steps = check_int("warmup_steps", warmup_steps, minimum=0)
    total_steps = check_int("total_steps", total_steps, minimum=1)
    init_lr = check_nonnegative("init_lr", init_lr)
    min_lr = check_nonnegative("min_lr", min_lr)
    if total_steps <= warmup_steps:
        raise ValueError(
            "total_steps must exceed warmup_steps, "
            f"got total_steps={total_steps!r}, warmup_steps={warmup_steps!r}"
        )
    if min_lr > peak_lr:
        raise ValueError(
            f"min_lr must not exceed peak_lr, got min_lr={min_lr!r}, peak_lr={peak_lr!r}"
        )
    decay_steps = total_steps - warmup_steps

    def formula(t: np.ndarray) -> np.ndarray:
        # 1) linear warmup from init_lr to peak_lr
        warm = init_lr + (peak_lr - init_lr) * t / max(warmup_steps, 1)
        # 2) cosine decay from peak_lr to min_lr, 3) held at min_lr after total_steps
        progress = np.clip(t - warmup_steps, 0, decay_steps) / decay_steps
        decay = min_lr + 0.5 * (peak_lr - min_lr) * (1 + np.cos(np.pi * progress))
        return np.where(t < warmup_steps, warm, decay)

    return _schedule(
        "warmup_cosine",
        formula,
        peak_lr=peak_lr,
        warmup_steps=warmup_steps,
        total_steps=total_steps,
        init_lr=init_lr,
        min_lr=min_lr,
    )


def one_cycle(
    max_lr: float,
    total_steps: int,
    pct_start: float = 0.3,
    anneal_strategy: str = "cos",
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
    three_phase: bool = False,
) -> Schedule:
    r"""The 1cycle policy: up from ``max_lr / div_factor`` to ``max_lr``, then far below.

    With :math:`\eta_0 = \eta_{\max} / d` and :math:`\eta_{\min} = \eta_0 / d_f`, each
    phase anneals from :math:`a` to :math:`b` as :math:`p` goes from 0 to 1,

    .. math::
        \text{cos: } b + \tfrac12 (a - b) (1 + \cos \pi p), \qquad
        \text{linear: } a + (b - a)\, p,

    with :math:`p = (t - s) / (e - s)` between the phase's start :math:`s` and end
    :math:`e`. The phase ends are PyTorch's: :math:`e_1 = p_s T - 1` and :math:`T - 1`,
    or with ``three_phase`` :math:`e_1 = p_s T - 1`, :math:`e_2 = 2 p_s T - 2`,
    :math:`T - 1`.

    Args:
        max_lr: the peak learning rate :math:`\eta_{\max}`, non-negative.
        total_steps: the number of updates :math:`T` of the cycle, a positive integer.
        pct_start: the fraction :math:`p_s \in (0, 1)` of the cycle spent rising.
        anneal_strategy: ``"cos"`` or ``"linear"``.
        div_factor: :math:`d > 0`, the initial lr is ``max_lr / div_factor``.
        final_div_factor: :math:`d_f > 0`, the final lr is the initial lr over it.
        three_phase: if true, phase 2 falls back to the initial lr (mirroring phase 1)
            and a third phase anneals down to the final lr, as in Smith's paper; if
            false, phase 2 anneals from the peak straight to the final lr (fastai's shape).

    Returns:
        A :class:`Schedule` defined on steps ``0..total_steps``. Step ``total_steps``
        (reported by PyTorch after the last ``scheduler.step()``, never used for an
        update) extrapolates the last phase exactly as PyTorch does, so with
        ``anneal_strategy="linear"`` it can lie below the final lr. Later steps raise
        ``ValueError``, as PyTorch does.

    Example:
        >>> sched = one_cycle(1.0, total_steps=10, pct_start=0.5, div_factor=10.0)
        >>> np.round(sched(np.arange(10)), 4).tolist()
        [0.1, 0.2318, 0.55, 0.8682, 1.0, 0.9045, 0.6545, 0.3455, 0.0955, 0.0]
        >>> round(sched(10), 4)  # PyTorch's value after the last scheduler.step()
        0.0955

    References:
        Smith & Topin, "Super-Convergence: Very Fast Training of Neural Networks Using
        Large Learning Rates", 2017. PyTorch ``torch.optim.lr_scheduler.OneCycleLR``
        (with ``total_steps``; momentum cycling belongs to the optimizer). Unlike
        PyTorch, parameters that give a phase zero length (``pct_start * total_steps
        == 1``) or push phase 3 past the end are rejected at construction.
    """
    max_lr = check_nonnegative("max_lr", max_lr)
    total_steps = check_int("total_steps", total_steps, minimum=1)
    pct_start = check_interval("pct_start", pct_start, 0.0, 1.0, closed="neither")
    anneal_strategy = check_choice("anneal_strategy", anneal_strategy, ("cos", "linear"))
    div_factor = check_positive("div_factor", div_factor)
    final_div_factor = check_positive("final_div_factor", final_div_factor)
    if not isinstance(three_phase, bool | np.bool_):
        raise TypeError(f"three_phase must be a bool, got three_phase={three_phase!r}")
    three_phase = bool(three_phase)

    initial_lr = max_lr / div_factor
    min_lr = initial_lr / final_div_factor
    rise_end = float(pct_start * total_steps) - 1
    if rise_end == 0:
        raise ValueError(
            "pct_start * total_steps must not equal 1 (the rising phase would have zero "
            f"length), got pct_start={pct_start!r}, total_steps={total_steps!r}"
        )
    if three_phase:
        fall_end = float(2 * pct_start * total_steps) - 2
        if fall_end >= total_steps - 1:
            raise ValueError(
                "three_phase needs pct_start * total_steps < (total_steps + 1) / 2, "
                f"got pct_start={pct_start!r}, total_steps={total_steps!r}"
            )
        # (end step, start lr, end lr) of 1) rise, 2) fall back, 3) annihilate
        phases = [
            (rise_end, initial_lr, max_lr),
            (fall_end, max_lr, initial_lr),
            (total_steps - 1, initial_lr, min_lr),
        ]
    else:
        # (end step, start lr, end lr) of 1) rise, 2) anneal
        phases = [(rise_end, initial_lr, max_lr), (total_steps - 1, max_lr, min_lr)]

    def anneal(a: float, b: float, p: np.ndarray) -> np.ndarray:
        if anneal_strategy == "cos":
            return b + (a - b) / 2.0 * (np.cos(np.pi * p) + 1)
        return (b - a) * p + a

    def formula(t: np.ndarray) -> np.ndarray:
        if np.any(t > total_steps):
            raise ValueError(
                f"step must be at most total_steps={total_steps}, got step={int(t.max())}"
            )
        lr = np.empty(t.shape)
        todo = np.ones(t.shape, dtype=bool)
        start = 0.0
        for i, (end, a, b) in enumerate(phases):
            here = todo if i == len(phases) - 1 else todo & (t <= end)
            lr[here] = anneal(a, b, (t[here] - start) / (end - start))
            todo &= ~here
            start = end
        return lr

    return _schedule(
        "one_cycle",
        formula,
        max_lr=max_lr,
        total_steps=total_steps,
        pct_start=pct_start,
        anneal_strategy=anneal_strategy,
        div_factor=div_factor,
        final_div_factor=final_div_factor,
        three_phase=three_phase,
    )


def cyclic(
    base_lr: float,
    max_lr: float,
    step_size_up: int = 2000,
    step_size_down: int | None = None,
    mode: str = "triangular",
    gamma: float = 1.0,
) -> Schedule:
    r"""Cyclical learning rate: a triangle wave between ``base_lr`` and ``max_lr``.

    A cycle lasts :math:`L = u + d` steps (``step_size_up + step_size_down``). With
    :math:`x \in [0, 1)` the position inside cycle :math:`c = \lfloor 1 + t/L \rfloor`
    and :math:`r = u / L`,

    .. math::
        h(x) = \begin{cases} x / r & x \le r \\ (x - 1) / (r - 1) & x > r \end{cases},
        \qquad
        \eta_t = \eta_{base} + (\eta_{\max} - \eta_{base})\, h(x)\, s,

    where the amplitude scale is :math:`s = 1` (``"triangular"``),
    :math:`s = 2^{1 - c}` (``"triangular2"``, halved every cycle) or
    :math:`s = \gamma^t` (``"exp_range"``).

    Args:
        base_lr: the learning rate :math:`\eta_{base}` at the start of each cycle.
        max_lr: the learning rate :math:`\eta_{\max}` at the peak of the first cycle.
        step_size_up: the number of rising steps :math:`u`, a positive integer.
        step_size_down: the number of falling steps :math:`d`; ``None`` means ``u``.
        mode: ``"triangular"``, ``"triangular2"`` or ``"exp_range"``.
        gamma: :math:`\gamma \ge 0`, used by ``"exp_range"`` only; :math:`\gamma > 1`
            grows the amplitude (PyTorch accepts it too).

    Returns:
        A :class:`Schedule`.

    Example:
        >>> sched = cyclic(0.0, 1.0, step_size_up=2, mode="triangular2")
        >>> sched(np.arange(9)).tolist()
        [0.0, 0.5, 1.0, 0.5, 0.0, 0.25, 0.5, 0.25, 0.0]

    References:
        Smith, "Cyclical Learning Rates for Training Neural Networks", WACV 2017.
        PyTorch ``torch.optim.lr_scheduler.CyclicLR`` (without momentum cycling or a
        custom ``scale_fn``).
    """
    base_lr = check_nonnegative("base_lr", base_lr)
    max_lr = check_nonnegative("max_lr", max_lr)
    step_size_up = check_int("step_size_up", step_size_up, minimum=1)
    if step_size_down is not None:
        step_size_down = check_int("step_size_down", step_size_down, minimum=1)
    mode = check_choice("mode", mode, ("triangular", "triangular2", "exp_range"))
    gamma = check_nonnegative("gamma", gamma)
    step_size_down_or_up = step_size_up if step_size_down is None else step_size_down
    total_size = float(step_size_up + step_size_down_or_up)
    step_ratio = step_size_up / total_size

    def formula(t: np.ndarray) -> np.ndarray:
        cycle = np.floor(1 + t / total_size)
        x = 1.0 + t / total_size - cycle
        rising = x <= step_ratio
        h = np.where(rising, x, x - 1) / np.where(rising, step_ratio, step_ratio - 1)
        if mode == "triangular":
            scale = 1.0
        elif mode == "triangular2":
            scale = 0.5 ** (cycle - 1)
        else:
            scale = gamma**t
        return base_lr + (max_lr - base_lr) * h * scale

    return _schedule(
        "cyclic",
        formula,
        base_lr=base_lr,
        max_lr=max_lr,
        step_size_up=step_size_up,
        step_size_down=step_size_down,
        mode=mode,
        gamma=gamma,
    )


def inverse_sqrt(peak_lr: float, warmup_steps: int) -> Schedule:
    r"""Linear warmup, then decay as one over the square root of the step.

    .. math::
        \eta_t = \eta_{\max} \min\left(\frac{n}{W}, \sqrt{\frac{W}{n}}\right),
        \qquad n = t + 1

    (the "Noam" schedule of the original Transformer, with ``peak_lr`` in place of
    :math:`d_{model}^{-1/2} W^{-1/2}`). The peak is at step ``warmup_steps - 1``.

    Args:
        peak_lr: the largest learning rate :math:`\eta_{\max}`, non-negative.
        warmup_steps: the length :math:`W` of the warmup, a positive integer.

    Returns:
        A :class:`Schedule`.

    Example:
        >>> sched = inverse_sqrt(1.0, warmup_steps=4)
        >>> sched(np.array([0, 1, 3, 15])).tolist()
        [0.25, 0.5, 1.0, 0.5]

    References:
        Vaswani et al., "Attention Is All You Need", NeurIPS 2017, eq. (3).
    """
    peak_lr = check_nonnegative("peak_lr", peak_lr)
    warmup_steps = check_int("warmup_steps", warmup_steps, minimum=1)

    def formula(t: np.ndarray) -> np.ndarray:
        n = t + 1.0
        return peak_lr * np.minimum(n / warmup_steps, np.sqrt(warmup_steps / n))

    return _schedule("inverse_sqrt", formula, peak_lr=peak_lr, warmup_steps=warmup_steps)


def join_schedules(
    schedules: Sequence[Callable[[Steps], LR]], boundaries: Sequence[int]
) -> Schedule:
    r"""Run schedules one after another; each later one restarts its count at its boundary.

    .. math::
        \eta_t = \eta^{(i)}_{t - b_i} \quad \text{for } b_i \le t < b_{i+1},
        \qquad b_0 = 0

    Args:
        schedules: ``k`` schedules (any callables ``step -> lr``).
        boundaries: ``k - 1`` switch steps :math:`b_1 \le \dots \le b_{k-1}`,
            non-negative integers.

    Returns:
        A :class:`Schedule`.

    Example:
        >>> sched = join_schedules(
        ...     [linear_warmup(1.0, warmup_steps=2), step_decay(1.0, step_size=2, gamma=0.5)],
        ...     boundaries=[3],
        ... )
        >>> sched(np.arange(8)).tolist()
        [0.0, 0.5, 1.0, 1.0, 1.0, 0.5, 0.5, 0.25]

    References:
        optax ``join_schedules``; PyTorch ``SequentialLR`` plays the same role.
    """
    try:
        schedules = tuple(schedules)
    except TypeError as err:
        raise TypeError(f"schedules must be a sequence of callables, got {schedules=!r}") from err
    if not schedules or not all(callable(s) for s in schedules):
        raise ValueError(f"schedules must be a non-empty sequence of callables, got {schedules=!r}")
    boundaries = _check_sorted_ints("boundaries", boundaries)
    if len(boundaries) != len(schedules) - 1:
        raise ValueError(
            "boundaries must have one entry fewer than schedules, "
            f"got {len(schedules)} schedules and boundaries={list(boundaries)!r}"
        )
    starts = (0, *boundaries)
    ends = (*boundaries, None)

    def formula(t: np.ndarray) -> np.ndarray:
        lr = np.empty(t.shape)
        for sched, start, end in zip(schedules, starts, ends, strict=True):
            here = (t >= start) if end is None else (t >= start) & (t < end)
            if np.any(here):
                lr[here] = sched(t[here] - start)
        return lr

    return _schedule("join_schedules", formula, schedules=schedules, boundaries=boundaries)
