"""Figures of the chapter on practice: learning-rate sweeps over seeds, the best learning
rate against the training length, the catapult, and Adam's step sizes.

Every function is pure: it takes arrays, draws in the house style of :mod:`lrbook.style`,
returns the Figure, and takes ``ax`` (or ``axes`` for the two-panel figure) keyword-only.
Curves differ by colour, marker and line style; non-finite values are masked and named in
a "발산" note.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ._figure import _axes, _finite, _new_figure, _note
from .stats import t_quantile
from .style import COLORS, DIVERGED, LINESTYLES, MARKERS, style

__all__ = [
    "plot_lr_curves",
    "plot_best_lr_by_length",
    "plot_catapult",
    "plot_step_fractions",
    "plot_styled_losses",
]

Array = np.ndarray


def _mean_band(values: Any, level: float = 0.95) -> tuple[Array, Array, Array]:
    """Mean over seeds (axis 0) and its Student-t interval; NaN where any seed is non-finite."""
    y = _finite(values)
    if y.ndim == 1:
        return y, y, y
    n = y.shape[0]
    mean = y.mean(axis=0)
    if n < 2:
        return mean, mean, mean
    half = t_quantile(0.5 + level / 2, n - 1) * y.std(axis=0, ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half


def _check_curves(curves: Any) -> dict[str, tuple[Array, Any]]:
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError(f"curves must be a non-empty dict {{label: (x, y)}}, got curves={curves!r}")
    out = {}
    for label, pair in curves.items():
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise ValueError(f"curves[{label!r}] must be a pair (x, y), got {pair!r}")
        x, y = np.asarray(pair[0], dtype=float), np.asarray(pair[1], dtype=float)
        if x.ndim != 1 or y.shape[-1] != x.size or y.ndim not in (1, 2):
            raise ValueError(
                f"curves[{label!r}] needs x of shape (K,) and y of shape (K,) or (seeds, K), "
                f"got shapes {x.shape} and {y.shape}"
            )
        out[str(label)] = (x, y)
    return out


def plot_lr_curves(
    curves: Mapping[str, tuple[Any, Any]],
    *,
    best: str | None = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    marks: Mapping[str, float] | None = None,
    logy: bool = True,
    xlabel: str = "학습률 η",
    ylabel: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    r"""A score against the learning rate, one curve per method: seed mean with its 95 % band.

    Each curve ``label -> (x, y)`` has ``x`` of shape ``(K,)`` and ``y`` of shape ``(K,)`` or
    ``(seeds, K)``; for seeds the line is the mean and the band its Student-t 95 %
    interval, :math:`\bar y \pm t_{0.975,\,n-1}\, s/\sqrt n`. A grid value where any seed is
    non-finite (a diverged run) is left out, and the legend names where the curve diverges;
    a curve that diverged everywhere is named in a "발산" note.

    Args:
        curves: ``{label: (x, y)}``; the i-th curve gets colour, marker and line style i.
        best: ``"min"`` or ``"max"`` stars the best mean of each curve; None draws no star.
        ranges: ``{label: (low, high)}`` shades that x range in the colour of the curve
            ``label`` (or grey for a label that is not a curve) and names it at the top.
        marks: ``{text: x}`` draws a dotted vertical line at ``x``, named ``text`` in the
            legend.
        logy: log y axis.
        xlabel, ylabel, title: axis texts.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> fig = plot_lr_curves({"a": ([0.1, 1.0], [[1.0, 2.0], [3.0, 4.0]])}, best="min")
        >>> fig.axes[0].get_lines()[0].get_ydata().tolist()
        [2.0, 3.0]
    """
    data = _check_curves(curves)
    if best not in (None, "min", "max"):
        raise ValueError(f"best must be 'min', 'max' or None, got best={best!r}")
    with style():
        fig, ax = _axes(ax)
        colors = {}
        failed = []
        for i, (label, (x, y)) in enumerate(data.items()):
            c = colors[label] = COLORS[i % len(COLORS)]
            mean, low, high = _mean_band(y)
            name = label
            if np.all(np.isnan(mean)):
                failed.append(label)
            elif np.any(np.isnan(mean)):
                name = f"{label} (η ≥ {x[np.isnan(mean)].min():.3g}: 발산)"
            ax.fill_between(x, low, high, color=c, alpha=0.2, lw=0)
            ax.plot(
                x,
                mean,
                color=c,
                marker=MARKERS[i % len(MARKERS)],
                ls=LINESTYLES[i % len(LINESTYLES)],
                ms=4,
                label=name,
                gid="lrbook-curve",
            )
            if best is not None and not np.all(np.isnan(mean)):
                k = int(np.nanargmin(mean) if best == "min" else np.nanargmax(mean))
                ax.plot([x[k]], [mean[k]], "*", color=c, ms=14, mec="k", mew=0.6, gid="lrbook-best")
        for j, (label, (lo, hi)) in enumerate((ranges or {}).items()):
            c = colors.get(label, "0.5")
            ax.axvspan(lo, hi, color=c, alpha=0.12, lw=0, gid="lrbook-range")
            ax.text(
                np.sqrt(lo * hi),
                0.98 - 0.09 * j,
                f"원문: {label}",
                color=c,
                ha="center",
                va="top",
                fontsize=9,
                transform=ax.get_xaxis_transform(),
            )
        for j, (text, x0) in enumerate((marks or {}).items()):
            c = COLORS[j % len(COLORS)]
            ax.axvline(x0, color=c, ls=":", lw=1.6, label=text, gid="lrbook-mark")
        ax.set_xscale("log")
        if logy:
            ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        if ylabel is not None:
            ax.set_ylabel(ylabel)
        if title is not None:
            ax.set_title(title)
        ax.legend(loc="best", fontsize=9)
        if failed:
            _note(ax, "발산: " + ", ".join(failed))
    return fig


def plot_best_lr_by_length(
    lengths: Any,
    best: Mapping[str, tuple[Any, Any, Any]],
    *,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    xlabel: str = "학습 길이 (에폭)",
    ylabel: str = "최적 학습률 η",
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    r"""The best learning rate against the training length, with its interval, per method.

    Args:
        lengths: the training lengths ``(L,)`` (e.g. epochs 1, 3, 10, 30).
        best: ``{label: (value, low, high)}``, each of shape ``(L,)``: the best learning rate
            and the ends of its interval at each length.
        ranges: ``{label: (low, high)}`` shades that band of learning rates in the colour of
            the curve ``label`` (the source's recommended range).
        xlabel, ylabel, title: axis texts.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> fig = plot_best_lr_by_length([1, 3], {"Adam": ([0.04, 0.02], [0.03, 0.01],
        ...                                                 [0.05, 0.03])})
        >>> fig.axes[0].get_lines()[0].get_ydata().tolist()
        [0.04, 0.02]
    """
    x = np.asarray(lengths, dtype=float)
    if x.ndim != 1 or x.size < 1 or np.any(x <= 0):
        raise ValueError(f"lengths must be a 1-D array of positive values, got lengths={lengths!r}")
    if not isinstance(best, Mapping) or not best:
        raise TypeError(
            f"best must be a non-empty dict {{label: (value, low, high)}}, got {best!r}"
        )
    with style():
        fig, ax = _axes(ax)
        colors = {}
        for i, (label, triple) in enumerate(best.items()):
            value, low, high = (np.asarray(a, dtype=float) for a in triple)
            if not value.shape == low.shape == high.shape == x.shape:
                raise ValueError(
                    f"best[{label!r}] needs three arrays of shape {x.shape}, got shapes "
                    f"{value.shape}, {low.shape}, {high.shape}"
                )
            c = colors[label] = COLORS[i % len(COLORS)]
            shift = 1.0 + 0.06 * (i - (len(best) - 1) / 2)  # side by side, not on top
            ax.vlines(x * shift, low, high, color=c, lw=2, gid="lrbook-interval")
            ax.plot(
                x * shift,
                value,
                color=c,
                marker=MARKERS[i % len(MARKERS)],
                ls=LINESTYLES[i % len(LINESTYLES)],
                ms=7,
                label=label,
                gid="lrbook-best-lr",
            )
        for label, (lo, hi) in (ranges or {}).items():
            c = colors.get(label, "0.5")
            ax.axhspan(lo, hi, color=c, alpha=0.12, lw=0, gid="lrbook-range")
            ax.text(
                x.max() * 1.15,
                np.sqrt(lo * hi),
                f"원문:\n{label}",
                color=c,
                va="center",
                fontsize=9,
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(x, [f"{v:g}" for v in x])
        ax.set_xlim(x.min() / 1.5, x.max() * 3.0)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if title is not None:
            ax.set_title(title)
        ax.legend(loc="lower left", fontsize=9)
    return fig


def plot_catapult(
    losses: Any,
    sharpness_steps: Any,
    stability: Any,
    labels: Sequence[str],
    *,
    initial_loss: float | None = None,
    axes: Sequence[Axes] | None = None,
) -> Figure:
    r"""The catapult: the loss (top) and :math:`\lambda_{\max}\eta/2` (bottom) over steps.

    Gradient descent is stable near :math:`\theta` only while
    :math:`\lambda_{\max}(\theta)\,\eta/2 < 1`. A run that starts above that line either
    diverges or is thrown (its loss spikes) into a flatter region where the line is met,
    and then trains: the catapult regime of Lewkowycz et al. (2020).

    Args:
        losses: ``(T+1, K)`` loss of each of K runs at steps ``0..T``.
        sharpness_steps: ``(M,)`` steps at which the sharpness was measured.
        stability: ``(M, K)`` values of :math:`\lambda_{\max}\eta/2` at those steps.
        labels: K legend names.
        initial_loss: draws a dotted line at this loss (e.g. :math:`\ln 10`).
        axes: two axes (top, bottom) to draw into instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> fig = plot_catapult([[2.3], [4.0], [1.0]], [0, 2], [[3.0], [0.8]], ["η = 3"])
        >>> fig.axes[1].get_lines()[0].get_ydata().tolist()
        [3.0, 0.8]

    References:
        Lewkowycz et al. (2020), "The large learning rate phase of deep learning: the
        catapult mechanism".
    """
    loss = _finite(losses)
    ratio = _finite(stability)
    marks = np.asarray(sharpness_steps, dtype=float)
    if loss.ndim != 2 or ratio.ndim != 2 or ratio.shape != (marks.size, loss.shape[1]):
        raise ValueError(
            f"losses must be (T+1, K) and stability (M, K) with M = len(sharpness_steps), got "
            f"shapes {loss.shape}, {ratio.shape} and {marks.shape}"
        )
    if len(labels) != loss.shape[1]:
        raise ValueError(f"labels must name the {loss.shape[1]} runs, got labels={labels!r}")
    with style():
        if axes is None:
            fig, (first,) = _new_figure((7.0, 6.0))
            first.remove()
            top, bottom = fig.subplots(2, 1, sharex=True)
        else:
            top, bottom = axes
            fig = getattr(top.figure, "figure", top.figure)
        steps = np.arange(loss.shape[0])
        for i, label in enumerate(labels):
            style_i = {
                "color": COLORS[i % len(COLORS)],
                "ls": LINESTYLES[i % len(LINESTYLES)],
                "marker": MARKERS[i % len(MARKERS)],
                "ms": 3,
                "label": label,
            }
            top.plot(steps, loss[:, i], gid="lrbook-loss", **style_i)
            bottom.plot(marks, ratio[:, i], gid="lrbook-stability", **style_i)
        if initial_loss is not None:
            top.axhline(initial_loss, color="0.4", ls=":", lw=1)
            top.text(
                steps[-1], initial_loss * 1.1, "처음 손실", color="0.4", ha="right", fontsize=9
            )
        bottom.axhline(1.0, color=DIVERGED, ls="--", lw=1.2, gid="lrbook-limit")
        bottom.text(steps[-1], 1.15, "안정성 한계 λη/2 = 1", color=DIVERGED, ha="right", fontsize=9)
        top.set_yscale("log")
        bottom.set_yscale("log")
        top.set_ylabel("학습 손실")
        bottom.set_ylabel("λ_max · η / 2")
        bottom.set_xlabel("스텝")
        top.legend(loc="lower left", fontsize=9)
    return fig


def plot_step_fractions(
    fractions: Any,
    guides: Mapping[str, Any] | None = None,
    *,
    quantiles: Sequence[float] = (10, 50, 90),
    ax: Axes | None = None,
) -> Figure:
    r"""The distribution over parameters of Adam's step :math:`|\Delta\theta_t|/\eta` per step.

    Draws the median and the band between the outer quantiles on a log step axis
    (steps counted from 1), and any guide curves (a warmup factor, RAdam's rectification
    :math:`r_t`) on the same scale.

    Args:
        fractions: ``(T, P)`` values :math:`|\Delta\theta_t|/\eta` of every parameter.
        guides: ``{label: (T,) array}`` drawn as lines (NaN entries are left out).
        quantiles: three percentiles (low, middle, high) of the band and the line.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> fig = plot_step_fractions([[1.0, 1.0, 0.0], [0.5, 0.2, 0.1]], quantiles=(0, 50, 100))
        >>> fig.axes[0].get_lines()[0].get_ydata().tolist()
        [1.0, 0.2]
    """
    r = _finite(fractions)
    if r.ndim != 2:
        raise ValueError(f"fractions must have shape (T, P), got shape {r.shape}")
    if len(quantiles) != 3 or not 0 <= quantiles[0] < quantiles[1] < quantiles[2] <= 100:
        raise ValueError(f"quantiles must be three increasing percentiles, got {quantiles!r}")
    q_low, q_mid, q_high = np.nanpercentile(r, quantiles, axis=1)
    t = np.arange(1, r.shape[0] + 1)
    with style():
        fig, ax = _axes(ax)
        ax.fill_between(
            t,
            q_low,
            q_high,
            color=COLORS[0],
            alpha=0.2,
            lw=0,
            label=f"Adam |Δθ|/η: {quantiles[0]:g}~{quantiles[2]:g}%",
        )
        ax.plot(t, q_mid, color=COLORS[0], lw=2, label="Adam |Δθ|/η: 중앙값", gid="lrbook-median")
        for i, (label, y) in enumerate((guides or {}).items(), start=1):
            ax.plot(
                t,
                _finite(y),
                color=COLORS[i % len(COLORS)],
                ls=LINESTYLES[i % len(LINESTYLES)],
                lw=1.8,
                label=label,
                gid="lrbook-guide",
            )
        ax.set_xscale("log")
        ax.set_ylim(0, 1.05)
        ax.set_xlabel("스텝 t")
        ax.set_ylabel("η에 대한 배율")
        ax.legend(loc="center right", fontsize=9)
    return fig


def plot_styled_losses(
    losses: Any,
    labels: Sequence[str],
    *,
    hlines: Mapping[str, tuple[float, str]] | None = None,
    ylabel: str = "미니배치 손실",
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Loss curves of :func:`lrbook.plotting.plot_losses`, one line style per run.

    The runs are told apart by line style (solid, dashed, dash-dot, dotted, ...) as well as
    colour; a run that diverged keeps its red × and "발산" note.

    Args:
        losses: ``(T+1, K)`` loss of each of K runs at steps ``0..T``.
        labels: K legend names.
        hlines: ``{legend name: (y, colour)}`` thin dotted reference lines (a threshold, the
            initial loss).
        ylabel: the y label.
        title: axes title.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> fig = plot_styled_losses([[2.0, 2.0], [1.0, 3.0]], ["a", "b"], hlines={"c": (2.5, "k")})
        >>> [ln.get_linestyle() for ln in fig.axes[0].get_lines() if ln.get_gid() == "loss"]
        ['-', '--']
    """
    from .plotting import plot_losses  # plotting re-exports this module

    curves = np.asarray(losses, dtype=float)
    if curves.ndim != 2 or len(labels) != curves.shape[1]:
        raise ValueError(
            f"losses must be (T+1, K) with one label per run, got shape {curves.shape} and "
            f"labels={labels!r}"
        )
    fig = plot_losses(curves, list(labels), title=title, ax=ax)
    axis = fig.axes[0] if ax is None else ax
    with style():
        runs = [line for line in axis.get_lines() if line.get_gid() == "loss"]
        for i, line in enumerate(runs):
            line.set_linestyle(LINESTYLES[i % len(LINESTYLES)])
        for name, (y, color) in (hlines or {}).items():
            axis.axhline(y, color=color, ls=":", lw=1.2, label=name, gid="lrbook-reference")
        axis.set(xlabel="스텝", ylabel=ylabel)
        axis.legend(loc="lower left", fontsize=9)
    return fig
