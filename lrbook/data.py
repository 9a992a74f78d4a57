"""Offline data sets for the chapters, seeded splits and minibatch iterators.

Everything here works without a network: the handwritten digits ship with scikit-learn
(imported lazily, inside :func:`load_digits` only, so ``import lrbook`` stays numpy-only),
the spirals and the regression problems are generated from a seed.

Shapes: features ``X`` are float64 of shape ``(n, d)``; class labels ``y`` are int64 of
shape ``(n,)``; regression targets ``y`` are float64 of shape ``(n,)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

import numpy as np

from ._checks import check_choice, check_int, check_interval, check_nonnegative

__all__ = [
    "Split",
    "train_val_split",
    "load_digits",
    "make_spirals",
    "make_regression",
    "minibatches",
    "batch_stream",
]

Array = np.ndarray


class Split(NamedTuple):
    """A train/validation split: ``X_train (n_train, d)``, ``y_train (n_train,)``, ``X_val``,
    ``y_val`` (shapes alike)."""

    X_train: Array
    y_train: Array
    X_val: Array
    y_val: Array

    @property
    def train(self) -> tuple[Array, Array]:
        """The training batch ``(X_train, y_train)``."""
        return self.X_train, self.y_train

    @property
    def val(self) -> tuple[Array, Array]:
        """The validation batch ``(X_val, y_val)``."""
        return self.X_val, self.y_val


def _check_xy(X: Any, y: Any) -> tuple[Array, Array]:
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or y.ndim < 1 or X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X must be (n, d) and y (n, ...) with the same n, got X.shape={X.shape}, "
            f"y.shape={y.shape}"
        )
    return X, y


def train_val_split(
    X: Any, y: Any, val_fraction: float = 0.2, seed: int = 0, standardize: bool = False
) -> Split:
    r"""Shuffle with a seed and split off ``round(val_fraction * n)`` validation examples.

    With ``standardize=True`` both parts are standardised with the training statistics
    only, :math:`x \mapsto (x - \mu_{train}) / \sigma_{train}` per feature (a feature that
    is constant on the training set is only centred).

    Args:
        X: features, shape ``(n, d)``.
        y: labels or targets, shape ``(n, ...)``.
        val_fraction: fraction of examples for validation, in ``[0, 1)``.
        seed: seed of the shuffling permutation.
        standardize: standardise the features with the training mean and std.

    Returns:
        A :class:`Split`; the two index sets are disjoint and cover all ``n`` examples.

    Example:
        >>> import numpy as np
        >>> split = train_val_split(np.arange(20.0).reshape(10, 2), np.arange(10), 0.3, seed=1)
        >>> split.X_train.shape, split.X_val.shape
        ((7, 2), (3, 2))
        >>> sorted(split.y_train.tolist() + split.y_val.tolist()) == list(range(10))
        True
    """
    X, y = _check_xy(X, y)
    val_fraction = check_interval("val_fraction", val_fraction, 0.0, 1.0, closed="left")
    n = X.shape[0]
    n_val = int(round(val_fraction * n))
    order = np.random.default_rng(seed).permutation(n)
    train_idx, val_idx = order[n_val:], order[:n_val]
    X_train, X_val = X[train_idx], X[val_idx]
    if standardize:
        mean = X_train.mean(axis=0)
        std = X_train.std(axis=0)
        std = np.where(std > 0.0, std, 1.0)
        X_train, X_val = (X_train - mean) / std, (X_val - mean) / std
    return Split(X_train, y[train_idx], X_val, y[val_idx])


def load_digits(val_fraction: float = 0.2, seed: int = 0, standardize: bool = True) -> Split:
    """The 8x8 handwritten digits shipped with scikit-learn, split and standardised.

    1797 images of the digits 0-9 (UCI optical recognition data set), each flattened to 64
    features with values 0..16; labels 0..9. With the defaults the split is 1438 training
    and 359 validation examples, features standardised with the training statistics.

    Args:
        val_fraction: fraction of examples for validation.
        seed: seed of the split.
        standardize: standardise features with the training mean and std.

    Returns:
        A :class:`Split` with ``X_* (n, 64)`` float64 and ``y_* (n,)`` int64.

    Example:
        >>> data = load_digits()
        >>> data.X_train.shape, data.X_val.shape, int(data.y_train.max())
        ((1438, 64), (359, 64), 9)

    References:
        Alpaydin & Kaynak (1998), UCI optical recognition of handwritten digits;
        ``sklearn.datasets.load_digits``.
    """
    try:
        from sklearn.datasets import load_digits as _sklearn_digits
    except ImportError as err:
        raise ImportError(
            "load_digits reads the digits from scikit-learn, which is not installed: "
            "pip install 'lrbook[data]' (or scikit-learn)"
        ) from err

    bunch = _sklearn_digits()
    X = np.asarray(bunch.data, dtype=float)
    y = np.asarray(bunch.target, dtype=np.int64)
    return train_val_split(X, y, val_fraction=val_fraction, seed=seed, standardize=standardize)


def make_spirals(
    n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2, seed: int = 0
) -> tuple[Array, Array]:
    r"""Interleaved 2-D spirals, one arm per class (not linearly separable).

    Point :math:`j` of class :math:`c` has radius :math:`r = j / (n-1)` and angle
    :math:`\theta = 4 r + 2\pi c / C + \text{noise}\cdot\varepsilon` with
    :math:`\varepsilon \sim \mathcal N(0, 1)`, at :math:`(r\sin\theta, r\cos\theta)`.

    Args:
        n_per_class: points per class (at least 2).
        n_classes: number of arms / classes (at least 2).
        noise: standard deviation of the angular noise.
        seed: random seed.

    Returns:
        ``(X, y)`` with ``X`` of shape ``(n_classes * n_per_class, 2)`` and integer ``y``,
        ordered class by class (shuffle with :func:`train_val_split`).

    Example:
        >>> X, y = make_spirals(n_per_class=50, n_classes=4)
        >>> X.shape, y.shape, sorted(set(y.tolist()))
        ((200, 2), (200,), [0, 1, 2, 3])

    References:
        The spiral task of Lang & Witbrock (1988), Learning to tell two spirals apart;
        the three-arm version of the Stanford CS231n notes.
    """
    n_per_class = check_int("n_per_class", n_per_class, minimum=2)
    n_classes = check_int("n_classes", n_classes, minimum=2)
    noise = check_nonnegative("noise", noise)
    rng = np.random.default_rng(seed)
    r = np.linspace(0.0, 1.0, n_per_class)
    c = np.arange(n_classes)[:, None]
    theta = (
        4.0 * r
        + 2.0 * np.pi * c / n_classes
        + noise * rng.standard_normal((n_classes, n_per_class))
    )
    X = np.stack([r * np.sin(theta), r * np.cos(theta)], axis=-1).reshape(-1, 2)
    y = np.repeat(np.arange(n_classes, dtype=np.int64), n_per_class)
    return X, y


def make_regression(
    n_samples: int = 200,
    n_features: int = 1,
    noise: float = 0.1,
    kind: str = "linear",
    seed: int = 0,
) -> tuple[Array, Array]:
    r"""A noisy regression problem with inputs :math:`x \sim \mathcal N(0, I)`.

    - ``"linear"``: :math:`y = x^\top w^\star + b^\star + \sigma\varepsilon` with
      :math:`w^\star \sim \mathcal N(0, I)` and :math:`b^\star \sim \mathcal N(0, 1)` drawn
      from the same seed;
    - ``"sine"``: :math:`y = \sin(2 x_1) + \sigma\varepsilon` (needs a nonlinear model).

    Args:
        n_samples: number of examples.
        n_features: input dimension.
        noise: standard deviation :math:`\sigma` of the Gaussian label noise.
        kind: ``"linear"`` or ``"sine"``.
        seed: random seed.

    Returns:
        ``(X, y)`` with shapes ``(n_samples, n_features)`` and ``(n_samples,)``.

    Example:
        >>> X, y = make_regression(n_samples=50, n_features=3, noise=0.0)
        >>> X.shape, y.shape
        ((50, 3), (50,))
    """
    n_samples = check_int("n_samples", n_samples, minimum=1)
    n_features = check_int("n_features", n_features, minimum=1)
    noise = check_nonnegative("noise", noise)
    kind = check_choice("kind", kind, ("linear", "sine"))
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    if kind == "linear":
        w, b = rng.standard_normal(n_features), rng.standard_normal()
        f = X @ w + b
    else:
        f = np.sin(2.0 * X[:, 0])
    return X, f + noise * rng.standard_normal(n_samples)


def minibatches(
    X: Any,
    y: Any,
    batch_size: int,
    seed: int = 0,
    epoch: int = 0,
    shuffle: bool = True,
    drop_last: bool = False,
) -> Iterator[tuple[Array, Array]]:
    """One epoch of minibatches ``(X_b, y_b)``, shuffled by a seed that depends on the epoch.

    The permutation of epoch ``e`` is ``default_rng([seed, e]).permutation(n)``: a pure
    function of ``(seed, epoch)``, so every epoch is reshuffled and every run reproducible.
    Every example appears exactly once per epoch; the last batch is smaller when
    ``batch_size`` does not divide ``n`` (dropped with ``drop_last=True``), like PyTorch's
    ``DataLoader``.

    With an array of seeds, shape ``S``, every seed gets its own permutation (the one it
    would get alone) and the batches hold one minibatch per seed: ``X_b`` of shape
    ``(*S, b, d)`` and ``y_b`` of shape ``(*S, b, ...)``, which the models of
    :mod:`lrbook.models` take as one minibatch per copy of the parameters.

    Args:
        X: features, shape ``(n, d)``.
        y: labels or targets, shape ``(n, ...)``.
        batch_size: examples per batch.
        seed: base seed, a non-negative integer or an integer array of them.
        epoch: epoch number, mixed into the seed.
        shuffle: shuffle (else keep the stored order).
        drop_last: drop a last incomplete batch.

    Returns:
        An iterator over ``ceil(n / batch_size)`` (or ``floor`` with ``drop_last``) batches.

    Example:
        >>> import numpy as np
        >>> X, y = np.arange(10.0)[:, None], np.arange(10)
        >>> [len(yb) for _, yb in minibatches(X, y, batch_size=4)]
        [4, 4, 2]
        >>> sorted(np.concatenate([yb for _, yb in minibatches(X, y, 4, epoch=3)]).tolist())
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        >>> two = next(minibatches(X, y, batch_size=4, seed=np.array([0, 5])))[1]
        >>> two.shape, bool(np.array_equal(two[1], next(minibatches(X, y, 4, seed=5))[1]))
        ((2, 4), True)
    """
    X, y = _check_xy(X, y)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    epoch = check_int("epoch", epoch, minimum=0)
    n = X.shape[0]
    if np.ndim(seed):
        seeds = _check_seeds("seed", seed)
        distinct, which = np.unique(seeds, return_inverse=True)
        if shuffle:
            perms = [np.random.default_rng([int(s), epoch]).permutation(n) for s in distinct]
            order = np.stack(perms)[which.reshape(seeds.shape)]
        else:
            order = np.broadcast_to(np.arange(n), seeds.shape + (n,))
    else:
        seed = check_int("seed", seed, minimum=0)
        order = np.random.default_rng([seed, epoch]).permutation(n) if shuffle else np.arange(n)
    stop = n - n % batch_size if drop_last else n
    starts = range(0, stop, batch_size)
    return ((X[idx], y[idx]) for idx in (order[..., i : i + batch_size] for i in starts))


def _check_seeds(name: str, seeds: Any) -> Array:
    """A non-empty integer array of non-negative seeds, else ValueError naming it."""
    arr = np.asarray(seeds)
    if arr.size == 0 or not np.issubdtype(arr.dtype, np.integer) or np.any(arr < 0):
        raise ValueError(
            f"{name} must be a non-empty array of non-negative integers, got {name}={seeds!r}"
        )
    return arr


def batch_stream(
    X: Any, y: Any, batch_size: int, seed: int = 0, shuffle: bool = True
) -> Iterator[tuple[Array, Array]]:
    """An endless stream of minibatches: epoch 0, 1, 2, ... of :func:`minibatches`.

    Incomplete last batches are dropped so every batch has ``batch_size`` examples
    (needs ``batch_size <= n``). Handy for :func:`lrbook.lr_find`'s ``batches`` argument.

    Args:
        X: features, shape ``(n, d)``.
        y: labels or targets, shape ``(n, ...)``.
        batch_size: examples per batch, at most ``n``.
        seed: base seed, as in :func:`minibatches`.
        shuffle: shuffle every epoch.

    Returns:
        An infinite iterator of ``(X_b, y_b)``.

    Example:
        >>> import itertools, numpy as np
        >>> stream = batch_stream(np.zeros((5, 1)), np.arange(5), batch_size=2)
        >>> [len(yb) for _, yb in itertools.islice(stream, 5)]
        [2, 2, 2, 2, 2]
    """
    X, y = _check_xy(X, y)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    if batch_size > X.shape[0]:
        raise ValueError(
            f"batch_size must be at most the number of examples {X.shape[0]}, "
            f"got batch_size={batch_size}"
        )

    def stream() -> Iterator[tuple[Array, Array]]:
        epoch = 0
        while True:
            yield from minibatches(X, y, batch_size, seed, epoch, shuffle, drop_last=True)
            epoch += 1

    return stream()
