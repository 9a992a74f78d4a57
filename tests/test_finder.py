"""LR range test: fastai's suggestion rules on hand-built curves, the test procedure itself."""

import functools
import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lrbook as lrb

SUGGEST = {
    "valley": lrb.suggest_valley,
    "steep": lrb.suggest_steep,
    "minimum": lrb.suggest_minimum,
    "slide": lrb.suggest_slide,
}


def grid(n):
    """Geometric lrs 1e-6, 1e-5, ...: log-spacing is uniform, so slopes compare as drops."""
    return 10.0 ** (np.arange(n) - 6.0)


# --------------------------------------------------------------------------------------
# hand-built curves. Definitions used in the derivations (fastai's rules):
#   valley:  d_i = 1 + max{d_j : j < i, l_j > l_i} (1 if none); e = first argmax d;
#            s = e - d_e (s = 0 if e = 0); w = (e - s) / 3; index s + int(w) + int(w / 2)
#   steep:   k = first argmin of (l_{k+1} - l_k) / (log lr_{k+1} - log lr_k); lrs[k]
#   minimum: lrs[argmin l] / 10
#   slide:   g = np.gradient(l); windows (r, r - lr_diff) for r = n-1, n-2, ...; stop at the
#            first window k* with |g_r - g_l| <= thresh (or when l < 0, k* = n - lr_diff);
#            answer lrs[left of window max(k* - 1, 0)]


def test_monotone_curve():
    losses = [10.0, 9.0, 7.0, 4.0, 3.5, 3.2, 3.1]
    lrs = grid(7)
    # valley: d = 1..7, e = 6, s = 6 - 7 = -1, w = 7/3, index -1 + 2 + int(7/6) = 2
    assert lrb.suggest_valley(lrs, losses) == lrs[2]
    # steep: drops -1, -2, -3, -0.5, -0.3, -0.1 per decade -> k = 2
    assert lrb.suggest_steep(lrs, losses) == lrs[2]
    # minimum: the last point
    assert lrb.suggest_minimum(lrs, losses) == lrs[6] / 10
    # slide, lr_diff = 2: g = (-1, -1.5, -2.5, -1.75, -0.4, -0.2, -0.1)
    #   thresh 0.5: window (6, 4): |-0.1 + 0.4| = 0.3 <= 0.5 at once, k* = 0 -> lrs[4]
    assert lrb.suggest_slide(lrs, losses, lr_diff=2, thresh=0.5) == lrs[4]
    #   thresh 0.1: (6,4) 0.3, (5,3) 1.55, (4,2) 2.1, (3,1) 0.25, (2,0) 1.5 all > 0.1, then
    #   the window leaves the curve: k* = 5 -> left end of window 4 = lrs[0]
    assert lrb.suggest_slide(lrs, losses, lr_diff=2, thresh=0.1) == lrs[0]
    #   adjust_value scales the answer
    assert lrb.suggest_slide(lrs, losses, lr_diff=2, thresh=0.5, adjust_value=0.5) == lrs[4] / 2


def test_plateau_then_valley_then_blow_up():
    losses = [5.0, 5.0, 5.0, 5.0, 4.5, 3.0, 2.0, 1.5, 2.0, 6.0]
    lrs = grid(10)
    # valley: equal losses do not extend a valley: d = 1, 1, 1, 1, 2, 3, 4, 5, 4, 1
    #   (d_8: earlier losses above 2.0 are indices 0..5, best d 3), e = 7, s = 7 - 5 = 2,
    #   w = 5/3, index 2 + 1 + int(5/6) = 3
    assert lrb.suggest_valley(lrs, losses) == lrs[3]
    # steep: drops 0, 0, 0, -0.5, -1.5, -1, -0.5, 0.5, 4 -> k = 4
    assert lrb.suggest_steep(lrs, losses) == lrs[4]
    # minimum: argmin 7
    assert lrb.suggest_minimum(lrs, losses) == lrs[7] / 10
    # slide, lr_diff = 3: g = (0, 0, 0, -0.25, -1, -1.25, -0.75, 0, 2.25, 4); windows
    #   (9,6) 4.75, (8,5) 3.5, (7,4) 1, (6,3) 0.5, (5,2) 1.25, (4,1) 1, (3,0) 0.25
    #   thresh 0.3: first <= 0.3 is window 6 -> left end of window 5 = lrs[1]
    assert lrb.suggest_slide(lrs, losses, lr_diff=3, thresh=0.3) == lrs[1]
    #   thresh 0.6: first <= 0.6 is window 3 -> left end of window 2 = lrs[4]
    assert lrb.suggest_slide(lrs, losses, lr_diff=3, thresh=0.6) == lrs[4]


def test_flat_curve():
    losses = [2.0] * 5
    lrs = grid(5)
    # valley: every d = 1, e = 0 and s = 0 -> index 0; steep: all slopes 0 -> first, k = 0
    assert lrb.suggest_valley(lrs, losses) == lrs[0]
    assert lrb.suggest_steep(lrs, losses) == lrs[0]
    assert lrb.suggest_minimum(lrs, losses) == lrs[0] / 10
    # slide, lr_diff = 2: g = 0, the first window (4, 2) is flat -> lrs[2]
    assert lrb.suggest_slide(lrs, losses, lr_diff=2) == lrs[2]


def test_noisy_curve():
    losses = [3.0, 3.1, 2.9, 3.0, 2.5, 2.6, 2.0, 2.1, 1.2, 1.3, 4.0]
    lrs = grid(11)
    # valley: d = 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 1 (the decreasing run may skip the noisy
    #   points), e = 8 (first 5), s = 8 - 5 = 3, w = 5/3, index 3 + 1 + 0 = 4
    assert lrb.suggest_valley(lrs, losses) == lrs[4]
    # steep: drops 0.1, -0.2, 0.1, -0.5, 0.1, -0.6, 0.1, -0.9, 0.1, 2.7 -> k = 7
    assert lrb.suggest_steep(lrs, losses) == lrs[7]
    assert lrb.suggest_minimum(lrs, losses) == lrs[8] / 10
    # slide, lr_diff = 2, thresh 0.1: g = (0.1, -0.05, -0.05, -0.2, -0.2, -0.25, -0.25, -0.4,
    #   -0.4, 1.4, 2.7); windows (10,8) 3.1, (9,7) 1.8, (8,6) 0.15, (7,5) 0.15, (6,4) 0.05
    #   -> k* = 4, left end of window 3 = lrs[5]
    assert lrb.suggest_slide(lrs, losses, lr_diff=2, thresh=0.1) == lrs[5]


def test_two_point_valley_wraps_like_fastai():
    # d = 1, 2; e = 1, s = -1, w = 2/3 -> index -1 + 0 + 0 = -1: Python wraps to the last lr
    assert lrb.suggest_valley([1e-3, 1e-2], [2.0, 1.0]) == 1e-2


def test_steep_uses_log_lr_not_lr():
    # equal drops of 1, over one decade and over half a decade: the second is steeper per log lr
    lrs = [1e-3, 1e-2, 10**-1.5, 1.0]
    assert lrb.suggest_steep(lrs, [3.0, 2.0, 1.0, 0.9]) == lrs[1]


def brute_force_valley(lrs, losses):
    """The valley rule with the longest decreasing subsequences found by enumeration."""
    n = len(losses)

    def longest_ending_at(i):
        best = 1
        for size in range(2, i + 2):
            for subset in itertools.combinations(range(i), size - 1):
                seq = [losses[j] for j in subset] + [losses[i]]
                if all(a > b for a, b in itertools.pairwise(seq)):
                    best = max(best, size)
        return best

    d = [longest_ending_at(i) for i in range(n)]
    e = d.index(max(d))
    s = 0 if e == 0 else e - d[e]
    w = (e - s) / 3
    return lrs[s + int(w) + int(w / 2)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=9))
def test_valley_against_enumeration(values):
    losses = [float(v) for v in values]
    lrs = list(grid(len(losses)))
    assert lrb.suggest_valley(lrs, losses) == brute_force_valley(lrs, losses)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.1, 10.0), min_size=2, max_size=30))
def test_steep_and_minimum_by_definition(values):
    losses = np.array(values)
    lrs = grid(losses.size)
    slopes = [
        (losses[k + 1] - losses[k]) / (math.log(lrs[k + 1]) - math.log(lrs[k]))
        for k in range(losses.size - 1)
    ]
    # the steepest segment starts at the suggestion (equal drops may differ in the last bit
    # of the log spacing, so ties are checked up to round-off)
    k = list(lrs).index(lrb.suggest_steep(lrs, losses))
    assert slopes[k] <= min(slopes) + 1e-12 * max(1.0, abs(min(slopes)))
    assert lrb.suggest_minimum(lrs, losses) == lrs[list(losses).index(min(losses))] / 10


# --------------------------------------------------------------------------------------
# trimming


def test_trim_cuts_at_the_first_nan_after_fastai_slicing():
    lrs = np.arange(1.0, 31.0)
    losses = np.ones(30)
    losses[[15, 20]] = np.nan
    # num_it 30: keep [3 : -5] = indices 3..24, cut at the first NaN (index 15) -> 3..14
    t_lrs, t_losses = lrb.trim_lr_curve(lrs, losses, num_it=30)
    np.testing.assert_array_equal(t_lrs, np.arange(4.0, 16.0))
    assert np.all(t_losses == 1.0)
    # a NaN tail inside the last five points is simply dropped with them
    losses = np.r_[np.ones(25), np.full(5, np.nan)]
    t_lrs, _ = lrb.trim_lr_curve(lrs, losses, num_it=30)
    np.testing.assert_array_equal(t_lrs, np.arange(4.0, 26.0))
    # too short a record: empty
    assert lrb.trim_lr_curve(lrs[:5], losses[:5], num_it=30)[0].size == 0


# --------------------------------------------------------------------------------------
# the range test


def noisy_quadratic(seed, sigma=0.1):
    """0.5 (x - xi)^T diag(1, 10) (x - xi), xi ~ N(0, sigma^2): lambda_max = 10, 2/10 = 0.2."""
    H = np.array([1.0, 10.0])
    noise = sigma * np.random.default_rng(seed).standard_normal((1000, 2))

    def loss_and_grad(x, xi):
        return 0.5 * np.sum(H * (x - xi) ** 2), H * (x - xi)

    return loss_and_grad, noise


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_suggestions_respect_the_stability_limit(seed, optimizer):
    f, noise = noisy_quadratic(seed)
    opt = lrb.sgd if optimizer == "sgd" else functools.partial(lrb.sgd, momentum=0.5)
    res = lrb.lr_find(f, np.ones(2), optimizer=opt, batches=noise)
    assert res.stopped_early
    # the loss blows up only beyond the stability limit: the test stops past lr = 0.2 (for
    # heavy ball with mu = 0.5 the limit is 2 (1 + mu) / 10 = 0.3), within a decade
    limit = 0.2 if optimizer == "sgd" else 0.3
    assert limit < res.lrs[-1] < 10 * limit
    # every rule stays below the limit; valley and minimum land within two decades of it,
    # while steep and slide can be fooled by the noise at tiny lrs (seen down to 1e-6)
    for name, lr in res.suggestions.items():
        assert lr < limit, (name, lr)
    assert limit / 100 < res.suggestions["valley"] and limit / 100 < res.suggestions["minimum"]


def test_never_modifies_params_and_follows_the_lr_sequence():
    seen = []

    def linear(x, batch):
        seen.append(x)
        return float(np.sum(x)), np.ones_like(x)

    params = np.array([1.0, 2.0])
    params.setflags(write=False)
    res = lrb.lr_find(linear, params, start_lr=1e-3, end_lr=1.0, num_it=50, diverge_th=None)
    np.testing.assert_array_equal(params, [1.0, 2.0])
    i = np.arange(50)
    np.testing.assert_allclose(res.lrs, 1e-3 * (1.0 / 1e-3) ** (i / 50), rtol=1e-15)
    # grads are ones, so x_{i+1} = x_i - lr_i: the lr the optimizer really used
    used = -np.diff(np.array(seen)[:, 0])
    np.testing.assert_allclose(used, res.lrs[:-1], rtol=1e-12)
    np.testing.assert_allclose(res.losses, [np.sum(x) for x in seen])
    assert not res.stopped_early and res.lrs.size == 50
    lin = lrb.lr_find(
        linear, params, start_lr=0.1, end_lr=2.0, num_it=20, step_mode="linear", diverge_th=None
    )
    np.testing.assert_allclose(lin.lrs, 0.1 + 1.9 * np.arange(20) / 20, rtol=1e-15)


def test_smoothing_and_divergence_stop():
    # losses fed through the batches; beta = 0.5:
    #   a = 2, 2, 1.5, 4.75, 18.375;  s = a / (1 - 0.5^(i+1)) = 4, 8/3, 12/7, 76/15, 18.375/0.96875
    #   best 12/7 from i = 2; 4 * best = 48/7 = 6.86: s_3 = 5.07 passes, s_4 = 18.97 stops
    def scripted(x, loss):
        return loss, np.zeros_like(x)

    script = [4.0, 2.0, 1.0, 8.0, 32.0, 1.0, 1.0]
    res = lrb.lr_find(scripted, np.zeros(1), num_it=7, beta=0.5, batches=script)
    np.testing.assert_allclose(res.losses, script[:5])
    np.testing.assert_allclose(res.smoothed, [4, 8 / 3, 12 / 7, 76 / 15, 18.375 / 0.96875])
    assert res.stopped_early and res.diverged and res.diverged_step == 4
    # threshold 2: 2 * 12/7 = 3.43 < s_3 = 5.07 -> stops one iteration earlier
    res = lrb.lr_find(scripted, np.zeros(1), num_it=7, beta=0.5, diverge_th=2.0, batches=script)
    assert res.losses.size == 4 and res.stopped_early and res.diverged_step == 3
    # beta = 0: no smoothing; None: never stop
    res = lrb.lr_find(scripted, np.zeros(1), num_it=7, beta=0.0, diverge_th=None, batches=script)
    np.testing.assert_array_equal(res.smoothed, script)
    assert not res.stopped_early and not res.diverged and res.diverged_step == -1


def test_non_finite_loss_stops_without_warnings():
    def f(x, batch):
        return 0.5 * np.sum(x**2), x

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = lrb.lr_find(f, np.ones(2), start_lr=3.0, end_lr=1e300, num_it=100, diverge_th=None)
    assert res.stopped_early and not np.isfinite(res.losses[-1])
    assert np.all(np.isfinite(res.losses[:-1]))
    assert res.diverged_step == res.losses.size - 1


def test_lr_find_takes_a_landscape_or_a_model():
    f, x0 = lrb.rosenbrock(), np.array([-1.0, 1.0])
    ref = lrb.lr_find(lambda x, batch: (f.value(x), f.grad(x)), x0, num_it=100)
    for form in (f, f.loss_and_grad):
        res = lrb.lr_find(form, x0, num_it=100)
        np.testing.assert_array_equal(res.losses, ref.losses)
        assert res.diverged_step == ref.diverged_step == res.lrs.size - 1
    X, y = lrb.make_regression(n_samples=40, n_features=2, noise=0.1, seed=0)
    model = lrb.LinearRegression(n_features=2)
    res = lrb.lr_find(model, np.zeros(3), num_it=50, batches=lambda i: (X, y))
    manual = lrb.lr_find(model.loss_and_grad, np.zeros(3), num_it=50, batches=lambda i: (X, y))
    np.testing.assert_array_equal(res.losses, manual.losses)
    with pytest.raises(TypeError, match=r"^optimizer must be a factory called with lr="):
        lrb.lr_find(f, np.ones(2), optimizer=lrb.sgd(lr=0.1))
    with pytest.raises(TypeError, match=r"^loss_and_grad must be a Landscape, a model"):
        lrb.lr_find(3.0, np.ones(2))


def test_suggestions_are_the_rules_on_the_trimmed_smoothed_curve():
    f, noise = noisy_quadratic(1)
    res = lrb.lr_find(f, np.ones(2), batches=noise, num_it=120)
    lrs, smoothed = lrb.trim_lr_curve(res.lrs, res.smoothed, 120)
    assert lrs[0] == res.lrs[12] and lrs.size == res.lrs.size - 12 - 5
    assert set(res.suggestions) == {"valley", "steep", "minimum", "slide"}
    for name, rule in SUGGEST.items():
        assert res.suggestions[name] == rule(lrs, smoothed)
    # too short for every rule: NaN
    short = lrb.lr_find(f, np.ones(2), batches=noise, num_it=5)
    assert all(math.isnan(v) for v in short.suggestions.values())


def test_batches_sources():
    calls = []

    def recorder(x, batch):
        calls.append(batch)
        return 1.0, np.zeros_like(x)

    lrb.lr_find(recorder, np.zeros(1), num_it=3)
    assert calls == [None, None, None]
    calls.clear()
    lrb.lr_find(recorder, np.zeros(1), num_it=4, batches=lambda i: 10 * i)
    assert calls == [0, 10, 20, 30]
    calls.clear()
    lrb.lr_find(recorder, np.zeros(1), num_it=5, batches=["a", "b"])  # re-iterated per epoch
    assert calls == ["a", "b", "a", "b", "a"]
    with pytest.raises(ValueError, match="batches"):
        lrb.lr_find(recorder, np.zeros(1), num_it=5, batches=iter(["a", "b"]))
    X, y = lrb.make_regression(n_samples=20, seed=0)
    model = lrb.LinearRegression(1)
    res = lrb.lr_find(
        model.loss_and_grad,
        np.zeros(2),
        optimizer=lrb.adam,
        batches=lrb.batch_stream(X, y, 4),
        num_it=30,
    )
    assert res.lrs.size >= 1 and np.isfinite(res.losses[0])


def test_plot_marks_the_suggestions():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import lrbook.plotting  # noqa: F401  (registers the drawing behind res.plot)

    f, noise = noisy_quadratic(2)
    res = lrb.lr_find(f, np.ones(2), batches=noise)
    ax = res.plot()
    assert ax.get_xscale() == "log"
    marked = [line for line in ax.lines if line.get_gid() == "suggestion"]
    finite = {k: v for k, v in res.suggestions.items() if np.isfinite(v)}
    assert sorted(float(line.get_xdata()[0]) for line in marked) == sorted(finite.values())
    assert all(any(name in line.get_label() for name in finite) for line in marked)
    plt.close(ax.figure)


def test_bad_inputs():
    f, _ = noisy_quadratic(0)
    x = np.ones(2)
    with pytest.raises(ValueError, match="start_lr"):
        lrb.lr_find(f, x, start_lr=1.0, end_lr=1.0)
    with pytest.raises(ValueError, match="start_lr"):
        lrb.lr_find(f, x, start_lr=0.0)
    with pytest.raises(ValueError, match="end_lr"):
        lrb.lr_find(f, x, end_lr=-1.0)
    with pytest.raises(ValueError, match="num_it"):
        lrb.lr_find(f, x, num_it=0)
    with pytest.raises(ValueError, match="step_mode"):
        lrb.lr_find(f, x, step_mode="cos")
    with pytest.raises(ValueError, match="beta"):
        lrb.lr_find(f, x, beta=1.0)
    with pytest.raises(ValueError, match="diverge_th"):
        lrb.lr_find(f, x, diverge_th=0.5)
    with pytest.raises(ValueError, match="scalar"):
        lrb.lr_find(lambda p, b: (p, p), x)
    with pytest.raises(TypeError, match="batches"):
        lrb.lr_find(f, x, batches=3)
    with pytest.raises(ValueError, match="same length"):
        lrb.suggest_valley([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="at least 2"):
        lrb.suggest_steep([1.0], [1.0])
    with pytest.raises(ValueError, match="at least 16"):
        lrb.suggest_slide(grid(15), np.ones(15))
    with pytest.raises(ValueError, match="finite"):
        lrb.suggest_minimum([1.0, 2.0], [1.0, np.nan])
    with pytest.raises(ValueError, match="positive"):
        lrb.suggest_steep([0.0, 1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="lr_diff"):
        lrb.suggest_slide(grid(20), np.ones(20), lr_diff=0)
    with pytest.raises(ValueError, match="thresh"):
        lrb.suggest_slide(grid(20), np.ones(20), thresh=-1.0)
