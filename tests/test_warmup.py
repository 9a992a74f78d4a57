"""Tests of lrbook.warmup: gradient descent under a schedule with the sharpness tracked."""

import numpy as np
import pytest

import lrbook as lrb


def test_quadratic_sharpness_is_the_top_eigenvalue_and_steps_follow_the_schedule():
    f = lrb.quadratic((1.0, 10.0))
    sched = lrb.linear_warmup(0.15, warmup_steps=5)
    tr = lrb.scheduled_sharpness(f, [1.0, 1.0], schedule=sched, steps=12, every=4, iters=2)
    np.testing.assert_array_equal(tr.steps, [0, 4, 8, 12])
    np.testing.assert_allclose(tr.sharpness, 10.0, rtol=1e-6)
    # by hand: each coordinate multiplies by (1 - eta_t * lambda_i)
    x = np.array([1.0, 1.0])
    for t in range(12):
        x = (1 - sched(t) * np.array([1.0, 10.0])) * x
    np.testing.assert_allclose(tr.params, x, rtol=1e-12)
    np.testing.assert_allclose(tr.losses[-1], 0.5 * (x[0] ** 2 + 10 * x[1] ** 2), rtol=1e-12)


def test_constant_schedule_equals_gd_sharpness():
    data = lrb.load_digits()
    net = lrb.MLP(n_inputs=64, n_outputs=10, width=4, depth=1)
    p0 = np.stack([net.init(seed=0), net.init(seed=1)])
    a = lrb.scheduled_sharpness(
        net, p0, data.train, schedule=lrb.constant_schedule(0.5), steps=6, every=3, iters=5
    )
    b = lrb.gd_sharpness(net, p0, data.train, lr=0.5, steps=6, every=3, iters=5)
    np.testing.assert_allclose(a.losses, b.losses, rtol=1e-12)
    np.testing.assert_allclose(a.sharpness, b.sharpness, rtol=1e-9)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-12)


def test_diverged_run_is_flagged_and_frozen():
    f = lrb.quadratic((1.0, 10.0))
    x0 = np.array([[1.0, 1.0], [1.0, 1.0]])
    sched = lambda t: np.array([0.05, 1e155])  # noqa: E731
    tr = lrb.scheduled_sharpness(f, x0, schedule=sched, steps=4, every=2, iters=2)
    assert tr.diverged.tolist() == [False, True]
    assert tr.diverged_step[1] >= 1
    assert np.isnan(tr.losses[-1, 1]) and np.isfinite(tr.losses[-1, 0])


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"schedule": 0.1, "steps": 3}, TypeError),
        ({"schedule": lambda t: 0.1, "steps": -1}, ValueError),
        ({"schedule": lambda t: 0.1, "steps": 3, "every": 0}, ValueError),
    ],
)
def test_bad_arguments(kwargs, error):
    with pytest.raises(error):
        lrb.scheduled_sharpness(lrb.quadratic(), [1.0, 1.0], **kwargs)
