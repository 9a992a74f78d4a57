"""Tests of lrbook.schedules against PyTorch reference data, closed forms and invariants.

The PyTorch reference data in tests/data/schedule_refs.json is written by
tools/make_schedule_refs.py; these tests never import torch.
"""

from __future__ import annotations

import dataclasses
import doctest
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

import lrbook as lrb
import lrbook.schedules

REFS = json.loads((Path(__file__).parent / "data" / "schedule_refs.json").read_text())
RTOL = 1e-12


def _case_id(case: dict) -> str:
    return case["name"] + "-" + "-".join(f"{k}={v}" for k, v in case["kwargs"].items())


# --------------------------------------------------------------------------------------
# PyTorch reference data


@pytest.mark.parametrize("case", REFS["schedules"], ids=_case_id)
def test_matches_torch_scheduler(case):
    sched = getattr(lrb, case["name"])(**case["kwargs"])
    ref = np.array(case["lrs"])
    steps = np.arange(len(ref))
    assert_allclose(sched(steps), ref, rtol=RTOL, atol=1e-15 * ref.max())
    assert_allclose([sched(int(t)) for t in steps], ref, rtol=RTOL, atol=1e-15 * ref.max())


def test_reference_data_covers_every_torch_named_schedule():
    names = {case["name"] for case in REFS["schedules"]}
    assert names == {
        "step_decay",
        "multistep_decay",
        "exponential_decay",
        "cosine_annealing",
        "cosine_warm_restarts",
        "one_cycle",
        "cyclic",
    }
    kwargs = [case["kwargs"] for case in REFS["schedules"]]
    assert any(k.get("three_phase") and k.get("anneal_strategy") == "linear" for k in kwargs)
    assert any(k.get("mode") == "triangular2" and "step_size_down" in k for k in kwargs)
    assert any(k.get("mode") == "exp_range" for k in kwargs)
    assert any(k.get("T_mult") == 2 for k in kwargs)
    assert any(len(set(k.get("milestones", []))) < len(k.get("milestones", [])) for k in kwargs)


@pytest.mark.parametrize(
    "case", REFS["plateau"], ids=lambda c: "-".join(f"{k}={v}" for k, v in c["kwargs"].items())
)
def test_plateau_matches_torch(case):
    plateau = lrb.ReduceLROnPlateau(**case["kwargs"])
    lrs = [plateau.step(m) for m in case["metrics"]]
    assert_allclose(lrs, case["lrs"], rtol=RTOL, atol=0)
    assert plateau.lr == lrs[-1]


def test_plateau_reference_data_exercises_every_option():
    kwargs = [case["kwargs"] for case in REFS["plateau"]]
    for key, value in [
        ("mode", "max"),
        ("threshold_mode", "abs"),
    ]:
        assert any(k.get(key) == value for k in kwargs)
    for key in ("cooldown", "min_lr", "eps", "patience", "threshold"):
        assert any(key in k for k in kwargs)
    # the sequences really do cut the lr, and some cut repeatedly
    assert max(len(set(case["lrs"])) for case in REFS["plateau"]) > 5


@pytest.mark.parametrize(
    "case", REFS["plateau"], ids=lambda c: "-".join(f"{k}={v}" for k, v in c["kwargs"].items())
)
def test_plateau_batch_is_independent_schedulers(case):
    sequences = [np.array(c["metrics"][:10]) for c in REFS["plateau"] if len(c["metrics"]) >= 10]
    metrics = np.stack(sequences, axis=1)  # (steps, K)
    kwargs = dict(case["kwargs"])
    lr = kwargs.pop("lr")
    batch = lrb.ReduceLROnPlateau(np.full(metrics.shape[1], lr), **kwargs)
    got = np.array([batch.step(m) for m in metrics])
    for k, seq in enumerate(sequences):
        single = lrb.ReduceLROnPlateau(lr, **kwargs)
        assert_array_equal(got[:, k], [single.step(m) for m in seq])


def test_plateau_hand_computed():
    plateau = lrb.ReduceLROnPlateau(1.0, factor=0.5, patience=1, cooldown=1, threshold=0.0)
    # best 3, 2; then 2 is not better: bad 1; bad 2 > patience: cut, cooldown 1;
    # cooldown step ignores its bad step; then bad 1, bad 2: cut again.
    lrs = [plateau.step(m) for m in [3, 2, 2, 2, 2, 2, 2]]
    assert lrs == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]
    assert plateau.best == 2.0
    assert plateau.cooldown_counter == 1
    assert plateau.num_bad_epochs == 0


def test_one_cycle_steps_past_the_end_raise_like_torch():
    sched = lrb.one_cycle(0.1, total_steps=20)
    sched(20)  # PyTorch allows exactly total_steps scheduler steps
    with pytest.raises(ValueError, match="step"):
        sched(21)
    with pytest.raises(ValueError, match="total_steps=20"):
        sched(np.arange(30))


def test_cosine_annealing_holds_min_lr_where_torch_turns_back_up():
    sched = lrb.cosine_annealing(1.0, total_steps=10, min_lr=0.1)
    assert_array_equal(sched(np.arange(10, 40)), 0.1)


# --------------------------------------------------------------------------------------
# Closed forms and hand-computed values


def optax_warmup_cosine(init, peak, warmup, decay_steps, end):
    """optax.warmup_cosine_decay_schedule: linear_schedule joined with cosine_decay_schedule."""
    alpha = 0.0 if peak == 0.0 else end / peak

    def schedule(count):
        if count < warmup:
            frac = 1 - min(max(count, 0), warmup) / warmup
            return (init - peak) * frac + peak
        c = min(count - warmup, decay_steps - warmup)
        cosine = 0.5 * (1 + math.cos(math.pi * c / (decay_steps - warmup)))
        return peak * ((1 - alpha) * cosine + alpha)

    return schedule


def hf_cosine_with_warmup(num_warmup_steps, num_training_steps, num_cycles=0.5):
    """Hugging Face get_cosine_schedule_with_warmup: the LambdaLR multiplier."""

    def lr_lambda(current_step):
        if current_step < num_warmup_steps:
            return float(current_step) / float(max(1, num_warmup_steps))
        progress = float(current_step - num_warmup_steps) / float(
            max(1, num_training_steps - num_warmup_steps)
        )
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress)))

    return lr_lambda


@pytest.mark.parametrize(
    "peak, warmup, total, init, end",
    [
        (1.0, 10, 100, 0.0, 0.0),
        (3e-4, 200, 2000, 1e-6, 3e-5),
        (0.5, 0, 50, 0.0, 0.05),
        (0.1, 1, 2, 0.2, 0.0),
        (2.0, 99, 100, 0.5, 1.0),
    ],
)
def test_warmup_cosine_equals_optax(peak, warmup, total, init, end):
    sched = lrb.warmup_cosine(peak, warmup, total, init_lr=init, min_lr=end)
    ref = optax_warmup_cosine(init, peak, warmup, total, end)
    steps = np.arange(total + 30)
    assert_allclose(sched(steps), [ref(int(t)) for t in steps], rtol=RTOL, atol=1e-15 * peak)


@pytest.mark.parametrize("warmup, total", [(10, 100), (0, 20), (1, 7), (50, 51)])
def test_warmup_cosine_equals_hugging_face_times_peak(warmup, total):
    peak = 6e-4
    sched = lrb.warmup_cosine(peak, warmup, total)
    mult = hf_cosine_with_warmup(warmup, total)
    steps = np.arange(total + 1)
    assert_allclose(sched(steps), [peak * mult(int(t)) for t in steps], rtol=RTOL, atol=1e-19)


def test_warmup_cosine_around_its_boundaries():
    sched = lrb.warmup_cosine(1.0, warmup_steps=4, total_steps=12, init_lr=0.2, min_lr=0.1)
    # warmup: 0.2 + 0.8 t / 4
    assert_allclose(sched(np.arange(4)), [0.2, 0.4, 0.6, 0.8], rtol=RTOL)
    # the peak lands exactly on step warmup_steps, where the cosine starts
    assert_allclose(sched(4), 1.0, rtol=RTOL)
    assert_allclose(sched(5), 0.1 + 0.45 * (1 + math.cos(math.pi / 8)), rtol=RTOL)
    assert_allclose(sched(11), 0.1 + 0.45 * (1 + math.cos(7 * math.pi / 8)), rtol=RTOL)
    assert_allclose(sched(np.arange(12, 16)), 0.1, rtol=RTOL)


@pytest.mark.parametrize("peak, warmup", [(1.0, 4), (5e-4, 4000), (0.3, 1), (2.0, 7)])
def test_inverse_sqrt_closed_form(peak, warmup):
    steps = np.arange(3 * warmup + 20)
    expected = [peak * min((t + 1) / warmup, math.sqrt(warmup / (t + 1))) for t in steps]
    sched = lrb.inverse_sqrt(peak, warmup)
    assert_allclose(sched(steps), expected, rtol=RTOL)
    assert sched(warmup - 1) == pytest.approx(peak, rel=1e-15)
    assert np.argmax(sched(steps)) == warmup - 1


def test_inverse_sqrt_hand_values():
    sched = lrb.inverse_sqrt(2.0, warmup_steps=4)
    assert_allclose(sched(np.array([0, 1, 2, 3, 15, 63])), [0.5, 1.0, 1.5, 2.0, 1.0, 0.5])


@pytest.mark.parametrize("lr, k", [(1.0, 0.1), (0.3, 0.0), (2e-3, 1.5), (1.0, math.log(2))])
def test_exponential_decay_closed_form(lr, k):
    steps = np.arange(60)
    assert_allclose(
        lrb.exponential_decay(lr, k)(steps), [lr * math.exp(-k * t) for t in steps], rtol=RTOL
    )


def test_exponential_decay_halves_at_log2():
    sched = lrb.exponential_decay(8.0, math.log(2))
    assert_allclose(sched(np.arange(5)), [8.0, 4.0, 2.0, 1.0, 0.5], rtol=1e-14)


def test_hand_computed_step_schedules():
    assert lrb.constant_schedule(0.3)(np.arange(4)).tolist() == [0.3] * 4
    steps = lrb.step_decay(1.0, 3, gamma=0.5)(np.arange(8))
    assert steps.tolist() == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25]
    multi = lrb.multistep_decay(1.0, [1, 3, 3], gamma=0.5)(np.arange(5))
    assert multi.tolist() == [1.0, 0.5, 0.5, 0.125, 0.125]
    assert lrb.linear_warmup(1.0, 4, init_lr=0.2)(np.arange(6)).tolist() == pytest.approx(
        [0.2, 0.4, 0.6, 0.8, 1.0, 1.0]
    )
    assert lrb.linear_warmup(0.7, 0)(np.arange(3)).tolist() == [0.7, 0.7, 0.7]


def test_cosine_warm_restarts_hand_computed():
    sched = lrb.cosine_warm_restarts(1.0, T_0=2, T_mult=2, min_lr=0.0)
    # cycles of length 2, 4, 8 start at steps 0, 2, 6
    restarts = sched(np.array([0, 2, 6, 14]))
    assert_array_equal(restarts, 1.0)
    assert_allclose(sched(np.array([1, 4, 10])), 0.5, rtol=RTOL)  # half way through each


def test_cyclic_hand_computed():
    sched = lrb.cyclic(1.0, 3.0, step_size_up=2, step_size_down=4)
    assert_allclose(sched(np.arange(8)), [1.0, 2.0, 3.0, 2.5, 2.0, 1.5, 1.0, 2.0], rtol=RTOL)
    exp = lrb.cyclic(1.0, 3.0, step_size_up=2, mode="exp_range", gamma=0.5)
    assert_allclose(exp(np.array([1, 2, 6])), [1 + 2 * 0.5 * 0.5, 1 + 2 * 0.25, 1 + 2 * 0.5**6])


def test_one_cycle_around_its_phase_boundaries():
    # two phases: rise ends at step 0.3 * 100 - 1 = 29
    sched = lrb.one_cycle(1.0, total_steps=100, div_factor=20.0, final_div_factor=100.0)
    initial, final = 1.0 / 20.0, 1.0 / 20.0 / 100.0
    assert_allclose(sched(0), initial, rtol=RTOL)
    assert_allclose(sched(29), 1.0, rtol=RTOL)
    assert_allclose(sched(28), 1 + (initial - 1) / 2 * (math.cos(math.pi * 28 / 29) + 1))
    assert_allclose(sched(30), final + (1 - final) / 2 * (math.cos(math.pi / 70) + 1))
    assert_allclose(sched(99), final, rtol=RTOL)
    # three phases, linear: ends at 0.25 * 40 - 1 = 9, 2 * 0.25 * 40 - 2 = 18, 39
    sched = lrb.one_cycle(
        2.0, 40, pct_start=0.25, anneal_strategy="linear", three_phase=True, div_factor=4.0
    )
    assert_allclose(sched(np.array([0, 9, 18, 39])), [0.5, 2.0, 0.5, 0.5e-4], rtol=RTOL)
    around = [0.5 + 1.5 * 8 / 9, 2.0 - 1.5 / 9, 0.5 + 1.5 / 9, 0.5 + (0.5e-4 - 0.5) / 21]
    assert_allclose(sched(np.array([8, 10, 17, 19])), around, rtol=RTOL)


def test_join_schedules_like_optax():
    sched = lrb.join_schedules(
        [lrb.constant_schedule(1.0), lrb.constant_schedule(2.0), lrb.constant_schedule(1.0)],
        boundaries=[3, 6],
    )
    assert sched(np.arange(8)).tolist() == [1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 1.0, 1.0]
    assert [sched(t) for t in range(8)] == [1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 1.0, 1.0]


def test_join_schedules_restarts_the_count_at_each_boundary():
    warm = lrb.linear_warmup(1.0, warmup_steps=5)
    decay = lrb.step_decay(1.0, step_size=2, gamma=0.5)
    sched = lrb.join_schedules([warm, decay, lambda t: 0.125], boundaries=[5, 9])
    steps = np.arange(12)
    expected = np.concatenate([warm(np.arange(5)), decay(np.arange(4)), [0.125] * 3])
    assert_array_equal(sched(steps), expected)
    # an empty segment (repeated boundary) is skipped
    sched = lrb.join_schedules([warm, lambda t: 9.0, decay], boundaries=[5, 5])
    assert_array_equal(sched(np.arange(5, 9)), decay(np.arange(4)))


# --------------------------------------------------------------------------------------
# Properties


def _values(sched, n):
    return sched(np.arange(n))


lrs = st.floats(0.0, 10.0, allow_nan=False)
pos_lrs = st.floats(1e-6, 10.0, allow_nan=False)
gammas = st.floats(1e-3, 1.0)
small = st.integers(1, 30)


@st.composite
def bounded_schedules(draw):
    """A schedule, its (low, high) bounds from its parameters, and a horizon."""
    kind = draw(
        st.sampled_from(
            [
                "step", "multistep", "exponential", "cosine", "restarts", "warmup",
                "warmup_cosine", "one_cycle", "cyclic", "inverse_sqrt", "constant",
            ]
        )
    )  # fmt: skip
    a, b, c = draw(lrs), draw(lrs), draw(lrs)
    n = draw(st.integers(1, 300))
    if kind == "constant":
        return lrb.constant_schedule(a), (a, a), n
    if kind == "step":
        return lrb.step_decay(a, draw(small), draw(gammas)), (0.0, a), n
    if kind == "multistep":
        ms = sorted(draw(st.lists(st.integers(0, 300), max_size=6)))
        return lrb.multistep_decay(a, ms, draw(gammas)), (0.0, a), n
    if kind == "exponential":
        return lrb.exponential_decay(a, draw(st.floats(0.0, 5.0))), (0.0, a), n
    if kind == "cosine":
        return lrb.cosine_annealing(a, draw(small), min_lr=b), (min(a, b), max(a, b)), n
    if kind == "restarts":
        sched = lrb.cosine_warm_restarts(a, draw(small), draw(st.integers(1, 3)), min_lr=b)
        return sched, (min(a, b), max(a, b)), n
    if kind == "warmup":
        return lrb.linear_warmup(a, draw(st.integers(0, 30)), init_lr=b), (min(a, b), max(a, b)), n
    if kind == "warmup_cosine":
        peak, low = max(a, c), min(a, c)
        warmup = draw(st.integers(0, 30))
        sched = lrb.warmup_cosine(peak, warmup, warmup + draw(small), init_lr=b, min_lr=low)
        return sched, (min(b, low), max(b, peak)), n
    if kind == "one_cycle":
        total = draw(st.integers(1, 200))
        pct = draw(st.floats(0.01, 0.99))
        three = draw(st.booleans())
        div, final_div = draw(st.floats(1.0, 100.0)), draw(st.floats(1.0, 1e4))
        assume(float(pct * total) - 1 != 0)
        assume(not three or float(2 * pct * total) - 2 < total - 1)
        sched = lrb.one_cycle(
            a, total, pct, draw(st.sampled_from(["cos", "linear"])), div, final_div, three
        )
        # step total_steps extrapolates like PyTorch; the bounds hold before it
        return sched, (a / div / final_div, a), total
    if kind == "cyclic":
        mode = draw(st.sampled_from(["triangular", "triangular2", "exp_range"]))
        down = draw(st.none() | small)
        sched = lrb.cyclic(a, b, draw(small), down, mode, draw(gammas))
        return sched, (min(a, b), max(a, b)), n
    return lrb.inverse_sqrt(a, draw(small)), (0.0, a), n


@settings(max_examples=300, deadline=None)
@given(bounded_schedules())
def test_values_stay_within_parameter_bounds(case):
    sched, (low, high), n = case
    values = _values(sched, n)
    tol = 1e-12 * max(abs(low), abs(high), 1e-300)
    assert np.all(values >= low - tol), (sched, values.min(), low)
    assert np.all(values <= high + tol), (sched, values.max(), high)


@st.composite
def monotone_schedules(draw):
    """A schedule that never increases, or only increases, over its whole range."""
    kind = draw(st.sampled_from(["step", "multistep", "exponential", "cosine", "warmup"]))
    a, b = sorted([draw(lrs), draw(lrs)])
    if kind == "step":
        return lrb.step_decay(b, draw(small), draw(gammas)), -1
    if kind == "multistep":
        ms = sorted(draw(st.lists(st.integers(0, 200), max_size=6)))
        return lrb.multistep_decay(b, ms, draw(gammas)), -1
    if kind == "exponential":
        return lrb.exponential_decay(b, draw(st.floats(0.0, 5.0))), -1
    if kind == "cosine":
        return lrb.cosine_annealing(b, draw(st.integers(1, 200)), min_lr=a), -1
    return lrb.linear_warmup(b, draw(st.integers(0, 200)), init_lr=a), +1


@settings(max_examples=200, deadline=None)
@given(monotone_schedules(), st.integers(2, 400))
def test_monotone_schedules_are_monotone(case, n):
    sched, direction = case
    diffs = direction * np.diff(_values(sched, n))
    assert np.all(diffs >= -1e-15), sched


@st.composite
def lipschitz_schedules(draw):
    """A continuous piecewise formula and a bound on |lr(t + 1) - lr(t)| from its phases.

    A jump at a phase boundary (a discontinuity) breaks the bound.
    """
    kind = draw(st.sampled_from(["warmup_cosine", "one_cycle", "cyclic"]))
    a, b, c = draw(pos_lrs), draw(lrs), draw(lrs)
    if kind == "warmup_cosine":
        warmup, decay = draw(st.integers(0, 100)), draw(st.integers(1, 100))
        low = min(c, a)
        sched = lrb.warmup_cosine(a, warmup, warmup + decay, init_lr=b, min_lr=low)
        bound = max(abs(a - b) / max(warmup, 1), (a - low) * math.pi / 2 / decay)
        return sched, bound, warmup + decay + 5
    if kind == "one_cycle":
        total = draw(st.integers(2, 300))
        pct = draw(st.floats(0.01, 0.99))
        three = draw(st.booleans())
        strategy = draw(st.sampled_from(["cos", "linear"]))
        div, final_div = draw(st.floats(1.0, 100.0)), draw(st.floats(1.0, 1e4))
        rise_end = float(pct * total) - 1
        assume(rise_end != 0)
        ends = [rise_end, float(2 * pct * total) - 2, total - 1] if three else [rise_end, total - 1]
        assume(not three or ends[1] < total - 1)
        lengths = np.abs(np.diff([0.0, *ends]))
        assume(np.all(lengths > 0))
        # every phase moves between values in [max_lr / div / final_div, max_lr]
        slope = (math.pi / 2 if strategy == "cos" else 1.0) * a / np.min(lengths)
        return lrb.one_cycle(a, total, pct, strategy, div, final_div, three), slope, total
    up, down = draw(small), draw(st.none() | small)
    mode = draw(st.sampled_from(["triangular", "triangular2", "exp_range"]))
    gamma = draw(gammas)
    amp = abs(a - b)
    slope = amp / min(up, up if down is None else down) + amp * (1 - gamma)
    return lrb.cyclic(b, a, up, down, mode, gamma), slope, draw(st.integers(2, 300))


@settings(max_examples=300, deadline=None)
@given(lipschitz_schedules())
def test_continuous_schedules_have_no_jumps(case):
    sched, bound, n = case
    steps = np.abs(np.diff(_values(sched, n)))
    assert np.all(steps <= bound * (1 + 1e-9) + 1e-15), (sched, steps.max(), bound)


def test_cyclic_is_continuous_at_its_peaks_and_troughs():
    base, peak, up, down = 0.1, 1.1, 5, 3
    sched = lrb.cyclic(base, peak, up, down)
    for cycle in range(4):
        top = cycle * (up + down) + up
        assert_allclose(sched(top), peak, rtol=RTOL)
        assert_allclose(sched(np.array([top - 1, top + 1])), [peak - 1.0 / up, peak - 1.0 / down])
        bottom = (cycle + 1) * (up + down)
        assert_allclose(sched(bottom), base, rtol=RTOL)
        assert_allclose(sched(np.array([bottom - 1, bottom + 1])), [base + 1 / down, base + 1 / up])


ALL_SCHEDULES = [
    lrb.constant_schedule(0.1),
    lrb.step_decay(0.1, 7, 0.5),
    lrb.multistep_decay(0.1, [3, 10, 10, 40], 0.3),
    lrb.exponential_decay(0.1, 0.02),
    lrb.cosine_annealing(0.1, 50, min_lr=0.01),
    lrb.cosine_warm_restarts(0.1, 5, T_mult=2, min_lr=0.001),
    lrb.linear_warmup(0.1, 10, init_lr=0.01),
    lrb.warmup_cosine(0.1, 10, 80, init_lr=0.001, min_lr=0.002),
    lrb.one_cycle(0.1, 100, three_phase=True),
    lrb.cyclic(0.01, 0.1, 4, 9, mode="exp_range", gamma=0.99),
    lrb.inverse_sqrt(0.1, 20),
    lrb.join_schedules([lrb.linear_warmup(0.1, 5), lrb.cosine_annealing(0.1, 30)], [5]),
]


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(ALL_SCHEDULES),
    hnp.arrays(
        st.sampled_from([np.int64, np.int32, np.uint16]),
        hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
        elements=st.integers(0, 100),
    ),
)
def test_vector_and_scalar_calls_agree(sched, t):
    values = sched(t)
    assert isinstance(values, np.ndarray) and values.shape == t.shape
    assert values.dtype == np.float64
    for idx in np.ndindex(t.shape):
        scalar = sched(int(t[idx]))
        assert type(scalar) is float
        assert scalar == values[idx]
        assert sched(np.int32(t[idx])) == scalar
        assert sched(float(t[idx])) == scalar  # a whole-number float is a step too


@pytest.mark.parametrize("sched", ALL_SCHEDULES, ids=repr)
def test_schedules_are_pure(sched):
    steps = np.arange(100)
    first = sched(steps)
    backwards = [sched(int(t)) for t in steps[::-1]][::-1]
    assert_array_equal(first, backwards)
    assert_array_equal(sched(steps), first)
    assert sched(np.array(7)).shape == ()


# --------------------------------------------------------------------------------------
# Representation


def test_repr_and_params_show_the_arguments():
    sched = lrb.step_decay(0.1, 30)
    assert isinstance(sched, lrb.Schedule)
    assert repr(sched) == "step_decay(lr=0.1, step_size=30, gamma=0.1)"
    assert dict(sched.params) == {"lr": 0.1, "step_size": 30, "gamma": 0.1}
    assert sched.name == "step_decay"
    cyc = lrb.cyclic(0.001, 0.01, step_size_up=4)
    assert repr(cyc) == (
        "cyclic(base_lr=0.001, max_lr=0.01, step_size_up=4, step_size_down=None, "
        "mode='triangular', gamma=1.0)"
    )
    joined = lrb.join_schedules([sched, cyc], [10])
    assert repr(joined) == f"join_schedules(schedules=({sched!r}, {cyc!r}), boundaries=(10,))"


def test_schedules_are_frozen():
    sched = lrb.cosine_annealing(0.1, 10)
    with pytest.raises(TypeError):
        sched.params["lr"] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        sched.name = "other"


def test_plateau_repr_and_attributes():
    plateau = lrb.ReduceLROnPlateau(0.1, mode="max", patience=3)
    assert repr(plateau).startswith("ReduceLROnPlateau(lr=0.1, mode='max', factor=0.1,")
    assert plateau.lr == 0.1 and plateau.best == -math.inf and plateau.num_bad_epochs == 0


# --------------------------------------------------------------------------------------
# Bad input


BAD_ARGUMENTS = [
    (lrb.constant_schedule, dict(lr=-0.1), "lr"),
    (lrb.step_decay, dict(lr=0.1, step_size=0), "step_size"),
    (lrb.step_decay, dict(lr=0.1, step_size=-3), "step_size"),
    (lrb.step_decay, dict(lr=-0.1, step_size=3), "lr"),
    (lrb.step_decay, dict(lr=0.1, step_size=3, gamma=-0.5), "gamma"),
    (lrb.step_decay, dict(lr=0.1, step_size=3, gamma=float("nan")), "gamma"),
    (lrb.multistep_decay, dict(lr=0.1, milestones=[5, "3"]), "milestones"),
    (lrb.multistep_decay, dict(lr=0.1, milestones=[-1, 3]), "milestones"),
    (lrb.multistep_decay, dict(lr=0.1, milestones=[1.5, 3]), "milestones"),
    (lrb.multistep_decay, dict(lr=0.1, milestones=5), "milestones"),
    (lrb.multistep_decay, dict(lr=0.1, milestones=[1], gamma=-2.0), "gamma"),
    (lrb.exponential_decay, dict(lr=0.1, decay_rate=float("inf")), "decay_rate"),
    (lrb.exponential_decay, dict(lr=-1.0, decay_rate=0.1), "lr"),
    (lrb.cosine_annealing, dict(lr=0.1, total_steps=0), "total_steps"),
    (lrb.cosine_annealing, dict(lr=0.1, total_steps=10, min_lr=-1e-3), "min_lr"),
    (lrb.cosine_warm_restarts, dict(lr=0.1, T_0=0), "T_0"),
    (lrb.cosine_warm_restarts, dict(lr=0.1, T_0=5, T_mult=0), "T_mult"),
    (lrb.cosine_warm_restarts, dict(lr=0.1, T_0=5, min_lr=-1.0), "min_lr"),
    (lrb.linear_warmup, dict(lr=0.1, warmup_steps=-1), "warmup_steps"),
    (lrb.linear_warmup, dict(lr=0.1, warmup_steps=5, init_lr=-0.1), "init_lr"),
    (lrb.warmup_cosine, dict(peak_lr=0.1, warmup_steps=-1, total_steps=10), "warmup_steps"),
    (lrb.warmup_cosine, dict(peak_lr=0.1, warmup_steps=10, total_steps=10), "total_steps"),
    (lrb.warmup_cosine, dict(peak_lr=0.1, warmup_steps=0, total_steps=0), "total_steps"),
    (lrb.warmup_cosine, dict(peak_lr=-0.1, warmup_steps=1, total_steps=10), "peak_lr"),
    (lrb.warmup_cosine, dict(peak_lr=0.1, warmup_steps=1, total_steps=10, min_lr=0.2), "min_lr"),
    (lrb.one_cycle, dict(max_lr=0.1, total_steps=0), "total_steps"),
    (lrb.one_cycle, dict(max_lr=0.1, total_steps=100, pct_start=0.0), "pct_start"),
    (lrb.one_cycle, dict(max_lr=0.1, total_steps=100, pct_start=1.0), "pct_start"),
    (lrb.one_cycle, dict(max_lr=0.1, total_steps=100, pct_start=1.3), "pct_start"),
    (lrb.one_cycle, dict(max_lr=0.1, total_steps=100, anneal_strategy="cosine"), "anneal_strategy"),
    (lrb.one_cycle, dict(max_lr=0.1, total_steps=100, div_factor=0.0), "div_factor"),
    (lrb.one_cycle, dict(max_lr=0.1, total_steps=100, final_div_factor=-1.0), "final_div_factor"),
    (lrb.one_cycle, dict(max_lr=-0.1, total_steps=100), "max_lr"),
    (lrb.one_cycle, dict(max_lr=0.1, total_steps=10, pct_start=0.1), "pct_start"),
    (lrb.one_cycle, dict(max_lr=0.1, total_steps=10, pct_start=0.7, three_phase=True), "pct_start"),
    (lrb.cyclic, dict(base_lr=0.1, max_lr=1.0, step_size_up=0), "step_size_up"),
    (lrb.cyclic, dict(base_lr=0.1, max_lr=1.0, step_size_down=0), "step_size_down"),
    (lrb.cyclic, dict(base_lr=0.1, max_lr=1.0, mode="triangle"), "mode"),
    (lrb.cyclic, dict(base_lr=0.1, max_lr=1.0, mode="exp_range", gamma=-1.1), "gamma"),
    (lrb.cyclic, dict(base_lr=-0.1, max_lr=1.0), "base_lr"),
    (lrb.cyclic, dict(base_lr=0.1, max_lr=-1.0), "max_lr"),
    (lrb.inverse_sqrt, dict(peak_lr=0.1, warmup_steps=0), "warmup_steps"),
    (lrb.inverse_sqrt, dict(peak_lr=-0.1, warmup_steps=10), "peak_lr"),
    (lrb.join_schedules, dict(schedules=[], boundaries=[]), "schedules"),
    (lrb.join_schedules, dict(schedules=[0.1, 0.2], boundaries=[3]), "schedules"),
    (lrb.join_schedules, dict(schedules=[lambda t: 1.0] * 3, boundaries=[5, 2]), "boundaries"),
    (lrb.join_schedules, dict(schedules=[lambda t: 1.0] * 3, boundaries=[5]), "boundaries"),
    (lrb.join_schedules, dict(schedules=[lambda t: 1.0] * 2, boundaries=[-5]), "boundaries"),
    (lrb.ReduceLROnPlateau, dict(lr=-0.1), "lr"),
    (lrb.ReduceLROnPlateau, dict(lr=np.array([0.1, -0.1])), "lr"),
    (lrb.ReduceLROnPlateau, dict(lr=0.1, mode="minimum"), "mode"),
    (lrb.ReduceLROnPlateau, dict(lr=0.1, factor=1.0), "factor"),
    (lrb.ReduceLROnPlateau, dict(lr=0.1, factor=0.0), "factor"),
    (lrb.ReduceLROnPlateau, dict(lr=0.1, factor=2.0), "factor"),
    (lrb.ReduceLROnPlateau, dict(lr=0.1, patience=-1), "patience"),
    (lrb.ReduceLROnPlateau, dict(lr=0.1, threshold=-1e-4), "threshold"),
    (lrb.ReduceLROnPlateau, dict(lr=0.1, threshold_mode="relative"), "threshold_mode"),
    (lrb.ReduceLROnPlateau, dict(lr=0.1, cooldown=-1), "cooldown"),
    (lrb.ReduceLROnPlateau, dict(lr=0.1, min_lr=-1.0), "min_lr"),
    (lrb.ReduceLROnPlateau, dict(lr=0.1, eps=-1.0), "eps"),
]


@pytest.mark.parametrize(
    "factory, kwargs, name",
    BAD_ARGUMENTS,
    ids=[f"{f.__name__}-{n}-{i}" for i, (f, _, n) in enumerate(BAD_ARGUMENTS)],
)
def test_bad_arguments_raise_value_error_naming_them(factory, kwargs, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b") as info:
        factory(**kwargs)
    assert "got" in str(info.value)


@pytest.mark.parametrize(
    "factory, kwargs, name",
    [
        (lrb.step_decay, dict(lr=0.1, step_size=2.5), "step_size"),
        (lrb.cosine_warm_restarts, dict(lr=0.1, T_0=5, T_mult=1.5), "T_mult"),
        (lrb.one_cycle, dict(max_lr=0.1, total_steps=100, three_phase=1), "three_phase"),
        (lrb.cyclic, dict(base_lr="0.1", max_lr=1.0), "base_lr"),
        (lrb.ReduceLROnPlateau, dict(lr=0.1, patience=2.0), "patience"),
    ],
)
def test_wrong_types_raise_type_error_naming_them(factory, kwargs, name):
    with pytest.raises(TypeError, match=rf"\b{name}\b"):
        factory(**kwargs)


@pytest.mark.parametrize("sched", ALL_SCHEDULES, ids=repr)
@pytest.mark.parametrize("step", [-1, np.array([0, 3, -2]), 2.5, np.array([1.0, 0.5]), math.nan])
def test_bad_steps_raise_value_error(sched, step):
    with pytest.raises(ValueError, match="step"):
        sched(step)


@pytest.mark.parametrize("step", [True, "3", None, np.array([True, False])])
def test_non_numeric_steps_raise_type_error(step):
    with pytest.raises(TypeError, match="step"):
        lrb.step_decay(0.1, 3)(step)


def test_plateau_rejects_a_metric_of_the_wrong_shape():
    plateau = lrb.ReduceLROnPlateau(np.array([0.1, 0.2]))
    with pytest.raises(ValueError, match="metric"):
        plateau.step(np.ones(3))
    with pytest.raises(TypeError, match="metric"):
        plateau.step("low")


# --------------------------------------------------------------------------------------
# With an optimizer, and the docstrings


def test_sgd_uses_the_schedule_lr_at_each_update():
    sched = lrb.step_decay(0.1, step_size=3, gamma=0.5)
    opt = lrb.sgd(lr=sched)
    hessian = np.diag([1.0, 3.0])
    params = np.array([[1.0, -2.0], [0.5, 3.0]])  # a batch of two trajectories
    state = opt.init(params)
    for k in range(10):
        grads = params @ hessian  # gradient of 0.5 x^T H x
        updates, state = opt.update(grads, state, params)
        assert_allclose(-updates / grads, sched(k), rtol=1e-15)
        params = lrb.apply_updates(params, updates)


def test_adam_calls_the_schedule_with_the_update_count():
    calls = []

    def recording(step):
        calls.append(step)
        return lrb.warmup_cosine(1e-2, 3, 10)(step)

    opt = lrb.adam(lr=recording)
    params = np.array([1.0, -1.0])
    state = opt.init(params)
    for _ in range(5):
        updates, state = opt.update(params, state, params)
        params = lrb.apply_updates(params, updates)
    assert [int(c) for c in calls] == [0, 1, 2, 3, 4]


def test_docstring_examples():
    result = doctest.testmod(lrbook.schedules, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 13
    assert result.failed == 0


def test_multistep_milestones_follow_torch_counter_semantics():
    # torch MultiStepLR counts milestones (collections.Counter): order is irrelevant and a
    # milestone listed k times multiplies by gamma**k there
    sched = lrb.multistep_decay(2.0, milestones=[6, 2, 6, 4, 6], gamma=0.5)
    expected = [2.0, 2.0, 1.0, 1.0, 0.5, 0.5, 0.0625, 0.0625]
    assert sched(np.arange(8)).tolist() == expected
    assert sched.params["milestones"] == (2, 4, 6, 6, 6)
    same = lrb.multistep_decay(2.0, milestones=[2, 4, 6, 6, 6], gamma=0.5)
    assert np.array_equal(sched(np.arange(20)), same(np.arange(20)))


def test_growth_schedules_match_hand_computed_values():
    assert lrb.step_decay(0.5, step_size=2, gamma=2.0)(np.arange(7)).tolist() == [
        0.5,
        0.5,
        1.0,
        1.0,
        2.0,
        2.0,
        4.0,
    ]
    assert lrb.multistep_decay(1.0, milestones=[3, 1], gamma=10.0)(np.arange(5)).tolist() == [
        1.0,
        10.0,
        10.0,
        100.0,
        100.0,
    ]
    grow = lrb.exponential_decay(1e-4, decay_rate=-np.log(10.0))
    np.testing.assert_allclose(grow(np.arange(5)), [1e-4, 1e-3, 1e-2, 1e-1, 1.0], rtol=1e-12)
    # cyclic exp_range with gamma > 1: the amplitude grows by gamma**t (torch's scale_fn)
    cyc = lrb.cyclic(0.0, 1.0, step_size_up=2, mode="exp_range", gamma=2.0)
    assert cyc(np.arange(5)).tolist() == [0.0, 0.5 * 2.0, 1.0 * 4.0, 0.5 * 8.0, 0.0]
    # gamma = 0 (accepted by torch): the lr drops to zero at the first decay
    assert lrb.step_decay(1.0, step_size=2, gamma=0.0)(np.arange(4)).tolist() == [1, 1, 0, 0]


def test_growth_overflows_to_inf_without_a_warning():
    sched = lrb.step_decay(1.0, step_size=1, gamma=1e10)
    assert sched(np.array([0, 40])).tolist() == [1.0, np.inf]
