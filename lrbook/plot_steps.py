"""Figures of chapters 1 and 2: where one step points, and what a step size costs.

Pure ``plot_*`` functions in the house style of :mod:`lrbook.style`, re-exported by
:mod:`lrbook.plotting`: each takes arrays, draws into ``ax`` (keyword-only) or a new figure,
and returns the Figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ._figure import _axes, _contours, _finite, _minimum
from .style import COLORS, LINESTYLES, MARKERS, style

__all__ = ["plot_steepest_directions", "plot_step_rule_costs"]

Array = np.ndarray


def plot_steepest_directions(
    f: Any,
    x0: Any,
    directions: Mapping[str, Any],
    balls: Mapping[str, Any] | None = None,
    *,
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    levels: int = 16,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    r"""Steepest-descent directions of one point under several norms, with their unit balls.

    For a norm :math:`\|\cdot\|` the steepest-descent direction at :math:`\theta_0` is
    :math:`d = \arg\min_{\|d\| \le 1} \nabla J(\theta_0)^\top d`: the point of the unit
    ball (drawn around :math:`\theta_0`) that goes furthest against the gradient. Each
    direction is a segment from ``x0`` with its own colour, line style and tip marker, named
    in the legend by all three.

    Args:
        f: a 2-D landscape (``.value`` vectorized) or a callable ``x -> loss``.
        x0: the point, shape ``(2,)``.
        directions: name -> step vector of shape ``(2,)`` (drawn from ``x0``).
        balls: optional name -> boundary of that norm's ball, shape ``(N, 2)``, relative to
            ``x0``; drawn in the colour of the direction of the same name.
        xlim, ylim: the view (default: ``x0`` and the arrow tips with a margin).
        levels: number of contour levels.
        title: axes title.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> import numpy as np
        >>> J = lambda p: 0.5 * (p ** 2).sum(-1)
        >>> fig = plot_steepest_directions(J, [1.0, 1.0], {"ℓ₂": [-0.7, -0.7]})
        >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        ['ℓ₂']
    """
    p0 = np.asarray(x0, dtype=float)
    if p0.shape != (2,):
        raise ValueError(f"x0 must have shape (2,), got x0={x0!r}")
    steps = {name: np.asarray(d, dtype=float) for name, d in directions.items()}
    for name, d in steps.items():
        if d.shape != (2,):
            raise ValueError(f"directions[{name!r}] must have shape (2,), got {d.shape}")
    rings = {}
    for name, ring in (balls or {}).items():
        r = np.asarray(ring, dtype=float)
        if r.ndim != 2 or r.shape[1] != 2:
            raise ValueError(f"balls[{name!r}] must have shape (N, 2), got {r.shape}")
        if name not in steps:
            raise ValueError(f"balls names {name!r}, which is not in directions")
        rings[name] = r
    tips = [p0 + d for d in steps.values()]
    reach = np.vstack([p0[None], *tips, *[p0 + r for r in rings.values()]])
    pad = 0.15 * max(np.ptp(reach[:, 0]), np.ptp(reach[:, 1]), 1.0)
    xlim = xlim or (reach[:, 0].min() - pad, reach[:, 0].max() + pad)
    ylim = ylim or (reach[:, 1].min() - pad, reach[:, 1].max() + pad)
    names = list(steps)
    with style():
        fig, ax = _axes(ax)
        _contours(ax, f, (tuple(xlim), tuple(ylim)), levels)
        minimum = _minimum(f)
        if minimum is not None and minimum.shape == (2,):
            ax.plot(*minimum, "*", color="k", ms=12, gid="minimum", zorder=5)
        ax.plot(*p0, "o", color="k", ms=6, zorder=6, gid="start")
        for i, name in enumerate(names):
            color, ls = COLORS[i % len(COLORS)], LINESTYLES[i % len(LINESTYLES)]
            if name in rings:
                r = p0 + rings[name]
                ax.plot(r[:, 0], r[:, 1], ls=ls, color=color, lw=1.2, alpha=0.8, gid=f"ball:{name}")
            tip = p0 + steps[name]
            ax.plot(
                [p0[0], tip[0]], [p0[1], tip[1]], ls=ls, color=color, lw=2.4, gid=f"step:{name}"
            )
            ax.plot(*tip, MARKERS[i % len(MARKERS)], color=color, ms=8, zorder=6)
            ax.plot(
                [], [], ls=ls, color=color, lw=2.4, marker=MARKERS[i % len(MARKERS)], label=name
            )
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_aspect("equal")
        ax.set_xlabel("θ₁")
        ax.set_ylabel("θ₂")
        ax.legend(loc="upper right", framealpha=0.95)
        if title:
            ax.set_title(title)
    return fig


def plot_step_rule_costs(
    curves: Mapping[str, tuple[Any, Any]],
    *,
    tol: float | None = None,
    xlabel: str = "기울기·손실 계산 횟수",
    xscale: str = "linear",
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    r"""Loss against the work spent, one line per step-size rule, on a log loss axis.

    Args:
        curves: name -> ``(cost, loss)``, two equal-length 1-D arrays: the cumulative count
            of evaluations after each step and the loss there. Non-finite or non-positive
            losses are masked.
        tol: draw the tolerance :math:`\varepsilon_{\text{tol}}` as a dotted line.
        xlabel: the x-axis label.
        xscale: ``"linear"`` or ``"log"`` (costs that span decades).
        title: axes title.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure; each line carries ``gid`` equal to its name.

    Example:
        >>> import numpy as np
        >>> c = np.arange(5.0); fig = plot_step_rule_costs({"상수": (c, 0.5 ** c)}, tol=0.1)
        >>> fig.axes[0].get_yscale()
        'log'
    """
    if xscale not in ("linear", "log"):
        raise ValueError(f"xscale must be 'linear' or 'log', got {xscale=}")
    with style():
        fig, ax = _axes(ax)
        for i, (name, (cost, loss)) in enumerate(curves.items()):
            x = np.asarray(cost, dtype=float).ravel()
            y = _finite(loss).ravel()
            if x.shape != y.shape:
                raise ValueError(
                    f"curves[{name!r}] needs cost and loss of one length, got {x.shape}, {y.shape}"
                )
            with np.errstate(invalid="ignore"):
                y = np.where(y > 0, y, np.nan)
            every = max(1, x.size // 12)
            ax.plot(
                x,
                y,
                ls=LINESTYLES[i % len(LINESTYLES)],
                color=COLORS[i % len(COLORS)],
                marker=MARKERS[i % len(MARKERS)],
                markevery=every,
                lw=2,
                label=name,
                gid=name,
            )
        if tol is not None:
            ax.axhline(tol, color="0.4", ls=":", lw=1.2, label="ε_tol", gid="tol")
        ax.set_yscale("log")
        ax.set_xscale(xscale)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("손실 J(θ) - J*")
        if title:
            ax.set_title(title)
        ax.legend()
    return fig
