"""Tests of lrbook.plot_practice: what each figure of the practice chapter draws, exactly."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lrbook as lrb
from lrbook import plotting as lp
from tests.conftest import lines, notes, quiet, render

pytestmark = pytest.mark.usefixtures("no_open_figures")


def test_plot_lr_curves_draws_seed_means_their_t_band_and_the_best_star():
    x = np.array([0.01, 0.1, 1.0])
    y = np.array([[3.0, 1.0, 2.0], [5.0, 2.0, 2.0], [4.0, 3.0, 2.0]])
    z = np.array([1.0, 0.5, 4.0])
    with quiet():
        fig = lp.plot_lr_curves(
            {"A": (x, y), "B": (x, z)}, best="min", ranges={"A": (0.02, 0.2)}, marks={"경계": 0.5}
        )
        render(fig)
    ax = fig.axes[0]
    a, b = lines(ax, "lrbook-curve")
    np.testing.assert_allclose(a.get_ydata(), [4.0, 2.0, 2.0])
    np.testing.assert_allclose(b.get_ydata(), z)
    assert a.get_label() == "A" and b.get_label() == "B"
    # told apart by more than colour
    assert a.get_marker() != b.get_marker() and a.get_linestyle() != b.get_linestyle()
    # the band of A at x = 0.01: mean 4, s = 1, n = 3 -> 4 ± t(0.975, 2) / sqrt(3)
    half = lrb.t_quantile(0.975, 2) / np.sqrt(3)
    band = ax.collections[0].get_paths()[0].vertices
    assert np.isclose(band[:, 1].max(), 4.0 + half)
    stars = lines(ax, "lrbook-best")
    # A's best: the first of the tied minima (0.1); B's best: 0.1 at 0.5
    assert [s.get_xdata()[0] for s in stars] == [0.1, 0.1]
    assert [s.get_ydata()[0] for s in stars] == [2.0, 0.5]
    assert any(p.get_gid() == "lrbook-range" for p in ax.patches)
    assert [m.get_xdata()[0] for m in lines(ax, "lrbook-mark")] == [0.5]
    assert "원문: A" in [t.get_text() for t in ax.texts]
    assert "경계" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"


def test_plot_lr_curves_names_diverged_grid_values_and_checks_its_input():
    x = np.array([0.1, 1.0, 10.0])
    y = np.array([[1.0, 2.0, np.nan], [1.0, 2.0, 3.0]])
    with quiet():
        fig = lp.plot_lr_curves({"A": (x, y)}, best="max")
        render(fig)
    ax = fig.axes[0]
    assert np.isnan(lines(ax, "lrbook-curve")[0].get_ydata()[2])
    assert lines(ax, "lrbook-curve")[0].get_label() == "A (η ≥ 10: 발산)"
    assert notes(fig) == []
    assert lines(ax, "lrbook-best")[0].get_xdata()[0] == 1.0
    plt.close(fig)
    with quiet():
        fig = lp.plot_lr_curves({"B": (x, np.full((2, 3), np.inf))})
    assert notes(fig) == ["발산: B"]
    plt.close(fig)
    with pytest.raises(TypeError, match="curves"):
        lp.plot_lr_curves([x, y])
    with pytest.raises(ValueError, match="curves\\['A'\\]"):
        lp.plot_lr_curves({"A": (x, y[:, :2])})
    with pytest.raises(ValueError, match="best"):
        lp.plot_lr_curves({"A": (x, y)}, best="median")


def test_plot_best_lr_by_length_draws_values_and_interval_ends():
    lengths = [1, 3, 10, 30]
    adam = ([0.04, 0.02, 0.01, 0.005], [0.03, 0.01, 0.008, 0.003], [0.05, 0.03, 0.02, 0.007])
    sgdm = ([0.4, 0.2, 0.1, 0.05], [0.3, 0.1, 0.08, 0.03], [0.5, 0.3, 0.2, 0.07])
    with quiet():
        fig = lp.plot_best_lr_by_length(
            lengths, {"Adam": adam, "SGD + 모멘텀": sgdm}, ranges={"Adam": (1e-4, 1e-3)}
        )
        render(fig)
    ax = fig.axes[0]
    a, s = lines(ax, "lrbook-best-lr")
    np.testing.assert_allclose(np.asarray(a.get_ydata(), float), adam[0])
    np.testing.assert_allclose(np.asarray(s.get_ydata(), float), sgdm[0])
    assert a.get_marker() != s.get_marker()
    # the two methods sit side by side around each length
    assert np.all(np.asarray(a.get_xdata(), float) < lengths) and np.all(
        np.asarray(s.get_xdata(), float) > lengths
    )
    bars = [c for c in ax.collections if c.get_gid() == "lrbook-interval"]
    ends = np.array([seg[:, 1] for seg in bars[0].get_segments()])
    np.testing.assert_allclose(np.sort(ends, axis=1), np.c_[adam[1], adam[2]])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "3", "10", "30"]
    assert "원문:\nAdam" in [t.get_text() for t in ax.texts]
    plt.close(fig)
    with pytest.raises(ValueError, match="best\\['Adam'\\]"):
        lp.plot_best_lr_by_length(lengths, {"Adam": (adam[0][:3], adam[1], adam[2])})
    with pytest.raises(ValueError, match="lengths"):
        lp.plot_best_lr_by_length([0, 1], {"Adam": ([1, 1], [1, 1], [1, 1])})


def test_plot_catapult_draws_losses_on_top_and_the_stability_ratio_below():
    losses = np.array([[2.3, 2.3], [1.5, 4.0], [1.0, 7.0], [0.8, 1.0], [0.7, 0.5]])
    marks = np.array([0, 2, 4])
    ratio = np.array([[0.5, 5.0], [0.4, 2.0], [0.4, 0.8]])
    with quiet():
        fig = lp.plot_catapult(losses, marks, ratio, ["η = 1", "η = 10"], initial_loss=np.log(10))
        render(fig)
    top, bottom = fig.axes
    np.testing.assert_allclose([ln.get_ydata() for ln in lines(top, "lrbook-loss")], losses.T)
    stab = lines(bottom, "lrbook-stability")
    np.testing.assert_allclose([ln.get_xdata() for ln in stab], [marks, marks])
    np.testing.assert_allclose([ln.get_ydata() for ln in stab], ratio.T)
    assert lines(bottom, "lrbook-limit")[0].get_ydata()[0] == 1.0
    assert stab[0].get_marker() != stab[1].get_marker()
    assert [ln.get_label() for ln in lines(top, "lrbook-loss")] == ["η = 1", "η = 10"]
    plt.close(fig)
    with pytest.raises(ValueError, match="labels"):
        lp.plot_catapult(losses, marks, ratio, ["only one"])
    with pytest.raises(ValueError, match="stability"):
        lp.plot_catapult(losses, marks[:2], ratio, ["a", "b"])


def test_plot_step_fractions_draws_the_median_over_parameters_and_the_guides():
    r = np.array([[1.0, 1.0, 1.0, 0.0], [0.5, 0.1, 0.3, 0.2], [0.2, 0.1, 0.4, 0.3]])
    warm = np.array([0.0, 0.5, 1.0])
    with quiet():
        fig = lp.plot_step_fractions(r, {"워밍업": warm, "RAdam": [np.nan, np.nan, 0.1]})
        render(fig)
    ax = fig.axes[0]
    np.testing.assert_allclose(lines(ax, "lrbook-median")[0].get_ydata(), [1.0, 0.25, 0.25])
    np.testing.assert_allclose(lines(ax, "lrbook-median")[0].get_xdata(), [1, 2, 3])
    guides = lines(ax, "lrbook-guide")
    np.testing.assert_allclose(guides[0].get_ydata(), warm)
    assert [g.get_label() for g in guides] == ["워밍업", "RAdam"]
    assert guides[0].get_linestyle() != guides[1].get_linestyle()
    plt.close(fig)
    with pytest.raises(ValueError, match="quantiles"):
        lp.plot_step_fractions(r, quantiles=(50, 10, 90))


def test_plot_styled_losses_tells_runs_apart_by_line_style_and_draws_reference_lines():
    losses = np.array([[2.0, 2.0, 2.0], [1.0, 3.0, np.nan], [0.5, 4.0, np.nan]])
    with quiet():
        fig = lp.plot_styled_losses(
            losses, ["a", "b", "c"], hlines={"기준": (3.5, "red")}, title="t"
        )
        render(fig)
    ax = fig.axes[0]
    runs = lines(ax, "loss")
    assert [r.get_label() for r in runs] == ["a", "b", "c (발산)"]
    np.testing.assert_allclose(runs[0].get_ydata(), [2.0, 1.0, 0.5])
    np.testing.assert_allclose(runs[1].get_ydata(), [2.0, 3.0, 4.0])
    assert [r.get_linestyle() for r in runs] == ["-", "--", "-."]
    (ref,) = lines(ax, "lrbook-reference")
    assert ref.get_ydata()[0] == 3.5 and ref.get_label() == "기준"
    assert ax.get_xlabel() == "스텝" and ax.get_ylabel() == "미니배치 손실"
    assert ax.get_title() == "t"
    # the diverged run keeps its × and note
    assert lines(ax, "diverged") and any("발산" in n for n in notes(fig))


def test_plot_styled_losses_rejects_a_label_count_that_does_not_match():
    with pytest.raises(ValueError, match="labels"):
        lp.plot_styled_losses(np.ones((3, 2)), ["a"])
