"""Small numpy models with exact, hand-written backpropagation over one flat parameter vector.

Every model stores all its weights in a single float64 vector ``params`` of shape ``(P,)``
so that every optimizer and schedule of :mod:`lrbook` applies unchanged, exactly as on the
test landscapes. ``params`` may carry leading batch axes, shape ``(..., P)``: that many
independent copies of the model (for instance K copies trained with K learning rates) are
evaluated in one vectorized pass on the same data, and ``loss_and_grad`` returns losses of
shape ``(...)`` and gradients of shape ``(..., P)``.

A batch is a pair ``(X, y)``: ``X`` of shape ``(n, n_inputs)``; ``y`` of shape ``(n,)`` with
integer class labels for classifiers, or real targets of shape ``(n,)`` (one output) or
``(n, n_outputs)`` for regression. In :meth:`MLP.loss_and_grad` and :meth:`MLP.loss` the
batch may also differ per copy: ``X`` of shape ``(*L, n, n_inputs)`` and ``y`` of shape
``(*L, n)`` (or ``(*L, n, n_outputs)``) with ``L`` broadcastable to the leading axes of
``params`` (the minibatches of runs that shuffle with different seeds, see
:func:`lrbook.train`).

Layout of the flat vector: layer by layer, first the weight matrix ``W`` of shape
``(fan_in, fan_out)`` in row-major order, then the bias ``b`` of shape ``(fan_out,)``.
:meth:`MLP.unflatten` and :meth:`MLP.flatten` convert between the two views.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import check_choice, check_int

__all__ = ["MLP", "LogisticRegression", "LinearRegression"]

Array = np.ndarray
Batch = tuple[Any, Any]
Layers = list[tuple[Array, Array]]

_LOSSES = ("cross_entropy", "binary_cross_entropy", "mse")
_ACTIVATIONS = ("tanh", "relu")


def _shared_matmul(A: Array, B: Array) -> Array:
    """``A @ B[k]`` for every k, as one BLAS product: ``(m, n) x (K, n, p) -> (K, m, p)``.

    Equal to the broadcast ``A @ B``, which numpy does not hand to BLAS and is several
    times slower for the first layer's shared inputs.
    """
    K, n, p = B.shape
    return (A @ B.transpose(1, 0, 2).reshape(n, K * p)).reshape(-1, K, p).transpose(1, 0, 2)


def _log_softmax(z: Array) -> Array:
    """Stable ``z - logsumexp(z)`` along the last axis (the max is subtracted first)."""
    m = np.max(z, axis=-1, keepdims=True)
    return z - (m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True)))


def _sigmoid(z: Array) -> Array:
    """Overflow-free logistic function, ``1 / (1 + exp(-z)) = (1 + tanh(z / 2)) / 2``."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class MLP:
    r"""A fully connected network with exact backpropagation over a flat parameter vector.

    ``depth`` hidden layers of ``width`` units with ``activation`` (tanh or ReLU), then a
    linear output layer of ``n_outputs`` units and the loss:

    - ``"cross_entropy"``: softmax cross-entropy with integer labels (PyTorch
      ``nn.CrossEntropyLoss``, mean over the batch),
      :math:`\ell = \frac1n\sum_i \big(\log\sum_c e^{z_{ic}} - z_{i y_i}\big)`;
    - ``"binary_cross_entropy"``: one logit and labels in {0, 1} (``nn.BCEWithLogitsLoss``),
      :math:`\ell = \frac1n\sum_i \big(\log(1 + e^{z_i}) - y_i z_i\big)`;
    - ``"mse"``: mean squared error over all outputs (``nn.MSELoss``),
      :math:`\ell = \frac{1}{n\,m}\sum_{i,j} (z_{ij} - y_{ij})^2`.

    The forward pass is :math:`a_0 = x`, :math:`z_l = a_{l-1} W_l + b_l`,
    :math:`a_l = \sigma(z_l)`; the backward pass is
    :math:`\partial W_l = a_{l-1}^\top \delta_l`, :math:`\partial b_l = \sum_i \delta_l`,
    :math:`\delta_{l-1} = (\delta_l W_l^\top) \odot \sigma'(z_{l-1})` with
    :math:`\delta_L = \partial\ell/\partial z_L` (``softmax - onehot`` over n for
    cross-entropy). The log-sum-exp subtracts the row maximum, so large logits never
    overflow.

    Initialisation (:meth:`init`): biases zero; hidden weights drawn from
    :math:`\mathcal N(0, 2/\text{fan\_in})` for ReLU (He et al., 2015) and from
    :math:`\mathcal N(0, 2/(\text{fan\_in}+\text{fan\_out}))` for tanh (Glorot & Bengio,
    2010); the output layer always uses the Glorot variance.

    Args:
        n_inputs: number of input features.
        n_outputs: number of outputs (classes for cross-entropy, 1 for binary).
        width: units per hidden layer.
        depth: number of hidden layers (0 gives a linear model).
        activation: ``"tanh"`` or ``"relu"``.
        loss: ``"cross_entropy"``, ``"binary_cross_entropy"`` or ``"mse"``.

    Example:
        >>> import numpy as np
        >>> net = MLP(n_inputs=2, n_outputs=3, width=8, depth=1)
        >>> params = net.init(seed=0)
        >>> params.shape
        (51,)
        >>> X, y = np.zeros((4, 2)), np.array([0, 1, 2, 0])
        >>> loss, grads = net.loss_and_grad(params, (X, y))
        >>> bool(np.isclose(loss, np.log(3))), grads.shape
        (True, (51,))
        >>> losses, grads = net.loss_and_grad(np.stack([params, 2 * params]), (X, y))
        >>> losses.shape, grads.shape
        ((2,), (2, 51))

    References:
        Rumelhart, Hinton & Williams (1986), Learning representations by back-propagating
        errors. Glorot & Bengio (2010); He et al. (2015), Delving deep into rectifiers.
    """

    def __init__(
        self,
        n_inputs: int,
        n_outputs: int,
        width: int = 64,
        depth: int = 1,
        activation: str = "tanh",
        loss: str = "cross_entropy",
    ) -> None:
        self.n_inputs = check_int("n_inputs", n_inputs, minimum=1)
        self.n_outputs = check_int("n_outputs", n_outputs, minimum=1)
        self.width = check_int("width", width, minimum=1)
        self.depth = check_int("depth", depth, minimum=0)
        self.activation = check_choice("activation", activation, _ACTIVATIONS)
        self.loss_name = check_choice("loss", loss, _LOSSES)
        if loss == "cross_entropy" and n_outputs < 2:
            raise ValueError(
                f"cross_entropy needs n_outputs >= 2 classes, got n_outputs={n_outputs!r}"
            )
        if loss == "binary_cross_entropy" and n_outputs != 1:
            raise ValueError(
                f"binary_cross_entropy needs n_outputs=1 (one logit), got n_outputs={n_outputs!r}"
            )
        sizes = [self.n_inputs] + [self.width] * self.depth + [self.n_outputs]
        self.layer_shapes: list[tuple[int, int]] = list(zip(sizes[:-1], sizes[1:], strict=True))
        self.n_params = sum(fi * fo + fo for fi, fo in self.layer_shapes)

    @property
    def is_classifier(self) -> bool:
        """True for the cross-entropy losses (labels, predictions and accuracy are classes)."""
        return self.loss_name != "mse"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(n_inputs={self.n_inputs}, n_outputs={self.n_outputs}, "
            f"width={self.width}, depth={self.depth}, activation={self.activation!r}, "
            f"loss={self.loss_name!r})"
        )

    # -- parameters ---------------------------------------------------------------------

    def init(self, seed: int = 0) -> Array:
        """Seeded initial parameters, shape ``(P,)`` (He for ReLU, Glorot for tanh/output).

        Args:
            seed: seed of ``numpy.random.default_rng``.

        Returns:
            A fresh float64 vector of length ``n_params``.
        """
        rng = np.random.default_rng(seed)
        layers = []
        for index, (fan_in, fan_out) in enumerate(self.layer_shapes):
            hidden = index < self.depth
            if hidden and self.activation == "relu":
                var = 2.0 / fan_in
            else:
                var = 2.0 / (fan_in + fan_out)
            W = rng.normal(0.0, np.sqrt(var), size=(fan_in, fan_out))
            layers.append((W, np.zeros(fan_out)))
        return self.flatten(layers)

    def unflatten(self, params: Array) -> Layers:
        """Views ``[(W_1, b_1), ...]`` of ``params``; ``W_l`` is ``(..., fan_in, fan_out)``."""
        lead, layers = self._split(params)
        return [(W.reshape(lead + W.shape[1:]), b.reshape(lead + b.shape[1:])) for W, b in layers]

    def flatten(self, layers: Layers) -> Array:
        """Inverse of :meth:`unflatten`: concatenate ``[(W, b), ...]`` into ``(..., P)``."""
        if len(layers) != len(self.layer_shapes):
            raise ValueError(
                f"layers must hold {len(self.layer_shapes)} (W, b) pairs, "
                f"got len(layers)={len(layers)}"
            )
        pieces = []
        for (W, b), (fi, fo) in zip(layers, self.layer_shapes, strict=True):
            W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
            if W.shape[-2:] != (fi, fo) or b.shape[-1:] != (fo,):
                raise ValueError(
                    f"layer shapes must be W (..., {fi}, {fo}) and b (..., {fo}), "
                    f"got W.shape={W.shape}, b.shape={b.shape}"
                )
            pieces += [W.reshape(W.shape[:-2] + (fi * fo,)), b]
        lead = np.broadcast_shapes(*(p.shape[:-1] for p in pieces))
        return np.concatenate([np.broadcast_to(p, lead + p.shape[-1:]) for p in pieces], axis=-1)

    def _split(self, params: Array) -> tuple[tuple[int, ...], Layers]:
        params = np.asarray(params, dtype=float)
        if params.ndim == 0 or params.shape[-1] != self.n_params:
            raise ValueError(
                f"params must have shape (..., {self.n_params}), got params.shape={params.shape}"
            )
        lead = params.shape[:-1]
        flat = params.reshape(-1, self.n_params)
        layers, offset = [], 0
        for fi, fo in self.layer_shapes:
            W = flat[:, offset : offset + fi * fo].reshape(-1, fi, fo)
            offset += fi * fo
            layers.append((W, flat[:, offset : offset + fo]))
            offset += fo
        return lead, layers

    # -- forward and backward -----------------------------------------------------------

    def _check_X(self, X: Any) -> Array:
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise ValueError(f"X must have shape (n, {self.n_inputs}), got X.shape={X.shape}")
        return X

    def _batch(self, lead: tuple[int, ...], batch: Batch) -> tuple[Array, Array]:
        """``(X, y)`` checked: shared ``(n, d)`` and ``(n, ...)``, or one per copy of the
        model, flattened to ``(K, n, d)`` and ``(K, n, ...)`` like the parameters."""
        X = np.asarray(batch[0], dtype=float)
        if X.ndim <= 2:
            X = self._check_X(X)
            return X, self._check_y(batch[1], X.shape[0])
        if X.shape[-1] != self.n_inputs:
            raise ValueError(f"X must have shape (..., n, {self.n_inputs}), got X.shape={X.shape}")
        runs = X.shape[:-2]
        try:
            ok = np.broadcast_shapes(runs, lead) == lead
        except ValueError:
            ok = False
        if not ok:
            raise ValueError(
                f"X with leading axes {runs} must broadcast to those of params {lead}, "
                f"got X.shape={X.shape}"
            )
        n, K = X.shape[-2], int(np.prod(lead, dtype=int))
        y = self._check_y(batch[1], n, runs)
        X = np.broadcast_to(X, lead + X.shape[-2:]).reshape(K, n, self.n_inputs)
        y = np.broadcast_to(y, lead + y.shape[len(runs) :]).reshape((K,) + y.shape[len(runs) :])
        return X, y

    def _check_y(self, y: Any, n: int, runs: tuple[int, ...] = ()) -> Array:
        if self.is_classifier:
            y = np.asarray(y)
            if y.shape != runs + (n,) or not np.issubdtype(y.dtype, np.integer):
                raise ValueError(
                    f"y must be {n} integer labels, got y.shape={y.shape}, y.dtype={y.dtype}"
                )
            classes = 2 if self.loss_name == "binary_cross_entropy" else self.n_outputs
            if y.size and (y.min() < 0 or y.max() >= classes):
                raise ValueError(
                    f"labels must lie in [0, {classes}), got y.min()={y.min()}, y.max()={y.max()}"
                )
            return y
        y = np.asarray(y, dtype=float)
        if self.n_outputs == 1 and y.shape == runs + (n,):
            y = y[..., None]
        if y.shape != runs + (n, self.n_outputs):
            raise ValueError(f"y must have shape (n, {self.n_outputs}), got y.shape={y.shape}")
        return y

    def _forward(self, layers: Layers, X: Array) -> tuple[list[Array], list[Array]]:
        """Pre-activations ``zs`` (each ``(K, n, fan_out)``) and activations ``acts``."""
        acts, zs = [X], []
        for index, (W, b) in enumerate(layers):
            if index == 0:
                z = _shared_matmul(X, W) if X.ndim == 2 else X @ W
            else:
                z = acts[-1] @ W
            z = z + b[:, None, :]
            zs.append(z)
            if index < self.depth:
                acts.append(np.tanh(z) if self.activation == "tanh" else np.maximum(z, 0.0))
        return zs, acts

    def _loss_and_delta(self, z: Array, y: Array, delta: bool = True) -> tuple[Array, Any]:
        """Loss ``(K,)`` and ``delta = d loss / d z`` ``(K, n, n_outputs)`` of the output
        layer (None with ``delta=False``, for a loss alone)."""
        n = z.shape[1]
        if self.loss_name == "cross_entropy":
            logp = _log_softmax(z)
            if y.ndim == 1:
                rows = np.arange(n)
                loss = -np.mean(logp[:, rows, y], axis=1)
            else:  # labels per copy, (K, n)
                loss = -np.mean(np.take_along_axis(logp, y[..., None], axis=-1)[..., 0], axis=1)
            if not delta:
                return loss, None
            d = np.exp(logp)
            if y.ndim == 1:
                d[:, rows, y] -= 1.0
            else:
                np.put_along_axis(
                    d, y[..., None], np.take_along_axis(d, y[..., None], -1) - 1.0, -1
                )
            return loss, d / n
        if self.loss_name == "binary_cross_entropy":
            z1 = z[..., 0]
            loss = np.mean(np.logaddexp(0.0, z1) - y * z1, axis=1)
            return loss, ((_sigmoid(z1) - y) / n)[..., None] if delta else None
        r = z - y
        return np.mean(r**2, axis=(1, 2)), 2.0 * r / r[0].size if delta else None

    def forward(self, params: Array, X: Any) -> Array:
        """Raw outputs (logits, or predictions for MSE), shape ``(..., n, n_outputs)``."""
        lead, layers = self._split(params)
        X = self._check_X(X)
        zs, _ = self._forward(layers, X)
        return zs[-1].reshape(lead + zs[-1].shape[1:])

    def loss(self, params: Array, batch: Batch) -> Array:
        """Mean loss on ``batch = (X, y)``, shape ``(...)`` (a float for one parameter vector)."""
        lead, layers = self._split(params)
        X, y = self._batch(lead, batch)
        zs, _ = self._forward(layers, X)
        loss, _ = self._loss_and_delta(zs[-1], y, delta=False)
        return loss.reshape(lead)[()]

    def loss_and_grad(self, params: Array, batch: Batch) -> tuple[Array, Array]:
        """Mean loss and its exact gradient on ``batch = (X, y)``.

        Args:
            params: shape ``(..., P)``.
            batch: ``(X, y)`` as described in the module docstring.

        Returns:
            ``(loss, grads)`` with shapes ``(...)`` and ``(..., P)``.
        """
        lead, layers = self._split(params)
        X, y = self._batch(lead, batch)
        zs, acts = self._forward(layers, X)
        loss, delta = self._loss_and_delta(zs[-1], y)
        grads: list[Array] = []
        for index in range(len(layers) - 1, -1, -1):
            W, _ = layers[index]
            if index == 0:
                dW = _shared_matmul(X.T, delta) if X.ndim == 2 else np.swapaxes(X, -1, -2) @ delta
            else:
                dW = np.swapaxes(acts[index], -1, -2) @ delta
            grads[:0] = [
                dW.reshape(delta.shape[0], -1),
                delta.sum(axis=1),
            ]
            if index > 0:
                delta = delta @ np.swapaxes(W, -1, -2)
                if self.activation == "tanh":
                    delta = delta * (1.0 - acts[index] ** 2)
                else:
                    delta = delta * (zs[index - 1] > 0.0)
        grad = np.concatenate(grads, axis=1)
        return loss.reshape(lead)[()], grad.reshape(lead + (self.n_params,))

    def predict(self, params: Array, X: Any) -> Array:
        """Class labels ``(..., n)`` for classifiers; MSE predictions (``(..., n)`` if 1 output)."""
        z = self.forward(params, X)
        if self.loss_name == "cross_entropy":
            return np.argmax(z, axis=-1)
        if self.loss_name == "binary_cross_entropy":
            return (z[..., 0] > 0.0).astype(int)
        return z[..., 0] if self.n_outputs == 1 else z

    def accuracy(self, params: Array, batch: Batch) -> Array:
        """Fraction of correctly classified examples, shape ``(...)``; classifiers only."""
        if not self.is_classifier:
            raise ValueError(f"accuracy needs a classification loss, got loss={self.loss_name!r}")
        X = self._check_X(batch[0])
        y = self._check_y(batch[1], X.shape[0])
        return np.mean(self.predict(params, X) == y, axis=-1)[()]

    def loss_and_accuracy(self, params: Array, batch: Batch) -> tuple[Array, Array]:
        """``(loss(params, batch), accuracy(params, batch))`` from one forward pass.

        :func:`lrbook.train` records both on the training and validation sets every epoch;
        sharing the forward pass makes that evaluation about half as costly. Classifiers
        only, with ``X`` shared by every parameter vector, as in :meth:`accuracy`.

        Example:
            >>> import numpy as np, lrbook as lrb
            >>> net = lrb.MLP(n_inputs=2, n_outputs=3, width=4)
            >>> params = np.stack([net.init(seed=s) for s in range(2)])
            >>> batch = (np.random.default_rng(0).normal(size=(5, 2)), np.array([0, 1, 2, 1, 0]))
            >>> loss, acc = net.loss_and_accuracy(params, batch)
            >>> bool(np.all(loss == net.loss(params, batch)))
            True
            >>> bool(np.all(acc == net.accuracy(params, batch)))
            True
        """
        if not self.is_classifier:
            raise ValueError(f"accuracy needs a classification loss, got loss={self.loss_name!r}")
        lead, layers = self._split(params)
        X = self._check_X(batch[0])
        y = self._check_y(batch[1], X.shape[0])
        zs, _ = self._forward(layers, X)
        loss, _ = self._loss_and_delta(zs[-1], y, delta=False)
        if self.loss_name == "cross_entropy":
            predicted = np.argmax(zs[-1], axis=-1)
        else:
            predicted = (zs[-1][..., 0] > 0.0).astype(int)
        accuracy = np.mean(predicted == y, axis=-1)
        return loss.reshape(lead)[()], accuracy.reshape(lead)[()]


class LogisticRegression(MLP):
    r"""Logistic regression: binary (one logit, sigmoid) or multinomial (softmax).

    With ``n_classes=2`` the model is :math:`p(y=1\mid x) = \sigma(x^\top w + b)` with the
    binary cross-entropy; with ``n_classes > 2`` it is softmax regression
    :math:`p(y=c\mid x) \propto e^{x^\top W_{:c} + b_c}` with the cross-entropy. It is an
    :class:`MLP` with ``depth=0``, so the gradient is the familiar
    :math:`\nabla_W = X^\top(\hat p - Y)/n`, :math:`\nabla_b = \sum_i(\hat p_i - y_i)/n`.
    Weights are initialised with the Glorot variance, biases at zero.

    Args:
        n_features: number of input features.
        n_classes: number of classes (2 for binary).

    Example:
        >>> import numpy as np
        >>> clf = LogisticRegression(n_features=3)
        >>> clf.n_params
        4
        >>> X, y = np.ones((2, 3)), np.array([0, 1])
        >>> loss, grads = clf.loss_and_grad(np.zeros(4), (X, y))
        >>> bool(np.isclose(loss, np.log(2))), grads.tolist()
        (True, [0.0, 0.0, 0.0, 0.0])

    References:
        Cox (1958), The regression analysis of binary sequences; PyTorch
        ``nn.BCEWithLogitsLoss`` / ``nn.CrossEntropyLoss``.
    """

    def __init__(self, n_features: int, n_classes: int = 2) -> None:
        n_classes = check_int("n_classes", n_classes, minimum=2)
        binary = n_classes == 2
        super().__init__(
            n_features,
            1 if binary else n_classes,
            depth=0,
            loss="binary_cross_entropy" if binary else "cross_entropy",
        )
        self.n_classes = n_classes

    def __repr__(self) -> str:
        return f"LogisticRegression(n_features={self.n_inputs}, n_classes={self.n_classes})"


class LinearRegression(MLP):
    r"""Least-squares linear regression :math:`\hat y = x^\top w + b` with the mean squared error.

    The loss is :math:`\ell = \frac1n \sum_i (x_i^\top w + b - y_i)^2` (PyTorch ``nn.MSELoss``)
    and its gradient :math:`\nabla_w = \frac2n X^\top r`, :math:`\nabla_b = \frac2n\sum_i r_i`
    with residuals :math:`r = Xw + b - y`. An :class:`MLP` with ``depth=0`` and ``loss="mse"``.

    Args:
        n_features: number of input features.
        n_outputs: number of regression targets.

    Example:
        >>> import numpy as np
        >>> reg = LinearRegression(n_features=1)
        >>> X, y = np.array([[1.0], [2.0]]), np.array([1.0, 3.0])
        >>> loss, grads = reg.loss_and_grad(np.zeros(2), (X, y))
        >>> float(loss), grads.tolist()
        (5.0, [-7.0, -4.0])

    References:
        Legendre (1805) and Gauss (1809), least squares; PyTorch ``nn.MSELoss``.
    """

    def __init__(self, n_features: int, n_outputs: int = 1) -> None:
        super().__init__(n_features, n_outputs, depth=0, loss="mse")

    def __repr__(self) -> str:
        return f"LinearRegression(n_features={self.n_inputs}, n_outputs={self.n_outputs})"
