"""Pure figures of the book: ``plot_*`` functions take arrays (or core objects) and return a Figure.

Every function draws in the house style of :mod:`lrbook.style` and takes ``ax``
(keyword-only): given, it draws there and returns that axes' figure; omitted, it makes a
new figure. Non-finite or diverged data never raises and never leaves an empty plot: it is
masked and the figure says so in Korean (``"발산"``). Importing this module changes no
matplotlib setting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import finder as _finder
from ._figure import (
    _QUIVER,
    Array,
    PowerFormatter,
    _apply_scale,
    _axes,
    _choose_scale,
    _contours,
    _diverged_label,
    _divergence_text,
    _evaluate,
    _finite,
    _fmt,
    _hangul_first,
    _last_finite,
    _limits,
    _minimum,
    _note,
    _paths,
    _schedule_name,
    _series,
    _shown,
    _step_arrows,
    _steps_axis,
    _view_box,
)
from .style import BASE_FONT as BASE_FONT
from .style import COLORS as COLORS
from .style import DIVERGED as DIVERGED
from .style import KOREAN_FONT as KOREAN_FONT
from .style import LINESTYLES as LINESTYLES
from .style import MARKERS as MARKERS
from .style import STYLE as STYLE
from .style import WIDE as WIDE
from .style import style as style

# isort: split
# the chapters' own figures, one module per chapter topic
from .plot_adaptive import *  # noqa: F403
from .plot_adaptive import __all__ as _adaptive_all
from .plot_finder import *  # noqa: F403
from .plot_finder import __all__ as _finder_all
from .plot_landscape import *  # noqa: F403
from .plot_landscape import __all__ as _landscape_all
from .plot_practice import *  # noqa: F403
from .plot_practice import __all__ as _practice_all
from .plot_schedules import *  # noqa: F403
from .plot_schedules import __all__ as _schedules_all
from .plot_steps import *  # noqa: F403
from .plot_steps import __all__ as _steps_all
from .plot_summary import *  # noqa: F403
from .plot_summary import __all__ as _summary_all

__all__ = [
    "plot_landscape",
    "plot_landscape_1d",
    "plot_losses",
    "plot_lr_sweep",
    "plot_schedules",
    "plot_effective_lr",
    "plot_lr_finder",
    "plot_sharpness",
    "PowerFormatter",
    *_steps_all,  # chapters 1 and 2
    *_adaptive_all,  # chapter 3
    *_schedules_all,  # chapter 4
    *_landscape_all,  # chapter 5
    *_practice_all,  # chapter 6
    *_finder_all,  # chapter 7
    *_summary_all,  # chapter 8
]
# The house style imported above (``X as X``) stays reachable for the notebooks as lp.COLORS,
# lp.DIVERGED, lp.WIDE and lp.style(); lrbook.style documents and exports it.


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
        ax.set_ylabel(r"손실 $J(\theta_t)$", fontfamily=_hangul_first())
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
                label=rf"$2/\lambda_{{\max}}$ = {_fmt(threshold)}",
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
        ax.set_ylabel(r"학습률 $\eta_t$", fontfamily=_hangul_first())
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
#: Colour and marker of each fastai suggestion, the same in every figure: told apart by
#: shape as well as colour.
_SUGGESTIONS = {
    "valley": (COLORS[1], "v"),
    "steep": (COLORS[2], "^"),
    "minimum": (COLORS[3], "s"),
    "slide": (COLORS[4], "D"),
}


def _suggestion_style(name: str, index: int) -> tuple[str, str]:
    """The colour and marker of a suggestion (other names cycle through the house style)."""
    fallback = (COLORS[(index + 1) % len(COLORS)], MARKERS[(index + 1) % len(MARKERS)])
    return _SUGGESTIONS.get(name, fallback)


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
            color, marker = _suggestion_style(name, i)
            at = _curve_at(x, curve, lr)
            ax.plot(
                [lr],
                [at],
                marker,
                color=color,
                ms=9,
                mec="white",
                mew=1.2,
                zorder=5,
                label=f"{name}: {lr:.3g}",
                gid="suggestion",
            )
        _apply_scale(ax, "x", "log", np.concatenate([x, list(picks.values())]))
        ax.set_ylim(*_finder_ylim(y, s))
        ax.set_xlabel("학습률 η (로그 스케일)")
        ax.set_ylabel("손실")
        if title:
            ax.set_title(title)
        ax.legend(loc="lower left", ncols=2 if picks else 1)
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
            ax.plot(
                t,
                y,
                color=COLORS[i % len(COLORS)],
                ls=LINESTYLES[i % len(LINESTYLES)],
                label=name or r"$\lambda_{\max}$",
                gid="sharpness",
            )
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
                label=r"$2/\eta_t$",
                gid="threshold",
            )
        values = np.concatenate([y for _, y, _ in items] + [np.ravel(threshold)])
        _apply_scale(ax, "y", "linear", values)
        ax.set_xlabel("스텝 t")
        _steps_axis(ax.xaxis)
        ax.set_ylabel(r"샤프니스 $\lambda_{\max}$", fontfamily=_hangul_first())
        if title:
            ax.set_title(title)
        ax.legend()
        if any(d for _, _, d in items):
            _note(ax, _divergence_text([n for n, _, d in items if d]))
    return fig


def _plot_finder_result(result: Any, ax: Axes | None, skip_end: int) -> Figure:
    """Draw an ``lrb.LRFinderResult`` (the drawing behind ``LRFinderResult.plot``)."""
    stop = result.lrs.size - skip_end
    return plot_lr_finder(
        result.lrs[:stop], result.losses[:stop], result.smoothed[:stop], result.suggestions, ax=ax
    )


# The core draws nothing itself: LRFinderResult.plot calls the function registered here.
_finder.LRFinderResult.plotter = _plot_finder_result
