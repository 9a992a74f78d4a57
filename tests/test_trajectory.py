"""lrb.run: shapes, closed-form GD, batched sweeps, divergence handling, the protocol."""

from __future__ import annotations

import math
import subprocess
import sys
import warnings
from functools import partial

import numpy as np
import pytest

import lrbook as lrb


def test_shapes_and_first_row():
    f = lrb.rosenbrock()
    x0 = np.zeros((3, 4, 2))
    traj = lrb.run(lrb.adam(lr=0.01), f, x0, steps=7)
    assert isinstance(traj, lrb.Trajectory)
    assert traj.params.shape == (8, 3, 4, 2)
    assert traj.losses.shape == (8, 3, 4)
    assert traj.diverged.shape == (3, 4) and traj.diverged.dtype == bool
    np.testing.assert_array_equal(traj.params[0], x0)
    np.testing.assert_array_equal(traj.losses, f.value(traj.params))
    zero = lrb.run(lrb.sgd(lr=0.1), f, np.array([0.5, 0.5]), steps=0)
    assert zero.params.shape == (1, 2) and zero.losses.shape == (1,)


def test_gd_on_a_quadratic_is_the_matrix_power():
    f = lrb.quadratic((1.0, 10.0), angle=0.5)
    h = f.hessian(np.zeros(2))
    x0 = np.array([1.0, -2.0])
    traj = lrb.run(lrb.sgd(lr=0.15), f, x0, steps=25)
    for t in (1, 5, 25):
        expected = np.linalg.matrix_power(np.eye(2) - 0.15 * h, t) @ x0
        np.testing.assert_allclose(traj.params[t], expected, rtol=1e-12, atol=1e-15)


def test_x0_is_not_modified_and_a_schedule_works():
    x0 = np.array([-1.5, 2.0])
    copy = x0.copy()
    lrs = [0.001 * 0.9**t for t in range(5)]
    traj = lrb.run(lrb.sgd(lr=lambda t: lrs[t]), lrb.rosenbrock(), x0, steps=5)
    np.testing.assert_array_equal(x0, copy)
    x = x0
    for t in range(5):
        x = x - lrs[t] * lrb.rosenbrock().grad(x)
        np.testing.assert_array_equal(traj.params[t + 1], x)


SWEEPS = [  # name, optimizer factory, landscape, largest lr, some lrs diverge
    ("adam-rosenbrock", lambda lr: lrb.adam(lr=lr, amsgrad=True), lrb.rosenbrock(), 2.0, False),
    (
        "sgd-rosenbrock",
        lambda lr: lrb.sgd(lr=lr, momentum=0.9, nesterov=True),
        lrb.rosenbrock(),
        0.01,
        True,
    ),
    (
        "rmsprop-quadratic",
        lambda lr: lrb.rmsprop(lr=lr, centered=True, momentum=0.5),
        lrb.quadratic((1.0, 10.0), angle=0.3),
        1.0,
        False,
    ),
    (
        "adagrad-flat_sharp",
        lambda lr: lrb.adagrad(lr=lr, lr_decay=0.01),
        lrb.flat_sharp(),
        5.0,
        False,
    ),
    (
        "adamw-quartic",
        lambda lr: lrb.adamw(lr=lr, weight_decay=0.1),
        lrb.quartic(dim=3),
        3.0,
        False,
    ),
    (
        "sgd-quadratic-3d",
        lambda lr: lrb.sgd(lr=lr),
        lrb.quadratic((0.5, 3.0, 25.0), 0.4),
        0.2,
        True,
    ),
]


@pytest.mark.parametrize(
    ("make", "f", "max_lr", "some_diverge"), [s[1:] for s in SWEEPS], ids=[s[0] for s in SWEEPS]
)
def test_sweep_equals_separate_runs_exactly(make, f, max_lr, some_diverge):
    k = 12
    lrs = np.geomspace(max_lr / 1000, max_lr, k)[:, None]
    x0 = np.tile(np.linspace(-1.2, 1.1, f.dim), (k, 1))
    batch = lrb.run(make(lrs), f, x0, steps=150)
    assert batch.diverged.any() == some_diverge
    assert not batch.diverged.all()
    for i in range(k):
        single = lrb.run(make(float(lrs[i, 0])), f, x0[i], steps=150)
        np.testing.assert_array_equal(batch.params[:, i], single.params)
        np.testing.assert_array_equal(batch.losses[:, i], single.losses)
        assert batch.diverged[i] == single.diverged


def test_two_batch_axes():
    f = lrb.rosenbrock()
    lrs = np.geomspace(1e-4, 1e-1, 6).reshape(2, 3, 1)
    x0 = np.broadcast_to([-1.5, 2.0], (2, 3, 2))
    batch = lrb.run(lrb.adam(lr=lrs), f, x0, steps=50)
    single = lrb.run(lrb.adam(lr=float(lrs[1, 2, 0])), f, x0[1, 2], steps=50)
    np.testing.assert_array_equal(batch.params[:, 1, 2], single.params)


def test_divergence_is_frozen_flagged_and_silent():
    f = lrb.quadratic((1.0, 10.0))
    lrs = np.array([[0.1], [0.25], [5.0]])  # stable, slowly diverging, exploding
    x0 = np.ones((3, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = lrb.run(lrb.sgd(lr=lrs), f, x0, steps=2000)
    np.testing.assert_array_equal(traj.diverged, [False, True, True])
    assert np.all(np.isfinite(traj.params)) and np.all(np.isfinite(traj.losses))
    bound = 1e6 * max(float(f.value(x0[1])), 1.0)
    # lr = 0.25: the sharp component is multiplied by -1.5 each step; closed form
    t = np.arange(100)
    losses = 0.5 * (0.75**t) ** 2 + 5.0 * (1.5**t) ** 2
    last = int(np.argmax(losses > bound)) - 1
    np.testing.assert_allclose(traj.losses[: last + 1, 1], losses[: last + 1], rtol=1e-12)
    assert np.all(traj.losses[last:, 1] == traj.losses[last, 1])
    assert np.all(traj.params[last:, 1] == traj.params[last, 1])
    assert traj.losses[last, 1] <= bound
    # diverged_step: the first row whose loss left the bound (the rows from it on repeat)
    np.testing.assert_array_equal(traj.diverged_step[:2], [-1, last + 1])
    t = np.arange(20)
    exploding = 0.5 * (4.0**t) ** 2 + 5.0 * (49.0**t) ** 2  # lr = 5: factors -4 and -49
    assert traj.diverged_step[2] == int(np.argmax(exploding > bound))


def test_overflow_to_nan_is_caught():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = lrb.run(
            lrb.sgd(lr=10.0),
            lrb.rosenbrock(),
            np.array([2.0, -1.0]),
            steps=100,
            divergence_factor=np.inf,
        )
    assert traj.diverged
    assert np.all(np.isfinite(traj.params)) and np.all(np.isfinite(traj.losses))


def test_divergence_factor():
    f = lrb.quadratic((1.0, 10.0))
    lr, x0 = 0.201, np.ones(2)  # grows by 1.01 per step: loss x 1e3 after ~350 steps
    loose = lrb.run(lrb.sgd(lr=lr), f, x0, steps=400)
    tight = lrb.run(lrb.sgd(lr=lr), f, x0, steps=400, divergence_factor=100.0)
    assert not loose.diverged and tight.diverged
    assert tight.losses[-1] <= 100 * f.value(x0) < loose.losses[-1]


def test_all_diverged_stops_early_but_fills_the_arrays():
    traj = lrb.run(lrb.sgd(lr=np.full((4, 1), 3.0)), lrb.quadratic(), np.ones((4, 2)), 10_000)
    assert traj.params.shape == (10_001, 4, 2)
    assert traj.diverged.all() and np.all(np.isfinite(traj.params))
    np.testing.assert_array_equal(traj.params[-1], traj.params[30])


def test_quartic_counterexample_small_lr_diverges_from_far_away():
    lr = 0.01
    radius = math.sqrt(2 / lr - 1)  # 14.1: curvature there is 1 + 3 r^2 ~ 600 = 6 / lr
    f = lrb.quartic()
    x0 = np.array([[0.99 * radius], [1.01 * radius], [-1.01 * radius]])
    traj = lrb.run(lrb.sgd(lr=lr), f, x0, steps=2000)
    np.testing.assert_array_equal(traj.diverged, [False, True, True])
    assert abs(traj.params[-1, 0, 0]) < 1e-6
    assert float(lrb.stability_threshold(f, f.minimum)) == 2.0  # 200 x the lr used


def test_flat_sharp_large_lr_leaves_the_sharp_minimum():
    f = lrb.flat_sharp()  # thresholds 2/1 = 2 at x = -1 and 2/20 = 0.1 at x = +1
    x0 = np.array([[1.02], [1.02], [-0.9]])
    lrs = np.array([[0.05], [0.3], [0.3]])
    traj = lrb.run(lrb.sgd(lr=lrs), f, x0, steps=500)
    np.testing.assert_allclose(traj.params[-1, :, 0], [1.0, -1.0, -1.0], atol=1e-8)


def test_saddle_escape_is_flagged():
    traj = lrb.run(lrb.sgd(lr=0.1), lrb.saddle(), np.array([1.0, 1e-3]), steps=400)
    assert traj.diverged
    t = np.arange(60)
    np.testing.assert_allclose(traj.params[t, 1], 1e-3 * 1.1**t, rtol=1e-12)


def test_noisy_runs_are_reproducible():
    base = lrb.quadratic((1.0, 10.0))
    f = lrb.noisy(base, 0.3, seed=7)
    a = lrb.run(lrb.sgd(lr=0.05), f, np.ones(2), steps=50)
    b = lrb.run(lrb.sgd(lr=0.05), f, np.ones(2), steps=50)  # the same object, run twice
    c = lrb.run(lrb.sgd(lr=0.05), lrb.noisy(base, 0.3, seed=7), np.ones(2), steps=50)
    d = lrb.run(lrb.sgd(lr=0.05), lrb.noisy(base, 0.3, seed=8), np.ones(2), steps=50)
    exact = lrb.run(lrb.sgd(lr=0.05), base, np.ones(2), steps=50)
    np.testing.assert_array_equal(a.params, b.params)
    np.testing.assert_array_equal(a.params, c.params)
    assert not np.allclose(a.params, d.params) and not np.allclose(a.params, exact.params)
    # the noise is default_rng(seed).standard_normal, one draw of x.shape per step
    noise = np.random.default_rng(7).standard_normal((50, 1, 2))
    x = np.ones(2)
    for t in range(50):
        x = x - 0.05 * (base.grad(x) + 0.3 * noise[t, 0])
    np.testing.assert_allclose(a.params[-1], x, rtol=1e-13)


def test_every_form_of_the_protocol_gives_the_same_trajectory():
    f = lrb.quadratic((1.0, 10.0), angle=0.3)
    opt, x0 = lrb.sgd(lr=0.05, momentum=0.5), np.array([[1.0, -2.0], [0.5, 0.5]])
    ref = lrb.run(opt, f, x0, steps=40)

    def loss_and_grad(params, batch=None):
        return f.value(params), f.grad(params)

    for form in (f.loss_and_grad, loss_and_grad):
        other = lrb.run(opt, form, x0, steps=40)
        np.testing.assert_array_equal(other.params, ref.params)
        np.testing.assert_array_equal(other.losses, ref.losses)
    # a model with the whole training set as the batch: full-batch gradient descent
    X, y = lrb.make_regression(n_samples=32, n_features=2, noise=0.0, seed=1)
    model = lrb.LinearRegression(n_features=2)
    gd = lrb.run(lrb.sgd(lr=0.1), model, np.zeros(3), steps=20, batch=(X, y))
    p = np.zeros(3)
    for _ in range(20):
        p = p - 0.1 * model.loss_and_grad(p, (X, y))[1]
    np.testing.assert_allclose(gd.params[-1], p, rtol=1e-12)
    assert gd.diverged_step == -1


def test_misuse_names_itself():
    f = lrb.quadratic()
    with pytest.raises(TypeError, match=r"^opt must be an Optimizer .*factory sgd"):
        lrb.run(lrb.sgd, f, np.ones(2), steps=3)
    with pytest.raises(TypeError, match=r"^opt must be an Optimizer .*factory adam"):
        lrb.run(partial(lrb.adam, betas=(0.9, 0.99)), f, np.ones(2), steps=3)
    with pytest.raises(TypeError, match=r"^opt must be an Optimizer"):
        lrb.run("sgd", f, np.ones(2), steps=3)
    with pytest.raises(ValueError, match=r"^batch must be None for a Landscape"):
        lrb.run(lrb.sgd(lr=0.1), f, np.ones(2), steps=3, batch=(1, 2))


@pytest.mark.parametrize(
    ("kwargs", "name", "error"),
    [
        ({"steps": -1}, "steps", ValueError),
        ({"steps": 2.5}, "steps", TypeError),
        ({"x0": np.zeros(3)}, "x0", ValueError),
        ({"x0": np.zeros((4, 1))}, "x0", ValueError),
        ({"x0": 0.0}, "x0", ValueError),
        ({"x0": np.array([np.nan, 0.0])}, "x0", ValueError),
        ({"divergence_factor": 0.5}, "divergence_factor", ValueError),
        ({"f": "rosenbrock"}, "f", TypeError),
    ],
)
def test_bad_arguments(kwargs, name, error):
    args = {"opt": lrb.sgd(lr=0.1), "f": lrb.rosenbrock(), "x0": np.zeros(2), "steps": 3}
    args.update(kwargs)
    with pytest.raises(error, match=rf"^{name} must"):
        lrb.run(**args)


def test_import_is_numpy_only():
    # the import time is measured by benchmarks/import_time.py, not asserted here
    code = (
        "import sys\n"
        "import lrbook\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('matplotlib', 'ipywidgets', 'IPython', 'scipy', 'sklearn', 'torch', 'pandas')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert "numpy" in sys.modules
