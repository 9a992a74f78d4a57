"""Tests of lrbook.plot_steps: what each figure draws."""

import matplotlib
import numpy as np
import pytest

import lrbook as lrb
from lrbook import plotting as lp

matplotlib.use("Agg")


def _line(ax, gid):
    (line,) = [ln for ln in ax.lines if ln.get_gid() == gid]
    return line


def test_steepest_directions_draws_each_step_ball_and_name():
    bowl = lrb.quadratic(eigenvalues=(1.0, 5.0))
    x0 = np.array([-2.0, 1.0])
    ring = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    fig = lp.plot_steepest_directions(
        bowl, x0, {"a": [0.5, -0.5], "b": [1.0, 0.0]}, balls={"a": ring}, xlim=(-3, 1)
    )
    ax = fig.axes[0]
    np.testing.assert_allclose(_line(ax, "step:a").get_xydata(), [[-2.0, 1.0], [-1.5, 0.5]])
    np.testing.assert_allclose(_line(ax, "step:b").get_xydata(), [[-2.0, 1.0], [-1.0, 1.0]])
    np.testing.assert_allclose(_line(ax, "ball:a").get_xydata(), x0 + ring)
    assert not [ln for ln in ax.lines if ln.get_gid() == "ball:b"]
    np.testing.assert_allclose(_line(ax, "minimum").get_xydata(), [[0.0, 0.0]])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    handles = ax.get_legend().legend_handles
    assert handles[0].get_linestyle() != handles[1].get_linestyle()
    assert handles[0].get_marker() != handles[1].get_marker()
    assert ax.get_xlim() == (-3.0, 1.0)


def test_steepest_directions_rejects_bad_shapes():
    J = lambda p: (p**2).sum(-1)  # noqa: E731
    with pytest.raises(ValueError, match="x0"):
        lp.plot_steepest_directions(J, [1.0, 2.0, 3.0], {"a": [1.0, 0.0]})
    with pytest.raises(ValueError, match="directions"):
        lp.plot_steepest_directions(J, [1.0, 2.0], {"a": [1.0]})
    with pytest.raises(ValueError, match="balls"):
        lp.plot_steepest_directions(J, [1.0, 2.0], {"a": [1.0, 0.0]}, balls={"z": np.ones((3, 2))})


def test_step_rule_costs_draws_curves_masks_nonpositive_and_tolerance():
    cost = np.array([0.0, 2.0, 4.0])
    fig = lp.plot_step_rule_costs(
        {"상수": (cost, [1.0, 0.1, 0.0]), "아르미호": (cost, [1.0, np.inf, 0.01])}, tol=1e-3
    )
    ax = fig.axes[0]
    y = _line(ax, "상수").get_ydata()
    np.testing.assert_allclose(y[:2], [1.0, 0.1])
    assert np.isnan(y[2])  # a zero loss cannot sit on a log axis
    assert np.isnan(_line(ax, "아르미호").get_ydata()[1])
    np.testing.assert_allclose(_line(ax, "tol").get_ydata(), [1e-3, 1e-3])
    assert ax.get_yscale() == "log"
    assert _line(ax, "상수").get_linestyle() != _line(ax, "아르미호").get_linestyle()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["상수", "아르미호", "ε_tol"]


def test_step_rule_costs_log_cost_axis_and_bad_input():
    fig = lp.plot_step_rule_costs({"a": ([1.0, 10.0], [1.0, 0.5])}, xscale="log")
    assert fig.axes[0].get_xscale() == "log"
    with pytest.raises(ValueError, match="curves"):
        lp.plot_step_rule_costs({"a": ([0.0, 1.0], [1.0])})
    with pytest.raises(ValueError, match="xscale"):
        lp.plot_step_rule_costs({"a": ([1.0], [1.0])}, xscale="symlog")
