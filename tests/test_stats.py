"""Tests of lrbook.stats against hand-computed intervals and scipy's t quantiles."""

import math

import numpy as np
import pytest
from scipy import stats as sps

import lrbook as lrb
from lrbook import stats


@pytest.mark.parametrize("df", [0.5, 1, 2, 3, 4, 9, 29, 100, 1e4])
@pytest.mark.parametrize("p", [0.001, 0.05, 0.5, 0.6, 0.9, 0.975, 0.995, 0.9999])
def test_t_quantile_matches_scipy(p, df):
    np.testing.assert_allclose(stats.t_quantile(p, df), sps.t.ppf(p, df), rtol=1e-9, atol=1e-14)


def test_t_quantile_closed_forms():
    # df = 1 is the Cauchy distribution: tan(pi (p - 1/2)); df = 2: (2p - 1) sqrt(2 / (4p(1-p)))
    for p in (0.6, 0.9, 0.975):
        assert stats.t_quantile(p, 1) == pytest.approx(math.tan(math.pi * (p - 0.5)), rel=1e-12)
        exact = (2 * p - 1) / math.sqrt(2 * p * (1 - p))
        assert stats.t_quantile(p, 2) == pytest.approx(exact, rel=1e-12)
    assert stats.t_quantile(0.975, 2) == pytest.approx(4.302652729749464, rel=1e-12)


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, float("nan")])
def test_t_quantile_rejects_p(bad):
    with pytest.raises(ValueError, match="p"):
        stats.t_quantile(bad, 3)


def test_paired_interval_by_hand():
    # d = [1, 2, 3]: mean 2, s = 1, half-width t_{0.975,2} / sqrt(3)
    iv = stats.paired_interval([3.0, 5.0, 7.0], [2.0, 3.0, 4.0])
    half = 4.302652729749464 / math.sqrt(3)
    assert iv.mean == pytest.approx(2.0)
    assert iv.low == pytest.approx(2.0 - half, rel=1e-12)
    assert iv.high == pytest.approx(2.0 + half, rel=1e-12)
    assert iv.n == 3 and iv.covers_zero and iv.half_width == pytest.approx(half)


def test_paired_interval_excludes_zero_and_level():
    # d = [1, 1.1, 0.9, 1.0]: s = sqrt(0.02/3); 90 % uses t_{0.95,3} = 2.353363
    d = np.array([1.0, 1.1, 0.9, 1.0])
    iv = stats.paired_interval(d + 5.0, np.full(4, 5.0), level=0.9)
    half = 2.3533634348018264 * math.sqrt(0.02 / 3) / 2
    assert iv.low == pytest.approx(1.0 - half, rel=1e-9)
    assert not iv.covers_zero and iv.level == 0.9


def test_paired_is_narrower_than_unpaired():
    rng = np.random.default_rng(0)
    seed_effect = rng.normal(0, 1, 10)
    a, b = seed_effect + 0.1, seed_effect + rng.normal(0, 0.01, 10)
    paired = stats.paired_interval(a, b)
    assert not paired.covers_zero
    assert stats.mean_interval(a).half_width > 20 * paired.half_width


def test_nonfinite_policy():
    a, b = np.array([1.0, np.inf, 3.0, 4.0]), np.array([0.0, 0.0, np.nan, 1.0])
    with pytest.raises(ValueError, match="finite"):
        stats.paired_interval(a, b)
    iv = stats.paired_interval(a, b, nonfinite="drop")  # pairs 0 and 3 remain: d = 1, 3
    assert iv.n == 2 and iv.mean == pytest.approx(2.0)
    with pytest.raises(ValueError, match="at least 2"):
        stats.mean_interval([1.0, np.nan], nonfinite="drop")
    with pytest.raises(ValueError, match="nonfinite"):
        stats.mean_interval([1.0, 2.0], nonfinite="ignore")


def test_interval_argument_checks():
    with pytest.raises(ValueError, match="same length"):
        stats.paired_interval([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="values"):
        stats.mean_interval(["a", "b"])
    with pytest.raises(ValueError, match="level"):
        stats.mean_interval([1.0, 2.0], level=1.5)


def test_window_mean():
    x = np.arange(12.0).reshape(4, 3)  # time along axis 0
    np.testing.assert_allclose(stats.window_mean(x, 2), [7.5, 8.5, 9.5])
    np.testing.assert_allclose(stats.window_mean(x, 3, axis=1), [1.0, 4.0, 7.0, 10.0])
    np.testing.assert_allclose(stats.window_mean(x, 1, axis=-1), x[:, -1])
    y = x.copy()
    y[3, 1] = np.inf
    assert np.isinf(stats.window_mean(y, 2)[1])
    with pytest.raises(ValueError, match="window"):
        stats.window_mean(x, 5)
    with pytest.raises(ValueError, match="axis"):
        stats.window_mean(x, 1, axis=2)


def test_tune_by_hand_and_edges():
    grid = [1e-3, 1e-2, 1e-1, 1.0, 10.0]
    s = np.array([[5.0, 5.2], [3.0, 3.4], [1.0, 1.6], [2.0, 2.0], [np.nan, 0.1]])
    r = stats.tune(s, grid)
    assert r.index == 2 and r.value == 0.1 and not r.at_edge
    np.testing.assert_allclose(r.means, [5.1, 3.2, 1.3, 2.0, np.nan])
    np.testing.assert_array_equal(r.failed, [0, 0, 0, 0, 1])
    np.testing.assert_array_equal(r.scores, [1.0, 1.6])
    acc = stats.tune(-s, grid, goal="max")
    assert acc.index == 2
    edge = stats.tune(s[:3], grid[:3])
    assert edge.index == 2 and edge.at_edge
    with pytest.raises(ValueError, match="every grid value"):
        stats.tune(np.full((2, 3), np.inf), [1.0, 2.0])
    with pytest.raises(ValueError, match="increasing"):
        stats.tune(s, grid[::-1])
    with pytest.raises(ValueError, match="shape"):
        stats.tune(s.T, grid)
    with pytest.raises(ValueError, match="goal"):
        stats.tune(s, grid, goal="best")


def _method(best_row, offset, seeds=10, grid=6, seed=0):
    rng = np.random.default_rng(seed)
    rows = np.abs(np.arange(grid) - best_row)[:, None] * 1.0
    return rows + offset + rng.normal(0, 1, seeds) + rng.normal(0, 0.01, (grid, seeds))


def test_compare_verdicts_and_pairing():
    grid = np.logspace(-3, 2, 6)
    ref = _method(2, 0.0)
    same = _method(3, 0.0, seed=0) + np.random.default_rng(5).normal(0, 0.01, (6, 10))
    lower = _method(2, -0.5)
    res = stats.compare({"const": ref, "cos": same, "wc": lower}, grid)
    assert res.reference == "const" and res.seeds == 10 and res.meets_standard
    assert [r.method for r in res.rows] == ["const", "cos", "wc"]
    assert res["cos"].tuned.value == grid[3] and res["cos"].verdict == "차이 없음(검출 안 됨)"
    assert res["wc"].verdict == "wc 쪽이 낮음" and res["wc"].diff.high < 0
    d = res["wc"].tuned.scores - res["const"].tuned.scores
    expected = stats.mean_interval(d)
    assert res["wc"].diff == expected
    assert res["const"].diff is None
    ko, en = str(res), res.table("en")
    assert "차이 없음(검출 안 됨)" in ko and "시드 10개" in ko and "격자 6개" in ko
    assert "wc lower" in en and "no detectable difference" in en and "10 seeds" in en
    assert "기준 미달" not in ko


def test_compare_flags_the_standard():
    grid = [0.1, 1.0, 10.0]
    a, b = _method(0, 0.0, seeds=4, grid=3), _method(1, 1.0, seeds=4, grid=3)
    res = stats.compare({"a": a, "b": b}, {"a": grid, "b": grid}, reference="b")
    assert res.rows[0].method == "b" and not res.meets_standard
    assert res["a"].tuned.at_edge and res["a"].verdict == "a 쪽이 낮음"
    assert "시드 4개 < 10" in str(res) and "격자 3개 < 5" in str(res) and "격자 끝" in str(res)


def test_compare_argument_checks():
    a = np.zeros((5, 10))
    with pytest.raises(TypeError, match="scores_by_method"):
        stats.compare({}, np.arange(1.0, 6.0))
    with pytest.raises(ValueError, match="reference"):
        stats.compare({"a": a}, np.arange(1.0, 6.0), reference="b")
    with pytest.raises(ValueError, match="same seeds"):
        stats.compare({"a": a, "b": np.zeros((5, 9))}, np.arange(1.0, 6.0))


def test_largest_trainable_and_ratio():
    grid = 0.05 * 2.0 ** np.arange(6)  # 0.05 ... 1.6
    edge_a = np.array([0.8, 1.6, 0.4, 0.8, 0.05])
    edge_b = np.array([0.2, 0.4, 0.2, 0.4, 0.05])
    ok_a, ok_b = grid[:, None] <= edge_a, grid[:, None] <= edge_b
    np.testing.assert_allclose(stats.largest_trainable(ok_a, grid), edge_a)
    iv = stats.trainable_peak_ratio(ok_a, ok_b, grid)
    d = np.log2(edge_a / edge_b)  # 2, 2, 1, 1, 0
    assert iv.mean == pytest.approx(d.mean()) and iv.n == 5
    assert iv == stats.mean_interval(d)
    none = np.zeros((6, 5), dtype=bool)
    none[:, :3] = ok_b[:, :3]
    assert np.isnan(stats.largest_trainable(none, grid)[3:]).all()
    assert stats.trainable_peak_ratio(ok_a, none, grid).n == 3
    with pytest.raises(TypeError, match="boolean"):
        stats.largest_trainable(ok_a.astype(float), grid)
    with pytest.raises(ValueError, match="positive"):
        stats.trainable_peak_ratio(ok_a, ok_b, grid - 0.1)


def test_largest_trainable_contiguous():
    grid = np.array([0.1, 0.2, 0.3, 0.4, 0.5])
    ok = np.array(
        [
            [True, True, True, False, True],
            [True, True, False, False, True],
            [True, False, True, False, False],
            [False, True, True, False, False],
            [True, False, True, False, False],
        ]
    )
    # every success counts: column 0 reaches 0.5 past its failure at 0.4
    np.testing.assert_allclose(
        stats.largest_trainable(ok, grid), [0.5, 0.4, 0.5, np.nan, 0.2], equal_nan=True
    )
    # below the first failure only: 0.3, 0.2, 0.1, never, 0.2
    np.testing.assert_allclose(
        stats.largest_trainable(ok, grid, contiguous=True),
        [0.3, 0.2, 0.1, np.nan, 0.2],
        equal_nan=True,
    )
    # without any failure the two rules agree
    full = grid[:, None] <= np.array([0.2, 0.5, 0.1])
    np.testing.assert_array_equal(
        stats.largest_trainable(full, grid, contiguous=True), stats.largest_trainable(full, grid)
    )
    # the ratio passes the rule on: A = ok, B = first grid value only
    base = np.zeros_like(ok)
    base[0] = True
    iv = stats.trainable_peak_ratio(ok, base, grid, contiguous=True)
    d = np.log2(np.array([0.3, 0.2, 0.1, 0.2]) / 0.1)  # column 3 never trained: dropped
    assert iv.n == 4 and iv.mean == pytest.approx(d.mean())
    assert stats.trainable_peak_ratio(ok, base, grid).mean == pytest.approx(
        np.log2(np.array([0.5, 0.4, 0.5, 0.2]) / 0.1).mean()
    )
    with pytest.raises(TypeError, match="contiguous"):
        stats.largest_trainable(ok, grid, contiguous=1)


def test_public_names():
    for name in stats.__all__:
        assert getattr(lrb, name) is getattr(stats, name)
