"""Figures of chapter 4 (learning-rate schedules): pure ``plot_*`` functions returning a Figure.

Each function draws one whole figure of the chapter from arrays the notebook computed,
in the house style (:func:`lrbook.style.style`), and tells the methods apart by line style
and marker as well as by colour. Panels are stacked vertically when there are more than
two, so the text stays readable at phone width. Every function takes ``ax`` (keyword-only):
a sequence of axes to draw into (one per panel) instead of a new figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter

from ._figure import _hangul_first, _panels
from .style import COLORS, DIVERGED, LINESTYLES, MARKERS, style

__all__ = [
    "plot_schedule_shapes",
    "plot_noise_floor",
    "plot_peak_sweep",
    "plot_plateau",
    "plot_comparison",
    "plot_warmup_map",
    "plot_warmup_sharpness",
]

Array = np.ndarray


def _look(i: int) -> dict[str, Any]:
    """Colour, marker and line style of method ``i``: three cues, not colour alone.

    Past the seventh method the colours repeat, with another line style and hollow markers.
    """
    look = {
        "color": COLORS[i % len(COLORS)],
        "marker": MARKERS[i % len(MARKERS)],
        "ls": LINESTYLES[(i // len(COLORS) + i) % len(LINESTYLES)],
    }
    if i >= len(COLORS):
        look["mfc"] = "white"
    return look


def _plain_log_ticks(a: Axes, ticks: Array) -> None:
    """Label a log x axis at ``ticks`` with plain numbers (0.03, 1, 4) and no minor labels."""
    a.set_xticks(ticks, [f"{v:g}" for v in ticks])
    a.xaxis.set_minor_formatter(NullFormatter())


def _mapping(name: str, value: Any) -> dict[str, Array]:
    if not isinstance(value, Mapping) or not value:
        raise TypeError(f"{name} must be a non-empty dict label -> array, got {name}={value!r}")
    return {str(k): np.asarray(v, dtype=float) for k, v in value.items()}


def _mean_loss_curves(
    a: Axes, race: Mapping[str, Array], title: str, floors: Mapping[str, float] | None = None
) -> None:
    """The mean loss curves of a race on a log y axis, each with its floor if one is given."""
    floors = floors or {}
    for i, (name, y) in enumerate(race.items()):
        a.semilogy(
            np.arange(y.size),
            y,
            label=name,
            lw=1.8,
            markevery=max(1, y.size // 10),
            ms=5,
            **_look(i),
        )
        if name in floors:
            a.axhline(floors[name], color=COLORS[i % len(COLORS)], ls=":", lw=1.2)
    a.set_xlabel("스텝 t")
    a.set_ylabel("평균 손실")
    a.set_title(title)
    a.legend(fontsize=9)


def plot_schedule_shapes(
    shapes: Mapping[str, Any],
    groups: Sequence[Sequence[str]],
    titles: Sequence[str],
    *,
    ax: Sequence[Axes] | None = None,
) -> Figure:
    r"""Schedules :math:`\eta_t/\eta_{\max}`, one group per panel, the panels stacked (each
    keeps a readable size at phone width).

    Args:
        shapes: ``{name: (T,) array of lrs}``.
        groups: the names of each panel.
        titles: one title per panel.
        ax: one axes per panel instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> t = np.arange(10)
        >>> fig = plot_schedule_shapes({"a": 1 + 0 * t, "b": 1 / (1 + t)}, [["a"], ["b"]],
        ...                            ["A", "B"])
        >>> [a.get_lines()[0].get_label() for a in fig.axes]
        ['a', 'b']
    """
    curves = _mapping("shapes", shapes)
    if len(groups) != len(titles):
        raise ValueError(f"titles needs one title per group ({len(groups)}), got {titles=}")
    order = list(curves)
    with style():
        fig, axes = _panels(ax, len(groups), (6.4, 3.5 * len(groups)))
        for a, group, title in zip(axes, groups, titles, strict=True):
            for name in group:
                if name not in curves:
                    raise ValueError(f"groups names {name!r}, which is not in shapes")
                y = curves[name]
                look = _look(order.index(name))
                a.plot(
                    np.arange(y.size),
                    y,
                    label=name,
                    lw=1.8,
                    markevery=max(1, y.size // 8),
                    ms=5,
                    **look,
                )
            a.set_title(title)
            a.set_xlabel("스텝 t")
            a.set_ylim(-0.03, 1.4)
            a.set_ylabel(r"$\eta_t / \eta_{\max}$")
            a.legend(loc="upper center", ncol=2, fontsize=9)
    return fig


def plot_noise_floor(
    lrs: Any,
    measured: Any,
    theory_lrs: Any,
    theory: Any,
    curves: Mapping[str, Any],
    floors: Mapping[str, float],
    *,
    ax: Sequence[Axes] | None = None,
) -> Figure:
    r"""The measured noise floor against the closed form (top), loss curves and floors (bottom).

    The two panels are stacked, so that each keeps a readable size at phone width.

    Args:
        lrs, measured: the constant learning rates and their measured floors.
        theory_lrs, theory: a fine grid and :func:`lrbook.noise_floor` on it.
        curves: ``{name: (T+1,) mean loss}`` of the race.
        floors: ``{name: floor}`` drawn as dotted horizontal lines in the colour of the
            curve of the same name.
        ax: two axes instead of a new figure.

    Returns:
        The figure.
    """
    race = _mapping("curves", curves)
    with style():
        fig, (a0, a1) = _panels(ax, 2, (6.4, 7.0))
        a0.loglog(lrs, measured, "o", ms=7, label="측정", color=COLORS[0])
        a0.loglog(theory_lrs, theory, "k-", lw=1.2, label="식의 잡음 바닥")
        a0.set_xlabel("학습률 η")
        a0.set_ylabel("오래 돌린 뒤의 평균 손실")
        a0.set_title("잡음 바닥은 η에 비례")
        a0.legend()
        _mean_loss_curves(a1, race, "같은 잡음, 네 가지 학습률", floors)
    return fig


def plot_peak_sweep(
    peaks: Any,
    panels: Mapping[str, Mapping[str, Any]],
    *,
    edge: float | None = None,
    ax: Sequence[Axes] | None = None,
) -> Figure:
    r"""Final loss against the peak learning rate, one line per schedule, one panel per setting.

    The panels are stacked (each keeps a readable size at phone width, and the panels'
    learning-rate axes line up), each with its own y label. A non-finite score (a diverged
    run) is drawn as a red × on the top edge of the panel.

    Args:
        peaks: ``(G,)`` peak learning rates.
        panels: ``{title: {schedule: (G,) scores}}``.
        edge: draws a dashed vertical line at this learning rate (e.g. :math:`2/\lambda_{\max}`).
        ax: one axes per panel instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> fig = plot_peak_sweep([0.1, 0.2, 0.4], {"P": {"a": [2.0, 1.0, np.inf]}}, edge=0.3)
        >>> line = fig.axes[0].get_lines()[0]
        >>> line.get_label(), line.get_ydata().tolist()
        ('a', [2.0, 1.0])
    """
    x = np.asarray(peaks, dtype=float)
    if not isinstance(panels, Mapping) or not panels:
        raise TypeError(f"panels must be a dict title -> {{name: scores}}, got {panels=}")
    with style():
        fig, axes = _panels(ax, len(panels), (6.4, 3.5 * len(panels)))
        for a, (title, scores) in zip(axes, panels.items(), strict=True):
            s = _mapping("panels[...]", scores)
            top = max(float(np.max(v[np.isfinite(v)], initial=1.0)) for v in s.values())
            for i, (name, y) in enumerate(s.items()):
                ok = np.isfinite(y)
                a.loglog(x[ok], y[ok], label=name, ms=4, lw=1.6, **_look(i))
                a.plot(
                    x[~ok], np.full((~ok).sum(), 2 * top), "x", color=DIVERGED, ms=7, gid="diverged"
                )
            if edge is not None:
                a.axvline(edge, color="0.4", ls="--", lw=1)
                a.annotate(
                    r"$2/\lambda_{\max}$",
                    (edge, 2 * top),
                    xytext=(3, -12),
                    textcoords="offset points",
                    fontsize=9,
                    color="0.3",
                )
            marks = np.array([0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0])
            _plain_log_ticks(a, marks[(marks >= x.min()) & (marks <= x.max())])
            a.set_xlabel(r"최대 학습률 $\eta_{\max}$ (×: 발산)", fontfamily=_hangul_first())
            a.set_title(title)
            a.set_ylabel("창 평균 최종 손실")
        axes[-1].legend(fontsize=8, loc="lower left")
    return fig


def plot_plateau(
    lrs: Any,
    curves: Mapping[str, Any],
    *,
    ax: Sequence[Axes] | None = None,
) -> Figure:
    r"""ReduceLROnPlateau's learning rates of a few repeats (top), mean loss curves (bottom).

    The two panels are stacked, so that each keeps a readable size at phone width.

    Args:
        lrs: ``(T, R)`` learning rates of ``R`` repeats.
        curves: ``{name: (T+1,) mean loss}``.
        ax: two axes instead of a new figure.

    Returns:
        The figure.
    """
    eta = np.asarray(lrs, dtype=float)
    race = _mapping("curves", curves)
    with style():
        fig, (a0, a1) = _panels(ax, 2, (6.4, 7.0))
        for r in range(eta.shape[1]):
            a0.step(
                np.arange(eta.shape[0]),
                eta[:, r],
                where="post",
                label=f"반복 {r + 1}",
                color=COLORS[r % len(COLORS)],
                ls=LINESTYLES[r % len(LINESTYLES)],
            )
        a0.set_yscale("log")
        # plain numbers (0.1, 0.05) rather than 10⁻¹ and 5×10⁻²; minor ticks labelled at 2 and 5
        a0.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        a0.yaxis.set_minor_formatter(
            FuncFormatter(lambda v, _: f"{v:g}" if f"{v:.0e}"[0] in "25" else "")
        )
        a0.set_xlabel("스텝 t")
        a0.set_ylabel(r"학습률 $\eta_t$", fontfamily=_hangul_first())
        a0.set_title("반복마다 다른 때에 줄어든 학습률")
        a0.legend(fontsize=9)
        _mean_loss_curves(a1, race, "평균 손실")
    return fig


def plot_comparison(
    comparison: Any,
    grid: Any,
    *,
    xlabel: str = r"최대 학습률 $\eta_{\max}$",
    ax: Sequence[Axes] | None = None,
) -> Figure:
    r"""A tuned, paired comparison (:func:`lrbook.compare`): tuning curves and paired intervals.

    Top: each method's seed-averaged score over the grid, its best value ringed. Bottom:
    each method's paired difference from the reference at the tuned values, with its 95 %
    interval; the dashed line is 0 (an interval across it: no detectable difference).

    Args:
        comparison: a :class:`lrbook.Comparison`.
        grid: the grid shared by the methods.
        xlabel: label of the grid axis.
        ax: two axes instead of a new figure.

    Returns:
        The figure.
    """
    rows = comparison.rows
    x = np.asarray(grid, dtype=float)
    with style():
        fig, (a0, a1) = _panels(ax, 2, (7.0, 7.6))
        for i, r in enumerate(rows):
            look = _look(i)
            a0.semilogx(x, r.tuned.means, label=r.method, ms=4, lw=1.4, **look)
            a0.plot(
                x[r.tuned.index],
                r.tuned.means[r.tuned.index],
                "o",
                ms=11,
                mfc="none",
                color=look["color"],
                gid="best",
            )
        _plain_log_ticks(a0, x)
        a0.set_xlabel(xlabel, fontfamily=_hangul_first())
        a0.set_ylabel("점수 (시드 평균)")
        a0.set_title("방법마다 격자 위에서 고른 최적값(동그라미)")
        a0.legend(fontsize=8, ncol=3, loc="upper center")
        others = [r for r in rows if r.diff is not None]
        ys = np.arange(len(others))[::-1]
        for y, r in zip(ys, others, strict=True):
            i = rows.index(r)
            a1.errorbar(
                r.diff.mean,
                y,
                xerr=[[r.diff.mean - r.diff.low], [r.diff.high - r.diff.mean]],
                fmt=MARKERS[i % len(MARKERS)],
                color=COLORS[i % len(COLORS)],
                capsize=4,
            )
        a1.axvline(0.0, color="k", ls="--", lw=1)
        a1.set_yticks(ys, [r.method for r in others])
        a1.set_xlabel(f"{comparison.reference}과의 차이 (같은 시드, 95% 구간)")
        a1.set_title(f"시드 {comparison.seeds}개의 쌍별 차이")
    return fig


def plot_warmup_map(
    peaks: Any,
    warmups: Any,
    fraction: Any,
    *,
    ax: Axes | None = None,
) -> Figure:
    r"""Which (peak, warmup length) pairs train: the fraction of seeds, as a heat map.

    Args:
        peaks: ``(G,)`` peak learning rates (columns).
        warmups: ``(W,)`` warmup lengths in steps (rows).
        fraction: ``(W, G)`` fraction of seeds that trained, in [0, 1]; each cell is
            also written as a number, so the map does not depend on colour.
        ax: an axes instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> fig = plot_warmup_map([1.0, 2.0], [0, 5], [[1.0, 0.0], [1.0, 0.5]])
        >>> [t.get_text() for t in fig.axes[0].texts]
        ['1', '0', '1', '0.5']
    """
    p = np.asarray(peaks, dtype=float)
    w = np.asarray(warmups)
    frac = np.asarray(fraction, dtype=float)
    if frac.shape != (w.size, p.size):
        raise ValueError(
            f"fraction must have shape (warmups, peaks) = {(w.size, p.size)}, got {frac.shape}"
        )
    with style():
        if ax is None:
            fig, a = plt.subplots(figsize=(7.0, 3.6), layout="constrained")
            plt.close(fig)
        else:
            fig, a = ax.figure, ax
        a.grid(False)
        image = a.imshow(frac, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto", origin="lower")
        for (r, c), v in np.ndenumerate(frac):
            a.text(
                c,
                r,
                f"{v:.2g}",
                ha="center",
                va="center",
                fontsize=8,
                color="white" if v > 0.6 else "black",
            )
        a.set_xticks(np.arange(p.size), [f"{v:.3g}" for v in p], rotation=45)
        a.set_yticks(np.arange(w.size), [str(v) for v in w])
        a.set_xlabel(r"최대 학습률 $\eta_{\mathrm{peak}}$", fontfamily=_hangul_first())
        a.set_ylabel("워밍업 길이 W (스텝)")
        fig.colorbar(image, ax=a, label="학습된 시드의 비율")
    return fig


def plot_warmup_sharpness(
    steps: Any,
    sharpness: Mapping[str, Any],
    lrs: Mapping[str, Any],
    losses: Mapping[str, Any],
    *,
    ax: Sequence[Axes] | None = None,
) -> Figure:
    r"""Top: full-batch loss. Bottom: sharpness :math:`\lambda_{\max}` and :math:`2/\eta_t`.

    Gradient descent is stable while :math:`\lambda_{\max} < 2/\eta_t`; a warmup keeps
    :math:`2/\eta_t` high while the sharpness falls.

    Args:
        steps: ``(n,)`` steps at which the sharpness was measured.
        sharpness: ``{name: (n,) sharpness}``.
        lrs: ``{name: (T,) learning rates}``; ``2/lr`` is drawn dashed in the same colour.
        losses: ``{name: (T+1,) loss}``.
        ax: two axes instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> fig = plot_warmup_sharpness([0, 2], {"a": [3.0, 1.0]}, {"a": [1.0, 1.0, 1.0]},
        ...                             {"a": [2.0, 1.5, 1.2, 1.0]})
        >>> fig.axes[1].get_lines()[0].get_ydata().tolist()
        [3.0, 1.0]
    """
    sharp = _mapping("sharpness", sharpness)
    eta = _mapping("lrs", lrs)
    loss = _mapping("losses", losses)
    s = np.asarray(steps)
    with style():
        fig, (a0, a1) = _panels(ax, 2, (7.0, 6.4))
        for i, name in enumerate(sharp):
            look = _look(i)
            a0.semilogy(
                np.arange(loss[name].size),
                loss[name],
                label=name,
                color=look["color"],
                ls=look["ls"],
                lw=1.8,
            )
            a1.plot(s, sharp[name], label=rf"$\lambda_{{\max}}$: {name}", ms=5, **look)
            with np.errstate(divide="ignore"):
                edge = np.where(eta[name] > 0, 2.0 / eta[name], np.nan)
            a1.plot(
                np.arange(eta[name].size),
                edge,
                color=look["color"],
                ls=":",
                lw=1.6,
                label=rf"$2/\eta_t$: {name}",
            )
        a0.set_ylabel("전체 배치 손실")
        a0.set_title("손실")
        a0.legend(fontsize=9)
        top = 1.6 * max(float(np.nanmax(v)) for v in sharp.values())
        a1.set_ylim(0.0, top)
        a1.set_xlabel("스텝 t")
        a1.set_ylabel(r"샤프니스 $\lambda_{\max}$", fontfamily=_hangul_first())
        a1.set_title(r"샤프니스와 안정 한계 $2/\eta_t$", fontfamily=_hangul_first())
        a1.legend(ncol=2, prop={"family": _hangul_first(), "size": 8})
    return fig
