"""Presets of the book's explorers as named numpy objects, and the experiments they show.

Every preset is a frozen dataclass with a ``name`` (the key the explorers and twins
accept), a Korean ``label`` (what the figures print) and a ``factory`` called with
explicit keyword arguments. The experiments behind the figures (:func:`schedule_run`,
:func:`digits_sweep`) are plain functions returning core results, so a notebook or a
benchmark gets the numbers without a figure. This module imports numpy and the core only.

Example:
    >>> opt = RACE_OPTIMIZERS["모멘텀"].make(lr=0.1, momentum=0.9)
    >>> RACE_OPTIMIZERS["모멘텀"].reads
    ('momentum',)
    >>> float(SCHEDULES["step_decay"].make(lr=0.1, total_steps=200, step_size=50, gamma=0.5)(50))
    0.05
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from ._checks import check_choice, check_int, check_positive
from .data import batch_stream, load_digits, make_spirals
from .finder import lr_find
from .landscapes import Landscape, noisy, quadratic, rosenbrock
from .models import MLP
from .optimizers import Optimizer, adagrad, adam, adamw, rmsprop, sgd
from .schedules import (
    Schedule,
    constant_schedule,
    cosine_annealing,
    cosine_warm_restarts,
    cyclic,
    exponential_decay,
    inverse_sqrt,
    linear_warmup,
    one_cycle,
    step_decay,
    warmup_cosine,
)
from .training import History, train
from .trajectory import Trajectory, run

__all__ = [
    "LandscapeDemo",
    "OptimizerDemo",
    "ScheduleDemo",
    "RACE_LANDSCAPES",
    "RACE_OPTIMIZERS",
    "SCHEDULES",
    "FINDER_OPTIMIZERS",
    "TRAINING_OPTIMIZERS",
    "make_schedule",
    "schedule_landscape",
    "schedule_run",
    "DigitsSweep",
    "digits_sweep",
]

Box = tuple[tuple[float, float], tuple[float, float]]


@dataclass(frozen=True)
class LandscapeDemo:
    """A 2-D landscape of the optimizer race, with its start point and view box."""

    name: str
    label: str
    factory: Callable[[], Landscape]
    start: tuple[float, float]
    box: Box

    def make(self) -> Landscape:
        """A new landscape."""
        return self.factory()


@dataclass(frozen=True)
class OptimizerDemo:
    """An optimizer preset: ``factory(lr=..., **{r: ... for r in reads})``.

    Attributes:
        reads: the hyperparameters besides ``lr`` the factory takes (``"momentum"``,
            ``"beta1"``, ``"beta2"``).
        recommended: the range of :math:`\\eta` the source note recommends, if any.
    """

    name: str
    label: str
    factory: Callable[..., Optimizer]
    reads: tuple[str, ...] = ()
    recommended: tuple[float, float] | None = None

    def make(self, lr: Any, **hyper: float) -> Optimizer:
        """The optimizer at ``lr``; ``hyper`` may hold more controls than it reads."""
        missing = [r for r in self.reads if r not in hyper]
        if missing:
            raise TypeError(f"{self.name} needs {missing}, got hyper={hyper}")
        return self.factory(lr=lr, **{r: hyper[r] for r in self.reads})


@dataclass(frozen=True)
class ScheduleDemo:
    """A schedule preset: ``factory(lr=..., total_steps=..., **{r: ... for r in reads})``.

    Attributes:
        reads: the controls besides ``lr`` and ``total_steps`` the factory takes
            (``"warmup_steps"``, ``"step_size"``, ``"gamma"``).
    """

    name: str
    label: str
    factory: Callable[..., Schedule]
    reads: tuple[str, ...] = field(default=())

    def make(self, lr: float, *, total_steps: int, **params: Any) -> Schedule:
        """The schedule with peak (or initial) rate ``lr`` over ``total_steps`` steps."""
        missing = [r for r in self.reads if r not in params]
        if missing:
            raise TypeError(f"{self.name} needs {missing}, got params={params}")
        return self.factory(lr=lr, total_steps=total_steps, **{r: params[r] for r in self.reads})


def _registry(*demos: Any) -> Mapping[str, Any]:
    return MappingProxyType({d.name: d for d in demos})


def _ill_conditioned() -> Landscape:
    return quadratic((1.0, 25.0), angle=np.pi / 6)


def _round_bowl() -> Landscape:
    return quadratic((1.0, 2.0))


#: Landscapes of the optimizer race, by name.
RACE_LANDSCAPES: Mapping[str, LandscapeDemo] = _registry(
    LandscapeDemo(
        "ill_conditioned",
        "악조건 이차함수 (κ = 25)",
        _ill_conditioned,
        (-2.0, 1.0),
        ((-2.5, 2.5), (-1.5, 1.5)),
    ),
    LandscapeDemo(
        "rosenbrock", "로젠브록 함수", rosenbrock, (-1.2, 1.0), ((-2.0, 2.0), (-1.0, 3.0))
    ),
    LandscapeDemo(
        "quadratic", "이차함수 (κ = 2)", _round_bowl, (-2.0, 1.5), ((-2.5, 2.5), (-2.0, 2.0))
    ),
)


def _momentum(*, lr: Any, momentum: float) -> Optimizer:
    return sgd(lr=lr, momentum=momentum)


def _nesterov(*, lr: Any, momentum: float) -> Optimizer:
    # PyTorch refuses nesterov=True without momentum; with momentum 0 it is plain SGD.
    return sgd(lr=lr, momentum=momentum, nesterov=momentum > 0)


def _adam(*, lr: Any, beta1: float, beta2: float) -> Optimizer:
    return adam(lr=lr, betas=(beta1, beta2))


def _adamw(*, lr: Any, beta1: float, beta2: float) -> Optimizer:
    return adamw(lr=lr, betas=(beta1, beta2))


#: Optimizers of the race, by name (the order of the explorer's list).
RACE_OPTIMIZERS: Mapping[str, OptimizerDemo] = _registry(
    OptimizerDemo("SGD", "SGD", sgd),
    OptimizerDemo("모멘텀", "모멘텀", _momentum, ("momentum",)),
    OptimizerDemo("네스테로프", "네스테로프", _nesterov, ("momentum",)),
    OptimizerDemo("Adagrad", "Adagrad", adagrad),
    OptimizerDemo("RMSprop", "RMSprop", rmsprop),
    OptimizerDemo("Adam", "Adam", _adam, ("beta1", "beta2")),
    OptimizerDemo("AdamW", "AdamW", _adamw, ("beta1", "beta2")),
)

#: Optimizers of the LR range test explorer.
FINDER_OPTIMIZERS: Mapping[str, OptimizerDemo] = _registry(
    OptimizerDemo("SGD", "SGD", sgd), OptimizerDemo("Adam", "Adam", adam)
)


@functools.lru_cache(maxsize=64)
def _finder_losses(optimizer: str, start_lr: float, end_lr: float, num_it: int) -> np.ndarray:
    """The losses of the LR range test explorer's test run to the end (or to a non-finite
    loss): a tanh MLP (2 inputs, 16 hidden units, 3 classes) on three interleaved spirals
    (300 points, seeded), minibatches of 32. Cached (read-only): only the smoothing and the
    stopping rule change with the explorer's other controls."""
    X, y = make_spirals(n_per_class=100, n_classes=3, seed=0)
    model = MLP(n_inputs=2, n_outputs=3, width=16, depth=1)
    losses = lr_find(
        model.loss_and_grad,
        model.init(seed=0),
        optimizer=FINDER_OPTIMIZERS[optimizer].factory,
        start_lr=start_lr,
        end_lr=end_lr,
        num_it=num_it,
        beta=0.0,
        diverge_th=None,
        batches=batch_stream(X, y, batch_size=32, seed=0),
    ).losses
    losses.flags.writeable = False
    return losses


def _sgd_momentum(*, lr: Any) -> Optimizer:
    return sgd(lr=lr, momentum=0.9)


#: Optimizers of the digits training explorer, with the source note's range of η.
TRAINING_OPTIMIZERS: Mapping[str, OptimizerDemo] = _registry(
    OptimizerDemo("Adam", "Adam", adam, recommended=(1e-4, 1e-3)),
    OptimizerDemo(
        "SGD + 모멘텀", "SGD + 모멘텀 (μ = 0.9)", _sgd_momentum, recommended=(1e-2, 1e-1)
    ),
)


def _step_decay(*, lr: float, total_steps: int, step_size: int, gamma: float) -> Schedule:
    return step_decay(lr, step_size, gamma)


def _exponential(*, lr: float, total_steps: int, step_size: int, gamma: float) -> Schedule:
    # the rate that multiplies lr by gamma every step_size steps
    return exponential_decay(lr, -math.log(gamma) / step_size)


def _warmup_cosine(*, lr: float, total_steps: int, warmup_steps: int) -> Schedule:
    return warmup_cosine(lr, min(warmup_steps, total_steps - 1), total_steps)


def _one_cycle(*, lr: float, total_steps: int, warmup_steps: int) -> Schedule:
    return one_cycle(lr, total_steps, pct_start=min(max(warmup_steps / total_steps, 0.01), 0.99))


def _cyclic(*, lr: float, total_steps: int, step_size: int, gamma: float) -> Schedule:
    return cyclic(gamma * lr, lr, step_size_up=step_size)


#: Schedules of the schedule explorer, by name. Shared controls: ``lr`` the peak (or
#: initial) rate; ``warmup_steps`` the warmup length (one-cycle: its rising phase);
#: ``step_size`` the period (StepLR's step, the restart period :math:`T_0`, CyclicLR's
#: half cycle, the period over which exponential decay multiplies the lr by ``gamma``);
#: ``gamma`` the decay factor (CyclicLR: base_lr / max_lr).
SCHEDULES: Mapping[str, ScheduleDemo] = _registry(
    ScheduleDemo("constant", "상수", lambda *, lr, total_steps: constant_schedule(lr)),
    ScheduleDemo("step_decay", "계단 감쇠 (StepLR)", _step_decay, ("step_size", "gamma")),
    ScheduleDemo("exponential_decay", "지수 감쇠", _exponential, ("step_size", "gamma")),
    ScheduleDemo(
        "cosine_annealing",
        "코사인 감쇠",
        lambda *, lr, total_steps: cosine_annealing(lr, total_steps),
    ),
    ScheduleDemo(
        "linear_warmup",
        "선형 워밍업",
        lambda *, lr, total_steps, warmup_steps: linear_warmup(lr, warmup_steps),
        ("warmup_steps",),
    ),
    ScheduleDemo("warmup_cosine", "워밍업 + 코사인 감쇠", _warmup_cosine, ("warmup_steps",)),
    ScheduleDemo("one_cycle", "원사이클 (OneCycleLR)", _one_cycle, ("warmup_steps",)),
    ScheduleDemo(
        "cosine_warm_restarts",
        "코사인 웜 리스타트",
        lambda *, lr, total_steps, step_size: cosine_warm_restarts(lr, step_size),
        ("step_size",),
    ),
    ScheduleDemo("cyclic", "순환 학습률 (CyclicLR)", _cyclic, ("step_size", "gamma")),
    ScheduleDemo(
        "inverse_sqrt",
        "역제곱근 (Transformer)",
        lambda *, lr, total_steps, warmup_steps: inverse_sqrt(lr, max(warmup_steps, 1)),
        ("warmup_steps",),
    ),
)


def make_schedule(
    schedule: str,
    lr: float,
    warmup_steps: int,
    step_size: int,
    gamma: float,
    total_steps: int,
) -> Schedule:
    """The schedule ``schedule`` of :data:`SCHEDULES` built from the explorer's controls.

    Example:
        >>> s = make_schedule("step_decay", 0.1, 0, 50, 0.5, 200)
        >>> float(s(49)), float(s(50))
        (0.1, 0.05)
    """
    demo = SCHEDULES[check_choice("schedule", schedule, SCHEDULES)]
    return demo.make(
        lr, total_steps=total_steps, warmup_steps=warmup_steps, step_size=step_size, gamma=gamma
    )


def schedule_landscape() -> Landscape:
    r"""The problem of the schedule explorer: a quadratic with 10 Hessian eigenvalues from
    0.2 to 10 (so :math:`2/\lambda_{\max} = 0.2`), started at :math:`\theta_0 = (3, \dots, 3)`."""
    return quadratic(np.geomspace(0.2, 10.0, 10))


def schedule_run(lr: Any, steps: int = 200) -> Trajectory:
    r"""SGD with ``lr`` (a float or a schedule) on :func:`schedule_landscape` with Gaussian
    gradient noise :math:`\sigma = 1`, the same noise whatever ``lr`` is.

    With noisy gradients a constant rate stalls at a noise floor proportional to
    :math:`\eta`; a decaying schedule goes lower.

    Example:
        >>> floor = schedule_run(0.1).losses[-50:].mean()
        >>> decayed = schedule_run(SCHEDULES["cosine_annealing"].make(0.1, total_steps=200))
        >>> bool(decayed.losses[-1] < floor)
        True
    """
    steps = check_int("steps", steps, minimum=1)
    return run(sgd(lr=lr), noisy(schedule_landscape(), sigma=1.0, seed=0), np.full(10, 3.0), steps)


# The default learning rates of digits_sweep: 19 values, three per decade, from 1e-5 to
# 10. Python's ``10.0 ** e`` (the C library's pow) returns every decade exactly
# (``10.0 ** -1.0 == 0.1``); numpy 1.x's vectorized power, which np.geomspace uses, is one
# unit off for some of them (0.09999999999999999), so a value the prose names would not be
# a grid point there.
_DIGITS_GRID = tuple(10.0**e for e in np.linspace(-5.0, 1.0, 19).tolist())


@dataclass(frozen=True)
class DigitsSweep:
    """The chapter-6 sweep: every lr of ``grid`` trained with each training optimizer.

    Attributes:
        grid: the learning rates, sorted.
        histories: optimizer name -> ``lrb.train`` history over the grid (read-only arrays).
        max_loss: the divergence bound, :math:`3 \\ln 10`.
    """

    grid: np.ndarray
    epochs: int
    histories: Mapping[str, History]
    max_loss: float


def digits_sweep(
    grid: Sequence[float] | None = None,
    *,
    epochs: int = 10,
    batch_size: int = 128,
    width: int = 16,
    seed: int = 0,
) -> DigitsSweep:
    """Train a tanh MLP (``width`` hidden units) on ``lrb.load_digits()`` at every lr of
    ``grid`` (default 19 values from 1e-5 to 10, three per decade, every decade exact)
    with each of :data:`TRAINING_OPTIMIZERS`.

    One vectorized ``lrb.train`` call per optimizer; a run diverges when a loss exceeds
    :math:`3 \\ln 10`. Cached: the explorer and its twin with the same settings train once.
    """
    grid = _DIGITS_GRID if grid is None else grid
    values = sorted(check_positive("grid", float(v)) for v in grid)
    if not values:
        raise ValueError(f"grid must not be empty, got grid={list(grid)}")
    return _digits_sweep(
        tuple(values),
        check_int("epochs", epochs, minimum=1),
        check_int("batch_size", batch_size, minimum=1),
        check_int("width", width, minimum=1),
        check_int("seed", seed),
    )


@functools.lru_cache(maxsize=2)
def _digits_sweep(
    grid: tuple[float, ...], epochs: int, batch_size: int, width: int, seed: int
) -> DigitsSweep:
    data = load_digits()
    net = MLP(n_inputs=64, n_outputs=10, width=width, depth=1)
    max_loss = 3 * math.log(10)
    histories = {
        name: train(
            net,
            net.init(seed=seed),
            demo.factory,
            data.train,
            data.val,
            lr=np.array(grid),
            epochs=epochs,
            batch_size=batch_size,
            seed=seed,
            max_loss=max_loss,
        )
        for name, demo in TRAINING_OPTIMIZERS.items()
    }
    for h in histories.values():
        for value in vars(h).values():
            if isinstance(value, np.ndarray):
                value.flags.writeable = False
    grid_array = np.array(grid)
    grid_array.flags.writeable = False
    return DigitsSweep(grid_array, epochs, MappingProxyType(histories), max_loss)
