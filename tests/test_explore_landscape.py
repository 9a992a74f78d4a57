"""Tests of lrbook.explore_landscape: the edge-of-stability and basin-selection explorers."""

from __future__ import annotations

import numpy as np
import pytest

import lrbook as lrb
from lrbook import explore_landscape as lx
from tests.conftest import quiet

pytestmark = pytest.mark.usefixtures("no_open_figures")

EIGS = np.array([1.0, 10.0])


@pytest.fixture(scope="module")
def quad_runs():
    f = lrb.quadratic(tuple(EIGS))
    return lx.edge_of_stability_runs(
        f, [1.0, 1.0], lrs=[0.05, 0.15], decays=[10, 20], steps=30, every=5, iters=3
    )


@pytest.fixture(scope="module")
def basins():
    f = lrb.flat_sharp(flat_curvature=1.0, sharp_curvature=20.0)
    return lx.basin_runs(f, np.geomspace(0.02, 3.0, 12), np.linspace(-3.0, 3.0, 60))


# --------------------------------------------------------------------------------------
# edge of stability: the precomputed grid


def closed_form_losses(eta: float, decay: int, steps: int) -> np.ndarray:
    # on 0.5 Σ λ_i x_i², each coordinate is multiplied by (1 - η_t λ_i) per step
    etas = np.array([eta if decay < 0 or t < decay else 0.5 * eta for t in range(steps)])
    factors = np.cumprod(1 - etas[:, None] * EIGS, axis=0)
    x = np.vstack([np.ones(2), factors])
    return 0.5 * np.sum(EIGS * x**2, axis=1)


def test_runs_follow_gradient_descent_with_the_decay(quad_runs):
    r = quad_runs
    assert r.losses.shape == (31, 3, 2) and r.decays.tolist() == [-1, 10, 20]
    for j, decay in enumerate(r.decays):
        for k, eta in enumerate(r.lrs):
            expected = closed_form_losses(eta, int(decay), 30)
            np.testing.assert_allclose(r.losses[:, j, k], expected, rtol=1e-12)


def test_sharpness_of_a_quadratic_is_its_top_eigenvalue(quad_runs):
    np.testing.assert_allclose(quad_runs.steps, np.arange(0, 31, 5))
    np.testing.assert_allclose(quad_runs.sharpness, 10.0, rtol=1e-8)


def test_decayed_runs_share_the_constant_prefix(quad_runs):
    r = quad_runs
    np.testing.assert_array_equal(r.losses[:11, 1], r.losses[:11, 0])
    np.testing.assert_array_equal(r.losses[:21, 2], r.losses[:21, 0])
    assert not np.allclose(r.losses[25:, 1], r.losses[25:, 0])


def test_lr_at_halves_at_the_decay_step(quad_runs):
    got = quad_runs.lr_at(np.array([0, 9, 10, 29]), 10, 1)
    np.testing.assert_allclose(got, [0.15, 0.15, 0.075, 0.075])
    np.testing.assert_allclose(quad_runs.lr_at(np.array([0, 29]), -1, 0), [0.05, 0.05])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"lrs": [0.1], "decays": [7], "steps": 20, "every": 5}, "decays"),
        ({"lrs": [0.1], "decays": [20], "steps": 20, "every": 5}, "decays"),
        ({"lrs": [0.1], "steps": 22, "every": 5}, "steps"),
        ({"lrs": [-0.1], "steps": 20, "every": 5}, "lrs"),
        ({"lrs": [0.1], "steps": 20, "every": 5, "factor": 0.0}, "factor"),
    ],
)
def test_edge_runs_reject_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        lx.edge_of_stability_runs(lrb.quadratic((1.0, 10.0)), [1.0, 1.0], **kwargs)


# --------------------------------------------------------------------------------------
# edge of stability: the figure, explorer and twin


def test_figure_draws_the_chosen_run_and_its_threshold(quad_runs):
    live = lx.EdgeOfStabilityFigure(quad_runs, lr=0.14, decay=20)  # snaps to 0.15
    assert live.index == 1 and live.decay_index == 2
    np.testing.assert_allclose(live.sharp_line.get_ydata(), quad_runs.sharpness[:, 2, 1])
    np.testing.assert_allclose(live.loss_line.get_ydata(), quad_runs.losses[:, 2, 1])
    threshold = live.threshold_line.get_ydata()
    np.testing.assert_allclose(threshold[:20], 2 / 0.15)
    np.testing.assert_allclose(threshold[20:], 2 / 0.075)
    assert live.decay_line.get_visible() and live.decay_line.get_xdata()[0] == 20
    assert live.ax_s.get_title() == "η = 0.15, 20 스텝에서 η × 0.5"
    live.update(lr=0.05, decay=None)
    assert not live.decay_line.get_visible()
    np.testing.assert_allclose(live.threshold_line.get_ydata(), 2 / 0.05)
    assert live.ax_s.get_title() == "η = 0.05"


def test_figure_rejects_bad_controls(quad_runs):
    with pytest.raises(ValueError, match="decay"):
        lx.EdgeOfStabilityFigure(quad_runs, decay=15)
    with pytest.raises(ValueError, match="lr"):
        lx.EdgeOfStabilityFigure(quad_runs, lr=-1.0)
    with pytest.raises(TypeError, match="runs"):
        lx.EdgeOfStabilityFigure({"lrs": [0.1]})


def test_explorer_controls_redraw(quad_runs):
    ex = lx.edge_of_stability_explorer(quad_runs)
    ex.controls["lr"].value = 0.05
    ex.controls["decay"].value = 10
    np.testing.assert_allclose(ex.live.loss_line.get_ydata(), quad_runs.losses[:, 1, 0])
    assert ex.image.value[:4] == b"\x89PNG"


def test_twin_has_one_frame_per_learning_rate(quad_runs):
    with quiet():
        twin = lx.edge_of_stability_scrubber(quad_runs, decay=10)
    html = twin._repr_html_()
    assert twin.frames == 2 and "<script" in html and "edge_of_stability_explorer" in html


# --------------------------------------------------------------------------------------
# basin selection


def test_basins_follow_the_stability_thresholds(basins):
    fr = basins.fractions()
    np.testing.assert_allclose(fr.sum(axis=0), 1.0)
    assert basins.thresholds == pytest.approx((2.0, 0.1))
    # below 2/20 the starts split at the barrier θ_b between the two basins
    c = 20 ** (1 / 3)
    barrier = (c - 1) / (c + 1)
    small = basins.lrs < 0.1
    expected = np.where(basins.starts > barrier, 1, 0)
    np.testing.assert_array_equal(basins.basin[small], np.broadcast_to(expected, (small.sum(), 60)))
    # above 2/20 no run ends in the sharp minimum; above 2/1 none ends in either
    assert np.all(fr[1, basins.lrs > 0.1] == 0)
    assert np.all(fr[2, basins.lrs > 2.0] == 1)


def test_basin_runs_hand_cases():
    r = lx.basin_runs(lrb.flat_sharp(), [0.05, 0.5], [-2.0, 1.5])
    assert r.basin.tolist() == [[0, 1], [0, 0]]


def test_basin_runs_reject_bad_arguments():
    with pytest.raises(ValueError, match="minima"):
        lx.basin_runs(lrb.quadratic((1.0, 2.0)), [0.1], [0.0])
    with pytest.raises(ValueError, match="lrs"):
        lx.basin_runs(lrb.flat_sharp(), [0.0], [0.0])
    with pytest.raises(ValueError, match="tail"):
        lx.basin_runs(lrb.flat_sharp(), [0.1], [0.0], steps=10, tail=20)


def test_basin_figure_partitions_the_starts(basins):
    live = lx.BasinFigure(basins, lr=0.5)
    k = live.index
    assert basins.lrs[k] == pytest.approx(0.5, rel=0.3)
    for code, line in enumerate(live.points):
        np.testing.assert_allclose(line.get_xdata(), basins.starts[basins.basin[k] == code])
    assert sum(len(p.get_xdata()) for p in live.points) == 60
    np.testing.assert_allclose(live.cursor.get_ydata(), np.log10(basins.lrs[k]))
    share = 100 * np.mean(basins.basin[k] == 0)
    assert live.ax_map.get_title() == f"η = {basins.lrs[k]:.3g}: 평탄한 최솟값에 {share:.0f}%"
    assert [p.get_marker() for p in live.points] == ["o", "s", "x"]


def test_basin_explorer_and_twin(basins):
    ex = lx.basin_explorer(basins)
    ex.controls["lr"].value = float(basins.lrs[-1])
    assert len(ex.live.points[2].get_xdata()) == 60
    with quiet():
        twin = lx.basin_scrubber(basins, lrs=basins.lrs[:2])
    assert twin.frames == 2 and "basin_explorer" in twin._repr_html_()
