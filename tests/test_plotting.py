"""Tests of lrbook.plotting: the artists each figure draws, Korean text, live figures, twins."""

from __future__ import annotations

import functools
import io
import logging
import re
import subprocess
import sys
import warnings
from contextlib import contextmanager

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from matplotlib.quiver import Quiver

import lrbook as lrb
from lrbook import plotting as lp

# --------------------------------------------------------------------------------------
# helpers (also used by test_widgets)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def quiet():
    """Fail if the block emits any warning, or any matplotlib log message of level WARNING
    (the mathtext "does not have a glyph" message is logged, not warned)."""
    handler = _Records()
    logger = logging.getLogger("matplotlib")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
    finally:
        logger.removeHandler(handler)
    assert [str(w.message) for w in caught] == []
    assert handler.messages == []


def render(fig, fmt: str = "png") -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt)
    return buffer.getvalue()


def shown_texts(fig) -> list[str]:
    """Every visible non-empty text of a figure: titles, labels, notes, annotations, legends."""
    found = []
    for text in fig.findobj(mpl.text.Text):
        if text.get_visible() and text.get_text() and text.axes is not None:
            found.append(text.get_text())
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            found += [t.get_text() for t in legend.get_texts()]
    return found


def notes(fig) -> list[str]:
    return [
        t.get_text()
        for ax in fig.axes
        for t in ax.texts
        if t.get_gid() == "lrbook-note" and t.get_visible()
    ]


def lines(ax, gid: str) -> list:
    return [line for line in ax.lines if line.get_gid() == gid and line.get_visible()]


def hidden_arrows(q: Quiver) -> np.ndarray:
    """Which arrows of a quiver are masked (not drawn)."""
    return np.broadcast_to(np.ma.getmaskarray(np.ma.array(q.U, mask=q.Umask)), q.U.shape)


def quivers(ax) -> list[Quiver]:
    return [c for c in ax.collections if isinstance(c, Quiver) and c.get_visible()]


@pytest.fixture(autouse=True)
def _no_open_figures():
    """Plot functions must not leave figures in pyplot's registry."""
    yield
    assert plt.get_fignums() == []


# --------------------------------------------------------------------------------------
# fonts and style


def test_importing_the_core_and_plotting_keeps_layers_apart():
    code = (
        "import sys, lrbook; assert 'matplotlib' not in sys.modules; "
        "import lrbook.plotting; "
        "assert 'ipywidgets' not in sys.modules and 'IPython' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_korean_font_is_registered_behind_dejavu():
    assert lp.use_korean_font() == "NanumGothic"
    assert list(mpl.rcParams["font.family"]) == ["DejaVu Sans", "NanumGothic"]
    assert mpl.rcParams["axes.unicode_minus"] is False


def test_every_character_the_figures_show_is_in_the_font_list():
    """NanumGothic covers the Hangul, DejaVu Sans the rest (η, λ, θ₁, ⁻, ×, ≥, →)."""
    fonts = [FT2Font(font_manager.findfont(name)) for name in mpl.rcParams["font.family"]]
    hangul = FT2Font(font_manager.findfont(lp.KOREAN_FONT))
    assert "NanumGothic" in hangul.family_name
    f = lrb.quadratic((1.0, 10.0))
    figs = [
        lp.plot_landscape(f, np.array([[-2.0, 1.0], [np.inf, 0.0]]), ["발산하는 경로"]),
        lp.plot_losses({"a": np.array([1.0, np.inf])}),
        lp.plot_lr_sweep([0.1, 0.3], [0.01, np.inf], sharpness=10.0),
        lp.plot_effective_lr(np.ones((3, 2)), -np.ones((3, 2)), lr=1.0),
        lp.plot_lr_finder([1e-3, 1e-2, 1e-1], [1.0, np.nan, 2.0], suggestions={"valley": 1e-2}),
        lp.plot_sharpness(np.array([1.0, np.inf]), 0.1),
    ]
    for live in (lp.StepSizeFigure(dim=2, lr=0.3), lp.ScheduleFigure(schedule="constant", lr=0.5)):
        figs.append(live.fig)
    chars = {c for fig in figs for text in shown_texts(fig) for c in text if not c.isspace()}
    missing = {c for c in chars if not any(font.get_char_index(ord(c)) for font in fonts)}
    assert missing == set()
    assert any("\uac00" <= c <= "\ud7a3" for c in chars)  # some Hangul was checked
    for c in (c for c in chars if "\uac00" <= c <= "\ud7a3"):
        assert hangul.get_char_index(ord(c)), c


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_hangul_and_log_axes_render_without_missing_glyphs(fmt):
    fig, ax = plt.subplots()
    plt.close(fig)
    ax.plot([1, 2, 3], [1e-5, 1e-2, 3e-1])
    ax.set_yscale("log")  # matplotlib's own mathtext labels 10^-5 use U+2212
    ax.set_title("학습률 η = 0.25 > 2/λ = 0.2: 발산")
    ax.set_xlabel("스텝 t")
    with quiet():
        assert len(render(fig, fmt)) > 1000


def test_style_sets_and_restores_only_its_keys():
    before = {key: mpl.rcParams[key] for key in lp.STYLE}
    interactive = mpl.rcParams["interactive"]
    with lp.style():
        assert mpl.rcParams["font.size"] == 11
        assert list(mpl.rcParams["figure.figsize"]) == [7.0, 4.0]
        mpl.rcParams["interactive"] = not interactive  # what a notebook backend does
    try:
        assert {key: mpl.rcParams[key] for key in lp.STYLE} == before
        assert mpl.rcParams["interactive"] is (not interactive)
    finally:
        mpl.rcParams["interactive"] = interactive


def test_power_formatter_writes_superscripts():
    fig, ax = plt.subplots()
    plt.close(fig)
    ax.set_yscale("log")
    lp._log_axis(ax.yaxis)
    ax.set_ylim(1e-4, 1e2)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "10⁻³" in labels and "10⁰" in labels and "10²" in labels
    assert not any("$" in label for label in labels)
    assert lp.PowerFormatter()(0.2) == "" or "×" in lp.PowerFormatter()(0.2)


# --------------------------------------------------------------------------------------
# pure plotting functions


def test_plot_landscape_draws_each_path_and_its_exact_step_vectors():
    f = lrb.quadratic((1.0, 10.0))
    t1 = lrb.run(lrb.sgd(lr=0.05), f, np.array([-2.0, 1.0]), 10)
    t2 = lrb.run(lrb.sgd(lr=0.15), f, np.array([-2.0, 1.0]), 10)
    with quiet():
        fig = lp.plot_landscape(f, [t1, t2], ["η = 0.05", "η = 0.15"], title="경사 하강법")
        render(fig)
    ax = fig.axes[0]
    paths = lines(ax, "trajectory")
    assert len(paths) == 2 and len(quivers(ax)) == 2
    np.testing.assert_allclose(paths[1].get_xydata(), t2.params)
    q = quivers(ax)[1]
    np.testing.assert_allclose(q.U, np.diff(t2.params[:, 0]))
    np.testing.assert_allclose(q.V, np.diff(t2.params[:, 1]))
    np.testing.assert_allclose(q.XY, t2.params[:-1])
    star = lines(ax, "minimum")[0]
    assert (star.get_xdata()[0], star.get_ydata()[0]) == (0.0, 0.0)
    assert ax.get_title() == "경사 하강법"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("θ₁", "θ₂")
    assert len(ax.collections) == 3  # contours + 2 quivers
    # the view holds the start and its mirror image through the minimum
    assert ax.get_xlim()[0] < -2.0 < 2.0 < ax.get_xlim()[1]
    assert notes(fig) == []


def test_plot_landscape_masks_a_diverged_path_and_says_so():
    f = lrb.quadratic((1.0, 10.0))
    good = np.array([[-2.0, 1.0], [-1.0, 0.5], [-0.5, 0.2]])
    bad = np.array([[-2.0, 1.0], [3.0, -40.0], [np.nan, np.inf]])
    with quiet():
        fig = lp.plot_landscape(f, [good, bad], ["a", "b"])
        render(fig)
    ax = fig.axes[0]
    assert notes(fig) == ["발산: b"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["최솟값", "a", "b (발산)"]
    assert hidden_arrows(quivers(ax)[1]).all()  # far out of view, and non-finite
    assert not hidden_arrows(quivers(ax)[0]).any()


def test_plot_landscape_accepts_a_batched_trajectory():
    f = lrb.quadratic((1.0, 10.0))
    lrs = np.array([[0.05], [0.1], [0.3]])
    traj = lrb.run(lrb.sgd(lr=lrs), f, np.tile([-2.0, 1.0], (3, 1)), 200)
    assert traj.diverged.tolist() == [False, False, True]
    with quiet():
        fig = lp.plot_landscape(f, traj, ["0.05", "0.1", "0.3"], arrows=False)
        render(fig)
    ax = fig.axes[0]
    assert len(lines(ax, "trajectory")) == 3 and quivers(ax) == []
    assert notes(fig) == ["발산: 0.3"]


def test_plot_landscape_1d_puts_iterates_on_the_curve():
    f = lrb.quadratic((10.0,))
    traj = lrb.run(lrb.sgd(lr=0.15), f, np.array([1.0]), 8)
    with quiet():
        fig = lp.plot_landscape_1d(f, traj)
        render(fig)
    ax = fig.axes[0]
    points = lines(ax, "trajectory")[0]
    np.testing.assert_allclose(points.get_xdata(), traj.params[:, 0])
    np.testing.assert_allclose(points.get_ydata(), 5.0 * traj.params[:, 0] ** 2)
    q = quivers(ax)[0]
    steps = np.diff(traj.params[:, 0])
    shown = ~hidden_arrows(q)
    np.testing.assert_allclose(q.U[shown], steps[shown])
    assert shown[:3].all()
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("θ", "손실 J(θ)")


def test_plot_losses_log_axis_one_line_per_run_and_divergence():
    losses = np.array([[1.0, 1.0, 1.0], [0.5, 4.0, 0.0], [0.25, np.inf, 0.0]])
    with quiet():
        fig = lp.plot_losses(losses, ["a", "b", "c"])
        render(fig)
    ax = fig.axes[0]
    curves = lines(ax, "loss")
    assert len(curves) == 3
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "스텝 t" and ax.get_ylabel() == "손실 J(θ_t)"
    assert np.isnan(curves[1].get_ydata()[2]) and np.isnan(curves[2].get_ydata()[1])
    mark = lines(ax, "diverged")[0]
    assert (mark.get_xdata()[0], mark.get_ydata()[0]) == (1, 4.0)
    assert notes(fig) == ["발산: b"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b (발산)", "c"]


def test_plot_losses_from_trajectories_and_negative_values():
    f = lrb.quadratic((1.0, 10.0))
    traj = {
        "η = 0.1": lrb.run(lrb.sgd(lr=0.1), f, np.array([-2.0, 1.0]), 20),
        "η = 0.3": lrb.run(lrb.sgd(lr=0.3), f, np.array([-2.0, 1.0]), 20),
    }
    with quiet():
        fig = lp.plot_losses(traj)
        render(fig)
    assert len(lines(fig.axes[0], "loss")) == 2
    assert notes(fig) == ["발산: η = 0.3"]
    with quiet():
        fig = lp.plot_losses(np.array([1.0, 0.0, -2.0]))
        render(fig)
    assert fig.axes[0].get_yscale() == "symlog"
    with quiet():
        fig = lp.plot_losses(np.array([np.nan, np.inf]))  # nothing finite: still a figure
        render(fig)
    assert notes(fig) == ["발산"]


def test_plot_lr_sweep_log_log_with_the_two_over_lambda_line():
    f = lrb.quadratic((1.0, 10.0))
    lrs = np.geomspace(0.01, 0.5, 12)
    traj = lrb.run(lrb.sgd(lr=lrs[:, None]), f, np.tile([-2.0, 1.0], (12, 1)), 300)
    with quiet():
        fig = lp.plot_lr_sweep(lrs, traj, sharpness=float(lrb.sharpness(f, f.minimum)))
        render(fig)
    ax = fig.axes[0]
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    line = lines(ax, "threshold")[0]
    np.testing.assert_allclose(line.get_xdata(), [0.2, 0.2])
    assert line.get_label() == "2/λ_max = 0.2"
    crosses = lines(ax, "diverged")[0]
    np.testing.assert_allclose(crosses.get_xdata(), lrs[traj.diverged])
    np.testing.assert_allclose(lines(ax, "loss")[0].get_xdata(), lrs[~traj.diverged])
    assert traj.diverged.tolist() == (lrs > 0.2).tolist()
    assert notes(fig) == [f"η ≥ {lrs[traj.diverged].min():.3g}: 발산"]
    assert ax.get_xlabel() == "학습률 η"


def test_plot_lr_sweep_validates_lengths():
    with pytest.raises(ValueError, match="one final value per lr"):
        lp.plot_lr_sweep([0.1, 0.2], [1.0, 2.0, 3.0])


def test_plot_schedules_draws_each_schedule_exactly():
    steps = 60
    schedules = {
        "계단": lrb.step_decay(0.1, 20, gamma=0.5),
        "코사인": lrb.cosine_annealing(0.1, steps),
    }
    with quiet():
        fig = lp.plot_schedules(schedules, steps, title="스케줄")
        render(fig)
    ax = fig.axes[0]
    curves = lines(ax, "schedule")
    assert len(curves) == 2
    t = np.arange(steps)
    np.testing.assert_allclose(curves[0].get_ydata(), 0.1 * 0.5 ** (t // 20))
    np.testing.assert_allclose(curves[1].get_ydata(), 0.05 * (1 + np.cos(np.pi * t / steps)))
    assert [x.get_text() for x in ax.get_legend().get_texts()] == ["계단", "코사인"]
    assert ax.get_ylabel() == "학습률 η_t" and ax.get_title() == "스케줄"
    fig = lp.plot_schedules([lrb.step_decay(0.1, 20), lrb.constant_schedule(0.01)], 30, logy=True)
    assert [x.get_text() for x in fig.axes[0].get_legend().get_texts()] == [
        "step_decay",
        "constant_schedule",
    ]
    assert fig.axes[0].get_yscale() == "log"


def test_plot_effective_lr_is_lr_for_sgd_and_lr_over_abs_g_for_adams_first_step():
    g = np.array([[0.5, 2.0, 0.0], [1.0, -4.0, 0.0]])
    with quiet():
        fig = lp.plot_effective_lr(-0.1 * g, g, lr=0.1)
        render(fig)
    ax = fig.axes[0]
    curves = lines(ax, "effective_lr")
    assert len(curves) == 3
    np.testing.assert_allclose(curves[0].get_ydata(), 0.1)
    assert np.isnan(curves[2].get_ydata()).all()  # zero gradient: masked
    assert lines(ax, "lr")[0].get_ydata()[0] == 0.1
    # Adam's first step is -lr * g / (|g| + eps): effective lr = lr / (|g| + eps)
    opt = lrb.adam(lr=0.01)
    params = np.zeros(2)
    grads = np.array([0.5, 2.0])
    updates, _ = opt.update(grads, opt.init(params), params)
    with quiet():
        fig = lp.plot_effective_lr(updates[None], grads[None])
        render(fig)
    values = [c.get_ydata()[0] for c in lines(fig.axes[0], "effective_lr")]
    np.testing.assert_allclose(values, 0.01 / (np.abs(grads) + 1e-8))
    assert fig.axes[0].get_yscale() == "log"
    assert [x.get_text() for x in fig.axes[0].get_legend().get_texts()] == ["θ₁", "θ₂"]


def test_plot_lr_finder_marks_each_suggestion_at_its_lr_on_the_curve():
    lrs = np.geomspace(1e-5, 1.0, 60)
    smoothed = 2.0 - 0.1 * np.log10(lrs)  # linear in log lr: interpolation is exact there
    suggestions = {"valley": 1e-3, "steep": 3e-2, "minimum": float("nan"), "slide": None}
    with quiet():
        fig = lp.plot_lr_finder(lrs, smoothed + 0.05, smoothed, suggestions)
        render(fig)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    marks = lines(ax, "suggestion")
    assert [m.get_xdata()[0] for m in marks] == [1e-3, 3e-2]
    np.testing.assert_allclose(
        [m.get_ydata()[0] for m in marks], [2.0 - 0.1 * np.log10(v) for v in (1e-3, 3e-2)]
    )
    assert [m.get_label() for m in marks] == ["valley: 1.00e-03", "steep: 3.00e-02"]
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "suggestion-label"]
    assert labels == ["valley", "steep"]
    assert len(lines(ax, "loss")) == 1 and len(lines(ax, "smoothed")) == 1
    assert notes(fig) == []


def test_plot_lr_finder_with_a_real_range_test_and_non_finite_losses():
    H = np.array([1.0, 10.0])
    res = lrb.lr_find(
        lambda x, batch: (0.5 * np.sum(H * x**2), H * x), np.ones(2), start_lr=1e-4, num_it=80
    )
    with quiet():
        fig = lp.plot_lr_finder(res.lrs, res.losses, res.smoothed, res.suggestions)
        render(fig)
    marks = {
        m.get_label().split(":")[0]: m.get_xdata()[0] for m in lines(fig.axes[0], "suggestion")
    }
    expected = {k: v for k, v in res.suggestions.items() if np.isfinite(v)}
    assert marks == expected
    losses = np.array([1.0, 0.9, np.nan, 0.5, np.inf])
    with quiet():
        fig = lp.plot_lr_finder(np.geomspace(1e-3, 1.0, 5), losses)
        render(fig)
    assert notes(fig) == ["발산: NaN/∞ 손실은 생략"]


def test_plot_sharpness_draws_the_two_over_eta_line():
    s = np.linspace(10.0, 40.0, 30)
    with quiet():
        fig = lp.plot_sharpness(s, 0.05)
        render(fig)
    ax = fig.axes[0]
    line = lines(ax, "threshold")[0]
    np.testing.assert_allclose(line.get_ydata(), [40.0, 40.0])
    assert line.get_label() == "2/η = 40"
    np.testing.assert_allclose(lines(ax, "sharpness")[0].get_ydata(), s)
    schedule = lrb.step_decay(0.1, 10, gamma=0.5)
    with quiet():
        fig = lp.plot_sharpness(s, schedule)
        render(fig)
    curve = lines(fig.axes[0], "threshold")[0]
    np.testing.assert_allclose(curve.get_ydata(), 2.0 / schedule(np.arange(30)))
    with quiet():
        fig = lp.plot_sharpness(np.array([10.0, np.inf, 30.0]), 0.1)
        render(fig)
    assert notes(fig) == ["발산"]


def test_plot_functions_draw_into_a_given_axes():
    fig, (a, b) = plt.subplots(1, 2)
    plt.close(fig)
    assert lp.plot_losses(np.array([1.0, 0.5]), ax=a) is fig
    assert lp.plot_schedules(lrb.constant_schedule(0.1), 5, ax=b) is fig
    assert len(fig.axes) == 2
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        lp.plot_losses(np.array([1.0]), ax="left")


# --------------------------------------------------------------------------------------
# live figures


def test_step_size_figure_says_diverge_above_two_over_lambda():
    for dim in (1, 2):
        live = lp.StepSizeFigure(dim=dim, lr=0.05)
        with quiet():
            live.png()
            assert live.messages == []
            assert live.ax_loss.get_title() == "단조 수렴"
            live.update(lr=0.15)
            live.png()
            assert live.messages == []
            assert live.ax_loss.get_title() == "진동하며 수렴"
            live.update(lr=0.25)
            live.png()
            assert live.messages == ["η = 0.25 > 2/λ = 0.2: 발산"]
            assert live.ax_loss.get_title() == "발산"
            live.update(lr=1.0, steps=100)  # frozen by lrb.run: a red x where it stopped
            live.png()
            assert live.messages == ["η = 1 > 2/λ = 0.2: 발산"]
            assert lines(live.ax_loss, "diverged")
        assert live.threshold == pytest.approx(0.2)


def test_step_size_figure_exactly_at_the_edge_oscillates_forever():
    live = lp.StepSizeFigure(dim=1, lr=0.2)
    assert live.messages == []
    assert live.ax_loss.get_title().startswith("수렴하지 않음")


def test_step_size_figure_draws_the_run_of_the_core():
    live = lp.StepSizeFigure(dim=2, lr=0.12, steps=15)
    traj = lrb.run(lrb.sgd(lr=0.12), lrb.quadratic((1.0, 10.0)), np.array([-2.0, 1.0]), 15)
    np.testing.assert_allclose(live.trail.line.get_xydata(), traj.params)
    np.testing.assert_allclose(live.trail.quiver.U, np.diff(traj.params[:, 0]))
    np.testing.assert_allclose(live.loss.get_ydata(), traj.losses)
    live.update(steps=40)  # a new number of arrows
    assert live.trail.quiver.N == 40


@pytest.mark.parametrize(
    "live, change",
    [
        (
            lambda: lp.OptimizerRaceFigure(optimizers=("SGD", "Adam"), lr=0.05),
            {"lr": 0.01, "optimizers": ("모멘텀",)},
        ),
        (lambda: lp.StepSizeFigure(dim=2, lr=0.05), {"lr": 0.19, "steps": 40}),
        (lambda: lp.StepSizeFigure(dim=1, lr=0.05), {"lr": 0.3}),
    ],
    ids=["race", "step_size_2d", "step_size_1d"],
)
def test_live_png_equals_a_full_redraw(live, change):
    """The cached-background redraw gives the same pixels as drawing everything."""
    from PIL import Image

    live = live()
    live.png()
    live.update(**change)
    fast = np.asarray(Image.open(io.BytesIO(live.png())).convert("RGB"), dtype=int)
    full = np.asarray(Image.open(io.BytesIO(render(live.fig))).convert("RGB"), dtype=int)
    assert fast.shape == full.shape
    # identical up to antialiasing (the spines are drawn over the data a second time)
    assert (np.abs(fast - full).max(axis=-1) > 32).sum() == 0


def test_live_figures_reject_unknown_or_invalid_controls():
    live = lp.StepSizeFigure()
    with pytest.raises(TypeError, match="unknown control"):
        live.update(eta=0.1)
    with pytest.raises(ValueError, match="lr must be positive"):
        live.update(lr=-1.0)
    with pytest.raises(ValueError, match="dim must be 1 or 2"):
        lp.StepSizeFigure(dim=3)
    with pytest.raises(ValueError, match="start_lr must be below end_lr"):
        lp.LRFinderFigure(start_lr=1.0, end_lr=0.1)


def test_optimizer_race_names_the_diverged_runs():
    live = lp.OptimizerRaceFigure(optimizers=("SGD", "Adam"), lr=0.1)
    assert live.messages == ["발산: SGD"]  # 0.1 > 2/25
    live.update(lr=0.05)
    assert live.messages == []
    live.update(landscape="rosenbrock", lr=0.01)
    assert live.messages == ["발산: SGD"]
    star = lines(live.ax_land, "minimum")[0]
    assert (star.get_xdata()[0], star.get_ydata()[0]) == (1.0, 1.0)
    live.update(optimizers=())
    assert live.messages == [] and lines(live.ax_land, "trajectory") == []
    assert live.ax_loss.get_title() == "옵티마이저를 하나 이상 고르세요"


def test_optimizer_race_paths_are_the_core_runs():
    live = lp.OptimizerRaceFigure(optimizers=("Adam", "네스테로프"), lr=0.03, steps=50)
    f = lp.RACE_LANDSCAPES["ill_conditioned"][1]()
    x0 = np.array(lp.RACE_LANDSCAPES["ill_conditioned"][2])
    adam = lrb.run(lrb.adam(lr=0.03, betas=(0.9, 0.999)), f, x0, 50)
    nesterov = lrb.run(lrb.sgd(lr=0.03, momentum=0.9, nesterov=True), f, x0, 50)
    np.testing.assert_allclose(live.trails["Adam"].line.get_xydata(), adam.params)
    np.testing.assert_allclose(live.trails["네스테로프"].line.get_xydata(), nesterov.params)
    live.update(momentum=0.0)  # nesterov without momentum is plain SGD
    sgd = lrb.run(lrb.sgd(lr=0.03), f, x0, 50)
    np.testing.assert_allclose(live.trails["네스테로프"].line.get_xydata(), sgd.params)


def test_schedule_figure_draws_the_schedule_and_trains_with_it():
    live = lp.ScheduleFigure(schedule="warmup_cosine", lr=0.1, warmup_steps=20)
    t = np.arange(200)
    np.testing.assert_allclose(live.curve.get_ydata(), lrb.warmup_cosine(0.1, 20, 200)(t))
    assert live.messages == []
    f = lrb.noisy(lrb.quadratic(np.geomspace(0.2, 10.0, 10)), sigma=1.0, seed=0)
    expected = lrb.run(lrb.sgd(lr=lrb.warmup_cosine(0.1, 20, 200)), f, np.full(10, 3.0), 200)
    np.testing.assert_allclose(live.loss.get_ydata(), expected.losses)
    live.update(schedule="constant", lr=0.5)
    assert live.messages == ["발산: 최대 η = 0.5 > 2/λ = 0.2"]
    live.update(schedule="step_decay", lr=0.1, step_size=50, gamma=0.5)
    np.testing.assert_allclose(live.curve.get_ydata(), 0.1 * 0.5 ** (t // 50))
    live.update(schedule="exponential_decay")
    np.testing.assert_allclose(live.curve.get_ydata(), 0.1 * 0.5 ** (t / 50))


@pytest.mark.parametrize("name", sorted(lp.SCHEDULES))
def test_every_schedule_builds_and_draws(name):
    with quiet():
        live = lp.ScheduleFigure(schedule=name, lr=0.05, warmup_steps=0, step_size=1)
        live.png()
        live.update(warmup_steps=100, step_size=200, gamma=0.95, lr=1.0)
        live.png()
    assert np.isfinite(live.curve.get_ydata()).all()


def test_lr_finder_figure_matches_a_direct_range_test():
    live = lp.LRFinderFigure(num_it=60, beta=0.9)
    X, y = lrb.make_spirals(n_per_class=100, n_classes=3, seed=0)
    model = lrb.MLP(n_inputs=2, n_outputs=3, width=16, depth=1)
    res = lrb.lr_find(
        model.loss_and_grad,
        model.init(seed=0),
        start_lr=1e-5,
        end_lr=10.0,
        num_it=60,
        beta=0.9,
        batches=lrb.batch_stream(X, y, batch_size=32, seed=0),
    )
    np.testing.assert_allclose(live.smooth.get_ydata(), res.smoothed)
    marks = {m.get_label().split(":")[0]: m.get_xdata()[0] for m in lines(live.ax, "suggestion")}
    assert marks == {k: v for k, v in res.suggestions.items() if np.isfinite(v)}
    assert live.ax.get_xscale() == "log"
    live.update(end_lr=100.0, diverge_th=1.5)
    assert live.result.stopped_early
    assert len(live.messages) == 1 and "에서 발산" in live.messages[0]


@pytest.fixture(scope="module")
def training():
    """One TrainingFigure for the module: its construction trains the whole sweep."""
    live = lp.TrainingFigure()
    yield live
    plt.close(live.fig)


def test_training_figure_shows_the_runs_of_lrb_train(training):
    live = training
    np.testing.assert_allclose(live.grid, np.geomspace(1e-5, 10.0, 19))
    data = lrb.load_digits()
    net = lrb.MLP(n_inputs=64, n_outputs=10, width=16, depth=1)
    sgdm = functools.partial(lrb.sgd, momentum=0.9)
    lrs = live.grid[[9, 18]]
    ref = lrb.train(
        net,
        net.init(seed=0),
        sgdm,
        data.train,
        data.val,
        lr=lrs,
        epochs=10,
        batch_size=128,
        seed=0,
        max_loss=3 * np.log(10),
    )
    with quiet():
        live.update(optimizer="SGD + 모멘텀", lr=0.012)  # snaps to 10**-2
    assert live.lr == pytest.approx(0.01)
    np.testing.assert_allclose(live.train_loss.get_ydata(), ref.train_loss[:, 0])
    np.testing.assert_allclose(live.val_loss.get_ydata(), ref.val_loss[:, 0])
    np.testing.assert_allclose(live.acc.get_ydata(), 100 * ref.val_acc[:, 0])
    assert len(live.step_loss.get_xdata()) == 10 * 12  # 12 steps of 128 per epoch
    assert live.ax_loss.get_title() == "SGD + 모멘텀, η = 0.01"
    assert live.ax_acc.get_title() == f"검증 정확도 {100 * ref.val_acc[-1, 0]:.1f}%"
    assert live.messages == []
    sweep = live.curves["SGD + 모멘텀"]
    assert sweep.get_color() == lp.COLORS[1] and live.curves["Adam"].get_color() == "0.7"
    assert sweep.get_ydata()[9] == pytest.approx(100 * ref.val_acc[-1, 0])
    assert (live.mark.get_xdata()[0], live.cursor.get_xdata()[0]) == (live.lr, live.lr)
    x0, width = live.span.get_x(), live.span.get_width()
    assert (x0, x0 + width) == pytest.approx((1e-2, 1e-1))
    with quiet():
        live.update(lr=10.0)
    assert bool(ref.diverged[1]) and live.messages == [
        f"발산: {ref.diverged_step[1] + 1}번째 스텝에서\n손실 > 3 ln 10 ≈ 6.9"
    ]
    assert live.ax_acc.get_title() == "검증 정확도: 발산"
    assert live.sweep_diverged.get_xdata().tolist() == [10.0]
    with quiet():
        live.update(optimizer="Adam", lr=3e-4)
    x0, width = live.span.get_x(), live.span.get_width()
    assert (x0, x0 + width) == pytest.approx((1e-4, 1e-3))
    assert live.lr == pytest.approx(10 ** (-11 / 3))  # the nearer grid point (log scale)
    assert live.messages == [] and live.ax_sweep.get_xscale() == "log"
    assert live.ax_loss.get_yscale() == "log"
    with pytest.raises(ValueError, match="optimizer must be one of"):
        live.update(optimizer="SGD")
    with pytest.raises(ValueError, match="lr must be positive"):
        live.update(lr=0.0)


def test_training_figure_png_equals_a_full_redraw(training):
    from PIL import Image

    live = training
    live.update(optimizer="Adam", lr=1e-3)
    live.png()
    live.update(optimizer="SGD + 모멘텀", lr=10.0)
    fast = np.asarray(Image.open(io.BytesIO(live.png())).convert("RGB"), dtype=int)
    full = np.asarray(Image.open(io.BytesIO(render(live.fig))).convert("RGB"), dtype=int)
    assert (np.abs(fast - full).max(axis=-1) > 32).sum() == 0


# --------------------------------------------------------------------------------------
# kernel-free twins


ANIMATION_MARKUP = ('<div class="animation">', 'type="range"', "anim", "<script")


@pytest.mark.parametrize(
    "make",
    [
        lambda: lp.step_size_scrubber(dim=1),
        lambda: lp.step_size_scrubber(dim=2),
        lambda: lp.optimizer_scrubber(),
        lambda: lp.schedule_scrubber(),
        lambda: lp.lr_finder_scrubber(),
        lambda: lp.training_scrubber(),
    ],
    ids=["step_size_1d", "step_size_2d", "optimizer", "schedule", "lr_finder", "training"],
)
def test_scrubbers_are_light_offline_animations(make):
    with quiet():
        twin = make()
    html = twin._repr_html_()
    assert all(marker in html for marker in ANIMATION_MARKUP)
    assert html.count("data:image/png;base64,") == twin.frames
    assert 15 <= twin.frames <= 30
    assert twin.nbytes < 1_500_000
    assert "http" not in html  # no CDN: it plays offline
    assert "lw." in html and "Binder" in html  # points to the live version


def test_scrubber_frames_follow_the_control():
    """Frame i shows the figure at values[i]: the divergence note appears only above 2/λ."""
    import base64

    from PIL import Image

    twin = lp.step_size_scrubber(dim=1, lrs=[0.05, 0.25])
    frames = re.findall(r'frames\[\d+\] = "data:image/png;base64,(.*?)"', twin.html, re.S)
    images = [
        np.asarray(Image.open(io.BytesIO(base64.b64decode(f.replace("\\\n", "")))).convert("RGB"))
        for f in frames
    ]
    assert len(images) == 2 and images[0].shape == images[1].shape
    red = [((im[..., 0] > 170) & (im[..., 1] < 80) & (im[..., 2] < 80)).sum() for im in images]
    assert red[0] == 0 and red[1] > 100  # the red "발산" box


def test_scrub_validates_its_arguments():
    live = lp.StepSizeFigure()
    with pytest.raises(ValueError, match="control must be one of"):
        lp.scrub(live, "eta", [0.1])
    with pytest.raises(ValueError, match="values must not be empty"):
        lp.scrub(live, "lr", [])
