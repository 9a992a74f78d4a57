"""Tests of lrbook.plot_adaptive: what each figure of 3장 draws, exactly."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lrbook import plot_adaptive as pa
from lrbook import plotting as lp
from tests.conftest import lines, quiet, render

pytestmark = pytest.mark.usefixtures("no_open_figures")


def test_plotting_reexports_the_chapter_figures():
    assert lp.plot_method_curves is pa.plot_method_curves
    assert {"plot_method_curves", "plot_lr_sweeps", "plot_preconditioner"} <= set(lp.__all__)


def test_method_curves_spread_markers_over_the_decades_of_a_log_x_axis():
    t = np.arange(1, 5001)
    with quiet():
        fig = pa.plot_method_curves(
            {"선형": {"a": (t, 1.0 / t)}, "로그": {"a": (t, 1.0 / t)}}, logx=[False, True]
        )
    linear, logged = (lines(a, "curve")[0].get_markevery() for a in fig.axes)
    assert linear == 5000 // 8
    # nine marks at x = 1, 2.9, 8.4, ..., 5000: each a factor 5000**(1/8) = 2.9 after the last
    expected = np.rint(np.geomspace(1, 5000, 9)).astype(int) - 1
    assert len(logged) == 9
    assert np.abs(np.array(logged) - expected).max() <= 1
    assert sum(t[j] <= 100 for j in logged) == 5  # half the marks in the first two decades
    plt.close(fig)


def test_method_curves_draw_each_series_with_its_own_style():
    gd = np.array([1.0, 0.5, 0.25, np.inf])
    adam = (np.array([1.0, 10.0, 100.0]), np.array([2.0, 0.0, 0.5]))
    with quiet():
        fig = pa.plot_method_curves(
            {"왼쪽": {"GD": gd, "Adam": adam}, "오른쪽": {"GD": gd[:2], "Adam": gd[:2]}},
            logx=True,
            reference=(1.0, "기준"),
            ylim=(1e-3, 10.0),
            stacked=True,
        )
        render(fig)
    assert len(fig.axes) == 2
    top, bottom = fig.axes
    curves = lines(top, "curve")
    assert [c.get_label() for c in curves] == ["GD", "Adam"]
    np.testing.assert_allclose(curves[0].get_xdata(), [0, 1, 2, 3])
    np.testing.assert_allclose(curves[0].get_ydata(), [1.0, 0.5, 0.25, np.nan])  # inf masked
    np.testing.assert_allclose(curves[1].get_xdata(), [1.0, 10.0, 100.0])
    np.testing.assert_allclose(curves[1].get_ydata(), [2.0, np.nan, 0.5])  # 0 masked on log
    # told apart by more than colour
    assert curves[0].get_linestyle() != curves[1].get_linestyle()
    assert curves[0].get_marker() != curves[1].get_marker()
    # the same method keeps its style across panels
    assert lines(bottom, "curve")[1].get_marker() == curves[1].get_marker()
    assert lines(top, "reference")[0].get_ydata()[0] == 1.0
    assert top.get_xscale() == "log" and top.get_yscale() == "log"
    assert top.get_ylim() == pytest.approx((1e-3, 10.0))
    assert (top.get_title(), top.get_ylabel(), bottom.get_ylabel()) == (
        "왼쪽",
        "손실 J(θ_t)",
        "손실 J(θ_t)",  # stacked: every panel keeps its label
    )
    # stacked: one column
    assert top.get_position().y0 > bottom.get_position().y1


def test_method_curves_into_given_axes_and_linear_scale():
    fig, axes = plt.subplots(1, 2)
    plt.close(fig)
    out = pa.plot_method_curves(
        {"a": {"x": [1.0, -1.0]}, "b": {"y": [0.0, 2.0]}}, logy=False, ax=axes
    )
    assert out is fig and axes[0].get_yscale() == "linear"
    np.testing.assert_allclose(lines(axes[0], "curve")[0].get_ydata(), [1.0, -1.0])
    with pytest.raises(TypeError, match="ax"):
        pa.plot_method_curves({"a": {"x": [1.0]}, "b": {"y": [1.0]}}, ax=axes[0])


@pytest.mark.parametrize("panels", [{}, {"a": {}}, [("a", {"x": [1.0]})]])
def test_bad_panels(panels):
    with pytest.raises(TypeError, match="panels"):
        pa.plot_method_curves(panels)


def test_bad_series_shape():
    with pytest.raises(ValueError, match="'x'"):
        pa.plot_method_curves({"a": {"x": np.ones((2, 2))}})


def test_lr_sweeps_drop_diverged_and_star_the_choice():
    lrs = np.array([0.01, 0.1, 1.0, 10.0])
    with quiet():
        fig = pa.plot_lr_sweeps(
            {
                "κ = 10": {
                    "GD": (lrs, [1.0, 0.1, 0.5, np.inf], 0.1),
                    "Adam": (lrs, [2.0, 1.0, 0.01, 0.02], 1.0),
                },
                "κ = 100": {
                    "GD": (lrs, [1.0, 0.5, np.inf, np.inf], 0.1),
                    "Adam": (lrs, [2.0, 1.0, 0.3, 0.1], 10.0),
                },
            }
        )
        render(fig)
    a, b = fig.axes
    assert a.get_position().y0 > b.get_position().y1  # stacked by default
    sweeps, stars = lines(a, "sweep"), lines(a, "chosen")
    np.testing.assert_allclose(sweeps[0].get_xdata(), [0.01, 0.1, 1.0])
    np.testing.assert_allclose(sweeps[1].get_ydata(), [2.0, 1.0, 0.01, 0.02])
    assert [(s.get_xdata()[0], s.get_ydata()[0]) for s in stars] == [(0.1, 0.1), (1.0, 0.01)]
    assert stars[0].get_color() == sweeps[0].get_color()
    assert sweeps[0].get_marker() != sweeps[1].get_marker()
    assert sweeps[0].get_linestyle() != sweeps[1].get_linestyle()
    assert lines(b, "chosen")[1].get_xdata()[0] == 10.0
    assert (a.get_xscale(), a.get_yscale(), a.get_xlabel()) == ("log", "log", "학습률 η")


def test_lr_sweeps_check_the_choice():
    lrs = np.array([0.01, 0.1])
    with pytest.raises(ValueError, match="chosen_lr"):
        pa.plot_lr_sweeps({"a": {"GD": (lrs, [1.0, np.inf], 0.1)}})
    with pytest.raises(ValueError, match="triple"):
        pa.plot_lr_sweeps({"a": {"GD": (lrs, [1.0, 2.0])}})


def test_preconditioner_marks_each_series():
    with quiet():
        fig = pa.plot_preconditioner(
            {
                "나란함": {"H_ii": [1.0, 100.0], "√E[g²]": [1.0, 100.0], "고윳값": [1.0, 100.0]},
                "45° 회전": {"H_ii": [50.5, 50.5], "√E[g²]": [50.0, 50.0], "고윳값": [1.0, 100.0]},
            }
        )
        render(fig)
    left, right = fig.axes
    marks = lines(right, "scale")
    assert [m.get_label() for m in marks] == ["H_ii", "√E[g²]", "고윳값"]
    np.testing.assert_allclose(marks[0].get_xdata(), [1, 2])  # coordinates counted from 1
    np.testing.assert_allclose(marks[0].get_ydata(), [50.5, 50.5])
    assert len({m.get_marker() for m in marks}) == 3
    assert all(m.get_linestyle() == "None" for m in marks)
    assert left.get_yscale() == "log" and left.get_ylabel() == "좌표별 크기"


def test_method_curves_per_panel_scales_labels_and_references():
    with quiet():
        fig = pa.plot_method_curves(
            {"성분": {"GD": [1.0, -0.5]}, "손실": {"GD": [1.0, 0.25]}},
            logx=[False, True],
            logy=[False, True],
            ylabel=["거리", "손실"],
            reference={"손실": (1e-8, "목표")},
        )
        render(fig)
    left, right = fig.axes
    assert (left.get_xscale(), left.get_yscale()) == ("linear", "linear")
    assert (right.get_xscale(), right.get_yscale()) == ("log", "log")
    assert (left.get_ylabel(), right.get_ylabel()) == ("거리", "손실")
    np.testing.assert_allclose(lines(left, "curve")[0].get_ydata(), [1.0, -0.5])  # kept on linear
    assert lines(left, "reference") == []
    assert lines(right, "reference")[0].get_label() == "목표"
    assert left.get_position().x1 < right.get_position().x0  # side by side
    with pytest.raises(ValueError, match="logy"):
        pa.plot_method_curves({"a": {"x": [1.0]}}, logy=[True, False])
    with pytest.raises(ValueError, match="ylabel"):
        pa.plot_method_curves({"a": {"x": [1.0]}}, ylabel=["a", "b"])
