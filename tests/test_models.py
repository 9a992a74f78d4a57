"""Models: exact gradients against central finite differences, closed forms, batching."""

import warnings

import numpy as np
import pytest

import lrbook as lrb

RNG = np.random.default_rng(20240601)


def finite_difference(loss, params, batch, eps=1e-6):
    """Central differences of ``loss`` w.r.t. every entry of ``params`` (any shape)."""
    grad = np.zeros_like(params)
    for index in np.ndindex(params.shape):
        step = np.zeros_like(params)
        step[index] = eps
        grad[index] = (loss(params + step, batch) - loss(params - step, batch))[index[:-1]] / (
            2 * eps
        )
    return grad


def _labels(model, n):
    if model.loss_name == "mse":
        return RNG.normal(size=(n, model.n_outputs))
    classes = 2 if model.loss_name == "binary_cross_entropy" else model.n_outputs
    return RNG.integers(0, classes, n)


MODELS = [
    lrb.MLP(4, 3, width=6, depth=1, activation="tanh"),
    lrb.MLP(4, 3, width=6, depth=2, activation="relu"),
    lrb.MLP(4, 3, width=5, depth=3, activation="tanh"),
    lrb.MLP(4, 2, width=6, depth=2, activation="tanh", loss="mse"),
    lrb.MLP(4, 1, width=6, depth=1, activation="relu", loss="mse"),
    lrb.MLP(4, 1, width=6, depth=1, activation="tanh", loss="binary_cross_entropy"),
    lrb.MLP(4, 3, depth=0),
    lrb.LogisticRegression(4),
    lrb.LogisticRegression(4, n_classes=5),
    lrb.LinearRegression(4),
    lrb.LinearRegression(4, n_outputs=2),
]


@pytest.mark.parametrize("model", MODELS, ids=repr)
def test_gradient_matches_central_differences(model):
    X = RNG.normal(size=(9, 4))
    y = _labels(model, 9)
    params = model.init(seed=3) + 0.3 * RNG.normal(size=model.n_params)
    loss, grads = model.loss_and_grad(params, (X, y))
    assert np.ndim(loss) == 0 and grads.shape == (model.n_params,)
    assert np.isclose(loss, model.loss(params, (X, y)), rtol=1e-14)
    reference = finite_difference(model.loss, params, (X, y))
    scale = np.max(np.abs(reference))
    np.testing.assert_allclose(grads, reference, rtol=1e-6, atol=1e-6 * scale)


@pytest.mark.parametrize("model", MODELS, ids=repr)
def test_batched_parameters_match_one_by_one_and_finite_differences(model):
    X = RNG.normal(size=(7, 4))
    y = _labels(model, 7)
    params = model.init(seed=1) + 0.5 * RNG.normal(size=(2, 3, model.n_params))
    losses, grads = model.loss_and_grad(params, (X, y))
    assert losses.shape == (2, 3) and grads.shape == (2, 3, model.n_params)
    for index in np.ndindex(2, 3):
        loss_i, grad_i = model.loss_and_grad(params[index], (X, y))
        np.testing.assert_allclose(losses[index], loss_i, rtol=1e-12)
        np.testing.assert_allclose(grads[index], grad_i, rtol=1e-10, atol=1e-14)
    reference = finite_difference(model.loss, params, (X, y))
    np.testing.assert_allclose(grads, reference, rtol=1e-6, atol=1e-6 * np.max(np.abs(reference)))


def test_logistic_regression_closed_forms():
    X = RNG.normal(size=(6, 3))
    y = np.array([0, 1, 1, 0, 1, 1])
    clf = lrb.LogisticRegression(3)
    # at w = 0, b = 0 every p = 1/2: loss log 2, gradient X^T (1/2 - y) / n and sum(1/2 - y) / n
    loss, grads = clf.loss_and_grad(np.zeros(4), (X, y))
    np.testing.assert_allclose(loss, np.log(2.0), rtol=1e-15)
    np.testing.assert_allclose(grads[:3], X.T @ (0.5 - y) / 6, rtol=1e-13)
    np.testing.assert_allclose(grads[3], np.mean(0.5 - y), rtol=1e-13)
    # general point: the textbook formulas with p = 1 / (1 + exp(-z))
    w, b = RNG.normal(size=3), 0.3
    z = X @ w + b
    p = 1 / (1 + np.exp(-z))
    loss, grads = clf.loss_and_grad(np.r_[w, b], (X, y))
    np.testing.assert_allclose(loss, -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), rtol=1e-13)
    np.testing.assert_allclose(grads, np.r_[X.T @ (p - y), np.sum(p - y)] / 6, rtol=1e-12)


def test_softmax_regression_closed_forms():
    X = RNG.normal(size=(5, 3))
    y = np.array([0, 3, 1, 3, 2])
    clf = lrb.LogisticRegression(3, n_classes=4)
    W, b = RNG.normal(size=(3, 4)), RNG.normal(size=4)
    params = np.r_[W.ravel(), b]
    Z = X @ W + b
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    Y = np.eye(4)[y]
    loss, grads = clf.loss_and_grad(params, (X, y))
    np.testing.assert_allclose(loss, -np.mean(np.log(P[np.arange(5), y])), rtol=1e-13)
    np.testing.assert_allclose(
        grads, np.r_[(X.T @ (P - Y)).ravel(), (P - Y).sum(0)] / 5, rtol=1e-12
    )
    assert np.isclose(clf.loss(np.zeros(16), (X, y)), np.log(4.0), rtol=1e-15)


def test_linear_regression_closed_form():
    X = RNG.normal(size=(8, 2))
    y = RNG.normal(size=8)
    w, b = np.array([0.5, -1.0]), 0.25
    r = X @ w + b - y
    loss, grads = lrb.LinearRegression(2).loss_and_grad(np.r_[w, b], (X, y))
    np.testing.assert_allclose(loss, np.mean(r**2), rtol=1e-14)
    np.testing.assert_allclose(grads, np.r_[2 * X.T @ r / 8, 2 * np.mean(r)], rtol=1e-13)


def test_mlp_forward_matches_hand_written_network():
    net = lrb.MLP(3, 2, width=4, depth=2, activation="tanh")
    params = net.init(seed=5)
    (W1, b1), (W2, b2), (W3, b3) = net.unflatten(params)
    assert [W.shape for W, _ in net.unflatten(params)] == [(3, 4), (4, 4), (4, 2)]
    X = RNG.normal(size=(6, 3))
    expected = np.tanh(np.tanh(X @ W1 + b1) @ W2 + b2) @ W3 + b3
    np.testing.assert_allclose(net.forward(params, X), expected, rtol=1e-13)
    # layout: W1 row-major, then b1, then W2, ...
    np.testing.assert_array_equal(params[:12], W1.ravel())
    np.testing.assert_array_equal(net.flatten(net.unflatten(params)), params)


def test_cross_entropy_is_stable_for_huge_logits():
    clf = lrb.LogisticRegression(1, n_classes=3)
    # logits z = x * W + b = (1000, 0, -1000) for x = 1
    params = np.r_[1000.0, 0.0, -1000.0, 0.0, 0.0, 0.0]
    X = np.ones((3, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grads = clf.loss_and_grad(params, (X, np.array([0, 1, 2])))
        binary_loss = lrb.LogisticRegression(1).loss(
            np.array([800.0, 0.0]), (X, np.array([0, 1, 1]))
        )
    # -log softmax: 0, 1000 and 2000 (exactly, since exp(-1000) underflows to 0)
    np.testing.assert_allclose(loss, (0.0 + 1000.0 + 2000.0) / 3, rtol=1e-15)
    assert np.all(np.isfinite(grads))
    np.testing.assert_allclose(binary_loss, 800.0 / 3, rtol=1e-15)


def test_init_is_seeded_and_scaled():
    relu = lrb.MLP(400, 10, width=300, depth=1, activation="relu")
    tanh = lrb.MLP(400, 10, width=300, depth=1, activation="tanh")
    np.testing.assert_array_equal(relu.init(7), relu.init(7))
    assert not np.array_equal(relu.init(7), relu.init(8))
    (W1, b1), (W2, b2) = relu.unflatten(relu.init(0))
    assert np.all(b1 == 0) and np.all(b2 == 0)
    # He: var 2 / fan_in for the ReLU layer; Glorot 2 / (fan_in + fan_out) for the output layer
    np.testing.assert_allclose(W1.var(), 2 / 400, rtol=0.02)
    np.testing.assert_allclose(W2.var(), 2 / 310, rtol=0.1)
    (V1, _), _ = tanh.unflatten(tanh.init(0))
    np.testing.assert_allclose(V1.var(), 2 / 700, rtol=0.02)
    assert relu.init(0).dtype == np.float64


def test_predict_and_accuracy():
    clf = lrb.LogisticRegression(2, n_classes=3)
    # logits z = X W: class = argmax
    W = np.array([[1.0, 0.0, -1.0], [0.0, 1.0, 0.0]])
    params = np.r_[W.ravel(), np.zeros(3)]
    X = np.array([[2.0, 0.0], [0.0, 2.0], [-2.0, 0.0], [-2.0, 5.0]])
    np.testing.assert_array_equal(clf.predict(params, X), [0, 1, 2, 1])
    assert clf.accuracy(params, (X, np.array([0, 1, 2, 2]))) == 0.75
    stacked = np.stack([params, -params])
    np.testing.assert_array_equal(clf.accuracy(stacked, (X, np.array([0, 1, 2, 1]))), [1.0, 0.0])
    binary = lrb.LogisticRegression(1)
    np.testing.assert_array_equal(binary.predict(np.array([1.0, 0.0]), [[-1.0], [2.0]]), [0, 1])
    reg = lrb.LinearRegression(1)
    np.testing.assert_allclose(reg.predict(np.array([2.0, 1.0]), [[1.0], [3.0]]), [3.0, 7.0])


@pytest.mark.parametrize(
    "model",
    [
        lrb.MLP(3, 4, width=5, depth=2),
        lrb.MLP(3, 1, width=5, loss="binary_cross_entropy", activation="relu"),
        lrb.LogisticRegression(3, n_classes=4),
    ],
    ids=["softmax-mlp", "binary-mlp", "softmax-regression"],
)
def test_loss_and_accuracy_is_loss_and_accuracy_in_one_pass(model):
    """Bit for bit what the two separate methods give, for one and for (2, 3) parameter sets."""
    rng = np.random.default_rng(1)
    classes = 2 if model.loss_name == "binary_cross_entropy" else model.n_outputs
    batch = (rng.normal(size=(40, 3)), rng.integers(0, classes, size=40))
    one = model.init(seed=0)
    many = np.stack([model.init(seed=s) for s in range(6)]).reshape(2, 3, -1)
    for params in (one, many):
        loss, acc = model.loss_and_accuracy(params, batch)
        np.testing.assert_array_equal(loss, model.loss(params, batch))
        np.testing.assert_array_equal(acc, model.accuracy(params, batch))
        assert np.shape(loss) == np.shape(acc) == params.shape[:-1]
    # not every prediction is right or wrong, so the comparison above says something
    assert 0.0 < np.mean(model.loss_and_accuracy(many, batch)[1]) < 1.0
    with pytest.raises(ValueError, match=r"^accuracy needs a classification loss, got loss='mse'"):
        lrb.MLP(3, 1, loss="mse").loss_and_accuracy(
            np.zeros(lrb.MLP(3, 1, loss="mse").n_params), batch
        )


def test_bad_inputs():
    net = lrb.MLP(3, 4, width=5, depth=1)
    X, y = np.zeros((2, 3)), np.array([0, 1])
    with pytest.raises(ValueError, match=r"^params must have shape \(\.\.\., 44\), got params"):
        net.loss_and_grad(np.zeros(7), (X, y))
    with pytest.raises(ValueError, match=r"^X must have shape \(n, 3\), got X.shape=\(2, 4\)"):
        net.loss_and_grad(net.init(), (np.zeros((2, 4)), y))
    with pytest.raises(ValueError, match=r"^labels must lie in \[0, 4\)"):
        net.loss(net.init(), (X, np.array([0, 4])))
    with pytest.raises(ValueError, match=r"^y must be 2 integer labels, got y.shape="):
        net.loss(net.init(), (X, np.array([0.5, 1.0])))
    with pytest.raises(ValueError, match=r"^activation must be one of .*, got activation="):
        lrb.MLP(3, 4, activation="sigmoid")
    with pytest.raises(ValueError, match=r"^loss must be one of .*, got loss='hinge'"):
        lrb.MLP(3, 4, loss="hinge")
    with pytest.raises(ValueError, match=r"needs n_outputs >= 2 classes, got n_outputs=1"):
        lrb.MLP(3, 1, loss="cross_entropy")
    with pytest.raises(ValueError, match=r"needs n_outputs=1 \(one logit\), got n_outputs=2"):
        lrb.MLP(3, 2, loss="binary_cross_entropy")
    with pytest.raises(ValueError, match=r"^depth must be at least 0, got depth=-1"):
        lrb.MLP(3, 4, depth=-1)
    with pytest.raises(TypeError, match=r"^width must be an integer, got width=2.5"):
        lrb.MLP(3, 4, width=2.5)
    with pytest.raises(ValueError, match=r"^n_classes must be at least 2, got n_classes=1"):
        lrb.LogisticRegression(3, n_classes=1)
    with pytest.raises(ValueError, match=r"^accuracy needs a classification loss, got loss='mse'"):
        lrb.LinearRegression(3).accuracy(np.zeros(4), (X, np.zeros(2)))
    with pytest.raises(ValueError, match=r"^y must have shape \(n, 1\), got y.shape=\(3,\)"):
        lrb.LinearRegression(3).loss(np.zeros(4), (X, np.zeros(3)))
