"""Tests of lrbook.plot_schedules: the data, labels and markers each chapter-4 figure draws."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lrbook as lrb
from lrbook import plotting as lp
from tests.conftest import render

pytestmark = pytest.mark.usefixtures("no_open_figures")


def test_schedule_shapes_draw_each_group_with_distinct_styles():
    t = np.arange(30)
    shapes = {
        "상수": np.ones(30),
        "코사인 감쇠": lrb.cosine_annealing(1.0, 30)(t),
        "워밍업 + 코사인": lrb.warmup_cosine(1.0, 3, 30)(t),
    }
    fig = lp.plot_schedule_shapes(
        shapes, [["상수", "코사인 감쇠"], ["워밍업 + 코사인"]], ["A", "B"]
    )
    a0, a1 = fig.axes
    assert [line.get_label() for line in a0.get_lines()] == ["상수", "코사인 감쇠"]
    np.testing.assert_allclose(a1.get_lines()[0].get_ydata(), shapes["워밍업 + 코사인"])
    styles = {(ln.get_marker(), str(ln.get_linestyle())) for a in fig.axes for ln in a.get_lines()}
    assert len(styles) == 3  # told apart by marker and line style, not colour alone
    assert a0.get_title() == "A" and a0.get_ylabel() == r"$\eta_t / \eta_{\max}$"
    with pytest.raises(ValueError, match="titles"):
        lp.plot_schedule_shapes(shapes, [["상수"]], ["A", "B"])
    render(fig)


def _assert_stacked(fig):
    """The first two panels one above the other, the same width: not side by side."""
    top, bottom = (a.get_position() for a in fig.axes[:2])
    assert top.y0 > bottom.y1
    assert top.x0 < bottom.x1 and bottom.x0 < top.x1


def test_noise_floor_draws_measurements_theory_and_floor_lines():
    lrs = np.array([0.01, 0.1])
    fine = np.geomspace(0.01, 0.1, 5)
    theory = lrb.noise_floor(fine, [1.0, 2.0])
    curves = {"상수 0.1": np.linspace(2, 0.1, 11), "코사인": np.linspace(2, 0.01, 11)}
    fig = lp.plot_noise_floor(lrs, [0.01, 0.1], fine, theory, curves, {"상수 0.1": 0.1})
    a0, a1 = fig.axes
    np.testing.assert_allclose(a0.get_lines()[0].get_ydata(), [0.01, 0.1])
    np.testing.assert_allclose(a0.get_lines()[1].get_ydata(), theory)
    labels = [ln.get_label() for ln in a1.get_lines() if not ln.get_label().startswith("_")]
    assert labels == ["상수 0.1", "코사인"]
    floor_lines = [ln for ln in a1.get_lines() if ln.get_linestyle() == ":"]
    assert len(floor_lines) == 1 and floor_lines[0].get_ydata()[0] == 0.1
    _assert_stacked(fig)
    render(fig)


def test_peak_sweep_marks_diverged_runs_and_the_edge():
    peaks = np.array([0.1, 0.2, 0.4])
    panels = {
        "σ = 1": {"상수": [2.0, 1.0, np.inf], "코사인": [3.0, 1.5, 0.5]},
        "σ = 0": {"상수": [1, 2, 3]},
    }
    fig = lp.plot_peak_sweep(peaks, panels, edge=0.3)
    a0, a1 = fig.axes
    const = [ln for ln in a0.get_lines() if ln.get_label() == "상수"][0]
    np.testing.assert_allclose(const.get_xdata(), [0.1, 0.2])
    crosses = [ln for ln in a0.get_lines() if ln.get_gid() == "diverged"]
    assert [ln.get_xdata().tolist() for ln in crosses] == [[0.4], []]
    assert any(ln.get_xdata()[0] == 0.3 for ln in a0.get_lines() if ln.get_linestyle() == "--")
    assert a0.get_title() == "σ = 1" and a1.get_title() == "σ = 0"
    assert a0.get_ylabel() == a1.get_ylabel() == "창 평균 최종 손실"
    _assert_stacked(fig)
    render(fig)


def test_plateau_draws_each_repeat_and_the_curves():
    lrs = np.array([[0.1, 0.1], [0.1, 0.03], [0.03, 0.03]])
    fig = lp.plot_plateau(lrs, {"상수": [1.0, 0.5, 0.4, 0.4], "플래토": [1.0, 0.5, 0.3, 0.2]})
    a0, a1 = fig.axes
    assert [ln.get_label() for ln in a0.get_lines()] == ["반복 1", "반복 2"]
    assert a0.get_yscale() == "log"
    np.testing.assert_allclose(a1.get_lines()[1].get_ydata(), [1.0, 0.5, 0.3, 0.2])
    _assert_stacked(fig)
    render(fig)


def test_comparison_draws_tuning_curves_best_points_and_intervals():
    grid = [0.01, 0.1, 1.0]
    rng = np.random.default_rng(0)
    a = np.array([[2.0], [1.0], [1.5]]) + 0.01 * rng.standard_normal((3, 10))
    b = a - np.array([[0.0], [0.3], [0.0]])
    res = lrb.compare({"상수": a, "코사인": b}, grid)
    fig = lp.plot_comparison(res, grid)
    a0, a1 = fig.axes
    curves = [ln for ln in a0.get_lines() if ln.get_gid() != "best"]
    np.testing.assert_allclose(curves[1].get_ydata(), res["코사인"].tuned.means)
    best = [ln for ln in a0.get_lines() if ln.get_gid() == "best"]
    assert [ln.get_xdata()[0] for ln in best] == [0.1, 0.1]
    assert [t.get_text() for t in a1.get_yticklabels()] == ["코사인"]
    point = a1.get_lines()[0]
    assert point.get_xdata()[0] == pytest.approx(res["코사인"].diff.mean)
    assert "상수" in a1.get_xlabel()
    render(fig)


def test_warmup_map_draws_the_fractions_as_image_and_numbers():
    frac = np.array([[1.0, 0.2, 0.0], [1.0, 0.6, 0.1]])
    fig = lp.plot_warmup_map([1.0, 2.0, 4.0], [0, 10], frac)
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.get_images()[0].get_array(), frac)
    assert [t.get_text() for t in ax.texts] == ["1", "0.2", "0", "1", "0.6", "0.1"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "10"]
    with pytest.raises(ValueError, match="fraction"):
        lp.plot_warmup_map([1.0], [0, 10], frac)
    render(fig)


def test_warmup_sharpness_draws_sharpness_and_the_stability_line():
    eta = np.array([0.5, 1.0, 2.0, 2.0])
    fig = lp.plot_warmup_sharpness(
        [0, 2, 4],
        {"워밍업": [3.0, 1.2, 0.8]},
        {"워밍업": eta},
        {"워밍업": [2.0, 1.0, 0.6, 0.5, 0.4]},
    )
    a0, a1 = fig.axes
    np.testing.assert_allclose(a0.get_lines()[0].get_ydata(), [2.0, 1.0, 0.6, 0.5, 0.4])
    sharp, edge = a1.get_lines()
    np.testing.assert_allclose(sharp.get_ydata(), [3.0, 1.2, 0.8])
    np.testing.assert_allclose(edge.get_ydata(), 2.0 / eta)
    assert edge.get_linestyle() == ":"
    render(fig)


def test_axes_are_used_when_given():
    fig, axes = plt.subplots(1, 2)
    plt.close(fig)
    out = lp.plot_plateau(np.ones((3, 1)), {"a": [1, 1, 1, 1]}, ax=axes)
    assert out is fig
    with pytest.raises(TypeError, match="ax"):
        lp.plot_plateau(np.ones((3, 1)), {"a": [1, 1, 1, 1]}, ax=axes[:1])


def test_methods_past_the_seventh_differ_from_the_first_ones():
    grid = [0.1, 1.0, 10.0]
    base = np.array([[2.0], [1.0], [1.5]]) + np.zeros((3, 10))
    scores = {f"m{i}": base + 0.01 * i for i in range(9)}
    fig = lp.plot_comparison(lrb.compare(scores, grid), grid)
    curves = [ln for ln in fig.axes[0].get_lines() if ln.get_gid() != "best"]
    looks = [
        (ln.get_color(), ln.get_marker(), str(ln.get_linestyle()), ln.get_mfc()) for ln in curves
    ]
    assert len(set(looks)) == 9


def _texts(fig):
    """Every Text a figure shows: titles, axis labels, legend entries, annotations."""
    for a in fig.axes:
        yield from (a.title, a.xaxis.label, a.yaxis.label, *a.texts)
        legend = a.get_legend()
        if legend is not None:
            yield from legend.get_texts()


def test_subscripts_are_typeset_as_math_and_hangul_beside_math_is_drawn():
    outside_math = lambda s: "".join(s.split("$")[::2])  # noqa: E731
    hangul = lambda s: any("가" <= c <= "힣" for c in s)  # noqa: E731
    figs = [
        lp.plot_peak_sweep([0.1, 0.2], {"P": {"a": [1.0, np.inf]}}, edge=0.15),
        lp.plot_plateau(np.ones((3, 1)), {"a": [1, 1, 1, 1]}),
        lp.plot_warmup_map([1.0, 2.0], [0, 5], [[1.0, 0.0], [1.0, 0.5]]),
        lp.plot_warmup_sharpness([0, 2], {"가": [3.0, 1.0]}, {"가": [1.0] * 3}, {"가": [2.0] * 4}),
    ]
    texts = [t for fig in figs for t in _texts(fig)]
    strings = [t.get_text() for t in texts]
    assert r"$2/\lambda_{\max}$" in strings
    assert r"$\lambda_{\max}$: 가" in strings and r"$2/\eta_t$: 가" in strings
    assert r"학습률 $\eta_t$" in strings
    assert [s for s in strings if "_" in outside_math(s)] == []
    # mathtext takes the glyphs outside $...$ from the first font of the family alone
    mixed = [t for t in texts if "$" in t.get_text() and hangul(outside_math(t.get_text()))]
    assert len(mixed) == 7
    assert all(t.get_fontfamily()[0] == "NanumGothic" for t in mixed)
    for fig in figs:
        render(fig)
