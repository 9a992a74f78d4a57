"""Tests of lrbook.linesearch against hand-computed steps and the Armijo condition."""

import numpy as np
import pytest

import lrbook as lrb
from lrbook import linesearch


def square(p, batch=None):
    """J = θ² summed over the last axis, with its gradient."""
    return np.sum(p * p, axis=-1), 2 * p


def test_armijo_by_hand():
    # J = θ², θ = 3, g = 6, ‖g‖² = 36, J = 9: the Armijo bound is 9 - 1e-4 η 36
    # η = 1:   θ - 6 = -3, J = 9 > 8.9964          reject
    # η = 0.5: θ - 3 =  0, J = 0 <= 8.9982          accept
    opt = lrb.armijo(square, lr=1.0, c=1e-4, shrink=0.5)
    p = np.array([3.0])
    state = opt.init(p)
    u, state = opt.update(2 * p, state, p)
    np.testing.assert_array_equal(u, [-3.0])
    assert state.lr == 0.5 and state.n_values == 3 and state.n_grads == 1
    # at the minimum the gradient is 0: no step and no evaluation (J(0) is cached)
    u, state = opt.update(np.zeros(1), state, p + u)
    np.testing.assert_array_equal(u, [0.0])
    assert state.lr == 0.0 and state.n_values == 3 and state.n_grads == 2 and state.count == 2


@pytest.mark.parametrize(
    ("c", "lr_taken"),
    [
        (0.5, 0.5),  # η = 0.5: J = 0 <= 1 - 0.5·0.5·4 = 0 (equality accepts)
        (0.6, 0.25),  # η = 0.5: 0 > -0.2; η = 0.25: θ = 0.5, J = 0.25 <= 0.4
    ],
)
def test_armijo_condition_boundary(c, lr_taken):
    opt = lrb.armijo(square, lr=1.0, c=c, shrink=0.5)
    p = np.array([1.0])
    u, state = opt.update(2 * p, opt.init(p), p)
    assert state.lr == lr_taken
    np.testing.assert_allclose(u, -2 * lr_taken * p)


def test_armijo_max_backtracks_takes_smallest_trial():
    p = np.array([3.0])
    opt = lrb.armijo(square, lr=1.0, max_backtracks=0)
    u, state = opt.update(2 * p, opt.init(p), p)
    np.testing.assert_array_equal(u, [-6.0])  # η = 1 fails but no shrink is left
    assert state.n_values == 2
    opt = lrb.armijo(square, lr=8.0, max_backtracks=2)  # trials 8, 4, 2: all fail
    u, state = opt.update(2 * p, opt.init(p), p)
    assert state.lr == 2.0 and state.n_values == 4


def test_armijo_batch_is_independent():
    opt = lrb.armijo(square, lr=1.0)
    p = np.array([[3.0], [1.0], [0.0], [0.3]])
    u, state = opt.update(2 * p, opt.init(p), p)
    # θ = 0.3: η = 1 gives -0.3, J = 0.09 > 0.09 - 3.6e-5: reject; η = 0.5 accepts
    np.testing.assert_array_equal(state.lr, [0.5, 0.5, 0.0, 0.5])
    np.testing.assert_array_equal(state.n_values, [3, 3, 1, 3])
    np.testing.assert_array_equal(u, -p)


@pytest.mark.parametrize("make", [lrb.armijo, lrb.polyak])
def test_vectorized_equals_separate_runs(make):
    f = lrb.rosenbrock()
    x0 = np.array([[-1.2, 1.0], [0.0, 0.0], [2.0, 2.5], [1.0, 1.0]])
    batch = lrb.run(make(f), f, x0, steps=60)
    for k in range(x0.shape[0]):
        one = lrb.run(make(f), f, x0[k], steps=60)
        np.testing.assert_array_equal(batch.params[:, k], one.params)


def test_armijo_steps_satisfy_and_are_maximal():
    f = lrb.rosenbrock()
    c, rho, lr0 = 1e-4, 0.5, 1.0
    opt = lrb.armijo(f, lr=lr0, c=c, shrink=rho)
    x = np.array([[-1.2, 1.0], [2.0, -1.0]])
    state = opt.init(x)
    for _ in range(50):
        g = f.grad(x)
        u, state = opt.update(g, state, x)
        eta = state.lr
        gg = np.sum(g * g, axis=-1)
        assert np.all(f.value(x + u) <= f.value(x) - c * eta * gg)
        bigger = eta / rho  # the previous trial failed, unless η is the first trial
        failed = f.value(x - bigger[:, None] * g) > f.value(x) - c * bigger * gg
        assert np.all(failed | (eta == lr0))
        x = x + u
    assert np.all(f.value(x) < 1.0)


def test_armijo_counts_through_run():
    f = lrb.quadratic((1.0, 10.0))
    opt = lrb.armijo(f, lr=1.0)
    x = np.array([1.0, 1.0])
    state = opt.init(x)
    evaluations = 1  # J(x0)
    for _ in range(30):
        g = f.grad(x)
        eta = 1.0
        evaluations += 1
        while f.value(x - eta * g) > f.value(x) - 1e-4 * eta * g @ g:
            eta *= 0.5
            evaluations += 1
        u, state = opt.update(g, state, x)
        np.testing.assert_allclose(u, -eta * g)
        x = x + u
    assert state.n_values == evaluations and state.n_grads == 30


def test_polyak_by_hand():
    # J = θ², J* = 0: η = θ² / (2θ)² = 1/4 everywhere, so θ halves each step
    traj_opt = lrb.polyak(square)
    p = np.array([3.0])
    state = traj_opt.init(p)
    for t in range(1, 6):
        u, state = traj_opt.update(2 * p, state, p)
        p = p + u
        np.testing.assert_allclose(p, [3.0 / 2**t], rtol=1e-15)
        assert state.lr == 0.25
    assert state.n_values == 5 and state.n_grads == 5


def test_polyak_cap_fstar_and_zero_gradient():
    p = np.array([[3.0], [0.0], [1.0]])
    opt = lrb.polyak(square, max_lr=0.1)
    u, state = opt.update(2 * p, opt.init(p), p)
    np.testing.assert_allclose(state.lr, [0.1, 0.0, 0.1])
    np.testing.assert_allclose(u, [[-0.6], [0.0], [-0.2]])
    high = lrb.polyak(square, f_star=2.0)  # J* above J(1) = 1: no step
    u, state = high.update(2 * p, high.init(p), p)
    np.testing.assert_allclose(state.lr, [7.0 / 36.0, 0.0, 0.0])


def test_polyak_on_quadratic_landscape():
    f = lrb.quadratic((1.0, 10.0))
    x = np.array([1.0, 1.0])  # J = 5.5, g = (1, 10), ‖g‖² = 101
    opt = lrb.polyak(f)
    u, state = opt.update(f.grad(x), opt.init(x), x)
    np.testing.assert_allclose(state.lr, 5.5 / 101)
    np.testing.assert_allclose(u, -5.5 / 101 * np.array([1.0, 10.0]))


@pytest.mark.parametrize(
    ("f", "x0", "tol"),
    [
        (lrb.quadratic((1.0, 10.0)), [1.0, 1.0], 1e-20),
        (lrb.quartic(), [2.0], 1e-20),
        (lrb.rosenbrock(), [-1.2, 1.0], 1e-2),
    ],
)
@pytest.mark.parametrize("make", [lrb.armijo, lrb.polyak])
def test_run_reaches_tolerance(f, x0, tol, make):
    traj = lrb.run(make(f), f, np.array(x0), steps=300)
    assert not traj.diverged and traj.losses[-1] < tol
    if make is lrb.armijo:  # sufficient decrease: the loss never rises
        assert np.all(np.diff(traj.losses) <= 0)


def test_polyak_quartic_beats_divergent_constant():
    # from x0 = 2, constant η = 0.5 diverges on the quartic (|x0| > sqrt(2/η - 1));
    # Polyak's η_t = J / ‖g‖² adapts to the curvature 1 + 3x² and converges
    f = lrb.quartic()
    assert lrb.run(lrb.sgd(lr=0.5), f, np.array([2.0]), steps=50).diverged
    assert lrb.run(lrb.polyak(f), f, np.array([2.0]), steps=50).losses[-1] < 1e-10


def test_with_a_model_and_batch():
    X, y = lrb.make_spirals(n_per_class=20, n_classes=3, noise=0.1, seed=0)
    net = lrb.MLP(n_inputs=2, n_outputs=3, width=8, depth=1)
    theta = np.stack([net.init(seed=0), net.init(seed=1)])
    for opt in (lrb.armijo(net, lr=1.0, batch=(X, y)), lrb.polyak(net, max_lr=1.0, batch=(X, y))):
        p, state = theta, opt.init(theta)
        start = net.loss(p, (X, y))
        for _ in range(20):
            u, state = opt.update(net.loss_and_grad(p, (X, y))[1], state, p)
            p = p + u
        assert np.all(net.loss(p, (X, y)) < 0.95 * start)


def test_argument_checks():
    with pytest.raises(ValueError, match="lr"):
        lrb.armijo(square, lr=0.0)
    with pytest.raises(ValueError, match="c"):
        lrb.armijo(square, c=1.0)
    with pytest.raises(ValueError, match="shrink"):
        lrb.armijo(square, shrink=1.5)
    with pytest.raises(ValueError, match="max_backtracks"):
        lrb.armijo(square, max_backtracks=-1)
    with pytest.raises(TypeError, match="loss_and_grad"):
        lrb.polyak(3.0)
    with pytest.raises(ValueError, match="max_lr"):
        lrb.polyak(square, max_lr=-1.0)
    with pytest.raises(ValueError, match="batch"):
        lrb.armijo(lrb.quartic(), batch=(1, 2))
    opt = lrb.polyak(square)
    with pytest.raises(ValueError, match="params"):
        opt.update(np.ones(1), opt.init(np.ones(1)))


def test_public_names():
    for name in linesearch.__all__:
        assert getattr(lrb, name) is getattr(linesearch, name)
