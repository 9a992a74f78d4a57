r"""Figures of chapter 5 (loss landscapes): pure ``plot_*`` functions returning a Figure.

Each takes the arrays that the chapter computes and draws one figure of the book in the
house style. Two-panel figures are stacked vertically (readable at phone width) and take
``ax`` as a pair of axes; lines are told apart by line style and marker, not colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

from ._figure import _finite
from .style import COLORS, DIVERGED, LINESTYLES, MARKERS, style

__all__ = [
    "plot_flat_sharp",
    "plot_saddle_escape",
    "plot_lr_sensitivity",
    "plot_edge_of_stability",
    "plot_preconditioned_sharpness",
]

Array = np.ndarray


def _pair(ax: Any, figsize: tuple[float, float]) -> tuple[Figure, Axes, Axes]:
    """Two stacked axes: new ones, or the pair given as ``ax``."""
    if ax is None:
        fig, (top, bottom) = plt.subplots(2, 1, figsize=figsize, layout="constrained")
        plt.close(fig)
        return fig, top, bottom
    if isinstance(ax, Axes) or len(ax) != 2 or not all(isinstance(a, Axes) for a in ax):
        raise TypeError(f"ax must be a pair of matplotlib Axes or None, got ax={ax!r}")
    return ax[0].figure, ax[0], ax[1]


def _single(ax: Any, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is None:
        fig, one = plt.subplots(figsize=figsize, layout="constrained")
        plt.close(fig)
        return fig, one
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got ax={ax!r}")
    return ax.figure, ax


def _log_ticks(axis: Any, ticks: Sequence[float]) -> None:
    axis.set_ticks(list(ticks), [f"{v:g}" for v in ticks])
    axis.set_minor_formatter(NullFormatter())


def _lr_look(k: int, eta: float, n: int) -> dict[str, Any]:
    """Line style, marker, colour and label of run ``k`` at learning rate ``eta``, ``n`` points."""
    return {
        "ls": LINESTYLES[k],
        "marker": MARKERS[k],
        "ms": 3,
        "markevery": max(1, n // 12),
        "color": COLORS[k],
        "label": f"η = {eta:g}",
    }


def plot_flat_sharp(
    f: Any,
    paths: Sequence[Array],
    labels: Sequence[str],
    lrs: Array,
    fractions: Array,
    thresholds: tuple[float, float],
    *,
    ax: Sequence[Axes] | None = None,
) -> Figure:
    r"""Two paths on a flat/sharp landscape (top) and where runs settle against
    :math:`\eta` (bottom).

    Args:
        f: a 1-D landscape with a flat and a sharp minimum (:func:`lrbook.flat_sharp`).
        paths: one 1-D path of :math:`\theta_t` per label.
        labels: their legend names.
        lrs: the learning rates of the sweep, ``(K,)``.
        fractions: ``(3, K)``: the fraction of starts ending in the flat minimum, the
            sharp one, and neither.
        thresholds: :math:`2/\lambda` of the flat and of the sharp minimum (dashed lines).
        ax: a pair of axes to draw into (top, bottom).

    Returns:
        The figure.

    Example:
        >>> import lrbook as lrb
        >>> fig = plot_flat_sharp(lrb.flat_sharp(), [np.array([1.6, -1.0])], ["η = 0.5"],
        ...                       np.array([0.05, 0.5]), np.array([[0.6, 1], [0.4, 0], [0, 0]]),
        ...                       (2.0, 0.1))
        >>> [line.get_label() for line in fig.axes[1].get_lines()][:3]
        ['평탄한 최솟값', '날카로운 최솟값', '도착 못 함']
    """
    fractions = np.asarray(fractions, dtype=float)
    if fractions.shape != (3, len(lrs)):
        raise ValueError(f"fractions must have shape (3, {len(lrs)}), got {fractions.shape}")
    with style():
        fig, top, bottom = _pair(ax, (7.0, 7.4))
        grid = np.linspace(-2.6, 2.6, 400)
        top.plot(grid, f.value(grid[:, None]), color="0.4", lw=1.2)
        for k, (path, name) in enumerate(zip(paths, labels, strict=True)):
            x = _finite(path).ravel()
            top.plot(
                x,
                f.value(x[:, None]),
                ls=LINESTYLES[k],
                marker=MARKERS[k],
                ms=4,
                color=COLORS[k],
                label=name,
            )
        flat, sharp = thresholds
        top.text(
            0.02,
            0.97,
            f"θ = -1: 평탄 → η < {flat:g}\nθ = +1: 날카로움 → η < {sharp:g}",
            transform=top.transAxes,
            va="top",
            fontsize=10,
        )
        top.set_xlim(-2.6, 2.6)
        top.set_ylim(-0.1, 2.2)
        top.set_xlabel("θ")
        top.set_ylabel("손실 J(θ)")
        top.set_title("같은 출발점, 두 학습률")
        top.legend(loc="upper center", fontsize=10)
        names = ("평탄한 최솟값", "날카로운 최솟값", "도착 못 함")
        colors = (COLORS[0], COLORS[1], DIVERGED)
        for i, (name, color) in enumerate(zip(names, colors, strict=True)):
            bottom.semilogx(
                lrs,
                fractions[i],
                marker=MARKERS[i],
                ls=LINESTYLES[i],
                ms=4,
                color=color,
                label=name,
            )
        for value, text in zip(thresholds, ("2/λ 평탄", "2/λ 날카로움"), strict=True):
            bottom.axvline(value, color="k", ls="--", lw=1)
            bottom.text(
                value,
                1.02,
                text,
                fontsize=10,
                ha="center",
                va="bottom",
                transform=bottom.get_xaxis_transform(),
            )
        bottom.set_ylim(-0.03, 1.03)
        bottom.set_xlabel("학습률 η (로그 눈금)")
        bottom.set_ylabel("도착한 출발점의 비율")
        bottom.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=3, fontsize=10)
    return fig


def plot_saddle_escape(
    losses: Array,
    curve_lrs: Sequence[float],
    lrs: Array,
    escape: Array,
    theory: Array,
    *,
    threshold: float,
    ax: Sequence[Axes] | None = None,
) -> Figure:
    r"""The plateau near a saddle (top) and the escape time against :math:`\eta` (bottom).

    Args:
        losses: ``(T, K)`` loss curves, one per value of ``curve_lrs`` (log x from step 1).
        curve_lrs: their learning rates.
        lrs: the learning rates of the escape sweep, ``(M,)``.
        escape: the measured escape steps, ``(M,)`` (markers).
        theory: the predicted escape steps at ``lrs`` (a line).
        threshold: :math:`2/\lambda_+`, the stability limit (a dashed line).
        ax: a pair of axes (top, bottom).

    Returns:
        The figure.

    Example:
        >>> fig = plot_saddle_escape(np.zeros((5, 1)), [0.1], np.array([0.1, 1.0]),
        ...                          np.array([70, 10]), np.array([72.0, 10.0]), threshold=2.0)
        >>> fig.axes[1].get_lines()[0].get_ydata().tolist()
        [70, 10]
    """
    losses = _finite(losses)
    with style():
        fig, top, bottom = _pair(ax, (7.0, 7.4))
        t = np.arange(1, losses.shape[0] + 1)
        for k, eta in enumerate(curve_lrs):
            loss = np.where(losses[:, k] > -1.0, losses[:, k], np.nan)
            top.semilogx(t, loss, ls=LINESTYLES[k], color=COLORS[k], label=f"η = {eta:g}")
        top.axhline(0, color="0.5", lw=0.8)
        top.text(1.2, -0.06, "안장점의 손실 J = 0", fontsize=10, color="0.35", va="top")
        top.set_ylim(-1.0, 0.6)
        top.set_xlabel("스텝 t + 1 (로그 눈금)")
        top.set_ylabel("손실 J(θ_t)")
        top.set_title("안장점 근처의 고원(plateau)")
        top.legend(loc="lower left", fontsize=10)
        bottom.loglog(lrs, escape, "o", ms=5, color=COLORS[0], label="측정: 탈출까지의 스텝")
        bottom.loglog(lrs, theory, "k-", lw=1, label="식의 값 (ln(1/|y₀|) / ln(1 + η))")
        bottom.axvline(threshold, color=DIVERGED, ls="--", lw=1.2)
        bottom.text(threshold / 1.1, np.nanmax(escape) / 3, "2/λ₊", color=DIVERGED, ha="right")
        bottom.set_xlabel("학습률 η")
        bottom.set_ylabel("탈출에 걸린 스텝 수")
        bottom.set_title("작은 η일수록 오래 갇힙니다")
        bottom.legend(loc="lower left", fontsize=10)
    return fig


def plot_lr_sensitivity(
    rel: Array,
    n_steps: Array,
    kappas: Array,
    cliff: Array,
    upper: Array,
    *,
    show: Sequence[int] = (1, 3, 5),
    ax: Sequence[Axes] | None = None,
) -> Figure:
    r"""Steps to converge against :math:`\eta/\eta^\star` (top) and the room above
    :math:`\eta^\star` against :math:`\kappa` (bottom).

    Args:
        rel: :math:`\eta/\eta^\star`, ``(R,)``.
        n_steps: ``(len(kappas), R)`` steps to the tolerance (0: never reached).
        kappas: the condition numbers.
        cliff: the largest stable :math:`\eta/\eta^\star - 1` per :math:`\kappa`.
        upper: the largest :math:`\eta/\eta^\star - 1` within twice the fewest steps.
        show: the rows of ``n_steps`` drawn on top.
        ax: a pair of axes (top, bottom).

    Returns:
        The figure.

    Example:
        >>> fig = plot_lr_sensitivity(np.array([0.5, 1.0]), np.array([[20, 10]]),
        ...                           np.array([10.0]), np.array([0.1]), np.array([0.05]),
        ...                           show=(0,))
        >>> fig.axes[0].get_lines()[0].get_ydata().tolist()
        [2.0, 1.0]
    """
    n_steps = np.asarray(n_steps)
    with style():
        fig, top, bottom = _pair(ax, (7.0, 7.6))
        for c, i in enumerate(show):
            ok = n_steps[i] > 0
            best = n_steps[i, ok].min()
            top.semilogy(
                rel[ok],
                n_steps[i, ok] / best,
                ls=LINESTYLES[c],
                color=COLORS[c],
                label=f"κ = {kappas[i]:g}",
            )
            top.plot(rel[ok][-1], n_steps[i, ok][-1] / best, "x", color=DIVERGED, ms=9, mew=2)
        top.axhline(2, color="0.5", ls=":", lw=1)
        top.text(0.72, 2.1, "최소의 2배", color="0.4", fontsize=10)
        top.set_xlim(0.3, 1.15)
        top.set_ylim(0.9, 5)
        _log_ticks(top.yaxis, [1, 2, 3, 5])
        top.set_xlabel("η / η*")
        top.set_ylabel("스텝 수 / 최소 스텝 수")
        top.set_title("η* 아래는 완만, 위는 절벽 (× = 발산 직전)")
        top.legend(loc="upper center", fontsize=10)
        fine = np.geomspace(kappas[0], kappas[-1], 100)
        bottom.loglog(kappas, cliff, "s", color=DIVERGED, label="측정: 발산 직전까지의 여유")
        bottom.loglog(fine, 1 / fine, "-", color=DIVERGED, lw=1, label="1/κ")
        bottom.loglog(kappas, upper, "o", color=COLORS[0], label="측정: 스텝 2배까지의 여유")
        bottom.loglog(fine, 1 / (2 * fine), "--", color=COLORS[0], lw=1, label="1/(2κ)")
        bottom.set_xlabel("조건수 κ")
        bottom.set_ylabel("η*보다 위로 허용되는 비율")
        bottom.set_title("κ가 클수록 η*의 위쪽 여유가 사라집니다")
        bottom.legend(loc="lower left", fontsize=10)
    return fig


def plot_edge_of_stability(
    steps: Array,
    sharpness: Array,
    losses: Array,
    lrs: Sequence[float],
    *,
    ax: Sequence[Axes] | None = None,
) -> Figure:
    r"""Sharpness against :math:`2/\eta` (top) and the loss (bottom) of full-batch gradient
    descent at several learning rates: one line style and marker per :math:`\eta`.

    Args:
        steps: the steps of the sharpness measurements, ``(n,)``.
        sharpness: ``(n, K)``.
        losses: ``(T, K)`` loss at every step.
        lrs: the ``K`` learning rates (each gets a dotted :math:`2/\eta` line, labelled at
            the right).
        ax: a pair of axes (top, bottom).

    Returns:
        The figure.

    Example:
        >>> fig = plot_edge_of_stability(np.array([0, 10]), np.array([[3.0], [9.0]]),
        ...                              np.full((11, 1), 0.1), [0.2])
        >>> [l.get_gid() for l in fig.axes[0].get_lines()]
        ['sharpness', 'threshold']
    """
    sharpness, losses = _finite(sharpness), _finite(losses)
    with style():
        fig, top, bottom = _pair(ax, (7.0, 7.2))
        t = np.arange(losses.shape[0])
        for k, eta in enumerate(lrs):
            color = COLORS[k]
            top.plot(steps, sharpness[:, k], gid="sharpness", **_lr_look(k, eta, len(steps)))
            top.axhline(2 / eta, color=color, ls=":", lw=1.3, gid="threshold")
            top.text(t[-1], 2 / eta, f" 2/{eta:g}", color=color, va="center", fontsize=10)
            bottom.plot(
                t, losses[:, k], ls=LINESTYLES[k], color=color, lw=1.0, label=f"η = {eta:g}"
            )
        top.set_xlim(-0.02 * t[-1], 1.13 * t[-1])  # room for the labels at the right
        bottom.set_xlim(top.get_xlim())
        top.set_ylabel("샤프니스 S")
        top.set_title("샤프니스는 2/η(점선)까지 올라가 머뭅니다")
        top.legend(loc="lower right", fontsize=10)
        bottom.set_yscale("log")
        low, high = np.nanmin(losses), np.nanmax(losses)
        _log_ticks(bottom.yaxis, [v for v in (0.02, 0.05, 0.1, 0.2, 0.5, 1) if low <= v <= high])
        bottom.set_xlabel("스텝")
        bottom.set_ylabel("손실 (전체 배치)")
        bottom.legend(loc="upper right", fontsize=10)
    return fig


def plot_preconditioned_sharpness(
    steps: Array,
    sharpness: Array,
    lrs: Sequence[float],
    thresholds: Array,
    *,
    ax: Axes | None = None,
) -> Figure:
    r"""Adam's preconditioned sharpness :math:`\lambda_{\max}(P^{-1}H)` over steps, with
    the threshold :math:`(2 + 2\beta_1)/((1-\beta_1)\eta)` of each run (log y).

    Args:
        steps: measurement steps, ``(n,)``.
        sharpness: ``(n, K)``.
        lrs: the ``K`` learning rates.
        thresholds: ``(K,)`` the threshold of each run (dashed, labelled at the right).
        ax: the axes to draw into.

    Returns:
        The figure.

    Example:
        >>> fig = plot_preconditioned_sharpness(np.array([1, 21]), np.array([[100.0], [1800.0]]),
        ...                                     [0.02], np.array([1900.0]))
        >>> list(fig.axes[0].get_lines()[1].get_ydata())
        [1900.0, 1900.0]
    """
    sharpness = _finite(sharpness)
    with style():
        fig, ax = _single(ax, (7.0, 4.4))
        for k, eta in enumerate(lrs):
            color = COLORS[k]
            ax.semilogy(steps, sharpness[:, k], **_lr_look(k, eta, len(steps)))
            ax.axhline(float(thresholds[k]), color=color, ls="--", lw=1.2)
            ax.text(
                steps[-1],
                float(thresholds[k]) * 1.08,
                f"38/{eta:g}",
                color=color,
                ha="right",
                va="bottom",
                fontsize=10,
            )
        ax.set_xlabel("스텝")
        ax.set_ylabel("λ_max(P⁻¹H) (로그 눈금)")
        ax.set_title("Adam의 사전조건화된 샤프니스는 38/η에 머뭅니다")
        ax.legend(loc="lower right", fontsize=10)
    return fig
