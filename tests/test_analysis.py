"""Tests of lrbook.analysis against closed forms of gradient descent on quadratics."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lrbook as lrb
from lrbook.analysis import classify_regime, loglog_slope, steps_to_tolerance


def gd_on_quadratic(lrs, eigenvalues, x0, steps, angle=0.0):
    """Closed form of GD on 0.5 x^T H x, H = R diag(eigenvalues) R^T: (steps+1, K, d)."""
    lrs = np.asarray(lrs, dtype=float)
    lam = np.asarray(eigenvalues, dtype=float)
    c, s = math.cos(angle), math.sin(angle)
    rot = np.array([[c, -s], [s, c]])[: lam.size, : lam.size] if lam.size == 2 else np.eye(1)
    z0 = rot.T @ np.asarray(x0, dtype=float)
    t = np.arange(steps + 1)[:, None, None]
    factor = (1.0 - lrs[None, :, None] * lam[None, None, :]) ** t  # (T+1, K, d)
    z = factor * z0
    x = z @ rot.T
    loss = 0.5 * np.sum(lam * z**2, axis=-1)
    return x, loss


# ---------------------------------------------------------------- steps_to_tolerance


@pytest.mark.parametrize("lam", [0.5, 1.0, 4.0])
def test_steps_to_tolerance_matches_the_closed_form_on_a_1d_quadratic(lam):
    lrs = np.geomspace(1e-3, 1.0 / lam, 13)
    x0, tol = 2.0, 1e-8
    _, loss = gd_on_quadratic(lrs, [lam], [x0], steps=40000)
    j0 = 0.5 * lam * x0**2
    with np.errstate(divide="ignore"):
        expected = np.ceil(np.log(tol / j0) / (2 * np.log(np.abs(1 - lrs * lam)))).astype(int)
    expected[np.abs(1 - lrs * lam) == 0] = 1  # one step lands exactly on the minimum
    # Away from an exact tie the closed form and the measurement agree to the step.
    np.testing.assert_array_equal(steps_to_tolerance(loss, tol), expected)


def test_steps_to_tolerance_scales_like_one_over_lr_for_small_lr():
    lrs = np.geomspace(1e-4, 1e-3, 5)
    _, loss = gd_on_quadratic(lrs, [1.0], [1.0], steps=200000)
    n = steps_to_tolerance(loss, 1e-6)
    # n ~ ln(J0/tol) / (2 lr lam) to within one step plus the O(lr) correction.
    approx = np.log(0.5 / 1e-6) / (2 * lrs)
    np.testing.assert_allclose(n, approx, rtol=2e-3)


def test_steps_to_tolerance_flags_runs_that_never_reach_it():
    losses = np.array([[1.0, 1.0, np.inf], [0.5, 2.0, np.nan], [0.05, 3.0, np.nan]])
    np.testing.assert_array_equal(steps_to_tolerance(losses, 0.1), [2, -1, -1])
    assert steps_to_tolerance(np.array([0.01, 0.001]), 0.1) == 0
    assert isinstance(steps_to_tolerance(np.array([1.0, 0.01]), 0.1), int)


@pytest.mark.parametrize("tol", [0.0, -1.0, float("nan")])
def test_steps_to_tolerance_rejects_bad_tol(tol):
    with pytest.raises(ValueError, match="tol"):
        steps_to_tolerance(np.ones(3), tol)


def test_steps_to_tolerance_needs_a_time_axis():
    with pytest.raises(ValueError, match="losses"):
        steps_to_tolerance(np.array([1.0]), 0.1)


# ---------------------------------------------------------------- loglog_slope


@given(
    slope=st.floats(-3, 3),
    prefactor=st.floats(1e-3, 1e3),
    x=st.lists(st.floats(1e-3, 1e3), min_size=2, max_size=20, unique=True),
)
def test_loglog_slope_recovers_an_exact_power_law(slope, prefactor, x):
    x = np.asarray(x)
    if np.ptp(np.log(x)) < 1e-3:
        return
    fit = loglog_slope(x, prefactor * x**slope)
    assert fit.slope == pytest.approx(slope, abs=1e-6)
    assert fit.prefactor == pytest.approx(prefactor, rel=1e-5)
    np.testing.assert_allclose(fit(x), prefactor * x**slope, rtol=1e-5)


def test_loglog_slope_is_the_least_squares_line_in_log_space():
    x = np.array([1.0, 2.0, 4.0, 8.0])
    y = np.array([1.0, 0.6, 0.2, 0.14])
    # Hand computation: slope = cov(ln x, ln y) / var(ln x).
    lx, ly = np.log(x), np.log(y)
    slope = np.sum((lx - lx.mean()) * (ly - ly.mean())) / np.sum((lx - lx.mean()) ** 2)
    fit = loglog_slope(x, y)
    assert fit.slope == pytest.approx(slope, rel=1e-12)
    assert math.log(fit.prefactor) == pytest.approx(ly.mean() - slope * lx.mean(), rel=1e-12)


@pytest.mark.parametrize(
    ("x", "y", "match"),
    [
        ([1.0, 2.0], [1.0, 0.0], "y"),
        ([1.0, -2.0], [1.0, 1.0], "x"),
        ([1.0, 1.0], [1.0, 2.0], "distinct"),
        ([1.0], [1.0], "length"),
        ([1.0, 2.0, 3.0], [1.0, 2.0], "shape"),
    ],
)
def test_loglog_slope_rejects_bad_input(x, y, match):
    with pytest.raises(ValueError, match=match):
        loglog_slope(x, y)


# ---------------------------------------------------------------- classify_regime


@pytest.mark.parametrize("lam", [1.0, 10.0])
def test_classify_regime_switches_at_one_and_two_over_lambda(lam):
    # eta * lam below 1, between 1 and 2, at 2 and above 2.
    products = np.array([0.1, 0.5, 0.99, 1.01, 1.5, 1.99, 2.0, 2.01, 3.0])
    x, loss = gd_on_quadratic(products / lam, [lam], [1.5], steps=60)
    expected = ["monotone"] * 3 + ["oscillating"] * 3 + ["divergent"] * 3
    np.testing.assert_array_equal(classify_regime(x, loss), expected)


def test_classify_regime_calls_the_endless_bounce_at_two_over_lambda_divergent():
    # eta * lam = 2: theta_t = (-1)^t theta_0 exactly, the loss stays at its start forever
    x, loss = gd_on_quadratic(np.array([0.5]), [4.0], [1.5], steps=7)
    np.testing.assert_array_equal(x[:, 0, 0], 1.5 * (-1.0) ** np.arange(8))
    np.testing.assert_array_equal(loss[:, 0], loss[0, 0])
    assert classify_regime(x, loss)[0] == "divergent"


def test_classify_regime_uses_the_largest_eigenvalue_on_a_rotated_quadratic():
    lam, angle = np.array([1.0, 10.0]), 0.4
    top = np.array([-math.sin(angle), math.cos(angle)])  # eigenvector of lam = 10
    low = np.array([math.cos(angle), math.sin(angle)])
    lrs = np.array([0.05, 0.099, 0.11, 0.15, 0.199, 0.201, 0.5])
    x, loss = gd_on_quadratic(lrs, lam, top + 0.1 * low, steps=200, angle=angle)
    expected = ["monotone"] * 2 + ["oscillating"] * 3 + ["divergent"] * 2
    np.testing.assert_array_equal(classify_regime(x, loss), expected)


@given(
    ratio=st.floats(0.01, 0.99),
    angle=st.floats(0.0, math.pi),
    x0=st.tuples(st.floats(-5, 5), st.floats(-5, 5)),
)
def test_classify_regime_never_sees_oscillation_below_one_over_lambda_max(ratio, angle, x0):
    # Every factor 1 - eta * lam_i is positive, so consecutive steps never make an obtuse angle.
    if np.hypot(*x0) < 1e-3:
        return
    x, loss = gd_on_quadratic([ratio / 10.0], [1.0, 10.0], x0, steps=50, angle=angle)
    assert classify_regime(x, loss)[0] == "monotone"


def test_classify_regime_ignores_round_off_after_convergence():
    # eta = 1/lam lands exactly on the minimum; then every step is zero.
    x, loss = gd_on_quadratic([1.0, 0.3], [1.0], [1.0], steps=50)
    assert list(classify_regime(x, loss)) == ["monotone", "monotone"]
    x = np.concatenate([x, x[-1:] + np.array([[[1e-300], [0.0]]])])
    loss = np.concatenate([loss, loss[-1:]])
    assert classify_regime(x[:, :1], loss[:, :1])[0] == "monotone"


def test_classify_regime_treats_overflow_as_divergence():
    x = np.array([[1.0], [-1e200], [np.inf]])
    loss = np.array([0.5, 1e300, np.inf])
    assert classify_regime(x, loss) == "divergent"


def test_classify_regime_trusts_the_divergence_flag():
    # A run frozen at its last finite point after a jump to inf can end below its start.
    x = np.array([[[1.0]], [[0.5]], [[0.5]]])
    loss = 0.5 * x[..., 0] ** 2
    assert classify_regime(x, loss)[0] == "monotone"
    assert classify_regime(x, loss, np.array([True]))[0] == "divergent"
    with pytest.raises(ValueError):
        classify_regime(x, loss, np.array([True, False]))


def test_classify_regime_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="shape"):
        classify_regime(np.zeros((5, 3, 2)), np.zeros((5, 2)))


def test_analysis_names_are_exported_by_the_package():
    for name in ("steps_to_tolerance", "loglog_slope", "classify_regime", "REGIMES"):
        assert getattr(lrb, name) is getattr(__import__("lrbook.analysis").analysis, name)
