"""Record PyTorch's learning-rate schedulers as reference data for tests/test_schedules.py.

Run with a Python that has PyTorch (the tests themselves never import it):

    python tools/make_schedule_refs.py            # writes tests/data/schedule_refs.json

For every case the file stores the lrbook factory name, its keyword arguments, and the
lr that PyTorch reports (``get_last_lr()``) after t calls of ``scheduler.step()``, for
t = 0, 1, ..., n. ReduceLROnPlateau cases store a metric sequence and the lr after each
``scheduler.step(metric)``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import torch
from torch.optim import lr_scheduler as tl

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "schedule_refs.json"

# (lrbook name, lrbook kwargs, number of scheduler steps n)
SCHEDULE_CASES = [
    ("step_decay", dict(lr=0.1, step_size=3, gamma=0.5), 20),
    ("step_decay", dict(lr=1.0, step_size=1, gamma=0.1), 12),
    ("step_decay", dict(lr=0.05, step_size=7, gamma=0.9), 60),
    ("step_decay", dict(lr=0.3, step_size=4, gamma=1.0), 10),
    ("multistep_decay", dict(lr=0.1, milestones=[3, 7, 7, 12], gamma=0.5), 20),
    ("multistep_decay", dict(lr=1.0, milestones=[0, 5], gamma=0.1), 10),
    ("multistep_decay", dict(lr=0.2, milestones=[], gamma=0.1), 5),
    ("multistep_decay", dict(lr=0.7, milestones=[1, 1, 1, 2], gamma=0.3), 6),
    ("exponential_decay", dict(lr=0.1, decay_rate=0.05), 80),
    ("exponential_decay", dict(lr=2.0, decay_rate=1.0), 30),
    ("exponential_decay", dict(lr=1.0, decay_rate=0.0), 5),
    ("cosine_annealing", dict(lr=0.1, total_steps=10, min_lr=0.0), 10),
    ("cosine_annealing", dict(lr=0.1, total_steps=50, min_lr=0.001), 50),
    ("cosine_annealing", dict(lr=1.0, total_steps=7, min_lr=0.2), 7),
    ("cosine_annealing", dict(lr=0.5, total_steps=1, min_lr=0.0), 1),
    ("cosine_warm_restarts", dict(lr=0.1, T_0=5, T_mult=1, min_lr=0.0), 23),
    ("cosine_warm_restarts", dict(lr=0.1, T_0=3, T_mult=2, min_lr=0.01), 60),
    ("cosine_warm_restarts", dict(lr=1.0, T_0=1, T_mult=3, min_lr=0.0), 60),
    ("cosine_warm_restarts", dict(lr=1.0, T_0=1, T_mult=1, min_lr=0.1), 6),
    ("cosine_warm_restarts", dict(lr=0.4, T_0=7, T_mult=2, min_lr=0.05), 120),
    ("one_cycle", dict(max_lr=0.1, total_steps=100), 100),
    ("one_cycle", dict(max_lr=1.0, total_steps=50, pct_start=0.25, anneal_strategy="linear"), 50),
    ("one_cycle", dict(max_lr=0.5, total_steps=60, three_phase=True), 60),
    (
        "one_cycle",
        dict(max_lr=0.5, total_steps=40, pct_start=0.4, anneal_strategy="linear", three_phase=True),
        40,
    ),
    ("one_cycle", dict(max_lr=2.0, total_steps=20, pct_start=0.5, three_phase=True), 20),
    (
        "one_cycle",
        dict(max_lr=1.0, total_steps=7, pct_start=0.3, div_factor=10.0, final_div_factor=100.0),
        7,
    ),
    ("one_cycle", dict(max_lr=1.0, total_steps=10, pct_start=0.05), 10),
    ("one_cycle", dict(max_lr=1.0, total_steps=2), 2),
    ("one_cycle", dict(max_lr=1.0, total_steps=1), 1),
    ("cyclic", dict(base_lr=0.001, max_lr=0.01, step_size_up=4), 40),
    ("cyclic", dict(base_lr=0.001, max_lr=0.01, step_size_up=6, step_size_down=2), 40),
    (
        "cyclic",
        dict(base_lr=0.01, max_lr=0.1, step_size_up=3, step_size_down=5, mode="triangular2"),
        60,
    ),
    ("cyclic", dict(base_lr=0.0, max_lr=1.0, step_size_up=2, mode="triangular2"), 20),
    ("cyclic", dict(base_lr=0.01, max_lr=0.1, step_size_up=5, mode="exp_range", gamma=0.97), 60),
    (
        "cyclic",
        dict(
            base_lr=0.02,
            max_lr=0.2,
            step_size_up=4,
            step_size_down=7,
            mode="exp_range",
            gamma=0.99,
        ),
        60,
    ),
    ("cyclic", dict(base_lr=0.1, max_lr=0.5, step_size_up=1, step_size_down=1), 10),
    ("cyclic", dict(base_lr=0.5, max_lr=0.1, step_size_up=3), 15),
]


def torch_scheduler(name: str, kw: dict, opt: torch.optim.Optimizer) -> tl.LRScheduler:
    """The PyTorch scheduler that the lrbook schedule ``name(**kw)`` mirrors."""
    if name == "step_decay":
        return tl.StepLR(opt, step_size=kw["step_size"], gamma=kw["gamma"])
    if name == "multistep_decay":
        return tl.MultiStepLR(opt, milestones=kw["milestones"], gamma=kw["gamma"])
    if name == "exponential_decay":
        return tl.ExponentialLR(opt, gamma=math.exp(-kw["decay_rate"]))
    if name == "cosine_annealing":
        return tl.CosineAnnealingLR(opt, T_max=kw["total_steps"], eta_min=kw["min_lr"])
    if name == "cosine_warm_restarts":
        return tl.CosineAnnealingWarmRestarts(
            opt, T_0=kw["T_0"], T_mult=kw["T_mult"], eta_min=kw["min_lr"]
        )
    if name == "one_cycle":
        return tl.OneCycleLR(
            opt,
            max_lr=kw["max_lr"],
            total_steps=kw["total_steps"],
            pct_start=kw.get("pct_start", 0.3),
            anneal_strategy=kw.get("anneal_strategy", "cos"),
            div_factor=kw.get("div_factor", 25.0),
            final_div_factor=kw.get("final_div_factor", 1e4),
            three_phase=kw.get("three_phase", False),
            cycle_momentum=False,
        )
    if name == "cyclic":
        return tl.CyclicLR(
            opt,
            base_lr=kw["base_lr"],
            max_lr=kw["max_lr"],
            step_size_up=kw["step_size_up"],
            step_size_down=kw.get("step_size_down"),
            mode=kw.get("mode", "triangular"),
            gamma=kw.get("gamma", 1.0),
            cycle_momentum=False,
        )
    raise KeyError(name)


def record_schedule(name: str, kw: dict, n: int) -> list[float]:
    param = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    # CyclicLR and OneCycleLR overwrite the optimizer's lr; the others start from it.
    opt = torch.optim.SGD([param], lr=kw.get("lr", 1.0))
    sched = torch_scheduler(name, kw, opt)
    lrs = [float(sched.get_last_lr()[0])]
    for _ in range(n):
        opt.step()
        sched.step()
        lrs.append(float(sched.get_last_lr()[0]))
    return lrs


def plateau_cases() -> list[tuple[dict, list[float]]]:
    """(lrbook kwargs, metric sequence) pairs covering every branch of the plateau rule."""
    rng = np.random.default_rng(0)
    noisy = (np.exp(-np.arange(150) / 20) + 0.05 * rng.standard_normal(150)).round(6).tolist()
    flat_then_down = [10, 9, 8, 8, 8, 8, 7.9999, 8, 8, 8, 8, 7, 7, 7, 7, 7, 7, 6, 6, 6, 6]
    rel_steps = [1.0, 0.95, 0.92, 0.91, 0.89, 0.89, 0.85, 0.8, 0.79, 0.7, 0.7, 0.7, 0.7, 0.7]
    rising = [0.1, 0.2, 0.25, 0.25, 0.251, 0.25, 0.3, 0.3, 0.3, 0.3, 0.31, 0.3, 0.3, 0.3]
    negative = [-1.0, -0.9, -0.95, -0.5, -0.5, -0.5, -0.4, -0.45, -0.45, -0.45, -0.45]
    with_nan = [3.0, 2.0, float("nan"), 2.5, 1.0, float("nan"), float("nan"), 1.0, 0.5]
    return [
        (dict(lr=1.0, factor=0.5, patience=2), flat_then_down),
        (dict(lr=1.0, factor=0.5, patience=0), flat_then_down),
        (dict(lr=0.1, factor=0.1, patience=1, threshold=0.05), rel_steps),
        (dict(lr=0.1, factor=0.5, patience=1, threshold=0.05, threshold_mode="abs"), rel_steps),
        (dict(lr=0.1, mode="max", factor=0.5, patience=1), rising),
        (dict(lr=0.1, mode="max", factor=0.5, patience=1, threshold=0.02), rising),
        (
            dict(lr=0.1, mode="max", factor=0.5, patience=0, threshold=0.01, threshold_mode="abs"),
            rising,
        ),
        (dict(lr=0.1, mode="max", factor=0.5, patience=1, threshold=0.1), negative),
        (dict(lr=0.1, mode="min", factor=0.5, patience=1, threshold=0.1), negative),
        (dict(lr=1.0, factor=0.5, patience=0, cooldown=2), flat_then_down),
        (dict(lr=1.0, factor=0.1, patience=0, cooldown=3, min_lr=0.05), [1.0] * 25),
        (dict(lr=1.0, factor=0.1, patience=0, min_lr=0.05), [1.0] * 10),
        (dict(lr=1e-7, factor=0.5, patience=0, eps=1e-7), [1.0] * 6),
        (dict(lr=1e-6, factor=0.5, patience=0), [1.0] * 12),
        (dict(lr=1.0, factor=0.5, patience=0, eps=0.2), [1.0] * 8),
        (dict(lr=1.0, factor=0.5, patience=0, eps=0.25), [1.0] * 6),
        (dict(lr=1.0, factor=0.5, patience=1), with_nan),
        (dict(lr=0.3, factor=0.7, patience=3, cooldown=1, threshold=0.01), noisy),
        (
            dict(lr=0.3, factor=0.5, patience=2, cooldown=2, threshold=0.02, threshold_mode="abs"),
            noisy,
        ),
        (dict(lr=0.3, factor=0.2, patience=4, min_lr=0.001, eps=0.0), noisy),
        (dict(lr=0.1), noisy),
    ]


def record_plateau(kw: dict, metrics: list[float]) -> list[float]:
    param = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([param], lr=kw["lr"])
    sched = tl.ReduceLROnPlateau(opt, **{k: v for k, v in kw.items() if k != "lr"})
    lrs = []
    for m in metrics:
        opt.step()
        sched.step(m)
        lrs.append(float(sched.get_last_lr()[0]))
    return lrs


def main() -> None:
    schedules = [
        {"name": name, "kwargs": kw, "lrs": record_schedule(name, kw, n)}
        for name, kw, n in SCHEDULE_CASES
    ]
    plateaus = [
        {"kwargs": kw, "metrics": metrics, "lrs": record_plateau(kw, metrics)}
        for kw, metrics in plateau_cases()
    ]
    lines = [
        "{",
        f'"torch_version": {json.dumps(torch.__version__)},',
        '"schedules": [',
        ",\n".join(json.dumps(case) for case in schedules),
        "],",
        '"plateau": [',
        ",\n".join(json.dumps(case) for case in plateaus),
        "]",
        "}",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {len(schedules)} schedule and {len(plateaus)} plateau cases to {OUT}")


if __name__ == "__main__":
    main()
