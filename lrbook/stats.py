r"""Seeded, tuned, paired comparisons: the standard behind every verdict of the book.

A claim such as "cosine beats the constant learning rate" is tested the same way
everywhere:

1. **Tune each method over the same budget.** Every method gets a grid of at least 5
   values of its learning rate (or peak), and the grid must extend past the best value on
   both sides; :func:`tune` flags a best value on an edge of its grid.
2. **Replicate.** At least 10 seeds, each varying the initialization and the order of the
   minibatches. Seed ``j`` of one method and seed ``j`` of another share both, so their
   results form a *pair*.
3. **Score on a window.** A run's score is the mean of its last ``w`` recorded values
   (:func:`window_mean`), not the last one: a sawtooth loss curve does not pick the
   winner by the phase of its last tooth.
4. **Compare pairs.** The per-seed differences get a Student-t 95 % confidence interval
   (:func:`paired_interval`). An interval that covers 0 means "no detectable
   difference", and the book says exactly that.

:func:`compare` does all four for a dict of methods and prints a compact table;
:func:`largest_trainable` and :func:`trainable_peak_ratio` measure the largest learning
rate that still trains (the benefit of warmup).

**Diverged runs.** A run that diverged has a non-finite score (nan or inf). The policy is
explicit and the same everywhere: :func:`window_mean` propagates it, a grid value with any
non-finite seed counts as failed in :func:`tune` (it is never selected, and its mean is
reported as nan), and :func:`paired_interval` / :func:`mean_interval` refuse non-finite
values unless ``nonfinite="drop"`` is passed, which drops the affected pairs and reports
the remaining ``n``.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from ._checks import check_choice, check_int, check_interval

__all__ = [
    "Interval",
    "t_quantile",
    "mean_interval",
    "paired_interval",
    "window_mean",
    "TuneResult",
    "tune",
    "ComparisonRow",
    "Comparison",
    "compare",
    "largest_trainable",
    "trainable_peak_ratio",
]

Array = np.ndarray

MIN_GRID = 5
"""The standard's minimum number of grid values per method."""
MIN_SEEDS = 10
"""The standard's minimum number of seeds."""


# --------------------------------------------------------------------------------------
# Student t quantile


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the regularized incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 1000):
        # even term d_{2m}
        num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1.0 + num * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + num / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        # odd term d_{2m+1}
        num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1.0 + num * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + num / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    r"""The regularized incomplete beta function :math:`I_x(a, b)` for ``0 <= x <= 1``."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):  # the fraction converges fast here
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _betacf(b, a, 1.0 - x) / b


def _t_cdf(t: float, df: float) -> float:
    r""":math:`F_\nu(t) = 1 - \tfrac12 I_{\nu/(\nu+t^2)}(\nu/2, 1/2)` for :math:`t \ge 0`."""
    tail = 0.5 * _betainc(0.5 * df, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p: float, df: float) -> float:
    r"""The quantile :math:`t_{p,\nu}` of Student's t distribution, in pure numpy/math.

    The distribution function is the regularized incomplete beta function,

    .. math::

        F_\nu(t) = 1 - \tfrac12\, I_{\nu/(\nu + t^2)}\!\left(\tfrac{\nu}{2}, \tfrac12\right)
        \quad (t \ge 0), \qquad F_\nu(-t) = 1 - F_\nu(t),

    evaluated by its continued fraction, and :math:`F_\nu(t) = p` is solved by bisection
    to machine precision.

    Args:
        p: probability in (0, 1).
        df: degrees of freedom :math:`\nu > 0` (``n - 1`` for a mean of ``n`` values).

    Returns:
        :math:`t` with :math:`F_\nu(t) = p`.

    Example:
        >>> round(t_quantile(0.975, 2), 4)      # the 95 % interval of 3 values
        4.3027
        >>> round(t_quantile(0.975, 9), 4)      # ... of 10 values
        2.2622

    References:
        Student (1908), "The probable error of a mean", Biometrika; Press et al. (2007),
        *Numerical Recipes*, 3rd ed., section 6.4 (incomplete beta function).
    """
    p = check_interval("p", p, 0.0, 1.0, closed="neither")
    df = check_interval("df", df, 0.0, math.inf, closed="neither")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    hi = 1.0
    while _t_cdf(hi, df) < p:
        hi *= 2.0
    lo = 0.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if _t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 4 * np.finfo(np.float64).eps * hi:
            break
    return 0.5 * (lo + hi)


# --------------------------------------------------------------------------------------
# intervals


class Interval(NamedTuple):
    """A mean with its two-sided confidence interval.

    Attributes:
        mean: the sample mean.
        low: lower end of the interval.
        high: upper end of the interval.
        n: number of values it rests on.
        level: the confidence level (e.g. 0.95).
    """

    mean: float
    low: float
    high: float
    n: int
    level: float = 0.95

    @property
    def half_width(self) -> float:
        """Half the width of the interval (the ``±`` of ``mean ± half_width``)."""
        return 0.5 * (self.high - self.low)

    @property
    def covers_zero(self) -> bool:
        """True when 0 lies in [low, high]: no detectable difference from 0."""
        return bool(self.low <= 0.0 <= self.high)

    def __str__(self) -> str:
        return f"{self.mean:.4g} [{self.low:.4g}, {self.high:.4g}] (n={self.n})"


def _values(name: str, values: Any) -> Array:
    arr = np.asarray(values)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must be an array of real numbers, got {name}={values!r}")
    return arr.astype(np.float64)


def _check_level(level: Any) -> float:
    return check_interval("level", level, 0.0, 1.0, closed="neither")


def mean_interval(values: Any, level: float = 0.95, nonfinite: str = "raise") -> Interval:
    r"""The mean of ``values`` and its Student-t confidence interval.

    .. math::

        \bar x \pm t_{(1+\text{level})/2,\,n-1}\,\frac{s}{\sqrt n}, \qquad
        s^2 = \frac{1}{n-1}\sum_i (x_i - \bar x)^2

    Args:
        values: 1-D array of ``n >= 2`` values (one per seed).
        level: confidence level in (0, 1).
        nonfinite: ``"raise"`` (default) refuses nan/inf; ``"drop"`` leaves them out.

    Returns:
        An :class:`Interval`.

    Example:
        >>> iv = mean_interval([1.0, 2.0, 3.0])
        >>> round(iv.mean, 4), round(iv.half_width, 4)    # 4.3027 * 1 / sqrt(3)
        (2.0, 2.4841)

    References:
        Student (1908), "The probable error of a mean", Biometrika.
    """
    level = _check_level(level)
    check_choice("nonfinite", nonfinite, ("raise", "drop"))
    x = _values("values", values)
    if x.ndim != 1:
        raise ValueError(f"values must be 1-D (one value per seed), got shape {x.shape}")
    finite = np.isfinite(x)
    if not finite.all():
        if nonfinite == "raise":
            raise ValueError(
                f"values must be finite (pass nonfinite='drop' to leave diverged runs out), "
                f"got values={values!r}"
            )
        x = x[finite]
    n = x.size
    if n < 2:
        raise ValueError(f"an interval needs at least 2 finite values, got {n}: values={values!r}")
    mean = float(np.mean(x))
    half = t_quantile(0.5 + 0.5 * level, n - 1) * float(np.std(x, ddof=1)) / math.sqrt(n)
    return Interval(mean, mean - half, mean + half, n, level)


def paired_interval(a: Any, b: Any, level: float = 0.95, nonfinite: str = "raise") -> Interval:
    r"""Confidence interval of the mean paired difference :math:`a_j - b_j`.

    Entry ``j`` of ``a`` and of ``b`` must come from the same seed (same initialization
    and data order): pairing removes the seed-to-seed spread that both share, so the
    interval is much narrower than comparing two unpaired means.

    .. math::

        d_j = a_j - b_j, \qquad
        \bar d \pm t_{(1+\text{level})/2,\,n-1}\,\frac{s_d}{\sqrt n}

    Args:
        a: 1-D array, one value per seed.
        b: 1-D array of the same length.
        level: confidence level in (0, 1).
        nonfinite: ``"raise"`` (default) refuses a non-finite value; ``"drop"`` drops
            every pair with a non-finite member (``n`` counts the pairs kept).

    Returns:
        An :class:`Interval` of :math:`a - b`; ``covers_zero`` means no detectable
        difference.

    Example:
        >>> iv = paired_interval([3.0, 5.0, 7.0], [2.0, 3.0, 4.0])   # d = 1, 2, 3
        >>> round(iv.low, 4), round(iv.high, 4), iv.covers_zero
        (-0.4841, 4.4841, True)

    References:
        Student (1908); Dror et al. (2018), "The hitchhiker's guide to testing statistical
        significance in natural language processing", ACL.
    """
    x, y = _values("a", a), _values("b", b)
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError(
            f"a and b must be 1-D arrays of the same length (one value per seed), "
            f"got shapes {x.shape} and {y.shape}"
        )
    check_choice("nonfinite", nonfinite, ("raise", "drop"))
    keep = np.isfinite(x) & np.isfinite(y)
    if not keep.all() and nonfinite == "raise":
        raise ValueError(
            f"a and b must be finite (pass nonfinite='drop' to leave diverged pairs out), "
            f"got a={a!r}, b={b!r}"
        )
    return mean_interval(x[keep] - y[keep], level)


def window_mean(values: Any, window: int, axis: int = 0) -> Array:
    r"""The mean of the last ``window`` values along ``axis``: a run's score.

    .. math:: \text{score} = \frac1w \sum_{t = T - w}^{T - 1} x_t

    A nan or inf inside the window propagates (a diverged run scores non-finite).

    Args:
        values: array with the time axis at ``axis`` (e.g. ``History.val_losses``).
        window: ``w``, between 1 and the length of that axis.
        axis: the time axis.

    Returns:
        ``values`` with ``axis`` removed.

    Example:
        >>> window_mean([[4.0, 1.0], [2.0, 1.0], [3.0, 0.0]], window=2)
        array([2.5, 0.5])

    References:
        Choi et al. (2019), "On empirical comparisons of optimizers for deep learning".
    """
    x = _values("values", values)
    if x.ndim == 0:
        raise ValueError(f"values must have a time axis, got values={values!r}")
    axis = check_int("axis", axis)
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis must be a valid axis of values (ndim {x.ndim}), got axis={axis}")
    window = check_int("window", window, minimum=1)
    if window > x.shape[axis]:
        raise ValueError(
            f"window must not exceed the {x.shape[axis]} recorded values, got window={window}"
        )
    last = np.take(x, np.arange(x.shape[axis] - window, x.shape[axis]), axis=axis)
    with np.errstate(invalid="ignore"):
        return np.mean(last, axis=axis)


# --------------------------------------------------------------------------------------
# tuning


class TuneResult(NamedTuple):
    """The result of :func:`tune`.

    Attributes:
        index: index of the best grid value.
        value: the best grid value.
        scores: ``(seeds,)`` scores of the best grid value, one per seed.
        means: ``(grid,)`` seed-averaged scores; nan where a seed failed.
        failed: ``(grid,)`` number of seeds with a non-finite score at each grid value.
        at_edge: True if the best value is the first or last of the grid: the grid should
            be extended on that side before the comparison is trusted.
    """

    index: int
    value: float
    scores: Array
    means: Array
    failed: Array
    at_edge: bool


def _grid(name: str, grid: Any) -> Array:
    g = _values(name, grid)
    if g.ndim != 1 or g.size < 1 or not np.all(np.isfinite(g)):
        raise ValueError(f"{name} must be a 1-D array of finite values, got {name}={grid!r}")
    if g.size > 1 and np.any(np.diff(g) <= 0):
        raise ValueError(f"{name} must be strictly increasing, got {name}={grid!r}")
    return g


def _scores(name: str, scores: Any, n_grid: int) -> Array:
    s = _values(name, scores)
    if s.ndim != 2 or s.shape[0] != n_grid:
        raise ValueError(
            f"{name} must have shape (grid, seeds) = ({n_grid}, n), got shape {s.shape}"
        )
    if s.shape[1] < 1:
        raise ValueError(f"{name} needs at least one seed, got shape {s.shape}")
    return s


def tune(scores: Any, grid: Any, goal: str = "min") -> TuneResult:
    r"""Pick the best grid value by the seed-averaged score.

    .. math::

        \hat\eta = \arg\min_{\eta \in \text{grid}} \frac{1}{S}\sum_{j=1}^{S}
        \text{score}_j(\eta)

    (``arg max`` with ``goal="max"``). A grid value where any seed's score is non-finite
    (a diverged run) counts as failed: it is never selected, and its mean is nan.

    Args:
        scores: ``(grid, seeds)`` array, e.g. :func:`window_mean` of each run.
        grid: the ``(grid,)`` strictly increasing learning rates (or peaks).
        goal: ``"min"`` (losses) or ``"max"`` (accuracies).

    Returns:
        A :class:`TuneResult`.

    Raises:
        ValueError: when every grid value failed.

    Example:
        >>> import numpy as np
        >>> s = np.array([[3.0, 3.2], [1.0, 1.2], [2.0, np.inf]])
        >>> r = tune(s, [0.01, 0.1, 1.0])
        >>> r.value, r.means, r.at_edge
        (0.1, array([3.1, 1.1, nan]), False)

    References:
        Choi et al. (2019), "On empirical comparisons of optimizers for deep learning";
        Sivaprasad et al. (2020), "Optimizer benchmarking needs to account for
        hyperparameter tuning", ICML.
    """
    check_choice("goal", goal, ("min", "max"))
    g = _grid("grid", grid)
    s = _scores("scores", scores, g.size)
    bad = ~np.isfinite(s)
    failed = bad.sum(axis=1)
    with np.errstate(invalid="ignore"):
        means = np.where(failed > 0, np.nan, np.mean(np.where(bad, 0.0, s), axis=1))
    if np.all(failed > 0):
        raise ValueError(f"every grid value has a failed (non-finite) seed: scores={scores!r}")
    sign = 1.0 if goal == "min" else -1.0
    index = int(np.nanargmin(sign * means))
    at_edge = g.size > 1 and index in (0, g.size - 1)
    return TuneResult(index, float(g[index]), s[index], means, failed, bool(at_edge))


# --------------------------------------------------------------------------------------
# comparisons


class ComparisonRow(NamedTuple):
    """One method's line in a :class:`Comparison`.

    Attributes:
        method: the method's name.
        tuned: its :class:`TuneResult`.
        score: :class:`Interval` of its scores at the best grid value.
        diff: :class:`Interval` of the paired difference method - reference at each
            one's best value; None for the reference itself.
        verdict: the verdict the interval supports (empty for the reference).
    """

    method: str
    tuned: TuneResult
    score: Interval
    diff: Interval | None
    verdict: str


_WORDS = {
    "ko": {
        "same": "차이 없음(검출 안 됨)",
        "lower": "{} 쪽이 낮음",
        "higher": "{} 쪽이 높음",
        "reference": "기준",
        "header": ("방법", "최적값", "점수 평균 [95% CI]", "기준과의 차 [95% CI]", "판정"),
        "edge": "격자 끝",
        "footer": "시드 {seeds}개 · 격자 {grid}개 · 창 평균 점수 · 쌍별 차이(같은 시드)",
        "short": "기준 미달: {}",
        "few_seeds": "시드 {}개 < {}",
        "small_grid": "격자 {}개 < {}",
    },
    "en": {
        "same": "no detectable difference",
        "lower": "{} lower",
        "higher": "{} higher",
        "reference": "reference",
        "header": ("method", "best", "score mean [95% CI]", "diff vs ref [95% CI]", "verdict"),
        "edge": "grid edge",
        "footer": "{seeds} seeds · grid of {grid} · window-mean score · paired by seed",
        "short": "below the standard: {}",
        "few_seeds": "{} seeds < {}",
        "small_grid": "grid of {} < {}",
    },
}


class Comparison(NamedTuple):
    """The result of :func:`compare`: one :class:`ComparisonRow` per method.

    ``str(result)`` is the Korean table, ``result.table("en")`` the English one.

    Attributes:
        rows: the rows, the reference first.
        reference: the reference method's name.
        seeds: number of seeds (pairs).
        level: the confidence level.
    """

    rows: tuple[ComparisonRow, ...]
    reference: str
    seeds: int
    level: float

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            for row in self.rows:
                if row.method == key:
                    return row
            raise KeyError(key)
        return tuple.__getitem__(self, key)

    @property
    def meets_standard(self) -> bool:
        """True when every method has >= 5 grid values, its best off the grid's edges, and
        there are >= 10 seeds."""
        return self.seeds >= MIN_SEEDS and all(
            r.tuned.means.size >= MIN_GRID and not r.tuned.at_edge for r in self.rows
        )

    def table(self, lang: str = "ko") -> str:
        """The comparison as a plain-text table in Korean (``"ko"``) or English (``"en"``)."""
        w = _WORDS[check_choice("lang", lang, tuple(_WORDS))]
        lines = [w["header"]]
        for r in self.rows:
            best = f"{r.tuned.value:.3g}" + (f" ({w['edge']})" if r.tuned.at_edge else "")
            score = f"{r.score.mean:.4g} [{r.score.low:.4g}, {r.score.high:.4g}]"
            if r.diff is None:
                diff, verdict = w["reference"], ""
            else:
                diff = f"{r.diff.mean:+.3g} [{r.diff.low:+.3g}, {r.diff.high:+.3g}]"
                verdict = _verdict(r.diff, r.method, lang)
            lines.append((r.method, best, score, diff, verdict))
        widths = [max(_width(row[i]) for row in lines) for i in range(5)]
        text = [
            "  ".join(
                c + " " * (wd - _width(c)) for c, wd in zip(row, widths, strict=True)
            ).rstrip()
            for row in lines
        ]
        grids = sorted({r.tuned.means.size for r in self.rows})
        grid = "/".join(str(g) for g in grids)
        text.append(w["footer"].format(seeds=self.seeds, grid=grid))
        short = []
        if self.seeds < MIN_SEEDS:
            short.append(w["few_seeds"].format(self.seeds, MIN_SEEDS))
        if grids[0] < MIN_GRID:
            short.append(w["small_grid"].format(grids[0], MIN_GRID))
        if any(r.tuned.at_edge for r in self.rows):
            short.append(w["edge"])
        if short:
            text.append(w["short"].format(", ".join(short)))
        return "\n".join(text)

    def __str__(self) -> str:
        return self.table("ko")


def _width(text: str) -> int:
    """Columns ``text`` takes in a monospaced font: wide (Hangul) characters count 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _verdict(diff: Interval, method: str, lang: str = "ko") -> str:
    w = _WORDS[lang]
    if diff.covers_zero:
        return w["same"]
    return w["lower" if diff.high < 0 else "higher"].format(method)


def compare(
    scores_by_method: Mapping[str, Any],
    grids: Mapping[str, Any] | Sequence[float] | Array,
    reference: str | None = None,
    goal: str = "min",
    level: float = 0.95,
) -> Comparison:
    r"""Tune every method on its grid, then compare each with the reference, seed by seed.

    For each method :math:`m`, :func:`tune` picks :math:`\hat\eta_m` on the
    seed-averaged score; then the per-seed differences at the tuned values,

    .. math::

        d_j = \text{score}_j^{(m)}(\hat\eta_m) - \text{score}_j^{(\text{ref})}(\hat\eta_\text{ref}),

    get a :func:`paired_interval`. The verdict is "차이 없음(검출 안 됨)" when the
    interval covers 0, otherwise "m 쪽이 낮음" or "m 쪽이 높음".

    Args:
        scores_by_method: ``{name: (grid, seeds) scores}``; column ``j`` of every method
            must come from the same seed ``j`` (same initialization and data order).
        grids: ``{name: grid}``, or one grid shared by every method.
        reference: the method the others are compared with; default the first.
        goal: ``"min"`` (losses) or ``"max"`` (accuracies): the direction :func:`tune`
            optimizes (the verdict states the direction of the difference either way).
        level: confidence level.

    Returns:
        A :class:`Comparison`; ``print(result)`` shows the table, and
        ``result.meets_standard`` whether the budget follows the book's standard.

    Example:
        >>> import numpy as np
        >>> grid = [0.01, 0.1, 1.0]
        >>> a = np.array([[2.0, 2.1, 2.2], [1.0, 1.1, 1.3], [1.5, 1.6, 1.7]])
        >>> b = a - np.array([[0.0], [0.2], [0.0]]) + np.array([0.0, 0.01, -0.01])
        >>> res = compare({"A": a, "B": b}, grid)
        >>> res["B"].tuned.value, round(res["B"].diff.mean, 4), res["B"].verdict
        (0.1, -0.2, 'B 쪽이 낮음')

    References:
        Choi et al. (2019), "On empirical comparisons of optimizers for deep learning";
        Bouthillier et al. (2021), "Accounting for variance in machine learning
        benchmarks", MLSys.
    """
    if not isinstance(scores_by_method, Mapping) or not scores_by_method:
        raise TypeError(
            f"scores_by_method must be a non-empty dict {{name: (grid, seeds) array}}, "
            f"got scores_by_method={scores_by_method!r}"
        )
    names = list(scores_by_method)
    if reference is None:
        reference = names[0]
    if reference not in scores_by_method:
        raise ValueError(f"reference must be one of {names}, got reference={reference!r}")
    level = _check_level(level)
    tuned: dict[str, TuneResult] = {}
    for name in names:
        grid = grids[name] if isinstance(grids, Mapping) else grids
        tuned[name] = tune(scores_by_method[name], grid, goal)
    seeds = {name: t.scores.size for name, t in tuned.items()}
    if len(set(seeds.values())) != 1:
        raise ValueError(
            f"every method needs the same seeds (paired), got seeds per method {seeds}"
        )
    n = seeds[reference]
    ref = tuned[reference].scores
    rows = []
    for name in [reference] + [m for m in names if m != reference]:
        t = tuned[name]
        score = mean_interval(t.scores, level)
        diff = None if name == reference else paired_interval(t.scores, ref, level)
        verdict = "" if diff is None else _verdict(diff, name)
        rows.append(ComparisonRow(name, t, score, diff, verdict))
    return Comparison(tuple(rows), reference, n, level)


# --------------------------------------------------------------------------------------
# largest trainable learning rate


def largest_trainable(success: Any, grid: Any, *, contiguous: bool = False) -> Array:
    r"""Per seed, the largest grid value whose run trained successfully.

    .. math:: \eta^\star_j = \max\{\eta_i : \text{success}_{ij}\}

    By default the maximum is over every successful value, so a run that fails at a
    small value but trains at a larger one counts the larger. With ``contiguous=True``
    only the values below the seed's first failure count:

    .. math:: \eta^\star_j = \max\{\eta_i : \text{success}_{kj} \text{ for all } k \le i\}

    A success above a failure is usually a coincidence of the grid rather than a
    boundary: a warmup step that lands exactly on :math:`1/\lambda_{\max}` removes the
    steep component in one step, so that one peak trains while its neighbours on both
    sides diverge. The contiguous rule reports the edge of the trainable region starting
    from the smallest value. If the last grid value succeeded, the true
    :math:`\eta^\star_j` may be larger still: extend the grid until it fails.

    Args:
        success: ``(grid, seeds)`` booleans, e.g. ``~diverged`` or "final loss below a
            threshold".
        grid: ``(grid,)`` strictly increasing positive learning rates (or peaks).
        contiguous: if True, ignore successes above the seed's first failure.

    Returns:
        ``(seeds,)`` array; nan for a seed where no grid value succeeded.

    Example:
        >>> import numpy as np
        >>> ok = np.array([[True, True, True], [True, False, True], [False, False, True]])
        >>> largest_trainable(ok, [0.1, 0.2, 0.4])
        array([0.2, 0.1, 0.4])
        >>> lucky = np.array([[True], [False], [True]])  # fails at 0.2, trains at 0.4
        >>> largest_trainable(lucky, [0.1, 0.2, 0.4])
        array([0.4])
        >>> largest_trainable(lucky, [0.1, 0.2, 0.4], contiguous=True)
        array([0.1])

    References:
        Gilmer et al. (2022), "A loss curvature perspective on training instabilities of
        deep learning models", ICLR.
    """
    g = _grid("grid", grid)
    ok = np.asarray(success)
    if ok.dtype != bool:
        raise TypeError(f"success must be a boolean array, got dtype {ok.dtype}")
    if ok.ndim != 2 or ok.shape[0] != g.size:
        raise ValueError(
            f"success must have shape (grid, seeds) = ({g.size}, n), got shape {ok.shape}"
        )
    if not isinstance(contiguous, (bool, np.bool_)):
        raise TypeError(f"contiguous must be a bool, got {contiguous!r}")
    if contiguous:
        ok = np.logical_and.accumulate(ok, axis=0)
    best = np.where(ok, g[:, None], -np.inf).max(axis=0)
    return np.where(np.isfinite(best), best, np.nan)


def trainable_peak_ratio(
    success_a: Any, success_b: Any, grid: Any, level: float = 0.95, *, contiguous: bool = False
) -> Interval:
    r"""How many doublings A's largest trainable learning rate gains over B's, per seed.

    .. math::

        d_j = \log_2 \eta^{\star(A)}_j - \log_2 \eta^{\star(B)}_j

    with a :func:`paired_interval`; :math:`2^{\bar d}` is the factor (e.g. with warmup
    against without). Seeds where either method never trained are dropped (``n``
    counts the seeds kept).

    Args:
        success_a: ``(grid, seeds)`` booleans of method A.
        success_b: ``(grid, seeds)`` booleans of method B, same seeds.
        grid: the shared, strictly increasing, positive grid.
        level: confidence level.
        contiguous: passed to :func:`largest_trainable`: if True, each seed's edge is the
            largest value below its first failure.

    Returns:
        An :class:`Interval` of the difference in log2 units.

    Example:
        >>> import numpy as np
        >>> grid = 0.1 * 2.0 ** np.arange(5)
        >>> a = grid[:, None] <= np.array([0.8, 1.6, 0.8])    # with warmup
        >>> b = grid[:, None] <= np.array([0.2, 0.4, 0.4])    # without
        >>> iv = trainable_peak_ratio(a, b, grid)
        >>> round(iv.mean, 4), iv.n
        (1.6667, 3)

    References:
        Gilmer et al. (2022); Kalra & Barkeshli (2024), "Why warmup the learning rate?
        Underlying mechanisms and improvements", NeurIPS.
    """
    g = _grid("grid", grid)
    if np.any(g <= 0):
        raise ValueError(f"grid must be positive (it is compared in log2), got grid={grid!r}")
    a = largest_trainable(success_a, g, contiguous=contiguous)
    b = largest_trainable(success_b, g, contiguous=contiguous)
    if a.shape != b.shape:
        raise ValueError(
            f"success_a and success_b must have the same seeds, got {a.size} and {b.size}"
        )
    return paired_interval(np.log2(a), np.log2(b), level, nonfinite="drop")
