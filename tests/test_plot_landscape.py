"""Tests of lrbook.plot_landscape: the figures of chapter 5 draw the data they are given."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lrbook as lrb
from lrbook import plotting as lp
from tests.conftest import shown_texts

pytestmark = pytest.mark.usefixtures("no_open_figures")


def styles(ax) -> list[tuple[str, str]]:
    return [(str(line.get_linestyle()), str(line.get_marker())) for line in ax.get_lines()]


def test_flat_sharp_draws_paths_fractions_and_thresholds():
    f = lrb.flat_sharp(flat_curvature=1.0, sharp_curvature=20.0)
    path = np.array([1.6, 0.2, -1.0])
    lrs = np.array([0.05, 0.5, 3.0])
    fractions = np.array([[0.6, 1.0, 0.0], [0.4, 0.0, 0.0], [0.0, 0.0, 1.0]])
    fig = lp.plot_flat_sharp(f, [path], ["η = 0.5"], lrs, fractions, (2.0, 0.1))
    top, bottom = fig.axes
    curve, drawn = top.get_lines()[:2]
    np.testing.assert_allclose(drawn.get_xdata(), path)
    np.testing.assert_allclose(drawn.get_ydata(), f.value(path[:, None]))
    np.testing.assert_allclose(curve.get_ydata(), f.value(curve.get_xdata()[:, None]))
    lines = bottom.get_lines()
    for i in range(3):
        np.testing.assert_allclose(lines[i].get_ydata(), fractions[i])
    assert len({(str(a.get_linestyle()), a.get_marker()) for a in lines[:3]}) == 3
    vlines = [line.get_xdata()[0] for line in lines[3:]]
    assert vlines == [2.0, 0.1]
    assert {"2/λ 평탄", "2/λ 날카로움"} <= set(shown_texts(fig))


def test_flat_sharp_checks_shapes_and_axes():
    f = lrb.flat_sharp()
    with pytest.raises(ValueError, match="fractions"):
        lp.plot_flat_sharp(f, [], [], np.ones(3), np.ones((2, 3)), (2.0, 0.1))
    fig, ax = plt.subplots()
    plt.close(fig)
    with pytest.raises(TypeError, match="ax"):
        lp.plot_flat_sharp(f, [], [], np.ones(3), np.ones((3, 3)), (2.0, 0.1), ax=ax)


def test_saddle_escape_draws_curves_measurements_and_theory():
    losses = np.array([[0.5, 0.5], [0.0, 0.1], [-2.0, -0.5]])
    lrs = np.array([0.01, 0.1, 1.0])
    fig = lp.plot_saddle_escape(
        losses,
        [0.1, 1.0],
        lrs,
        np.array([700, 70, 10]),
        np.array([691.0, 72.0, 10.0]),
        threshold=2.0,
    )
    top, bottom = fig.axes
    first = top.get_lines()[0]
    np.testing.assert_allclose(first.get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(first.get_ydata(), [0.5, 0.0, np.nan])  # below -1: hidden
    assert styles(top)[0][0] != styles(top)[1][0]
    measured, theory, limit = bottom.get_lines()
    np.testing.assert_allclose(measured.get_ydata(), [700, 70, 10])
    np.testing.assert_allclose(theory.get_ydata(), [691.0, 72.0, 10.0])
    assert limit.get_xdata()[0] == 2.0 and "2/λ₊" in shown_texts(fig)


def test_lr_sensitivity_normalises_by_the_fewest_steps():
    rel = np.array([0.5, 1.0, 1.05, 1.1])
    n_steps = np.array([[40, 20, 30, 0], [80, 40, 0, 0]])
    kappas = np.array([10.0, 100.0])
    fig = lp.plot_lr_sensitivity(
        rel, n_steps, kappas, np.array([0.1, 0.01]), np.array([0.05, 0.005]), show=(0, 1)
    )
    top, bottom = fig.axes
    curves = [line for line in top.get_lines() if line.get_label().startswith("κ")]
    np.testing.assert_allclose(curves[0].get_ydata(), [2.0, 1.0, 1.5])
    np.testing.assert_allclose(curves[1].get_ydata(), [2.0, 1.0])
    assert curves[0].get_linestyle() != curves[1].get_linestyle()
    cliff = bottom.get_lines()[0]
    np.testing.assert_allclose(cliff.get_ydata(), [0.1, 0.01])
    fine = bottom.get_lines()[1]
    np.testing.assert_allclose(fine.get_ydata(), 1 / fine.get_xdata())


def test_edge_of_stability_draws_each_rate_and_its_threshold():
    steps = np.array([0, 10, 20])
    sharp = np.array([[3.0, 3.0], [6.0, 9.0], [6.5, 10.0]])
    losses = np.linspace(0.5, 0.05, 21)[:, None] * np.ones(2)
    fig = lp.plot_edge_of_stability(steps, sharp, losses, [0.3, 0.2])
    top, bottom = fig.axes
    sharp_lines = [line for line in top.get_lines() if line.get_gid() == "sharpness"]
    thresholds = [line.get_ydata()[0] for line in top.get_lines() if line.get_gid() == "threshold"]
    np.testing.assert_allclose(sharp_lines[1].get_ydata(), sharp[:, 1])
    np.testing.assert_allclose(thresholds, [2 / 0.3, 2 / 0.2])
    assert sharp_lines[0].get_marker() != sharp_lines[1].get_marker()
    np.testing.assert_allclose(bottom.get_lines()[0].get_ydata(), losses[:, 0])
    assert bottom.get_yscale() == "log"


def test_preconditioned_sharpness_draws_the_adam_threshold():
    steps = np.array([1, 21, 41])
    sharp = np.array([[80.0, 150.0], [1500.0, 1000.0], [1880.0, 1250.0]])
    thresholds = np.array([38 / 0.02, 38 / 0.03])
    fig = lp.plot_preconditioned_sharpness(steps, sharp, [0.02, 0.03], thresholds)
    (ax,) = fig.axes
    lines = ax.get_lines()
    np.testing.assert_allclose(lines[0].get_ydata(), sharp[:, 0])
    np.testing.assert_allclose(lines[1].get_ydata(), thresholds[0])
    np.testing.assert_allclose(lines[3].get_ydata(), thresholds[1])
    assert lines[0].get_linestyle() != lines[2].get_linestyle()
    assert {"38/0.02", "38/0.03"} <= set(shown_texts(fig))
    assert ax.get_yscale() == "log"
