"""ReduceLROnPlateau: the one stateful schedule, cutting the learning rate when a metric stalls.

It mirrors ``torch.optim.lr_scheduler.ReduceLROnPlateau``: the same lr sequence for the same
metric sequence. The pure ``step -> lr`` schedules live in :mod:`lrbook.schedules`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._checks import check_choice, check_int, check_interval, check_nonnegative

__all__ = ["ReduceLROnPlateau"]

LR = float | np.ndarray


class ReduceLROnPlateau:
    r"""Cut the learning rate by ``factor`` when a metric stops improving.

    The one stateful schedule: its lr depends on the metrics seen so far, so it is an
    object fed one metric per step (typically a validation loss per epoch).

    A metric :math:`m` improves on the best so far :math:`m^*` when, in mode ``"min"``,

    .. math::
        m < m^* (1 - \theta) \ (\text{``rel''}) \qquad \text{or} \qquad
        m < m^* - \theta \ (\text{``abs''}),

    and symmetrically (:math:`>`, :math:`1 + \theta`, :math:`+ \theta`) in mode
    ``"max"``. After more than ``patience`` steps without improvement the lr becomes
    :math:`\max(\eta\, f, \eta_{\min})` (unless that changes it by ``eps`` or less),
    then ``cooldown`` steps pass during which bad steps are not counted.

    ``lr`` and the metrics may be arrays: each entry is an independent scheduler (a
    learning-rate sweep is a batch), with the same hyperparameters.

    Args:
        lr: the initial learning rate, non-negative (a float or an array).
        mode: ``"min"`` (a loss) or ``"max"`` (an accuracy).
        factor: the multiplier :math:`f \in (0, 1)` applied at each cut.
        patience: the number of non-improving steps tolerated, a non-negative integer.
        threshold: :math:`\theta \ge 0`, how much better counts as an improvement.
        threshold_mode: ``"rel"`` or ``"abs"``.
        cooldown: the number of steps after a cut before bad steps count again.
        min_lr: the floor :math:`\eta_{\min} \ge 0` of the learning rate.
        eps: cuts smaller than this are skipped, non-negative.

    Attributes:
        lr: the current learning rate (a float, or an array for a batch).
        best: the best metric so far.
        num_bad_epochs: the number of non-improving steps counted.
        cooldown_counter: the cooldown steps left.

    Example:
        >>> plateau = ReduceLROnPlateau(1.0, factor=0.5, patience=1)
        >>> [plateau.step(m) for m in [3.0, 2.0, 2.0, 2.0, 2.0, 1.0]]
        [1.0, 1.0, 1.0, 0.5, 0.5, 0.5]
        >>> plateau.lr
        0.5

    References:
        PyTorch ``torch.optim.lr_scheduler.ReduceLROnPlateau``: the same lr sequence
        for the same metric sequence.
    """

    def __init__(
        self,
        lr: LR,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float = 0.0,
        eps: float = 1e-8,
    ) -> None:
        if np.ndim(lr) == 0:
            lr = check_nonnegative("lr", lr)
        else:
            lr = np.array(lr, dtype=float)
            if not np.all(np.isfinite(lr) & (lr >= 0)):
                raise ValueError(f"lr must be finite and non-negative, got {lr=!r}")
        self.mode = check_choice("mode", mode, ("min", "max"))
        self.factor = check_interval("factor", factor, 0.0, 1.0, closed="neither")
        self.patience = check_int("patience", patience, minimum=0)
        self.threshold = check_nonnegative("threshold", threshold)
        self.threshold_mode = check_choice("threshold_mode", threshold_mode, ("rel", "abs"))
        self.cooldown = check_int("cooldown", cooldown, minimum=0)
        self.min_lr = check_nonnegative("min_lr", min_lr)
        self.eps = check_nonnegative("eps", eps)
        self._lr = np.asarray(lr, dtype=float)
        self._best = np.full(self._lr.shape, math.inf if self.mode == "min" else -math.inf)
        self._num_bad = np.zeros(self._lr.shape, dtype=np.int64)
        self._cooldown_left = np.zeros(self._lr.shape, dtype=np.int64)

    @staticmethod
    def _out(value: np.ndarray) -> Any:
        return value.item() if value.ndim == 0 else value.copy()

    @property
    def lr(self) -> LR:
        return self._out(self._lr)

    @property
    def best(self) -> float | np.ndarray:
        return self._out(self._best)

    @property
    def num_bad_epochs(self) -> int | np.ndarray:
        return self._out(self._num_bad)

    @property
    def cooldown_counter(self) -> int | np.ndarray:
        return self._out(self._cooldown_left)

    def _is_better(self, m: np.ndarray, best: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):  # inf * 0 when threshold is 1: never better
            if self.mode == "min" and self.threshold_mode == "rel":
                return m < best * (1.0 - self.threshold)
            if self.mode == "min":
                return m < best - self.threshold
            if self.threshold_mode == "rel":
                return m > best * (self.threshold + 1.0)
            return m > best + self.threshold

    def step(self, metric: float | np.ndarray) -> LR:
        """Record one metric value and return the learning rate for what follows.

        Args:
            metric: the monitored quantity (a float, or an array matching ``lr``).

        Returns:
            The new learning rate (also ``self.lr``).
        """
        try:
            m = np.asarray(metric, dtype=float)
        except (TypeError, ValueError) as err:
            raise TypeError(f"metric must be a real number or an array, got {metric=!r}") from err
        try:
            shape = np.broadcast_shapes(m.shape, self._lr.shape)
        except ValueError:
            shape = None
        if shape != self._lr.shape:
            raise ValueError(
                f"metric must broadcast to the shape {self._lr.shape} of lr, "
                f"got metric of shape {m.shape}"
            )
        # 1) compare with the best so far
        better = self._is_better(m, self._best)
        self._best = np.where(better, m, self._best)
        num_bad = np.where(better, 0, self._num_bad + 1)
        # 2) bad steps do not count during a cooldown
        in_cooldown = self._cooldown_left > 0
        cooldown_left = np.where(in_cooldown, self._cooldown_left - 1, self._cooldown_left)
        num_bad = np.where(in_cooldown, 0, num_bad)
        # 3) out of patience: cut the lr (unless the cut is below eps), start a cooldown
        cut = num_bad > self.patience
        new_lr = np.maximum(self._lr * self.factor, self.min_lr)
        self._lr = np.where(cut & (self._lr - new_lr > self.eps), new_lr, self._lr)
        self._cooldown_left = np.where(cut, self.cooldown, cooldown_left)
        self._num_bad = np.where(cut, 0, num_bad)
        return self.lr

    def __repr__(self) -> str:
        return (
            f"ReduceLROnPlateau(lr={self.lr!r}, mode={self.mode!r}, factor={self.factor!r}, "
            f"patience={self.patience!r}, threshold={self.threshold!r}, "
            f"threshold_mode={self.threshold_mode!r}, cooldown={self.cooldown!r}, "
            f"min_lr={self.min_lr!r}, eps={self.eps!r})"
        )
