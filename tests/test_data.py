"""Data: shapes, seeds, disjoint splits, minibatches covering each epoch exactly once."""

import itertools
import sys

import numpy as np
import pytest

import lrbook as lrb


@pytest.fixture(scope="module")
def digits():
    return lrb.load_digits()


def test_digits_shapes_and_standardisation(digits):
    assert digits.X_train.shape == (1438, 64) and digits.X_val.shape == (359, 64)
    assert digits.y_train.shape == (1438,) and digits.y_val.shape == (359,)
    assert digits.X_train.dtype == np.float64 and np.issubdtype(digits.y_train.dtype, np.integer)
    assert set(np.unique(np.r_[digits.y_train, digits.y_val])) == set(range(10))
    # training statistics: mean 0, std 1 (or 0 for the pixels that are always blank)
    np.testing.assert_allclose(digits.X_train.mean(axis=0), 0.0, atol=1e-12)
    std = digits.X_train.std(axis=0)
    assert np.all(np.isclose(std, 1.0) | np.isclose(std, 0.0))
    assert np.any(np.isclose(std, 0.0))
    X_train, y_train = digits.train
    assert X_train is digits.X_train and y_train is digits.y_train


def test_digits_split_is_a_seeded_partition_of_the_raw_data(digits):
    from sklearn.datasets import load_digits

    raw = load_digits()
    a = lrb.load_digits(seed=3, standardize=False)
    b = lrb.load_digits(seed=3, standardize=False)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert not np.array_equal(a.X_train, lrb.load_digits(seed=4, standardize=False).X_train)
    # rows of train + val are exactly the rows of the data set (as a multiset)
    rows = np.concatenate([np.c_[a.X_train, a.y_train], np.c_[a.X_val, a.y_val]])
    expected = np.c_[raw.data, raw.target]
    np.testing.assert_array_equal(np.unique(rows, axis=0, return_counts=True)[1].sum(), 1797)
    np.testing.assert_array_equal(
        rows[np.lexsort(rows.T[::-1])], expected[np.lexsort(expected.T[::-1])]
    )


def test_train_val_split_disjoint_and_covering():
    X = np.arange(40.0).reshape(20, 2)
    y = np.arange(20)
    split = lrb.train_val_split(X, y, val_fraction=0.25, seed=11)
    assert split.X_train.shape == (15, 2) and split.X_val.shape == (5, 2)
    assert set(split.y_train).isdisjoint(split.y_val)
    assert sorted(np.r_[split.y_train, split.y_val]) == list(range(20))
    np.testing.assert_array_equal(split.X_train[:, 0], 2 * split.y_train)  # rows stay paired
    again = lrb.train_val_split(X, y, val_fraction=0.25, seed=11)
    np.testing.assert_array_equal(split.y_val, again.y_val)
    standardized = lrb.train_val_split(X, y, val_fraction=0.25, seed=11, standardize=True)
    mu, sd = split.X_train.mean(0), split.X_train.std(0)
    np.testing.assert_allclose(standardized.X_val, (split.X_val - mu) / sd, rtol=1e-13)


def test_spirals():
    X, y = lrb.make_spirals(n_per_class=60, n_classes=4, noise=0.1, seed=2)
    assert X.shape == (240, 2) and y.shape == (240,)
    np.testing.assert_array_equal(np.bincount(y), [60] * 4)
    # the radius of point j of every arm is j / (n - 1), whatever the angular noise
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 1]), np.tile(np.linspace(0, 1, 60), 4))
    X2, _ = lrb.make_spirals(n_per_class=60, n_classes=4, noise=0.1, seed=2)
    np.testing.assert_array_equal(X, X2)
    X3, _ = lrb.make_spirals(n_per_class=60, n_classes=4, noise=0.1, seed=3)
    assert not np.array_equal(X, X3)
    # without noise: arm c is arm 0 rotated by 2 pi c / C
    X0, _ = lrb.make_spirals(n_per_class=10, n_classes=4, noise=0.0)
    angle = np.arctan2(X0[:, 0], X0[:, 1]).reshape(4, 10)
    np.testing.assert_allclose(np.mod(angle[1, 1:] - angle[0, 1:], 2 * np.pi), np.pi / 2)


def test_regression():
    X, y = lrb.make_regression(n_samples=300, n_features=3, noise=0.0, seed=5)
    assert X.shape == (300, 3) and y.shape == (300,)
    A = np.c_[X, np.ones(300)]
    coef, residual, *_ = np.linalg.lstsq(A, y, rcond=None)
    assert residual[0] < 1e-20  # exactly linear without noise
    _, y_noisy = lrb.make_regression(n_samples=300, n_features=3, noise=0.5, seed=5)
    np.testing.assert_allclose(np.std(y_noisy - A @ coef), 0.5, rtol=0.1)
    Xs, ys = lrb.make_regression(n_samples=50, noise=0.0, kind="sine", seed=1)
    np.testing.assert_allclose(ys, np.sin(2 * Xs[:, 0]))
    np.testing.assert_array_equal(lrb.make_regression(seed=9)[1], lrb.make_regression(seed=9)[1])


def test_minibatches_cover_each_epoch_once():
    X = np.arange(23.0)[:, None]
    y = np.arange(23)
    batches = list(lrb.minibatches(X, y, batch_size=5, seed=1, epoch=0))
    assert [len(yb) for _, yb in batches] == [5, 5, 5, 5, 3]
    seen = np.concatenate([yb for _, yb in batches])
    np.testing.assert_array_equal(np.sort(seen), y)
    for Xb, yb in batches:
        np.testing.assert_array_equal(Xb[:, 0], yb)
    # reproducible per (seed, epoch), different across epochs and seeds
    again = np.concatenate([yb for _, yb in lrb.minibatches(X, y, 5, seed=1, epoch=0)])
    np.testing.assert_array_equal(seen, again)
    other = np.concatenate([yb for _, yb in lrb.minibatches(X, y, 5, seed=1, epoch=1)])
    assert not np.array_equal(seen, other)
    assert not np.array_equal(
        seen, np.concatenate([yb for _, yb in lrb.minibatches(X, y, 5, seed=2, epoch=0)])
    )
    dropped = list(lrb.minibatches(X, y, 5, seed=1, drop_last=True))
    assert [len(yb) for _, yb in dropped] == [5, 5, 5, 5]
    ordered = np.concatenate([yb for _, yb in lrb.minibatches(X, y, 5, shuffle=False)])
    np.testing.assert_array_equal(ordered, y)


def test_batch_stream_runs_the_epochs_in_order():
    X = np.arange(10.0)[:, None]
    y = np.arange(10)
    stream = lrb.batch_stream(X, y, batch_size=4, seed=3)
    got = [yb for _, yb in itertools.islice(stream, 6)]
    expected = [
        yb
        for epoch in range(3)
        for _, yb in lrb.minibatches(X, y, 4, seed=3, epoch=epoch, drop_last=True)
    ]
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_array_equal(a, b)


def test_bad_inputs():
    X, y = np.zeros((6, 2)), np.zeros(6)
    with pytest.raises(ValueError, match=r"^val_fraction must lie in .*, got val_fraction=1.0"):
        lrb.train_val_split(X, y, val_fraction=1.0)
    with pytest.raises(ValueError, match=r"^X must be \(n, d\) and y \(n, \.\.\.\)"):
        lrb.train_val_split(X, np.zeros(5))
    with pytest.raises(ValueError, match=r"^batch_size must be at least 1, got batch_size=0"):
        list(lrb.minibatches(X, y, batch_size=0))
    with pytest.raises(ValueError, match=r"^batch_size must be at most .*, got batch_size=7"):
        lrb.batch_stream(X, y, batch_size=7)
    with pytest.raises(ValueError, match=r"^n_classes must be at least 2, got n_classes=1"):
        lrb.make_spirals(n_classes=1)
    with pytest.raises(ValueError, match=r"^noise must be non-negative, got noise=-0.1"):
        lrb.make_spirals(noise=-0.1)
    with pytest.raises(ValueError, match=r"^kind must be one of .*, got kind='cubic'"):
        lrb.make_regression(kind="cubic")
    with pytest.raises(ValueError, match=r"^n_samples must be at least 1, got n_samples=0"):
        lrb.make_regression(n_samples=0)


def test_load_digits_without_scikit_learn_says_which_extra_to_install(monkeypatch):
    # a None entry in sys.modules makes the import fail, as without the package
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(
        ImportError, match=r"scikit-learn, which is not installed: .*lrbook\[data\]"
    ):
        lrb.load_digits()


def test_minibatches_with_an_array_of_seeds_are_the_single_seed_batches():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    seeds = np.array([[3], [1], [3]])
    for epoch in (0, 2):
        many = list(lrb.minibatches(X, y, 4, seed=seeds, epoch=epoch))
        assert [b[0].shape for b in many] == [(3, 1, 4, 2), (3, 1, 4, 2), (3, 1, 2, 2)]
        for k, s in enumerate(seeds[:, 0]):
            alone = list(lrb.minibatches(X, y, 4, seed=int(s), epoch=epoch))
            for (Xm, ym), (Xa, ya) in zip(many, alone, strict=True):
                np.testing.assert_array_equal(Xm[k, 0], Xa)
                np.testing.assert_array_equal(ym[k, 0], ya)
    with pytest.raises(ValueError, match=r"^seed must be a non-empty array of non-negative"):
        lrb.minibatches(X, y, 4, seed=np.array([1, -2]))
