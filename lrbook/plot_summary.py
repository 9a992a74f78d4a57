"""Figures of chapter 8 (summary): pure ``plot_*`` functions returning a Figure.

Each function draws one whole figure of the chapter from arrays the notebook computed, in
the house style (:func:`lrbook.style.style`). Curves differ by line style and marker as well
as by colour; the zones of the learning-rate map carry their names on their own axis above
the plot, where no data and no legend can cover them. Every function takes ``ax``
(keyword-only): the axes to draw into (a sequence for several panels) instead of a new
figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ._figure import _contours, _panels, _paths
from .style import COLORS, DIVERGED, LINESTYLES, MARKERS, style

__all__ = ["plot_lr_map", "plot_path_grid", "plot_corrections", "plot_kink_cycle"]

Array = np.ndarray
#: Background of the zones of :func:`plot_lr_map`: a light colour and a hatch each.
ZONE_FILLS = (("#E3F2FD", ""), ("#E8F5E9", ".."), ("#FFF8E1", "//"), ("#FFEBEE", "xx"))


def _look(i: int) -> dict[str, Any]:
    """Colour, marker and line style of curve ``i``: three cues, not colour alone."""
    return {
        "color": COLORS[i % len(COLORS)],
        "marker": MARKERS[i % len(MARKERS)],
        "ls": LINESTYLES[i % len(LINESTYLES)],
    }


def _vector(name: str, value: Any, size: int | None = None) -> Array:
    a = np.asarray(value, dtype=float).reshape(-1)
    if a.size == 0 or (size is not None and a.size != size):
        want = "non-empty" if size is None else f"{size} values"
        raise ValueError(f"{name} must be {want}, got shape {np.shape(value)}")
    return a


def plot_lr_map(
    lrs: Any,
    losses: Any,
    zones: Sequence[tuple[float, float, str]],
    *,
    sharpness: float,
    diverged: Any = None,
    best: float | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    r"""A learning-rate sweep (final loss against :math:`\eta`, log-log) over named zones.

    Each zone :math:`[\eta_a, \eta_b)` is shaded with its own colour and hatch, and its name
    is written on a second axis above the plot at the zone's geometric centre, so names never
    sit on the curve or the legend. Diverged runs are red × along the top; the dashed line is
    the cliff :math:`2/\lambda_{\max}`; a star marks ``best``.

    Args:
        lrs: the K learning rates, shape ``(K,)``, positive.
        losses: final losses, shape ``(K,)``.
        zones: ``(left, right, name)`` triples, left to right (at most four).
        sharpness: :math:`\lambda_{\max} > 0`; draws the line at :math:`2/\lambda_{\max}`.
        diverged: optional flags of shape ``(K,)``; non-finite losses count as diverged.
        best: a learning rate to star on the curve (the sweep's point nearest to it).
        title: axes title.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> fig = plot_lr_map([0.01, 0.1, 0.3], [1.0, 0.1, np.inf],
        ...                   [(0.01, 0.2, "수렴"), (0.2, 0.3, "발산")], sharpness=10.0)
        >>> [t.get_text() for t in fig.axes[0].child_axes[0].get_xticklabels()]
        ['수렴', '발산']
    """
    eta = _vector("lrs", lrs)
    final = _vector("losses", losses, eta.size)
    if np.any(eta <= 0):
        raise ValueError(f"lrs must be positive, got lrs={lrs!r}")
    if not 0 < len(zones) <= len(ZONE_FILLS):
        raise ValueError(f"zones must hold 1 to {len(ZONE_FILLS)} triples, got {zones=}")
    if not (np.isfinite(sharpness) and sharpness > 0):
        raise ValueError(f"sharpness must be positive, got {sharpness=}")
    bad = ~np.isfinite(final)
    if diverged is not None:
        bad |= np.asarray(diverged, dtype=bool).reshape(-1)
    with style():
        fig, (ax,) = _panels(ax, 1, (6.4, 4.4))
        for (left, right, name), (fill, hatch) in zip(zones, ZONE_FILLS[: len(zones)], strict=True):
            ax.axvspan(
                left,
                right,
                facecolor=fill,
                hatch=hatch,
                edgecolor="0.85",
                lw=0,
                zorder=0,
                gid=f"zone:{name}",
            )
        ax.plot(
            eta[~bad], final[~bad], "-", color=COLORS[0], label="200 스텝 뒤의 손실", gid="loss"
        )
        if bad.any():
            ax.plot(
                eta[bad][::10],
                np.full(eta[bad][::10].size, 0.97),
                "x",
                color=DIVERGED,
                ms=8,
                mew=2,
                transform=ax.get_xaxis_transform(),
                label="발산",
                gid="diverged",
                clip_on=False,
            )
        edge = 2.0 / sharpness
        ax.axvline(
            edge,
            ls="--",
            color="k",
            lw=1.2,
            label=rf"$2/\lambda_{{\max}}$ = {edge:.3g}",
            gid="threshold",
        )
        if best is not None:
            k = int(np.argmin(np.abs(np.log(eta[~bad]) - np.log(best))))
            ax.plot(
                eta[~bad][k],
                final[~bad][k],
                "*",
                color=COLORS[1],
                ms=14,
                mec="k",
                label=f"가장 좋은 η = {eta[~bad][k]:.3g}",
                gid="best",
                zorder=5,
            )
        ax.set(
            xscale="log",
            yscale="log",
            xlim=(eta.min(), eta.max()),
            xlabel="학습률 η",
            ylabel="최종 손실",
        )
        top = ax.secondary_xaxis("top")
        top.set_xticks([np.sqrt(a * b) for a, b, _ in zones], [n for _, _, n in zones])
        top.tick_params(length=0, labelsize=11)
        if title:
            ax.set_title(title)
        ax.legend(loc="lower left")
    return fig


def plot_path_grid(
    f: Any,
    paths: Any,
    titles: Sequence[str],
    *,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    levels: int = 12,
    ax: Sequence[Axes] | None = None,
) -> Figure:
    r"""One panel per run: the contours of a 2-D landscape and the run's iterates.

    Panels are laid out two per row. Each path is drawn as dots joined by a line from its
    start (a square) toward the minimum (a star); a path that leaves the view is cut at its
    edge.

    Args:
        f: a 2-D landscape (``.value(x)`` vectorized, ``.minimum``) or a callable ``x -> loss``.
        paths: a ``Trajectory`` of K runs (``.params`` of shape ``(T+1, K, 2)``) or such an
            array.
        titles: one title per run.
        xlim, ylim: the view of every panel.
        levels: number of contour levels.
        ax: K axes to draw into instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> P = np.array([[[1.0, 1.0], [2.0, 2.0]], [[0.5, 0.1], [-2.0, 3.0]]])
        >>> fig = plot_path_grid(lambda x: (x ** 2).sum(-1), P, ["a", "b"],
        ...                      xlim=(-3, 3), ylim=(-3, 3))
        >>> [a.get_title() for a in fig.axes]
        ['a', 'b']
    """
    runs = _paths(paths)
    if len(titles) != len(runs):
        raise ValueError(f"titles needs one title per run ({len(runs)}), got {titles=}")
    rows = (len(runs) + 1) // 2
    with style():
        fig, axes = _panels(ax, len(runs), (8.5, 3.3 * rows), columns=2)
        minimum = getattr(f, "minimum", None)
        for i, (a, (P, _), title) in enumerate(zip(axes, runs, titles, strict=True)):
            _contours(a, f, (xlim, ylim), levels)
            a.plot(P[:, 0], P[:, 1], "o-", color=COLORS[i % len(COLORS)], ms=3, lw=1.2, gid="path")
            a.plot(*P[0], "s", color="k", ms=6, gid="start")
            if minimum is not None:
                a.plot(*np.asarray(minimum)[:2], "*", color="k", ms=12, gid="minimum")
            a.set(xlim=xlim, ylim=ylim, title=title, xlabel="θ₁", ylabel="θ₂")
    return fig


def plot_corrections(
    escape_lrs: Any,
    escape_steps: Any,
    y0: float,
    reach_lrs: Any,
    reach: Any,
    *,
    ax: Sequence[Axes] | None = None,
) -> Figure:
    r"""Two measurements against their closed forms: a saddle's escape and a quartic's reach.

    Two panels, stacked so that each keeps a readable size at phone width. Top: steps for
    gradient descent on :math:`\tfrac12(x^2 - y^2)` to grow :math:`|y|` from :math:`y_0`
    past 1, against :math:`\ln(1/|y_0|)/\ln(1+\eta)`. Bottom: the farthest
    start :math:`|\theta_0|` from which descent on :math:`\tfrac12\theta^2 + \tfrac14\theta^4`
    converged, against :math:`\sqrt{2/\eta - 1}`.

    Args:
        escape_lrs, escape_steps: learning rates and measured escape steps (same length).
        y0: the starting offset :math:`y_0 \ne 0` along the escaping direction.
        reach_lrs, reach: learning rates in :math:`(0, 2)` and the measured farthest start.
        ax: two axes to draw into instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> fig = plot_corrections([0.1, 1.0], [73, 10], 1e-3, [0.1, 0.5], [4.3, 1.7])
        >>> round(float(fig.axes[1].get_lines()[1].get_ydata()[0]), 3)     # sqrt(2/0.1 - 1)
        4.359
    """
    e_eta = _vector("escape_lrs", escape_lrs)
    e_steps = _vector("escape_steps", escape_steps, e_eta.size)
    r_eta = _vector("reach_lrs", reach_lrs)
    r_far = _vector("reach", reach, r_eta.size)
    if not (np.isfinite(y0) and 0 < abs(y0) < 1):
        raise ValueError(f"y0 must satisfy 0 < |y0| < 1, got {y0=}")
    if np.any((r_eta <= 0) | (r_eta >= 2)):
        raise ValueError(f"reach_lrs must lie in (0, 2), got reach_lrs={reach_lrs!r}")
    with style():
        fig, (top, bottom) = _panels(ax, 2, (6.4, 7.0))
        top.loglog(e_eta, e_steps, "o", ms=5, color=COLORS[0], label="측정", gid="measured")
        top.loglog(
            e_eta,
            np.log(1 / abs(y0)) / np.log1p(e_eta),
            "--",
            color="0.3",
            lw=1.2,
            label="ln(1/|y₀|) / ln(1+η)",
            gid="theory",
        )
        top.set(xlabel="학습률 η", ylabel="탈출까지의 스텝", title="안장점: 작을수록 오래 갇힘")
        bottom.loglog(
            r_eta, r_far, "s", ms=5, color=COLORS[1], label="수렴한 가장 먼 출발점", gid="measured"
        )
        bottom.loglog(
            r_eta,
            np.sqrt(2 / r_eta - 1),
            "--",
            color="0.3",
            lw=1.2,
            label="√(2/η − 1)",
            gid="theory",
        )
        bottom.set(xlabel="학습률 η", ylabel="|θ₀|", title="θ²/2 + θ⁴/4: 작아도 한계가 있음")
        # plain numbers (2, 5, 10, 20) rather than 2×10⁰; minor ticks labelled at 2 and 5 only
        bottom.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        bottom.yaxis.set_minor_formatter(
            FuncFormatter(lambda v, _: f"{v:g}" if f"{v:.0e}"[0] in "25" else "")
        )
        for a in (top, bottom):
            a.legend(loc="upper right")
    return fig


def plot_kink_cycle(
    thetas: Mapping[str, Any], *, title: str | None = None, ax: Axes | None = None
) -> Figure:
    r"""Iterates :math:`\theta_t` of gradient descent on a loss with a kink, one curve per run.

    On :math:`J(\theta) = |\theta|` the gradient is :math:`\operatorname{sign}\theta`, so
    every step has length exactly :math:`\eta`: the iterate walks to the kink and then jumps
    across it forever, a 2-cycle of size :math:`\eta`, however small :math:`\eta` is.

    Args:
        thetas: label -> iterates of shape ``(T+1,)`` (or ``(T+1, 1)``), all the same length.
        title: axes title.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> fig = plot_kink_cycle({"η = 0.5": [1.2, 0.7, 0.2, -0.3, 0.2]})
        >>> fig.axes[0].get_lines()[0].get_ydata().tolist()
        [1.2, 0.7, 0.2, -0.3, 0.2]
    """
    if not isinstance(thetas, Mapping) or not thetas:
        raise TypeError(f"thetas must be a non-empty dict label -> iterates, got {thetas=!r}")
    curves = {str(k): _vector(f"thetas[{k!r}]", v) for k, v in thetas.items()}
    if len({c.size for c in curves.values()}) != 1:
        raise ValueError("thetas must all have the same number of iterates")
    with style():
        fig, (ax,) = _panels(ax, 1, (7.0, 4.0))
        for i, (name, theta) in enumerate(curves.items()):
            ax.plot(np.arange(theta.size), theta, ms=4, lw=1.3, label=name, gid="theta", **_look(i))
        ax.axhline(0.0, color="k", lw=0.8, gid="kink")
        ax.set(xlabel="스텝 t", ylabel=r"$\theta_t$")
        if title:
            ax.set_title(title)
        ax.legend(loc="upper right")
    return fig
