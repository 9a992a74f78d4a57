"""Tests of lrbook.live: figures updated in place show the core's runs."""

from __future__ import annotations

import functools
import io

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lrbook as lrb
from lrbook import demos, scrubbers
from lrbook import live as ll
from lrbook import plotting as lp
from tests.conftest import lines, quiet, render

pytestmark = pytest.mark.usefixtures("no_open_figures")


# --------------------------------------------------------------------------------------
# live figures


def test_step_size_figure_says_diverge_above_two_over_lambda():
    for dim in (1, 2):
        live = ll.StepSizeFigure(dim=dim, lr=0.05)
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
    live = ll.StepSizeFigure(dim=1, lr=0.2)
    assert live.messages == []
    assert live.ax_loss.get_title().startswith("수렴하지 않음")


def test_step_size_figure_draws_the_run_of_the_core():
    live = ll.StepSizeFigure(dim=2, lr=0.12, steps=15)
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
            lambda: ll.OptimizerRaceFigure(optimizers=("SGD", "Adam"), lr=0.05),
            {"lr": 0.01, "optimizers": ("모멘텀",)},
        ),
        (lambda: ll.StepSizeFigure(dim=2, lr=0.05), {"lr": 0.19, "steps": 40}),
        (lambda: ll.StepSizeFigure(dim=1, lr=0.05), {"lr": 0.3}),
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
    live = ll.StepSizeFigure()
    with pytest.raises(TypeError, match="unknown control"):
        live.update(eta=0.1)
    with pytest.raises(ValueError, match="lr must be positive"):
        live.update(lr=-1.0)
    with pytest.raises(ValueError, match="dim must be 1 or 2"):
        ll.StepSizeFigure(dim=3)
    with pytest.raises(ValueError, match="start_lr must be below end_lr"):
        ll.LRFinderFigure(start_lr=1.0, end_lr=0.1)


def test_optimizer_race_names_the_diverged_runs():
    live = ll.OptimizerRaceFigure(optimizers=("SGD", "Adam"), lr=0.1)
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
    live = ll.OptimizerRaceFigure(optimizers=("Adam", "네스테로프"), lr=0.03, steps=50)
    f = demos.RACE_LANDSCAPES["ill_conditioned"].make()
    x0 = np.array(demos.RACE_LANDSCAPES["ill_conditioned"].start)
    adam = lrb.run(lrb.adam(lr=0.03, betas=(0.9, 0.999)), f, x0, 50)
    nesterov = lrb.run(lrb.sgd(lr=0.03, momentum=0.9, nesterov=True), f, x0, 50)
    np.testing.assert_allclose(live.trails["Adam"].line.get_xydata(), adam.params)
    np.testing.assert_allclose(live.trails["네스테로프"].line.get_xydata(), nesterov.params)
    live.update(momentum=0.0)  # nesterov without momentum is plain SGD
    sgd = lrb.run(lrb.sgd(lr=0.03), f, x0, 50)
    np.testing.assert_allclose(live.trails["네스테로프"].line.get_xydata(), sgd.params)


def test_schedule_figure_draws_the_schedule_and_trains_with_it():
    live = ll.ScheduleFigure(schedule="warmup_cosine", lr=0.1, warmup_steps=20)
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


@pytest.mark.parametrize("name", sorted(demos.SCHEDULES))
def test_every_schedule_builds_and_draws(name):
    with quiet():
        live = ll.ScheduleFigure(schedule=name, lr=0.05, warmup_steps=0, step_size=1)
        live.png()
        live.update(warmup_steps=100, step_size=200, gamma=0.95, lr=1.0)
        live.png()
    assert np.isfinite(live.curve.get_ydata()).all()


def test_lr_finder_figure_matches_a_direct_range_test():
    live = ll.LRFinderFigure(num_it=60, beta=0.9)
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


@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_lr_finder_figure_replays_its_tests_exactly(optimizer):
    """A change of beta or diverge_th replays the kept losses: the result must be the one
    a fresh range test gives, where it stops included."""
    X, y = lrb.make_spirals(n_per_class=100, n_classes=3, seed=0)
    model = lrb.MLP(n_inputs=2, n_outputs=3, width=16, depth=1)
    live = ll.LRFinderFigure(optimizer=optimizer, num_it=80, end_lr=100.0)
    stops = set()
    for beta, diverge_th in [(0.98, 4.0), (0.0, 1.2), (0.5, 1.5), (0.9, 20.0), (0.98, 1.0)]:
        live.update(beta=beta, diverge_th=diverge_th)
        res = lrb.lr_find(
            model.loss_and_grad,
            model.init(seed=0),
            optimizer=demos.FINDER_OPTIMIZERS[optimizer].factory,
            start_lr=1e-5,
            end_lr=100.0,
            num_it=80,
            beta=beta,
            diverge_th=diverge_th,
            batches=lrb.batch_stream(X, y, batch_size=32, seed=0),
        )
        got = live.result
        for name in ("lrs", "losses", "smoothed"):
            np.testing.assert_array_equal(getattr(got, name), getattr(res, name))
        assert got.suggestions == pytest.approx(res.suggestions, nan_ok=True)
        assert (got.stopped_early, got.diverged_step) == (res.stopped_early, res.diverged_step)
        stops.add(res.diverged_step)
    assert len(stops) >= 3  # the settings stop the test at different iterations


@pytest.fixture(scope="module")
def training():
    """One TrainingFigure for the module: its construction trains the whole sweep."""
    live = ll.TrainingFigure()
    yield live
    plt.close(live.fig)


def test_training_figure_shows_the_runs_of_lrb_train(training):
    live = training
    np.testing.assert_allclose(live.grid, np.geomspace(1e-5, 10.0, 19))
    assert live.grid[::3].tolist() == [1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0]  # exact decades
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


FITTING = {
    "step_size_edge": lambda scale: ll.StepSizeFigure(dim=2, lr=0.2, text_scale=scale),
    "step_size_diverged": lambda scale: ll.StepSizeFigure(dim=1, lr=0.9, text_scale=scale),
    "race": lambda scale: ll.OptimizerRaceFigure(
        optimizers=tuple(demos.RACE_OPTIMIZERS), lr=0.1, text_scale=scale
    ),
    "schedule_diverged": lambda scale: ll.ScheduleFigure(
        schedule="constant", lr=0.3, text_scale=scale
    ),
    "lr_finder": lambda scale: ll.LRFinderFigure(text_scale=scale),
    "lr_finder_stopped": lambda scale: ll.LRFinderFigure(
        end_lr=100.0, diverge_th=1.5, text_scale=scale
    ),
}


@pytest.mark.parametrize("scale", [1.0, scrubbers.TEXT_SCALE], ids=["explorer", "twin"])
@pytest.mark.parametrize("name", sorted(FITTING))
def test_every_label_fits_the_figure_and_the_note_leaves_the_legend_alone(name, scale):
    live = FITTING[name](scale)
    live.png()
    renderer = live.fig.canvas.get_renderer()
    width, height = live.fig.canvas.get_width_height(physical=True)
    for ax in live.fig.axes:  # everything drawn: ticks in view, labels, title, legend, notes
        box = ax.get_tightbbox(renderer)
        inside = box.x0 >= -1 and box.y0 >= -1 and box.x1 <= width + 1 and box.y1 <= height + 1
        assert inside, (name, box.bounds, (width, height))
    notes = [t for ax in live.fig.axes for t in ax.texts if t.get_gid() == "lrbook-note"]
    for note in (n for n in notes if n.get_visible() and n.get_text()):
        box = note.get_bbox_patch().get_window_extent(renderer)
        for legend in (ax.get_legend() for ax in live.fig.axes):
            if legend is not None:
                assert not box.overlaps(legend.get_window_extent(renderer)), name
