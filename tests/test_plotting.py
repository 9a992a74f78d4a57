"""Tests of lrbook.plotting: the artists each pure figure draws, exactly."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lrbook as lrb
from lrbook import plotting as lp
from lrbook._figure import _log_axis, _panels
from tests.conftest import hidden_arrows, lines, notes, quiet, quivers, render

pytestmark = pytest.mark.usefixtures("no_open_figures")


# --------------------------------------------------------------------------------------
# pure plotting functions


def test_power_formatter_writes_superscripts():
    fig, ax = plt.subplots()
    plt.close(fig)
    ax.set_yscale("log")
    _log_axis(ax.yaxis)
    ax.set_ylim(1e-4, 1e2)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "10⁻³" in labels and "10⁰" in labels and "10²" in labels
    assert not any("$" in label for label in labels)
    assert lp.PowerFormatter()(0.2) == "2×10⁻¹"
    ax.set_ylim(0.1, 1.0)
    fig.canvas.draw()
    minor = [t.get_text() for t in ax.get_yticklabels(minor=True) if t.get_text()]
    assert "2×10⁻¹" in minor and "3×10⁻¹" in minor


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
    assert ax.get_xlabel() == "스텝 t" and ax.get_ylabel() == r"손실 $J(\theta_t)$"
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
    assert line.get_label() == r"$2/\lambda_{\max}$ = 0.2"
    crosses = lines(ax, "diverged")[0]
    np.testing.assert_allclose(crosses.get_xdata(), lrs[traj.diverged])
    np.testing.assert_allclose(lines(ax, "loss")[0].get_xdata(), lrs[~traj.diverged])
    assert traj.diverged.tolist() == (lrs > 0.2).tolist()
    assert notes(fig) == [f"η ≥ {lrs[traj.diverged].min():.4g}: 발산"]
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
    assert ax.get_ylabel() == r"학습률 $\eta_t$" and ax.get_title() == "스케줄"
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
    assert [m.get_label() for m in marks] == ["valley: 0.001", "steep: 0.03"]
    assert [m.get_marker() for m in marks] == ["v", "^"]  # shape as well as colour
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["손실", "평활 손실 (EMA)", "valley: 0.001", "steep: 0.03"]
    assert [t for t in ax.texts if t.get_visible()] == []  # no label next to the curve
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


def test_every_name_the_notebooks_call_on_a_figure_module_exists():
    """``lp.X``, ``scrubbers.X``, ``live.X`` and ``demos.X`` in the chapters all resolve."""
    import json
    import re
    from pathlib import Path

    from lrbook import demos, scrubbers
    from lrbook import live as ll

    modules = {"lp": lp, "scrubbers": scrubbers, "live": ll, "demos": demos}
    book = Path(__file__).resolve().parents[1] / "book"
    used = set()
    for path in sorted(book.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        used |= set(re.findall(r"(?<![\w.])(lp|scrubbers|live|demos)\.([A-Za-z_0-9]+)", code))
    # the scan sees the chapters' figure calls (a broken regex would find nothing)
    assert {m for m, _ in used} >= {"lp", "scrubbers"}
    assert sum(m == "lp" and n.startswith("plot_") for m, n in used) >= 20
    missing = sorted(f"{m}.{n}" for m, n in used if not hasattr(modules[m], n))
    assert missing == []


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_labels_mixing_hangul_and_mathtext_render_every_glyph(fmt):
    """Mathtext draws the text outside $...$ in one font: the Hangul one comes first."""
    with quiet():
        fig = lp.plot_sharpness(np.array([1.0, 2.0, 3.0]), 0.5)
        render(fig, fmt)
        fig = lp.plot_schedules([lrb.constant_schedule(0.1)], 5)
        render(fig, fmt)
    assert fig.axes[0].yaxis.label.get_fontfamily()[0] == "NanumGothic"


def test_panels_stack_fill_a_grid_or_take_the_callers_axes():
    """The one panel helper of the figure modules: a column by default, a grid with
    ``columns`` (its unused cells removed), or exactly ``n`` Axes of the caller's."""
    fig, (top, bottom) = _panels(None, 2, (6.4, 7.0))
    fig.canvas.draw()
    assert top.get_position().y0 > bottom.get_position().y1  # stacked, one above the other
    fig, axes = _panels(None, 3, (8.5, 6.6), columns=2)
    assert len(axes) == 3 and fig.axes == axes  # the fourth cell is gone
    fig, (one,) = _panels(None, 1, (6.4, 4.4))
    assert _panels(one, 1, (1.0, 1.0)) == (fig, [one])  # one Axes stands for itself
    with pytest.raises(TypeError, match=r"^ax must be a sequence of 2 matplotlib Axes, got ax="):
        _panels(one, 2, (1.0, 1.0))
