"""Tests of lrbook.plot_finder: what each chapter-7 figure draws, and that its labels stay apart."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from matplotlib.text import Text

import lrbook as lrb
from lrbook import plotting as lp
from tests.conftest import lines, quiet, render

pytestmark = pytest.mark.usefixtures("no_open_figures")

H = np.array([1.0, 10.0])


def noisy_bowl(x, xi):
    return 0.5 * np.sum(H * (x - xi) ** 2), H * (x - xi)


def noise(seed):
    return 0.1 * np.random.default_rng(seed).standard_normal((100, 2))


@functools.cache
def finder_results():
    sgd = lrb.lr_find(noisy_bowl, np.ones(2), batches=noise(0))
    heavy = lrb.lr_find(
        noisy_bowl,
        np.ones(2),
        optimizer=functools.partial(lrb.sgd, momentum=0.5),
        batches=noise(1),
    )
    return {"SGD": sgd, "모멘텀": heavy}


def label_boxes(fig, gid):
    """Display-space boxes of the texts (not the leaders) of the annotations ``gid``, per axes."""
    render(fig)
    renderer = fig._get_renderer()
    return {
        ax: [Text.get_window_extent(t, renderer) for t in ax.texts if t.get_gid() == gid]
        for ax in fig.axes
    }


def assert_apart_and_inside(fig, gid, expected):
    for ax, boxes in label_boxes(fig, gid).items():
        if not boxes:
            continue
        assert len(boxes) == expected
        frame = ax.get_window_extent()
        for i, a in enumerate(boxes):
            assert frame.x0 <= a.x0 and a.x1 <= frame.x1 and frame.y0 <= a.y0 and a.y1 <= frame.y1
            for b in boxes[i + 1 :]:
                assert not a.overlaps(b), (a, b)


def test_rule_markers_differ_in_shape_and_colour():
    markers = [m for m, _ in lp.RULE_MARKERS.values()]
    colours = [c for _, c in lp.RULE_MARKERS.values()]
    assert list(lp.RULE_MARKERS) == ["valley", "steep", "minimum", "slide"]
    assert len(set(markers)) == 4 and len(set(colours)) == 4


def test_plot_finder_rules_marks_each_suggestion_on_the_smoothed_curve():
    results = finder_results()
    with quiet():
        fig = lp.plot_finder_rules(results)
    assert [ax.get_title() for ax in fig.axes] == ["SGD", "모멘텀"]
    for ax, res in zip(fig.axes, results.values(), strict=True):
        stop = res.lrs.size - 5
        np.testing.assert_allclose(lines(ax, "smoothed")[0].get_ydata(), res.smoothed[:stop])
        for rule, lr in res.suggestions.items():
            (dot,) = lines(ax, rule)
            assert dot.get_marker() == lp.RULE_MARKERS[rule][0]
            assert dot.get_xdata()[0] == lr
            at = np.interp(np.log(lr), np.log(res.lrs[:stop]), res.smoothed[:stop])
            np.testing.assert_allclose(dot.get_ydata()[0], at)
        assert sorted(t.get_text() for t in ax.texts) == sorted(res.suggestions)
    assert_apart_and_inside(fig, "rule-label", 4)


def test_plot_finder_sweep_draws_mean_band_best_and_each_rules_median():
    grid = np.geomspace(0.01, 10.0, 7)
    base = (np.log10(grid) + 1) ** 2 + 0.1  # lowest at 0.1
    scores = np.stack([base, base + 0.2, base * 1.5])  # 3 seeds
    scores[2, -1] = np.nan  # a diverged run is left out of mean and band
    picks = {"valley": np.array([0.02, 0.03, 0.05]), "steep": np.array([0.2, 0.3, 0.9])}
    with quiet():
        fig = lp.plot_finder_sweep(grid, {"A": scores}, {"A": picks})
    ax = fig.axes[0]
    mean = np.nanmean(scores, axis=0)
    np.testing.assert_allclose(lines(ax, "mean")[0].get_ydata(), mean)
    (best,) = lines(ax, "best")
    assert best.get_xdata()[0] == grid[np.argmin(mean)]
    for rule, lrs in picks.items():
        (dot,) = lines(ax, rule)
        assert dot.get_xdata()[0] == np.median(lrs)
        assert dot.get_marker() == lp.RULE_MARKERS[rule][0]
        bar = [
            ln
            for ln in ax.lines
            if ln.get_gid() is None and ln.get_color() == lp.RULE_MARKERS[rule][1]
        ]
        assert bar[0].get_xdata().tolist() == [lrs.min(), lrs.max()]
    assert_apart_and_inside(fig, "rule-label", 2)


def test_plot_peak_intervals_draws_each_interval():
    a = np.array([1.0, 2.0, 3.0, 2.5])
    ivs = {
        "고정": {
            "valley": lrb.paired_interval(a, a - 0.5 + [0, 0.1, -0.1, 0]),
            "steep": lrb.paired_interval(a, a + [0.1, -0.2, 0.05, 0.0]),
        },
        "one-cycle": {
            "valley": lrb.paired_interval(a, a - 1.0 + [0, 0.1, -0.1, 0]),
            "steep": lrb.paired_interval(a, a),
        },
    }
    with quiet():
        fig = lp.plot_peak_intervals({"P": ivs, "Q": ivs})
    assert len(fig.axes) == 2  # stacked vertically, one per panel
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["steep", "valley"]
    for sched, rows in ivs.items():
        segments = lines(ax, sched)
        assert len(segments) == 2
        for seg, iv in zip(segments, rows.values(), strict=True):
            np.testing.assert_allclose(seg.get_xdata(), [iv.low, iv.high], atol=1e-5)
    for sched, rows in ivs.items():
        means = [float(ln.get_xdata()[0]) for ln in lines(ax, f"{sched}-mean")]
        np.testing.assert_allclose(means, [iv.mean for iv in rows.values()])
    assert lines(ax, "zero")[0].get_xdata()[0] == 0.0


def test_plot_finder_sharpness_marks_where_lr_times_lambda_crosses_two():
    res = lrb.lr_find(noisy_bowl, np.ones(2), batches=noise(2), track_sharpness=1)
    with quiet():
        fig = lp.plot_finder_sharpness(res)
    top, bottom = fig.axes
    product = res.lrs * res.sharpness
    cross = res.lrs[np.argmax(product >= 2)]
    assert 0.2 <= cross < 0.2 * 10**0.08
    for ax in (top, bottom):
        assert lines(ax, "crossing")[0].get_xdata()[0] == cross
    np.testing.assert_allclose(bottom.lines[0].get_ydata(), product)
    assert lines(bottom, "two")[0].get_ydata()[0] == 2.0
    with pytest.raises(ValueError, match="track_sharpness"):
        lp.plot_finder_sharpness(lrb.lr_find(noisy_bowl, np.ones(2), batches=noise(0)))


def test_plot_finder_smoothing_marks_minima_and_the_biased_stop():
    lrs = np.geomspace(1e-4, 1.0, 40)
    losses = 2.0 + 0.1 * np.sin(np.arange(40))
    smoothed = np.linspace(2.0, 1.0, 40)
    naive = 2.0 * (1 - 0.98 ** np.arange(1, 41))  # constant loss 2: stops at i = 4
    with quiet():
        fig = lp.plot_finder_smoothing(lrs, losses, smoothed, naive)
    left, right = fig.axes
    assert lines(left, "raw-min")[0].get_xdata()[0] == lrs[np.argmin(losses)]
    assert lines(left, "smooth-min")[0].get_xdata()[0] == lrs[-1]
    assert lines(right, "naive-stop")[0].get_xdata()[0] == 4
    assert right.get_title() == "처음 16회"


def test_plot_finder_quadratic_draws_the_limit_and_each_runs_minimum():
    bowl = lrb.quadratic((1.0, 10.0))
    runs = {
        "a": lrb.lr_find(bowl, np.ones(2)),
        "b": lrb.lr_find(bowl, np.ones(2), start_lr=1.3e-7),
    }
    with quiet():
        fig = lp.plot_finder_quadratic(runs, 0.2, slow_limit=2.0)
    left, right = fig.axes
    for ax in (left, right):
        assert lines(ax, "limit")[0].get_xdata()[0] == 0.2
    minima = [ln.get_xdata()[0] for ln in lines(right, "loss-min")]
    assert minima == [r.lrs[np.argmin(r.losses)] for r in runs.values()]
    assert any("minimum 제안" in (ln.get_label() or "") for ln in left.lines)
