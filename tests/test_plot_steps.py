"""Tests of lrbook.plot_steps: what each figure draws."""

import matplotlib
import numpy as np
import pytest

import lrbook as lrb
from lrbook import plotting as lp

matplotlib.use("Agg")


def _assert_stacked(fig):
    """The first two panels one above the other, the same width: not side by side."""
    top, bottom = (a.get_position() for a in fig.axes[:2])
    assert top.y0 > bottom.y1
    assert top.x0 < bottom.x1 and bottom.x0 < top.x1


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


def _gid(ax, gid):
    return [ln for ln in ax.lines if ln.get_gid() == gid]


def test_first_steps_draws_one_arrow_per_rate_and_the_proportional_line():
    parabola = lrb.quadratic(eigenvalues=(2.0,))
    lrs = np.array([0.1, 0.5])
    fig = lp.plot_first_steps(
        parabola, 3.0, lrs, 3.0 - 6.0 * lrs, [0.1, 0.2], [0.6, 1.2], grad0=6.0
    )
    a0, a1 = fig.axes
    arrows = [t for t in a0.texts if t.get_text() == "" and t.arrow_patch is not None]
    tips = sorted(round(t.xy[0], 6) for t in arrows)
    assert tips[:2] == [0.0, 2.4]  # θ₁ = 3 - 6η for η = 0.5, 0.1
    assert {t.get_text() for t in a0.texts} >= {"η = 0.1", "η = 0.5"}
    np.testing.assert_allclose(_gid(a1, "theory")[0].get_ydata(), [0.6, 1.2])
    with pytest.raises(ValueError, match="theta1"):
        lp.plot_first_steps(parabola, 3.0, lrs, [1.0], [0.1], [0.6], grad0=6.0)


def test_shrinking_steps_log_axis_and_ratio_title():
    parabola = lrb.quadratic(eigenvalues=(2.0,))
    path = 3.0 * 0.8 ** np.arange(5)
    lengths = np.abs(np.diff(path))
    fig = lp.plot_shrinking_steps(parabola, path, lengths, lengths, lr=0.1)
    a1 = fig.axes[1]
    assert a1.get_yscale() == "log"
    np.testing.assert_allclose(_gid(a1, "measured")[0].get_ydata(), lengths)
    assert a1.get_title().endswith("매번 0.8배")
    _assert_stacked(fig)
    with pytest.raises(TypeError, match="ax"):
        lp.plot_shrinking_steps(parabola, path, lengths, lengths, lr=0.1, ax=[None])


def test_descent_field_unit_arrows_point_downhill():
    bowl = lrb.quadratic(eigenvalues=(1.0, 5.0))
    x0 = np.array([-2.0, 1.0])
    paths = lrb.run(lrb.sgd(lr=np.array([[0.1]])), bowl, x0[None], steps=3).params
    fig = lp.plot_descent_field(bowl, x0, paths, ["η = 0.1"])
    (field,) = [c for c in fig.axes[0].collections if c.get_gid() == "field"]
    u, v = field.U.ravel(), field.V.ravel()
    g = bowl.grad(field.get_offsets())
    moving = np.linalg.norm(g, axis=-1) > 0  # the grid point on the minimum has no arrow
    assert (~moving).sum() == 1 and np.hypot(u, v)[~moving] == 0
    np.testing.assert_allclose(np.hypot(u, v)[moving], 1.0, atol=1e-9)
    assert np.all((u * g[:, 0] + v * g[:, 1])[moving] < 0)
    _assert_stacked(fig)


def test_regime_paths_one_titled_panel_per_rate():
    parabola = lrb.quadratic(eigenvalues=(2.0,))
    lrs = np.array([0.15, 0.8])
    walks = lrb.run(lrb.sgd(lr=lrs[:, None]), parabola, np.ones((2, 1)), steps=4).params
    fig = lp.plot_regime_paths(parabola, walks, lrs, ["단조 수렴", "진동하며 수렴"], lam=2.0)
    assert [a.get_title() for a in fig.axes] == [
        "η = 0.15 (ηλ = 0.3): 단조 수렴",
        "η = 0.8 (ηλ = 1.6): 진동하며 수렴",
    ]
    top, bottom = fig.axes
    assert top.get_position().y0 > bottom.get_position().y1  # stacked, not side by side
    with pytest.raises(ValueError, match="paths"):
        lp.plot_regime_paths(parabola, walks, [0.1], ["a"], lam=2.0)


def test_step_factor_theory_line_and_runs():
    t = np.arange(4)[:, None, None]
    paths = np.concatenate([0.5**t, (-0.5) ** t], axis=1)
    x = np.array([0.5, 1.5])
    fig = lp.plot_step_factor(paths, ["a", "b"], x, 1 - x)
    a0, a1 = fig.axes
    np.testing.assert_allclose(_gid(a0, "run1")[0].get_ydata(), (-0.5) ** np.arange(4))
    line = _gid(a1, "theory")[0]
    np.testing.assert_allclose(line.get_ydata(), 1 - line.get_xdata())
    np.testing.assert_allclose(_gid(a1, "measured")[0].get_ydata(), [0.5, -0.5])
    assert _gid(a0, "run0")[0].get_marker() != _gid(a0, "run1")[0].get_marker()
    _assert_stacked(fig)
    assert a0.get_ylabel() and a1.get_ylabel()


def test_steps_to_tolerance_leaves_out_unreached_and_marks_lines():
    fig = lp.plot_steps_to_tolerance(
        [0.01, 0.1, 1.0],
        [100, 10, -1],
        fit_lrs=[0.01, 0.1],
        fit_steps=[100, 10],
        slope=-1.0,
        theory_lrs=[0.01, 0.1],
        theory_steps=[110, 11],
        lam_max=10.0,
        best_lr=0.18,
    )
    ax = fig.axes[0]
    np.testing.assert_allclose(_gid(ax, "measured")[0].get_xdata(), [0.01, 0.1])
    np.testing.assert_allclose(_gid(ax, "cliff")[0].get_xdata(), [0.2, 0.2])
    np.testing.assert_allclose(_gid(ax, "best")[0].get_xdata(), [0.18, 0.18])
    assert "-1.000" in _gid(ax, "fit")[0].get_label()


def test_noise_jitter_theory_curves():
    lrs = np.array([0.1, 1.0])
    fig = lp.plot_noise_jitter(lrs, [0.2, 1.0], [0.9, 0.0], sigma=1.0)
    a0, a1 = fig.axes
    x = _gid(a0, "theory")[0].get_xdata()
    np.testing.assert_allclose(_gid(a0, "theory")[0].get_ydata(), np.sqrt(x / (2 - x)))
    np.testing.assert_allclose(_gid(a1, "theory")[0].get_ydata(), 1 - x)
    np.testing.assert_allclose(_gid(a1, "measured")[0].get_ydata(), [0.9, 0.0])
    _assert_stacked(fig)


def test_quartic_edge_marks_the_blow_up():
    quartic = lrb.quartic()
    near = lrb.run(lrb.sgd(lr=0.01), quartic, np.array([[14.0], [14.2]]), steps=20)
    lrs = np.array([0.01, 0.1])
    edge = np.sqrt(2 / lrs - 1)
    fig = lp.plot_quartic_edge(lrs, edge - 0.1, edge + 0.1, edge, near, (14.0, 14.2), lr=0.01)
    a0, a1 = fig.axes
    np.testing.assert_allclose(_gid(a0, "edge")[0].get_ydata(), edge)
    assert "θ₀ = 14.2" in [t.get_text() for t in a1.get_legend().get_texts()]
    assert "발산" in [t.get_text() for t in a1.get_legend().get_texts()]
    np.testing.assert_allclose(_gid(a1, "run0")[0].get_ydata()[0], 14.0)
    _assert_stacked(fig)


def test_cliff_marks_onset_and_measured_interval():
    lrs = np.array([0.05, 0.1, 0.19, 0.21])
    fig = lp.plot_cliff(
        lrs,
        [1e-2, 1e-4, 1e-6, np.inf],
        [False, False, False, True],
        lam_max=10.0,
        interval=(0.19, 0.21),
    )
    ax = fig.axes[0]
    np.testing.assert_allclose(_gid(ax, "onset")[0].get_xdata(), [0.1, 0.1])
    (band,) = [p for p in ax.patches if p.get_gid() == "interval"]
    np.testing.assert_allclose([band.get_x(), band.get_x() + band.get_width()], [0.19, 0.21])
    with pytest.raises(ValueError, match="interval"):
        lp.plot_cliff(lrs, [1.0] * 4, [False] * 4, lam_max=10.0, interval=(0.2, 0.1))


def test_well_paths_star_the_global_minimum():
    well = lrb.double_well(tilt=0.2)
    left, right = well.minima[:, 0]
    run = lrb.run(lrb.sgd(lr=0.1), well, np.array([1.5]), steps=10).params[:, 0]
    fig = lp.plot_well_paths(
        well, [run], ["η = 0.1"], global_min=left, local_min=right, xlim=(-1.8, 1.8)
    )
    ax = fig.axes[0]
    star = _gid(ax, "global")[0]
    np.testing.assert_allclose(star.get_xydata(), [[left, float(well.value([left]))]])
    assert {t.get_text() for t in ax.texts} >= {"전역 최솟값", "모두 여기에 수렴"}
