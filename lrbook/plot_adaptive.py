"""Figures of the chapter on adaptive optimizers (3장): pure ``plot_*`` functions.

Methods are told apart by colour, line style and marker together (the house
:data:`~lrbook.style.COLORS`, :data:`~lrbook.style.LINESTYLES` and
:data:`~lrbook.style.MARKERS`), so every figure reads in grey scale too. Multi-panel
figures take ``ax`` as a sequence of axes, one per panel, or make their own figure, with the
panels stacked vertically when ``stacked=True`` (for reading at phone width).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ._figure import _finite, _new_figure
from .style import COLORS, LINESTYLES, MARKERS, style

__all__ = ["plot_method_curves", "plot_lr_sweeps", "plot_preconditioner"]

Array = np.ndarray


def _method_style(i: int, n_points: int) -> dict[str, Any]:
    """Colour, line style and marker of the ``i``-th method (about 8 markers per line)."""
    k = i % len(COLORS)
    return {
        "color": COLORS[k],
        "ls": LINESTYLES[k],
        "marker": MARKERS[k],
        "ms": 5,
        "markevery": max(1, n_points // 8),
    }


def _log_markevery(x: Array, n_marks: int = 9) -> list[int] | int:
    """Indices of ``x`` closest to ``n_marks`` log-spaced values, for markers on a log x axis.

    Evenly spaced indices crowd into the last decade of a log axis; these spread over
    every decade. Without two distinct positive ``x`` the even spacing is kept.
    """
    ok = np.flatnonzero(np.isfinite(x) & (x > 0))
    if ok.size < 2 or x[ok].min() == x[ok].max():
        return max(1, x.size // 8)
    targets = np.geomspace(x[ok].min(), x[ok].max(), n_marks)
    nearest = np.abs(np.log(x[ok])[:, None] - np.log(targets)).argmin(axis=0)
    return sorted({int(j) for j in ok[nearest]})


def _panel_axes(
    n: int, ax: Any, stacked: bool, figsize: tuple[float, float] | None
) -> tuple[Figure, list[Axes]]:
    if ax is None:
        if stacked:
            fig, (first,) = _new_figure(figsize or (5.0, 3.3 * n))
            first.remove()
            return fig, [fig.add_subplot(n, 1, i + 1) for i in range(n)]
        fig, axes = _new_figure(figsize or (4.6 * n, 3.8), ncols=n)
        return fig, list(axes)
    axes = [ax] if isinstance(ax, Axes) else list(ax)
    if len(axes) != n or not all(isinstance(a, Axes) for a in axes):
        raise TypeError(f"ax must be an Axes or a sequence of {n} Axes (one per panel), got {ax!r}")
    return axes[0].figure, axes


def _panels(name: str, panels: Any) -> list[tuple[str, Mapping[str, Any]]]:
    if not isinstance(panels, Mapping) or not panels:
        raise TypeError(
            f"{name} must be a non-empty mapping title -> {{label: data}}, got {panels!r}"
        )
    for title, series in panels.items():
        if not isinstance(series, Mapping) or not series:
            raise TypeError(
                f"{name}[{title!r}] must be a non-empty mapping label -> data, got {series!r}"
            )
    return list(panels.items())


def _per_panel(name: str, flag: Any, n: int) -> list[bool]:
    flags = [bool(flag)] * n if isinstance(flag, bool) else [bool(f) for f in flag]
    if len(flags) != n:
        raise ValueError(f"{name} must be a bool or one bool per panel ({n}), got {flag!r}")
    return flags


def _xy(label: str, data: Any) -> tuple[Array, Array]:
    if isinstance(data, tuple) and len(data) == 2:
        x, y = np.asarray(data[0], dtype=float), _finite(data[1])
    else:
        y = _finite(data)
        x = np.arange(y.size, dtype=float)
    if y.ndim != 1 or x.shape != y.shape:
        raise ValueError(
            f"series {label!r} must be a 1-D array or a pair (x, y) of equal 1-D arrays, "
            f"got shapes {x.shape} and {y.shape}"
        )
    return x, y


def plot_method_curves(
    panels: Mapping[str, Mapping[str, Any]],
    *,
    logx: bool | Sequence[bool] = False,
    logy: bool | Sequence[bool] = True,
    xlabel: str = "스텝 t",
    ylabel: str | Sequence[str] = "손실 J(θ_t)",
    reference: tuple[float, str] | Mapping[str, tuple[float, str]] | None = None,
    ylim: tuple[float, float] | None = None,
    stacked: bool = False,
    figsize: tuple[float, float] | None = None,
    ax: Axes | Sequence[Axes] | None = None,
) -> Figure:
    r"""Curves of several methods in one or more panels, one style per method.

    The :math:`i`-th label of every panel gets colour, line style and marker number
    :math:`i`, so the same method looks the same in every panel when the panels list
    their methods in the same order. Non-finite values (a diverged run) are masked. On a
    log x axis the markers sit at log-spaced x, spread evenly over the decades instead of
    crowding into the last one.

    Args:
        panels: ``title -> {label: y or (x, y)}``; ``y`` alone is drawn against
            ``0, 1, ..., len(y) - 1``.
        logx, logy: log scales, for every panel or one flag per panel.
        xlabel: the x label of every panel.
        ylabel: the y label (of the first panel in a row, of every stacked panel), or
            one label per panel.
        reference: ``(value, label)``: a grey dashed horizontal line in every panel; or
            ``title -> (value, label)`` for some panels.
        ylim: y limits shared by the panels.
        stacked: panels in a column instead of a row.
        figsize: the size of a new figure.
        ax: an Axes (one panel) or a sequence of Axes, one per panel.

    Returns:
        The figure.

    Example:
        >>> fig = plot_method_curves({"손실": {"GD": [1.0, 0.5, 0.25], "Adam": [1.0, 0.1, 0.01]}})
        >>> [line.get_label() for line in fig.axes[0].lines]
        ['GD', 'Adam']
        >>> fig.axes[0].lines[0].get_linestyle() != fig.axes[0].lines[1].get_linestyle()
        True
    """
    items = _panels("panels", panels)
    n = len(items)
    flags_x, flags_y = _per_panel("logx", logx, n), _per_panel("logy", logy, n)
    if isinstance(ylabel, str):
        ylabels = [ylabel] * n if stacked else [ylabel] + [""] * (n - 1)
    else:
        ylabels = list(ylabel)
    if len(ylabels) != n:
        raise ValueError(f"ylabel must be a string or one label per panel, got {ylabel!r}")
    with style():
        fig, axes = _panel_axes(n, ax, stacked, figsize)
        for k, (a, (title, series)) in enumerate(zip(axes, items, strict=True)):
            for i, (label, data) in enumerate(series.items()):
                x, y = _xy(label, data)
                if flags_y[k]:
                    y = np.where(y > 0, y, np.nan)
                st = _method_style(i, y.size)
                if flags_x[k]:
                    st["markevery"] = _log_markevery(x)
                a.plot(x, y, label=label, lw=1.6, gid="curve", **st)
            ref = reference.get(title) if isinstance(reference, Mapping) else reference
            if ref is not None:
                a.axhline(ref[0], color="0.45", ls="--", lw=1.0, label=ref[1], gid="reference")
            a.set_xscale("log" if flags_x[k] else "linear")
            a.set_yscale("log" if flags_y[k] else "linear")
            if ylim is not None:
                a.set_ylim(*ylim)
            a.set_title(title)
            a.set_xlabel(xlabel)
            a.set_ylabel(ylabels[k])
            a.legend(fontsize=9)
    return fig


def plot_lr_sweeps(
    panels: Mapping[str, Mapping[str, Any]],
    *,
    ylabel: str = "마지막 창의 평균 손실",
    ylim: tuple[float, float] | None = None,
    stacked: bool = True,
    figsize: tuple[float, float] | None = None,
    ax: Axes | Sequence[Axes] | None = None,
) -> Figure:
    r"""Learning-rate sweeps of several optimizers, with the chosen learning rate starred.

    Each optimizer's scores (e.g. ``RaceEntry.scores``) are drawn against the
    grid on log-log axes; diverged learning rates (non-finite score) are left out, so a
    line ends where its optimizer diverges. A star with a black edge marks the chosen
    learning rate.

    Args:
        panels: ``title -> {name: (lrs, scores, chosen_lr)}``; a
            :class:`lrbook.RaceEntry` is not needed, only these three arrays.
        ylabel: the y label of every panel.
        ylim: y limits shared by the panels.
        stacked: panels in a column (default, readable at phone width) or in a row.
        figsize: the size of a new figure.
        ax: an Axes (one panel) or a sequence of Axes, one per panel.

    Returns:
        The figure.

    Example:
        >>> import numpy as np
        >>> lrs = np.array([0.01, 0.1, 1.0])
        >>> fig = plot_lr_sweeps({"κ = 10": {"GD": (lrs, [1.0, 0.1, np.inf], 0.1)}})
        >>> fig.axes[0].lines[0].get_xdata().tolist(), fig.axes[0].lines[1].get_xdata().tolist()
        ([0.01, 0.1], [0.1])
    """
    items = _panels("panels", panels)
    with style():
        fig, axes = _panel_axes(len(items), ax, stacked, figsize)
        for a, (title, series) in zip(axes, items, strict=True):
            for i, (name, data) in enumerate(series.items()):
                if not (isinstance(data, tuple) and len(data) == 3):
                    raise ValueError(
                        f"sweep {name!r} must be a triple (lrs, scores, chosen_lr), got {data!r}"
                    )
                lrs, scores = _xy(name, (data[0], data[1]))
                ok = np.isfinite(scores) & (scores > 0)
                st = _method_style(i, 0)
                st["markevery"] = 1
                st["ms"] = 3.5
                a.plot(lrs[ok], scores[ok], label=name, lw=1.3, gid="sweep", **st)
                chosen = float(data[2])
                at = np.flatnonzero(np.isclose(lrs, chosen))
                if at.size != 1 or not ok[at[0]]:
                    raise ValueError(
                        f"chosen_lr of {name!r} must be a finite point of its sweep, got {chosen}"
                    )
                a.plot(
                    [chosen],
                    [scores[at[0]]],
                    marker="*",
                    ms=13,
                    color=st["color"],
                    mec="k",
                    mew=0.7,
                    ls="none",
                    gid="chosen",
                )
            a.set_xscale("log")
            a.set_yscale("log")
            if ylim is not None:
                a.set_ylim(*ylim)
            a.set_title(title)
            a.set_xlabel("학습률 η")
            a.set_ylabel(ylabel)
            a.legend(fontsize=8, ncols=2)
    return fig


def plot_preconditioner(
    panels: Mapping[str, Mapping[str, Any]],
    *,
    stacked: bool = False,
    figsize: tuple[float, float] | None = None,
    ax: Axes | Sequence[Axes] | None = None,
) -> Figure:
    r"""Per-coordinate scales: what Adam divides by next to what Newton's method would use.

    For each coordinate :math:`i` (the x axis) every panel draws the given per-coordinate
    series on a log y axis, one marker per series, e.g. the diagonal of the Hessian
    :math:`H_{ii}`, the root mean square gradient :math:`\sqrt{\mathbb E[g_i^2]}` (the
    denominator of RMSProp and Adam) and the eigenvalues of :math:`H` (what a rotation-aware
    preconditioner would match).

    Args:
        panels: ``title -> {label: values}``, each ``values`` of shape ``(d,)``.
        stacked: panels in a column instead of a row.
        figsize: the size of a new figure.
        ax: an Axes (one panel) or a sequence of Axes, one per panel.

    Returns:
        The figure.

    Example:
        >>> fig = plot_preconditioner({"나란함": {"H_ii": [1.0, 100.0], "√E[g²]": [1.0, 100.0]}})
        >>> [line.get_ydata().tolist() for line in fig.axes[0].lines]
        [[1.0, 100.0], [1.0, 100.0]]
    """
    items = _panels("panels", panels)
    with style():
        fig, axes = _panel_axes(len(items), ax, stacked, figsize)
        for k, (a, (title, series)) in enumerate(zip(axes, items, strict=True)):
            for i, (label, values) in enumerate(series.items()):
                x, y = _xy(label, values)
                st = _method_style(i, 0)
                a.plot(
                    x + 1,
                    y,
                    ls="none",
                    marker=st["marker"],
                    ms=8 - 1.5 * i,
                    color=st["color"],
                    mfc="none" if i == 0 else st["color"],
                    mew=1.5,
                    label=label,
                    gid="scale",
                )
            a.set_yscale("log")
            a.set_title(title)
            a.set_xlabel("좌표 i")
            if k == 0:
                a.set_ylabel("좌표별 크기")
            a.legend(fontsize=9)
    return fig
