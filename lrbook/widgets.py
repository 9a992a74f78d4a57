"""Live explorers for notebooks (ipywidgets): thin controls over :mod:`lrbook.live`.

Each explorer is a function returning an :class:`Explorer`, an ``ipywidgets.VBox`` of
controls above the figure. Put it last in a cell::

    from lrbook import widgets as lw
    lw.step_size_explorer()

Moving a control calls ``update(...)`` on one of the live figures of
:mod:`lrbook.live` (:class:`~lrbook.live.StepSizeFigure`,
:class:`~lrbook.live.OptimizerRaceFigure`, :class:`~lrbook.live.ScheduleFigure`,
:class:`~lrbook.live.LRFinderFigure`, :class:`~lrbook.live.TrainingFigure`), which
reruns the experiment with the :mod:`lrbook` core (or looks up a run trained in advance)
and redraws the same figure in place; the figure is shown as a PNG image widget, so it
works in Jupyter, Binder and Colab without any extra extension.
Every control's range only holds valid values, so no position raises, and a diverging
setting shows a Korean message in the figure instead. Learning-rate sliders step through
round, log-spaced values plus every value the chapters ask the reader to try, each shown
exactly (0.2, not 0.1995). The figure is drawn at twice its pixel size and shown at its
natural size, never wider than the column. Works with ipywidgets 7.7 (Colab) and 8.

In the rendered book (no kernel) each explorer has a kernel-free twin,
:func:`lrbook.scrubbers.step_size_scrubber` and its siblings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
from matplotlib.figure import Figure

from . import demos
from .live import (
    LiveFigure,
    LRFinderFigure,
    OptimizerRaceFigure,
    ScheduleFigure,
    StepSizeFigure,
    TrainingFigure,
)
from .style import STYLE

__all__ = [
    "Explorer",
    "step_size_explorer",
    "optimizer_explorer",
    "schedule_explorer",
    "lr_finder_explorer",
    "training_explorer",
]

_WIDE = widgets.Layout(width="420px")
_STYLE = {"description_width": "110px"}

#: Pixel density of the explorer images: drawn at 2x, shown at the figure's natural size.
_DENSITY = 2

#: Mantissas of the learning-rate grid, 20 per decade: round values that prose can name.
_MANTISSAS = (1, 1.1, 1.2, 1.3, 1.5, 1.7, 2, 2.2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 7.5, 8, 8.5, 9)
#: Values the chapters ask the reader to try that are not round (chapter 5: SGD's optimal
#: η* = 2/26 ≈ 0.077 on the κ = 25 quadratic, momentum's fastest η = 0.111 and its edge 0.115).
_PROSE_LRS = (0.077, 0.111, 0.115)


def _lr_grid(low: int, high: int, *extra: float) -> list[float]:
    """The values of a learning-rate slider from ``10**low`` to ``10**high``: the round
    mantissas of every decade, the values the chapters name, and ``extra``.

    Example:
        >>> grid = _lr_grid(-3, 0)
        >>> [v for v in grid if 0.07 <= v <= 0.12]
        [0.07, 0.075, 0.077, 0.08, 0.085, 0.09, 0.1, 0.11, 0.111, 0.115, 0.12]
        >>> grid[0], grid[-1], 0.2 in grid, 0.25 in grid
        (0.001, 1.0, True, True)
    """
    values = {float(f"{m}e{e}") for e in range(low, high + 1) for m in _MANTISSAS}
    values |= {float(v) for v in (*_PROSE_LRS, *extra)}
    bottom, top = float(f"1e{low}"), float(f"1e{high}")
    return sorted(v for v in values if bottom <= v <= top)


def _lr_label(value: float) -> str:
    """η as the slider shows it: at most 4 significant digits (0.2, 0.111, 1e-05)."""
    return f"{value:.4g}"


def _lr_slider(
    description: str, value: float, low: int, high: int, *, continuous: bool = True
) -> widgets.SelectionSlider:
    """A learning-rate slider over :func:`_lr_grid` (log-spaced, exact values), ``value``
    included."""
    grid = _lr_grid(low, high, value)
    return widgets.SelectionSlider(
        options=[(_lr_label(v), v) for v in grid],
        value=float(value),
        description=description,
        continuous_update=continuous,
        layout=_WIDE,
        style=_STYLE,
    )


def _toggle(options: list[str], value: str) -> widgets.ToggleButtons:
    """Buttons for one of ``options``; put them in :func:`_labelled` for a label on their line."""
    return widgets.ToggleButtons(options=options, value=value, style={"button_width": "auto"})


def _labelled(description: str, widget: widgets.Widget) -> widgets.HBox:
    """``widget`` with its label on the same line, as wide as the sliders' descriptions."""
    label = widgets.Label(description, layout=widgets.Layout(width=_STYLE["description_width"]))
    return widgets.HBox([label, widget], layout=widgets.Layout(align_items="center"))


def _int_slider(
    description: str, value: int, low: int, high: int, *, continuous: bool = False
) -> widgets.IntSlider:
    return widgets.IntSlider(
        value=value,
        min=low,
        max=high,
        description=description,
        continuous_update=continuous,
        layout=_WIDE,
        style=_STYLE,
    )


def _float_slider(
    description: str, value: float, low: float, high: float, step: float
) -> widgets.FloatSlider:
    return widgets.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        readout_format=".3g",
        continuous_update=False,
        layout=_WIDE,
        style=_STYLE,
    )


class Explorer(widgets.VBox):
    """Controls over a live figure: every change updates the figure in place.

    Args:
        live: the figure to drive (a :class:`lrbook.live.LiveFigure`).
        controls: control name (an argument of ``live.update``) -> widget.
        rows: how to lay the controls out, one list of names per row (default: one
            control per row).
        panel: a widget that already holds the controls, laid out by the caller (instead
            of ``rows``).

    Attributes:
        live: the live figure.
        controls: the widgets by control name; setting ``.value`` on one redraws (that is
            also how tests and benchmarks drive an explorer).
        image: the ``ipywidgets.Image`` showing the figure.

    Example:
        >>> import ipywidgets as widgets
        >>> slider = widgets.FloatLogSlider(value=0.05, min=-3, max=0)
        >>> ex = Explorer(StepSizeFigure(dim=1), {"lr": slider})
        >>> ex.controls["lr"].value = 0.25
        >>> ex.messages
        ['η = 0.25 > 2/λ = 0.2: 발산']
    """

    def __init__(
        self,
        live: LiveFigure,
        controls: Mapping[str, widgets.ValueWidget],
        rows: Sequence[Sequence[str]] | None = None,
        panel: widgets.Widget | None = None,
    ) -> None:
        self.live = live
        self.controls = dict(controls)
        unknown = sorted(set(self.controls) - set(live.defaults))
        if unknown:
            raise ValueError(f"controls must be controls of the figure, got unknown {unknown}")
        if panel is None:
            rows = [[name] for name in self.controls] if rows is None else rows
            panel = widgets.VBox([widgets.HBox([self.controls[n] for n in row]) for row in rows])
        # drawn at _DENSITY x, shown at the figure's own size (never wider than the column)
        live.fig.set_dpi(_DENSITY * STYLE["figure.dpi"])
        width = round(live.fig.get_figwidth() * STYLE["figure.dpi"])
        self.image = widgets.Image(
            value=self._render(),
            format="png",
            layout=widgets.Layout(width=f"{width}px", max_width="100%", height="auto"),
        )
        super().__init__(children=[panel, self.image])
        for widget in self.controls.values():
            widget.observe(self._changed, names="value")

    @property
    def figure(self) -> Figure:
        """The matplotlib figure that the image shows."""
        return self.live.fig

    @property
    def messages(self) -> list[str]:
        """The Korean messages the figure now shows (divergence warnings)."""
        return self.live.messages

    def refresh(self) -> None:
        """Read every control, update the figure and the image."""
        self.image.value = self._render()

    def _changed(self, change: Mapping[str, Any]) -> None:
        self.refresh()

    def _render(self) -> bytes:
        """Update the figure from the controls and return it as PNG."""
        self.live.update(**{name: self._value(w) for name, w in self.controls.items()})
        return self.live.png()

    @staticmethod
    def _value(widget: widgets.ValueWidget) -> Any:
        value = widget.value
        return tuple(value) if isinstance(value, list | tuple) else value


class _ScheduleExplorer(Explorer):
    """Enables only the controls the chosen schedule reads."""

    def _render(self) -> bytes:
        reads = demos.SCHEDULES[self.controls["schedule"].value].reads
        for name in ("warmup_steps", "step_size", "gamma"):
            self.controls[name].disabled = name not in reads
        return super()._render()


def step_size_explorer(dim: int = 2, lr: float = 0.05, steps: int = 20) -> Explorer:
    r"""Gradient descent :math:`\theta_{t+1} = \theta_t - \eta\nabla J(\theta_t)` on a
    quadratic with :math:`\lambda_{\max} = 10`: pick :math:`\eta` on a log slider and watch
    the steps, the loss, and the cliff at :math:`2/\lambda_{\max} = 0.2`.

    Controls: ``lr`` (log slider, 1e-3 to 1), ``steps`` (5 to 100).

    Args:
        dim: 1 (a parabola) or 2 (an elliptic bowl); see
            :class:`lrbook.live.StepSizeFigure`.
        lr: initial :math:`\eta`.
        steps: initial number of steps.

    Returns:
        The explorer (an ``ipywidgets.VBox``).

    Example:
        >>> ex = step_size_explorer(dim=1)
        >>> ex.controls["lr"].value = 0.3
        >>> ex.messages
        ['η = 0.3 > 2/λ = 0.2: 발산']
    """
    live = StepSizeFigure(dim, lr=lr, steps=steps)
    controls = {
        "lr": _lr_slider("학습률 η", lr, -3, 0),
        "steps": _int_slider("스텝 수", steps, 5, 100, continuous=True),
    }
    return Explorer(live, controls, rows=[["lr", "steps"]])


def optimizer_explorer(
    landscape: str = "ill_conditioned",
    optimizers: Sequence[str] = ("SGD", "모멘텀", "Adam"),
    lr: float = 0.02,
    steps: int = 100,
) -> Explorer:
    r"""Race optimizers on a 2-D landscape: choose them, the landscape, :math:`\eta`,
    the momentum :math:`\mu` and Adam's :math:`\beta_1, \beta_2`.

    Controls: ``landscape`` (악조건 이차함수 κ = 25, 로젠브록 함수, 이차함수 κ = 2),
    ``optimizers`` (several of SGD, 모멘텀, 네스테로프, Adagrad, RMSprop, Adam, AdamW),
    ``lr`` (log slider, 1e-4 to 1), ``momentum`` (0 to 0.99), ``beta1`` (0 to 0.99),
    ``beta2`` (0.9 to 0.9999), ``steps`` (10 to 300). See
    :class:`lrbook.live.OptimizerRaceFigure`.

    Returns:
        The explorer (an ``ipywidgets.VBox``).

    Example:
        >>> ex = optimizer_explorer(optimizers=("SGD",))
        >>> ex.controls["lr"].value = 0.5
        >>> ex.messages
        ['발산: SGD']
    """
    live = OptimizerRaceFigure(
        landscape=landscape, optimizers=tuple(optimizers), lr=lr, steps=steps
    )
    controls = {
        "landscape": widgets.Dropdown(
            options=[(d.label, d.name) for d in demos.RACE_LANDSCAPES.values()],
            value=landscape,
            description="손실 지형",
            layout=_WIDE,
            style=_STYLE,
        ),
        "optimizers": widgets.SelectMultiple(
            options=list(demos.RACE_OPTIMIZERS),
            value=tuple(optimizers),
            rows=len(demos.RACE_OPTIMIZERS),
            description="옵티마이저",
            layout=widgets.Layout(width="260px"),
            style=_STYLE,
        ),
        "lr": _lr_slider("학습률 η", lr, -4, 0),
        "momentum": _float_slider("모멘텀 μ", 0.9, 0.0, 0.99, 0.01),
        "beta1": _float_slider("Adam β₁", 0.9, 0.0, 0.99, 0.01),
        "beta2": _float_slider("Adam β₂", 0.999, 0.9, 0.9999, 0.0001),
        "steps": _int_slider("스텝 수", steps, 10, 300),
    }
    sliders = widgets.VBox([controls[n] for n in ("landscape", "lr", "momentum", "steps")])
    hint = widgets.Label("Ctrl(⌘)+클릭: 여러 개 고르기·빼기")
    panel = widgets.VBox(
        [
            widgets.HBox([sliders, widgets.VBox([controls["optimizers"], hint])]),
            widgets.HBox([controls["beta1"], controls["beta2"]]),
        ]
    )
    return Explorer(live, controls, panel=panel)


def schedule_explorer(
    schedule: str = "warmup_cosine", lr: float = 0.1, steps: int = 200
) -> Explorer:
    r"""Pick a learning-rate schedule and its parameters; see its curve and the training
    it produces (SGD on a noisy quadratic, against the constant rate).

    Controls: ``schedule`` (상수, 계단 감쇠, 지수 감쇠, 코사인 감쇠, 선형 워밍업, 워밍업 +
    코사인 감쇠, 원사이클, 코사인 웜 리스타트, 순환 학습률, 역제곱근), ``lr`` (peak
    :math:`\eta`, log slider 1e-3 to 1), ``warmup_steps``, ``step_size`` (period),
    ``gamma`` (decay factor). Controls the chosen schedule does not read are disabled. See
    :class:`lrbook.live.ScheduleFigure` and :func:`lrbook.demos.make_schedule`.

    Returns:
        The explorer (an ``ipywidgets.VBox``).

    Example:
        >>> ex = schedule_explorer("constant")
        >>> ex.controls["gamma"].disabled
        True
    """
    live = ScheduleFigure(steps=steps, schedule=schedule, lr=lr)
    controls = {
        "schedule": widgets.Dropdown(
            options=[(d.label, d.name) for d in demos.SCHEDULES.values()],
            value=schedule,
            description="스케줄",
            layout=_WIDE,
            style=_STYLE,
        ),
        "lr": _lr_slider("최대 학습률 η", lr, -3, 0, continuous=False),
        "warmup_steps": _int_slider("워밍업 스텝", 20, 0, steps // 2),
        "step_size": _int_slider("주기 (스텝)", 50, 1, steps),
        "gamma": _float_slider("감쇠율 γ", 0.3, 0.05, 0.95, 0.05),
    }
    return _ScheduleExplorer(
        live, controls, rows=[["schedule", "lr"], ["warmup_steps", "step_size"], ["gamma"]]
    )


def lr_finder_explorer(num_it: int = 100, beta: float = 0.98) -> Explorer:
    r"""The LR range test on a small network: move its settings and watch the curve and
    fastai's four suggestions (valley, steep, minimum, slide) move.

    Controls: ``start_lr`` (1e-7 to 1e-2), ``end_lr`` (0.1 to 100), ``num_it`` (20 to 300),
    ``beta`` (smoothing, 0 to 0.99), ``diverge_th`` (1.5 to 10), ``optimizer`` (SGD or
    Adam). See :class:`lrbook.live.LRFinderFigure`.

    Returns:
        The explorer (an ``ipywidgets.VBox``).

    Example:
        >>> ex = lr_finder_explorer(num_it=50)
        >>> sorted(ex.live.result.suggestions)
        ['minimum', 'slide', 'steep', 'valley']
    """
    live = LRFinderFigure(num_it=num_it, beta=beta)
    controls = {
        "start_lr": _lr_slider("시작 학습률", 1e-5, -7, -2, continuous=False),
        "end_lr": _lr_slider("끝 학습률", 10.0, -1, 2, continuous=False),
        "num_it": _int_slider("반복 횟수", num_it, 20, 300),
        "beta": _float_slider("평활 계수 β", beta, 0.0, 0.99, 0.01),
        "diverge_th": _float_slider("발산 기준 배수", 4.0, 1.5, 10.0, 0.5),
        "optimizer": _toggle(list(demos.FINDER_OPTIMIZERS), "SGD"),
    }
    rows = [["start_lr", "end_lr"], ["num_it", "beta"], ["diverge_th"]]
    panel = widgets.VBox(
        [widgets.HBox([controls[n] for n in row]) for row in rows]
        + [_labelled("옵티마이저", controls["optimizer"])]
    )
    return Explorer(live, controls, panel=panel)


def training_explorer(
    optimizer: str = "Adam", lr: float = 1e-3, epochs: int = 10, batch_size: int = 128
) -> Explorer:
    r"""Train a small MLP on the handwritten digits: pick the optimizer and the learning
    rate, and see the losses, the validation accuracy and where the run sits in the whole
    learning-rate sweep, next to the seed's recommended range.

    Every grid point (19 learning rates from 1e-5 to 10) is trained for both optimizers
    once, when the explorer is built (a few seconds); moving the slider only looks a run
    up. Controls: ``optimizer`` (Adam, SGD + 모멘텀 with :math:`\mu = 0.9`), ``lr`` (a
    slider over the grid's learning rates). See :class:`lrbook.live.TrainingFigure`.

    Args:
        optimizer: the optimizer shown first.
        lr: the learning rate shown first (snapped to the nearest grid point).
        epochs: passes over the training set.
        batch_size: examples per minibatch.

    Returns:
        The explorer (an ``ipywidgets.VBox``).

    Example:
        >>> ex = training_explorer()
        >>> ex.controls["lr"].value = 10.0
        >>> ex.messages[0].startswith("발산")
        True
    """
    live = TrainingFigure(epochs=epochs, batch_size=batch_size, optimizer=optimizer, lr=lr)
    controls = {
        "optimizer": _toggle(list(demos.TRAINING_OPTIMIZERS), optimizer),
        "lr": widgets.SelectionSlider(
            options=[(_lr_label(v), float(v)) for v in live.grid],
            value=live.lr,
            description="학습률 η (격자)",
            continuous_update=True,
            layout=_WIDE,
            style=_STYLE,
        ),
    }
    panel = widgets.VBox([_labelled("옵티마이저", controls["optimizer"]), controls["lr"]])
    return Explorer(live, controls, panel=panel)
