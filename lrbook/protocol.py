r"""The one training protocol of every loop: ``loss_and_grad`` in, ``diverged_step`` out.

Every loop of lrbook (:func:`lrbook.run`, :func:`lrbook.train`,
:func:`lrbook.gd_sharpness`, :func:`lrbook.lr_find`) takes the objective as

* a callable ``loss_and_grad(params, batch=None) -> (loss, grads)``: ``params`` of shape
  ``(..., P)``, ``loss`` of shape ``(...)``, ``grads`` of shape ``(..., P)``;
* a :class:`~lrbook.Landscape`, whose method ``f.loss_and_grad`` is such a callable
  (``batch`` must be None); the loop first calls ``f.fresh()``, so a seeded random
  landscape (:func:`lrbook.noisy`) replays the same noise in every run;
* a model of :mod:`lrbook.models` (anything with a ``loss_and_grad`` method).

Divergence is recorded the same way by every loop. Each result has

* ``diverged``: bool, shape ``B`` (the batch shape of the runs);
* ``diverged_step``: int, shape ``B``: the step index ``t`` at which the loss first
  became non-finite or exceeded the loop's bound, -1 if it never did. ``t`` indexes the
  result's loss record (``losses[t]`` is the first bad loss; for :func:`lrbook.run` it is
  the loss at ``params[t]``, for :func:`lrbook.train` the minibatch loss before update
  ``t``).

What a loop records after ``diverged_step`` differs by purpose and is stated in each
result: :func:`lrbook.run` freezes the trajectory at its last good point (a plot stops
there), :func:`lrbook.train` and :func:`lrbook.gd_sharpness` record NaN, and
:func:`lrbook.lr_find` ends the test (its curve is ``diverged_step + 1`` points long).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .landscapes import Landscape

__all__ = ["LossAndGrad", "as_loss_and_grad", "first_step"]

Array = np.ndarray
LossAndGrad = Callable[..., tuple[Any, Array]]


def as_loss_and_grad(f: Any, name: str = "f") -> LossAndGrad:
    """The ``loss_and_grad(params, batch=None)`` of ``f`` for one run.

    Args:
        f: a :class:`~lrbook.Landscape` (restarted with ``f.fresh()``), an object with a
            ``loss_and_grad`` method, or such a callable.
        name: the argument's name in the error message.

    Returns:
        The callable.

    Example:
        >>> import lrbook as lrb
        >>> loss, grads = as_loss_and_grad(lrb.quadratic((1.0, 10.0)))([1.0, 1.0])
        >>> float(loss), grads
        (5.5, array([ 1., 10.]))
    """
    if isinstance(f, Landscape):
        return f.fresh().loss_and_grad
    fn = getattr(f, "loss_and_grad", f)
    if isinstance(f, type) or not callable(fn):
        raise TypeError(
            f"{name} must be a Landscape, a model with loss_and_grad, or a callable "
            f"loss_and_grad(params, batch=None) -> (loss, grads), got {name}={f!r}"
        )
    return fn


def first_step(bad: Array) -> Array:
    """``diverged_step`` from a record ``bad`` of shape ``(T, *B)``: first True row, else -1.

    Example:
        >>> import numpy as np
        >>> first_step(np.array([[False, False], [False, True], [True, True]]))
        array([ 2,  1])
    """
    bad = np.asarray(bad, dtype=bool)
    return np.where(bad.any(axis=0), np.argmax(bad, axis=0), -1)
