"""Hessian-vector products and Lanczos, checked against exact Hessians and closed forms."""

from __future__ import annotations

import numpy as np
import pytest

import lrbook as lrb


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_hvp_of_a_quadratic_is_its_matrix_times_the_vector():
    f = lrb.quadratic((0.5, 3.0, 25.0), angle=0.9)
    x = np.random.default_rng(0).normal(size=(4, 3))
    v = np.random.default_rng(1).normal(size=(4, 3))
    H = f.hessian(x)
    np.testing.assert_allclose(lrb.hvp(f, x, v), np.einsum("kij,kj->ki", H, v), atol=1e-8)
    # v broadcasts against params, and a zero vector gives zero
    np.testing.assert_allclose(lrb.hvp(f, x, v[0]), H @ v[0], atol=1e-8)
    np.testing.assert_array_equal(lrb.hvp(f, x[0], np.zeros(3)), np.zeros(3))


@pytest.mark.parametrize(
    ("f", "x"),
    [
        (lrb.rosenbrock(), [[-1.2, 1.0], [0.3, 0.4], [1.0, 1.0]]),
        (lrb.flat_sharp(), [[-1.0], [1.0], [0.2], [-2.5]]),
        (lrb.double_well(tilt=0.2), [[-1.3], [0.1], [0.9]]),
        (lrb.quartic(dim=3), [[0.5, -1.0, 2.0]]),
    ],
    ids=["rosenbrock", "flat_sharp", "double_well", "quartic"],
)
def test_hessian_matrix_matches_the_exact_hessian_of_the_landscapes(f, x):
    x = np.array(x)
    exact = f.hessian(x)
    np.testing.assert_allclose(lrb.hessian_matrix(f, x), exact, rtol=1e-7, atol=1e-7)
    top = lrb.top_hessian_eigenvalue(f, x)
    np.testing.assert_allclose(top.value, lrb.sharpness(f, x), rtol=1e-7, atol=1e-7)


def test_lanczos_finds_the_largest_algebraic_eigenvalue_not_the_largest_magnitude():
    # eigenvalues -30, 1, 4: power iteration would return -30, the sharpness is 4
    f = lrb.Landscape(
        lambda x: 0.5 * (-30 * x[..., 0] ** 2 + x[..., 1] ** 2 + 4 * x[..., 2] ** 2),
        lambda x: x * np.array([-30.0, 1.0, 4.0]),
        dim=3,
    )
    top = lrb.top_hessian_eigenvalue(f, np.zeros(3))
    assert float(top.value) == pytest.approx(4.0, rel=1e-9)
    np.testing.assert_allclose(np.abs(top.vector), [0, 0, 1], atol=1e-8)
    assert float(lrb.top_hessian_eigenvalue(lrb.saddle(), [0.3, -2.0]).value) == pytest.approx(1.0)


def test_lanczos_restarts_when_the_krylov_space_is_invariant():
    # the start vector is an eigenvector: the Krylov space is 1-D, the top is found anyway
    f = lrb.quadratic((1.0, 2.0, 7.0, 3.0))
    top = lrb.top_hessian_eigenvalue(f, np.ones(4), v0=[1.0, 0.0, 0.0, 0.0])
    assert float(top.value) == pytest.approx(7.0, rel=1e-9)
    assert float(top.residual) < 1e-6


def test_hessian_of_linear_regression_is_two_over_n_xtx():
    X, y = lrb.make_regression(n_samples=40, n_features=3, seed=2)
    model = lrb.LinearRegression(n_features=3)
    A = np.column_stack([X, np.ones(len(X))])  # params are (w, b)
    exact = 2 / len(X) * A.T @ A
    params = np.random.default_rng(3).normal(size=4)
    np.testing.assert_allclose(lrb.hessian_matrix(model, params, (X, y)), exact, rtol=1e-7)
    top = lrb.top_hessian_eigenvalue(model, params, (X, y))
    assert float(top.value) == pytest.approx(np.linalg.eigvalsh(exact)[-1], rel=1e-8)
    v = np.array([1.0, -2.0, 0.5, 3.0])
    np.testing.assert_allclose(lrb.hvp(model, params, v, (X, y)), exact @ v, rtol=1e-7)


def test_hessian_of_logistic_regression_matches_the_closed_form():
    # H = (1/n) sum_i p_i (1 - p_i) a_i a_i^T with a_i = (x_i, 1)
    rng = np.random.default_rng(4)
    X = rng.normal(size=(50, 3))
    y = (rng.random(50) < 0.5).astype(np.int64)
    model = lrb.LogisticRegression(n_features=3)
    params = rng.normal(size=4)
    A = np.column_stack([X, np.ones(50)])
    p = _sigmoid(A @ params)
    exact = (A * (p * (1 - p))[:, None]).T @ A / 50
    H = lrb.hessian_matrix(model.loss_and_grad, params, (X, y))  # a bare function works too
    np.testing.assert_allclose(H, exact, rtol=1e-6, atol=1e-9)


def test_lanczos_on_a_network_agrees_with_the_full_hessian_and_is_vectorized():
    X, y = lrb.make_spirals(n_per_class=20, n_classes=3, seed=0)
    net = lrb.MLP(2, 3, width=6, depth=2, loss="mse")
    Y = np.eye(3)[y]
    params = np.stack([net.init(seed=s) for s in range(3)])  # three networks at once
    H = lrb.hessian_matrix(net, params, (X, Y))
    assert H.shape == (3, net.n_params, net.n_params)
    np.testing.assert_allclose(H, np.swapaxes(H, -1, -2))
    exact = np.linalg.eigvalsh(H)[:, -1]
    top = lrb.top_hessian_eigenvalue(net, params, (X, Y), iters=30)
    np.testing.assert_allclose(top.value, exact, rtol=1e-6)
    assert np.all(top.residual < 1e-4 * exact)
    # H v = lambda v for the returned vector
    Hv = np.einsum("kij,kj->ki", H, top.vector)
    np.testing.assert_allclose(Hv, top.value[:, None] * top.vector, atol=1e-4)
    one = lrb.top_hessian_eigenvalue(net, params[1], (X, Y), iters=30)
    assert float(one.value) == pytest.approx(top.value[1], rel=1e-6)


def test_gd_sharpness_on_a_quadratic_runs_gradient_descent():
    f = lrb.quadratic((1.0, 10.0), angle=0.3)
    lrs = np.array([0.05, 0.15, 0.25])
    tr = lrb.gd_sharpness(f, [1.0, -1.0], lr=lrs, steps=30, every=7, iters=2)
    np.testing.assert_array_equal(tr.steps, [0, 7, 14, 21, 28, 30])
    np.testing.assert_allclose(tr.sharpness, 10.0, rtol=1e-8)
    traj = lrb.run(lrb.sgd(lr=lrs[:, None]), f, np.tile([1.0, -1.0], (3, 1)), steps=30)
    np.testing.assert_allclose(tr.losses[:, :2], traj.losses[:, :2], rtol=1e-12)
    np.testing.assert_allclose(tr.params[:2], traj.params[-1, :2], rtol=1e-12)
    # 0.25 > 2/10: the loss grows like |1 - 2.5|^(2t) and the run is not flagged until inf
    ratio = tr.losses[30, 2] / tr.losses[29, 2]
    assert ratio == pytest.approx(1.5**2, rel=1e-6)
    assert not tr.diverged.any()


def test_gd_sharpness_freezes_a_run_whose_loss_overflows():
    f = lrb.quadratic((1.0, 10.0))
    tr = lrb.gd_sharpness(f, [1.0, 1.0], lr=np.array([0.1, 5.0]), steps=400, every=100, iters=2)
    np.testing.assert_array_equal(tr.diverged, [False, True])
    assert np.isnan(tr.losses[-1, 1]) and np.isnan(tr.sharpness[-1, 1])
    assert np.all(np.isfinite(tr.params))
    # diverged_step: the first non-finite loss of the same gradient descent, step by step
    x, t = np.array([1.0, 1.0]), 0
    with np.errstate(all="ignore"):
        while t < 400 and np.isfinite(f.value(x)):
            x, t = x - 5.0 * f.grad(x), t + 1
    assert 0 < t < 400
    np.testing.assert_array_equal(tr.diverged_step, [-1, t])
    assert np.all(np.isfinite(tr.losses[:t, 1])) and np.all(np.isnan(tr.losses[t:, 1]))


def test_gd_sharpness_takes_every_form_of_the_protocol():
    f = lrb.quadratic((1.0, 10.0), angle=0.3)
    ref = lrb.gd_sharpness(f, [1.0, -1.0], lr=0.1, steps=12, every=4, iters=2)
    for form in (f.loss_and_grad, lambda p, batch=None: (f.value(p), f.grad(p))):
        other = lrb.gd_sharpness(form, [1.0, -1.0], lr=0.1, steps=12, every=4, iters=2)
        np.testing.assert_array_equal(other.losses, ref.losses)
        np.testing.assert_allclose(other.sharpness, 10.0, rtol=1e-8)
        assert other.diverged_step == -1


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"params": [np.nan, 1.0]}, ValueError),
        ({"params": 1.0}, ValueError),
        ({"iters": 0}, ValueError),
        ({"iters": 2.5}, TypeError),
        ({"step": -1e-5}, ValueError),
        ({"v0": [0.0, 0.0]}, ValueError),
        ({"batch": ([[1.0]], [1.0])}, ValueError),
        ({"f": 3.0}, TypeError),
    ],
)
def test_bad_arguments_name_themselves(kwargs, error):
    args = {"f": lrb.quadratic(), "params": [1.0, 1.0], **kwargs}
    name = next(iter(kwargs))
    with pytest.raises(error, match=rf"^{name} must"):
        lrb.top_hessian_eigenvalue(**args)


def test_hvp_and_gd_sharpness_reject_bad_arguments():
    f = lrb.quadratic()
    with pytest.raises(ValueError, match="v must"):
        lrb.hvp(f, [1.0, 1.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="lr must"):
        lrb.gd_sharpness(f, [1.0, 1.0], lr=-0.1, steps=3)
    with pytest.raises(ValueError, match="every"):
        lrb.gd_sharpness(f, [1.0, 1.0], lr=0.1, steps=3, every=0)
