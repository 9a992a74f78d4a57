"""Helpers shared by the figure modules: new figures, input checks, axis scales, number formats."""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import LogFormatterSciNotation, LogLocator, MaxNLocator

from .style import DIVERGED, STYLE, font_family

__all__ = ["PowerFormatter"]

Array = np.ndarray

# Greek letters the captions name, read aloud in Korean: all end without a final consonant
# (에타, 베타, 람다, 감마, 시그마), so they take 를.
_GREEK = "αβγδεζηθλμρστω"
# Digits whose Korean reading ends in a final consonant: 영, 일, 삼, 육, 칠, 팔.
_DIGITS_WITH_FINAL = "013678"


def _object_particle(word: str) -> str:
    """The object particle (을/를) that follows ``word`` when read aloud in Korean.

    >>> _object_particle("학습률 η"), _object_particle("스케줄"), _object_particle("학습률")
    ('를', '을', '을')
    >>> _object_particle("스텝 10"), _object_particle("스텝 2")
    ('을', '를')
    """
    last = word.rstrip()[-1:]
    if "가" <= last <= "힣":
        return "을" if (ord(last) - ord("가")) % 28 else "를"
    if last in _GREEK:
        return "를"
    return "을" if last and last in _DIGITS_WITH_FINAL else "를"


Box = tuple[tuple[float, float], tuple[float, float]]


def _new_figure(
    figsize: tuple[float, float] | None = None, ncols: int = 1, *, fixed: bool = False
) -> tuple[Figure, list]:
    """A figure with ``ncols`` axes in a row, released from pyplot at once.

    Creating it with pyplot sets up the notebook backend (so the returned figure displays
    when it is the last value of a cell), and closing it right away means it displays
    exactly once and is never kept alive by pyplot's registry. The layout is constrained.

    With ``fixed=True`` (figures redrawn many times: the live figures) the figure is made
    without pyplot, on its own Agg canvas that keeps its renderer between redraws, and its
    margins are fixed once: no layout pass (and no extra draw that any layout engine
    costs in ``savefig``) at each redraw.
    """
    figsize = figsize or STYLE["figure.figsize"]
    if fixed:
        fig = Figure(figsize=figsize, dpi=STYLE["figure.dpi"])
        FigureCanvasAgg(fig)
    else:
        fig = plt.figure(figsize=figsize, layout="constrained")
        plt.close(fig)
    axes = [fig.add_subplot(1, ncols, i + 1) for i in range(ncols)]
    if fixed:
        width, height = figsize
        k = mpl.rcParams["font.size"] / STYLE["font.size"]  # margins grow with the text
        fig.subplots_adjust(
            left=0.7 * k / width,  # room for a y label beside 4-character tick labels
            right=1 - 0.25 * k / width,
            bottom=0.5 * k / height,
            top=1 - 0.35 * k / height,
            wspace=0.3 * k,
        )
    return fig, axes


def _panels(
    ax: Any, n: int, figsize: tuple[float, float], *, columns: int = 1
) -> tuple[Figure, list[Axes]]:
    """``n`` axes: the caller's (``n`` Axes; one Axes stands for itself when ``n`` is 1) or
    a new figure of ``n`` panels, ``columns`` to a row (one column: stacked, so that each
    panel keeps a readable size at phone width), with the unused cells of the last row
    removed. Stacked panels get room between one's x label and the next one's title."""
    if ax is not None:
        axes = [ax] if isinstance(ax, Axes) else list(ax)
        if len(axes) != n or not all(isinstance(a, Axes) for a in axes):
            raise TypeError(f"ax must be a sequence of {n} matplotlib Axes, got ax={ax!r}")
        return getattr(axes[0].figure, "figure", axes[0].figure), axes
    rows = -(-n // columns)
    fig, grid = plt.subplots(rows, columns, figsize=figsize, layout="constrained", squeeze=False)
    if rows > 1:
        fig.get_layout_engine().set(hspace=0.06)
    plt.close(fig)
    axes = list(grid.ravel())
    for extra in axes[n:]:
        extra.remove()
    return fig, axes[:n]


def _axes(ax: Axes | None, figsize: tuple[float, float] | None = None) -> tuple[Figure, Axes]:
    if ax is None:
        fig, (ax,) = _new_figure(figsize)
        return fig, ax
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got ax={ax!r}")
    return getattr(ax.figure, "figure", ax.figure), ax  # the root figure of a subfigure too


def _hangul_first() -> list[str]:
    """The font family for a label that mixes Hangul and mathtext (``손실 $J(\\theta_t)$``).

    Mathtext draws the text outside ``$...$`` with the first font of the label's family
    alone (no per-character fallback), so such a label puts NanumGothic first; the math
    itself still comes from the mathtext fonts (DejaVu).
    """
    return list(reversed(font_family()))


def _fmt(x: float) -> str:
    """A short number for labels, 4 significant digits at most: 0.25, 0.1995, 1e-05."""
    return f"{x:.4g}"


def _finite(values: Any) -> Array:
    """``values`` as floats with every non-finite entry replaced by NaN (masked when drawn)."""
    with np.errstate(all="ignore"):
        a = np.asarray(values, dtype=float)
    return np.where(np.isfinite(a), a, np.nan)


def _positive(values: Array) -> Array:
    """Finite and > 0, else NaN: what a log axis can show."""
    a = _finite(values)
    with np.errstate(invalid="ignore"):
        return np.where(a > 0, a, np.nan)


def _limits(values: Array, log: bool, pad: float = 0.05) -> tuple[float, float]:
    """Axis limits that hold every finite (positive, on a log axis) value, never degenerate."""
    v = np.asarray(values, dtype=float).ravel()
    v = v[np.isfinite(v)]
    if log:
        v = np.clip(v[v > 0], 1e-300, 1e300)
    if v.size == 0:
        return (0.1, 10.0) if log else (0.0, 1.0)
    lo, hi = float(v.min()), float(v.max())
    if log:
        if hi <= lo * (1 + 1e-9):
            return lo / 2, hi * 2
        ratio = (hi / lo) ** pad
        return lo / ratio, hi * ratio
    if hi - lo <= 1e-12 * max(abs(hi), abs(lo), 1e-300):
        d = max(abs(hi), 1.0) * 0.1
        return lo - d, hi + d
    d = (hi - lo) * pad
    return lo - d, hi + d


def _note(ax: Axes, text: str = "", *, x: float = 0.5, y: float = 0.95, ha: str = "center") -> Text:
    """The Korean message box of a figure (divergence), top centre of ``ax`` by default."""
    return ax.text(
        x,
        y,
        text,
        transform=ax.transAxes,
        ha=ha,
        va="top",
        color=DIVERGED,
        fontsize="medium",
        fontweight="bold",
        zorder=10,
        bbox={"boxstyle": "round,pad=0.35", "fc": "white", "ec": DIVERGED, "alpha": 0.9},
        gid="lrbook-note",
        visible=bool(text),
    )


_SUPERSCRIPT = str.maketrans("0123456789-−.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻·")


class PowerFormatter(LogFormatterSciNotation):
    """Log-axis labels such as 10⁻³ and 2×10⁻¹ as plain text instead of mathtext.

    Same ticks and choices as matplotlib's default log formatter, but the exponent is
    written with Unicode superscripts, which renders several times faster (no mathtext
    parse at every draw) and looks the same.

    Example:
        >>> [PowerFormatter()(x) for x in (0.001, 0.01, 1.0)]
        ['10⁻³', '10⁻²', '10⁰']
    """

    def __call__(self, x: float, pos: int | None = None) -> str:
        label = super().__call__(x, pos)
        if not label.startswith("$"):
            return label
        label = label.strip("$").replace(r"\mathdefault", "").replace(r"\times", "×")
        head, _, power = label.partition("^")
        return (head + power.strip("{}").translate(_SUPERSCRIPT)).strip("{}")


class _MinorLogLocator(LogLocator):
    """Minor ticks of a log axis only while it spans at most two decades: beyond that
    they carry no label, and every tick costs time at each redraw of a live figure."""

    def __init__(self) -> None:
        super().__init__(subs=np.arange(2.0, 10.0))

    def __call__(self) -> Any:
        low, high = self.axis.get_view_interval()
        if low > 0 and high / low > 100:
            return []
        return super().__call__()


def _log_axis(axis: Any) -> None:
    """Log-axis ticks of the house style on ``ax.xaxis`` or ``ax.yaxis``: at most 7 labelled
    decades in :class:`PowerFormatter` text, minor ticks only over short ranges."""
    axis.set_major_locator(LogLocator(numticks=7))
    axis.set_minor_locator(_MinorLogLocator())
    axis.set_major_formatter(PowerFormatter())
    axis.set_minor_formatter(PowerFormatter(labelOnlyBase=False, minor_thresholds=(2, 0.5)))


def _steps_axis(axis: Any) -> None:
    """A step-count axis: at most 6 integer ticks."""
    axis.set_major_locator(MaxNLocator(nbins=6, integer=True))


def _choose_scale(values: Array, log: bool) -> str:
    """log if asked and the finite values are >= 0 with some > 0 (zeros are masked), symlog
    if asked and some are negative, linear otherwise."""
    v = _finite(values)
    v = v[np.isfinite(v)]
    if not log or v.size == 0 or v.max() <= 0:
        return "linear"
    return "log" if v.min() >= 0 else "symlog"


def _apply_scale(ax: Axes, axis: str, kind: str, values: Array) -> None:
    """Set the scale and limits of ``axis`` so that every finite value shows."""
    v = _finite(values)
    v = v[np.isfinite(v)]
    setter = ax.set_xscale if axis == "x" else ax.set_yscale
    set_lim = ax.set_xlim if axis == "x" else ax.set_ylim
    if kind == "symlog":
        nonzero = np.abs(v[v != 0])
        setter("symlog", linthresh=float(nonzero.min()) if nonzero.size else 1.0)
    else:
        setter(kind)
    if kind == "log":
        _log_axis(ax.xaxis if axis == "x" else ax.yaxis)
    set_lim(*_limits(v, log=kind == "log"))


def _decades(values: Array) -> tuple[float, float]:
    """Log-axis limits rounded outward to whole decades (a frame that rarely changes)."""
    low, high = _limits(values, log=True, pad=0.0)
    low, high = 10.0 ** math.floor(math.log10(low)), 10.0 ** math.ceil(math.log10(high))
    return (low, high) if high > low else (low, 10.0 * low)


def _nice_limits(low: float, high: float) -> tuple[float, float]:
    """Linear limits rounded outward to round tick values."""
    ticks = MaxNLocator(nbins=5).tick_values(low, high)
    return float(ticks[0]), float(ticks[-1])


def _shown(y: Array, kind: str) -> Array:
    """What an axis of scale ``kind`` can draw of ``y``: non-finite (and, on log, <= 0) as NaN."""
    return _positive(y) if kind == "log" else _finite(y)


def _last_finite(y: Array) -> int | None:
    idx = np.flatnonzero(np.isfinite(y))
    return int(idx[-1]) if idx.size else None


def _schedule_name(schedule: Any, index: int) -> str:
    name = getattr(schedule, "name", None)
    if isinstance(name, str):
        return name
    qualname = getattr(schedule, "__qualname__", "")
    return qualname.split(".")[0] if qualname and qualname != "<lambda>" else f"스케줄 {index + 1}"


def _paths(trajectories: Any) -> list[tuple[Array, bool]]:
    """Split trajectories into ``(path of shape (T+1, d), diverged)`` pairs.

    Accepts a ``Trajectory`` (``.params`` of shape ``(T+1, ..., d)``, ``.diverged``), an array
    of shape ``(T+1,)`` (a 1-D path), ``(T+1, d)`` or ``(T+1, ..., d)`` (a batch), or a list or
    tuple of these. A path that holds a non-finite value counts as diverged.
    """
    if trajectories is None:
        return []
    if (
        not hasattr(trajectories, "params")
        and isinstance(trajectories, list | tuple)
        and all(hasattr(t, "params") or isinstance(t, np.ndarray) for t in trajectories)
    ):
        return [p for t in trajectories for p in _paths(t)]
    flags: Any = False
    if hasattr(trajectories, "params"):
        flags = getattr(trajectories, "diverged", False)
        trajectories = trajectories.params
    P = _finite(trajectories)
    if P.ndim == 1:
        P = P[:, None]
    if P.ndim < 2:
        raise ValueError(f"a trajectory needs shape (T+1, d), got shape {P.shape}")
    batch = P.shape[1:-1]
    flags = np.broadcast_to(np.asarray(flags, dtype=bool), batch).reshape(-1)
    P = P.reshape(P.shape[0], -1, P.shape[-1])
    return [
        (P[:, k, :], bool(flags[k]) or not np.isfinite(P[:, k, :]).all()) for k in range(P.shape[1])
    ]


def _series(values: Any, labels: Sequence[str] | None) -> list[tuple[str | None, Array, bool]]:
    """Split loss-like data into ``(label, y of shape (T+1,), diverged)`` triples.

    Accepts a mapping ``label -> array or Trajectory``, a ``Trajectory`` (its ``.losses``),
    an array of shape ``(T+1,)`` or ``(T+1, ...)`` (one series per trailing index), or a list
    of these.
    """
    if isinstance(values, Mapping):
        out = []
        for name, v in values.items():
            out += [
                (name if lab is None else f"{name} {lab}", y, d) for lab, y, d in _series(v, None)
            ]
        return out
    if (
        not hasattr(values, "losses")
        and isinstance(values, list | tuple)
        and all(hasattr(t, "losses") or isinstance(t, np.ndarray) for t in values)
    ):
        items = [s for v in values for s in _series(v, None)]
    else:
        flags: Any = False
        if hasattr(values, "losses"):
            flags = getattr(values, "diverged", False)
            values = values.losses
        Y = _finite(values)
        if Y.ndim == 0:
            raise ValueError(f"a loss curve needs shape (T+1,), got shape {Y.shape}")
        Y = Y.reshape(Y.shape[0], -1)
        flags = np.broadcast_to(np.asarray(flags, dtype=bool), Y.shape[1:]).reshape(-1)
        items = [(None, Y[:, k], bool(flags[k])) for k in range(Y.shape[1])]
    items = [(lab, y, d or not np.isfinite(y).all()) for lab, y, d in items]
    if labels is not None:
        labels = list(labels)
        if len(labels) != len(items):
            raise ValueError(f"labels needs one name per curve ({len(items)}), got {labels=}")
        items = [(name, y, d) for name, (_, y, d) in zip(labels, items, strict=True)]
    return items


def _evaluate(f: Any, points: Array) -> Array:
    """``f.value(points)`` (or ``f(points)``) with numpy's overflow warnings silenced."""
    value = getattr(f, "value", f)
    if not callable(value):
        raise TypeError(f"f must be a landscape with .value or a callable, got f={f!r}")
    with np.errstate(all="ignore"):
        return _finite(value(points))


def _minimum(f: Any) -> Array | None:
    m = getattr(f, "minimum", None)
    if m is None:
        return None
    m = _finite(m)
    return m if np.isfinite(m).all() else None


def _levels(Z: Array, n: int) -> Array:
    """Contour levels: geometric above the minimum for a landscape bounded below (they
    resolve both the narrow valley and the walls), linear when it takes negative values."""
    z = Z[np.isfinite(Z)]
    lo, hi = float(z.min()), float(z.max())
    if hi <= lo:
        return np.array([lo, lo + 1.0])
    if lo >= 0:
        span = hi - lo
        return lo + np.geomspace(span * 1e-3, span, n)
    return np.linspace(lo, hi, n + 2)[1:-1]


def _view_box(
    starts: list[Array], minimum: Array | None, xlim: Any, ylim: Any, margin: float = 0.25
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The part of the plane to draw: the start points, their mirror images through the
    minimum (where gradient descent overshoots to) and the minimum, with a margin."""
    pts = [s for s in starts if np.isfinite(s).all()]
    if minimum is not None and minimum.shape[-1] == 2:
        pts += [2 * minimum - s for s in pts] + [minimum]
    if not pts:
        pts = [np.array([-1.0, -1.0]), np.array([1.0, 1.0])]
    P = np.asarray(pts)
    lo, hi = P.min(axis=0), P.max(axis=0)
    size = np.maximum(hi - lo, 0.5 * max(float((hi - lo).max()), 1.0))
    lo, hi = lo - margin * size, hi + margin * size
    return (
        (float(lo[0]), float(hi[0])) if xlim is None else tuple(xlim),
        (float(lo[1]), float(hi[1])) if ylim is None else tuple(ylim),
    )


#: How step vectors are drawn: in data units, so an arrow is exactly the step.
_QUIVER = {
    "angles": "xy",
    "scale_units": "xy",
    "scale": 1,
    "width": 0.004,
    "headwidth": 4,
    "headlength": 5,
    "zorder": 4,
}


def _contours(ax: Axes, f: Any, box: Box, levels: int) -> Any:
    """Grey contour lines of ``f`` over ``box`` (None if ``f`` is nowhere finite there)."""
    (x0, x1), (y0, y1) = box
    X, Y = np.meshgrid(np.linspace(x0, x1, 121), np.linspace(y0, y1, 121))
    Z = _evaluate(f, np.stack([X, Y], axis=-1))
    if not np.isfinite(Z).any():
        return None
    return ax.contour(
        X, Y, np.ma.masked_invalid(Z), levels=_levels(Z, levels), colors="0.6", linewidths=0.7
    )


def _step_arrows(P: Array, box: Box) -> tuple[Array, Array, Array, Array]:
    r"""Tails ``(X, Y)`` and components ``(U, V)`` of the step vectors
    :math:`\theta_{t+1} - \theta_t` of a path of shape ``(T+1, 2)``.

    Steps that are not finite, negligible (under 0.2% of the view ``box``) or that reach
    beyond the view by more than its size (a diverging path) are masked.
    """
    (x0, x1), (y0, y1) = box
    sx, sy = x1 - x0, y1 - y0
    with np.errstate(all="ignore"):
        X, Y = P[:-1, 0], P[:-1, 1]
        U, V = np.diff(P[:, 0]), np.diff(P[:, 1])
        inside = (
            (np.minimum(X, X + U) > x0 - sx)
            & (np.maximum(X, X + U) < x1 + sx)
            & (np.minimum(Y, Y + V) > y0 - sy)
            & (np.maximum(Y, Y + V) < y1 + sy)
        )
        bad = ~np.isfinite(X + Y + U + V) | ~inside | (np.hypot(U / sx, V / sy) < 2e-3)
    X, Y = np.where(bad, 0.0, X), np.where(bad, 0.0, Y)
    U = np.ma.masked_array(np.where(bad, 0.0, U), bad)
    V = np.ma.masked_array(np.where(bad, 0.0, V), bad)
    return X, Y, U, V


def _diverged_label(label: str | None, diverged: bool) -> str | None:
    if not diverged:
        return label
    return "발산" if label is None else f"{label} (발산)"


def _divergence_text(names: list[str | None]) -> str:
    named = [n for n in names if n]
    return f"발산: {', '.join(named)}" if named else "발산"


def _active_length(losses: Array, diverged: bool) -> int:
    """How many leading points of a run are real: ``lrb.run`` freezes a diverged run by
    repeating its last point that passed, and those copies are not drawn."""
    if not diverged:
        return len(losses)
    changed = np.flatnonzero(losses != losses[-1])
    return int(changed[-1]) + 2 if changed.size else 1


class _Trail:
    """The iterates of one run on a landscape panel: markers or a line, the step arrows,
    and a red x where a diverged run was stopped. Updated in place by :meth:`set`."""

    def __init__(
        self,
        ax: Axes,
        color: str,
        *,
        arrows: bool,
        label: str | None = None,
        linestyle: Any = "-",
        marker: str | None = None,
    ) -> None:
        self.ax, self.color, self.arrows = ax, color, arrows
        # with arrows: the iterates as dots; else a line (its own dash pattern and a marker
        # every 10 steps, so that paths differ by more than colour)
        (self.line,) = ax.plot(
            [],
            [],
            ls="none" if arrows else linestyle,
            marker="o" if arrows else marker,
            markevery=1 if arrows else 10,
            color=color,
            ms=4 if arrows else 5,
            lw=1.6,
            label=label,
            gid="trajectory",
            zorder=3,
        )
        (self.end,) = ax.plot([], [], "x", color=DIVERGED, ms=10, mew=2.5, gid="diverged", zorder=6)
        self.quiver: Any = None

    def set(self, xy: Array, diverged: bool, box: Box) -> None:
        self.line.set_data(xy[:, 0], xy[:, 1])
        self.line.set_visible(True)
        self.end.set_data(xy[-1:, 0], xy[-1:, 1]) if diverged else self.end.set_data([], [])
        self.end.set_visible(diverged)
        if not self.arrows:
            return
        X, Y, U, V = _step_arrows(xy, box)
        if self.quiver is not None and self.quiver.N != X.size:
            self.quiver.remove()
            self.quiver = None
        if self.quiver is None:
            if X.size:
                self.quiver = self.ax.quiver(X, Y, U, V, color=self.color, **_QUIVER)
        else:
            self.quiver.set_offsets(np.column_stack([X, Y]))
            self.quiver.set_UVC(U, V)
            self.quiver.set_visible(True)

    def hide(self) -> None:
        for artist in self.artists():
            artist.set_visible(False)

    def artists(self) -> list[Any]:
        return [a for a in (self.line, self.end, self.quiver) if a is not None]


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def _png_rgb(rgba: Array) -> bytes:
    """An opaque RGBA image (H, W, 4) as an RGB PNG: no row filter, zlib level 1.

    Line art on white compresses well without PNG's row filters, and skipping the
    adaptive filter search of a general encoder halves the time of a 2x-density frame.

    Example:
        >>> import PIL.Image, io
        >>> a = np.zeros((2, 3, 4), np.uint8); a[..., 0] = [[0, 128, 255], [1, 2, 3]]
        >>> png = _png_rgb(a)
        >>> np.asarray(PIL.Image.open(io.BytesIO(png)))[..., 0].tolist()
        [[0, 128, 255], [1, 2, 3]]
    """
    h, w = rgba.shape[:2]
    rows = np.zeros((h, 1 + 3 * w), np.uint8)  # filter byte 0 ("None") at each row start
    rows[:, 1:] = rgba[..., :3].reshape(h, 3 * w)
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)),
            _png_chunk(b"IEND", b""),
        ]
    )


def _lines_with_gid(ax: Axes, gid: str) -> list:
    """The lines of ``ax`` tagged ``gid`` ("trajectory", "loss", "minimum", ...)."""
    return [line for line in ax.lines if line.get_gid() == gid]


def _set_note(note: Text, text: str) -> None:
    note.set_text(text)
    note.set_visible(bool(text))
