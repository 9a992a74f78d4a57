"""Figures for the book (matplotlib only): Korean font, pure ``plot_*`` functions, live figures.

Importing this module registers NanumGothic, the Hangul font that ships inside the
``koreanize-matplotlib`` wheel, and puts it in matplotlib's default family (after DejaVu
Sans, see :func:`use_korean_font`), so Korean labels render the same offline, on Binder and
on Colab. The font files are located with
:func:`importlib.util.find_spec` instead of importing ``koreanize_matplotlib`` itself, whose
import needs ``distutils`` (gone from Python 3.12).

Three layers live here, all numpy + matplotlib (never ipywidgets or IPython):

- pure ``plot_*`` functions: arrays in, a :class:`~matplotlib.figure.Figure` out (or drawn on
  the ``ax=`` you pass), in one house style (:data:`STYLE`, applied by :func:`style`);
- figures that update in place (``*Figure`` classes): the engine of the live explorers of
  :mod:`lrbook.widgets`, recomputed from the core on every ``update(...)``;
- kernel-free twins (``*_scrubber`` functions): the same figures animated over a grid of
  values of the main control and embedded as a self-contained HTML scrubber
  (:meth:`matplotlib.animation.Animation.to_jshtml`), for the rendered book.

Non-finite or diverged data never raises and never leaves an empty plot: it is masked and
the figure says so in Korean (``"발산"``).
"""

from __future__ import annotations

import base64
import functools
import importlib.util
import io
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import PIL.Image
from cycler import cycler
from matplotlib import font_manager
from matplotlib.animation import FuncAnimation
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import LogFormatterSciNotation, LogLocator, MaxNLocator

from ._checks import check_choice, check_int, check_interval, check_positive
from .analysis import classify_regime
from .curvature import stability_threshold
from .data import batch_stream, load_digits, make_spirals
from .finder import lr_find
from .landscapes import noisy, quadratic, rosenbrock
from .models import MLP
from .optimizers import adagrad, adam, adamw, rmsprop, sgd
from .schedules import (
    constant_schedule,
    cosine_annealing,
    cosine_warm_restarts,
    cyclic,
    exponential_decay,
    inverse_sqrt,
    linear_warmup,
    one_cycle,
    step_decay,
    warmup_cosine,
)
from .training import train
from .trajectory import run

__all__ = [
    "KOREAN_FONT",
    "BASE_FONT",
    "korean_font_files",
    "use_korean_font",
    "COLORS",
    "DIVERGED",
    "STYLE",
    "WIDE",
    "style",
    "PowerFormatter",
    "plot_landscape",
    "plot_landscape_1d",
    "plot_losses",
    "plot_lr_sweep",
    "plot_schedules",
    "plot_effective_lr",
    "plot_lr_finder",
    "plot_sharpness",
    "LiveFigure",
    "StepSizeFigure",
    "OptimizerRaceFigure",
    "ScheduleFigure",
    "LRFinderFigure",
    "TrainingFigure",
    "RACE_LANDSCAPES",
    "RACE_OPTIMIZERS",
    "SCHEDULES",
    "FINDER_OPTIMIZERS",
    "TRAINING_OPTIMIZERS",
    "make_schedule",
    "Scrubber",
    "scrub",
    "step_size_scrubber",
    "optimizer_scrubber",
    "schedule_scrubber",
    "lr_finder_scrubber",
    "training_scrubber",
]

KOREAN_FONT = "NanumGothic"
#: Listed before NanumGothic: Latin letters, digits, Greek and math symbols come from the font
#: matplotlib always ships, which also has the U+2212 minus sign that mathtext puts in every
#: log-axis label such as 10^-3 (NanumGothic lacks it, and mathtext takes its default glyphs
#: from the first family only). Hangul, absent from DejaVu Sans, falls back to NanumGothic.
BASE_FONT = "DejaVu Sans"


def korean_font_files() -> list[Path]:
    """Return the NanumGothic ``.ttf`` files shipped by the ``koreanize-matplotlib`` wheel.

    Raises:
        ModuleNotFoundError: if ``koreanize-matplotlib`` is not installed.
    """
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(
            "Korean figures need the NanumGothic font from the 'koreanize-matplotlib' package: "
            "pip install koreanize-matplotlib"
        )
    files = sorted((Path(spec.origin).parent / "fonts").glob("*.ttf"))
    if not files:
        raise FileNotFoundError(f"no .ttf files next to {spec.origin}")
    return files


def use_korean_font() -> str:
    """Register NanumGothic with matplotlib and make Korean text render with it by default.

    Safe to call more than once. The default family becomes ``[DejaVu Sans, NanumGothic]``:
    matplotlib draws each character with the first family that has it, so Hangul comes
    from NanumGothic and everything else (digits, Greek, the mathtext minus sign of
    log-axis labels) from DejaVu Sans, with no missing-glyph warning either way. Also
    switches the axis minus sign to ASCII ``-``.

    Returns:
        The Hangul font family, ``"NanumGothic"``.

    Example:
        >>> use_korean_font()
        'NanumGothic'
        >>> mpl.rcParams["font.family"]
        ['DejaVu Sans', 'NanumGothic']
    """
    known = {f.fname for f in font_manager.fontManager.ttflist}
    for path in korean_font_files():
        if str(path) not in known:
            font_manager.fontManager.addfont(str(path))
    mpl.rcParams["font.family"] = [BASE_FONT, KOREAN_FONT]
    mpl.rcParams["axes.unicode_minus"] = False
    return KOREAN_FONT


use_korean_font()

# ---------------------------------------------------------------------------------------
# House style
# ---------------------------------------------------------------------------------------

#: Okabe–Ito colours (distinguishable with colour-vision deficiencies), in cycle order.
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
#: The colour of every divergence mark and message.
DIVERGED = "#C62828"

#: The one style of every figure of the book: a laptop-sized 7x4 in figure, 11 pt text.
STYLE: dict[str, Any] = {
    "figure.figsize": (7.0, 4.0),
    "figure.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 1.8,
    "lines.markersize": 5,
    "axes.prop_cycle": cycler(color=COLORS),
}

#: The size of the two-panel figures (landscape | loss, schedule | training), inches.
WIDE = (8.5, 3.8)

Array = np.ndarray


@contextmanager
def style() -> Iterator[None]:
    """Apply :data:`STYLE` (on top of the Korean font) inside a ``with`` block.

    Only the keys of :data:`STYLE` are set and restored. (``matplotlib.rc_context`` would
    restore every rcParam, including the interactive mode that a notebook's backend
    switches on when the first figure is created inside the block: later pyplot figures
    would then no longer display.)

    Example:
        >>> with style():
        ...     fig = plt.figure()
        >>> fig.get_size_inches().tolist()
        [7.0, 4.0]
        >>> plt.close(fig)
    """
    saved = {key: mpl.rcParams[key] for key in STYLE}
    mpl.rcParams.update(STYLE)
    try:
        yield
    finally:
        mpl.rcParams.update(saved)


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
        fig.subplots_adjust(
            left=0.65 / width,
            right=1 - 0.15 / width,
            bottom=0.5 / height,
            top=1 - 0.35 / height,
            wspace=0.3,
        )
    return fig, axes


def _axes(ax: Axes | None, figsize: tuple[float, float] | None = None) -> tuple[Figure, Axes]:
    if ax is None:
        fig, (ax,) = _new_figure(figsize)
        return fig, ax
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got ax={ax!r}")
    return ax.get_figure(root=True), ax


def _fmt(x: float) -> str:
    """A short number for labels: 0.25, 0.002, 1e-05."""
    return f"{x:.3g}"


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
        fontsize=12,
        fontweight="bold",
        zorder=10,
        bbox={"boxstyle": "round,pad=0.35", "fc": "white", "ec": DIVERGED, "alpha": 0.9},
        gid="lrbook-note",
        visible=bool(text),
    )


def _schedule_name(schedule: Any, index: int) -> str:
    name = getattr(schedule, "name", None)
    if isinstance(name, str):
        return name
    qualname = getattr(schedule, "__qualname__", "")
    return qualname.split(".")[0] if qualname and qualname != "<lambda>" else f"스케줄 {index + 1}"


# ---------------------------------------------------------------------------------------
# Input normalisation
# ---------------------------------------------------------------------------------------


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


Box = tuple[tuple[float, float], tuple[float, float]]

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


def _diverged_label(label: str | None, diverged: bool) -> str | None:
    if not diverged:
        return label
    return "발산" if label is None else f"{label} (발산)"


def _divergence_text(names: list[str | None]) -> str:
    named = [n for n in names if n]
    return f"발산: {', '.join(named)}" if named else "발산"


# ---------------------------------------------------------------------------------------
# Pure plotting functions
# ---------------------------------------------------------------------------------------


def plot_landscape(
    f: Any,
    trajectories: Any = None,
    labels: Sequence[str] | None = None,
    *,
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    levels: int = 20,
    arrows: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    r"""Contours of a 2-D landscape with trajectories drawn as their step vectors.

    Each trajectory becomes one line of its iterates :math:`\theta_t` and one quiver of its
    step vectors :math:`\Delta\theta_t = \theta_{t+1} - \theta_t` (for gradient descent
    :math:`-\eta\nabla J(\theta_t)`), drawn head to tail in data units, so an arrow's length
    is the true step length. Contour levels are geometric above the minimum value, so both
    the floor of a narrow valley and its walls show.

    Args:
        f: a landscape (an object with ``.value(x)`` vectorized over leading axes, such as
            ``lrb.quadratic()``) or a callable ``x -> loss``; its ``.minimum``, if any, is
            starred.
        trajectories: a ``Trajectory`` (``lrb.run(...)``), an array of shape ``(T+1, 2)`` or
            ``(T+1, K, 2)``, or a list of these.
        labels: one legend name per trajectory.
        xlim, ylim: the view; by default the start points and the minimum with a margin.
            Diverging paths leave the view, and the figure says "발산".
        levels: number of contour levels.
        arrows: draw the step vectors (else a plain line through the iterates).
        title: axes title.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> x = np.array([[-2.0, 1.0], [-1.0, 0.2], [-0.5, 0.0]])
        >>> fig = plot_landscape(lambda p: 0.5 * (p ** 2).sum(-1), x, labels=["GD"])
        >>> len(fig.axes[0].collections)     # contours + one quiver
        2
    """
    paths = _paths(trajectories)
    if labels is not None and len(labels) != len(paths):
        raise ValueError(f"labels needs one name per trajectory ({len(paths)}), got {labels=}")
    names = list(labels) if labels is not None else [None] * len(paths)
    minimum = _minimum(f)
    with style():
        fig, ax = _axes(ax)
        (x0, x1), (y0, y1) = _view_box([P[0] for P, _ in paths], minimum, xlim, ylim)
        _contours(ax, f, ((x0, x1), (y0, y1)), levels)
        if minimum is not None and minimum.shape == (2,):
            ax.plot(*minimum, "*", color="k", ms=12, label="최솟값", gid="minimum", zorder=5)
        for i, ((P, diverged), name) in enumerate(zip(paths, names, strict=True)):
            color = COLORS[i % len(COLORS)]
            ax.plot(
                P[:, 0],
                P[:, 1],
                "o" if arrows else "o-",
                color=color,
                ms=3,
                label=_diverged_label(name, diverged),
                gid="trajectory",
                zorder=3,
            )
            if arrows:
                ax.quiver(*_step_arrows(P, ((x0, x1), (y0, y1))), color=color, **_QUIVER)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_xlabel("θ₁")
        ax.set_ylabel("θ₂")
        if title:
            ax.set_title(title)
        if any(n for n in names) or minimum is not None:
            ax.legend(loc="lower right")
        if any(d for _, d in paths):
            _note(ax, _divergence_text([n for n, (_, d) in zip(names, paths, strict=True) if d]))
    return fig


def plot_landscape_1d(
    f: Any,
    params: Any = None,
    labels: Sequence[str] | None = None,
    *,
    xlim: tuple[float, float] | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    r"""A 1-D loss curve :math:`J(\theta)` with the iterates of one or more runs on it.

    The iterates :math:`(\theta_t, J(\theta_t))` are joined by arrows in data units: the
    horizontal part of an arrow is the step :math:`-\eta J'(\theta_t)`.

    Args:
        f: a 1-D landscape (``.value(x)`` on shape ``(..., 1)``) or such a callable.
        params: a ``Trajectory`` or an array of shape ``(T+1,)``, ``(T+1, 1)`` or
            ``(T+1, K, 1)``, or a list of these.
        labels: one legend name per run.
        xlim: the θ range; by default the start points and the minimum with a margin.
        title: axes title.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> fig = plot_landscape_1d(lambda x: 5.0 * x[..., 0] ** 2, [1.0, -0.5, 0.25])
        >>> fig.axes[0].get_xlabel()
        'θ'
    """
    paths = _paths(params)
    if labels is not None and len(labels) != len(paths):
        raise ValueError(f"labels needs one name per run ({len(paths)}), got {labels=}")
    names = list(labels) if labels is not None else [None] * len(paths)
    minimum = _minimum(f)
    with style():
        fig, ax = _axes(ax)
        if xlim is None:
            pts = [P[0, 0] for P, _ in paths if np.isfinite(P[0, 0])]
            if minimum is not None:
                pts.append(float(minimum[0]))
            centre = float(minimum[0]) if minimum is not None else 0.0
            half = max([abs(p - centre) for p in pts] + [0.5]) * 1.25
            xlim = (centre - half, centre + half)
        x = np.linspace(*xlim, 301)
        curve = _evaluate(f, x[:, None])
        ax.plot(x, curve, color="0.45", lw=1.5, gid="curve")
        ylim = _limits(curve, log=False)
        for i, ((P, diverged), name) in enumerate(zip(paths, names, strict=True)):
            color = COLORS[i % len(COLORS)]
            xy = np.column_stack([P[:, 0], _evaluate(f, P)])
            ax.plot(
                xy[:, 0],
                xy[:, 1],
                "o",
                color=color,
                ms=4,
                label=_diverged_label(name, diverged),
                gid="trajectory",
                zorder=3,
            )
            ax.quiver(*_step_arrows(xy, (xlim, ylim)), color=color, **_QUIVER)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_xlabel("θ")
        ax.set_ylabel("손실 J(θ)")
        if title:
            ax.set_title(title)
        if any(n for n in names):
            ax.legend(loc="upper right")
        if any(d for _, d in paths):
            _note(ax, _divergence_text([n for n, (_, d) in zip(names, paths, strict=True) if d]))
    return fig


def plot_losses(
    losses: Any,
    labels: Sequence[str] | None = None,
    *,
    steps: Array | None = None,
    logy: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    r"""Loss against step, one line per run, on a log y axis.

    A run whose loss became non-finite (or that is flagged ``diverged``) is drawn up to its
    last finite value, marked there with a red ×, and named in a "발산" message.

    Args:
        losses: an array of shape ``(T+1,)`` or ``(T+1, K)``, a ``Trajectory``, a mapping
            ``label -> array or Trajectory``, or a list of these.
        labels: one legend name per line.
        steps: the x values (default ``0, 1, ..., T``).
        logy: log y axis (values <= 0 are masked; symlog if some are negative).
        title: axes title.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> fig = plot_losses(np.array([[1.0, 1.0], [0.5, 4.0], [0.25, np.inf]]), ["a", "b"])
        >>> fig.axes[0].get_yscale(), [t.get_text() for t in fig.axes[0].texts]
        ('log', ['발산: b'])
    """
    items = _series(losses, labels)
    all_y = np.concatenate([y for _, y, _ in items]) if items else np.array([])
    kind = _choose_scale(all_y, logy)
    with style():
        fig, ax = _axes(ax)
        for i, (name, y, diverged) in enumerate(items):
            t = np.arange(len(y)) if steps is None else np.asarray(steps)
            color = COLORS[i % len(COLORS)]
            shown = _shown(y, kind)
            ax.plot(t, shown, color=color, label=_diverged_label(name, diverged), gid="loss")
            k = _last_finite(shown)
            if diverged and k is not None:
                ax.plot(t[k], shown[k], "x", color=DIVERGED, ms=10, mew=2.5, gid="diverged")
        _apply_scale(ax, "y", kind, all_y)
        ax.set_xlabel("스텝 t")
        _steps_axis(ax.xaxis)
        ax.set_ylabel("손실 J(θ_t)")
        if title:
            ax.set_title(title)
        if any(name for name, _, _ in items):
            ax.legend()
        if any(d for _, _, d in items):
            _note(ax, _divergence_text([n for n, _, d in items if d]))
    return fig


def plot_lr_sweep(
    lrs: Any,
    losses: Any,
    *,
    sharpness: float | None = None,
    diverged: Any = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    r"""Final loss against learning rate of a sweep (log-log), with the :math:`2/\lambda` line.

    Gradient descent on a quadratic is stable exactly when
    :math:`\eta < 2/\lambda_{\max}`; the dashed vertical line marks that cliff. Diverged runs
    (flagged, or with a non-finite final loss) are drawn as red × along the top edge.

    Args:
        lrs: the K learning rates, shape ``(K,)``.
        losses: final losses, shape ``(K,)``; or loss curves of shape ``(T+1, K)`` (the last
            row is used); or a ``Trajectory`` of the sweep (its ``.losses`` and
            ``.diverged``).
        sharpness: :math:`\lambda_{\max}`; draws the line at :math:`2/\lambda_{\max}`.
        diverged: optional boolean flags of shape ``(K,)``.
        title: axes title.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> fig = plot_lr_sweep([0.01, 0.1, 0.3], [0.5, 0.01, np.inf], sharpness=10.0)
        >>> fig.axes[0].get_xscale(), fig.axes[0].get_lines()[-1].get_xdata()[0]
        ('log', 0.2)
    """
    eta = _finite(lrs).ravel()
    if hasattr(losses, "losses"):
        diverged = getattr(losses, "diverged", None) if diverged is None else diverged
        losses = losses.losses
    L = _finite(losses)
    final = L[-1] if L.ndim == 2 else L
    final = final.reshape(-1)
    if final.shape != eta.shape:
        raise ValueError(
            f"losses needs one final value per lr ({eta.size}), got shape {np.shape(losses)}"
        )
    flags = ~np.isfinite(final)
    if diverged is not None:
        flags |= np.broadcast_to(np.asarray(diverged, dtype=bool).reshape(-1), flags.shape)
    if sharpness is not None:
        sharpness = float(sharpness)
    kind = _choose_scale(final[~flags], True)
    with style():
        fig, ax = _axes(ax)
        ax.plot(eta[~flags], _shown(final[~flags], kind), "o-", label="최종 손실", gid="loss")
        if flags.any():
            ax.plot(
                eta[flags],
                np.full(flags.sum(), 0.97),
                "x",
                color=DIVERGED,
                ms=10,
                mew=2.5,
                transform=ax.get_xaxis_transform(),
                label="발산",
                gid="diverged",
                clip_on=False,
            )
            _note(ax, f"η ≥ {_fmt(float(eta[flags].min()))}: 발산", x=0.98, y=0.88, ha="right")
        xs = eta[np.isfinite(eta) & (eta > 0)]
        if sharpness is not None and sharpness > 0:
            threshold = 2.0 / sharpness
            xs = np.append(xs, threshold)
            ax.axvline(
                threshold,
                ls="--",
                color="k",
                lw=1.2,
                label=f"2/λ_max = {_fmt(threshold)}",
                gid="threshold",
            )
        _apply_scale(ax, "x", "log", xs)
        _apply_scale(ax, "y", kind, final[~flags])
        ax.set_xlabel("학습률 η")
        ax.set_ylabel("최종 손실")
        if title:
            ax.set_title(title)
        ax.legend(loc="lower left")
    return fig


def plot_schedules(
    schedules: Any,
    steps: int,
    labels: Sequence[str] | None = None,
    *,
    logy: bool = False,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    r"""Learning-rate schedules :math:`\eta_t` over steps ``0 .. steps-1``, one line each.

    Args:
        schedules: a schedule (``step -> lr``, vectorized over integer arrays, such as
            ``lrb.cosine_annealing(0.1, 100)``), an array of lrs, or a mapping
            ``label -> schedule`` or a list of these.
        steps: number of steps to draw.
        labels: legend names (default: the mapping keys, else each schedule's ``name``).
        logy: log y axis.
        title: axes title.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> decay = lambda t: 0.1 / (1 + t)
        >>> fig = plot_schedules({"상수": lambda t: 0.1 + 0 * t, "감쇠": decay}, 10)
        >>> [line.get_label() for line in fig.axes[0].get_lines()]
        ['상수', '감쇠']
    """
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps=}")
    if isinstance(schedules, Mapping):
        names, items = list(schedules.keys()), list(schedules.values())
    elif isinstance(schedules, list | tuple):
        items = list(schedules)
        names = [_schedule_name(s, i) for i, s in enumerate(items)]
    else:
        items = [schedules]
        names = [_schedule_name(schedules, 0)]
    if labels is not None:
        if len(labels) != len(items):
            raise ValueError(f"labels needs one name per schedule ({len(items)}), got {labels=}")
        names = list(labels)
    t = np.arange(int(steps))
    curves = []
    for s in items:
        with np.errstate(all="ignore"):
            values = s(t) if callable(s) else np.asarray(s)[: len(t)]
        curves.append(
            np.broadcast_to(_finite(values), (len(t),)) if np.ndim(values) == 0 else _finite(values)
        )
    kind = _choose_scale(np.concatenate(curves), logy)
    with style():
        fig, ax = _axes(ax)
        for i, (name, y) in enumerate(zip(names, curves, strict=True)):
            ax.plot(
                t[: len(y)],
                _shown(y, kind),
                color=COLORS[i % len(COLORS)],
                label=name,
                gid="schedule",
            )
        _apply_scale(ax, "y", kind, np.concatenate(curves))
        ax.set_xlabel("스텝 t")
        _steps_axis(ax.xaxis)
        ax.set_ylabel("학습률 η_t")
        if title:
            ax.set_title(title)
        ax.legend()
        if not all(np.isfinite(c).all() for c in curves):
            _note(ax, "유한하지 않은 값 생략")
    return fig


def plot_effective_lr(
    updates: Any,
    grads: Any,
    labels: Sequence[str] | None = None,
    *,
    lr: float | None = None,
    steps: Array | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    r"""Per-parameter effective learning rate :math:`-\Delta\theta_{t,i} / g_{t,i}` over steps.

    For plain SGD it is the constant :math:`\eta` for every parameter; an adaptive method
    (Adagrad, RMSprop, Adam) gives each coordinate its own, changing step size. Entries with
    a zero or non-finite gradient are masked. One line per parameter.

    Args:
        updates: the steps taken, shape ``(T, P)`` (or ``(T,)`` for one parameter); the
            ``updates`` that ``opt.update`` returns.
        grads: the gradients they were computed from, same shape.
        labels: one legend name per parameter (default θ₁, θ₂, ...; a legend is drawn for
            up to 8 parameters).
        lr: the nominal learning rate, drawn as a dashed reference line.
        steps: the x values (default ``0 .. T-1``).
        title: axes title.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure.

    Example:
        >>> g = np.array([[1.0, 2.0], [0.5, 1.0]])
        >>> fig = plot_effective_lr(-0.1 * g, g, lr=0.1)
        >>> np.allclose(fig.axes[0].get_lines()[0].get_ydata(), 0.1)
        True
    """
    U, G = _finite(updates), _finite(grads)
    if U.shape != G.shape or U.ndim == 0:
        raise ValueError(
            f"updates and grads need the same shape (T, P), got {U.shape} and {G.shape}"
        )
    U = U.reshape(U.shape[0], -1)
    G = G.reshape(G.shape[0], -1)
    with np.errstate(all="ignore"):
        eff = np.where(G != 0, -U / G, np.nan)
    eff = _finite(eff)
    n = eff.shape[1]
    if labels is not None and len(labels) != n:
        raise ValueError(f"labels needs one name per parameter ({n}), got {labels=}")
    names = list(labels) if labels is not None else [f"θ{_subscript(i + 1)}" for i in range(n)]
    reference = [] if lr is None else [float(lr)]
    kind = _choose_scale(np.append(eff.ravel(), reference), True)
    with style():
        fig, ax = _axes(ax)
        t = np.arange(eff.shape[0]) if steps is None else np.asarray(steps)
        for i in range(n):
            ax.plot(
                t,
                _shown(eff[:, i], kind),
                color=COLORS[i % len(COLORS)],
                label=names[i],
                gid="effective_lr",
            )
        if lr is not None:
            ax.axhline(
                float(lr), ls="--", color="k", lw=1.2, label=f"η = {_fmt(float(lr))}", gid="lr"
            )
        _apply_scale(ax, "y", kind, np.append(eff.ravel(), reference))
        ax.set_xlabel("스텝 t")
        _steps_axis(ax.xaxis)
        ax.set_ylabel("실효 학습률 −Δθ/g")
        if title:
            ax.set_title(title)
        if n <= 8 or lr is not None:
            ax.legend()
        if not (np.isfinite(U).all() and np.isfinite(G).all()):
            _note(ax, "발산: 유한하지 않은 값 생략")
        elif not np.isfinite(eff).any():
            _note(ax, "기울기가 모두 0입니다")
    return fig


def _subscript(i: int) -> str:
    return str(i).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


#: Where the name of the i-th suggestion sits next to its marker (points, alignment),
#: staggered because minimum and slide are often close.
_LABEL_OFFSETS = ((0, 10, "center"), (6, 8, "left"), (-6, -16, "right"), (6, -16, "left"))


def _curve_at(x: Array, y: Array, at: float) -> float:
    """``y`` at ``at`` by linear interpolation in log x over the finite points."""
    ok = np.isfinite(x) & np.isfinite(y) & (x > 0)
    if not ok.any() or not (at > 0):
        return float("nan")
    order = np.argsort(x[ok])
    return float(np.interp(np.log(at), np.log(x[ok][order]), y[ok][order]))


def _finder_ylim(losses: Array, smoothed: Array | None) -> tuple[float, float]:
    """A y range that shows the descent and the start of the blow-up, not the whole blow-up."""
    ref = smoothed if smoothed is not None and np.isfinite(smoothed).any() else losses
    ref = ref[np.isfinite(ref)]
    everything = np.concatenate([losses, smoothed if smoothed is not None else []])
    everything = everything[np.isfinite(everything)]
    if ref.size == 0:
        return 0.0, 1.0
    low, start = float(ref.min()), float(ref[0])
    high = float(everything.max())
    if start > low:
        high = min(high, start + (start - low))
    low = min(low, float(everything.min()))
    return _limits(np.array([low, high]), log=False, pad=0.08)


def plot_lr_finder(
    lrs: Any,
    losses: Any,
    smoothed: Any = None,
    suggestions: Mapping[str, float] | None = None,
    ax: Axes | None = None,
    *,
    title: str | None = None,
) -> Figure:
    r"""The LR range test: loss against learning rate (log x), with each suggestion marked.

    The raw losses are drawn thin, the debiased EMA :math:`\bar L_i = \mathrm{EMA}_i /
    (1 - \beta^{i+1})` bold. Every suggestion ``name -> lr`` gets a marker on the curve at
    its lr (one line each, labelled ``"name: lr"``) and its name beside it. Non-finite
    losses are masked (the figure says "발산"); the y range stops at twice the drop above
    the starting loss, so the blow-up at the end does not flatten the interesting part.

    Args:
        lrs: the learning rates of the iterations, shape ``(n,)``.
        losses: the loss at each, shape ``(n,)``.
        smoothed: the smoothed losses, shape ``(n,)`` (optional).
        suggestions: ``name -> lr`` (``res.suggestions`` of ``lrb.lr_find``); entries that
            are ``None`` or not finite are skipped.
        title: axes title.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure.

    References:
        L. N. Smith, "Cyclical Learning Rates for Training Neural Networks", WACV 2017;
        fastai ``Learner.lr_find`` and its ``plot_lr_find``.

    Example:
        >>> lrs = np.geomspace(1e-4, 1.0, 50)
        >>> fig = plot_lr_finder(lrs, 1.0 + (np.log10(lrs) + 2) ** 2, suggestions={"valley": 1e-2})
        >>> [float(l.get_xdata()[0]) for l in fig.axes[0].lines if l.get_gid() == "suggestion"]
        [0.01]
    """
    x = _finite(lrs).ravel()
    y = _finite(losses).ravel()
    if x.shape != y.shape:
        raise ValueError(f"lrs and losses need the same length, got {x.size} and {y.size}")
    s = None if smoothed is None else _finite(smoothed).ravel()
    if s is not None and s.shape != x.shape:
        raise ValueError(f"smoothed needs the length of lrs ({x.size}), got {s.size}")
    picks = {
        name: float(v)
        for name, v in (suggestions or {}).items()
        if v is not None and np.isfinite(v) and v > 0
    }
    with style():
        fig, ax = _axes(ax)
        ax.plot(x, y, color=COLORS[0], lw=1.0, alpha=0.45, label="손실", gid="loss")
        if s is not None:
            ax.plot(x, s, color=COLORS[0], lw=2.2, label="평활 손실 (EMA)", gid="smoothed")
        curve = s if s is not None else y
        for i, (name, lr) in enumerate(picks.items()):
            color = COLORS[(i + 1) % len(COLORS)]
            at = _curve_at(x, curve, lr)
            ax.plot(
                [lr],
                [at],
                "o",
                color=color,
                ms=9,
                mec="white",
                mew=1.5,
                zorder=5,
                label=f"{name}: {lr:.2e}",
                gid="suggestion",
            )
            dx, dy, ha = _LABEL_OFFSETS[i % len(_LABEL_OFFSETS)]
            ax.annotate(
                name,
                (lr, at),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                color=color,
                fontsize=10,
                gid="suggestion-label",
            )
        _apply_scale(ax, "x", "log", np.concatenate([x, list(picks.values())]))
        ax.set_ylim(*_finder_ylim(y, s))
        ax.set_xlabel("학습률 η (로그 스케일)")
        ax.set_ylabel("손실")
        if title:
            ax.set_title(title)
        ax.legend(loc="lower left")
        if not np.isfinite(y).all():
            _note(ax, "발산: NaN/∞ 손실은 생략")
    return fig


def plot_sharpness(
    sharpness: Any,
    lr: Any,
    labels: Sequence[str] | None = None,
    *,
    steps: Array | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    r"""Sharpness :math:`\lambda_{\max}` of the Hessian over steps, with the :math:`2/\eta` line.

    Gradient descent with step :math:`\eta` is stable near :math:`\theta` only while
    :math:`\lambda_{\max} < 2/\eta`; at the edge of stability the sharpness rises to that
    line and hovers there (Cohen et al., 2021).

    Args:
        sharpness: shape ``(T,)`` or ``(T, K)`` (one line per column), or a mapping
            ``label -> array``.
        lr: the learning rate: a float (a horizontal line at :math:`2/\eta`), or a schedule
            or an array of per-step lrs (a dashed curve :math:`2/\eta_t`).
        labels: one legend name per line.
        steps: the x values (default ``0 .. T-1``).
        title: axes title.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure.

    References:
        J. Cohen et al., "Gradient Descent on Neural Networks Typically Occurs at the Edge of
        Stability", ICLR 2021.

    Example:
        >>> fig = plot_sharpness(np.linspace(10.0, 40.0, 20), lr=0.05)
        >>> [l.get_ydata()[0] for l in fig.axes[0].get_lines() if l.get_gid() == "threshold"]
        [40.0]
    """
    items = _series(sharpness, labels)
    n = len(items[0][1]) if items else 0
    t = np.arange(n) if steps is None else np.asarray(steps)
    if callable(lr):
        threshold = 2.0 / _finite(lr(np.arange(n)))
    elif np.ndim(lr) == 0:
        threshold = np.array(2.0 / float(lr))
    else:
        threshold = 2.0 / _finite(lr).ravel()
    threshold = _finite(threshold)
    with style():
        fig, ax = _axes(ax)
        for i, (name, y, _) in enumerate(items):
            ax.plot(t, y, color=COLORS[i % len(COLORS)], label=name or "λ_max", gid="sharpness")
        if threshold.ndim == 0:
            ax.axhline(
                float(threshold),
                ls="--",
                color="k",
                lw=1.2,
                label=f"2/η = {_fmt(float(threshold))}",
                gid="threshold",
            )
        else:
            ax.plot(
                t[: threshold.size],
                threshold[: t.size],
                "--",
                color="k",
                lw=1.2,
                label="2/η_t",
                gid="threshold",
            )
        values = np.concatenate([y for _, y, _ in items] + [np.ravel(threshold)])
        _apply_scale(ax, "y", "linear", values)
        ax.set_xlabel("스텝 t")
        _steps_axis(ax.xaxis)
        ax.set_ylabel("샤프니스 λ_max")
        if title:
            ax.set_title(title)
        ax.legend()
        if any(d for _, _, d in items):
            _note(ax, _divergence_text([n for n, _, d in items if d]))
    return fig


# ---------------------------------------------------------------------------------------
# Figures that update in place: the engine of lrbook.widgets and of the scrubbers
# ---------------------------------------------------------------------------------------


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

    def __init__(self, ax: Axes, color: str, *, arrows: bool, label: str | None = None) -> None:
        self.ax, self.color, self.arrows = ax, color, arrows
        (self.line,) = ax.plot(
            [],
            [],
            "o" if arrows else "-",
            color=color,
            ms=4,
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


class LiveFigure:
    """A figure recomputed in place: ``update(**controls)`` reruns the experiment with the
    core and moves the existing artists; no axes, contour or colour is rebuilt.

    Subclasses declare :attr:`defaults` (the controls and their start values), build the
    artists once in ``_build`` and refresh them in ``_draw``. The live explorers of
    :mod:`lrbook.widgets` call :meth:`update` on every slider move; the scrubbers call it
    once per animation frame.

    Attributes:
        fig: the matplotlib figure.
        controls: the current value of every control.
    """

    #: control name -> default value
    defaults: Mapping[str, Any] = {}

    def __init__(self, **controls: Any) -> None:
        self.controls: dict[str, Any] = dict(self.defaults)
        self._set(controls)
        self._background: Any = None
        with style():
            self.fig = self._build()
            self._draw()

    def _set(self, controls: Mapping[str, Any]) -> None:
        unknown = sorted(set(controls) - set(self.defaults))
        if unknown:
            raise TypeError(
                f"unknown control(s) {unknown} of {type(self).__name__}; "
                f"the controls are {sorted(self.defaults)}"
            )
        merged = {**self.controls, **controls}
        self._check(merged)
        self.controls = merged

    def update(self, **controls: Any) -> Figure:
        """Set some controls, recompute and redraw in place.

        Args:
            **controls: new values, by control name (see :attr:`defaults`).

        Returns:
            The same figure, updated.
        """
        self._set(controls)
        with style():
            self._draw()
        return self.fig

    @property
    def messages(self) -> list[str]:
        """The Korean messages the figure now shows (divergence warnings)."""
        return [
            t.get_text()
            for ax in self.fig.axes
            for t in ax.texts
            if t.get_gid() == "lrbook-note" and t.get_visible() and t.get_text()
        ]

    def png(self) -> bytes:
        """The figure rendered as PNG bytes (what a live explorer shows).

        The frame of the figure (axes, ticks, labels, contours: everything but
        :meth:`_moving_artists`) is rendered once into a cached background, kept as long
        as no axis changes its limits or scale; each call restores it and draws only the
        moving artists on top, in zorder (with the axes spines, which sit above the data),
        as matplotlib's blitting does for animations.
        The live figures round their limits outward (to decades on log axes) so that most
        updates keep the frame.
        """
        canvas = self.fig.canvas
        renderer = canvas.get_renderer()
        moving = self._moving_artists()
        views = tuple(
            (ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale()) for ax in self.fig.axes
        )
        key = (renderer.width, renderer.height, views)
        if self._background is None or self._background[0] != key:
            hide = [a for a in moving if not a.get_animated()]
            for artist in hide:
                artist.set_animated(True)
            try:
                canvas.draw()
            finally:
                for artist in hide:
                    artist.set_animated(False)
            self._background = (key, canvas.copy_from_bbox(self.fig.bbox))
        else:
            canvas.restore_region(self._background[1])
        spines = [spine for ax in self.fig.axes for spine in ax.spines.values()]
        for artist in sorted(moving + spines, key=lambda a: a.get_zorder()):
            if artist.get_visible():
                artist.draw(renderer)
        image = PIL.Image.frombuffer(
            "RGBA", (renderer.width, renderer.height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1
        )
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def _moving_artists(self) -> list[Any]:
        """The artists that :meth:`_draw` changes (lines, titles, notes, legends), and any
        artist that must stay on top of them; the rest is the cached frame."""
        return []

    def _repr_png_(self) -> bytes:
        return self.png()

    def _check(self, controls: dict[str, Any]) -> None:
        """Validate the controls (ValueError/TypeError naming the bad one)."""

    def _build(self) -> Figure:
        raise NotImplementedError

    def _draw(self) -> None:
        raise NotImplementedError


def _lines_with_gid(ax: Axes, gid: str) -> list:
    """The lines of ``ax`` tagged ``gid`` ("trajectory", "loss", "minimum", ...)."""
    return [line for line in ax.lines if line.get_gid() == gid]


def _set_note(note: Text, text: str) -> None:
    note.set_text(text)
    note.set_visible(bool(text))


_REGIMES = {"monotone": "단조 수렴", "oscillating": "진동하며 수렴", "divergent": "발산"}


class StepSizeFigure(LiveFigure):
    r"""Gradient descent :math:`\theta_{t+1} = \theta_t - \eta\,\nabla J(\theta_t)` for a
    chosen step size :math:`\eta`, on a 1-D or a 2-D quadratic, updated in place.

    Left: the landscape with the iterates and their step vectors (for ``dim=1`` the
    parabola :math:`J(\theta) = 5\theta^2` from :math:`\theta_0 = 1`; for ``dim=2`` the bowl
    with Hessian eigenvalues 1 and 10 from :math:`(-2, 1)`). Right: the loss per step on a
    log axis, titled with the regime (단조 수렴 / 진동하며 수렴 / 발산). Both landscapes have
    :math:`\lambda_{\max} = 10`, so gradient descent is stable exactly for
    :math:`\eta < 2/\lambda_{\max} = 0.2`; above it the figure says
    ``"η = 0.25 > 2/λ = 0.2: 발산"``.

    Controls: ``lr`` (:math:`\eta > 0`), ``steps`` (at least 1).

    Args:
        dim: 1 or 2.
        **controls: start values of the controls.

    Example:
        >>> live = StepSizeFigure(dim=1, lr=0.25)
        >>> live.messages
        ['η = 0.25 > 2/λ = 0.2: 발산']
        >>> live.update(lr=0.05).axes[1].get_title()
        '단조 수렴'
    """

    defaults = {"lr": 0.05, "steps": 20}

    def __init__(self, dim: int = 2, **controls: Any) -> None:
        if dim not in (1, 2):
            raise ValueError(f"dim must be 1 or 2, got {dim=}")
        self.dim = dim
        self.f = quadratic((10.0,)) if dim == 1 else quadratic((1.0, 10.0))
        self.x0 = np.array([1.0]) if dim == 1 else np.array([-2.0, 1.0])
        self.threshold = float(stability_threshold(self.f, self.f.minimum))
        super().__init__(**controls)

    def _check(self, controls: dict[str, Any]) -> None:
        check_positive("lr", controls["lr"])
        check_int("steps", controls["steps"], minimum=1)

    def _build(self) -> Figure:
        fig, (self.ax_land, self.ax_loss) = _new_figure(WIDE, ncols=2, fixed=True)
        if self.dim == 1:
            plot_landscape_1d(self.f, xlim=(-1.6, 1.6), ax=self.ax_land)
        else:
            plot_landscape(self.f, xlim=(-2.6, 2.6), ylim=(-1.4, 1.4), ax=self.ax_land)
        if self.ax_land.get_legend() is not None:
            self.ax_land.get_legend().remove()
        self.box = (self.ax_land.get_xlim(), self.ax_land.get_ylim())
        self.trail = _Trail(self.ax_land, COLORS[0], arrows=True)
        (self.loss,) = self.ax_loss.plot([], [], "o-", ms=3, color=COLORS[0], gid="loss")
        (self.loss_end,) = self.ax_loss.plot(
            [], [], "x", color=DIVERGED, ms=10, mew=2.5, gid="diverged"
        )
        self.ax_loss.set_yscale("log")
        _log_axis(self.ax_loss.yaxis)
        # a fixed frame: from far below any start to above lrb.run's divergence bound
        self.ax_loss.set_ylim(1e-10, 1e7)
        self.ax_loss.set_xlabel("스텝 t")
        self.ax_loss.set_ylabel("손실 J(θ_t)")
        _steps_axis(self.ax_loss.xaxis)
        self.note = _note(self.ax_land)
        return fig

    def _moving_artists(self) -> list[Any]:
        stars = _lines_with_gid(self.ax_land, "minimum")
        loss = [self.ax_loss.title, self.loss, self.loss_end]
        return [self.ax_land.title, self.note, *self.trail.artists(), *stars, *loss]

    def _draw(self) -> None:
        lr, steps = float(self.controls["lr"]), int(self.controls["steps"])
        traj = run(sgd(lr=lr), self.f, self.x0, steps)
        stopped = bool(traj.diverged)
        n = _active_length(traj.losses, stopped)
        P, L = traj.params[:n], traj.losses[:n]
        self.trail.set(np.column_stack([P[:, 0], L]) if self.dim == 1 else P, stopped, self.box)
        shown = _positive(L)
        self.loss.set_data(np.arange(n), shown)
        k = _last_finite(shown)
        if stopped and k is not None:
            self.loss_end.set_data([k], [shown[k]])
        else:
            self.loss_end.set_data([], [])
        self.ax_loss.set_xlim(-0.5, steps + 0.5)
        regime = str(classify_regime(traj.params, traj.losses, traj.diverged))
        above = lr > self.threshold
        if regime == "divergent" and not (above or stopped):
            title = "수렴하지 않음 (η = 2/λ: 같은 폭으로 진동)"
        else:
            title = _REGIMES[regime]
        self.ax_loss.set_title(title)
        self.ax_land.set_title(f"η = {_fmt(lr)}   (2/λ_max = {_fmt(self.threshold)})")
        if above:
            text = f"η = {_fmt(lr)} > 2/λ = {_fmt(self.threshold)}: 발산"
        else:
            text = "발산" if stopped else ""
        _set_note(self.note, text)


#: Landscapes of the optimizer race: key -> (Korean name, factory, start point, view box).
RACE_LANDSCAPES: dict[str, tuple[str, Callable[[], Any], tuple[float, float], Box]] = {
    "ill_conditioned": (
        "악조건 이차함수 (κ = 25)",
        lambda: quadratic((1.0, 25.0), angle=np.pi / 6),
        (-2.0, 1.0),
        ((-2.5, 2.5), (-1.5, 1.5)),
    ),
    "rosenbrock": ("로젠브록 함수", rosenbrock, (-1.2, 1.0), ((-2.0, 2.0), (-1.0, 3.0))),
    "quadratic": (
        "이차함수 (κ = 2)",
        lambda: quadratic((1.0, 2.0)),
        (-2.0, 1.5),
        ((-2.5, 2.5), (-2.0, 2.0)),
    ),
}


def _nesterov(lr: float, momentum: float, beta1: float, beta2: float) -> Any:
    # PyTorch refuses nesterov=True without momentum; with momentum 0 it is plain SGD.
    return sgd(lr=lr, momentum=momentum, nesterov=momentum > 0)


#: Optimizers of the race: name -> (factory of (lr, momentum, beta1, beta2), the controls
#: besides lr it reads).
RACE_OPTIMIZERS: dict[str, tuple[Callable[[float, float, float, float], Any], tuple[str, ...]]] = {
    "SGD": (lambda lr, m, b1, b2: sgd(lr=lr), ()),
    "모멘텀": (lambda lr, m, b1, b2: sgd(lr=lr, momentum=m), ("momentum",)),
    "네스테로프": (_nesterov, ("momentum",)),
    "Adagrad": (lambda lr, m, b1, b2: adagrad(lr=lr), ()),
    "RMSprop": (lambda lr, m, b1, b2: rmsprop(lr=lr), ()),
    "Adam": (lambda lr, m, b1, b2: adam(lr=lr, betas=(b1, b2)), ("beta1", "beta2")),
    "AdamW": (lambda lr, m, b1, b2: adamw(lr=lr, betas=(b1, b2)), ("beta1", "beta2")),
}


class OptimizerRaceFigure(LiveFigure):
    r"""Several optimizers from the same start on the same landscape, updated in place.

    Left: contours with one path per chosen optimizer; right: their losses per step (log
    y). A run counts as diverged when ``lrb.run`` stopped it or when it ends above its
    starting loss; the figure then names it: ``"발산: SGD, 모멘텀"``. Runs are cached, so
    moving a control that an optimizer does not read (``beta2`` for SGD) reruns nothing
    for it.

    Controls: ``landscape`` (a key of :data:`RACE_LANDSCAPES`), ``optimizers`` (names from
    :data:`RACE_OPTIMIZERS`), ``lr``, ``momentum`` (:math:`\mu \in [0, 1)`, for 모멘텀 and
    네스테로프), ``beta1`` and ``beta2`` (Adam's :math:`\beta_1, \beta_2 \in [0, 1)`),
    ``steps``.

    Example:
        >>> live = OptimizerRaceFigure(optimizers=("SGD", "Adam"), lr=0.1)
        >>> live.messages
        ['발산: SGD']
    """

    defaults = {
        "landscape": "ill_conditioned",
        "optimizers": ("SGD", "모멘텀", "Adam"),
        "lr": 0.02,
        "momentum": 0.9,
        "beta1": 0.9,
        "beta2": 0.999,
        "steps": 100,
    }

    def _check(self, controls: dict[str, Any]) -> None:
        check_choice("landscape", controls["landscape"], RACE_LANDSCAPES)
        chosen = controls["optimizers"]
        if isinstance(chosen, str):
            raise TypeError(f"optimizers must be a sequence of names, got optimizers={chosen!r}")
        for name in chosen:
            check_choice("optimizers", name, RACE_OPTIMIZERS)
        check_positive("lr", controls["lr"])
        check_interval("momentum", controls["momentum"], 0.0, 1.0, closed="left")
        check_interval("beta1", controls["beta1"], 0.0, 1.0, closed="left")
        check_interval("beta2", controls["beta2"], 0.0, 1.0, closed="left")
        check_int("steps", controls["steps"], minimum=1)

    def _build(self) -> Figure:
        fig, (self.ax_land, self.ax_loss) = _new_figure(WIDE, ncols=2, fixed=True)
        self.ax_land.set_xlabel("θ₁")
        self.ax_land.set_ylabel("θ₂")
        self.trails = {
            name: _Trail(self.ax_land, COLORS[i % len(COLORS)], arrows=False, label=name)
            for i, name in enumerate(RACE_OPTIMIZERS)
        }
        self.losses = {
            name: self.ax_loss.plot([], [], color=COLORS[i % len(COLORS)], gid="loss")[0]
            for i, name in enumerate(RACE_OPTIMIZERS)
        }
        (self.start,) = self.ax_land.plot([], [], "s", color="k", ms=6, gid="start", zorder=5)
        (self.minimum,) = self.ax_land.plot([], [], "*", color="k", ms=12, gid="minimum", zorder=5)
        self.ax_loss.set_yscale("log")
        _log_axis(self.ax_loss.yaxis)
        self.ax_loss.set_xlabel("스텝 t")
        self.ax_loss.set_ylabel("손실 J(θ_t)")
        _steps_axis(self.ax_loss.xaxis)
        self.note = _note(self.ax_land)
        self._contour: Any = None
        self._landscape: str | None = None
        self._cache: dict[tuple, Any] = {}
        return fig

    def _moving_artists(self) -> list[Any]:
        trails = [a for trail in self.trails.values() for a in trail.artists()]
        loss = [self.ax_loss.title, *self.losses.values(), self.ax_loss.get_legend()]
        artists = [self.ax_land.title, self.note, *trails, self.start, self.minimum, *loss]
        return [a for a in artists if a is not None]

    def _show_landscape(self, key: str) -> None:
        self._background = None
        _, make, x0, box = RACE_LANDSCAPES[key]
        self.f, self.x0, self.box = make(), np.array(x0), box
        if self._contour is not None:
            self._contour.remove()
        self._contour = _contours(self.ax_land, self.f, box, 20)
        self.start.set_data([x0[0]], [x0[1]])
        self.minimum.set_data([self.f.minimum[0]], [self.f.minimum[1]])
        self.ax_land.set_xlim(*box[0])
        self.ax_land.set_ylim(*box[1])
        # a fixed frame per landscape; diverging runs leave through the top
        top = _decades(np.array([30.0 * float(self.f.value(self.x0))]))[1]
        self.ax_loss.set_ylim(1e-8, top)
        self._landscape = key

    def _run(self, name: str) -> Any:
        c = self.controls
        factory, reads = RACE_OPTIMIZERS[name]
        key = (c["landscape"], name, float(c["lr"]), int(c["steps"])) + tuple(
            float(c[r]) for r in reads
        )
        if key not in self._cache:
            if len(self._cache) > 256:
                self._cache.clear()
            opt = factory(
                float(c["lr"]), float(c["momentum"]), float(c["beta1"]), float(c["beta2"])
            )
            self._cache[key] = run(opt, self.f, self.x0, int(c["steps"]))
        return self._cache[key]

    def _draw(self) -> None:
        c = self.controls
        if c["landscape"] != self._landscape:
            self._show_landscape(c["landscape"])
        chosen = [name for name in RACE_OPTIMIZERS if name in c["optimizers"]]
        diverged = []
        for name in RACE_OPTIMIZERS:
            if name not in chosen:
                self.trails[name].hide()
                self.losses[name].set_visible(False)
                continue
            traj = self._run(name)
            stopped = bool(traj.diverged)
            n = _active_length(traj.losses, stopped)
            bad = stopped or not traj.losses[n - 1] < traj.losses[0]
            if bad:
                diverged.append(name)
            self.trails[name].set(traj.params[:n], stopped, self.box)
            y = _positive(traj.losses[:n])
            self.losses[name].set_data(np.arange(n), y)
            self.losses[name].set_visible(True)
        self.ax_loss.set_xlim(0, int(c["steps"]))
        handles = [self.trails[name].line for name in chosen]
        if not chosen:
            self.ax_loss.set_title("옵티마이저를 하나 이상 고르세요")
        if handles:
            self.ax_loss.legend(handles=handles, loc="upper right", fontsize=9)
        elif self.ax_loss.get_legend() is not None:
            self.ax_loss.get_legend().remove()
        self.ax_land.set_title(f"{RACE_LANDSCAPES[c['landscape']][0]},  η = {_fmt(float(c['lr']))}")
        if chosen:
            self.ax_loss.set_title("스텝별 손실")
        _set_note(self.note, _divergence_text(diverged) if diverged else "")


def _decay_rate(gamma: float, period: int) -> float:
    # exponential_decay's rate that multiplies the lr by gamma every `period` steps
    return -math.log(gamma) / period


#: Schedules of the schedule explorer: key -> (Korean name, factory of
#: (lr, warmup_steps, step_size, gamma, total_steps), the controls besides lr it reads).
SCHEDULES: dict[str, tuple[str, Callable[..., Any], tuple[str, ...]]] = {
    "constant": ("상수", lambda lr, w, s, g, n: constant_schedule(lr), ()),
    "step_decay": (
        "계단 감쇠 (StepLR)",
        lambda lr, w, s, g, n: step_decay(lr, s, g),
        ("step_size", "gamma"),
    ),
    "exponential_decay": (
        "지수 감쇠",
        lambda lr, w, s, g, n: exponential_decay(lr, _decay_rate(g, s)),
        ("step_size", "gamma"),
    ),
    "cosine_annealing": ("코사인 감쇠", lambda lr, w, s, g, n: cosine_annealing(lr, n), ()),
    "linear_warmup": (
        "선형 워밍업",
        lambda lr, w, s, g, n: linear_warmup(lr, w),
        ("warmup_steps",),
    ),
    "warmup_cosine": (
        "워밍업 + 코사인 감쇠",
        lambda lr, w, s, g, n: warmup_cosine(lr, min(w, n - 1), n),
        ("warmup_steps",),
    ),
    "one_cycle": (
        "원사이클 (OneCycleLR)",
        lambda lr, w, s, g, n: one_cycle(lr, n, pct_start=min(max(w / n, 0.01), 0.99)),
        ("warmup_steps",),
    ),
    "cosine_warm_restarts": (
        "코사인 웜 리스타트",
        lambda lr, w, s, g, n: cosine_warm_restarts(lr, s),
        ("step_size",),
    ),
    "cyclic": (
        "순환 학습률 (CyclicLR)",
        lambda lr, w, s, g, n: cyclic(g * lr, lr, step_size_up=s),
        ("step_size", "gamma"),
    ),
    "inverse_sqrt": (
        "역제곱근 (Transformer)",
        lambda lr, w, s, g, n: inverse_sqrt(lr, max(w, 1)),
        ("warmup_steps",),
    ),
}


def make_schedule(
    schedule: str,
    lr: float,
    warmup_steps: int,
    step_size: int,
    gamma: float,
    total_steps: int,
) -> Any:
    """The schedule ``key`` of :data:`SCHEDULES` built from the explorer's shared controls.

    ``lr`` is the peak (or initial) rate; ``warmup_steps`` the warmup length (one-cycle:
    its rising phase); ``step_size`` the period (StepLR's step, the restart period
    :math:`T_0`, CyclicLR's half cycle, the period over which exponential decay multiplies
    the lr by ``gamma``); ``gamma`` the decay factor (CyclicLR: base_lr / max_lr).

    Example:
        >>> s = make_schedule("step_decay", 0.1, 0, 50, 0.5, 200)
        >>> float(s(49)), float(s(50))
        (0.1, 0.05)
    """
    _, factory, _ = SCHEDULES[check_choice("schedule", schedule, SCHEDULES)]
    return factory(lr, warmup_steps, step_size, gamma, total_steps)


class ScheduleFigure(LiveFigure):
    r"""A learning-rate schedule and the training it produces, updated in place.

    Left: :math:`\eta_t` for the chosen schedule (a key of :data:`SCHEDULES`, built by
    :func:`make_schedule`). Right: SGD with that schedule on a noisy quadratic (10
    Hessian eigenvalues from 0.2 to 10, Gaussian gradient noise :math:`\sigma = 1`, the
    same noise for every schedule), against the constant rate ``lr`` in grey. With noisy
    gradients a constant rate stalls at a noise floor proportional to :math:`\eta`;
    decaying it goes lower. Peaks above :math:`2/\lambda_{\max} = 0.2` may diverge, and
    the figure says so.

    Controls: ``schedule``, ``lr``, ``warmup_steps``, ``step_size``, ``gamma``.

    Args:
        steps: number of training steps (the schedule's total).
        **controls: start values of the controls.

    Example:
        >>> live = ScheduleFigure(schedule="constant", lr=0.5)
        >>> live.messages
        ['발산: 최대 η = 0.5 > 2/λ = 0.2']
    """

    defaults = {
        "schedule": "warmup_cosine",
        "lr": 0.1,
        "warmup_steps": 20,
        "step_size": 50,
        "gamma": 0.3,
    }

    def __init__(self, steps: int = 200, **controls: Any) -> None:
        self.steps = check_int("steps", steps, minimum=2)
        self.f = quadratic(np.geomspace(0.2, 10.0, 10))
        self.x0 = np.full(10, 3.0)
        self.threshold = float(stability_threshold(self.f, self.f.minimum))
        super().__init__(**controls)

    def _check(self, controls: dict[str, Any]) -> None:
        check_choice("schedule", controls["schedule"], SCHEDULES)
        check_positive("lr", controls["lr"])
        check_int("warmup_steps", controls["warmup_steps"], minimum=0)
        check_int("step_size", controls["step_size"], minimum=1)
        check_interval("gamma", controls["gamma"], 0.0, 1.0, closed="neither")

    def _moving_artists(self) -> list[Any]:
        return [
            self.ax_lr.title,
            self.curve,
            self.threshold_line,
            self.ax_loss.title,
            self.baseline,
            self.loss,
            self.ax_loss.get_legend(),
            self.note,
        ]

    def train(self, lr: Any) -> Any:
        """SGD with ``lr`` (a float or a schedule) on the figure's noisy quadratic.

        Args:
            lr: the learning rate or schedule.

        Returns:
            The ``lrb.run`` trajectory over ``steps`` steps, with the same gradient noise
            whatever ``lr`` is.
        """
        return run(sgd(lr=lr), noisy(self.f, sigma=1.0, seed=0), self.x0, self.steps)

    def _build(self) -> Figure:
        fig, (self.ax_lr, self.ax_loss) = _new_figure(WIDE, ncols=2, fixed=True)
        (self.curve,) = self.ax_lr.plot([], [], color=COLORS[0], gid="schedule")
        self.threshold_line = self.ax_lr.axhline(
            self.threshold, ls="--", color="k", lw=1.0, label="2/λ_max", gid="threshold"
        )
        self.ax_lr.set_xlabel("스텝 t")
        self.ax_lr.set_ylabel("학습률 η_t")
        self.ax_lr.set_xlim(0, self.steps)
        (self.baseline,) = self.ax_loss.plot(
            [], [], color="0.6", lw=1.2, label="상수 η (비교)", gid="baseline"
        )
        (self.loss,) = self.ax_loss.plot([], [], color=COLORS[0], label="스케줄", gid="loss")
        self.ax_loss.set_yscale("log")
        _log_axis(self.ax_loss.yaxis)
        self.ax_loss.set_ylim(1e-3, 1e3)  # a fixed frame; diverging runs leave through the top
        self.ax_loss.set_xlabel("스텝 t")
        self.ax_loss.set_ylabel("손실 J(θ_t)")
        self.ax_loss.set_xlim(0, self.steps)
        self.ax_loss.legend(loc="upper right")
        for ax in (self.ax_lr, self.ax_loss):
            _steps_axis(ax.xaxis)
        self.note = _note(self.ax_loss)
        self._baseline_lr: float | None = None
        return fig

    def _draw(self) -> None:
        c = self.controls
        lr = float(c["lr"])
        schedule = make_schedule(
            c["schedule"],
            lr,
            int(c["warmup_steps"]),
            int(c["step_size"]),
            float(c["gamma"]),
            self.steps,
        )
        t = np.arange(self.steps)
        eta = _finite(schedule(t))
        self.curve.set_data(t, eta)
        self.ax_lr.set_ylim(*_nice_limits(0.0, 1.05 * max(float(np.nanmax(eta)), self.threshold)))
        self.ax_lr.set_title(
            f"{SCHEDULES[c['schedule']][0]}  (최대 η = {_fmt(float(np.nanmax(eta)))})"
        )
        if self._baseline_lr != lr:
            base = self.train(lr)
            n = _active_length(base.losses, bool(base.diverged))
            self.baseline.set_data(np.arange(n), _positive(base.losses[:n]))
            self._baseline_lr = lr
        traj = self.train(lambda step: eta[step])  # the values just drawn, looked up
        stopped = bool(traj.diverged)
        n = _active_length(traj.losses, stopped)
        y = _positive(traj.losses[:n])
        self.loss.set_data(np.arange(n), y)
        self.ax_loss.set_title(f"잡음 섞인 이차함수에서 SGD: 최종 손실 {_fmt(float(y[-1]))}")
        peak = float(np.nanmax(eta))
        if stopped:
            text = (
                f"발산: 최대 η = {_fmt(peak)} > 2/λ = {_fmt(self.threshold)}"
                if peak > self.threshold
                else "발산"
            )
        else:
            text = ""
        _set_note(self.note, text)


#: Optimizers of the LR-finder explorer.
FINDER_OPTIMIZERS: dict[str, Callable[..., Any]] = {"SGD": sgd, "Adam": adam}


class LRFinderFigure(LiveFigure):
    r"""The LR range test on a small network, with fastai's four suggestions, in place.

    The problem: a tanh MLP (2 inputs, 16 hidden units, 3 classes) on three interleaved
    spirals (300 points, seeded), minibatches of 32. Each update reruns
    ``lrb.lr_find`` with the controls and redraws the raw and smoothed loss against the
    learning rate (log x) and the ``valley``, ``steep``, ``minimum`` and ``slide``
    suggestions. When the test stopped on divergence the figure says where.

    Controls: ``start_lr``, ``end_lr`` (``start_lr < end_lr``), ``num_it``, ``beta``
    (:math:`[0, 1)`), ``diverge_th`` (at least 1), ``optimizer`` (``"SGD"`` or ``"Adam"``).

    Example:
        >>> live = LRFinderFigure()
        >>> sorted(live.result.suggestions)
        ['minimum', 'slide', 'steep', 'valley']
    """

    defaults = {
        "start_lr": 1e-5,
        "end_lr": 10.0,
        "num_it": 100,
        "beta": 0.98,
        "diverge_th": 4.0,
        "optimizer": "SGD",
    }

    def __init__(self, **controls: Any) -> None:
        self.X, self.y = make_spirals(n_per_class=100, n_classes=3, seed=0)
        self.model = MLP(n_inputs=2, n_outputs=3, width=16, depth=1)
        self.params = self.model.init(seed=0)
        super().__init__(**controls)

    def _check(self, controls: dict[str, Any]) -> None:
        start = check_positive("start_lr", controls["start_lr"])
        end = check_positive("end_lr", controls["end_lr"])
        if start >= end:
            raise ValueError(f"start_lr must be below end_lr, got start_lr={start}, end_lr={end}")
        check_int("num_it", controls["num_it"], minimum=1)
        check_interval("beta", controls["beta"], 0.0, 1.0, closed="left")
        check_interval("diverge_th", controls["diverge_th"], 1.0, math.inf, closed="left")
        check_choice("optimizer", controls["optimizer"], FINDER_OPTIMIZERS)

    def _build(self) -> Figure:
        fig, (self.ax,) = _new_figure(fixed=True)
        (self.raw,) = self.ax.plot(
            [], [], color=COLORS[0], lw=1.0, alpha=0.45, label="손실", gid="loss"
        )
        (self.smooth,) = self.ax.plot(
            [], [], color=COLORS[0], lw=2.2, label="평활 손실 (EMA)", gid="smoothed"
        )
        self.marks: dict[str, tuple[Any, Any]] = {}
        for i, name in enumerate(("valley", "steep", "minimum", "slide")):
            color = COLORS[(i + 1) % len(COLORS)]
            (mark,) = self.ax.plot(
                [], [], "o", color=color, ms=9, mec="white", mew=1.5, zorder=5, gid="suggestion"
            )
            dx, dy, ha = _LABEL_OFFSETS[i]
            label = self.ax.annotate(
                name,
                (1.0, 0.0),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                color=color,
                fontsize=10,
                gid="suggestion-label",
            )
            self.marks[name] = (mark, label)
        self.ax.set_xscale("log")
        _log_axis(self.ax.xaxis)
        self.ax.legend(loc="lower left", fontsize=9)
        self.ax.set_xlabel("학습률 η (로그 스케일)")
        self.ax.set_ylabel("손실")
        self.note = _note(self.ax, x=0.98, y=0.95, ha="right")
        return fig

    def _moving_artists(self) -> list[Any]:
        marks = [a for pair in self.marks.values() for a in pair]
        legend = self.ax.get_legend()
        return [self.ax.title, self.raw, self.smooth, *marks, legend, self.note]

    def _draw(self) -> None:
        c = self.controls
        res = lr_find(
            self.model.loss_and_grad,
            self.params,
            optimizer=FINDER_OPTIMIZERS[c["optimizer"]],
            start_lr=float(c["start_lr"]),
            end_lr=float(c["end_lr"]),
            num_it=int(c["num_it"]),
            beta=float(c["beta"]),
            diverge_th=float(c["diverge_th"]),
            batches=batch_stream(self.X, self.y, batch_size=32, seed=0),
        )
        self.result = res
        lrs, losses, smoothed = _finite(res.lrs), _finite(res.losses), _finite(res.smoothed)
        self.raw.set_data(lrs, losses)
        self.smooth.set_data(lrs, smoothed)
        for name, (mark, label) in self.marks.items():
            lr = res.suggestions.get(name, math.nan)
            at = _curve_at(lrs, smoothed, lr) if np.isfinite(lr) and lr > 0 else math.nan
            ok = bool(np.isfinite(at))
            mark.set_data([lr], [at]) if ok else mark.set_data([], [])
            mark.set_label(f"{name}: {lr:.2e}" if ok else "_hidden")
            mark.set_visible(ok)
            if ok:
                label.xy = (lr, at)
                label.set_text(f"{name} {lr:.2g}")
            label.set_visible(ok)
        self.ax.set_xlim(*_limits(np.array([c["start_lr"], c["end_lr"]]), log=True, pad=0.02))
        # from the raw losses (they do not depend on beta): the frame rarely changes
        self.ax.set_ylim(*_nice_limits(*_finder_ylim(losses, None)))
        self.ax.set_title(
            f"LR 범위 테스트: {c['optimizer']}, β = {_fmt(float(c['beta']))}, "
            f"{len(lrs)}/{int(c['num_it'])}회"
        )
        if res.stopped_early:
            text = (
                f"η ≈ {res.lrs[-1]:.2g}에서 발산: 평활 손실 > {_fmt(float(c['diverge_th']))} × 최저"
            )
            if not np.isfinite(losses).all():
                text = f"η ≈ {res.lrs[-1]:.2g}에서 발산: 손실이 NaN/∞"
        else:
            text = ""
        _set_note(self.note, text)


#: Optimizers of the training explorer: name -> (factory of ``lr``, the seed's recommended
#: range of :math:`\eta`).
TRAINING_OPTIMIZERS: dict[str, tuple[Callable[..., Any], tuple[float, float]]] = {
    "Adam": (adam, (1e-4, 1e-3)),
    "SGD + 모멘텀": (functools.partial(sgd, momentum=0.9), (1e-2, 1e-1)),
}


@functools.lru_cache(maxsize=2)
def _digits_sweep(
    lrs: tuple[float, ...], epochs: int, batch_size: int, width: int, seed: int
) -> tuple[dict[str, Any], float]:
    """Every lr of ``lrs`` trained with each of :data:`TRAINING_OPTIMIZERS`, one vectorized
    ``lrb.train`` call per optimizer; cached (the arrays are read-only), so a figure and its
    twin built with the same settings train once."""
    data = load_digits()
    net = MLP(n_inputs=64, n_outputs=10, width=width, depth=1)
    max_loss = 3 * math.log(10)
    histories = {
        name: train(
            net,
            net.init(seed=seed),
            factory,
            data.train,
            data.val,
            lr=np.array(lrs),
            epochs=epochs,
            batch_size=batch_size,
            seed=seed,
            max_loss=max_loss,
        )
        for name, (factory, _) in TRAINING_OPTIMIZERS.items()
    }
    for h in histories.values():
        for value in vars(h).values():
            if isinstance(value, np.ndarray):
                value.flags.writeable = False
    return histories, max_loss


class TrainingFigure(LiveFigure):
    r"""A small MLP trained on the handwritten digits at the chosen optimizer and learning
    rate, with the whole learning-rate sweep beside it.

    The task of chapter 6: ``lrb.load_digits()`` (1438 training, 359 validation images),
    an ``lrb.MLP`` with one tanh hidden layer of ``width`` units, ``epochs`` epochs of
    minibatches of ``batch_size``, for every learning rate of the log-spaced ``grid`` and
    each optimizer of :data:`TRAINING_OPTIMIZERS` (Adam; SGD with momentum
    :math:`\mu = 0.9`). Everything is trained once, at construction, in one vectorized
    ``lrb.train`` call per optimizer (a few seconds); an update only looks the run up, so
    the ``lr`` control snaps to the nearest grid point (in log scale).

    Left: the minibatch loss of every step (faint) and the training and validation loss
    at every epoch, on a log axis. Middle: the validation accuracy per epoch. Right: the
    final validation accuracy against :math:`\eta` for both optimizers (log x), the
    current one in colour, its run marked, and the seed's recommended range shaded
    (Adam :math:`[10^{-4}, 10^{-3}]`, SGD + 모멘텀 :math:`[10^{-2}, 10^{-1}]`). A run
    diverges when a loss exceeds :math:`3 \ln 10` (three times the loss of a uniform
    guess); the figure then says "발산" and where.

    Controls: ``optimizer`` (a key of :data:`TRAINING_OPTIMIZERS`), ``lr`` (positive; the
    nearest grid point is shown).

    Args:
        grid: the learning rates trained (default 19 values from 1e-5 to 10, three per
            decade).
        epochs: passes over the training set.
        batch_size: examples per minibatch.
        width: hidden units of the MLP.
        seed: seed of the initial weights and of the minibatch order.
        **controls: start values of the controls.

    Example:
        >>> live = TrainingFigure(optimizer="SGD + 모멘텀", lr=0.1)
        >>> live.lr, live.messages
        (0.1, [])
        >>> live.update(optimizer="Adam", lr=10.0).axes[0].get_title()
        'Adam, η = 10'
        >>> live.messages[0].startswith("발산")
        True
    """

    defaults = {"optimizer": "Adam", "lr": 1e-3}

    def __init__(
        self,
        grid: Sequence[float] | None = None,
        epochs: int = 10,
        batch_size: int = 128,
        width: int = 16,
        seed: int = 0,
        **controls: Any,
    ) -> None:
        grid = np.geomspace(1e-5, 10.0, 19) if grid is None else grid
        self.grid = np.sort(np.array([check_positive("grid", float(v)) for v in grid]))
        if self.grid.size == 0:
            raise ValueError(f"grid must not be empty, got grid={list(grid)}")
        self.epochs = check_int("epochs", epochs, minimum=1)
        self.batch_size = check_int("batch_size", batch_size, minimum=1)
        width = check_int("width", width, minimum=1)
        seed = check_int("seed", seed)
        self.histories, self.max_loss = _digits_sweep(
            tuple(self.grid.tolist()), self.epochs, self.batch_size, width, seed
        )
        super().__init__(**controls)

    @property
    def index(self) -> int:
        """Position in ``grid`` of the run shown: the grid point nearest ``lr`` (log)."""
        return int(np.argmin(np.abs(np.log(self.grid) - math.log(float(self.controls["lr"])))))

    @property
    def lr(self) -> float:
        """The learning rate of the run shown (a point of ``grid``)."""
        return float(self.grid[self.index])

    def _check(self, controls: dict[str, Any]) -> None:
        check_choice("optimizer", controls["optimizer"], TRAINING_OPTIMIZERS)
        check_positive("lr", controls["lr"])

    def _build(self) -> Figure:
        fig, (self.ax_loss, self.ax_acc, self.ax_sweep) = _new_figure(
            (10.5, 3.8), ncols=3, fixed=True
        )
        fig.subplots_adjust(wspace=0.38)
        spe = next(iter(self.histories.values())).steps_per_epoch
        self.step_x = np.arange(self.epochs * spe) / spe
        self.epoch_x = np.arange(self.epochs + 1)

        # 1) losses: minibatch (faint), training and validation per epoch, log y
        (self.step_loss,) = self.ax_loss.plot(
            [], [], color=COLORS[0], lw=0.8, alpha=0.35, label="미니배치 손실", gid="step-loss"
        )
        (self.train_loss,) = self.ax_loss.plot(
            [], [], "o-", color=COLORS[0], ms=3.5, label="학습 손실", gid="train-loss"
        )
        (self.val_loss,) = self.ax_loss.plot(
            [], [], "s-", color=COLORS[1], ms=3.5, label="검증 손실", gid="val-loss"
        )
        self.ax_loss.axhline(
            self.max_loss,
            color=DIVERGED,
            ls="--",
            lw=1.0,
            label="발산 기준",
            gid="max-loss",
            zorder=1.9,  # under the curves, as when they are blitted over the frame
        )
        # a fixed frame for every run: the epoch losses of the whole sweep, up to max_loss
        finite = np.concatenate(
            [np.ravel(h.train_loss) for h in self.histories.values()]
            + [np.ravel(h.val_loss) for h in self.histories.values()]
        )
        finite = finite[np.isfinite(finite) & (finite <= self.max_loss)]
        self.ax_loss.set_yscale("log")
        _log_axis(self.ax_loss.yaxis)
        self.ax_loss.set_ylim(*_decades(np.r_[finite, self.max_loss]))
        self.ax_loss.set_xlim(0, self.epochs)
        self.ax_loss.set_xlabel("에폭")
        self.ax_loss.set_ylabel("손실 (교차 엔트로피)")
        self.ax_loss.legend(loc="lower left", fontsize=9)

        # 2) validation accuracy per epoch
        (self.acc,) = self.ax_acc.plot([], [], "o-", color=COLORS[2], ms=3.5, gid="val-acc")
        self.ax_acc.axhline(10.0, color="0.5", ls=":", lw=1.0, gid="chance")
        self.ax_acc.set_xlim(0, self.epochs)
        self.ax_acc.set_ylim(0, 100)
        self.ax_acc.set_xlabel("에폭")
        self.ax_acc.set_ylabel("검증 정확도 (%)")
        for ax in (self.ax_loss, self.ax_acc):
            _steps_axis(ax.xaxis)

        # 3) the sweep: final validation accuracy against lr, both optimizers
        self.span = self.ax_sweep.axvspan(
            1e-4, 1e-3, color=COLORS[4], alpha=0.25, lw=0, label="원문 권장 범위", gid="range"
        )
        self.curves = {
            name: self.ax_sweep.plot([], [], "o-", ms=3, gid="sweep")[0]
            for name in TRAINING_OPTIMIZERS
        }
        (self.sweep_diverged,) = self.ax_sweep.plot(
            [], [], "x", color=DIVERGED, ms=7, mew=2, label="발산", gid="diverged"
        )
        self.cursor = self.ax_sweep.axvline(1e-3, color="k", lw=1.0, ls="--", gid="current")
        (self.mark,) = self.ax_sweep.plot(
            [], [], "o", color="k", ms=8, mfc="none", mew=1.8, zorder=5, gid="current-run"
        )
        self.ax_sweep.set_xscale("log")
        _log_axis(self.ax_sweep.xaxis)
        self.ax_sweep.set_xlim(*_limits(self.grid, log=True, pad=0.04))
        self.ax_sweep.set_ylim(0, 100)
        self.ax_sweep.set_xlabel("학습률 η (로그 스케일)")
        self.ax_sweep.set_ylabel("최종 검증 정확도 (%)")
        self.ax_sweep.set_title(f"학습률 스윕 ({self.epochs} 에폭 뒤)")
        self.note = _note(self.ax_loss, y=0.62)
        return fig

    def _moving_artists(self) -> list[Any]:
        return [
            self.ax_loss.title,
            self.ax_acc.title,
            self.step_loss,
            self.train_loss,
            self.val_loss,
            self.acc,
            self.span,
            *self.curves.values(),
            self.sweep_diverged,
            self.cursor,
            self.mark,
            self.ax_sweep.get_legend(),
            self.note,
        ]

    def _draw(self) -> None:
        name = self.controls["optimizer"]
        k, lr = self.index, self.lr
        h = self.histories[name]
        low, high = TRAINING_OPTIMIZERS[name][1]

        # 1) the run at the grid point nearest lr
        self.step_loss.set_data(self.step_x, _positive(h.losses[:, k]))
        self.train_loss.set_data(self.epoch_x, _positive(h.train_loss[:, k]))
        self.val_loss.set_data(self.epoch_x, _positive(h.val_loss[:, k]))
        acc = 100 * _finite(h.val_acc[:, k])
        self.acc.set_data(self.epoch_x, acc)
        self.ax_loss.set_title(f"{name}, η = {lr:.2g}")
        diverged = bool(h.diverged[k])
        self.ax_acc.set_title("검증 정확도: 발산" if diverged else f"검증 정확도 {acc[-1]:.1f}%")

        # 2) the sweep, the current optimizer in colour
        for i, (other, line) in enumerate(self.curves.items()):
            current = other == name
            line.set_data(self.grid, 100 * _finite(self.histories[other].val_acc[-1]))
            line.set_color(COLORS[i] if current else "0.7")
            line.set_zorder(3 if current else 2)
            line.set_label(other if current else f"{other} (비교)")
        bad = np.asarray(h.diverged, dtype=bool)
        self.sweep_diverged.set_data(self.grid[bad], np.full(bad.sum(), 3.0))
        self.span.set_x(low)
        self.span.set_width(high - low)
        self.cursor.set_xdata([lr, lr])
        final = 100 * float(h.val_acc[-1, k]) if not diverged else 3.0
        self.mark.set_data([lr], [final])
        self.mark.set_color(DIVERGED if diverged else "k")
        others = [line for other, line in self.curves.items() if other != name]
        handles = [self.curves[name], *others, self.span, self.sweep_diverged]
        self.ax_sweep.legend(handles=handles, loc="center right", fontsize=8)

        # 3) the divergence message
        if diverged:
            step = int(h.diverged_step[k])
            text = f"발산: {step + 1}번째 스텝에서\n손실 > 3 ln 10 ≈ {self.max_loss:.2g}"
        else:
            text = ""
        _set_note(self.note, text)


# ---------------------------------------------------------------------------------------
# Kernel-free twins: animations over precomputed values of the main control
# ---------------------------------------------------------------------------------------


class Scrubber:
    """A self-contained HTML animation with play buttons and a frame slider.

    Put it last in a notebook cell: it displays through :meth:`_repr_html_`, and in the
    rendered book it plays without a kernel.

    Attributes:
        html: the markup (the ``to_jshtml`` player, its frames as embedded PNG, a caption).
        frames: number of frames.
    """

    def __init__(self, html: str, frames: int) -> None:
        self.html = html
        self.frames = frames

    @property
    def nbytes(self) -> int:
        """Size of the markup in bytes (UTF-8)."""
        return len(self.html.encode("utf-8"))

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<Scrubber: {self.frames} frames, {self.nbytes / 1e6:.2f} MB>"


def scrub(
    live: LiveFigure,
    control: str,
    values: Sequence[Any],
    *,
    caption: str = "",
    fps: float = 3.0,
    dpi: float = 72.0,
    colors: int = 96,
) -> Scrubber:
    """Animate ``live`` over ``values`` of one control into a :class:`Scrubber`.

    Each frame is ``live.update(**{control: value})`` rendered at ``dpi``; the frames are
    embedded by :meth:`matplotlib.animation.Animation.to_jshtml`, then each PNG frame is
    re-encoded with a palette of ``colors`` colours (line art loses nothing visible and
    the page gets about three times lighter). The figure is closed afterwards (``live``
    should not be used again).

    Args:
        live: the figure to animate.
        control: the name of the control to vary.
        values: its values, one per frame (15 to 30 is plenty).
        caption: HTML shown under the player (e.g. how to open the live version).
        fps: frames per second when playing.
        dpi: resolution of the embedded frames.
        colors: palette size of the embedded frames (2 to 256).

    Returns:
        The scrubber.
    """
    values = list(values)
    if not values:
        raise ValueError(f"values must not be empty, got {values=}")
    if control not in live.defaults:
        raise ValueError(f"control must be one of {sorted(live.defaults)}, got {control=}")
    check_positive("fps", fps)
    check_positive("dpi", dpi)
    check_int("colors", colors, minimum=2)
    if colors > 256:
        raise ValueError(f"colors must be at most 256, got {colors=}")
    fig = live.fig
    fig.set_dpi(dpi)

    def frame(i: int) -> list:
        live.update(**{control: values[i]})
        return []

    anim = FuncAnimation(fig, frame, frames=len(values), repeat=False)
    # to_jshtml draws each frame twice: the animation asks the canvas for an idle redraw
    # (on an Agg canvas, a full draw) and then saves the frame (a second full draw); only
    # the saved one is embedded, so the idle redraw is skipped while the frames are made.
    canvas = fig.canvas
    canvas.draw_idle = lambda *args, **kwargs: None
    try:
        with mpl.rc_context({"animation.frame_format": "png"}):
            jshtml = anim.to_jshtml(fps=fps, default_mode="once")
    finally:
        del canvas.draw_idle
    player = _offline(_palette_frames(jshtml, colors))
    anim.event_source = None
    plt.close(fig)
    note = f'<p class="lrbook-scrubber-caption">{caption}</p>' if caption else ""
    return Scrubber(f'<div class="lrbook-scrubber">{player}{note}</div>', len(values))


_FRAME = re.compile(r'(frames\[\d+\] = "data:image/png;base64,)(.*?)(")', re.DOTALL)


def _palette_frames(player: str, colors: int) -> str:
    """Re-encode every embedded PNG frame of a ``to_jshtml`` player with a palette."""

    def shrink(match: re.Match) -> str:
        data = base64.b64decode(match.group(2).replace("\\\n", ""))
        image = PIL.Image.open(io.BytesIO(data)).convert("RGB")
        out = io.BytesIO()
        image.quantize(colors).save(out, format="png", optimize=True)
        return match.group(1) + base64.b64encode(out.getvalue()).decode("ascii") + match.group(3)

    return _FRAME.sub(shrink, player)


#: The player's Font Awesome icons (fetched from a CDN) as plain characters, and its
#: repetition modes in Korean, so that the player needs no network at all.
_PLAYER_TEXT = {
    '<i class="fa fa-minus"></i>': "−",
    '<i class="fa fa-fast-backward"></i>': "|◀◀",
    '<i class="fa fa-step-backward"></i>': "|◀",
    '<i class="fa fa-play fa-flip-horizontal"></i>': "◀",
    '<i class="fa fa-pause"></i>': "❚❚",
    '<i class="fa fa-play"></i>': "▶",
    '<i class="fa fa-step-forward"></i>': "▶|",
    '<i class="fa fa-fast-forward"></i>': "▶▶|",
    '<i class="fa fa-plus"></i>': "+",
    ">Once</label>": ">한 번</label>",
    ">Loop</label>": ">반복</label>",
    ">Reflect</label>": ">왕복</label>",
}
_ICON_CSS = re.compile(r'<link rel="stylesheet"\s+href="[^"]*font-awesome[^"]*">\s*')


def _offline(player: str) -> str:
    """The ``to_jshtml`` player without its one network dependency (the icon font)."""
    player = _ICON_CSS.sub("", player)
    for old, new in _PLAYER_TEXT.items():
        player = player.replace(old, new)
    return player


def _live_caption(call: str, what: str) -> str:
    return (
        f"▶ 재생하거나 슬라이더를 끌어 {what}을(를) 바꿔 보세요. 직접 조작하려면 페이지 위의 "
        f"Binder·Colab 버튼으로 노트북을 열고 <code>{call}</code>을 실행하세요."
    )


def step_size_scrubber(
    dim: int = 2, lrs: Sequence[float] | None = None, steps: int = 20
) -> Scrubber:
    """Kernel-free twin of ``lw.step_size_explorer``: :class:`StepSizeFigure` over a log grid
    of step sizes (default 20 values from 0.01 to 0.25, across 2/λ = 0.2).

    Example:
        >>> s = step_size_scrubber(dim=1, lrs=[0.05, 0.25])
        >>> s.frames, "<script" in s._repr_html_()
        (2, True)
    """
    lrs = np.geomspace(0.01, 0.25, 20) if lrs is None else lrs
    live = StepSizeFigure(dim, lr=float(lrs[0]), steps=steps)
    return scrub(
        live,
        "lr",
        [float(v) for v in lrs],
        caption=_live_caption(f"lw.step_size_explorer(dim={dim})", "학습률 η"),
    )


def optimizer_scrubber(
    landscape: str = "ill_conditioned",
    optimizers: Sequence[str] = ("SGD", "모멘텀", "Adam"),
    lrs: Sequence[float] | None = None,
    **controls: Any,
) -> Scrubber:
    """Kernel-free twin of ``lw.optimizer_explorer``: :class:`OptimizerRaceFigure` over a log
    grid of learning rates (default 20 values from 1e-3 to 0.3).

    Example:
        >>> s = optimizer_scrubber(optimizers=("SGD",), lrs=[0.01, 0.1], steps=20)
        >>> s.frames
        2
    """
    lrs = np.geomspace(1e-3, 0.3, 20) if lrs is None else lrs
    live = OptimizerRaceFigure(
        landscape=landscape, optimizers=tuple(optimizers), lr=float(lrs[0]), **controls
    )
    return scrub(
        live,
        "lr",
        [float(v) for v in lrs],
        caption=_live_caption("lw.optimizer_explorer()", "학습률 η"),
    )


def schedule_scrubber(
    schedule: str = "warmup_cosine", lrs: Sequence[float] | None = None, **controls: Any
) -> Scrubber:
    """Kernel-free twin of ``lw.schedule_explorer``: :class:`ScheduleFigure` over a log grid
    of peak learning rates (default 16 values from 0.01 to 0.3).

    Example:
        >>> schedule_scrubber("constant", lrs=[0.05, 0.3]).frames
        2
    """
    lrs = np.geomspace(0.01, 0.3, 16) if lrs is None else lrs
    live = ScheduleFigure(schedule=schedule, lr=float(lrs[0]), **controls)
    return scrub(
        live,
        "lr",
        [float(v) for v in lrs],
        caption=_live_caption("lw.schedule_explorer()", "최대 학습률 η"),
    )


def lr_finder_scrubber(betas: Sequence[float] | None = None, **controls: Any) -> Scrubber:
    """Kernel-free twin of ``lw.lr_finder_explorer``: :class:`LRFinderFigure` over the
    smoothing factor β (default 16 values from 0 to 0.99).

    Example:
        >>> lr_finder_scrubber(betas=[0.0, 0.98], num_it=40).frames
        2
    """
    betas = np.r_[0.0, 1.0 - np.geomspace(0.5, 0.01, 15)] if betas is None else betas
    live = LRFinderFigure(beta=float(betas[0]), **controls)
    return scrub(
        live,
        "beta",
        [float(v) for v in betas],
        caption=_live_caption("lw.lr_finder_explorer()", "평활 계수 β"),
    )


def training_scrubber(
    optimizer: str = "Adam", lrs: Sequence[float] | None = None, **options: Any
) -> Scrubber:
    """Kernel-free twin of ``lw.training_explorer``: :class:`TrainingFigure` for one
    optimizer over its grid of learning rates (default every grid point, 19 values from
    1e-5 to 10).

    Args:
        optimizer: a key of :data:`TRAINING_OPTIMIZERS`.
        lrs: the learning rates of the frames (each shown at its nearest grid point).
        **options: ``grid``, ``epochs``, ``batch_size``, ``width``, ``seed`` of
            :class:`TrainingFigure`.

    Returns:
        The scrubber.

    Example:
        >>> training_scrubber("SGD + 모멘텀", lrs=[0.01, 10.0]).frames
        2
    """
    live = TrainingFigure(optimizer=optimizer, **options)
    lrs = live.grid if lrs is None else lrs
    return scrub(
        live,
        "lr",
        [float(v) for v in lrs],
        caption=_live_caption("lw.training_explorer()", "학습률 η"),
    )
