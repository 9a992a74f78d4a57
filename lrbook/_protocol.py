"""Helpers of the training protocol that the package docstring of :mod:`lrbook` describes."""

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
        >>> first_step(np.array([[False, False, False], [False, True, False], [True, True, False]]))
        array([ 2,  1, -1])
    """
    bad = np.asarray(bad, dtype=bool)
    return np.where(bad.any(axis=0), np.argmax(bad, axis=0), -1)
