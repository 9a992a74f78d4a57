"""Curvature and step-size theory, checked against closed forms and measured runs."""

from __future__ import annotations

import math

import numpy as np
import pytest

import lrbook as lrb


def test_sharpness_of_a_rotated_quadratic_is_the_largest_eigenvalue():
    f = lrb.quadratic((0.5, 3.0, 25.0), angle=0.9)
    x = np.random.default_rng(0).normal(size=(4, 5, 3))
    s = lrb.sharpness(f, x)
    assert s.shape == (4, 5)
    np.testing.assert_allclose(s, 25.0, rtol=1e-13)
    np.testing.assert_allclose(lrb.stability_threshold(f, x), 2 / 25.0, rtol=1e-13)
    assert float(lrb.condition_number(f, x[0, 0])) == pytest.approx(50.0, rel=1e-13)


def test_sharpness_of_rosenbrock_at_its_minimum():
    # H = [[802, -400], [-400, 200]]
    expected = (1002 + math.sqrt(602**2 + 4 * 400**2)) / 2
    f = lrb.rosenbrock()
    assert float(lrb.sharpness(f, f.minimum)) == pytest.approx(expected, rel=1e-13)
    assert float(lrb.stability_threshold(f, f.minimum)) == pytest.approx(2 / expected, rel=1e-13)


def test_stability_threshold_without_positive_curvature_is_infinite():
    concave = lrb.Landscape(
        lambda x: -np.sum(x * x, axis=-1),
        lambda x: -2 * x,
        lambda x: -2 * np.ones(x.shape + (1,)),
        dim=1,
    )
    assert lrb.stability_threshold(concave, [1.0]) == np.inf
    assert lrb.condition_number(lrb.saddle(), [0.0, 0.0]) == np.inf
    assert float(lrb.stability_threshold(lrb.saddle(), [0.0, 0.0])) == 2.0


@pytest.mark.parametrize(
    ("eigenvalues", "angle"), [((1.0, 10.0), 0.0), ((1.0, 10.0), 0.6), ((0.5, 3.0, 25.0), -0.4)]
)
def test_divergence_threshold_of_a_sweep_is_two_over_lambda_max(eigenvalues, angle):
    f = lrb.quadratic(eigenvalues, angle=angle)
    edge = 2 / max(eigenvalues)
    lrs = np.linspace(0.5 * edge, 1.5 * edge, 401)[:, None]  # spacing 0.25% of the edge
    x0 = np.ones((lrs.shape[0], f.dim))
    traj = lrb.run(lrb.sgd(lr=lrs), f, x0, steps=3000)
    found = lrs[np.argmax(traj.diverged), 0]
    assert np.all(traj.diverged[lrs[:, 0] >= found])  # one clean edge
    assert not np.any(traj.diverged[lrs[:, 0] < found])
    assert found == pytest.approx(edge, rel=0.01)
    assert found == pytest.approx(float(lrb.stability_threshold(f, x0[0])), rel=0.01)


def test_gd_contraction_and_rate():
    np.testing.assert_allclose(lrb.gd_contraction(0.3, [1.0, 5.0, 10.0]), [0.7, 0.5, 2.0])
    np.testing.assert_allclose(lrb.gd_rate([0.1, 0.3], [1.0, 10.0]), [0.9, 2.0])
    assert lrb.gd_optimal_lr(1.0, 10.0) == pytest.approx(2 / 11)
    assert lrb.gd_optimal_rate(1.0, 10.0) == pytest.approx(9 / 11)
    assert float(lrb.gd_rate(lrb.gd_optimal_lr(2.0, 7.0), [2.0, 7.0])) == pytest.approx(
        lrb.gd_optimal_rate(2.0, 7.0), rel=1e-14
    )


def test_measured_gd_rate_at_the_optimal_step():
    mu, L = 1.0, 10.0
    f = lrb.quadratic((mu, L), angle=0.4)
    eta = lrb.gd_optimal_lr(mu, L)
    traj = lrb.run(lrb.sgd(lr=eta), f, np.array([1.0, -0.5]), steps=100)
    norms = np.linalg.norm(traj.params, axis=-1)
    # both eigen-components shrink by exactly (kappa - 1)/(kappa + 1) per step
    np.testing.assert_allclose(norms[1:] / norms[:-1], (L / mu - 1) / (L / mu + 1), rtol=1e-9)


@pytest.mark.parametrize("lr", [0.05, 0.1, 0.19])
def test_measured_gd_rate_matches_gd_rate(lr):
    f = lrb.quadratic((1.0, 10.0), angle=-0.3)
    traj = lrb.run(lrb.sgd(lr=lr), f, np.array([1.0, 1.0]), steps=400)
    norms = np.linalg.norm(traj.params, axis=-1)
    measured = (norms[-1] / norms[-101]) ** (1 / 100)
    assert measured == pytest.approx(float(lrb.gd_rate(lr, [1.0, 10.0])), rel=1e-3)


def test_heavy_ball_parameters():
    hb = lrb.heavy_ball_optimal(1.0, 9.0)
    assert hb == (0.25, 0.25)
    mu, L = 2.0, 50.0
    kappa = L / mu
    hb = lrb.heavy_ball_optimal(mu, L)
    assert hb.lr == pytest.approx(4 / (math.sqrt(L) + math.sqrt(mu)) ** 2)
    assert hb.momentum == pytest.approx(((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2)
    assert lrb.heavy_ball_rate(mu, L) == pytest.approx(math.sqrt(hb.momentum))


def test_torch_style_momentum_sgd_is_the_heavy_ball():
    f = lrb.quadratic((1.0, 30.0), angle=0.2)
    alpha, beta = lrb.heavy_ball_optimal(1.0, 30.0)
    traj = lrb.run(lrb.sgd(lr=alpha, momentum=beta), f, np.array([1.0, 2.0]), steps=60)
    x_prev = x = np.array([1.0, 2.0])
    for t in range(1, 61):
        x, x_prev = x - alpha * f.grad(x) + beta * (x - x_prev), x
        np.testing.assert_allclose(traj.params[t], x, rtol=1e-12, atol=1e-14)


def test_measured_heavy_ball_rate():
    mu, L = 1.0, 100.0
    f = lrb.quadratic((mu, L), angle=0.3)
    hb = lrb.heavy_ball_optimal(mu, L)
    steps = 1000
    traj = lrb.run(lrb.sgd(lr=hb.lr, momentum=hb.momentum), f, np.array([1.0, 1.0]), steps)
    t = np.arange(steps // 2, steps + 1)
    log_norm = np.log(np.linalg.norm(traj.params[t], axis=-1))
    slope = np.polyfit(t, log_norm, 1)[0]
    assert math.exp(slope) == pytest.approx(lrb.heavy_ball_rate(mu, L), rel=0.01)
    # and it beats the best plain GD: (kappa - 1)/(kappa + 1) = 99/101
    assert math.exp(slope) < lrb.gd_optimal_rate(mu, L) - 0.1


@pytest.mark.parametrize(
    ("fn", "kwargs", "name"),
    [
        (lrb.gd_optimal_lr, {"mu": 0.0, "L": 1.0}, "mu"),
        (lrb.gd_optimal_rate, {"mu": 1.0, "L": -1.0}, "L"),
        (lrb.heavy_ball_optimal, {"mu": 2.0, "L": 1.0}, "mu"),
        (lrb.heavy_ball_rate, {"mu": 1.0, "L": np.inf}, "L"),
    ],
)
def test_bad_curvatures_raise_value_error_naming_them(fn, kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} must .*got .*\b{name}="):
        fn(**kwargs)


def test_sharpness_checks_x():
    with pytest.raises(ValueError, match=r"^x must have last axis of size dim=2 .*got x of shape"):
        lrb.sharpness(lrb.rosenbrock(), np.zeros(3))
