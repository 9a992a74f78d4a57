"""Generate PyTorch reference trajectories for tests/test_optimizers.py.

Run with a Python that has PyTorch (the test suite itself never imports torch)::

    python tools/make_optimizer_refs.py

For every optimizer and a grid over every option combination ``torch.optim`` accepts,
the script runs ``STEPS`` float64 steps of the single-tensor (``foreach=False``) path on
the smooth, non-quadratic objective of :func:`ref_grad`, whose gradient is computed in
numpy (the test computes it the same way at its own parameters). It stores, in
``tests/data/optimizer_refs.npz``, a JSON list of the configurations, the constants of
the objective (``x0``, ``A``, ``B``, ``C``) and one array of shape ``(STEPS + 1, DIM)``
per configuration.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import torch

STEPS = 60
DIM = 3
X0 = np.array([1.5, -2.0, 0.75])
A = np.array([[1.0, 0.5, 0.0], [-0.3, 1.2, 0.4], [0.2, 0.0, 0.8]])
B = np.array([0.3, -0.5, 1.0])
C = np.array([0.5, 0.8, -0.4])
OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "optimizer_refs.npz"


def ref_grad(p: np.ndarray) -> np.ndarray:
    """Gradient of f(p) = sum(log cosh(A p - B)) + 0.1 * sum((p - C)^4) / 4."""
    return A.T @ np.tanh(A @ p - B) + 0.1 * (p - C) ** 3


def ref_schedule(step: int) -> float:
    """A per-step lr multiplier that changes every step (not monotone)."""
    return 0.97**step * (1.0 + 0.5 * math.sin(0.7 * step))


def configs() -> list[dict]:
    """Every optimizer with a grid over its options (only combinations torch accepts)."""
    out = []
    for mom, damp, nest, wd in itertools.product((0.0, 0.9), (0.0, 0.5), (False, True), (0.0, 0.1)):
        if nest and (mom == 0 or damp != 0):
            continue
        kw = {"lr": 0.05, "momentum": mom, "dampening": damp, "nesterov": nest, "weight_decay": wd}
        out.append({"name": "sgd", "kwargs": kw, "schedule": False})
    for decay, init, wd in itertools.product((0.0, 0.05), (0.0, 0.5), (0.0, 0.1)):
        kw = {"lr": 0.3, "lr_decay": decay, "initial_accumulator_value": init, "weight_decay": wd}
        out.append({"name": "adagrad", "kwargs": kw, "schedule": False})
    out.append({"name": "adagrad", "kwargs": {"lr": 0.3, "eps": 0.1}, "schedule": False})
    for centered, mom, wd in itertools.product((False, True), (0.0, 0.5), (0.0, 0.1)):
        kw = {"lr": 0.01, "centered": centered, "momentum": mom, "weight_decay": wd}
        out.append({"name": "rmsprop", "kwargs": kw, "schedule": False})
    out.append(
        {"name": "rmsprop", "kwargs": {"lr": 0.01, "alpha": 0.9, "eps": 1e-3}, "schedule": False}
    )
    for name in ("adam", "adamw"):
        for ams, wd, betas in itertools.product(
            (False, True), (0.0, 0.1), ((0.9, 0.999), (0.5, 0.9))
        ):
            kw = {"lr": 0.05, "amsgrad": ams, "weight_decay": wd, "betas": list(betas)}
            out.append({"name": name, "kwargs": kw, "schedule": False})
        out.append({"name": name, "kwargs": {"lr": 0.05, "eps": 0.01}, "schedule": False})
    out.append(
        {
            "name": "sgd",
            "kwargs": {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1},
            "schedule": True,
        }
    )
    out.append(
        {
            "name": "adam",
            "kwargs": {"lr": 0.05, "amsgrad": True, "weight_decay": 0.1},
            "schedule": True,
        }
    )
    out.append({"name": "adamw", "kwargs": {"lr": 0.05, "weight_decay": 0.5}, "schedule": True})
    out.append({"name": "adagrad", "kwargs": {"lr": 0.3, "lr_decay": 0.05}, "schedule": True})
    out.append(
        {
            "name": "rmsprop",
            "kwargs": {"lr": 0.01, "centered": True, "momentum": 0.5},
            "schedule": True,
        }
    )
    return out


TORCH = {
    "sgd": torch.optim.SGD,
    "adagrad": torch.optim.Adagrad,
    "rmsprop": torch.optim.RMSprop,
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
}


def trajectory(cfg: dict) -> np.ndarray:
    """Run torch.optim for STEPS steps with numpy gradients; return (STEPS + 1, DIM)."""
    kw = dict(cfg["kwargs"])
    if "betas" in kw:
        kw["betas"] = tuple(kw["betas"])
    base_lr = kw["lr"]
    p = torch.tensor(X0, dtype=torch.float64, requires_grad=True)
    opt = TORCH[cfg["name"]]([p], foreach=False, **kw)
    out = [p.detach().numpy().copy()]
    for t in range(STEPS):
        if cfg["schedule"]:
            opt.param_groups[0]["lr"] = base_lr * ref_schedule(t)
        p.grad = torch.from_numpy(ref_grad(p.detach().numpy().copy()))
        opt.step()
        out.append(p.detach().numpy().copy())
    return np.array(out)


def main() -> None:
    torch.set_default_dtype(torch.float64)
    cfgs = configs()
    arrays = {f"traj_{i}": trajectory(c) for i, c in enumerate(cfgs)}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        OUT,
        configs=np.array(json.dumps(cfgs)),
        torch_version=np.array(torch.__version__),
        x0=X0,
        A=A,
        B=B,
        C=C,
        **arrays,
    )
    print(f"wrote {len(cfgs)} trajectories of {STEPS} steps to {OUT}")


if __name__ == "__main__":
    main()
