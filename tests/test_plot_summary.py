"""Tests of lrbook.plot_summary: what each figure of chapter 8 draws, and bad input."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402

import lrbook as lrb  # noqa: E402
from lrbook import plot_summary as ps  # noqa: E402
from lrbook import plotting as lp  # noqa: E402

ZONES = [
    (1e-3, 0.02, "느림"),
    (0.02, 0.1, "단조 수렴"),
    (0.1, 0.2, "진동\n수렴"),
    (0.2, 0.3, "발산"),
]


def sweep():
    lrs = np.geomspace(1e-3, 0.3, 120)
    bowl = lrb.quadratic((1.0, 10.0))
    run = lrb.run(lrb.sgd(lr=lrs[:, None]), bowl, np.ones((lrs.size, 2)), steps=200)
    return lrs, run


def by_gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def test_reexported_by_plotting():
    for name in ps.__all__:
        assert getattr(lp, name) is getattr(ps, name)
        assert name in lp.__all__


def test_lr_map_draws_the_sweep_zones_and_cliff():
    lrs, run = sweep()
    fig = lp.plot_lr_map(
        lrs, run.losses[-1], ZONES, sharpness=10.0, diverged=run.diverged, best=0.18
    )
    ax = fig.axes[0]
    (loss,) = by_gid(ax, "loss")
    ok = ~run.diverged
    np.testing.assert_allclose(loss.get_xdata(), lrs[ok])
    np.testing.assert_allclose(loss.get_ydata(), run.losses[-1][ok])
    (edge,) = by_gid(ax, "threshold")
    assert edge.get_xdata()[0] == pytest.approx(0.2)
    (star,) = by_gid(ax, "best")
    assert star.get_xdata()[0] == pytest.approx(lrs[np.argmin(np.abs(np.log(lrs / 0.18)))])
    assert by_gid(ax, "diverged"), "diverged runs are marked"
    assert [f"zone:{n}" for *_, n in ZONES] == [
        a.get_gid() for a in ax.patches if str(a.get_gid()).startswith("zone:")
    ]
    hatches = [a.get_hatch() for a in ax.patches if str(a.get_gid()).startswith("zone:")]
    assert len(set(hatches)) == len(ZONES), "zones differ by hatch, not colour alone"


def test_lr_map_zone_names_stay_apart_and_inside():
    lrs, run = sweep()
    for width in (6.4, 5.0):  # as drawn, and narrower
        fig = lp.plot_lr_map(lrs, run.losses[-1], ZONES, sharpness=10.0, diverged=run.diverged)
        fig.set_size_inches(width, 4.4)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        top = fig.axes[0].child_axes[0]
        labels = top.get_xticklabels()
        assert [t.get_text() for t in labels] == [n for *_, n in ZONES]
        boxes = [t.get_window_extent(renderer) for t in labels]
        for a, b in zip(boxes[:-1], boxes[1:], strict=True):
            assert a.x1 < b.x0, f"zone names overlap at width {width}"
        assert boxes[0].x0 >= 0 and boxes[-1].x1 <= fig.bbox.width


def test_lr_map_bad_input():
    with pytest.raises(ValueError, match="losses"):
        lp.plot_lr_map([0.1, 0.2], [1.0], ZONES, sharpness=10.0)
    with pytest.raises(ValueError, match="zones"):
        lp.plot_lr_map([0.1, 0.2], [1.0, 2.0], [], sharpness=10.0)
    with pytest.raises(ValueError, match="sharpness"):
        lp.plot_lr_map([0.1, 0.2], [1.0, 2.0], ZONES, sharpness=0.0)
    with pytest.raises(ValueError, match="lrs"):
        lp.plot_lr_map([-0.1, 0.2], [1.0, 2.0], ZONES, sharpness=1.0)


def test_path_grid_one_panel_per_run():
    bowl = lrb.quadratic((1.0, 10.0))
    etas = np.array([0.01, 0.09, 0.19, 0.203])
    run = lrb.run(lrb.sgd(lr=etas[:, None]), bowl, np.tile([-2.5, 1.5], (4, 1)), steps=30)
    titles = [f"η = {e:g}" for e in etas]
    fig = lp.plot_path_grid(bowl, run, titles, xlim=(-3, 3), ylim=(-3, 3))
    assert [a.get_title() for a in fig.axes] == titles
    for k, ax in enumerate(fig.axes):
        (path,) = by_gid(ax, "path")
        np.testing.assert_allclose(path.get_xydata(), run.params[:, k])
        (start,) = by_gid(ax, "start")
        np.testing.assert_allclose(start.get_xydata()[0], [-2.5, 1.5])
        assert ax.get_xlim() == (-3, 3)
    with pytest.raises(ValueError, match="titles"):
        lp.plot_path_grid(bowl, run, titles[:3], xlim=(-3, 3), ylim=(-3, 3))
    odd = lp.plot_path_grid(bowl, run.params[:, :3], titles[:3], xlim=(-3, 3), ylim=(-3, 3))
    assert [a.get_title() for a in odd.axes] == titles[:3]


def test_corrections_measured_against_closed_forms():
    etas = np.array([0.01, 0.1, 1.0])
    q = np.array([0.01, 0.1, 0.5])
    fig = lp.plot_corrections(etas, [691, 73, 10], 1e-3, q, [14, 4.3, 1.7])
    top, bottom = fig.axes
    assert top.get_position().y0 > bottom.get_position().y1  # stacked, not side by side
    (theory,) = by_gid(top, "theory")
    np.testing.assert_allclose(theory.get_ydata(), np.log(1e3) / np.log(1 + etas))
    (theory,) = by_gid(bottom, "theory")
    np.testing.assert_allclose(theory.get_ydata(), np.sqrt(2 / q - 1))
    (measured,) = by_gid(bottom, "measured")
    np.testing.assert_allclose(measured.get_ydata(), [14, 4.3, 1.7])
    FigureCanvasAgg(fig).draw()
    shown = [t.get_text() for t in bottom.get_yticklabels(minor=True) if t.get_text()]
    assert "2" in shown and not any("×" in t or "^" in t for t in shown)
    with pytest.raises(ValueError, match="y0"):
        lp.plot_corrections(etas, [1, 2, 3], 0.0, q, [1, 2, 3])
    with pytest.raises(ValueError, match="reach_lrs"):
        lp.plot_corrections(etas, [1, 2, 3], 1e-3, [0.1, 2.5, 1.0], [1, 2, 3])
    with pytest.raises(ValueError, match="escape_steps"):
        lp.plot_corrections(etas, [1, 2], 1e-3, q, [1, 2, 3])


def test_kink_cycle_draws_each_run_with_its_own_marker_and_style():
    theta = {"η = 0.3": [1.0, 0.7, 0.4, 0.1, -0.2, 0.1], "η = 0.1": [1.0, 0.9, 0.8, 0.7, 0.6, 0.5]}
    fig = lp.plot_kink_cycle(theta, title="t")
    lines = by_gid(fig.axes[0], "theta")
    assert [ln.get_label() for ln in lines] == list(theta)
    for ln, y in zip(lines, theta.values(), strict=True):
        np.testing.assert_allclose(ln.get_ydata(), y)
    assert lines[0].get_marker() != lines[1].get_marker()
    assert lines[0].get_linestyle() != lines[1].get_linestyle()
    with pytest.raises(TypeError, match="thetas"):
        lp.plot_kink_cycle({})
    with pytest.raises(ValueError, match="same number"):
        lp.plot_kink_cycle({"a": [1, 2], "b": [1, 2, 3]})


def test_draws_into_given_axes():
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2)
    out = lp.plot_corrections([0.1], [73], 1e-3, [0.1], [4.3], ax=axes)
    assert out is fig
    with pytest.raises(TypeError, match="ax"):
        lp.plot_corrections([0.1], [73], 1e-3, [0.1], [4.3], ax=axes[:1])
    plt.close(fig)
