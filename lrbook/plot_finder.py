"""Figures of the LR range test chapter: suggestions on the curve, against a tuned sweep, as peaks.

Every function is pure (arrays in, a Figure out), draws in the house style of
:mod:`lrbook.style`, and tells the suggestion rules apart by marker as well as colour,
each named by a direct label. The labels sit in rows of their own near the top of the
axes, one row per rule, with a thin leader to the marker: they never overlap each other
and never leave the axes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from ._figure import _finite, _limits
from .style import COLORS, DIVERGED, MARKERS, style

__all__ = [
    "RULE_MARKERS",
    "plot_finder_smoothing",
    "plot_finder_rules",
    "plot_finder_sweep",
    "plot_peak_intervals",
    "plot_finder_sharpness",
    "plot_finder_quadratic",
]

Array = np.ndarray

#: Marker and colour of each fastai rule, the same in every figure of the chapter.
RULE_MARKERS = {
    "valley": (MARKERS[0], COLORS[1]),
    "steep": (MARKERS[1], COLORS[2]),
    "minimum": (MARKERS[2], COLORS[3]),
    "slide": (MARKERS[3], COLORS[4]),
}


def _rule_style(name: str, index: int) -> tuple[str, str]:
    return RULE_MARKERS.get(name, (MARKERS[index % len(MARKERS)], COLORS[index % len(COLORS)]))


def _figure(nrows: int, ncols: int, figsize: tuple[float, float], **kw: Any) -> tuple[Figure, Any]:
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, layout="constrained", **kw)
    plt.close(fig)
    return fig, np.atleast_1d(axes)


def _label_rows(ax: Axes, points: Sequence[tuple[str, float, float, str]], top: float) -> None:
    """Name each point in its own row (axes fraction ``top``, ``top - 0.09``, ...).

    Rows go from the leftmost point (top row) to the rightmost; a label starts at its
    point's x when the point is in the left half of the axes and ends there otherwise,
    so it stays inside the axes. A thin leader joins label and point.
    """
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    lo, hi = np.log(ax.get_xlim())
    for row, (name, x, y, color) in enumerate(sorted(points, key=lambda p: p[1])):
        left = (np.log(x) - lo) / (hi - lo) < 0.5
        ax.annotate(
            name,
            xy=(x, y),
            xycoords="data",
            xytext=(x, top - 0.1 * row),
            textcoords=trans,
            ha="left" if left else "right",
            va="center",
            color=color,
            fontsize=11,
            fontweight="bold",
            arrowprops={"arrowstyle": "-", "color": color, "lw": 0.8, "alpha": 0.7},
            gid="rule-label",
        )


def plot_finder_smoothing(
    lrs: Any,
    losses: Any,
    smoothed: Any,
    naive: Any,
    *,
    first: int = 16,
    diverge_th: float = 4.0,
    ax: Any = None,
) -> Figure:
    """What smoothing buys and costs: noise and lag (top), and the bias of a plain EMA (bottom).

    Top: minibatch losses (thin) and the debiased EMA (bold) against the learning rate,
    each minimum marked with its own marker. Bottom: the first ``first`` iterations, with
    the EMA without bias correction (dashed), its stopping line ``diverge_th`` times its
    running minimum (dotted) and the iteration where it would stop (x).

    Args:
        lrs, losses, smoothed: the range test's records, shape ``(n,)``.
        naive: the EMA without bias correction, shape ``(n,)``.
        first: how many iterations the bottom panel shows.
        diverge_th: the divergence threshold of the stop.
        ax: a pair of Axes to draw into (default: a new figure).

    Returns:
        The figure.

    Example:
        >>> lrs, losses = np.geomspace(1e-4, 1.0, 40), np.full(40, 2.0)
        >>> naive = 2.0 * (1 - 0.98 ** np.arange(1, 41))
        >>> fig = plot_finder_smoothing(lrs, losses, losses, naive)
        >>> [int(l.get_xdata()[0]) for l in fig.axes[1].lines if l.get_gid() == "naive-stop"]
        [4]
    """
    x, y, sm, nv = (_finite(v).ravel() for v in (lrs, losses, smoothed, naive))
    stop_line = diverge_th * np.minimum.accumulate(nv)
    stop = int(np.argmax(nv > stop_line))
    i_raw, i_smooth = int(np.nanargmin(y)), int(np.nanargmin(sm))
    k = np.arange(min(first, x.size))
    with style():
        if ax is None:
            fig, (top, bottom) = _figure(2, 1, (6.4, 7.6), height_ratios=(1.3, 1))
        else:
            top, bottom = ax
            fig = top.figure
        top.semilogx(x, y, color=COLORS[0], lw=1, alpha=0.45, label="미니배치 손실")
        top.semilogx(x, sm, color=COLORS[0], lw=2.2, label="평활 손실 (편향 보정 EMA)")
        top.plot(
            x[i_raw],
            y[i_raw],
            "v",
            color=COLORS[1],
            ms=10,
            gid="raw-min",
            label=f"미니배치 손실 최저: η = {x[i_raw]:.2f}",
        )
        top.plot(
            x[i_smooth],
            sm[i_smooth],
            "s",
            color=COLORS[2],
            ms=9,
            gid="smooth-min",
            label=f"평활 손실 최저: η = {x[i_smooth]:.1f}",
        )
        top.set_xlabel("학습률 η")
        top.set_ylabel("손실")
        top.legend(loc="lower left", fontsize=10)
        bottom.plot(k, y[k], "o-", color=COLORS[0], lw=1, ms=3, alpha=0.45, label="미니배치 손실")
        bottom.plot(k, sm[k], color=COLORS[0], lw=2.2, label="편향 보정 EMA")
        bottom.plot(k, nv[k], "--", color=COLORS[3], lw=2, label="보정 없는 EMA")
        bottom.plot(
            k, stop_line[k], ":", color=DIVERGED, lw=1.5, label=f"정지선 ({diverge_th:g} × 최저)"
        )
        if stop < k.size and nv[stop] > stop_line[stop]:
            bottom.plot(stop, nv[stop], "x", color=DIVERGED, ms=12, mew=2.5, gid="naive-stop")
        bottom.set_xlabel("반복 i")
        bottom.set_title(f"처음 {k.size}회")
        bottom.legend(loc="center right", fontsize=10)
    return fig


def plot_finder_quadratic(
    runs: Mapping[str, Any],
    limit: float,
    slow_limit: float | None = None,
    *,
    ax: Any = None,
) -> Figure:
    r"""Range tests on a noise-free quadratic against its stability limit :math:`2/\lambda_{\max}`.

    Top: the first run's loss and smoothed loss, the five points fastai drops (grey band),
    the smoothed curve's lowest kept point, the limit (red dashes) and the ``minimum``
    suggestion. Bottom: the raw loss of every run on a log scale, each lowest point marked.

    Args:
        runs: ``label -> LRFinderResult``; the first one is drawn on top.
        limit: :math:`2/\lambda_{\max}`.
        slow_limit: :math:`2/\lambda_{\min}`, drawn dotted on the bottom (optional).
        ax: a pair of Axes to draw into (default: a new figure).

    Returns:
        The figure.

    Example:
        >>> import lrbook as lrb
        >>> run = lrb.lr_find(lrb.quadratic((1.0, 10.0)), np.ones(2))
        >>> fig = plot_finder_quadratic({"1e-7": run}, 0.2)
        >>> [l.get_xdata()[0] for l in fig.axes[0].lines if l.get_gid() == "limit"]
        [0.2]
    """
    first = next(iter(runs.values()))
    with style():
        if ax is None:
            fig, (top, bottom) = _figure(2, 1, (6.4, 7.6), sharex=True)
        else:
            top, bottom = ax
            fig = top.figure
        r = first
        top.semilogx(r.lrs, r.losses, color=COLORS[0], lw=1.2, alpha=0.5, label="손실")
        top.semilogx(r.lrs, r.smoothed, color=COLORS[0], lw=2.2, label="평활 손실 (EMA)")
        top.axvspan(
            r.lrs[-5],
            r.lrs[-1] * 1.2,
            color="0.5",
            alpha=0.15,
            lw=0,
            label="제안 전에 버리는 끝 5개",
        )
        top.plot(
            r.lrs[-6],
            r.smoothed[-6],
            "v",
            color=COLORS[2],
            ms=10,
            label="잘라 낸 평활 곡선의 최저점",
        )
        minimum = r.suggestions["minimum"]
        top.axvline(minimum, color=COLORS[3], lw=2, label=f"minimum 제안 = {minimum:.2f}")
        for a in (top, bottom):
            a.axvline(
                limit, color=DIVERGED, ls="--", lw=1.5, label=f"2/λ_max = {limit:.1f}", gid="limit"
            )
        top.set_ylim(0, 1.3 * float(np.nanmax(r.smoothed)))
        top.set_ylabel("손실")
        top.legend(loc="lower left", fontsize=9)
        for k, (label, run) in enumerate(runs.items()):
            i = int(np.nanargmin(run.losses))
            bottom.loglog(
                run.lrs, run.losses, color=COLORS[2 * k], ls=("-", "--")[k % 2], lw=1.6, label=label
            )
            bottom.plot(
                run.lrs[i], run.losses[i], MARKERS[k], color=COLORS[2 * k], ms=9, gid="loss-min"
            )
        if slow_limit is not None:
            bottom.axvline(
                slow_limit, color="0.4", ls=":", lw=1.5, label=f"2/λ_min = {slow_limit:g}"
            )
        bottom.set_xlabel("학습률 η")
        bottom.set_ylabel("손실 (평활 전, 로그 스케일)")
        bottom.legend(loc="lower left", fontsize=9)
    return fig


def plot_finder_rules(results: Mapping[str, Any], *, ax: Any = None) -> Figure:
    """Range tests side by side, each rule's suggestion marked on the smoothed curve.

    Args:
        results: ``title -> LRFinderResult`` (one panel each); the last five points are
            not drawn (fastai trims them before suggesting).
        ax: a sequence of one Axes per result to draw into (default: a new figure).

    Returns:
        The figure.

    Example:
        >>> import lrbook as lrb
        >>> f = lambda x, xi: (0.5 * float(x @ x), x - xi)
        >>> r = lrb.lr_find(f, np.ones(2), batches=np.zeros((100, 2)))
        >>> fig = plot_finder_rules({"bowl": r})
        >>> sorted(t.get_text() for t in fig.axes[0].texts)
        ['minimum', 'slide', 'steep', 'valley']
    """
    with style():
        if ax is None:
            fig, axes = _figure(len(results), 1, (6.4, 3.8 * len(results)), sharex=True)
        else:
            axes = list(ax)
            fig = axes[0].figure
        for a, (title, res) in zip(axes, results.items(), strict=False):
            stop = res.lrs.size - 5
            x, y, s = res.lrs[:stop], res.losses[:stop], res.smoothed[:stop]
            a.semilogx(x, y, color="0.6", lw=1.0, label="미니배치 손실", gid="loss")
            a.semilogx(x, s, color=COLORS[0], lw=2.2, label="평활 손실", gid="smoothed")
            high = min(np.nanmax(y), s[0] + 0.6 * (s[0] - np.nanmin(s)))
            a.set_ylim(np.nanmin(y) - 0.05, high * 1.45)
            a.set_xlim(x[0] / 1.5, x[-1] * 1.5)
            points = []
            for i, (name, lr) in enumerate(res.suggestions.items()):
                if not np.isfinite(lr):
                    continue
                marker, color = _rule_style(name, i)
                at = float(np.interp(np.log(lr), np.log(x), s))
                a.plot(lr, at, marker, color=color, ms=10, mec="white", mew=1.2, zorder=5, gid=name)
                points.append((name, lr, at, color))
            _label_rows(a, points, top=0.94)
            if a is axes[-1]:
                a.set_xlabel("학습률 η")
            a.set_ylabel("손실")
            a.set_title(title)
            a.legend(loc="lower left", fontsize=10)
    return fig


def plot_finder_sweep(
    grid: Any,
    scores: Mapping[str, Any],
    picks: Mapping[str, Mapping[str, Any]],
    *,
    ylabel: str = "검증 손실",
    ax: Any = None,
) -> Figure:
    """The tuned sweep (mean over seeds, min-max band) and where each rule's suggestions fall.

    Args:
        grid: the ``(K,)`` learning rates of the sweep.
        scores: ``title -> (seeds, K)`` scores (one panel each); non-finite entries are
            left out of the band and the mean.
        picks: ``title -> {rule: (seeds,) suggestions}``; each rule is drawn at its median
            suggestion on the mean curve, with a horizontal bar over its seeds' range.
        ylabel: the y label.
        ax: a sequence of one Axes per panel (default: a new figure).

    Returns:
        The figure.

    Example:
        >>> grid = np.geomspace(0.01, 1.0, 5)
        >>> sc = {"A": np.array([[3.0, 2.0, 1.0, 2.0, 3.0], [3.5, 2.5, 1.5, 2.5, 3.5]])}
        >>> fig = plot_finder_sweep(grid, sc, {"A": {"valley": [0.02, 0.05]}})
        >>> [l.get_ydata().tolist() for l in fig.axes[0].lines if l.get_gid() == "mean"]
        [[3.25, 2.25, 1.25, 2.25, 3.25]]
    """
    g = _finite(grid).ravel()
    with style():
        if ax is None:
            fig, axes = _figure(len(scores), 1, (6.4, 3.8 * len(scores)), sharex=True)
        else:
            axes = list(ax)
            fig = axes[0].figure
        for a, (title, sc) in zip(axes, scores.items(), strict=False):
            sc = _finite(sc)
            with np.errstate(all="ignore"):
                mean = np.nanmean(np.where(np.isfinite(sc), sc, np.nan), axis=0)
            low, high = np.nanmin(sc, axis=0), np.nanmax(sc, axis=0)
            a.fill_between(g, low, high, color="0.85", lw=0, label="시드별 범위", gid="band")
            a.loglog(g, mean, "-", color="0.3", lw=1.8, label="시드 평균", gid="mean")
            best = int(np.nanargmin(mean))
            a.plot(g[best], mean[best], "*", color="k", ms=15, label="튜닝한 학습률", gid="best")
            a.set_xlim(g[0] / 1.3, g[-1] * 1.3)
            points = []
            for i, (name, lrs) in enumerate(picks[title].items()):
                lrs = _finite(lrs).ravel()
                marker, color = _rule_style(name, i)
                mid = float(np.median(lrs))
                at = float(np.exp(np.interp(np.log(mid), np.log(g), np.log(mean))))
                a.plot([lrs.min(), lrs.max()], [at, at], "-", color=color, lw=3, alpha=0.6)
                a.plot(
                    mid, at, marker, color=color, ms=10, mec="white", mew=1.2, zorder=5, gid=name
                )
                points.append((name, mid, at, color))
            top = float(np.nanmax(high))
            a.set_ylim(0.8 * float(np.nanmin(low)), top * 12)
            _label_rows(a, points, top=0.94)
            if a is axes[-1]:
                a.set_xlabel("학습률 η")
            a.set_ylabel(ylabel)
            a.set_title(title)
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=10)
    return fig


def plot_peak_intervals(
    intervals: Mapping[str, Mapping[str, Mapping[str, Any]]],
    *,
    xlabel: str = "제안 − 튜닝값: 점수(검증 손실) 차이",
    ax: Any = None,
) -> Figure:
    """Paired 95 % intervals of "suggestion" minus "tuned", per rule and schedule.

    Args:
        intervals: ``panel -> schedule -> rule -> Interval`` (:func:`lrbook.paired_interval`
            results); one panel each, panels stacked vertically.
        xlabel: the x label.
        ax: a sequence of one Axes per panel (default: a new figure).

    Returns:
        A figure with one row per rule, the schedules offset within it with their own
        marker, and a vertical line at 0 (no difference).

    Example:
        >>> import lrbook as lrb
        >>> iv = lrb.paired_interval([1.0, 2.0, 3.0], [0.5, 1.0, 2.5])
        >>> fig = plot_peak_intervals({"A": {"고정": {"valley": iv}}})
        >>> [l.get_xdata().tolist() for l in fig.axes[0].lines if l.get_gid() == "고정"]
        [[-0.05044, 1.38378]]
    """
    with style():
        if ax is None:
            fig, axes = _figure(len(intervals), 1, (6.4, 3.4 * len(intervals)), sharex=True)
        else:
            axes = list(ax)
            fig = axes[0].figure
        for a, (title, table) in zip(axes, intervals.items(), strict=False):
            schedules = list(table)
            rules = list(next(iter(table.values())))
            for k, sched in enumerate(schedules):
                shift = 0.25 * (k - (len(schedules) - 1) / 2)
                for j, rule in enumerate(rules):
                    iv = table[sched][rule]
                    y = len(rules) - 1 - j - shift
                    a.plot(
                        [round(iv.low, 5), round(iv.high, 5)],
                        [y, y],
                        "-",
                        color=COLORS[k],
                        lw=2,
                        gid=sched,
                    )
                    a.plot(
                        iv.mean,
                        y,
                        MARKERS[k],
                        color=COLORS[k],
                        ms=8,
                        label=sched if j == 0 else None,
                        gid=f"{sched}-mean",
                    )
            a.axvline(0.0, color="k", lw=1, gid="zero")
            a.set_yticks(range(len(rules)), rules[::-1])
            a.set_ylim(-0.6, len(rules) - 0.4)
            a.set_title(title)
            a.legend(loc="lower right", fontsize=10)
        axes[-1].set_xlabel(xlabel)
    return fig


def plot_finder_sharpness(result: Any, *, ax: Any = None) -> Figure:
    r"""A range test with its tracked sharpness: the loss turns where :math:`\eta\lambda = 2`.

    Top: the minibatch and smoothed loss against the learning rate. Bottom:
    :math:`\eta_i\lambda_i` at the iterations where the sharpness was measured, with the
    line :math:`\eta\lambda = 2`. The first measured iteration with
    :math:`\eta_i\lambda_i \ge 2` is marked in both panels (a red dashed vertical line).

    Args:
        result: an ``LRFinderResult`` of ``lr_find(..., track_sharpness=k)``.
        ax: a pair of Axes (top, bottom) to draw into (default: a new figure).

    Returns:
        The figure.

    Example:
        >>> import lrbook as lrb
        >>> H = np.array([1.0, 10.0])                    # lambda_max = 10: the edge is 0.2
        >>> f = lambda x, xi: (0.5 * np.sum(H * (x - xi) ** 2), H * (x - xi))
        >>> xi = 0.1 * np.random.default_rng(0).standard_normal((100, 2))
        >>> fig = plot_finder_sharpness(lrb.lr_find(f, np.ones(2), batches=xi, track_sharpness=1))
        >>> [round(float(l.get_xdata()[0]), 3) for l in fig.axes[1].get_lines()
        ...  if l.get_gid() == "crossing"]
        [0.209]
    """
    steps = np.asarray(result.sharpness_steps, dtype=int)
    if steps.size == 0:
        raise ValueError(
            "result has no tracked sharpness: run lr_find(..., track_sharpness=k), "
            f"got result.sharpness_steps={result.sharpness_steps!r}"
        )
    lrs, lam = result.lrs[steps], np.asarray(result.sharpness, dtype=float)
    product = lrs * lam
    above = np.flatnonzero(product >= 2.0)
    with style():
        if ax is None:
            fig, (top, bottom) = _figure(2, 1, (6.4, 6.4), sharex=True)
        else:
            top, bottom = ax
            fig = top.figure
        top.semilogx(result.lrs, result.losses, color="0.6", lw=1.0, label="미니배치 손실")
        top.semilogx(result.lrs, result.smoothed, color=COLORS[0], lw=2.2, label="평활 손실")
        finite = result.losses[np.isfinite(result.losses)]
        top.set_ylim(0, min(float(finite.max()), 3 * float(finite[0])) * 1.05)
        top.set_ylabel("손실")
        bottom.loglog(lrs, product, MARKERS[0] + "-", color=COLORS[2], ms=4, label="η·λ_max")
        bottom.axhline(2.0, color="k", ls="--", lw=1.2, label="η·λ_max = 2", gid="two")
        bottom.set_ylim(*_limits(np.r_[product[product > 0], 2.0], log=True, pad=0.08))
        bottom.set_xlabel("학습률 η")
        bottom.set_ylabel("η × 샤프니스")
        if above.size:
            cross = float(lrs[above[0]])
            for a in (top, bottom):
                a.axvline(cross, color=DIVERGED, ls="--", lw=1.5, gid="crossing")
            top.annotate(
                f"η·λ_max = 2\n(η ≈ {cross:.2g})",
                xy=(cross, 0.95),
                xycoords=("data", "axes fraction"),
                xytext=(-6, 0),
                textcoords="offset points",
                ha="right",
                va="top",
                color=DIVERGED,
                fontsize=11,
            )
        top.legend(loc="lower left", fontsize=10)
        bottom.legend(loc="upper left", fontsize=10)
    return fig
