"""Landscapes: derivatives against finite differences, minima, curvatures, noise, checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

import lrbook as lrb

LANDSCAPES = {
    "quadratic-2d": lrb.quadratic((1.0, 10.0), angle=0.7),
    "quadratic-3d": lrb.quadratic((0.5, 2.0, 7.0), angle=-1.1),
    "quadratic-1d": lrb.quadratic((3.0,)),
    "rosenbrock": lrb.rosenbrock(),
    "rosenbrock-a2": lrb.rosenbrock(a=2.0, b=5.0),
    "saddle": lrb.saddle(),
    "flat_sharp": lrb.flat_sharp(),
    "flat_sharp-custom": lrb.flat_sharp(flat_curvature=0.3, sharp_curvature=80.0),
    "double_well": lrb.double_well(),
    "double_well-tilt": lrb.double_well(tilt=-0.2),
    "quartic": lrb.quartic(),
    "quartic-3d": lrb.quartic(dim=3),
    "custom-fd-hessian": lrb.Landscape(
        lambda x: np.sum(np.cos(x) + 0.1 * x**4, axis=-1),
        lambda x: -np.sin(x) + 0.4 * x**3,
        dim=2,
    ),
}


def central_diff(fun, x: np.ndarray, h: float) -> np.ndarray:
    """Central differences of ``fun`` along each coordinate of the last axis of x.

    Returns shape ``fun(x).shape + (d,)``: derivative along coordinate j in the last slot.
    """
    cols = []
    for j in range(x.shape[-1]):
        e = np.zeros(x.shape[-1])
        e[j] = h
        cols.append((fun(x + e) - fun(x - e)) / (2 * h))
    return np.stack(cols, axis=-1)


def points(f: lrb.Landscape, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1.5, 1.5, size=(2, 4, f.dim))


@pytest.mark.parametrize("name", LANDSCAPES)
def test_grad_matches_finite_differences(name):
    f = LANDSCAPES[name]
    x = points(f)
    fd = central_diff(f.value, x, 1e-6)
    g = f.grad(x)
    assert g.shape == x.shape
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-6 * max(1.0, np.abs(g).max()))


@pytest.mark.parametrize("name", LANDSCAPES)
def test_hessian_matches_finite_differences(name):
    f = LANDSCAPES[name]
    x = points(f, seed=1)
    fd = central_diff(f.grad, x, 1e-6)  # fd[..., i, j] = d grad_i / d x_j
    h = f.hessian(x)
    assert h.shape == x.shape + (f.dim,)
    np.testing.assert_allclose(h, np.swapaxes(h, -1, -2), atol=1e-12)
    np.testing.assert_allclose(h, fd, rtol=1e-5, atol=1e-5 * max(1.0, np.abs(h).max()))


@pytest.mark.parametrize("name", LANDSCAPES)
def test_value_is_vectorized(name):
    f = LANDSCAPES[name]
    x = points(f, seed=2)
    v = f.value(x)
    assert v.shape == x.shape[:-1]
    for i, j in np.ndindex(*x.shape[:-1]):
        np.testing.assert_allclose(f.value(x[i, j]), v[i, j], rtol=1e-15)
        np.testing.assert_allclose(f.grad(x[i, j]), f.grad(x)[i, j], rtol=1e-15)


@pytest.mark.parametrize("name", [n for n, f in LANDSCAPES.items() if f.minima is not None])
def test_minima_are_stationary_with_positive_curvature(name):
    f = LANDSCAPES[name]
    np.testing.assert_allclose(f.grad(f.minima), 0.0, atol=1e-12)
    assert np.all(lrb.hessian_eigenvalues(f, f.minima) > 0)
    assert float(f.value(f.minimum)) == pytest.approx(float(np.min(f.value(f.minima))))


def test_quadratic_closed_form():
    f = lrb.quadratic((2.0, 8.0), angle=math.pi / 4)
    h = f.hessian(np.zeros(2))
    np.testing.assert_allclose(h, [[5.0, -3.0], [-3.0, 5.0]], atol=1e-14)
    x = np.array([1.0, 2.0])
    assert float(f.value(x)) == pytest.approx(0.5 * x @ h @ x, rel=1e-14)
    np.testing.assert_allclose(lrb.hessian_eigenvalues(f, x), [2.0, 8.0], rtol=1e-14)
    one_d = lrb.quadratic((3.0,))
    assert one_d.dim == 1
    assert float(one_d.value([2.0])) == 6.0


def test_rosenbrock_closed_form():
    f = lrb.rosenbrock(a=2.0, b=5.0)
    np.testing.assert_array_equal(f.minimum, [2.0, 4.0])
    assert float(f.value([0.0, 1.0])) == 4.0 + 5.0
    np.testing.assert_allclose(f.hessian(f.minimum), [[2 + 8 * 5 * 4, -40.0], [-40.0, 10.0]])


def test_saddle_has_no_minimum():
    f = lrb.saddle()
    assert f.minimum is None and f.minima is None
    np.testing.assert_array_equal(lrb.hessian_eigenvalues(f, [0.3, -2.0]), [-1.0, 1.0])


def test_flat_sharp_curvatures_and_barrier():
    f = lrb.flat_sharp(flat_curvature=2.0, sharp_curvature=54.0)
    np.testing.assert_array_equal(f.value(f.minima), [0.0, 0.0])
    np.testing.assert_allclose(lrb.sharpness(f, f.minima), [2.0, 54.0], rtol=1e-14)
    np.testing.assert_allclose(lrb.stability_threshold(f, f.minima), [1.0, 2 / 54], rtol=1e-14)
    # the barrier: (x + 1) / (1 - x) = (54 / 2) ** (1/3) = 3  ->  x = 0.5
    assert abs(float(f.grad([0.5])[0])) < 1e-14
    assert float(f.hessian([0.5])[0, 0]) < 0
    np.testing.assert_array_equal(f.minimum, [-1.0])


def test_double_well():
    f = lrb.double_well()
    np.testing.assert_array_equal(f.minima, [[-1.0], [1.0]])
    np.testing.assert_array_equal(lrb.sharpness(f, f.minima), [2.0, 2.0])
    tilted = lrb.double_well(tilt=0.1)
    left, right = tilted.value(tilted.minima)
    assert left < right
    np.testing.assert_array_equal(tilted.minimum, tilted.minima[0])


def test_quartic_curvature_is_unbounded():
    f = lrb.quartic(dim=2)
    np.testing.assert_allclose(lrb.sharpness(f, [[0.0, 0.0], [0.0, 10.0]]), [1.0, 301.0])


def test_custom_landscape_fd_hessian_is_accurate():
    f = LANDSCAPES["custom-fd-hessian"]
    x = np.array([[0.3, -1.2], [2.0, 0.1]])
    exact = -np.cos(x) + 1.2 * x**2
    np.testing.assert_allclose(f.hessian(x), exact[..., None] * np.eye(2), atol=1e-7)


def test_noisy_is_reproducible_and_has_the_right_noise():
    base = lrb.quadratic((1.0, 10.0))
    x = np.ones((20000, 2))
    f1, f2 = lrb.noisy(base, sigma=0.5, seed=3), lrb.noisy(base, sigma=0.5, seed=3)
    g1, g2 = f1.grad(x), f2.grad(x)
    np.testing.assert_array_equal(g1, g2)
    assert not np.array_equal(f1.grad(x), g1)  # fresh noise on every call
    assert not np.array_equal(lrb.noisy(base, 0.5, seed=4).grad(x), g1)
    noise = g1 - base.grad(x)
    np.testing.assert_allclose(noise.mean(axis=0), 0.0, atol=0.02)
    np.testing.assert_allclose(noise.std(axis=0), 0.5, rtol=0.02)
    np.testing.assert_array_equal(f1.value(x), base.value(x))
    np.testing.assert_array_equal(f1.hessian(x[:3]), base.hessian(x[:3]))
    np.testing.assert_array_equal(f1.minimum, base.minimum)
    np.testing.assert_array_equal(lrb.noisy(base, 0.0).grad(x), base.grad(x))


@pytest.mark.parametrize("method", ["value", "grad", "hessian"])
@pytest.mark.parametrize("bad", [np.zeros(3), np.zeros((4, 1)), 1.0])
def test_wrong_dimension_raises_naming_x(method, bad):
    with pytest.raises(ValueError, match=r"^x must have last axis of size dim=2 .*got x of shape"):
        getattr(lrb.rosenbrock(), method)(bad)


@pytest.mark.parametrize(
    ("factory", "kwargs", "name"),
    [
        (lrb.quadratic, {"eigenvalues": (1.0, -2.0)}, "eigenvalues"),
        (lrb.quadratic, {"eigenvalues": ()}, "eigenvalues"),
        (lrb.quadratic, {"eigenvalues": (1.0, np.nan)}, "eigenvalues"),
        (lrb.quadratic, {"eigenvalues": (1.0,), "angle": 0.5}, "angle"),
        (lrb.quadratic, {"angle": np.inf}, "angle"),
        (lrb.rosenbrock, {"b": 0.0}, "b"),
        (lrb.rosenbrock, {"a": np.nan}, "a"),
        (lrb.flat_sharp, {"flat_curvature": 0.0}, "flat_curvature"),
        (lrb.flat_sharp, {"sharp_curvature": -1.0}, "sharp_curvature"),
        (lrb.double_well, {"tilt": 0.5}, "tilt"),
        (lrb.quartic, {"dim": 0}, "dim"),
        (lrb.noisy, {"f": lrb.saddle(), "sigma": -1.0}, "sigma"),
        (lrb.noisy, {"f": lrb.saddle(), "sigma": 1.0, "seed": -1}, "seed"),
    ],
)
def test_bad_arguments_raise_value_error_naming_them(factory, kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} must .*, got {name}="):
        factory(**kwargs)


@pytest.mark.parametrize("bad", ["ab", b"ab", [1.0, "x"], [[1.0], [2.0, 3.0]], {"a": 1.0}])
def test_quadratic_names_eigenvalues_for_non_numbers(bad):
    with pytest.raises(TypeError, match=r"^eigenvalues must be a sequence of numbers, got"):
        lrb.quadratic(bad)


def test_landscape_argument_checks():
    with pytest.raises(TypeError, match=r"^grad must be callable, got grad=None"):
        lrb.Landscape(np.sum, None, dim=1)
    with pytest.raises(TypeError, match=r"^fresh must be callable or None, got fresh=1"):
        lrb.Landscape(np.sum, np.ones_like, dim=1, fresh=1)
    with pytest.raises(ValueError, match=r"^minimum must have last axis of size dim=2"):
        lrb.Landscape(np.sum, np.ones_like, dim=2, minimum=[0.0])
    with pytest.raises(ValueError, match=r"^minima must have shape \(m, 2\), got minima="):
        lrb.Landscape(np.sum, np.ones_like, dim=2, minima=[0.0, 1.0])
    with pytest.raises(TypeError, match=r"^f must be a Landscape, got f='rosenbrock'"):
        lrb.noisy("rosenbrock", 1.0)


def test_loss_and_grad_and_fresh():
    f = lrb.quadratic((1.0, 10.0), angle=0.4)
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    loss, grads = f.loss_and_grad(x)
    np.testing.assert_array_equal(loss, f.value(x))
    np.testing.assert_array_equal(grads, f.grad(x))
    assert f.fresh() is f
    with pytest.raises(ValueError, match=r"^batch must be None for a Landscape, got batch=3"):
        f.loss_and_grad(x, 3)
    with pytest.raises(ValueError, match=r"^params must have last axis of size dim=2"):
        f.loss_and_grad(np.zeros(3))
    g = lrb.noisy(f, sigma=0.5, seed=4)
    first = g.grad(x)
    again = g.fresh()
    assert again is not g and again.name == g.name
    np.testing.assert_array_equal(again.loss_and_grad(x)[1], first)  # the stream restarts
    assert not np.array_equal(g.grad(x), first)  # while the object's own stream goes on
    noise = np.random.default_rng(4).standard_normal(x.shape)
    np.testing.assert_allclose(first, f.grad(x) + 0.5 * noise, rtol=1e-15)
