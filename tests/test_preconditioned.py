"""Tests of lrbook.preconditioned against dense eigenvalues of P^{-1/2} H P^{-1/2}."""

import time

import numpy as np
import pytest

import lrbook as lrb
from lrbook import preconditioned


def dense_top(H, P):
    D = 1 / np.sqrt(P)
    return np.linalg.eigvalsh(D[:, None] * H * D[None, :])[-1]


def test_quadratic_against_dense():
    rng = np.random.default_rng(0)
    eigs = np.array([0.3, 1.0, 4.0, 9.0, 25.0, 60.0])
    f = lrb.quadratic(eigs, angle=0.4)
    H = f.hessian(np.zeros(6))
    x = rng.standard_normal((3, 6))
    P = 10.0 ** rng.uniform(-2, 1, (3, 6))
    top = lrb.preconditioned_sharpness(f, x, P, iters=6)
    expected = [dense_top(H, P[k]) for k in range(3)]
    np.testing.assert_allclose(top.value, expected, rtol=1e-6)
    # P^{-1} H is similar to P^{-1/2} H P^{-1/2}: same (real) top eigenvalue
    nonsym = np.linalg.eigvals(H / P[0][:, None]).real.max()
    np.testing.assert_allclose(top.value[0], nonsym, rtol=1e-6)
    # the vector is the eigenvector of the symmetric matrix
    D = 1 / np.sqrt(P[1])
    M = D[:, None] * H * D[None, :]
    np.testing.assert_allclose(M @ top.vector[1], top.value[1] * top.vector[1], atol=1e-4)


def test_identity_preconditioner_is_the_sharpness():
    f = lrb.rosenbrock()
    x = np.array([-0.5, 0.8])
    plain = lrb.top_hessian_eigenvalue(f, x).value
    np.testing.assert_allclose(lrb.preconditioned_sharpness(f, x, 1.0).value, plain, rtol=1e-8)
    np.testing.assert_allclose(lrb.preconditioned_sharpness(f, x, 4.0).value, plain / 4, rtol=1e-8)


def test_mlp_against_dense():
    X, y = lrb.make_spirals(n_per_class=15, n_classes=3, noise=0.1, seed=1)
    net = lrb.MLP(n_inputs=2, n_outputs=3, width=6, depth=1, activation="tanh")
    theta = net.init(seed=2)
    H = lrb.hessian_matrix(net, theta, (X, y))
    P = 10.0 ** np.random.default_rng(3).uniform(-3, 0, net.n_params)
    top = lrb.preconditioned_sharpness(net, theta, P, (X, y), iters=net.n_params)
    np.testing.assert_allclose(top.value, dense_top(H, P), rtol=1e-5)


def test_adam_preconditioner_matches_the_update():
    rng = np.random.default_rng(4)
    betas, eps, lr = (0.9, 0.99), 1e-3, 0.1
    opt = lrb.adam(lr=lr, betas=betas, eps=eps)
    p = rng.standard_normal(4)
    state = opt.init(p)
    m = v = np.zeros(4)
    for t in range(1, 6):
        g = rng.standard_normal(4)
        u, state = opt.update(g, state, p)
        m, v = 0.9 * m + 0.1 * g, 0.99 * v + 0.01 * g * g
        # Cohen et al. (2022): the first moment's bias correction is folded into P
        P = (1 - 0.9**t) * (np.sqrt(v / (1 - 0.99**t)) + eps)
        np.testing.assert_allclose(lrb.adam_preconditioner(state, betas, eps), P, rtol=1e-12)
        np.testing.assert_allclose(u, -lr * m / P, rtol=1e-12)  # uncorrected m
    ams = lrb.adam(lr=lr, amsgrad=True)
    s = ams.init(p)
    _, s = ams.update(np.full(4, 2.0), s, p)
    _, s = ams.update(np.full(4, 0.0), s, p)  # v shrinks, the maximum stays
    expected = (1 - 0.9**2) * (np.sqrt(0.001 * 4 / (1 - 0.999**2)) + 1e-8)
    np.testing.assert_allclose(lrb.adam_preconditioner(s), expected, rtol=1e-12)
    with pytest.raises(ValueError, match="count"):
        lrb.adam_preconditioner(opt.init(p))
    with pytest.raises(TypeError, match="AdamState"):
        lrb.adam_preconditioner(lrb.sgd().init(p))


def test_threshold_is_exact_for_a_frozen_preconditioner():
    # Adam's step is exactly -η P^{-1} m_t (test above). With P frozen, on an eigen-
    # direction of P^{-1}H with eigenvalue s, m_t = β1 m_{t-1} + (1 - β1) s θ_{t-1} and
    # θ_t = θ_{t-1} - η m_t: the spectral radius of this map of (θ, m) crosses 1 exactly
    # at s = (2 + 2β1) / ((1 - β1) η)
    lr, b1 = 0.02, 0.9
    edge = lrb.adam_stability_threshold(lr, b1)

    def radius(s):
        step = np.array([[1 - lr * (1 - b1) * s, -lr * b1], [(1 - b1) * s, b1]])
        return np.abs(np.linalg.eigvals(step)).max()

    assert radius(0.999 * edge) < 1 < radius(1.001 * edge)


def test_adam_sharpness_records_the_preconditioned_sharpness():
    f = lrb.quadratic((1.0, 30.0, 100.0), angle=0.3)
    H = f.hessian(np.zeros(3))
    x0, lr, betas, eps = np.array([1.0, -1.0, 0.5]), 0.01, (0.9, 0.999), 1e-8
    tr = lrb.adam_sharpness(f, x0, lr=lr, steps=7, every=3, iters=3)
    np.testing.assert_array_equal(tr.steps, [1, 4, 7])
    opt = lrb.adam(lr=lr, betas=betas, eps=eps)
    x, state, expected = x0.copy(), opt.init(x0), []
    losses = [f.value(x)]
    for t in range(1, 8):
        u, state = opt.update(f.grad(x), state, x)
        x = x + u
        losses.append(f.value(x))
        if t in (1, 4, 7):
            expected.append(dense_top(H, lrb.adam_preconditioner(state, betas, eps)))
    np.testing.assert_allclose(tr.sharpness, expected, rtol=1e-6)
    np.testing.assert_allclose(tr.losses, losses, rtol=1e-12)
    np.testing.assert_allclose(tr.params, x, rtol=1e-12)
    assert tr.threshold == pytest.approx(3800.0) and not tr.diverged


def test_adam_sharpness_batch_and_divergence():
    f = lrb.quadratic((1.0, 10.0))
    tr = lrb.adam_sharpness(f, [1.0, 1.0], lr=np.array([0.01, 1e300]), steps=5, every=1, iters=2)
    assert tr.sharpness.shape == (5, 2) and tr.losses.shape == (6, 2)
    np.testing.assert_array_equal(tr.diverged, [False, True])
    assert np.all(np.isfinite(tr.sharpness[:, 0])) and np.isnan(tr.sharpness[-1, 1])
    one = lrb.adam_sharpness(f, [1.0, 1.0], lr=0.01, steps=5, every=1, iters=2)
    np.testing.assert_allclose(tr.sharpness[:, 0], one.sharpness, rtol=1e-9)


def test_adaptive_edge_of_stability_on_the_spirals_network():
    # chapter 5's network: full-batch Adam's preconditioned sharpness settles at 38/η
    X, y = lrb.make_spirals(n_per_class=50, n_classes=3, noise=0.1, seed=0)
    data = (X, np.eye(3)[y])
    net = lrb.MLP(n_inputs=2, n_outputs=3, width=16, depth=2, activation="tanh", loss="mse")
    start = time.perf_counter()
    tr = lrb.adam_sharpness(net, net.init(seed=0), data, lr=0.02, steps=2000, every=20, iters=20)
    assert time.perf_counter() - start < 30
    last = tr.sharpness[-20:]  # the last 400 steps
    assert tr.threshold == pytest.approx(38 / 0.02)
    assert abs(last.mean() / tr.threshold - 1) < 0.1
    # at step 1, 1 - β1 = 0.1 makes P small; by step 41 it is far below the edge and rises
    np.testing.assert_array_equal(tr.steps[:3], [1, 21, 41])
    assert tr.sharpness[2] < 0.5 * tr.threshold < tr.sharpness[0]


def test_argument_checks():
    f = lrb.quadratic((1.0, 10.0))
    with pytest.raises(ValueError, match="precond"):
        lrb.preconditioned_sharpness(f, [1.0, 1.0], [1.0, 0.0])
    with pytest.raises(ValueError, match="precond"):
        lrb.preconditioned_sharpness(f, [1.0, 1.0], [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="params"):
        lrb.preconditioned_sharpness(f, [np.nan, 1.0], 1.0)
    with pytest.raises(ValueError, match="step"):
        lrb.preconditioned_sharpness(f, [1.0, 1.0], 1.0, step=0.0)
    with pytest.raises(TypeError, match="f must"):
        lrb.preconditioned_sharpness(3, [1.0, 1.0], 1.0)
    with pytest.raises(ValueError, match="lr"):
        lrb.adam_sharpness(f, [1.0, 1.0], lr=0.0, steps=3)
    with pytest.raises(ValueError, match="steps"):
        lrb.adam_sharpness(f, [1.0, 1.0], lr=0.1, steps=0)


def test_public_names():
    for name in preconditioned.__all__:
        assert getattr(lrb, name) is getattr(preconditioned, name)
