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
from matplotlib.ticker import NullFormatter

from ._figure import _axes, _contours, _finite, _hangul_first, _minimum, _panels
from .style import COLORS, DIVERGED, LINESTYLES, MARKERS, style

__all__ = [
    "plot_first_steps",
    "plot_shrinking_steps",
    "plot_descent_field",
    "plot_steepest_directions",
    "plot_regime_paths",
    "plot_step_factor",
    "plot_steps_to_tolerance",
    "plot_cliff",
    "plot_noise_jitter",
    "plot_quartic_edge",
    "plot_well_paths",
    "plot_step_rule_costs",
]

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


# ----------------------------------------------------------------- multi-panel figures


def _vector(name: str, value: Any, size: int | None = None) -> Array:
    a = np.asarray(value, dtype=float).ravel()
    if size is not None and a.size != size:
        raise ValueError(f"{name} must have {size} values, got {a.size}")
    return a


def plot_first_steps(
    f: Any,
    theta0: float,
    lrs: Any,
    theta1: Any,
    sweep_lrs: Any,
    sweep_lengths: Any,
    *,
    grad0: float,
    ax: Any = None,
) -> Figure:
    r"""One first step per learning rate on a 1-D loss, and the step length against :math:`\eta`.

    Two panels, stacked so that each keeps a readable size at phone width. Top: the curve
    :math:`J(\theta)`, its tangent at :math:`\theta_0`, and one arrow per learning rate from
    :math:`\theta_0` to :math:`\theta_1` drawn below the curve (labelled at its tip), with
    the landing point on the curve. Bottom: the measured first-step lengths
    against :math:`\eta` (markers) on the line :math:`\eta\,|J'(\theta_0)|`.

    Args:
        f: the 1-D landscape (``.value`` on shape ``(..., 1)``).
        theta0: the common start.
        lrs, theta1: the shown learning rates and where each first step landed.
        sweep_lrs, sweep_lengths: the swept learning rates and measured :math:`|\Delta\theta_0|`.
        grad0: :math:`|J'(\theta_0)|`.
        ax: two axes instead of a new figure.

    Returns:
        The figure; the arrows are annotations, the sweep line has ``gid="theory"``.
    """
    etas = _vector("lrs", lrs)
    ends = _vector("theta1", theta1, etas.size)
    xs = _vector("sweep_lrs", sweep_lrs)
    lengths = _vector("sweep_lengths", sweep_lengths, xs.size)
    J0 = float(np.asarray(f.value(np.array([theta0]))))
    with style():
        fig, (a0, a1) = _panels(ax, 2, (6.4, 7.2))
        reach = max(abs(theta0), float(np.abs(ends).max())) * 1.2
        grid = np.linspace(-reach, reach, 201)
        a0.plot(grid, f.value(grid[:, None]), color="0.45")
        tangent = np.array([theta0 - 0.8, theta0 + 0.6])
        a0.plot(tangent, J0 + grad0 * (tangent - theta0), "k:", lw=1.2)
        a0.annotate(
            f"접선 (기울기 {grad0:g})",
            xy=(theta0 - 0.7, J0 - 0.7 * grad0),
            xytext=(theta0 - 1.7, J0 - 0.05 * J0),
            ha="right",
            arrowprops={"arrowstyle": "->", "lw": 0.8},
        )
        a0.plot(theta0, J0, "ko", ms=6)
        for k, (eta, end) in enumerate(zip(etas, ends, strict=True)):
            color, y = COLORS[k % len(COLORS)], -0.15 * J0 - 0.14 * J0 * k
            a0.plot(end, float(np.asarray(f.value(np.array([end])))), "o", color=color, ms=6)
            a0.annotate(
                "",
                xy=(end, y),
                xytext=(theta0, y),
                arrowprops={"arrowstyle": "-|>", "color": color, "lw": 2},
            )
            a0.text(end - 0.1, y, f"η = {eta:g}", color=color, ha="right", va="center")
        a0.axhline(0, color="0.7", lw=0.8)
        a0.set_xlim(-reach, reach)
        a0.set_ylim(-0.15 * J0 - 0.14 * J0 * etas.size - 0.1 * J0, 1.4 * J0)
        a0.set_xlabel("θ")
        a0.set_ylabel("손실 J(θ)")
        a0.set_title(f"θ₀ = {theta0:g}에서 내딛은 첫 걸음")
        a1.plot(xs, lengths, "o", ms=4, label="측정한 |Δθ₀|")
        a1.plot(xs, grad0 * xs, "k-", lw=1, label=f"η·|∇J(θ₀)| = {grad0:g}η", gid="theory")
        a1.set_xlabel("학습률 η")
        a1.set_ylabel("첫 걸음의 길이 |Δθ₀|")
        a1.set_title("걸음 길이는 η에 정비례")
        a1.legend()
    return fig


def plot_shrinking_steps(
    f: Any, path: Any, lengths: Any, predicted: Any, *, lr: float, ax: Any = None
) -> Figure:
    r"""A gradient-descent walk on a 1-D loss and its step lengths on a log axis.

    Two panels, stacked so that each keeps a readable size at phone width. Top:
    :func:`lrbook.plotting.plot_landscape_1d` of the walk. Bottom: the measured step
    lengths :math:`|\Delta\theta_t|` (hollow circles) over :math:`\eta\,|\nabla J(\theta_t)|`
    (line, ``gid="predicted"``), log scale.

    Args:
        f: the 1-D landscape.
        path: the iterates, shape ``(T+1,)`` or ``(T+1, 1)``.
        lengths, predicted: the ``T`` measured and predicted step lengths.
        lr: the learning rate (for the labels).
        ax: two axes instead of a new figure.

    Returns:
        The figure.
    """
    from .plotting import plot_landscape_1d

    theta = _vector("path", path)
    measured = _vector("lengths", lengths, theta.size - 1)
    model = _vector("predicted", predicted, theta.size - 1)
    with style():
        fig, (a0, a1) = _panels(ax, 2, (6.4, 7.0))
        lo = min(float(theta.min()), 0.0)
        hi = float(theta.max())
        plot_landscape_1d(
            f,
            theta,
            labels=[f"η = {lr:g}"],
            xlim=(lo - 0.15 * (hi - lo), hi + 0.15 * (hi - lo)),
            title=f"포물선 위의 {measured.size} 스텝",
            ax=a0,
        )
        t = np.arange(measured.size)
        a1.semilogy(
            t, measured, "o", ms=7, mfc="none", label=r"측정한 $|\Delta\theta_t|$", gid="measured"
        )
        a1.semilogy(t, model, "-", lw=1.5, label=r"$\eta\,|\nabla J(\theta_t)|$", gid="predicted")
        ticks = [v for v in (0.02, 0.05, 0.1, 0.2, 0.4, 0.6, 1.0) if measured.min() / 1.5 <= v]
        a1.set_yticks(ticks, [f"{v:g}" for v in ticks])
        a1.yaxis.set_minor_formatter(NullFormatter())
        a1.set_xlabel("스텝 t")
        a1.set_ylabel("걸음의 길이")
        ratio = measured[1] / measured[0]
        a1.set_title(f"η는 그대로, 걸음은 매번 {ratio:.2g}배")
        a1.legend(prop={"family": _hangul_first()})  # Hangul beside math in one label
    return fig


def plot_descent_field(
    f: Any,
    x0: Any,
    paths: Any,
    labels: Any,
    *,
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-3.0, 3.0),
    ax: Any = None,
) -> Figure:
    r"""The downhill field :math:`-\nabla J` of a 2-D loss, and runs from one start.

    Two panels, stacked so that each keeps a readable size at phone width. Top: contours
    with unit arrows of :math:`-\nabla J` on a 9 × 9 grid (``gid="field"``), the downhill
    arrow at ``x0`` (solid) and the straight way to the minimum (dashed). Bottom:
    :func:`lrbook.plotting.plot_landscape` of ``paths``. Both panels have equal axis
    scales, so that the arrows look perpendicular to the contours, as they are.

    Args:
        f: the 2-D landscape (``.value``, ``.grad``, ``.minimum``).
        x0: the start, shape ``(2,)``.
        paths: iterates of shape ``(T+1, K, 2)`` (or a Trajectory).
        labels: ``K`` names.
        xlim, ylim: the view of both panels.
        ax: two axes instead of a new figure.

    Returns:
        The figure.
    """
    from .plotting import plot_landscape

    p0 = np.asarray(x0, dtype=float)
    if p0.shape != (2,):
        raise ValueError(f"x0 must have shape (2,), got x0={x0!r}")
    downhill = -np.asarray(f.grad(p0), dtype=float)
    with style():
        fig, (a0, a1) = _panels(ax, 2, (6.4, 11.0))
        plot_landscape(f, xlim=xlim, ylim=ylim, title="내리막 방향 -∇J", ax=a0)
        axis = [
            np.linspace(xlim[0] + 0.5, xlim[1] - 0.5, 9),
            np.linspace(ylim[0] + 0.5, ylim[1] - 0.5, 9),
        ]
        grid = np.stack(np.meshgrid(*axis), -1)
        d = -np.asarray(f.grad(grid), dtype=float)
        d /= np.linalg.norm(d, axis=-1, keepdims=True) + 1e-12
        a0.quiver(
            *grid.transpose(2, 0, 1),
            *d.transpose(2, 0, 1),
            color=COLORS[0],
            angles="xy",
            scale_units="xy",
            scale=2.2,
            width=0.005,
            gid="field",
        )
        to_min = {"arrowstyle": "->", "ls": "--", "color": COLORS[1], "lw": 1.5}
        a0.annotate("", xy=tuple(np.asarray(f.minimum, dtype=float)), xytext=p0, arrowprops=to_min)
        tip = p0 + 0.25 * (xlim[1] - xlim[0]) * downhill / max(np.linalg.norm(downhill), 1e-12)
        a0.annotate(
            "",
            xy=tuple(tip),
            xytext=p0,
            arrowprops={"arrowstyle": "-|>", "color": COLORS[1], "lw": 2.5},
        )
        a0.plot(*p0, "o", color=COLORS[1], ms=6)
        a0.text(p0[0] - 0.15, p0[1], "θ₀", color=COLORS[1], ha="right", va="center")
        plot_landscape(
            f,
            paths,
            labels=list(labels),
            xlim=xlim,
            ylim=ylim,
            title="같은 출발점, 세 학습률",
            ax=a1,
        )
        for a in (a0, a1):  # one unit the same length both ways: arrows ⟂ contours on screen
            a.set_aspect("equal", adjustable="box")
    return fig


def plot_regime_paths(
    f: Any, paths: Any, lrs: Any, names: Any, *, lam: float, ax: Any = None
) -> Figure:
    r"""One panel per learning rate, stacked: the walk on a 1-D loss, titled with
    :math:`\eta\lambda` (stacked so the panels stay readable at phone width).

    Args:
        f: the 1-D landscape.
        paths: iterates of shape ``(T+1, K, 1)``.
        lrs: the ``K`` learning rates.
        names: ``K`` Korean names of the regime (e.g. "단조 수렴").
        lam: the curvature :math:`\lambda`.
        ax: ``K`` axes instead of a new figure.

    Returns:
        The figure; panel ``k`` is titled "η = … (ηλ = …): name".
    """
    from .plotting import plot_landscape_1d

    P = np.asarray(paths, dtype=float)
    etas = _vector("lrs", lrs)
    if P.ndim != 3 or P.shape[1] != etas.size:
        raise ValueError(f"paths must have shape (T+1, {etas.size}, 1), got {P.shape}")
    names = [str(n) for n in names]
    reach = 1.2 * float(np.nanmax(np.abs(P)))
    with style():
        fig, axes = _panels(ax, etas.size, (6.4, 2.6 * etas.size))
        for k, a in enumerate(axes):
            plot_landscape_1d(
                f,
                P[:, k],
                xlim=(-reach, reach),
                ax=a,
                title=f"η = {etas[k]:g} (ηλ = {etas[k] * lam:.1f}): {names[k]}",
            )
            a.set_ylim(-0.2, 1.1 * float(np.asarray(f.value(np.array([reach])))))
            if k < etas.size - 1:
                a.set_xlabel("")
    return fig


def plot_step_factor(
    paths: Any, labels: Any, products: Any, measured: Any, *, ax: Any = None
) -> Figure:
    r"""Signed distance to the minimum over time, and the factor one step multiplies it by.

    Two panels, stacked so that each keeps a readable size at phone width. Top:
    :math:`\theta_t` of each run (own colour, marker and line style). Bottom: the measured
    :math:`\theta_1/\theta_0` against :math:`\eta\lambda` on the line :math:`1 - \eta\lambda`
    (``gid="theory"``), with the monotone, oscillating and divergent bands labelled.

    Args:
        paths: iterates of shape ``(T+1, K, 1)``.
        labels: ``K`` names.
        products: the swept :math:`\eta\lambda`.
        measured: the measured factor at each product.
        ax: two axes instead of a new figure.

    Returns:
        The figure.
    """
    P = np.asarray(paths, dtype=float)[..., 0]
    x = _vector("products", products)
    y = _vector("measured", measured, x.size)
    with style():
        fig, (a0, a1) = _panels(ax, 2, (6.4, 7.0))
        for k, name in enumerate(labels):
            a0.plot(
                P[:, k],
                marker=MARKERS[k % len(MARKERS)],
                ls=LINESTYLES[k % len(LINESTYLES)],
                color=COLORS[k % len(COLORS)],
                label=str(name),
                gid=f"run{k}",
            )
        a0.axhline(0, color="k", lw=0.8)
        a0.set_xlabel("스텝 t")
        a0.set_ylabel(r"$\theta_t$")
        a0.set_title("최솟값(0)까지의 부호 있는 거리")
        a0.legend(fontsize=9)
        top = max(2.4, float(x.max()))
        for lo, hi, c, text in [
            (0, 1, COLORS[2], "단조"),
            (1, 2, COLORS[4], "진동"),
            (2, top, DIVERGED, "발산"),
        ]:
            a1.axvspan(lo, hi, color=c, alpha=0.12, lw=0)
            a1.text((lo + hi) / 2, 1.25, text, ha="center", color=c, fontweight="bold")
        grid = np.linspace(0, top, 50)
        a1.plot(grid, 1 - grid, "k-", lw=1, label="이론 1 - ηλ", gid="theory")
        a1.plot(x, y, "o", ms=4, label="측정 θ₁ / θ₀", gid="measured")
        for level in (1, -1):
            a1.axhline(level, color="0.5", ls=":", lw=1)
        a1.set_xlim(0, top)
        a1.set_ylim(-1.5, 1.45)
        a1.set_xlabel("ηλ")
        a1.set_ylabel("한 걸음에 곱해지는 수")
        a1.set_title("부호가 바뀌는 곳은 ηλ = 1")
        a1.legend(loc="lower left", fontsize=9)
    return fig


def plot_steps_to_tolerance(
    lrs: Any,
    steps: Any,
    *,
    fit_lrs: Any,
    fit_steps: Any,
    slope: float,
    theory_lrs: Any,
    theory_steps: Any,
    lam_max: float,
    best_lr: float,
    ax: Axes | None = None,
) -> Figure:
    r"""Steps to reach a tolerance against the learning rate (log-log), with fit and theory.

    Args:
        lrs, steps: the sweep; runs that never reached (``steps <= 0``) are left out.
        fit_lrs, fit_steps: the straight-line fit over the small rates.
        slope: its slope (in the label).
        theory_lrs, theory_steps: :math:`\ln(J_0/\varepsilon_{\text{tol}})/(2\eta\lambda_{\min})`.
        lam_max: draws the cliff :math:`2/\lambda_{\max}` (dashed, ``gid="cliff"``).
        best_lr: draws :math:`2/(\lambda_{\min} + \lambda_{\max})` (dash-dot, ``gid="best"``).
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure.
    """
    x = _vector("lrs", lrs)
    n = _vector("steps", steps, x.size)
    reached = n > 0
    with style():
        fig, ax = _axes(ax, (7, 4))
        ax.loglog(
            x[reached],
            n[reached],
            "o",
            ms=5,
            label="측정: ε_tol에 닿기까지 스텝 수",
            gid="measured",
        )
        ax.loglog(
            _vector("fit_lrs", fit_lrs),
            _vector("fit_steps", fit_steps),
            "k-",
            lw=1.5,
            label=f"직선 맞춤: 기울기 {slope:.3f}",
            gid="fit",
        )
        ax.loglog(
            _vector("theory_lrs", theory_lrs),
            _vector("theory_steps", theory_steps),
            ":",
            color="0.4",
            label="이론: ln(J₀/ε_tol) / (2ηλ_min)",
            gid="theory",
        )
        ax.axvline(
            2 / lam_max,
            color=DIVERGED,
            ls="--",
            lw=1.2,
            label="2/λ_max: 이보다 크면 발산",
            gid="cliff",
        )
        ax.axvline(
            best_lr,
            color=COLORS[2],
            ls="-.",
            lw=1.2,
            label="2/(λ_min + λ_max): 가장 빠른 η",
            gid="best",
        )
        ax.set_xlabel("학습률 η")
        ax.set_ylabel("스텝 수")
        ax.set_ylim(0.5 * n[reached].min(), 3 * n[reached].max())
        ax.legend(fontsize=9, loc="lower left")
    return fig


def plot_noise_jitter(
    lrs: Any, sd: Any, corr: Any, *, sigma: float, lam: float = 1.0, ax: Any = None
) -> Figure:
    r"""Jitter near the minimum under gradient noise: spread and lag-1 correlation, vs theory.

    Two panels, stacked so that each keeps a readable size at phone width. Top (log-log):
    measured :math:`\operatorname{sd}(\theta)` on
    :math:`\sqrt{\eta\sigma^2/(\lambda(2 - \eta\lambda))}`. Bottom: measured
    :math:`\operatorname{corr}(\theta_t, \theta_{t+1})` on :math:`1 - \eta\lambda`, with the
    line :math:`\eta = 1/\lambda`. Theory lines carry ``gid="theory"``.

    Args:
        lrs, sd, corr: the learning rates and the measured spread and correlation.
        sigma: the gradient-noise standard deviation.
        lam: the curvature.
        ax: two axes instead of a new figure.

    Returns:
        The figure.
    """
    x = _vector("lrs", lrs)
    s = _vector("sd", sd, x.size)
    c = _vector("corr", corr, x.size)
    fine = np.geomspace(x.min(), x.max(), 200)
    with style():
        fig, (a0, a1) = _panels(ax, 2, (6.4, 7.0))
        a0.loglog(x, s, "o", label="측정", gid="measured")
        a0.loglog(
            fine,
            np.sqrt(fine * sigma**2 / (lam * (2 - fine * lam))),
            "k-",
            lw=1,
            label="이론",
            gid="theory",
        )
        a0.set_xlabel("학습률 η")
        a0.set_ylabel("최솟값 근처의 흔들림 sd(θ)")
        a0.set_title("작은 η일수록 덜 흔들립니다")
        a0.legend()
        a1.semilogx(x, c, "s", label="측정", gid="measured")
        a1.semilogx(fine, 1 - fine * lam, "k-", lw=1, label="1 - ηλ", gid="theory")
        a1.axhline(0, color="0.5", lw=0.8)
        a1.axvline(1 / lam, color=COLORS[4], ls=":", lw=1.5, label="η = 1/λ")
        a1.set_xlabel("학습률 η")
        a1.set_ylabel(r"$\mathrm{corr}(\theta_t, \theta_{t+1})$")
        a1.set_title("좌우로 튀는 것은 η > 1/λ 에서만")
        a1.legend(loc="lower left")
    return fig


def plot_quartic_edge(
    lrs: Any,
    safe: Any,
    unsafe: Any,
    edge: Any,
    near: Any,
    starts: Any,
    *,
    lr: float,
    ax: Any = None,
) -> Figure:
    r"""Safe starts of gradient descent on :math:`\theta^2/2 + \theta^4/4`; two runs at one rate.

    Two panels, stacked so that each keeps a readable size at phone width. Top (log-log):
    per learning rate, the farthest start that converged (circles,
    ``gid="safe"``) and the nearest that diverged (×, ``gid="unsafe"``) around the boundary
    :math:`\sqrt{2/\eta - 1}` (``gid="edge"``). Bottom: :math:`|\theta_t|` of runs from
    ``starts`` at rate ``lr``, each drawn up to its largest value, the blow-up marked ×.

    Args:
        lrs, safe, unsafe, edge: the per-rate measurements and the theoretical boundary.
        near: a Trajectory (or ``(params, losses, diverged)``) of the runs from ``starts``.
        starts: their starting points.
        lr: their learning rate.
        ax: two axes instead of a new figure.

    Returns:
        The figure.
    """
    x = _vector("lrs", lrs)
    lo_, hi_ = _vector("safe", safe, x.size), _vector("unsafe", unsafe, x.size)
    bound = _vector("edge", edge, x.size)
    params, losses, diverged = near[0], near[1], near[2]
    starts = _vector("starts", starts)
    top = 1.3 * float(hi_.max())
    with style():
        fig, (a0, a1) = _panels(ax, 2, (6.4, 7.0))
        a0.fill_between(x, 0.5, bound, color=COLORS[2], alpha=0.12, lw=0)
        a0.fill_between(x, bound, top, color=DIVERGED, alpha=0.08, lw=0)
        a0.loglog(x, bound, "k-", lw=1, label="이론 √(2/η - 1)", gid="edge")
        a0.loglog(x, lo_, "o", color=COLORS[0], label="수렴한 가장 먼 출발점", gid="safe")
        a0.loglog(
            x, hi_, "x", color=DIVERGED, mew=2, label="발산한 가장 가까운 출발점", gid="unsafe"
        )
        a0.text(1.3 * x.min(), 0.7 * top, "발산", color=DIVERGED, fontweight="bold", fontsize=13)
        a0.text(2 * x.min(), 1.5, "수렴", color=COLORS[2], fontweight="bold", fontsize=13)
        a0.set_ylim(0.5, top)
        a0.set_xlabel("학습률 η")
        a0.set_ylabel("출발점 |θ₀|")
        a0.set_title("안전한 출발점의 한계")
        a0.legend(loc="upper right", fontsize=9)
        t = np.arange(losses.shape[0])
        for k, start in enumerate(starts):
            shown = ~diverged[k] | (t <= np.argmax(losses[:, k]))
            a1.semilogy(
                t[shown],
                np.abs(params[shown, k, 0]),
                marker=MARKERS[k],
                ms=3,
                ls=LINESTYLES[k],
                color=COLORS[k],
                label=f"θ₀ = {start:g}",
                gid=f"run{k}",
            )
            if diverged[k]:
                a1.plot(
                    np.argmax(losses[:, k]),
                    np.abs(params[:, k, 0]).max(),
                    "x",
                    color=DIVERGED,
                    ms=10,
                    mew=2.5,
                    label="발산",
                )
        a1.set_xlabel("스텝 t")
        a1.set_ylabel(r"$|\theta_t|$")
        a1.set_title(f"η = {lr:g}, 경계 √(2/η - 1) = {np.sqrt(2 / lr - 1):.2f}의 양쪽")
        a1.legend()
    return fig


def plot_cliff(
    lrs: Any,
    losses: Any,
    diverged: Any,
    *,
    lam_max: float,
    interval: tuple[float, float],
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    r"""A learning-rate sweep's final losses with the cliff, the oscillation onset and the
    measured boundary.

    :func:`lrbook.plotting.plot_lr_sweep` (with the :math:`2/\lambda_{\max}` line), plus the
    dotted line :math:`1/\lambda_{\max}` (``gid="onset"``) and the shaded interval between the
    largest stable and the smallest divergent rate measured (``gid="interval"``).

    Args:
        lrs, losses, diverged: the sweep, as for ``plot_lr_sweep``.
        lam_max: :math:`\lambda_{\max}`.
        interval: ``(largest_stable, smallest_unstable)``.
        title: axes title.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure.
    """
    from .plotting import plot_lr_sweep

    lo, hi = (float(v) for v in interval)
    if not lo < hi:
        raise ValueError(f"interval must be (largest_stable, smallest_unstable), got {interval}")
    with style():
        fig, ax = _axes(ax, (7, 4))
        plot_lr_sweep(lrs, losses, diverged=diverged, sharpness=lam_max, ax=ax)
        ax.axvline(
            1 / lam_max, color=COLORS[4], ls=":", lw=1.5, label="1/λ_max: 진동 시작", gid="onset"
        )
        ax.axvspan(lo, hi, color=DIVERGED, alpha=0.3, lw=0, gid="interval")
        if title:
            ax.set_title(title)
        ax.legend(loc="lower left", fontsize=9)
    return fig


def plot_well_paths(
    f: Any,
    paths: Any,
    labels: Any,
    *,
    global_min: float,
    local_min: float,
    xlim: tuple[float, float],
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    r"""Runs on a 1-D loss with two minima, the global one starred and the local one named.

    Args:
        f: the 1-D landscape.
        paths: a list of ``(T+1,)`` iterates, one per run.
        labels: one name per run.
        global_min, local_min: where the two minima are.
        xlim: the θ range.
        title: axes title.
        ax: draw into this axes instead of a new figure.

    Returns:
        The figure; the star has ``gid="global"``.
    """
    from .plotting import plot_landscape_1d

    def J(x: float) -> float:
        return float(np.asarray(f.value(np.array([x]))))

    with style():
        fig, ax = _axes(ax, (7, 4))
        plot_landscape_1d(f, list(paths), labels=list(labels), xlim=xlim, title=title, ax=ax)
        ax.plot(global_min, J(global_min), "*", color="k", ms=14, gid="global")
        span = xlim[1] - xlim[0]
        ax.annotate(
            "전역 최솟값",
            (global_min, J(global_min)),
            xytext=(global_min - 0.12 * span, J(global_min) + 0.55),
            arrowprops={"arrowstyle": "->"},
        )
        ax.annotate(
            "모두 여기에 수렴",
            (local_min, J(local_min)),
            xytext=(local_min - 0.16 * span, J(local_min) + 0.3),
            arrowprops={"arrowstyle": "->"},
        )
    return fig
