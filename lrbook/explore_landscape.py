r"""Explorers of chapter 5: the edge of stability and the basin that the learning rate picks.

Both experiments are computed once, on a grid, by a numpy-only function of this module
(:func:`edge_of_stability_runs`, :func:`basin_runs`); the live figures only look the runs
up, so every slider move redraws in a few milliseconds.

* :class:`EdgeOfStabilityFigure` -- the sharpness of a network trained by full-batch
  gradient descent rises to :math:`2/\eta`, hovers there, and is released when
  :math:`\eta` is halved; :func:`edge_of_stability_explorer` and its kernel-free twin
  :func:`edge_of_stability_scrubber`.
* :class:`BasinFigure` -- which minimum of :func:`lrbook.flat_sharp` gradient descent
  settles in, for every start and learning rate; :func:`basin_explorer` and
  :func:`basin_scrubber`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

from ._figure import _object_particle
from .hessian import gd_sharpness
from .live import LiveFigure
from .optimizers import sgd
from .scrubbers import Scrubber, scrub
from .style import COLORS, DIVERGED
from .trajectory import run
from .widgets import Explorer

__all__ = [
    "EdgeRuns",
    "edge_of_stability_runs",
    "EdgeOfStabilityFigure",
    "edge_of_stability_explorer",
    "edge_of_stability_scrubber",
    "BasinRuns",
    "basin_runs",
    "BasinFigure",
    "basin_explorer",
    "basin_scrubber",
]

Array = np.ndarray

#: The names of the basins of :class:`BasinRuns`, by code.
BASINS = ("평탄한 최솟값", "날카로운 최솟값", "도착 못 함")


def _fixed_figure(figsize: tuple[float, float]) -> Figure:
    fig = Figure(figsize=figsize, dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _caption(call: str, what: str) -> str:
    return (
        f"▶ 재생하거나 슬라이더를 끌어 {what}{_object_particle(what)} 바꿔 보세요. "
        f"커널이 있는 환경(Binder, Colab, 로컬)에서는 탐색기(<code>{call}</code>)로 "
        "같은 그림을 직접 조작할 수 있습니다."
    )


# ---------------------------------------------------------------------------------------
# Edge of stability
# ---------------------------------------------------------------------------------------


class EdgeRuns(NamedTuple):
    """The result of :func:`edge_of_stability_runs`.

    Attributes:
        lrs: the learning rates :math:`\\eta`, ``(K,)``.
        decays: the decay steps, ``(D,)``; ``decays[0] == -1`` is the run without decay.
        factor: the learning rate becomes ``factor * lr`` at the decay step.
        steps: the steps at which the sharpness was measured, ``(n,)``.
        sharpness: :math:`\\lambda_{\\max}` there, ``(n, D, K)``.
        losses: full-batch loss at every step, ``(T + 1, D, K)``.
    """

    lrs: Array
    decays: Array
    factor: float
    steps: Array
    sharpness: Array
    losses: Array

    def lr_at(self, step: Array, decay: int, k: int) -> Array:
        """The learning rate of run ``(decay, k)`` at ``step`` (an array of steps)."""
        step = np.asarray(step)
        late = (decay >= 0) & (step >= decay)
        return np.where(late, self.factor * self.lrs[k], self.lrs[k])


def edge_of_stability_runs(
    f: Any,
    params: Any,
    batch: Any = None,
    *,
    lrs: Sequence[float],
    decays: Sequence[int] = (),
    steps: int,
    factor: float = 0.5,
    every: int = 20,
    iters: int = 8,
) -> EdgeRuns:
    r"""Full-batch gradient descent on a grid of learning rates, with and without a decay.

    For every :math:`\eta` in ``lrs`` it runs :func:`lrbook.gd_sharpness` for ``steps``
    steps at constant :math:`\eta`, and for every step :math:`s` in ``decays`` it continues
    the same run from step :math:`s` at :math:`\text{factor}\cdot\eta`. The constant runs
    are computed in pieces between the decay steps, so each decayed run shares its first
    :math:`s` steps with the constant one. All learning rates run as one batch.

    Args:
        f: a model, a ``loss_and_grad`` function or a Landscape (see :mod:`lrbook`).
        params: initial parameters ``(P,)``; not modified.
        batch: the whole training set.
        lrs: the learning rates (positive).
        decays: steps at which the learning rate is multiplied by ``factor``: multiples of
            ``every`` strictly between 0 and ``steps``.
        steps: number of gradient steps (a multiple of ``every``).
        factor: the decay factor (positive).
        every: measure the sharpness every this many steps.
        iters: Lanczos iterations per measurement.

    Returns:
        An :class:`EdgeRuns`.

    References:
        Cohen et al. (2021), "Gradient descent on neural networks typically occurs at the
        edge of stability", ICLR; Damian et al. (2023), "Self-stabilization: the implicit
        bias of gradient descent at the edge of stability", ICLR.

    Example:
        >>> import lrbook as lrb
        >>> f = lrb.quadratic((1.0, 10.0))
        >>> r = edge_of_stability_runs(f, [1.0, 1.0], lrs=[0.1], decays=[10], steps=20,
        ...                            every=10, iters=2)
        >>> r.sharpness.shape, r.lr_at(np.array([0, 10]), 10, 0)
        ((3, 2, 1), array([0.1 , 0.05]))
    """
    lrs_arr = np.asarray(lrs, dtype=np.float64)
    if lrs_arr.ndim != 1 or lrs_arr.size == 0 or np.any(~(lrs_arr > 0)):
        raise ValueError(f"lrs must be a non-empty list of positive numbers, got {lrs=}")
    if not isinstance(steps, int | np.integer) or not isinstance(every, int | np.integer):
        raise TypeError(f"steps and every must be integers, got {steps=}, {every=}")
    if every < 1 or steps < every or steps % every:
        raise ValueError(f"steps must be a positive multiple of every, got {steps=}, {every=}")
    cuts = sorted(int(s) for s in decays)
    if any(s <= 0 or s >= steps or s % every for s in cuts) or len(set(cuts)) != len(cuts):
        raise ValueError(
            f"decays must be distinct multiples of every={every} in (0, {steps}), got {decays=}"
        )
    if not factor > 0:
        raise ValueError(f"factor must be positive, got {factor=}")
    p0 = np.asarray(params, dtype=np.float64)
    marks = np.arange(0, steps + 1, every)
    n, d, k = marks.size, len(cuts) + 1, lrs_arr.size
    sharp = np.empty((n, d, k))
    losses = np.empty((steps + 1, d, k))

    # 1) the constant run, in pieces between the decay steps (their ends are the restarts)
    starts, bounds = {}, [0, *cuts, steps]
    theta = np.broadcast_to(p0, (k, p0.size))
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        tr = gd_sharpness(f, theta, batch, lr=lrs_arr, steps=b - a, every=every, iters=iters)
        sharp[a // every : b // every + 1, 0] = tr.sharpness
        losses[a : b + 1, 0] = tr.losses
        theta = tr.params
        starts[b] = theta

    # 2) each decayed run continues the constant one from its decay step
    for j, s in enumerate(cuts, start=1):
        sharp[: s // every + 1, j] = sharp[: s // every + 1, 0]
        losses[: s + 1, j] = losses[: s + 1, 0]
        tr = gd_sharpness(
            f, starts[s], batch, lr=factor * lrs_arr, steps=steps - s, every=every, iters=iters
        )
        sharp[s // every :, j] = tr.sharpness
        losses[s:, j] = tr.losses
    return EdgeRuns(lrs_arr, np.array([-1, *cuts]), float(factor), marks, sharp, losses)


class _GridFigure(LiveFigure):
    """A live figure of one run of a precomputed grid over learning rates (``runs.lrs``),
    chosen by the ``lr`` control (snapped to the nearest grid value in log scale)."""

    _runs_type: type

    def __init__(self, runs: Any, **controls: Any) -> None:
        name = self._runs_type.__name__
        if not isinstance(runs, self._runs_type):
            article = "an" if name[0] in "AEIOU" else "a"
            raise TypeError(f"runs must be {article} {name}, got {type(runs).__name__}")
        self.runs = runs
        super().__init__(**controls)

    @property
    def index(self) -> int:
        """Position in ``runs.lrs`` of the run shown (nearest ``lr`` in log scale)."""
        lr = math.log(float(self.controls["lr"]))
        return int(np.argmin(np.abs(np.log(self.runs.lrs) - lr)))

    def _check(self, controls: dict[str, Any]) -> None:
        lr = controls["lr"]
        if not isinstance(lr, int | float) or not lr > 0:
            raise ValueError(f"lr must be a positive number, got {lr=}")


class EdgeOfStabilityFigure(_GridFigure):
    r"""The sharpness of full-batch gradient descent against :math:`2/\eta_t` (top) and the
    loss (bottom), for one run of an :class:`EdgeRuns` grid.

    Controls: ``lr`` (snapped to the nearest grid learning rate, in log scale) and
    ``decay`` (None, or a decay step of the grid: there :math:`\eta` becomes
    ``factor * lr``). The panels are stacked, so the figure stays readable at phone width.

    Args:
        runs: the precomputed grid (:func:`edge_of_stability_runs`).
        **controls: start values of the controls.

    Example:
        >>> import lrbook as lrb
        >>> r = edge_of_stability_runs(lrb.quadratic((1.0, 10.0)), [1.0, 1.0],
        ...                            lrs=[0.1, 0.15], decays=[10], steps=20, every=10, iters=2)
        >>> live = EdgeOfStabilityFigure(r, lr=0.15, decay=10)
        >>> round(float(live.threshold_line.get_ydata().max()), 2)
        26.67
    """

    defaults = {"lr": 0.3, "decay": None}
    _runs_type = EdgeRuns

    @property
    def decay_index(self) -> int:
        """Position in ``runs.decays`` of the run shown (0: no decay)."""
        decay = self.controls["decay"]
        return 0 if decay is None else int(np.flatnonzero(self.runs.decays == decay)[0])

    def _check(self, controls: dict[str, Any]) -> None:
        super()._check(controls)
        decay = controls["decay"]
        allowed = [int(s) for s in self.runs.decays[1:]]
        if decay is not None and decay not in allowed:
            raise ValueError(f"decay must be None or one of {allowed}, got {decay=}")

    def _build(self) -> Figure:
        r = self.runs
        fig = _fixed_figure((6.4, 5.6))
        self.ax_s, self.ax_loss = fig.add_subplot(2, 1, 1), fig.add_subplot(2, 1, 2)
        fig.subplots_adjust(left=0.13, right=0.97, bottom=0.1, top=0.93, hspace=0.35)
        t = np.arange(r.losses.shape[0])
        (self.sharp_line,) = self.ax_s.plot(
            [], [], "o-", ms=2.5, color=COLORS[0], label="샤프니스 S"
        )
        (self.threshold_line,) = self.ax_s.plot(
            [], [], "--", color="k", lw=1.3, label="안정성의 문턱 2/η"
        )
        self.decay_line = self.ax_s.axvline(0, color=COLORS[1], ls=":", lw=1.5)
        # one frame for every run: the sharpness and every threshold 2/η_t, on a log axis
        factor_min = r.lrs.min() * (r.factor if r.decays.size > 1 else 1.0)
        values = np.r_[r.sharpness[np.isfinite(r.sharpness)], 2 / r.lrs, 2 / factor_min]
        low, high = 0.85 * values.min(), 1.7 * values.max()  # a band on top for the legend
        self.ax_s.set_yscale("log")
        ticks = [v for v in (1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100) if low <= v <= high]
        self.ax_s.set_yticks(ticks, [f"{v:g}" for v in ticks])
        self.ax_s.yaxis.set_minor_formatter(NullFormatter())
        self.ax_s.set_ylim(low, high)
        self.ax_s.set_xlim(0, t[-1])
        self.ax_s.set_ylabel("샤프니스 S (로그 눈금)")
        self.ax_s.legend(loc="upper left", ncols=2, fontsize=9)
        (self.loss_line,) = self.ax_loss.plot([], [], "-", color=COLORS[2], lw=1.0)
        self.ax_loss.set_yscale("log")
        finite = r.losses[np.isfinite(r.losses)]
        low, high = 0.8 * finite.min(), 1.25 * finite.max()
        ticks = [v for v in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5) if low <= v <= high]
        self.ax_loss.set_yticks(ticks, [f"{v:g}" for v in ticks])
        self.ax_loss.yaxis.set_minor_formatter(NullFormatter())
        self.ax_loss.set_ylim(low, high)
        self.ax_loss.set_xlim(0, t[-1])
        self.ax_loss.set_xlabel("스텝")
        self.ax_loss.set_ylabel("손실 (전체 배치)")
        self.t = t
        return fig

    def _moving_artists(self) -> list[Any]:
        return [
            self.ax_s.title,
            self.sharp_line,
            self.threshold_line,
            self.decay_line,
            self.loss_line,
        ]

    def _draw(self) -> None:
        r, k, j = self.runs, self.index, self.decay_index
        decay = int(r.decays[j])
        self.sharp_line.set_data(r.steps, r.sharpness[:, j, k])
        self.threshold_line.set_data(self.t, 2 / r.lr_at(self.t, decay, k))
        self.decay_line.set_xdata([decay, decay])
        self.decay_line.set_visible(decay >= 0)
        self.loss_line.set_data(self.t, r.losses[:, j, k])
        when = f", {decay} 스텝에서 η × {r.factor:g}" if decay >= 0 else ""
        self.ax_s.set_title(f"η = {r.lrs[k]:g}{when}")


def edge_of_stability_explorer(runs: EdgeRuns, lr: float | None = None) -> Explorer:
    r"""Pick :math:`\eta` and (optionally) the step at which it is multiplied by
    ``runs.factor``; the figure shows the sharpness against :math:`2/\eta_t` and the loss.

    Every run is precomputed in ``runs`` (:func:`edge_of_stability_runs`): the controls
    only choose one.

    Example:
        >>> import lrbook as lrb
        >>> r = edge_of_stability_runs(lrb.quadratic((1.0, 10.0)), [1.0, 1.0],
        ...                            lrs=[0.1, 0.15], decays=[10], steps=20, every=10, iters=2)
        >>> ex = edge_of_stability_explorer(r)
        >>> ex.controls["decay"].value = 10
        >>> ex.live.decay_line.get_visible()
        True
    """
    lrs = [float(v) for v in runs.lrs]
    start = lrs[len(lrs) // 2] if lr is None else lr
    live = EdgeOfStabilityFigure(runs, lr=start, decay=None)
    controls = {
        "lr": widgets.SelectionSlider(
            options=[(f"{v:g}", v) for v in lrs],
            value=lrs[live.index],
            description="학습률 η",
            continuous_update=True,
        ),
        "decay": widgets.ToggleButtons(
            options=[("줄이지 않음", None)] + [(f"{s} 스텝", int(s)) for s in runs.decays[1:]],
            value=None,
            description=f"η × {runs.factor:g}",
        ),
    }
    return Explorer(live, controls, rows=[["lr"], ["decay"]])


def edge_of_stability_scrubber(runs: EdgeRuns, decay: int | None = None) -> Scrubber:
    """Kernel-free twin of :func:`edge_of_stability_explorer`: every learning rate of the
    grid, one frame each, with the decay step fixed at ``decay``.

    Example:
        >>> import lrbook as lrb
        >>> r = edge_of_stability_runs(lrb.quadratic((1.0, 10.0)), [1.0, 1.0],
        ...                            lrs=[0.1, 0.15], steps=20, every=10, iters=2)
        >>> edge_of_stability_scrubber(r).frames
        2
    """
    live = EdgeOfStabilityFigure(runs, lr=float(runs.lrs[0]), decay=decay)
    call = "lx.edge_of_stability_explorer"
    return scrub(live, "lr", [float(v) for v in runs.lrs], caption=_caption(call, "학습률 η"))


# ---------------------------------------------------------------------------------------
# Basin selection
# ---------------------------------------------------------------------------------------


class BasinRuns(NamedTuple):
    """The result of :func:`basin_runs`.

    Attributes:
        f: the landscape.
        lrs: the learning rates, ``(K,)``.
        starts: the starting points, ``(M,)``.
        basin: ``(K, M)`` codes: 0 flat minimum, 1 sharp minimum, 2 neither (see
            ``BASINS``).
        thresholds: :math:`2/\\lambda` of the flat and of the sharp minimum.
    """

    f: Any
    lrs: Array
    starts: Array
    basin: Array
    thresholds: tuple[float, float]

    def fractions(self) -> Array:
        """The fraction of starts in each basin, ``(3, K)`` (rows in ``BASINS`` order)."""
        return np.stack([np.mean(self.basin == c, axis=1) for c in range(3)])


def basin_runs(
    f: Any,
    lrs: Sequence[float],
    starts: Sequence[float],
    *,
    steps: int = 600,
    tail: int = 50,
    tol: float = 1e-3,
) -> BasinRuns:
    r"""Run gradient descent on a 1-D two-minimum landscape from every start at every
    learning rate, and say where each run settles.

    A run has arrived at a minimum when each of its last ``tail`` points lies within
    ``tol`` of it (a run that oscillates past it does not count). All
    ``len(lrs) * len(starts)`` runs go as one batch of :func:`lrbook.run`.

    Args:
        f: a 1-D landscape with two ``minima`` (the flat one first), e.g.
            :func:`lrbook.flat_sharp`.
        lrs: learning rates (positive).
        starts: starting points.
        steps: gradient steps per run.
        tail: how many final points must stay near the minimum.
        tol: the distance that counts as near.

    Returns:
        A :class:`BasinRuns`.

    References:
        Wu, Ma & E (2018), "How SGD selects the global minima in over-parameterized
        learning: a dynamical stability perspective", NeurIPS.

    Example:
        >>> import lrbook as lrb
        >>> r = basin_runs(lrb.flat_sharp(), [0.05, 0.5], [-2.0, 1.5])
        >>> r.basin.tolist()
        [[0, 1], [0, 0]]
    """
    minima = np.asarray(getattr(f, "minima", None), dtype=np.float64)
    if minima.shape != (2, 1):
        raise ValueError(f"f must be a 1-D landscape with two minima, got minima={minima!r}")
    lrs_arr = np.asarray(lrs, dtype=np.float64)
    x0 = np.asarray(starts, dtype=np.float64)
    if lrs_arr.ndim != 1 or np.any(~(lrs_arr > 0)):
        raise ValueError(f"lrs must be a list of positive numbers, got {lrs=}")
    if x0.ndim != 1 or not np.all(np.isfinite(x0)):
        raise ValueError(f"starts must be a list of finite numbers, got {starts=}")
    if not isinstance(tail, int) or not 1 <= tail <= steps:
        raise ValueError(f"tail must be an integer in [1, steps], got {tail=}")
    eta, theta = np.meshgrid(lrs_arr, x0, indexing="ij")
    traj = run(sgd(lr=eta.reshape(-1, 1)), f, theta.reshape(-1, 1), steps)
    last = traj.params[-tail:, :, 0].reshape(tail, *eta.shape)
    basin = np.full(eta.shape, 2)
    for code, m in enumerate(minima[:, 0]):
        basin[np.all(np.abs(last - m) < tol, axis=0)] = code
    curv = np.asarray(f.hessian(minima))[:, 0, 0]
    return BasinRuns(f, lrs_arr, x0, basin, (2 / float(curv[0]), 2 / float(curv[1])))


_BASIN_STYLE = (  # colour, marker of each basin code
    (COLORS[0], "o"),
    (COLORS[1], "s"),
    (DIVERGED, "x"),
)


class BasinFigure(_GridFigure):
    r"""Where gradient descent settles on a two-minimum landscape, for every start and
    learning rate of a :class:`BasinRuns`.

    Top: the map of starts (x) against :math:`\eta` (y, log), coloured by the basin
    reached, with the thresholds :math:`2/\lambda` and a line at the current
    :math:`\eta`. Bottom: the landscape with every start drawn at its loss, its colour and
    marker telling where the run from it ends at the current :math:`\eta`.

    Control: ``lr`` (snapped to the nearest grid learning rate, in log scale).

    Example:
        >>> import lrbook as lrb
        >>> r = basin_runs(lrb.flat_sharp(), [0.05, 0.5], [-2.0, 1.5])
        >>> live = BasinFigure(r, lr=0.5)
        >>> [len(p.get_xdata()) for p in live.points]
        [2, 0, 0]
    """

    defaults = {"lr": 0.05}
    _runs_type = BasinRuns

    def _build(self) -> Figure:
        r = self.runs
        fig = _fixed_figure((6.4, 5.8))
        self.ax_map, self.ax_f = fig.add_subplot(2, 1, 1), fig.add_subplot(2, 1, 2)
        fig.subplots_adjust(left=0.12, right=0.97, bottom=0.08, top=0.93, hspace=0.35)
        cmap = ListedColormap([c for c, _ in _BASIN_STYLE])
        # the map is an image on a log10(η) axis, ticked with the values of η
        y = np.log10(r.lrs)
        half_y, half_x = (
            0.5 * np.ptp(y) / max(y.size - 1, 1),
            0.5 * np.ptp(r.starts) / max(r.starts.size - 1, 1),
        )
        extent = (r.starts[0] - half_x, r.starts[-1] + half_x, y[0] - half_y, y[-1] + half_y)
        self.ax_map.imshow(
            r.basin,
            cmap=cmap,
            vmin=-0.5,
            vmax=2.5,
            alpha=0.75,
            origin="lower",
            extent=extent,
            aspect="auto",
            interpolation="nearest",
        )
        ticks = [
            v
            for v in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5)
            if extent[2] <= math.log10(v) <= extent[3]
        ]
        self.ax_map.set_yticks(np.log10(ticks), [f"{v:g}" for v in ticks])
        for value, name in zip(r.thresholds, ("2/λ 평탄", "2/λ 날카로움"), strict=True):
            if extent[2] < math.log10(value) < extent[3]:
                self.ax_map.axhline(math.log10(value), color="k", ls="--", lw=1.2)
                self.ax_map.text(
                    extent[1] - 0.05,
                    math.log10(value) + 0.02,
                    name,
                    ha="right",
                    va="bottom",
                    fontsize=10,
                )
        self.cursor = self.ax_map.axhline(y[0], color="k", lw=2.0)
        self.ax_map.set_xlabel("출발점 θ₀")
        self.ax_map.set_ylabel("학습률 η (로그 눈금)")
        grid = np.linspace(r.starts.min(), r.starts.max(), 400)
        self.loss0 = np.asarray(r.f.value(r.starts[:, None]))
        self.ax_f.plot(grid, r.f.value(grid[:, None]), color="0.4", lw=1.2)
        self.points = [
            self.ax_f.plot([], [], marker, color=color, ms=5, ls="none", label=name)[0]
            for (color, marker), name in zip(_BASIN_STYLE, BASINS, strict=True)
        ]
        self.ax_f.set_ylim(-0.05 * self.loss0.max(), 1.1 * self.loss0.max())
        self.ax_f.set_xlabel("출발점 θ₀ (점의 높이: 출발점의 손실)")
        self.ax_f.set_ylabel("손실 J(θ)")
        self.ax_f.legend(loc="upper center", ncols=3, fontsize=9)
        return fig

    def _moving_artists(self) -> list[Any]:
        return [self.ax_map.title, self.cursor, *self.points]

    def _draw(self) -> None:
        r, k = self.runs, self.index
        level = math.log10(r.lrs[k])
        self.cursor.set_ydata([level, level])
        for code, line in enumerate(self.points):
            hit = r.basin[k] == code
            line.set_data(r.starts[hit], self.loss0[hit])
        share = np.mean(r.basin[k] == 0)
        self.ax_map.set_title(f"η = {r.lrs[k]:.3g}: 평탄한 최솟값에 {100 * share:.0f}%")


def basin_explorer(runs: BasinRuns, lr: float | None = None) -> Explorer:
    r"""Move :math:`\eta` and see which minimum each start of ``runs`` settles in.

    Example:
        >>> import lrbook as lrb
        >>> ex = basin_explorer(basin_runs(lrb.flat_sharp(), [0.05, 0.5], [-2.0, 1.5]))
        >>> ex.controls["lr"].value = 0.5
        >>> ex.live.ax_map.get_title()
        'η = 0.5: 평탄한 최솟값에 100%'
    """
    lrs = [float(v) for v in runs.lrs]
    live = BasinFigure(runs, lr=lrs[0] if lr is None else lr)
    slider = widgets.SelectionSlider(
        options=[(f"{v:.3g}", v) for v in lrs],
        value=lrs[live.index],
        description="학습률 η",
        continuous_update=True,
    )
    return Explorer(live, {"lr": slider})


def basin_scrubber(runs: BasinRuns, lrs: Sequence[float] | None = None) -> Scrubber:
    """Kernel-free twin of :func:`basin_explorer`: one frame per learning rate of ``lrs``
    (default: every grid learning rate).

    Example:
        >>> import lrbook as lrb
        >>> basin_scrubber(basin_runs(lrb.flat_sharp(), [0.05, 0.5], [-2.0, 1.5])).frames
        2
    """
    values = [float(v) for v in (runs.lrs if lrs is None else lrs)]
    live = BasinFigure(runs, lr=values[0])
    return scrub(live, "lr", values, caption=_caption("lx.basin_explorer", "학습률 η"))
