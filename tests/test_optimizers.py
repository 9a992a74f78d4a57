"""Optimizers against stored PyTorch trajectories, plus purity and argument checks."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import lrbook as lrb

REFS = np.load(Path(__file__).parent / "data" / "optimizer_refs.npz")
CONFIGS = json.loads(str(REFS["configs"]))
A, B, C = REFS["A"], REFS["B"], REFS["C"]


def ref_grad(p: np.ndarray) -> np.ndarray:
    """Same objective as tools/make_optimizer_refs.py: log-cosh plus a quartic."""
    return A.T @ np.tanh(A @ p - B) + 0.1 * (p - C) ** 3


def ref_schedule(step: int) -> float:
    return 0.97**step * (1.0 + 0.5 * math.sin(0.7 * step))


def make(cfg: dict) -> lrb.Optimizer:
    kw = dict(cfg["kwargs"])
    if "betas" in kw:
        kw["betas"] = tuple(kw["betas"])
    if cfg["schedule"]:
        base = kw["lr"]
        kw["lr"] = lambda step: base * ref_schedule(step)
    return getattr(lrb, cfg["name"])(**kw)


def run_ref(opt: lrb.Optimizer, x0: np.ndarray, steps: int, grad=ref_grad) -> np.ndarray:
    """Iterate ``opt`` from ``x0`` on the reference gradient; all iterates, x0 first."""
    p = x0.copy()
    state = opt.init(p)
    out = [p]
    for _ in range(steps):
        updates, state = opt.update(grad(p), state, p)
        p = lrb.apply_updates(p, updates)
        out.append(p)
    return np.array(out)


def _id(cfg: dict) -> str:
    kw = ",".join(f"{k}={v}" for k, v in cfg["kwargs"].items())
    return f"{cfg['name']}({kw}){'+schedule' if cfg['schedule'] else ''}"


def test_reference_grid_covers_every_optimizer_and_schedules():
    names = {c["name"] for c in CONFIGS}
    assert names == {"sgd", "adagrad", "rmsprop", "adam", "adamw"}
    assert {c["name"] for c in CONFIGS if c["schedule"]} >= {"sgd", "adam", "adamw"}
    assert all(REFS[f"traj_{i}"].shape[0] >= 51 for i in range(len(CONFIGS)))


@pytest.mark.parametrize("i", range(len(CONFIGS)), ids=[_id(c) for c in CONFIGS])
def test_matches_pytorch(i):
    ref = REFS[f"traj_{i}"]
    ours = run_ref(make(CONFIGS[i]), REFS["x0"], ref.shape[0] - 1)
    # the trajectory really moves, so matching it is not trivial
    assert np.max(np.abs(ref[-1] - ref[0])) > 0.1
    np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=0)


# ---------------------------------------------------------------------------- semantics


def test_sgd_first_momentum_buffer_is_first_gradient():
    opt = lrb.sgd(lr=0.1, momentum=0.9, dampening=0.5)
    p = np.array([1.0, 2.0])
    state = opt.init(p)
    u1, state = opt.update(np.array([1.0, -1.0]), state, p)
    np.testing.assert_allclose(u1, [-0.1, 0.1])  # no dampening at the first step
    u2, state = opt.update(np.array([2.0, 0.0]), state, p)
    # b = 0.9 * [1, -1] + 0.5 * [2, 0] = [1.9, -0.9]
    np.testing.assert_allclose(u2, [-0.19, 0.09])


def test_sgd_effective_lr_is_lr():
    opt = lrb.sgd(lr=0.3)
    g = np.array([0.5, -2.0, 4.0])
    u, _ = opt.update(g, opt.init(g), g)
    np.testing.assert_allclose(-u / g, 0.3)


def test_adam_hand_computed_two_steps():
    b1, b2, lr, eps = 0.8, 0.9, 0.1, 1e-8
    opt = lrb.adam(lr=lr, betas=(b1, b2), eps=eps)
    p = np.array([1.0])
    state = opt.init(p)
    g1, g2 = 2.0, -1.0
    _, state = opt.update(np.array([g1]), state, p)
    u, state = opt.update(np.array([g2]), state, p)
    m = b1 * (1 - b1) * g1 + (1 - b1) * g2
    v = b2 * (1 - b2) * g1**2 + (1 - b2) * g2**2
    expected = -lr / (1 - b1**2) * m / (math.sqrt(v) / math.sqrt(1 - b2**2) + eps)
    np.testing.assert_allclose(u, [expected], rtol=1e-14)
    assert state.count == 2


def test_amsgrad_uses_max_of_raw_second_moment():
    opt = lrb.adam(lr=1.0, betas=(0.0, 0.5), eps=0.0, amsgrad=True)
    p = np.array([0.0])
    state = opt.init(p)
    _, state = opt.update(np.array([4.0]), state, p)  # nu = 8
    u, state = opt.update(np.array([1.0]), state, p)  # nu = 4.5, nu_max = 8
    np.testing.assert_allclose(state.nu_max, [8.0])
    np.testing.assert_allclose(u, [-1.0 / (math.sqrt(8.0) / math.sqrt(0.75))])


def test_adamw_decay_uses_scheduled_lr():
    lrs = [0.5, 0.25]
    opt = lrb.adamw(lr=lambda step: lrs[step], weight_decay=0.1, betas=(0.0, 0.0), eps=0.0)
    p = np.array([2.0])
    state = opt.init(p)
    u0, state = opt.update(np.array([3.0]), state, p)
    u1, state = opt.update(np.array([3.0]), state, p)
    np.testing.assert_allclose(u0, [-0.5 - 0.5 * 0.1 * 2.0])
    np.testing.assert_allclose(u1, [-0.25 - 0.25 * 0.1 * 2.0])


def test_adagrad_lr_decay():
    opt = lrb.adagrad(lr=1.0, lr_decay=0.5, eps=0.0)
    p = np.array([0.0])
    state = opt.init(p)
    _, state = opt.update(np.array([3.0]), state, p)
    u, state = opt.update(np.array([4.0]), state, p)
    np.testing.assert_allclose(u, [-(1.0 / 1.5) * 4.0 / 5.0])


def test_schedule_called_with_update_count_from_zero():
    seen = []

    def schedule(step):
        seen.append(step)
        return 0.1

    for factory in (lrb.sgd, lrb.adagrad, lrb.rmsprop, lrb.adam, lrb.adamw):
        seen.clear()
        opt = factory(lr=schedule)
        p = np.ones(2)
        state = opt.init(p)
        for _ in range(3):
            _, state = opt.update(p, state, p)
        assert seen == [0, 1, 2]


@pytest.mark.parametrize(
    "opt",
    [
        lrb.sgd(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1),
        lrb.adagrad(lr=0.1, weight_decay=0.1),
        lrb.rmsprop(lr=0.1, momentum=0.5, centered=True, weight_decay=0.1),
        lrb.adam(lr=0.1, amsgrad=True, weight_decay=0.1),
        lrb.adamw(lr=0.1, amsgrad=True),
    ],
)
def test_update_is_pure(opt):
    p = np.array([[1.0, -2.0], [0.5, 3.0]])
    g = np.array([[0.1, 0.2], [-0.3, 0.4]])
    state = opt.init(p)
    _, state = opt.update(g, state, p)
    frozen = [x.copy() if isinstance(x, np.ndarray) else x for x in state]
    p0, g0 = p.copy(), g.copy()
    u_a, s_a = opt.update(g, state, p)
    u_b, s_b = opt.update(g, state, p)
    np.testing.assert_array_equal(u_a, u_b)
    np.testing.assert_array_equal(p, p0)
    np.testing.assert_array_equal(g, g0)
    for before, after in zip(frozen, state, strict=True):
        np.testing.assert_array_equal(before, after)
    assert s_a.count == state.count + 1
    np.testing.assert_array_equal(lrb.apply_updates(p, u_a), p + u_a)


def test_array_lr_gives_one_trajectory_per_row():
    lrs = np.array([[0.01], [0.05], [0.2]])
    x0 = np.tile(REFS["x0"], (3, 1))
    batched = run_ref_batch(lrb.adam(lr=lrs, amsgrad=True), x0, 40)
    for k in range(3):
        single = run_ref(lrb.adam(lr=float(lrs[k, 0]), amsgrad=True), REFS["x0"], 40)
        np.testing.assert_array_equal(batched[:, k], single)


def run_ref_batch(opt: lrb.Optimizer, x0: np.ndarray, steps: int) -> np.ndarray:
    """:func:`run_ref` on a batch of starting points, one reference gradient per row."""
    return run_ref(opt, x0, steps, grad=np.vectorize(ref_grad, signature="(d)->(d)"))


# ---------------------------------------------------------------------------- bad input

BAD = [
    (lrb.sgd, {"lr": -0.1}, "lr"),
    (lrb.sgd, {"lr": float("nan")}, "lr"),
    (lrb.sgd, {"lr": float("inf")}, "lr"),
    (lrb.sgd, {"lr": np.array([[0.1], [-0.1]])}, "lr"),
    (lrb.adam, {"lr": np.array([[0.1], [np.nan]])}, "lr"),
    (lrb.adam, {"lr": np.array([0.1, np.inf])}, "lr"),
    (lrb.sgd, {"momentum": -0.5}, "momentum"),
    (lrb.sgd, {"weight_decay": -1e-3}, "weight_decay"),
    (lrb.sgd, {"nesterov": True}, "nesterov"),
    (lrb.sgd, {"nesterov": True, "momentum": 0.9, "dampening": 0.1}, "nesterov"),
    (lrb.sgd, {"dampening": float("nan")}, "dampening"),
    (lrb.adagrad, {"lr": -1.0}, "lr"),
    (lrb.adagrad, {"lr_decay": -0.1}, "lr_decay"),
    (lrb.adagrad, {"eps": -1e-10}, "eps"),
    (lrb.adagrad, {"weight_decay": -0.1}, "weight_decay"),
    (lrb.adagrad, {"initial_accumulator_value": -0.1}, "initial_accumulator_value"),
    (lrb.rmsprop, {"alpha": float("nan")}, "alpha"),
    (lrb.rmsprop, {"alpha": -0.1}, "alpha"),
    (lrb.rmsprop, {"eps": -1.0}, "eps"),
    (lrb.rmsprop, {"momentum": -0.9}, "momentum"),
    (lrb.rmsprop, {"weight_decay": -0.9}, "weight_decay"),
    (lrb.adam, {"betas": (1.0, 0.999)}, "betas"),
    (lrb.adam, {"betas": (0.9, -0.1)}, "betas"),
    (lrb.adam, {"betas": (0.9,)}, "betas"),
    (lrb.adam, {"eps": -1e-8}, "eps"),
    (lrb.adam, {"weight_decay": -0.1}, "weight_decay"),
    (lrb.adamw, {"betas": (0.9, 1.0)}, "betas"),
    (lrb.adamw, {"weight_decay": -0.01}, "weight_decay"),
    (lrb.adamw, {"lr": -1e-3}, "lr"),
]


@pytest.mark.parametrize(("factory", "kwargs", "name"), BAD)
def test_bad_arguments_raise_value_error_naming_them(factory, kwargs, name):
    with pytest.raises(ValueError, match=name):
        factory(**kwargs)


@pytest.mark.parametrize(
    ("factory", "kwargs", "name"),
    [
        (lrb.sgd, {"lr": "0.1"}, "lr"),
        (lrb.sgd, {"nesterov": 1}, "nesterov"),
        (lrb.rmsprop, {"centered": "yes"}, "centered"),
        (lrb.adam, {"amsgrad": None}, "amsgrad"),
    ],
)
def test_wrong_types_raise_type_error_naming_them(factory, kwargs, name):
    with pytest.raises(TypeError, match=name):
        factory(**kwargs)


def test_array_lr_must_broadcast_to_params():
    opt = lrb.adam(lr=np.full((4, 1), 0.1))
    with pytest.raises(ValueError, match="lr"):
        opt.init(np.zeros(2))  # would silently turn one trajectory into four
    with pytest.raises(ValueError, match="lr"):
        opt.init(np.zeros((3, 2)))
    opt.init(np.zeros((4, 2)))


def test_weight_decay_needs_params():
    opt = lrb.sgd(lr=0.1, weight_decay=0.1)
    g = np.ones(2)
    with pytest.raises(ValueError, match="params"):
        opt.update(g, opt.init(g))


def test_rmsprop_accepts_alpha_above_one_like_torch():
    # torch.optim.RMSprop checks only alpha >= 0; v_1 = (1 - alpha) g^2 < 0 for g != 0
    opt = lrb.rmsprop(lr=0.1, alpha=1.5, eps=1e-8)
    p = np.array([1.0, 1.0])
    with np.errstate(invalid="ignore"):
        u, state = opt.update(np.array([0.0, 2.0]), opt.init(p), p)
    assert u[0] == 0.0 and np.isnan(u[1])
    np.testing.assert_array_equal(state.square_avg, [0.0, -0.5 * 4.0])
    traj = lrb.run(lrb.rmsprop(lr=0.1, alpha=1.5), lrb.quadratic(), np.ones(2), steps=5)
    assert traj.diverged and traj.diverged_step == 1


@pytest.mark.parametrize("factory", [lrb.sgd, lrb.adagrad, lrb.rmsprop, lrb.adam, lrb.adamw])
def test_wrongly_shaped_grads_name_grads_and_both_shapes(factory):
    opt = factory(lr=0.1)
    params = np.zeros((3, 2))
    state = opt.init(params)
    with pytest.raises(
        ValueError,
        match=r"^grads must have the shape of params, \(3, 2\), "
        r"got grads of shape \(2,\)",
    ):
        opt.update(np.ones(2), state, params)
    with pytest.raises(ValueError, match=r"^grads .*\(3, 1\)"):
        opt.update(np.ones((3, 1)), state, params)
    if factory is not lrb.sgd:  # without params the state's buffers give the shape
        with pytest.raises(ValueError, match=r"^grads must have the shape of the optimizer state"):
            opt.update(np.ones(2), state)
