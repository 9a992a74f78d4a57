"""Figures that update in place: ``update(**controls)`` reruns the experiment and moves the artists.

The engine of the live explorers (:mod:`lrbook.widgets`) and of their kernel-free twins
(:mod:`lrbook.scrubbers`). Each figure is built once, with the presets of
:mod:`lrbook.demos`, and every update recomputes with the core and redraws only what moved.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator

from . import demos
from ._checks import check_choice, check_int, check_interval, check_positive
from ._figure import (
    _active_length,
    _contours,
    _decades,
    _divergence_text,
    _finite,
    _fmt,
    _hangul_first,
    _last_finite,
    _limits,
    _lines_with_gid,
    _log_axis,
    _new_figure,
    _nice_limits,
    _note,
    _png_rgb,
    _positive,
    _set_note,
    _steps_axis,
    _Trail,
)
from .analysis import classify_regime
from .curvature import stability_threshold
from .finder import lr_find
from .landscapes import quadratic
from .optimizers import sgd
from .plotting import (
    _curve_at,
    _finder_ylim,
    _suggestion_style,
    plot_landscape,
    plot_landscape_1d,
)
from .style import COLORS, DIVERGED, LINESTYLES, MARKERS, WIDE, style
from .trajectory import run

__all__ = [
    "LiveFigure",
    "StepSizeFigure",
    "OptimizerRaceFigure",
    "ScheduleFigure",
    "LRFinderFigure",
    "TrainingFigure",
]


class LiveFigure:
    """A figure recomputed in place: ``update(**controls)`` reruns the experiment with the
    core and moves the existing artists; no axes, contour or colour is rebuilt.

    Subclasses declare :attr:`defaults` (the controls and their start values), build the
    artists once in ``_build`` and refresh them in ``_draw``. The live explorers of
    :mod:`lrbook.widgets` call :meth:`update` on every slider move; the scrubbers call it
    once per animation frame.

    Args:
        text_scale: factor on every font size (see :func:`lrbook.style.style`).
        **controls: start values of the controls.

    Attributes:
        fig: the matplotlib figure.
        controls: the current value of every control.
    """

    #: control name -> default value
    defaults: Mapping[str, Any] = {}

    def __init__(self, text_scale: float = 1.0, **controls: Any) -> None:
        self.text_scale = check_positive("text_scale", text_scale)
        self.controls: dict[str, Any] = dict(self.defaults)
        self._set(controls)
        self._background: Any = None
        with style(self.text_scale):
            self.fig = self._build()
            self._draw()

    def _set(self, controls: Mapping[str, Any]) -> None:
        unknown = sorted(set(controls) - set(self.defaults))
        if unknown:
            raise TypeError(
                f"unknown control(s) {unknown} of {type(self).__name__}; "
                f"the controls are {sorted(self.defaults)}"
            )
        merged = {**self.controls, **controls}
        self._check(merged)
        self.controls = merged

    def update(self, **controls: Any) -> Figure:
        """Set some controls, recompute and redraw in place.

        Args:
            **controls: new values, by control name (see :attr:`defaults`).

        Returns:
            The same figure, updated.
        """
        self._set(controls)
        with style(self.text_scale):
            self._draw()
        return self.fig

    @property
    def messages(self) -> list[str]:
        """The Korean messages the figure now shows (divergence warnings)."""
        return [
            t.get_text()
            for ax in self.fig.axes
            for t in ax.texts
            if t.get_gid() == "lrbook-note" and t.get_visible() and t.get_text()
        ]

    def png(self) -> bytes:
        """The figure rendered as PNG bytes (what a live explorer shows).

        The frame of the figure (axes, ticks, labels, contours: everything but
        :meth:`_moving_artists`) is rendered once into a cached background, kept as long
        as no axis changes its limits or scale; each call restores it and draws only the
        moving artists on top, in zorder (with the axes spines, which sit above the data),
        as matplotlib's blitting does for animations.
        The live figures round their limits outward (to decades on log axes) so that most
        updates keep the frame.
        """
        canvas = self.fig.canvas
        renderer = canvas.get_renderer()
        moving = self._moving_artists()
        views = tuple(
            (ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale()) for ax in self.fig.axes
        )
        key = (renderer.width, renderer.height, views)
        if self._background is None or self._background[0] != key:
            hide = [a for a in moving if not a.get_animated()]
            for artist in hide:
                artist.set_animated(True)
            try:
                canvas.draw()
            finally:
                for artist in hide:
                    artist.set_animated(False)
            self._background = (key, canvas.copy_from_bbox(self.fig.bbox))
        else:
            canvas.restore_region(self._background[1])
        spines = [spine for ax in self.fig.axes for spine in ax.spines.values()]
        for artist in sorted(moving + spines, key=lambda a: a.get_zorder()):
            if artist.get_visible():
                artist.draw(renderer)
        return _png_rgb(np.asarray(canvas.buffer_rgba()))

    def _moving_artists(self) -> list[Any]:
        """The artists that :meth:`_draw` changes (lines, titles, notes, legends), and any
        artist that must stay on top of them; the rest is the cached frame."""
        return []

    def _repr_png_(self) -> bytes:
        return self.png()

    def _check(self, controls: dict[str, Any]) -> None:
        """Validate the controls (ValueError/TypeError naming the bad one)."""

    def _build(self) -> Figure:
        raise NotImplementedError

    def _draw(self) -> None:
        raise NotImplementedError


_REGIMES = {"monotone": "단조 수렴", "oscillating": "진동하며 수렴", "divergent": "발산"}


class StepSizeFigure(LiveFigure):
    r"""Gradient descent :math:`\theta_{t+1} = \theta_t - \eta\,\nabla J(\theta_t)` for a
    chosen step size :math:`\eta`, on a 1-D or a 2-D quadratic, updated in place.

    Left: the landscape with the iterates and their step vectors (for ``dim=1`` the
    parabola :math:`J(\theta) = 5\theta^2` from :math:`\theta_0 = 1`; for ``dim=2`` the bowl
    with Hessian eigenvalues 1 and 10 from :math:`(-2, 1)`). Right: the loss per step on a
    log axis, titled with the regime (단조 수렴 / 진동하며 수렴 / 발산). Both landscapes have
    :math:`\lambda_{\max} = 10`, so gradient descent is stable exactly for
    :math:`\eta < 2/\lambda_{\max} = 0.2`; above it the figure says
    ``"η = 0.25 > 2/λ = 0.2: 발산"``.

    Controls: ``lr`` (:math:`\eta > 0`), ``steps`` (at least 1).

    Args:
        dim: 1 or 2.
        **controls: start values of the controls.

    Example:
        >>> live = StepSizeFigure(dim=1, lr=0.25)
        >>> live.messages
        ['η = 0.25 > 2/λ = 0.2: 발산']
        >>> live.update(lr=0.05).axes[1].get_title()
        '단조 수렴'
    """

    defaults = {"lr": 0.05, "steps": 20}

    def __init__(self, dim: int = 2, **controls: Any) -> None:
        if dim not in (1, 2):
            raise ValueError(f"dim must be 1 or 2, got {dim=}")
        self.dim = dim
        self.f = quadratic((10.0,)) if dim == 1 else quadratic((1.0, 10.0))
        self.x0 = np.array([1.0]) if dim == 1 else np.array([-2.0, 1.0])
        self.threshold = float(stability_threshold(self.f, self.f.minimum))
        super().__init__(**controls)

    def _check(self, controls: dict[str, Any]) -> None:
        check_positive("lr", controls["lr"])
        check_int("steps", controls["steps"], minimum=1)

    def _build(self) -> Figure:
        fig, (self.ax_land, self.ax_loss) = _new_figure(WIDE, ncols=2, fixed=True)
        if self.dim == 1:
            plot_landscape_1d(self.f, xlim=(-1.6, 1.6), ax=self.ax_land)
        else:
            plot_landscape(self.f, xlim=(-2.6, 2.6), ylim=(-1.4, 1.4), ax=self.ax_land)
        if self.ax_land.get_legend() is not None:
            self.ax_land.get_legend().remove()
        self.box = (self.ax_land.get_xlim(), self.ax_land.get_ylim())
        self.trail = _Trail(self.ax_land, COLORS[0], arrows=True)
        (self.loss,) = self.ax_loss.plot([], [], "o-", ms=3, color=COLORS[0], gid="loss")
        (self.loss_end,) = self.ax_loss.plot(
            [], [], "x", color=DIVERGED, ms=10, mew=2.5, gid="diverged"
        )
        self.ax_loss.set_yscale("log")
        _log_axis(self.ax_loss.yaxis)
        # a fixed frame: from far below any start to above lrb.run's divergence bound
        self.ax_loss.set_ylim(1e-10, 1e7)
        self.ax_loss.set_xlabel("스텝 t")
        self.ax_loss.set_ylabel(r"손실 $J(\theta_t)$", fontfamily=_hangul_first())
        _steps_axis(self.ax_loss.xaxis)
        self.note = _note(self.ax_land)
        return fig

    def _moving_artists(self) -> list[Any]:
        stars = _lines_with_gid(self.ax_land, "minimum")
        loss = [self.ax_loss.title, self.loss, self.loss_end]
        return [self.ax_land.title, self.note, *self.trail.artists(), *stars, *loss]

    def _draw(self) -> None:
        lr, steps = float(self.controls["lr"]), int(self.controls["steps"])
        traj = run(sgd(lr=lr), self.f, self.x0, steps)
        stopped = bool(traj.diverged)
        n = _active_length(traj.losses, stopped)
        P, L = traj.params[:n], traj.losses[:n]
        self.trail.set(np.column_stack([P[:, 0], L]) if self.dim == 1 else P, stopped, self.box)
        shown = _positive(L)
        self.loss.set_data(np.arange(n), shown)
        k = _last_finite(shown)
        if stopped and k is not None:
            self.loss_end.set_data([k], [shown[k]])
        else:
            self.loss_end.set_data([], [])
        self.ax_loss.set_xlim(-0.5, steps + 0.5)
        regime = str(classify_regime(traj.params, traj.losses, traj.diverged))
        above = lr > self.threshold
        edge = math.isclose(lr, self.threshold, rel_tol=1e-9)
        if edge or (regime == "divergent" and not (above or stopped)):
            # |1 - ηλ_max| = 1: the steepest direction keeps its amplitude forever
            title = "수렴하지 않음: 같은 폭으로 계속 진동"
        else:
            title = _REGIMES[regime]
        self.ax_loss.set_title(title)
        edge_text = rf"$2/\lambda_{{\max}}$ = {_fmt(self.threshold)}"
        self.ax_land.set_title(f"η = {_fmt(lr)}   ({edge_text})")
        if above:
            text = f"η = {_fmt(lr)} > 2/λ = {_fmt(self.threshold)}: 발산"
        else:
            text = "발산" if stopped else ""
        _set_note(self.note, text)


class OptimizerRaceFigure(LiveFigure):
    r"""Several optimizers from the same start on the same landscape, updated in place.

    Left: contours with one path per chosen optimizer; right: their losses per step (log
    y). A run counts as diverged when ``lrb.run`` stopped it or when it ends above its
    starting loss; the figure then names it: ``"발산: SGD, 모멘텀"``. Runs are cached, so
    moving a control that an optimizer does not read (``beta2`` for SGD) reruns nothing
    for it.

    Controls: ``landscape`` (a key of :data:`lrbook.demos.RACE_LANDSCAPES`), ``optimizers``
    (names from :data:`lrbook.demos.RACE_OPTIMIZERS`), ``lr``, ``momentum``
    (:math:`\mu \in [0, 1)`, for 모멘텀 and 네스테로프), ``beta1`` and ``beta2`` (Adam's
    :math:`\beta_1, \beta_2 \in [0, 1)`), ``steps``.

    Example:
        >>> live = OptimizerRaceFigure(optimizers=("SGD", "Adam"), lr=0.1)
        >>> live.messages
        ['발산: SGD']
    """

    defaults = {
        "landscape": "ill_conditioned",
        "optimizers": ("SGD", "모멘텀", "Adam"),
        "lr": 0.02,
        "momentum": 0.9,
        "beta1": 0.9,
        "beta2": 0.999,
        "steps": 100,
    }

    def _check(self, controls: dict[str, Any]) -> None:
        check_choice("landscape", controls["landscape"], demos.RACE_LANDSCAPES)
        chosen = controls["optimizers"]
        if isinstance(chosen, str):
            raise TypeError(f"optimizers must be a sequence of names, got optimizers={chosen!r}")
        for name in chosen:
            check_choice("optimizers", name, demos.RACE_OPTIMIZERS)
        check_positive("lr", controls["lr"])
        check_interval("momentum", controls["momentum"], 0.0, 1.0, closed="left")
        check_interval("beta1", controls["beta1"], 0.0, 1.0, closed="left")
        check_interval("beta2", controls["beta2"], 0.0, 1.0, closed="left")
        check_int("steps", controls["steps"], minimum=1)

    def _build(self) -> Figure:
        fig, (self.ax_land, self.ax_loss) = _new_figure(WIDE, ncols=2, fixed=True)
        self.ax_land.set_xlabel("θ₁")
        self.ax_land.set_ylabel("θ₂")
        looks = {
            name: (
                COLORS[i % len(COLORS)],
                LINESTYLES[i % len(LINESTYLES)],
                MARKERS[i % len(MARKERS)],
            )
            for i, name in enumerate(demos.RACE_OPTIMIZERS)
        }
        self.trails = {
            name: _Trail(self.ax_land, color, arrows=False, label=name, linestyle=ls, marker=m)
            for name, (color, ls, m) in looks.items()
        }
        self.losses = {
            name: self.ax_loss.plot(
                [], [], color=color, ls=ls, marker=m, markevery=10, ms=5, gid="loss"
            )[0]
            for name, (color, ls, m) in looks.items()
        }
        (self.start,) = self.ax_land.plot([], [], "s", color="k", ms=6, gid="start", zorder=5)
        (self.minimum,) = self.ax_land.plot([], [], "*", color="k", ms=12, gid="minimum", zorder=5)
        self.ax_loss.set_yscale("log")
        _log_axis(self.ax_loss.yaxis)
        self.ax_loss.set_xlabel("스텝 t")
        self.ax_loss.set_ylabel(r"손실 $J(\theta_t)$", fontfamily=_hangul_first())
        _steps_axis(self.ax_loss.xaxis)
        self.note = _note(self.ax_land)
        self._contour: Any = None
        self._landscape: str | None = None
        self._cache: dict[tuple, Any] = {}
        return fig

    def _moving_artists(self) -> list[Any]:
        trails = [a for trail in self.trails.values() for a in trail.artists()]
        loss = [self.ax_loss.title, *self.losses.values(), self.ax_loss.get_legend()]
        artists = [self.ax_land.title, self.note, *trails, self.start, self.minimum, *loss]
        return [a for a in artists if a is not None]

    def _show_landscape(self, key: str) -> None:
        self._background = None
        demo = demos.RACE_LANDSCAPES[key]
        x0, box = demo.start, demo.box
        self.f, self.x0, self.box = demo.make(), np.array(x0), box
        if self._contour is not None:
            self._contour.remove()
        self._contour = _contours(self.ax_land, self.f, box, 20)
        self.start.set_data([x0[0]], [x0[1]])
        self.minimum.set_data([self.f.minimum[0]], [self.f.minimum[1]])
        self.ax_land.set_xlim(*box[0])
        self.ax_land.set_ylim(*box[1])
        # a fixed frame per landscape; diverging runs leave through the top
        top = _decades(np.array([30.0 * float(self.f.value(self.x0))]))[1]
        self.ax_loss.set_ylim(1e-8, top)
        self._landscape = key

    def _run(self, name: str) -> Any:
        c = self.controls
        demo = demos.RACE_OPTIMIZERS[name]
        hyper = {r: float(c[r]) for r in demo.reads}
        key = (c["landscape"], name, float(c["lr"]), int(c["steps"]), *hyper.values())
        if key not in self._cache:
            if len(self._cache) > 256:
                self._cache.clear()
            opt = demo.make(float(c["lr"]), **hyper)
            self._cache[key] = run(opt, self.f, self.x0, int(c["steps"]))
        return self._cache[key]

    def _draw(self) -> None:
        c = self.controls
        if c["landscape"] != self._landscape:
            self._show_landscape(c["landscape"])
        chosen = [name for name in demos.RACE_OPTIMIZERS if name in c["optimizers"]]
        diverged = []
        for name in demos.RACE_OPTIMIZERS:
            if name not in chosen:
                self.trails[name].hide()
                self.losses[name].set_visible(False)
                continue
            traj = self._run(name)
            stopped = bool(traj.diverged)
            n = _active_length(traj.losses, stopped)
            bad = stopped or not traj.losses[n - 1] < traj.losses[0]
            if bad:
                diverged.append(name)
            self.trails[name].set(traj.params[:n], stopped, self.box)
            y = _positive(traj.losses[:n])
            self.losses[name].set_data(np.arange(n), y)
            self.losses[name].set_visible(True)
        self.ax_loss.set_xlim(0, int(c["steps"]))
        handles = [self.trails[name].line for name in chosen]
        if not chosen:
            self.ax_loss.set_title("옵티마이저를 하나 이상 고르세요")
        if handles:
            self.ax_loss.legend(handles=handles, loc="lower left", fontsize="small")
        elif self.ax_loss.get_legend() is not None:
            self.ax_loss.get_legend().remove()
        self.ax_land.set_title(
            f"{demos.RACE_LANDSCAPES[c['landscape']].label},  η = {_fmt(float(c['lr']))}"
        )
        if chosen:
            self.ax_loss.set_title("스텝별 손실")
        _set_note(self.note, _divergence_text(diverged) if diverged else "")


class ScheduleFigure(LiveFigure):
    r"""A learning-rate schedule and the training it produces, updated in place.

    Left: :math:`\eta_t` for the chosen schedule (a key of
    :data:`lrbook.demos.SCHEDULES`). Right: the training it produces,
    :func:`lrbook.demos.schedule_run` (SGD on a noisy quadratic), against the constant
    rate ``lr`` in grey. Peaks above :math:`2/\lambda_{\max} = 0.2` may diverge, and
    the figure says so.

    Controls: ``schedule``, ``lr``, ``warmup_steps``, ``step_size``, ``gamma``.

    Args:
        steps: number of training steps (the schedule's total).
        **controls: start values of the controls.

    Example:
        >>> live = ScheduleFigure(schedule="constant", lr=0.5)
        >>> live.messages
        ['발산: 최대 η = 0.5 > 2/λ = 0.2']
    """

    defaults = {
        "schedule": "warmup_cosine",
        "lr": 0.1,
        "warmup_steps": 20,
        "step_size": 50,
        "gamma": 0.3,
    }

    def __init__(self, steps: int = 200, **controls: Any) -> None:
        self.steps = check_int("steps", steps, minimum=2)
        self.f = demos.schedule_landscape()
        self.threshold = float(stability_threshold(self.f, self.f.minimum))
        super().__init__(**controls)

    def _check(self, controls: dict[str, Any]) -> None:
        check_choice("schedule", controls["schedule"], demos.SCHEDULES)
        check_positive("lr", controls["lr"])
        check_int("warmup_steps", controls["warmup_steps"], minimum=0)
        check_int("step_size", controls["step_size"], minimum=1)
        check_interval("gamma", controls["gamma"], 0.0, 1.0, closed="neither")

    def _moving_artists(self) -> list[Any]:
        return [
            self.ax_lr.title,
            self.curve,
            self.threshold_line,
            self.ax_loss.title,
            self.baseline,
            self.loss,
            self.ax_loss.get_legend(),
            self.note,
        ]

    def _build(self) -> Figure:
        fig, (self.ax_lr, self.ax_loss) = _new_figure(WIDE, ncols=2, fixed=True)
        (self.curve,) = self.ax_lr.plot([], [], color=COLORS[0], gid="schedule")
        self.threshold_line = self.ax_lr.axhline(
            self.threshold, ls="--", color="k", lw=1.0, label=r"$2/\lambda_{\max}$", gid="threshold"
        )
        self.ax_lr.set_xlabel("스텝 t")
        self.ax_lr.set_ylabel(r"학습률 $\eta_t$", fontfamily=_hangul_first())
        self.ax_lr.set_xlim(0, self.steps)
        (self.baseline,) = self.ax_loss.plot(
            [], [], color="0.6", lw=1.2, ls="--", label="상수 η (비교)", gid="baseline"
        )
        (self.loss,) = self.ax_loss.plot([], [], color=COLORS[0], label="스케줄", gid="loss")
        self.ax_loss.set_yscale("log")
        _log_axis(self.ax_loss.yaxis)
        self.ax_loss.set_ylim(1e-3, 1e3)  # a fixed frame; diverging runs leave through the top
        self.ax_loss.set_xlabel("스텝 t")
        self.ax_loss.set_ylabel(r"손실 $J(\theta_t)$", fontfamily=_hangul_first())
        self.ax_loss.set_xlim(0, self.steps)
        self.ax_loss.legend(loc="lower left")
        for ax in (self.ax_lr, self.ax_loss):
            _steps_axis(ax.xaxis)
        self.note = _note(self.ax_loss)
        self._baseline_lr: float | None = None
        return fig

    def _draw(self) -> None:
        c = self.controls
        lr = float(c["lr"])
        schedule = demos.make_schedule(
            c["schedule"],
            lr,
            int(c["warmup_steps"]),
            int(c["step_size"]),
            float(c["gamma"]),
            self.steps,
        )
        t = np.arange(self.steps)
        eta = _finite(schedule(t))
        self.curve.set_data(t, eta)
        self.ax_lr.set_ylim(*_nice_limits(0.0, 1.05 * max(float(np.nanmax(eta)), self.threshold)))
        self.ax_lr.set_title(
            f"{demos.SCHEDULES[c['schedule']].label}  (최대 η = {_fmt(float(np.nanmax(eta)))})"
        )
        if self._baseline_lr != lr:
            base = demos.schedule_run(lr, self.steps)
            n = _active_length(base.losses, bool(base.diverged))
            self.baseline.set_data(np.arange(n), _positive(base.losses[:n]))
            self._baseline_lr = lr
        traj = demos.schedule_run(
            lambda step: eta[step], self.steps
        )  # the values just drawn, looked up
        stopped = bool(traj.diverged)
        n = _active_length(traj.losses, stopped)
        y = _positive(traj.losses[:n])
        self.loss.set_data(np.arange(n), y)
        self.ax_loss.set_title(f"SGD 최종 손실 = {_fmt(float(y[-1]))}")
        peak = float(np.nanmax(eta))
        if stopped:
            text = (
                f"발산: 최대 η = {_fmt(peak)} > 2/λ = {_fmt(self.threshold)}"
                if peak > self.threshold
                else "발산"
            )
        else:
            text = ""
        _set_note(self.note, text)


class LRFinderFigure(LiveFigure):
    r"""The LR range test on a small network, with fastai's four suggestions, in place.

    The problem: a tanh MLP (2 inputs, 16 hidden units, 3 classes) on three interleaved
    spirals (300 points, seeded), minibatches of 32. Each update reruns
    ``lrb.lr_find`` with the controls and redraws the raw and smoothed loss against the
    learning rate (log x) and the ``valley``, ``steep``, ``minimum`` and ``slide``
    suggestions. When the test stopped on divergence the figure says where.

    The training depends only on ``optimizer``, ``start_lr``, ``end_lr`` and ``num_it``;
    it runs once per such choice (cached), and ``beta`` or ``diverge_th`` replay its
    losses through ``lr_find``: the same result as a fresh test, without training.

    Controls: ``start_lr``, ``end_lr`` (``start_lr < end_lr``), ``num_it``, ``beta``
    (:math:`[0, 1)`), ``diverge_th`` (at least 1), ``optimizer`` (``"SGD"`` or ``"Adam"``).

    Example:
        >>> live = LRFinderFigure()
        >>> sorted(live.result.suggestions)
        ['minimum', 'slide', 'steep', 'valley']
    """

    defaults = {
        "start_lr": 1e-5,
        "end_lr": 10.0,
        "num_it": 100,
        "beta": 0.98,
        "diverge_th": 4.0,
        "optimizer": "SGD",
    }

    def _check(self, controls: dict[str, Any]) -> None:
        start = check_positive("start_lr", controls["start_lr"])
        end = check_positive("end_lr", controls["end_lr"])
        if start >= end:
            raise ValueError(f"start_lr must be below end_lr, got start_lr={start}, end_lr={end}")
        check_int("num_it", controls["num_it"], minimum=1)
        check_interval("beta", controls["beta"], 0.0, 1.0, closed="left")
        check_interval("diverge_th", controls["diverge_th"], 1.0, math.inf, closed="left")
        check_choice("optimizer", controls["optimizer"], demos.FINDER_OPTIMIZERS)

    def _build(self) -> Figure:
        fig, (self.ax,) = _new_figure(fixed=True)
        (self.raw,) = self.ax.plot(
            [], [], color=COLORS[0], lw=1.0, alpha=0.45, label="손실", gid="loss"
        )
        (self.smooth,) = self.ax.plot(
            [], [], color=COLORS[0], lw=2.2, label="평활 손실 (EMA)", gid="smoothed"
        )
        self.marks: dict[str, Any] = {}
        for i, name in enumerate(("valley", "steep", "minimum", "slide")):
            color, marker = _suggestion_style(name, i)
            (self.marks[name],) = self.ax.plot(
                [], [], marker, color=color, ms=9, mec="white", mew=1.2, zorder=5, gid="suggestion"
            )
        self.ax.set_xscale("log")
        _log_axis(self.ax.xaxis)
        self.ax.set_xlabel("학습률 η (로그 스케일)")
        self.ax.set_ylabel("손실")
        self.note = _note(self.ax, x=0.98, y=0.95, ha="right")
        return fig

    def _moving_artists(self) -> list[Any]:
        legend = self.ax.get_legend()
        return [self.ax.title, self.raw, self.smooth, *self.marks.values(), legend, self.note]

    def _draw(self) -> None:
        c = self.controls
        start_lr, end_lr, num_it = float(c["start_lr"]), float(c["end_lr"]), int(c["num_it"])
        losses = demos._finder_losses(c["optimizer"], start_lr, end_lr, num_it)
        # the replay: iteration i "computes" the kept loss i and a zero gradient, so lr_find
        # records the same lrs and losses, smooths, stops and suggests as in a fresh test
        zero = np.zeros(1)
        res = lr_find(
            lambda params, i: (losses[i], zero),
            zero,
            start_lr=start_lr,
            end_lr=end_lr,
            num_it=num_it,
            beta=float(c["beta"]),
            diverge_th=float(c["diverge_th"]),
            batches=lambda i: i,
        )
        self.result = res
        lrs, losses, smoothed = _finite(res.lrs), _finite(res.losses), _finite(res.smoothed)
        self.raw.set_data(lrs, losses)
        self.smooth.set_data(lrs, smoothed)
        shown = []
        for name, mark in self.marks.items():
            lr = res.suggestions.get(name, math.nan)
            at = _curve_at(lrs, smoothed, lr) if np.isfinite(lr) and lr > 0 else math.nan
            ok = bool(np.isfinite(at))
            mark.set_data([lr], [at]) if ok else mark.set_data([], [])
            mark.set_label(f"{name}: {lr:.3g}" if ok else "_hidden")
            mark.set_visible(ok)
            if ok:
                shown.append(mark)
        # the suggestions are named in the legend (two columns), never next to the curve
        handles = [self.raw, self.smooth, *shown]
        self.ax.legend(handles=handles, loc="lower left", ncols=2, fontsize="small")
        self.ax.set_xlim(*_limits(np.array([c["start_lr"], c["end_lr"]]), log=True, pad=0.02))
        # from the raw losses (they do not depend on beta): the frame rarely changes
        self.ax.set_ylim(*_nice_limits(*_finder_ylim(losses, None)))
        self.ax.set_title(
            f"LR 범위 테스트: {c['optimizer']}, β = {_fmt(float(c['beta']))}, "
            f"{len(lrs)}/{int(c['num_it'])}회"
        )
        if res.stopped_early:
            text = (
                f"η ≈ {res.lrs[-1]:.2g}에서 발산: 평활 손실 > {_fmt(float(c['diverge_th']))} × 최저"
            )
            if not np.isfinite(losses).all():
                text = f"η ≈ {res.lrs[-1]:.2g}에서 발산: 손실이 NaN/∞"
        else:
            text = ""
        _set_note(self.note, text)


class TrainingFigure(LiveFigure):
    r"""A small MLP trained on the handwritten digits at the chosen optimizer and learning
    rate, with the whole learning-rate sweep beside it.

    The sweep of chapter 6, :func:`lrbook.demos.digits_sweep`, is trained once at
    construction (a few seconds); an update only looks the run up, so the ``lr`` control
    snaps to the nearest grid point (in log scale).

    Left: the minibatch loss of every step (faint) and the training and validation loss
    at every epoch, on a log axis. Middle: the validation accuracy per epoch. Right: the
    final validation accuracy against :math:`\eta` for both optimizers (log x), the
    current one in colour, its run marked, and the seed's recommended range shaded
    (Adam :math:`[10^{-4}, 10^{-3}]`, SGD + 모멘텀 :math:`[10^{-2}, 10^{-1}]`). A run
    diverges when a loss exceeds :math:`3 \ln 10` (three times the loss of a uniform
    guess); the figure then says "발산" and where.

    Controls: ``optimizer`` (a key of :data:`lrbook.demos.TRAINING_OPTIMIZERS`), ``lr``
    (positive; the nearest grid point is shown).

    Args:
        grid, epochs, batch_size, width, seed: the sweep, see :func:`lrbook.demos.digits_sweep`.
        **controls: start values of the controls.

    Example:
        >>> live = TrainingFigure(optimizer="SGD + 모멘텀", lr=0.1)
        >>> live.lr, live.messages
        (0.1, [])
        >>> live.update(optimizer="Adam", lr=10.0).axes[0].get_title()
        'Adam, η = 10'
        >>> live.messages[0].startswith("발산")
        True
    """

    defaults = {"optimizer": "Adam", "lr": 1e-3}

    def __init__(
        self,
        grid: Sequence[float] | None = None,
        epochs: int = 10,
        batch_size: int = 128,
        width: int = 16,
        seed: int = 0,
        **controls: Any,
    ) -> None:
        self.sweep = demos.digits_sweep(
            grid, epochs=epochs, batch_size=batch_size, width=width, seed=seed
        )
        self.grid, self.epochs = self.sweep.grid, self.sweep.epochs
        self.histories, self.max_loss = self.sweep.histories, self.sweep.max_loss
        super().__init__(**controls)

    @property
    def index(self) -> int:
        """Position in ``grid`` of the run shown: the grid point nearest ``lr`` (log)."""
        return int(np.argmin(np.abs(np.log(self.grid) - math.log(float(self.controls["lr"])))))

    @property
    def lr(self) -> float:
        """The learning rate of the run shown (a point of ``grid``)."""
        return float(self.grid[self.index])

    def _check(self, controls: dict[str, Any]) -> None:
        check_choice("optimizer", controls["optimizer"], demos.TRAINING_OPTIMIZERS)
        check_positive("lr", controls["lr"])

    def _build(self) -> Figure:
        fig, (self.ax_loss, self.ax_acc, self.ax_sweep) = _new_figure(
            (10.5, 3.8), ncols=3, fixed=True
        )
        fig.subplots_adjust(wspace=0.38)
        spe = next(iter(self.histories.values())).steps_per_epoch
        self.step_x = np.arange(self.epochs * spe) / spe
        self.epoch_x = np.arange(self.epochs + 1)

        # 1) losses: minibatch (faint), training and validation per epoch, log y
        (self.step_loss,) = self.ax_loss.plot(
            [], [], color=COLORS[0], lw=0.8, alpha=0.35, label="미니배치 손실", gid="step-loss"
        )
        (self.train_loss,) = self.ax_loss.plot(
            [], [], "o-", color=COLORS[0], ms=3.5, label="학습 손실", gid="train-loss"
        )
        (self.val_loss,) = self.ax_loss.plot(
            [], [], "s-", color=COLORS[1], ms=3.5, label="검증 손실", gid="val-loss"
        )
        self.ax_loss.axhline(
            self.max_loss,
            color=DIVERGED,
            ls="--",
            lw=1.0,
            label="발산 기준",
            gid="max-loss",
            zorder=1.9,  # under the curves, as when they are blitted over the frame
        )
        # a fixed frame for every run: the epoch losses of the whole sweep, up to max_loss
        finite = np.concatenate(
            [np.ravel(h.train_loss) for h in self.histories.values()]
            + [np.ravel(h.val_loss) for h in self.histories.values()]
        )
        finite = finite[np.isfinite(finite) & (finite <= self.max_loss)]
        self.ax_loss.set_yscale("log")
        _log_axis(self.ax_loss.yaxis)
        self.ax_loss.set_ylim(*_decades(np.r_[finite, self.max_loss]))
        self.ax_loss.set_xlim(0, self.epochs)
        self.ax_loss.set_xlabel("에폭")
        self.ax_loss.set_ylabel("손실 (교차 엔트로피)")
        self.ax_loss.legend(loc="lower left", fontsize="small")

        # 2) validation accuracy per epoch
        (self.acc,) = self.ax_acc.plot([], [], "o-", color=COLORS[2], ms=3.5, gid="val-acc")
        self.ax_acc.axhline(10.0, color="0.5", ls=":", lw=1.0, gid="chance")
        self.ax_acc.set_xlim(0, self.epochs)
        self.ax_acc.set_ylim(0, 100)
        self.ax_acc.set_xlabel("에폭")
        self.ax_acc.set_ylabel("검증 정확도 (%)")
        for ax in (self.ax_loss, self.ax_acc):
            _steps_axis(ax.xaxis)

        # 3) the sweep: final validation accuracy against lr, both optimizers
        self.span = self.ax_sweep.axvspan(
            1e-4, 1e-3, color=COLORS[4], alpha=0.25, lw=0, label="원문 권장 범위", gid="range"
        )
        self.curves = {
            name: self.ax_sweep.plot([], [], "o-", ms=3, gid="sweep")[0]
            for name in demos.TRAINING_OPTIMIZERS
        }
        (self.sweep_diverged,) = self.ax_sweep.plot(
            [], [], "x", color=DIVERGED, ms=7, mew=2, label="발산", gid="diverged"
        )
        self.cursor = self.ax_sweep.axvline(1e-3, color="k", lw=1.0, ls="--", gid="current")
        (self.mark,) = self.ax_sweep.plot(
            [], [], "o", color="k", ms=8, mfc="none", mew=1.8, zorder=5, gid="current-run"
        )
        self.ax_sweep.set_xscale("log")
        _log_axis(self.ax_sweep.xaxis)
        # a label every other decade: six decades in a third of the figure would touch
        self.ax_sweep.xaxis.set_major_locator(LogLocator(numticks=5))
        self.ax_sweep.set_xlim(*_limits(self.grid, log=True, pad=0.04))
        self.ax_sweep.set_ylim(0, 100)
        self.ax_sweep.set_xlabel("학습률 η (로그 스케일)")
        self.ax_sweep.set_ylabel("최종 검증 정확도 (%)")
        self.ax_sweep.set_title(f"학습률 스윕 ({self.epochs} 에폭 뒤)")
        self.note = _note(self.ax_loss, y=0.62)
        return fig

    def _moving_artists(self) -> list[Any]:
        return [
            self.ax_loss.title,
            self.ax_acc.title,
            self.step_loss,
            self.train_loss,
            self.val_loss,
            self.acc,
            self.span,
            *self.curves.values(),
            self.sweep_diverged,
            self.cursor,
            self.mark,
            self.ax_sweep.get_legend(),
            self.note,
        ]

    def _draw(self) -> None:
        name = self.controls["optimizer"]
        k, lr = self.index, self.lr
        h = self.histories[name]
        low, high = demos.TRAINING_OPTIMIZERS[name].recommended

        # 1) the run at the grid point nearest lr
        self.step_loss.set_data(self.step_x, _positive(h.losses[:, k]))
        self.train_loss.set_data(self.epoch_x, _positive(h.train_loss[:, k]))
        self.val_loss.set_data(self.epoch_x, _positive(h.val_loss[:, k]))
        acc = 100 * _finite(h.val_acc[:, k])
        self.acc.set_data(self.epoch_x, acc)
        self.ax_loss.set_title(f"{name}, η = {_fmt(lr)}")
        diverged = bool(h.diverged[k])
        self.ax_acc.set_title("검증 정확도: 발산" if diverged else f"검증 정확도 {acc[-1]:.1f}%")

        # 2) the sweep, the current optimizer in colour
        for i, (other, line) in enumerate(self.curves.items()):
            current = other == name
            line.set_data(self.grid, 100 * _finite(self.histories[other].val_acc[-1]))
            line.set_color(COLORS[i] if current else "0.7")
            line.set_linestyle("-" if current else "--")  # told apart without colour too
            line.set_marker("o" if current else "s")
            line.set_zorder(3 if current else 2)
            line.set_label(other if current else f"{other} (비교)")
        bad = np.asarray(h.diverged, dtype=bool)
        self.sweep_diverged.set_data(self.grid[bad], np.full(bad.sum(), 3.0))
        self.span.set_x(low)
        self.span.set_width(high - low)
        self.cursor.set_xdata([lr, lr])
        final = 100 * float(h.val_acc[-1, k]) if not diverged else 3.0
        self.mark.set_data([lr], [final])
        self.mark.set_color(DIVERGED if diverged else "k")
        others = [line for other, line in self.curves.items() if other != name]
        handles = [self.curves[name], *others, self.span, self.sweep_diverged]
        self.ax_sweep.legend(handles=handles, loc="center right", fontsize="x-small")

        # 3) the divergence message
        if diverged:
            step = int(h.diverged_step[k])
            text = f"발산: {step + 1}번째 스텝에서\n손실 > 3 ln 10 ≈ {self.max_loss:.2g}"
        else:
            text = ""
        _set_note(self.note, text)
