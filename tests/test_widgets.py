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
                expected = [f"η = {lr:.4g} > 2/λ = 0.2: 발산"] if lr > 0.2 else []
                assert explorer.messages == expected
        with quiet():
            widget.value = positions(widget)[2]


def test_step_size_explorer_messages():
    explorer = lw.step_size_explorer(dim=2)
    slider = explorer.controls["lr"]
    assert isinstance(slider, widgets.SelectionSlider)
    slider.value = slider.options[-1][1]
    assert explorer.messages == ["η = 1 > 2/λ = 0.2: 발산"]
    assert explorer.messages == [
        t.get_text()
        for t in explorer.figure.axes[0].texts
        if t.get_visible() and t.get_gid() == "lrbook-note"
    ]
    slider.value = 0.25
    assert explorer.messages == ["η = 0.25 > 2/λ = 0.2: 발산"]
    slider.value = slider.options[0][1]
    assert explorer.messages == []
    slider.value = 0.17
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
    c["lr"].value = c["lr"].options[-1][1]
    assert explorer.messages == ["발산: 최대 η = 1 > 2/λ = 0.2"]
    c["lr"].value = 0.05
    assert explorer.messages == []
    t = np.arange(200)
    np.testing.assert_allclose(explorer.live.curve.get_ydata(), np.full(200, 0.05), rtol=1e-12)
    assert t.size == len(explorer.live.curve.get_xdata())


def test_lr_finder_explorer_reports_where_the_test_diverged():
    explorer = lw.lr_finder_explorer(num_it=60)
    c = explorer.controls
    c["end_lr"].value = c["end_lr"].options[-1][1]
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
    assert slider.label == "0.04642"
    slider.value = live.grid[-1]
    # At η = 10 the momentum run's loss wanders below the bound for dozens of steps before
    # it crosses it, so the step depends on the last bits of numpy's arithmetic (numpy 1.24
    # and 2.x differ): the message must name the first step whose loss is not a finite value
    # under the bound, after which the run records no loss.
    losses = live.histories["SGD + 모멘텀"].losses[:, -1]
    step = int(np.argmax(~(losses <= live.max_loss)))
    assert step > 0 and np.isnan(losses[step + 1 :]).all()
    assert explorer.messages == [f"발산: {step + 1}번째 스텝에서\n손실 > 3 ln 10 ≈ 6.9"]
    explorer.controls["optimizer"].value = "Adam"
    assert explorer.messages[0].startswith("발산: 2번째 스텝")
    slider.value = live.grid[9]
    assert explorer.messages == []


#: The values each chapter's prose around an explorer asks the reader to try, by explorer:
#: chapters 1-2 (η = 0.1 = 1/λ, η = 0.2 = 2/λ, η = 0.3), chapter 4 (0.2, 0.25, 0.3),
#: chapter 5 (0.07 to 0.09, η* ≈ 0.077, the cliff 0.08, momentum's 0.111 and 0.115),
#: chapter 3/8 (2/λ = 0.08 on the κ = 25 quadratic), chapter 6 (1e-4 ... 10).
PROSE_VALUES = {
    "step_size_1d": [0.1, 0.2, 0.3],
    "step_size_2d": [0.1, 0.2, 0.3],
    "schedule": [0.2, 0.25, 0.3],
    "optimizer": [0.07, 0.077, 0.08, 0.09, 0.111, 0.115],
    "training": [1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0],
}


@pytest.mark.parametrize("name", sorted(PROSE_VALUES))
def test_each_value_the_prose_names_is_reachable_and_shown_exactly(name):
    explorer = EXPLORERS[name]()
    slider = explorer.controls["lr"]
    assert isinstance(slider, widgets.SelectionSlider)
    for value in PROSE_VALUES[name]:
        slider.value = value
        assert slider.label == f"{value:g}"  # the readout shows the value as the text writes it
        assert explorer.live.controls["lr"] == value
        titles = " ".join(ax.get_title() for ax in explorer.figure.axes)
        assert f"η = {value:g}" in titles, titles


def test_the_edge_two_over_lambda_is_labelled_as_oscillating_forever():
    for dim in (1, 2):
        explorer = lw.step_size_explorer(dim=dim)
        explorer.controls["lr"].value = 0.2
        assert explorer.controls["lr"].label == "0.2"
        assert explorer.live.ax_loss.get_title() == "수렴하지 않음: 같은 폭으로 계속 진동"
        assert explorer.messages == []


def test_momentum_reaches_polyaks_value_exactly():
    explorer = lw.optimizer_explorer(landscape="ill_conditioned", optimizers=("SGD", "모멘텀"))
    explorer.controls["momentum"].value = 0.44
    explorer.controls["lr"].value = 0.111
    assert explorer.live.controls["momentum"] == pytest.approx(0.44, abs=1e-12)
    assert explorer.controls["momentum"].readout_format == ".3g"
    assert explorer.messages == ["발산: SGD"]  # 0.111 > 2/25, momentum survives


def test_the_image_keeps_the_figure_size_at_twice_the_pixels():
    import io

    from PIL import Image

    explorer = lw.step_size_explorer()
    width_in, height_in = explorer.figure.get_size_inches()
    image = Image.open(io.BytesIO(explorer.image.value))
    assert image.size == (round(200 * width_in), round(200 * height_in))
    layout = explorer.image.layout
    assert (layout.width, layout.max_width, layout.height) == (
        f"{round(100 * width_in)}px",
        "100%",
        "auto",
    )


def test_toggles_sit_on_one_line_with_their_label_and_multiselect_has_a_hint():
    for explorer in (lw.lr_finder_explorer(num_it=30), lw.training_explorer()):
        toggle = explorer.controls["optimizer"]
        rows = [w for w in explorer.children[0].children if isinstance(w, widgets.HBox)]
        row = next(r for r in rows if toggle in r.children)
        assert isinstance(row.children[0], widgets.Label) and row.children[0].value == "옵티마이저"
        assert toggle.description == ""
    race = lw.optimizer_explorer()
    labels = [
        w.value
        for w in race.children[0].children[0].children[1].children
        if isinstance(w, widgets.Label)
    ]
    assert any("Ctrl" in text and "⌘" in text for text in labels)
