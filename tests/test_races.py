"""Tests of lrbook.races: window scoring, tuning on a shared grid, the rerun."""

import numpy as np
import pytest

import lrbook as lrb


def gd(lr):
    return lrb.sgd(lr=lr)


def test_exact_step_wins_on_a_quadratic():
    # GD on J = 2 x^2 (curvature 4): the error shrinks by |1 - 4 eta| per step, so
    # eta = 1/4 lands on the minimum in one step; 0.6 oscillates with |1 - 2.4| = 1.4.
    f = lrb.quadratic(eigenvalues=(4.0,))
    grid = np.array([0.05, 0.1, 0.25, 0.4, 0.6])
    res = lrb.race(f, np.array([1.0]), 10, {"GD": gd}, grid, window=3)
    entry = res["GD"]
    assert entry.lr == 0.25 and not entry.tuned.at_edge and entry.score == 0.0
    # scores are the mean of the last 3 losses 2 * r^(2t), t = 8, 9, 10
    r = np.abs(1 - 4 * grid)
    expected = np.array([np.mean(2 * ri ** (2 * np.arange(8, 11))) for ri in r])
    np.testing.assert_allclose(entry.scores, expected, rtol=1e-12)
    np.testing.assert_allclose(entry.run.params, lrb.run(gd(0.25), f, np.array([1.0]), 10).params)


def test_scores_are_window_means_of_the_sweep():
    # Momentum's losses zigzag; the score is the mean of the last `window` losses of the
    # same sweep run directly, and window=1 is the last-step loss.
    f = lrb.quadratic(eigenvalues=(1.0, 100.0), angle=np.pi / 6)
    opts = {"모멘텀": lambda lr: lrb.sgd(lr=lr, momentum=0.9)}
    grid = np.geomspace(1e-4, 1.0, 21)
    last = lrb.race(f, np.array([-2.0, 1.0]), 100, opts, grid, window=1)["모멘텀"]
    wide = lrb.race(f, np.array([-2.0, 1.0]), 100, opts, grid, window=30)["모멘텀"]
    sweep = lrb.run(opts["모멘텀"](grid[:, None]), f, np.tile([-2.0, 1.0], (21, 1)), 100)
    tail = np.where(sweep.diverged, np.inf, sweep.losses[-30:].mean(axis=0))
    np.testing.assert_allclose(wide.scores, tail)
    assert wide.lr == grid[np.argmin(tail)]
    np.testing.assert_allclose(
        last.scores[np.isfinite(last.scores)], sweep.losses[-1][~sweep.diverged]
    )


def test_diverged_runs_score_inf_and_edges_are_flagged():
    f = lrb.quadratic(eigenvalues=(4.0,))
    res = lrb.race(f, np.array([1.0]), 20, {"GD": gd}, np.array([0.01, 0.02, 0.04, 1.0]), 5)
    assert np.isinf(res["GD"].scores[-1])
    assert res["GD"].lr == 0.04 and not res["GD"].tuned.at_edge
    edge = lrb.race(f, np.array([1.0]), 20, {"GD": gd}, np.array([0.01, 0.02, 0.04]), 5)
    assert edge["GD"].lr == 0.04 and edge["GD"].tuned.at_edge


def test_order_and_several_optimizers():
    f = lrb.quadratic(eigenvalues=(1.0, 10.0))
    opts = {"b": gd, "a": lambda lr: lrb.adam(lr=lr)}
    res = lrb.race(f, np.array([1.0, 1.0]), 30, opts, np.geomspace(1e-3, 1.0, 7))
    assert list(res) == ["b", "a"]
    assert all(e.scores.shape == (7,) for e in res.values())


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"start": np.array([[1.0]])}, "start"),
        ({"steps": 0}, "steps"),
        ({"window": 11}, "window"),
        ({"lrs": np.array([0.1, 0.05])}, "lrs"),
        ({"lrs": np.array([0.0, 0.1])}, "lrs"),
    ],
)
def test_bad_arguments(kwargs, match):
    args = {
        "f": lrb.quadratic(eigenvalues=(1.0,)),
        "start": np.array([1.0]),
        "steps": 10,
        "optimizers": {"GD": gd},
        "lrs": np.array([0.1, 0.5]),
        "window": 5,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        lrb.race(**args)


def test_optimizers_must_be_a_mapping():
    with pytest.raises(TypeError, match="optimizers"):
        lrb.race(lrb.quadratic(eigenvalues=(1.0,)), np.array([1.0]), 5, [gd], np.array([0.1]), 2)


def test_race_starts_is_race_from_each_start():
    # One batched pass must choose, start by start, what race() chooses from that start.
    f = lrb.quadratic(eigenvalues=(1.0, 100.0), angle=np.pi / 4)
    opts = {"Adam": lambda lr: lrb.adam(lr=lr), "GD": gd}
    grid = np.geomspace(1e-3, 10.0, 13)
    starts = np.array([[-2.0, 1.0], [0.5, 2.0], [3.0, -0.1]])
    many = lrb.race_starts(f, starts, 60, opts, grid, window=6)
    assert list(many) == ["Adam", "GD"]
    for k, x0 in enumerate(starts):
        one = lrb.race(f, x0, 60, opts, grid, window=6)
        for name, entry in one.items():
            np.testing.assert_allclose(many[name].scores[k], entry.scores, rtol=1e-9)
            assert many[name].lrs[k] == entry.lr
            assert many[name].best[k] == pytest.approx(entry.score, rel=1e-9)
            assert many[name].at_edge[k] == entry.tuned.at_edge


def test_race_starts_scores_scale_with_the_start_for_gd_on_a_quadratic():
    # GD is linear: from x0 the losses are 2 x0^2 r^(2t) with r = |1 - 4 eta|, so the
    # scores of start -3 are 9 times those of start 1, and eta = 1/4 is exact from both.
    f = lrb.quadratic(eigenvalues=(4.0,))
    grid = np.array([0.05, 0.1, 0.25, 0.4, 0.6])
    res = lrb.race_starts(f, np.array([[1.0], [-3.0]]), 10, {"GD": gd}, grid, window=3)["GD"]
    r = np.abs(1 - 4 * grid)
    unit = np.array([np.mean(2 * ri ** (2 * np.arange(8, 11))) for ri in r])
    np.testing.assert_allclose(res.scores, [unit, 9 * unit], rtol=1e-12)
    np.testing.assert_array_equal(res.lrs, [0.25, 0.25])
    np.testing.assert_array_equal(res.best, [0.0, 0.0])
    assert not res.at_edge.any()
    edge = lrb.race_starts(f, np.array([[1.0], [2.0]]), 10, {"GD": gd}, grid[:2], window=3)
    np.testing.assert_array_equal(edge["GD"].lrs, [0.1, 0.1])
    assert edge["GD"].at_edge.all()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"starts": np.array([1.0, 2.0])}, ValueError, "starts"),
        ({"starts": np.array([[np.nan]])}, ValueError, "starts"),
        ({"window": 11}, ValueError, "window"),
        ({"lrs": np.array([0.1, 0.05])}, ValueError, "lrs"),
        ({"optimizers": {}}, TypeError, "optimizers"),
    ],
)
def test_race_starts_rejects_bad_input(kwargs, error, match):
    args = {
        "f": lrb.quadratic(eigenvalues=(4.0,)),
        "starts": np.array([[1.0]]),
        "steps": 10,
        "optimizers": {"GD": gd},
        "lrs": np.array([0.05, 0.1]),
        "window": 3,
    }
    args.update(kwargs)
    with pytest.raises(error, match=match):
        lrb.race_starts(**args)
