"""Test landscapes with exact value, gradient and Hessian, vectorized over leading axes.

A point is an ndarray whose last axis holds the ``dim`` coordinates; every leading axis
is a batch of independent points, so ``f.value(x)`` has shape ``x.shape[:-1]``,
``f.grad(x)`` has ``x.shape`` and ``f.hessian(x)`` has ``x.shape + (dim,)``.

The chapters use

* :func:`quadratic` -- the model every learning-rate theorem starts from,
* :func:`rosenbrock` -- a curved, badly conditioned valley,
* :func:`saddle` -- a saddle point,
* :func:`flat_sharp` -- two equally deep minima of different curvature,
* :func:`double_well` -- a non-convex landscape with two minima,
* :func:`quartic` -- a gradient that is not globally Lipschitz: no fixed lr is safe
  from every starting point,
* :func:`noisy` -- any landscape with seeded Gaussian gradient noise (for SGD).

Build your own with :class:`Landscape` from value and gradient functions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._checks import check_int, check_nonnegative, check_positive, check_real

__all__ = [
    "Landscape",
    "quadratic",
    "rosenbrock",
    "saddle",
    "flat_sharp",
    "double_well",
    "quartic",
    "noisy",
]

Array = np.ndarray
Fn = Callable[[Array], Array]


class Landscape:
    r"""A differentiable function of ``dim`` variables, vectorized over leading axes.

    Args:
        value: ``x (..., dim) -> f(x) (...)``.
        grad: ``x (..., dim) -> grad f(x) (..., dim)``.
        hessian: ``x (..., dim) -> Hessian (..., dim, dim)``; if None, central finite
            differences of ``grad`` with step :math:`h_j = \epsilon^{1/3}\max(1, |x_j|)`.
        dim: number of variables (the size of the last axis of a point).
        minimum: the global minimizer, shape ``(dim,)``, or None if there is none.
        minima: every local minimizer, shape ``(m, dim)``; defaults to ``[minimum]``.
        name: shown in the repr.
        fresh: for a landscape with internal randomness, a function that builds the same
            landscape with its randomness restarted (see :meth:`fresh`); None for a
            deterministic one.

    The functions receive float64 arrays whose last axis has size ``dim``; the methods
    :meth:`value`, :meth:`grad` and :meth:`hessian` check that first.

    .. math::

        H_{ij}(x) \approx \frac{\partial_i f(x + h_j e_j) - \partial_i f(x - h_j e_j)}{2 h_j}
        \quad\text{(finite-difference fallback, then symmetrized)}

    Example:
        >>> import numpy as np
        >>> f = Landscape(lambda x: np.sum(np.cos(x), -1), lambda x: -np.sin(x), dim=2,
        ...               minimum=[np.pi, np.pi])
        >>> float(f.value(f.minimum))
        -2.0
        >>> np.round(f.hessian(f.minimum), 6)
        array([[1., 0.],
               [0., 1.]])

    References:
        Nocedal & Wright (2006), *Numerical Optimization*, section 8.1 (finite differences).
    """

    def __init__(
        self,
        value: Fn,
        grad: Fn,
        hessian: Fn | None = None,
        *,
        dim: int,
        minimum: Sequence[float] | Array | None = None,
        minima: Sequence[Sequence[float]] | Array | None = None,
        name: str = "Landscape",
        fresh: Callable[[], Landscape] | None = None,
    ) -> None:
        for arg, fn in (("value", value), ("grad", grad)):
            if not callable(fn):
                raise TypeError(f"{arg} must be callable, got {arg}={fn!r}")
        if hessian is not None and not callable(hessian):
            raise TypeError(f"hessian must be callable or None, got hessian={hessian!r}")
        if fresh is not None and not callable(fresh):
            raise TypeError(f"fresh must be callable or None, got fresh={fresh!r}")
        self._fresh = fresh
        self.dim = check_int("dim", dim, minimum=1)
        self.name = name
        self._value = value
        self._grad = grad
        self._hessian = hessian if hessian is not None else self._fd_hessian
        self.minimum = None if minimum is None else self._point("minimum", minimum)
        if self.minimum is not None and self.minimum.ndim != 1:
            raise ValueError(f"minimum must have shape ({self.dim},), got {minimum=}")
        if minima is None:
            minima = None if self.minimum is None else self.minimum[None, :]
        else:
            minima = np.array(minima, dtype=np.float64)
            if minima.ndim != 2 or minima.shape[1] != self.dim:
                raise ValueError(f"minima must have shape (m, {self.dim}), got {minima=}")
        self.minima = minima

    def __repr__(self) -> str:
        return f"<{self.name}: dim={self.dim}, minimum={self.minimum}>"

    def _point(self, name: str, x: Any) -> Array:
        """``x`` as a float64 array whose last axis is ``dim``, else ValueError naming it."""
        arr = np.asarray(x, dtype=np.float64)
        if arr.ndim == 0 or arr.shape[-1] != self.dim:
            raise ValueError(
                f"{name} must have last axis of size dim={self.dim} ({self.name}), "
                f"got {name} of shape {arr.shape}: {name}={x!r}"
            )
        return arr

    def value(self, x: Array) -> Array:
        """Function value, shape ``x.shape[:-1]``."""
        return self._value(self._point("x", x))

    def grad(self, x: Array) -> Array:
        """Gradient, shape ``x.shape``."""
        return self._grad(self._point("x", x))

    def hessian(self, x: Array) -> Array:
        """Hessian, shape ``x.shape + (dim,)``."""
        return self._hessian(self._point("x", x))

    def loss_and_grad(self, params: Array, batch: Any = None) -> tuple[Array, Array]:
        """Value and gradient ``(f(x), grad f(x))`` in the training protocol of
        :mod:`lrbook`, so ``f.loss_and_grad`` can be passed to every loop.

        Args:
            params: points, shape ``(..., dim)``.
            batch: must be None (a landscape has no data).

        Returns:
            Shapes ``params.shape[:-1]`` and ``params.shape``.
        """
        if batch is not None:
            raise ValueError(f"batch must be None for a Landscape, got batch={batch!r}")
        x = self._point("params", params)
        return self._value(x), self._grad(x)

    def fresh(self) -> Landscape:
        """This landscape with its randomness restarted: every loop calls it once per run.

        A deterministic landscape returns itself; :func:`noisy` returns a new landscape
        whose noise stream starts again from its seed.
        """
        return self if self._fresh is None else self._fresh()

    def _fd_hessian(self, x: Array) -> Array:
        h = np.finfo(np.float64).eps ** (1 / 3) * np.maximum(1.0, np.abs(x))
        steps = h[..., None, :] * np.eye(self.dim)  # (..., j, coordinate)
        x = x[..., None, :]
        cols = (self._grad(x + steps) - self._grad(x - steps)) / (2 * h[..., :, None])
        return 0.5 * (cols + np.swapaxes(cols, -1, -2))


def _rotation(dim: int, angle: float) -> Array:
    """Rotation by ``angle`` in the plane of the first two coordinates."""
    r = np.eye(dim)
    if dim >= 2:
        c, s = math.cos(angle), math.sin(angle)
        r[:2, :2] = [[c, -s], [s, c]]
    return r


def _sum_last(a: Array) -> Array:
    """Sum over the last axis in index order.

    Unlike ``np.sum``, whose summation order depends on the array's shape, this rounds the
    same way for every batch shape, so a batch of trajectories equals separate runs
    bit for bit.
    """
    out = a[..., 0]
    for j in range(1, a.shape[-1]):
        out = out + a[..., j]
    return out


def _matvec(m: Array, x: Array) -> Array:
    """``m @ x`` over the last axis, with the same rounding for every batch shape."""
    return _sum_last(m * x[..., None, :])


def quadratic(eigenvalues: Sequence[float] | Array = (1.0, 10.0), angle: float = 0.0) -> Landscape:
    r"""The quadratic bowl :math:`f(x) = \tfrac12 x^\top H x` with chosen curvatures.

    Args:
        eigenvalues: the Hessian's eigenvalues :math:`\lambda_i \ge 0`; their number is
            the dimension (one eigenvalue gives a 1-D parabola).
        angle: rotation (radians) of the eigenvectors in the plane of the first two
            coordinates; must be 0 in one dimension.

    Returns:
        A :class:`Landscape` with minimum at the origin.

    .. math::

        H = R(\theta)\,\mathrm{diag}(\lambda_1, \dots, \lambda_d)\,R(\theta)^\top, \qquad
        \nabla f(x) = H x

    Gradient descent with step :math:`\eta` multiplies the component along eigenvector
    :math:`i` by :math:`1 - \eta\lambda_i` each step, so it converges iff
    :math:`\eta < 2/\lambda_{\max}`.

    Example:
        >>> f = quadratic((1.0, 10.0))
        >>> float(f.value([1.0, 1.0]))
        5.5
        >>> f.grad([1.0, 1.0])
        array([ 1., 10.])

    References:
        Nesterov (2018), *Lectures on Convex Optimization*, section 2.1; Goh (2017),
        "Why momentum really works", Distill.
    """
    if isinstance(eigenvalues, str | bytes):
        raise TypeError(f"eigenvalues must be a sequence of numbers, got {eigenvalues=}")
    try:
        eig = np.array(eigenvalues, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise TypeError(f"eigenvalues must be a sequence of numbers, got {eigenvalues=}") from None
    if eig.size == 0 or not np.all(np.isfinite(eig)) or np.any(eig < 0):
        raise ValueError(
            f"eigenvalues must be a non-empty sequence of finite numbers >= 0, got {eigenvalues=}"
        )
    angle = check_real("angle", angle)
    dim = eig.size
    if dim == 1 and angle != 0:
        raise ValueError(f"angle must be 0 for a 1-D quadratic, got {angle=}")
    r = _rotation(dim, angle)
    h = (r * eig) @ r.T
    h = 0.5 * (h + h.T)

    def grad(x: Array) -> Array:
        return _matvec(h, x)

    def value(x: Array) -> Array:
        return 0.5 * _sum_last(x * _matvec(h, x))

    def hessian(x: Array) -> Array:
        return np.broadcast_to(h, x.shape + (dim,)).copy()

    name = f"quadratic(eigenvalues={tuple(eig.tolist())}, angle={angle})"
    return Landscape(value, grad, hessian, dim=dim, minimum=np.zeros(dim), name=name)


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Landscape:
    r"""Rosenbrock's banana valley :math:`f(x, y) = (a - x)^2 + b\,(y - x^2)^2`.

    Args:
        a: position of the minimum :math:`(a, a^2)`.
        b: steepness :math:`b > 0` of the valley walls.

    Returns:
        A 2-D :class:`Landscape`.

    .. math::

        \nabla f = \begin{pmatrix} -2(a - x) - 4 b x (y - x^2) \\ 2 b (y - x^2) \end{pmatrix},
        \qquad
        H = \begin{pmatrix} 2 - 4b(y - x^2) + 8 b x^2 & -4 b x \\ -4 b x & 2 b \end{pmatrix}

    Example:
        >>> f = rosenbrock()
        >>> float(f.value(f.minimum)), f.grad([0.0, 0.0])
        (0.0, array([-2.,  0.]))

    References:
        Rosenbrock (1960), "An automatic method for finding the greatest or least value
        of a function", The Computer Journal 3(3).
    """
    a = check_real("a", a)
    b = check_positive("b", b)

    def value(p: Array) -> Array:
        x, y = p[..., 0], p[..., 1]
        return (a - x) ** 2 + b * (y - x * x) ** 2

    def grad(p: Array) -> Array:
        x, y = p[..., 0], p[..., 1]
        r = y - x * x
        out = np.empty(p.shape)
        out[..., 0] = -2 * (a - x) - 4 * b * x * r
        out[..., 1] = 2 * b * r
        return out

    def hessian(p: Array) -> Array:
        x, y = p[..., 0], p[..., 1]
        out = np.empty(p.shape + (2,))
        out[..., 0, 0] = 2 - 4 * b * (y - x * x) + 8 * b * x * x
        out[..., 0, 1] = out[..., 1, 0] = -4 * b * x
        out[..., 1, 1] = 2 * b
        return out

    return Landscape(
        value, grad, hessian, dim=2, minimum=[a, a * a], name=f"rosenbrock(a={a}, b={b})"
    )


def saddle() -> Landscape:
    r"""The saddle :math:`f(x, y) = \tfrac12 (x^2 - y^2)`: a stationary point, no minimum.

    Returns:
        A 2-D :class:`Landscape` with ``minimum=None``; the Hessian is
        :math:`\mathrm{diag}(1, -1)` everywhere.

    .. math::

        \nabla f = (x, -y), \qquad
        \text{GD: } x_{t+1} = (1 - \eta) x_t, \quad y_{t+1} = (1 + \eta) y_t

    Gradient descent escapes along :math:`y` at rate :math:`1 + \eta` (unless it starts
    exactly on :math:`y = 0`); ``run`` flags the escape as divergence once the loss falls
    below minus the divergence bound.

    Example:
        >>> f = saddle()
        >>> float(f.value([1.0, 2.0])), f.grad([1.0, 2.0])
        (-1.5, array([ 1., -2.]))

    References:
        Dauphin et al. (2014), "Identifying and attacking the saddle point problem in
        high-dimensional non-convex optimization".
    """
    signs = np.array([1.0, -1.0])

    def value(x: Array) -> Array:
        return 0.5 * _sum_last(signs * x * x)

    def grad(x: Array) -> Array:
        return signs * x

    def hessian(x: Array) -> Array:
        return np.broadcast_to(np.diag(signs), x.shape + (2,)).copy()

    return Landscape(value, grad, hessian, dim=2, name="saddle()")


def flat_sharp(flat_curvature: float = 1.0, sharp_curvature: float = 20.0) -> Landscape:
    r"""A 1-D landscape with a flat minimum at :math:`x=-1` and a sharp one at :math:`x=+1`.

    Both minima have loss 0; only their curvature differs, and it is exactly
    ``flat_curvature`` at -1 and ``sharp_curvature`` at +1. Gradient descent can
    therefore settle at -1 only if :math:`\eta < 2/\lambda_{\text{flat}}` and at +1 only if
    :math:`\eta < 2/\lambda_{\text{sharp}}` (defaults: 2 and 0.1).

    Args:
        flat_curvature: :math:`k_a = f''(-1) > 0`.
        sharp_curvature: :math:`k_b = f''(+1) > 0`.

    Returns:
        A 1-D :class:`Landscape`; ``minima`` is ``[[-1], [1]]`` and ``minimum`` is the flat
        one, ``[-1]``.

    .. math::

        q_a = \tfrac12 k_a (x + 1)^2, \quad q_b = \tfrac12 k_b (x - 1)^2, \qquad
        f = \frac{q_a q_b}{q_a + q_b} = \Big(\frac1{q_a} + \frac1{q_b}\Big)^{-1}

    Near each minimum :math:`f` equals the nearer well's quadratic to second order. The
    single barrier lies where :math:`(x+1)/(1-x) = (k_b/k_a)^{1/3}`: the flat basin is the
    wider one. Far away :math:`f \approx \tfrac12 \frac{k_a k_b}{k_a + k_b} x^2`.

    Example:
        >>> import numpy as np
        >>> f = flat_sharp()
        >>> f.hessian(f.minima)[:, 0, 0]
        array([ 1., 20.])

    References:
        Keskar et al. (2017), "On large-batch training for deep learning: generalization
        gap and sharp minima"; Hochreiter & Schmidhuber (1997), "Flat minima".
    """
    ka = check_positive("flat_curvature", flat_curvature)
    kb = check_positive("sharp_curvature", sharp_curvature)

    def parts(p: Array):
        x = p[..., 0]
        qa, qb = 0.5 * ka * (x + 1) ** 2, 0.5 * kb * (x - 1) ** 2
        return qa, qb, ka * (x + 1), kb * (x - 1), qa + qb

    def value(p: Array) -> Array:
        qa, qb, _, _, s = parts(p)
        return qa * qb / s

    def grad(p: Array) -> Array:
        qa, qb, da, db, s = parts(p)
        return ((da * qb * qb + db * qa * qa) / (s * s))[..., None]

    def hessian(p: Array) -> Array:
        qa, qb, da, db, s = parts(p)
        n = da * qb * qb + db * qa * qa
        dn = ka * qb * qb + kb * qa * qa + 2 * da * db * s
        return ((dn * s - 2 * n * (da + db)) / s**3)[..., None, None]

    return Landscape(
        value,
        grad,
        hessian,
        dim=1,
        minimum=[-1.0],
        minima=[[-1.0], [1.0]],
        name=f"flat_sharp(flat_curvature={ka}, sharp_curvature={kb})",
    )


_TILT_MAX = 2 / (3 * math.sqrt(3))


def double_well(tilt: float = 0.0) -> Landscape:
    r"""The double well :math:`f(x) = \tfrac14 (x^2 - 1)^2 + \tau x` in one dimension.

    Args:
        tilt: :math:`\tau`, with :math:`|\tau| < 2/(3\sqrt3) \approx 0.385` so that both
            wells exist; a positive tilt makes the left well the deeper one.

    Returns:
        A 1-D :class:`Landscape`; ``minima`` holds both minimizers (left first) and
        ``minimum`` the deeper one (the left one when ``tilt=0``).

    .. math::

        f'(x) = x^3 - x + \tau, \qquad f''(x) = 3x^2 - 1

    Without tilt the minima are :math:`\pm 1` with curvature 2 and the barrier at 0 has
    height 1/4.

    Example:
        >>> f = double_well()
        >>> f.minima[:, 0], float(f.value([0.0]))
        (array([-1.,  1.]), 0.25)

    References:
        Goodfellow, Bengio & Courville (2016), *Deep Learning*, section 8.2 (local minima).
    """
    tau = check_real("tilt", tilt)
    if abs(tau) >= _TILT_MAX:
        raise ValueError(f"tilt must satisfy |tilt| < 2/(3*sqrt(3)) ~ 0.385, got tilt={tau}")
    roots = np.sort(np.roots([1.0, 0.0, -1.0, tau]).real)[[0, 2]]
    for _ in range(3):  # Newton polish of the companion-matrix roots
        roots = roots - (roots**3 - roots + tau) / (3 * roots**2 - 1)
    minima = roots[:, None]

    def value(p: Array) -> Array:
        x = p[..., 0]
        return 0.25 * (x * x - 1) ** 2 + tau * x

    def grad(p: Array) -> Array:
        return p**3 - p + tau

    def hessian(p: Array) -> Array:
        return (3 * p * p - 1)[..., None]

    deeper = minima[int(np.argmin(value(minima)))]
    return Landscape(
        value, grad, hessian, dim=1, minimum=deeper, minima=minima, name=f"double_well(tilt={tau})"
    )


def quartic(dim: int = 1) -> Landscape:
    r"""The convex :math:`f(x) = \sum_i \big(\tfrac12 x_i^2 + \tfrac14 x_i^4\big)`, whose
    gradient is not globally Lipschitz.

    The curvature at the minimum is 1, which suggests any :math:`\eta < 2` is safe. But
    the curvature :math:`1 + 3x^2` grows without bound, and gradient descent
    :math:`x \mapsto x\,(1 - \eta(1 + x^2))` diverges from every start with
    :math:`|x_i| > \sqrt{2/\eta - 1}`, however small :math:`\eta`: a small fixed lr does
    not guarantee convergence.

    Args:
        dim: number of (independent) coordinates.

    Returns:
        A :class:`Landscape` with minimum at the origin.

    .. math::

        \nabla f = x + x^3, \qquad H = \mathrm{diag}(1 + 3 x^2)

    Example:
        >>> import numpy as np
        >>> f = quartic()
        >>> float(f.value([2.0])), f.grad([2.0]), float(np.sqrt(2 / 0.1 - 1))
        (6.0, array([10.]), 4.358898943540674)

    References:
        Bottou, Curtis & Nocedal (2018), "Optimization methods for large-scale machine
        learning", SIAM Review, section 4 (the Lipschitz assumption).
    """
    dim = check_int("dim", dim, minimum=1)

    def value(x: Array) -> Array:
        x2 = x * x
        return _sum_last(0.5 * x2 + 0.25 * x2 * x2)

    def grad(x: Array) -> Array:
        return x + x * x * x

    def hessian(x: Array) -> Array:
        return (1 + 3 * x * x)[..., None] * np.eye(dim)

    return Landscape(value, grad, hessian, dim=dim, minimum=np.zeros(dim), name=f"quartic({dim})")


def noisy(f: Landscape, sigma: float, seed: int = 0) -> Landscape:
    r"""``f`` with Gaussian noise on the gradient: a model of stochastic gradients.

    Args:
        f: the exact landscape.
        sigma: noise standard deviation :math:`\sigma \ge 0` of each gradient coordinate.
        seed: seed of the landscape's own ``numpy.random.Generator``.

    Returns:
        A :class:`Landscape` with the same value, Hessian and minima as ``f`` and

    .. math::

        \tilde\nabla f(x) = \nabla f(x) + \sigma\,\xi, \qquad \xi \sim \mathcal N(0, I)

    Reproducibility: the noise comes from ``numpy.random.default_rng(seed)``. Every call
    of ``grad`` (or ``loss_and_grad``) draws fresh noise of shape ``x.shape`` from the
    stream of this object, and :meth:`Landscape.fresh` gives a copy whose stream starts
    again. Every loop (:func:`lrbook.run`, :func:`lrbook.lr_find`, ...) runs on
    ``f.fresh()``, so the same call on the same object gives the same trajectory; to get
    independent noise in a second run, use another ``seed``. A batch of K trajectories
    draws a ``(K, d)`` block per step, so its noise differs from that of K separate runs
    (it is equally distributed).

    Example:
        >>> import numpy as np
        >>> g1 = noisy(quadratic(), sigma=0.1, seed=1).grad(np.zeros(2))
        >>> g2 = noisy(quadratic(), sigma=0.1, seed=1).grad(np.zeros(2))
        >>> bool(np.array_equal(g1, g2)), bool(np.any(g1 != 0))
        (True, True)

    References:
        Robbins & Monro (1951), "A stochastic approximation method"; Mandt, Hoffman & Blei
        (2017), "Stochastic gradient descent as approximate Bayesian inference".
    """
    if not isinstance(f, Landscape):
        raise TypeError(f"f must be a Landscape, got f={f!r}")
    sigma = check_nonnegative("sigma", sigma)
    seed = check_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)

    def grad(x: Array) -> Array:
        return f.grad(x) + sigma * rng.standard_normal(np.shape(x))

    return Landscape(
        f.value,
        grad,
        f.hessian,
        dim=f.dim,
        minimum=f.minimum,
        minima=f.minima,
        name=f"noisy({f.name}, sigma={sigma}, seed={seed})",
        fresh=lambda: noisy(f, sigma, seed),
    )
