"""A minibatch training loop for the chapters, vectorized over learning rates and seeds.

:func:`train` runs epochs of shuffled minibatches (:func:`lrbook.minibatches`) through a
model's ``loss_and_grad`` and an :mod:`lrbook` optimizer, and records what the chapters
plot: the minibatch loss and the learning rate of every step, the training and
validation loss (and accuracy) at every epoch boundary, and whether and when each run
diverged.

The learning rate may be

* a float;
* an ndarray of shape ``B``: one run per entry, all trained in one vectorized pass (the
  parameters are broadcast to ``(*B, P)`` and the optimizer gets ``lr[..., None]``);
* a schedule ``step -> lr`` (handed to the optimizer, which calls it with the number of
  updates done so far);
* a :class:`lrbook.ReduceLROnPlateau`, stepped once per epoch on the validation loss
  (on the validation accuracy if its ``mode`` is ``"max"``), as in PyTorch. The
  optimizers are pure and fix their lr at construction, so the optimizer receives a
  schedule that reads the plateau's current lr: after ``plateau.step(...)`` the next
  update uses the new lr and the optimizer state (momentum, Adam moments) carries on,
  exactly as when PyTorch's scheduler rewrites ``param_group["lr"]``. The plateau is
  copied first, so the caller's object is left untouched.

Runs may also differ in their randomness: ``seeds`` (an integer array of shape ``S``)
gives every run its own minibatch order, that of ``seed=seeds[k]``, and with
``params=None`` its own initialization ``model.init(seed=seeds[k])``. The batch shape is
then the broadcast of the parameters' leading axes, the lr's shape and ``S`` (e.g.
``seeds`` of shape ``(S, 1)`` and an lr of shape ``(L,)`` train ``S x L`` runs), all in
one vectorized pass: each step gathers one minibatch per seed, ``X_b`` of shape
``(*S, b, d)``, and the model evaluates every run on its own minibatch. Run ``k`` equals
the run trained alone with ``seed=seeds[k]`` (up to round-off: the batched matrix
products sum in another order).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._checks import check_int, check_positive
from ._protocol import as_loss_and_grad
from .data import _check_seeds, minibatches
from .optimizers import Optimizer, apply_updates
from .plateau import ReduceLROnPlateau

__all__ = ["History", "train"]

Array = np.ndarray


@dataclass(frozen=True)
class History:
    """What :func:`train` records. ``B`` is the batch shape of the runs (``()`` for one run).

    Attributes:
        params: final parameters, shape ``(*B, P)`` (for a diverged run: those at which
            the loss became non-finite or too large).
        lrs: learning rate used at each step, shape ``(n_steps, *B)``.
        losses: minibatch loss at each step, before that step's update, ``(n_steps, *B)``.
        train_loss: loss on the whole training set at each epoch boundary (index 0 is the
            initial parameters), shape ``(epochs + 1, *B)``.
        val_loss: the same on the validation set, or None without validation data.
        train_acc: training accuracy at each epoch boundary (classifiers), or None.
        val_acc: validation accuracy at each epoch boundary (classifiers), or None.
        diverged: shape ``B``, True where the run diverged.
        diverged_step: shape ``B``, the first step ``t`` whose minibatch loss
            ``losses[t]`` (or the epoch training loss at step ``t``) was non-finite or above
            ``max_loss``, -1 if none (see :mod:`lrbook`).
        steps_per_epoch: number of updates per epoch.

    The record that flagged a run keeps its value: the minibatch loss
    ``losses[diverged_step]`` (with its ``lrs`` entry), or, when the evaluation at an epoch
    boundary flagged it, that evaluation (the epoch's ``train_loss``, ``val_loss`` and
    accuracies). Everything the run would have recorded after that is NaN.
    """

    params: Array
    lrs: Array
    losses: Array
    train_loss: Array
    val_loss: Array | None
    train_acc: Array | None
    val_acc: Array | None
    diverged: Array
    diverged_step: Array
    steps_per_epoch: int

    @property
    def epoch_steps(self) -> Array:
        """Step index of each epoch boundary, ``(epochs + 1,)``: x values of the epoch curves."""
        return np.arange(self.train_loss.shape[0]) * self.steps_per_epoch


def _lr_value(lr: Any, shape: tuple[int, ...]) -> Array:
    """The lr of each run, shape ``B``, from an lr broadcastable to ``(*B, P)``."""
    lr = np.asarray(lr, dtype=float)
    if lr.ndim == 0:
        return np.broadcast_to(lr, shape)
    return np.broadcast_to(lr, shape + lr.shape[-1:])[..., 0]  # last axis: 1 or P


def _one_pass_evaluation(model: Any) -> Callable[[Array, Any], Any] | None:
    """``model.loss_and_accuracy`` if it measures what ``model.loss`` and ``model.accuracy``
    do: the class defining it must also define every method those rest on (a subclass that
    overrides ``loss``, say to add weight decay, is measured by its own ``loss``)."""
    cls = type(model)
    owner = next((c for c in cls.__mro__ if "loss_and_accuracy" in vars(c)), None)
    if owner is None:
        return None
    for name in ("loss", "accuracy", "predict", "forward"):
        if getattr(cls, name, None) is not getattr(owner, name, None):
            return None
    return model.loss_and_accuracy


def _loss_fn(model: Any, loss_and_grad: Callable[..., Any]) -> Callable[[Array, Any], Any]:
    if hasattr(model, "loss"):
        return model.loss
    return lambda params, batch: loss_and_grad(params, batch)[0]


def train(
    model: Any,
    params: Any,
    optimizer: Callable[..., Optimizer] | Optimizer,
    train_data: tuple[Any, Any],
    val_data: tuple[Any, Any] | None = None,
    *,
    lr: Any = None,
    epochs: int = 10,
    batch_size: int | None = 32,
    seed: int = 0,
    max_loss: float | None = None,
    seeds: Any = None,
) -> History:
    r"""Train by minibatch steps, :math:`\theta_{t+1} = \theta_t + u_t(\nabla\ell_{B_t}(\theta_t))`.

    Each epoch visits the training set once in the order of
    ``minibatches(X, y, batch_size, seed, epoch)``; the step counter ``t`` runs from 0
    across epochs. At every step the minibatch loss and the learning rate are recorded,
    then the update is applied. A run diverges when its minibatch loss (or its epoch
    training loss) is non-finite or exceeds ``max_loss``: it is flagged, frozen and
    recorded as NaN from then on; the loop stops when every run has diverged. Numpy
    floating-point warnings from diverging runs are silenced.

    Args:
        model: an :mod:`lrbook.models` model (anything with ``loss_and_grad``, optionally
            ``loss`` and ``accuracy``/``is_classifier``) or a bare
            ``loss_and_grad(params, batch) -> (loss, grads)`` (see :mod:`lrbook`). The
            epoch records use ``loss`` and ``accuracy``; a model's ``loss_and_accuracy``
            stands in for the two (one forward pass) unless a subclass overrides them.
        params: initial parameters ``(P,)`` or ``(*B, P)``; not modified. None with
            ``seeds``: ``model.init(seed=s)`` for every seed.
        optimizer: an optimizer factory such as :func:`lrbook.sgd` (called with ``lr=``;
            use ``functools.partial`` for other hyperparameters) or a ready
            :class:`lrbook.Optimizer` (then ``lr`` must be None and ``lrs`` are NaN).
        train_data: ``(X_train, y_train)``, e.g. ``split.train``.
        val_data: ``(X_val, y_val)`` or None.
        lr: float, ndarray of per-run lrs, schedule, or ``ReduceLROnPlateau`` (see the
            module docstring).
        epochs: number of passes over the training set.
        batch_size: examples per minibatch; None for full-batch gradient descent.
        seed: seed of the minibatch shuffling.
        max_loss: a loss above this counts as divergence (None: only non-finite losses).
        seeds: an integer array ``S`` of per-run seeds instead of ``seed`` (see the
            module docstring); broadcast against the other batch axes like ``lr``.

    Returns:
        A :class:`History`.

    Example:
        >>> import numpy as np, lrbook as lrb
        >>> X, y = lrb.make_regression(n_samples=64, n_features=2, noise=0.0)
        >>> model = lrb.LinearRegression(n_features=2)
        >>> hist = train(model, np.zeros(3), lrb.sgd, (X, y), lr=np.array([0.1, 3.0]),
        ...              epochs=5, batch_size=16, max_loss=1e3)
        >>> hist.losses.shape, hist.diverged.tolist(), hist.diverged_step.tolist()
        ((20, 2), [False, True], [-1, 2])
        >>> bool(hist.train_loss[-1, 0] < 1e-3 * hist.train_loss[0, 0])
        True
        >>> net = lrb.MLP(n_inputs=2, n_outputs=1, width=4, loss="mse")
        >>> runs = train(net, None, lrb.sgd, (X, y), lr=np.array([0.01, 0.1]),
        ...              seeds=np.arange(3)[:, None], epochs=2)
        >>> runs.losses.shape                    # (steps, seeds, lrs)
        (4, 3, 2)

    References:
        Robbins & Monro (1951); Bottou, Curtis & Nocedal (2018), Optimization methods for
        large-scale machine learning. PyTorch ``ReduceLROnPlateau`` usage for the plateau.
    """
    epochs = check_int("epochs", epochs, minimum=1)
    if max_loss is not None:
        max_loss = check_positive("max_loss", max_loss)
    loss_and_grad = as_loss_and_grad(model, "model")
    loss_fn = _loss_fn(model, loss_and_grad)
    accuracy = model.accuracy if getattr(model, "is_classifier", False) else None
    X_train, y_train = train_data
    n_train = np.shape(X_train)[0]
    batch_size = n_train if batch_size is None else check_int("batch_size", batch_size, minimum=1)

    # 1) the runs: batch shape B, parameters (*B, P), the lr handed to the optimizer
    seed_array = None
    if seeds is not None:
        seed_array = _check_seeds("seeds", seeds)
        if seed != 0:
            raise ValueError(f"pass seed or seeds, not both, got seed={seed!r}, seeds={seeds!r}")
    if params is None:
        if seed_array is None or not hasattr(model, "init"):
            raise ValueError(
                "params=None draws the initial parameters with model.init(seed=s) for each "
                f"of seeds, which needs seeds and such a model, got model={model!r}, "
                f"seeds={seeds!r}"
            )
        inits = [model.init(seed=int(s)) for s in seed_array.ravel()]
        params = np.reshape(inits, seed_array.shape + (-1,))
    params = np.asarray(params, dtype=float)
    if params.ndim == 0:
        raise ValueError(f"params must have shape (P,) or (*B, P), got params.shape={params.shape}")
    plateau = copy.deepcopy(lr) if isinstance(lr, ReduceLROnPlateau) else None
    if isinstance(optimizer, Optimizer):
        if lr is not None:
            raise ValueError(f"lr must be None with a ready Optimizer, got lr={lr!r}")
        opt, shape = optimizer, params.shape[:-1]

        def lr_at(t: int) -> Any:
            return np.nan

    else:
        if lr is None:
            raise ValueError("lr is required with an optimizer factory, got lr=None")
        if plateau is not None:
            shape = np.shape(plateau.lr)
            if np.broadcast_shapes(params.shape[:-1], shape) != shape:
                raise ValueError(
                    f"ReduceLROnPlateau needs one lr per run, lr of shape {shape} for "
                    f"params of shape {params.shape}, got lr={plateau!r}"
                )
            if val_data is None:
                raise ValueError(
                    "ReduceLROnPlateau is stepped on validation data, got val_data=None"
                )
            if plateau.mode == "max" and accuracy is None:
                raise ValueError(
                    "ReduceLROnPlateau(mode='max') is stepped on the validation accuracy, "
                    f"which needs a classifier, got model={model!r}"
                )

            def lr_at(t: Any) -> Array:
                return np.asarray(plateau.lr, dtype=float)[..., None]

            opt_lr: Any = lr_at
        elif callable(lr):
            shape, lr_at, opt_lr = params.shape[:-1], lr, lr
        else:
            lr_array = np.asarray(lr, dtype=float)
            shape = np.broadcast_shapes(params.shape[:-1], lr_array.shape)
            opt_lr = lr_array[..., None] if lr_array.ndim else float(lr_array)

            def lr_at(t: int) -> Any:
                return opt_lr

        opt = optimizer(lr=opt_lr)
    if seed_array is not None:
        full = np.broadcast_shapes(shape, seed_array.shape)
        if plateau is not None and full != shape:
            raise ValueError(
                f"seeds of shape {seed_array.shape} must broadcast to the plateau's lr "
                f"shape {shape}, got seeds={seeds!r}"
            )
        shape = full
    params = np.array(np.broadcast_to(params, shape + params.shape[-1:]))
    state = opt.init(params)

    # 2) the records
    steps_per_epoch = -(-n_train // batch_size)
    n_steps = epochs * steps_per_epoch
    nan_steps = np.full((n_steps,) + shape, np.nan)
    nan_epochs = np.full((epochs + 1,) + shape, np.nan)
    lrs, losses, train_loss = nan_steps.copy(), nan_steps.copy(), nan_epochs.copy()
    val_loss = nan_epochs.copy() if val_data is not None else None
    train_acc = nan_epochs.copy() if accuracy is not None else None
    val_acc = nan_epochs.copy() if accuracy is not None and val_data is not None else None
    alive = np.ones(shape, dtype=bool)
    diverged_step = np.full(shape, -1)

    def flag(loss: Array, t: int) -> None:
        bad = ~np.isfinite(loss) if max_loss is None else ~(loss <= max_loss)
        diverged_step[bad & alive] = t
        alive[...] &= ~bad

    both = _one_pass_evaluation(model) if accuracy is not None else None

    def measure(data: tuple[Any, Any]) -> tuple[Array, Any]:
        """Loss and accuracy (None for a regressor) of every run on ``data``."""
        if accuracy is None:
            return np.asarray(loss_fn(params, data), dtype=float), None
        if both is not None:
            loss, acc = both(params, data)
        else:
            loss, acc = loss_fn(params, data), accuracy(params, data)
        return np.asarray(loss, dtype=float), acc

    def evaluate(epoch: int, t: int) -> None:
        live = alive.copy()
        loss, acc = measure(train_data)
        flag(loss, t)
        train_loss[epoch] = np.where(live, loss, np.nan)
        if train_acc is not None:
            train_acc[epoch] = np.where(live, acc, np.nan)
        if val_data is not None:
            loss, acc = measure(val_data)
            val_loss[epoch] = np.where(live, loss, np.nan)
            if val_acc is not None:
                val_acc[epoch] = np.where(live, acc, np.nan)

    # 3) the loop: minibatch steps, epoch evaluations, plateau steps
    t = 0
    with np.errstate(all="ignore"):
        evaluate(0, 0)
        for epoch in range(epochs):
            if not alive.any():
                break
            order = seed if seed_array is None else seed_array
            for batch in minibatches(X_train, y_train, batch_size, seed=order, epoch=epoch):
                lrs[t] = np.where(alive, _lr_value(lr_at(t), shape), np.nan)
                loss, grads = loss_and_grad(params, batch)
                loss = np.asarray(loss, dtype=float)
                live = alive.copy()
                flag(loss, t)
                losses[t] = np.where(live, loss, np.nan)
                if not alive.any():
                    break
                updates, state = opt.update(grads, state, params)
                params = np.where(alive[..., None], apply_updates(params, updates), params)
                t += 1
            else:
                evaluate(epoch + 1, t)
                if plateau is not None:
                    metric = val_loss[epoch + 1] if plateau.mode == "min" else val_acc[epoch + 1]
                    plateau.step(metric)
    return History(
        params=params,
        lrs=lrs,
        losses=losses,
        train_loss=train_loss,
        val_loss=val_loss,
        train_acc=train_acc,
        val_acc=val_acc,
        diverged=(~alive)[()],
        diverged_step=diverged_step[()],
        steps_per_epoch=steps_per_epoch,
    )
