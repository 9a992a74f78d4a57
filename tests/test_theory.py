"""Tests of lrbook.theory: the bias-correction identity and the stability thresholds."""

import numpy as np
import pytest

import lrbook as lrb
from lrbook import theory


def adam_uncorrected(grads, lr, betas, theta0):
    """Adam without bias correction and with eps = 0, from the formula (lr may be a schedule)."""
    b1, b2 = betas
    theta, m, v = theta0.copy(), np.zeros_like(theta0), np.zeros_like(theta0)
    path = []
    for step, g in enumerate(grads):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        eta = lr(step) if callable(lr) else lr
        theta = theta - eta * m / np.sqrt(v)
        path.append(theta)
    return np.array(path)


def adam_lrbook(grads, lr, betas, theta0):
    opt = lrb.adam(lr=lr, betas=betas, eps=0.0)
    theta, state, path = theta0.copy(), opt.init(theta0), []
    for g in grads:
        u, state = opt.update(g, state, theta)
        theta = theta + u
        path.append(theta)
    return np.array(path)


@pytest.mark.parametrize("betas", [(0.9, 0.999), (0.99, 0.999), (0.0, 0.9), (0.5, 0.5)])
def test_bias_correction_is_a_schedule(betas):
    # 100 random gradient sequences (5 parameters, 60 steps each, scales over decades)
    rng = np.random.default_rng(0)
    worst = 0.0
    for _ in range(100):
        grads = rng.standard_normal((60, 5)) * 10.0 ** rng.uniform(-3, 3, 5)
        theta0 = rng.standard_normal(5)
        lr = 10.0 ** rng.uniform(-4, -1)
        plain = adam_uncorrected(grads, lr, betas, theta0)
        scheduled = adam_lrbook(grads, lrb.bias_correction_schedule(lr, betas), betas, theta0)
        rel = np.abs(scheduled - plain) / np.maximum(np.abs(plain), 1e-300)
        moved = np.abs((scheduled - theta0) - (plain - theta0)) / np.abs(plain - theta0)
        worst = max(worst, rel.max(), moved.max())
    assert worst < 1e-10


def test_the_other_direction():
    # bias-corrected Adam = uncorrected Adam under lr / r_t
    rng = np.random.default_rng(1)
    betas, lr = (0.9, 0.999), 0.01
    r = lrb.bias_correction_schedule(1.0, betas)
    grads, theta0 = rng.standard_normal((50, 3)), rng.standard_normal(3)
    np.testing.assert_allclose(
        adam_uncorrected(grads, lambda s: lr / r(s), betas, theta0),
        adam_lrbook(grads, lr, betas, theta0),
        rtol=1e-12,
    )


def test_eps_breaks_the_identity():
    rng = np.random.default_rng(2)
    grads = 1e-6 * rng.standard_normal((20, 3))
    opt = lrb.adam(lr=lrb.bias_correction_schedule(0.1), eps=1e-8)
    theta, state = np.zeros(3), opt.init(np.zeros(3))
    for g in grads:
        u, state = opt.update(g, state, theta)
        theta = theta + u
    plain = adam_uncorrected(grads, 0.1, (0.9, 0.999), np.zeros(3))[-1]
    assert np.max(np.abs(theta / plain - 1)) > 1e-4


def test_numbers_the_book_quotes():
    r = lrb.bias_correction_schedule(1.0, (0.9, 0.999))
    steps = np.arange(1000)
    rt = r(steps)
    assert r(0) == pytest.approx(0.1 / np.sqrt(0.001)) and round(r(0), 2) == 3.16
    peak = int(np.argmax(rt)) + 1  # t of the peak
    assert peak == 12 and 6.5 < rt.max() < 6.6 and round(r(9), 2) == 6.53  # t = 12; t = 10
    assert round(r(99), 1) == 3.2
    assert abs(rt[-1] - 1) < abs(rt[99] - 1)  # settling toward 1
    slow = lrb.bias_correction_schedule(1.0, (0.99, 0.999))
    assert slow(0) == pytest.approx(0.01 / np.sqrt(0.001)) and round(slow(0), 2) == 0.32
    s = slow(np.arange(30))
    assert np.all(np.diff(s) > 0)  # rises like a warmup
    np.testing.assert_allclose(
        lrb.bias_correction_schedule(0.5)(np.array([0, 9])), 0.5 * rt[[0, 9]]
    )
    assert isinstance(r(3), float)


def test_bias_schedule_checks():
    with pytest.raises(TypeError, match="step"):
        lrb.bias_correction_schedule()(1.5)
    with pytest.raises(ValueError, match="step"):
        lrb.bias_correction_schedule()(-1)
    with pytest.raises(ValueError, match="betas"):
        lrb.bias_correction_schedule(betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="betas"):
        lrb.bias_correction_schedule(betas=0.9)
    with pytest.raises(ValueError, match="lr"):
        lrb.bias_correction_schedule(lr=-1.0)


def _final(opt, lam, steps=4000):
    f = lrb.quadratic((lam,))
    return lrb.run(opt, f, np.ones((np.size(lam), 1)), steps, divergence_factor=np.inf)


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_momentum_threshold_against_runs(beta):
    lr = 0.1
    edge = lrb.momentum_stability_threshold(lr, beta)
    assert edge == pytest.approx((2 + 2 * beta) / lr)
    for lam, stable in ((0.98 * edge, True), (1.02 * edge, False)):
        f = lrb.quadratic((lam,))
        end = lrb.run(lrb.sgd(lr=lr, momentum=beta), f, np.ones(1), 3000, divergence_factor=np.inf)
        assert (abs(end.params[-1, 0]) < 1e-3) == stable


@pytest.mark.parametrize("beta1", [0.0, 0.5, 0.9])
def test_adam_threshold_is_the_ema_momentum_edge(beta1):
    # frozen preconditioner: m = β1 m + (1 - β1) g, θ -= η m on curvature λ
    lr = 0.01
    edge = lrb.adam_stability_threshold(lr, beta1)
    assert edge == pytest.approx((2 + 2 * beta1) / ((1 - beta1) * lr))
    for lam, stable in ((0.98 * edge, True), (1.02 * edge, False)):
        theta, m = 1.0, 0.0
        for _ in range(3000):
            m = beta1 * m + (1 - beta1) * lam * theta
            theta = theta - lr * m
        assert (abs(theta) < 1e-3) == stable


def test_threshold_values_and_checks():
    assert lrb.adam_stability_threshold(1.0) == pytest.approx(38.0)
    np.testing.assert_allclose(lrb.adam_stability_threshold(np.array([0.1, 0.01])), [380, 3800])
    assert lrb.momentum_stability_threshold(0.5, 0.0) == pytest.approx(4.0)  # 2/η
    with pytest.raises(ValueError, match="lr"):
        lrb.adam_stability_threshold(0.0)
    with pytest.raises(ValueError, match="lr"):
        lrb.momentum_stability_threshold(np.array([0.1, -1.0]), 0.9)
    with pytest.raises(ValueError, match="beta1"):
        lrb.adam_stability_threshold(0.1, beta1=1.0)
    with pytest.raises(ValueError, match="momentum"):
        lrb.momentum_stability_threshold(0.1, momentum=-0.1)


def test_public_names():
    for name in theory.__all__:
        assert getattr(lrb, name) is getattr(theory, name)


def test_noise_floor_closed_form_by_hand():
    # one direction: eta sigma^2 / (2 (2 - eta lambda)); two directions add
    assert theory.noise_floor(0.5, [1.0]) == pytest.approx(0.5 / 2 / 1.5)
    assert theory.noise_floor(0.1, [1.0, 10.0], sigma=2.0) == pytest.approx(
        0.1 * 4 / 2 * (1 / 1.9 + 1 / 1.0)
    )
    etas = np.array([0.01, 0.1, 0.19, 0.2, 0.3])
    got = theory.noise_floor(etas, np.geomspace(0.2, 10.0, 10))
    assert got.shape == (5,)
    assert np.all(np.isfinite(got[:3])) and np.all(np.isinf(got[3:]))


def test_noise_floor_small_lr_limit_and_noise_free():
    lam = np.geomspace(0.2, 10.0, 10)
    eta = 1e-6
    assert theory.noise_floor(eta, lam) / eta == pytest.approx(lam.size / 4, rel=1e-5)
    assert theory.noise_floor(0.1, lam, sigma=0.0) == 0.0


def test_noise_floor_matches_simulated_sgd():
    # the stationary mean of the AR(1) recursion, simulated independently of lrbook.run
    rng = np.random.default_rng(0)
    lam, eta = np.array([0.5, 4.0]), 0.3
    z = np.zeros((4000, 2))
    total = 0.0
    for t in range(600):
        z = (1 - eta * lam) * z - eta * rng.standard_normal(z.shape)
        if t >= 200:
            total += np.mean(0.5 * np.sum(lam * z * z, axis=-1))
    assert total / 400 == pytest.approx(theory.noise_floor(eta, lam), rel=0.03)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lr": 0.0, "eigenvalues": [1.0]},
        {"lr": 0.1, "eigenvalues": [1.0, -1.0]},
        {"lr": 0.1, "eigenvalues": [[1.0]]},
        {"lr": 0.1, "eigenvalues": [1.0], "sigma": -1.0},
    ],
)
def test_noise_floor_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        theory.noise_floor(**kwargs)
