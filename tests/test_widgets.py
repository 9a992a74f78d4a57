"""Tests of lrbook.widgets: every control at its extremes and middle, divergence messages."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pytest

from lrbook import demos
from lrbook import live as ll
from lrbook import widgets as lw
from tests.conftest import quiet


def positions(widget) -> list:
    """The minimum, the maximum and the middle of a control's range (or each option)."""
    if isinstance(widget, widgets.FloatLogSlider):
        return [
            widget.base**widget.min,
            widget.base**widget.max,
            widget.base ** ((widget.min + widget.max) / 2),
        ]
    if isinstance(widget, widgets.IntSlider):
        return [widget.min, widget.max, (widget.min + widget.max) // 2]
    if isinstance(widget, widgets.FloatSlider):
        return [widget.min, widget.max, round((widget.min + widget.max) / 2, 4)]
    values = list(widget._options_values)
    if isinstance(widget, widgets.SelectMultiple):
        return [(), tuple(values), (values[len(values) // 2],)]
    return [values[0], values[-1], values[len(values) // 2]]


EXPLORERS = {
    "step_size_1d": lambda: lw.step_size_explorer(dim=1),
    "step_size_2d": lambda: lw.step_size_explorer(dim=2),
    "optimizer": lambda: lw.optimizer_explorer(),
    "schedule": lambda: lw.schedule_explorer(),
    "lr_finder": lambda: lw.lr_finder_explorer(),
    "training": lambda: lw.training_explorer(),  # the sweep is trained once, then cached
}


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_control_at_min_max_and_middle_is_quiet(name):
    with quiet():
        explorer = EXPLORERS[name]()
    assert isinstance(explorer, widgets.VBox)
    assert explorer.children[-1] is explorer.image
    for control, widget in explorer.controls.items():
        for value in positions(widget):
            with quiet():
                widget.value = value
            shown = explorer.live.controls[control]
            if isinstance(value, float):
                assert shown == pytest.approx(value, rel=1e-9), control
            else:
                assert tuple(shown) == tuple(value) if isinstance(value, tuple) else shown == value
            assert explorer.image.value[:8] == b"\x89PNG\r\n\x1a\n"
            assert bytes(explorer.image.value) == explorer.live.png()  # shows the current figure
            lines = [ln for ax in explorer.figure.axes for ln in ax.lines if ln.get_visible()]
            assert lines, (control, value)  # never an empty plot
            if name.startswith("step_size"):  # the message exactly when eta > 2/lambda
                lr = explorer.live.controls["lr"]
                expected = [f"η = {lr:.3g} > 2/λ = 0.2: 발산"] if lr > 0.2 else []
                assert explorer.messages == expected
        with quiet():
            widget.value = positions(widget)[2]


def test_step_size_explorer_messages():
    explorer = lw.step_size_explorer(dim=2)
    slider = explorer.controls["lr"]
    assert isinstance(slider, widgets.FloatLogSlider)
    slider.value = 10**slider.max
    assert explorer.messages == ["η = 1 > 2/λ = 0.2: 발산"]
    assert explorer.messages == [
        t.get_text()
        for t in explorer.figure.axes[0].texts
        if t.get_visible() and t.get_gid() == "lrbook-note"
    ]
    slider.value = 0.25
    assert explorer.messages == ["η = 0.25 > 2/λ = 0.2: 발산"]
    slider.value = 10**slider.min
    assert explorer.messages == []
    slider.value = 0.19
    assert explorer.messages == []


def test_optimizer_explorer_messages_and_controls():
    explorer = lw.optimizer_explorer(optimizers=("SGD", "Adam"))
    assert isinstance(explorer.controls["optimizers"], widgets.SelectMultiple)
    assert [v for _, v in explorer.controls["landscape"].options] == list(demos.RACE_LANDSCAPES)
    explorer.controls["lr"].value = 1.0
    assert explorer.messages[0].startswith("발산: SGD")
    explorer.controls["lr"].value = 0.01
    assert explorer.messages == []
    explorer.controls["landscape"].value = "rosenbrock"
    explorer.controls["lr"].value = 0.01
    assert explorer.messages == ["발산: SGD"]


def test_schedule_explorer_disables_what_the_schedule_ignores():
    explorer = lw.schedule_explorer("step_decay")
    c = explorer.controls
    assert not c["step_size"].disabled and not c["gamma"].disabled and c["warmup_steps"].disabled
    c["schedule"].value = "warmup_cosine"
    assert c["step_size"].disabled and c["gamma"].disabled and not c["warmup_steps"].disabled
    c["schedule"].value = "constant"
    c["lr"].value = 10 ** c["lr"].max
    assert explorer.messages == ["발산: 최대 η = 1 > 2/λ = 0.2"]
    c["lr"].value = 0.05
    assert explorer.messages == []
    t = np.arange(200)
    np.testing.assert_allclose(explorer.live.curve.get_ydata(), np.full(200, 0.05), rtol=1e-12)
    assert t.size == len(explorer.live.curve.get_xdata())


def test_lr_finder_explorer_reports_where_the_test_diverged():
    explorer = lw.lr_finder_explorer(num_it=60)
    c = explorer.controls
    c["end_lr"].value = 10 ** c["end_lr"].max
    c["diverge_th"].value = c["diverge_th"].min
    assert explorer.live.result.stopped_early
    assert len(explorer.messages) == 1 and "에서 발산" in explorer.messages[0]
    marks = [ln for ln in explorer.figure.axes[0].lines if ln.get_gid() == "suggestion"]
    shown = {m.get_label().split(":")[0]: m.get_xdata()[0] for m in marks if m.get_visible()}
    expected = {k: v for k, v in explorer.live.result.suggestions.items() if np.isfinite(v)}
    assert shown == expected


def test_explorer_rejects_controls_the_figure_does_not_have():
    with pytest.raises(ValueError, match="unknown"):
        lw.Explorer(ll.StepSizeFigure(), {"eta": widgets.FloatSlider()})


def test_training_explorer_slider_snaps_to_the_trained_grid():
    explorer = lw.training_explorer(optimizer="SGD + 모멘텀", lr=0.04)
    slider = explorer.controls["lr"]
    assert isinstance(slider, widgets.SelectionSlider)
    live = explorer.live
    assert list(slider._options_values) == live.grid.tolist()
    assert slider.value == live.lr == pytest.approx(10 ** (-4 / 3))  # nearest grid point
    assert slider.label == "0.046"
    slider.value = live.grid[-1]
    assert explorer.messages == ["발산: 96번째 스텝에서\n손실 > 3 ln 10 ≈ 6.9"]
    explorer.controls["optimizer"].value = "Adam"
    assert explorer.messages[0].startswith("발산: 2번째 스텝")
    slider.value = live.grid[9]
    assert explorer.messages == []
