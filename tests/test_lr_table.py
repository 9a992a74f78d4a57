"""Tests of lrbook.lr_table: a table of learning rates is a per-run schedule."""

import numpy as np
import pytest

import lrbook as lrb


def test_reads_the_column_of_each_step():
    rows = np.arange(12.0).reshape(2, 2, 3)
    sched = lrb.from_table(rows)
    for t in range(3):
        out = sched(t)
        assert out.shape == (2, 2, 1)
        np.testing.assert_array_equal(out[..., 0], rows[..., t])
    assert sched(np.int64(2))[1, 1, 0] == 11.0


def test_equals_separate_runs_of_each_schedule():
    # three schedules in one call == three calls with one schedule each
    T, bowl = 40, lrb.quadratic((1.0, 10.0))
    schedules = [
        lrb.constant_schedule(0.15),
        lrb.cosine_annealing(0.19, total_steps=T),
        lrb.warmup_cosine(0.25, 8, total_steps=T),
    ]
    rows = np.array([s(np.arange(T)) for s in schedules])
    x0 = np.tile([3.0, 3.0], (3, 1))
    together = lrb.run(lrb.sgd(lr=lrb.from_table(rows)), bowl, x0, steps=T)
    for k, s in enumerate(schedules):
        alone = lrb.run(lrb.sgd(lr=s), bowl, x0[k], steps=T)
        np.testing.assert_allclose(together.params[:, k], alone.params, rtol=1e-12, atol=0)


def test_hand_computed_steps():
    # gradient descent on theta^2/2: theta_{t+1} = (1 - eta_t) theta_t
    rows = np.array([[0.5, 0.25, 0.0], [1.0, 0.5, 0.5]])
    traj = lrb.run(lrb.sgd(lr=lrb.from_table(rows)), lrb.quadratic((1.0,)), np.ones((2, 1)), 3)
    np.testing.assert_allclose(traj.params[:, :, 0], [[1, 1], [0.5, 0], [0.375, 0], [0.375, 0]])


def test_table_is_copied():
    rows = np.array([0.1, 0.2])
    sched = lrb.from_table(rows)
    rows[:] = 9.0
    np.testing.assert_array_equal(sched(1), [0.2])


@pytest.mark.parametrize(
    ("rows", "error", "match"),
    [
        (np.array(["a", "b"]), TypeError, "rows"),
        (np.float64(0.1), ValueError, "rows"),
        (np.zeros((2, 0)), ValueError, "rows"),
        (np.array([0.1, np.nan]), ValueError, "rows"),
        (np.array([0.1, -0.1]), ValueError, "rows"),
    ],
)
def test_bad_tables(rows, error, match):
    with pytest.raises(error, match=match):
        lrb.from_table(rows)


@pytest.mark.parametrize(
    ("step", "error"), [(3, ValueError), (-1, ValueError), (1.0, TypeError), (True, TypeError)]
)
def test_bad_steps(step, error):
    with pytest.raises(error, match="step"):
        lrb.from_table(np.ones((2, 3)))(step)
