"""Time the live explorers: one control change against redrawing the same figure from scratch.

    python benchmarks/widgets.py [--values 15] [--repeats 2]

For each explorer of :mod:`lrbook.widgets` (Agg backend, no notebook), the script sets
``.value`` on its main control over a grid of values, as a reader dragging the slider
would, and times each change until the widget holds the new PNG (the experiment rerun by
the core, the figure updated in place, the image encoded). Next to it, for the same value,
it times the "bare redraw": the same figure drawn by the pure plotting functions alone
from already computed data (:func:`lrbook.plotting.plot_landscape`,
:func:`~lrbook.plotting.plot_losses`, ...) and rendered to PNG. The two are interleaved so
that a change in machine load affects both alike.

Targets: a median update of at most 50 ms, and at most 1.5 times the bare redraw. Both
are rendered at the explorers' 2x pixel density.
Medians of wall time are reported, and of process CPU time (less sensitive to other
programs sharing the machine).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import lrbook as lrb  # noqa: E402
from lrbook import demos  # noqa: E402
from lrbook import plotting as lp  # noqa: E402
from lrbook import widgets as lw  # noqa: E402

TARGET_MS, TARGET_RATIO = 50.0, 1.5


def png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=2 * fig.dpi)  # the explorers draw at 2x
    return buffer.getvalue()


def two_panels():
    with lp.style():
        fig, axes = plt.subplots(1, 2, figsize=lp.WIDE, layout="constrained")
    plt.close(fig)
    return axes


# ---------------------------------------------------------------------------------------
# bare redraws: the same figure from precomputed data, plotting functions only


def step_size_data(explorer: lw.Explorer) -> dict[str, Any]:
    live = explorer.live
    c = live.controls
    traj = lrb.run(lrb.sgd(lr=c["lr"]), live.f, live.x0, c["steps"])
    return {"f": live.f, "traj": traj, "dim": live.dim}


def step_size_bare(data: dict[str, Any]) -> bytes:
    left, right = two_panels()
    if data["dim"] == 1:
        lp.plot_landscape_1d(data["f"], data["traj"], xlim=(-1.6, 1.6), ax=left)
    else:
        lp.plot_landscape(data["f"], data["traj"], xlim=(-2.6, 2.6), ylim=(-1.4, 1.4), ax=left)
    lp.plot_losses(data["traj"], ax=right)
    return png(left.figure)


def optimizer_data(explorer: lw.Explorer) -> dict[str, Any]:
    live = explorer.live
    c = live.controls
    runs = {}
    for name in c["optimizers"]:
        opt = demos.RACE_OPTIMIZERS[name].make(
            c["lr"], momentum=c["momentum"], beta1=c["beta1"], beta2=c["beta2"]
        )
        runs[name] = lrb.run(opt, live.f, live.x0, c["steps"])
    return {"f": live.f, "box": live.box, "runs": runs}


def optimizer_bare(data: dict[str, Any]) -> bytes:
    left, right = two_panels()
    runs = data["runs"]
    (x0, x1), (y0, y1) = data["box"]
    lp.plot_landscape(
        data["f"],
        list(runs.values()),
        list(runs),
        xlim=(x0, x1),
        ylim=(y0, y1),
        arrows=False,
        ax=left,
    )
    lp.plot_losses(runs, ax=right)
    return png(left.figure)


def schedule_data(explorer: lw.Explorer) -> dict[str, Any]:
    live = explorer.live
    c = live.controls
    schedule = demos.make_schedule(
        c["schedule"], c["lr"], c["warmup_steps"], c["step_size"], c["gamma"], live.steps
    )
    train = {
        "상수 η (비교)": demos.schedule_run(c["lr"], live.steps),
        "스케줄": demos.schedule_run(schedule, live.steps),
    }
    return {"schedule": schedule, "steps": live.steps, "train": train}


def schedule_bare(data: dict[str, Any]) -> bytes:
    left, right = two_panels()
    lp.plot_schedules({"스케줄": data["schedule"]}, data["steps"], ax=left)
    lp.plot_losses(data["train"], ax=right)
    return png(left.figure)


def finder_data(explorer: lw.Explorer) -> dict[str, Any]:
    return {"res": explorer.live.result}


def finder_bare(data: dict[str, Any]) -> bytes:
    res = data["res"]
    return png(lp.plot_lr_finder(res.lrs, res.losses, res.smoothed, res.suggestions))


def training_data(explorer: lw.Explorer) -> dict[str, Any]:
    live = explorer.live
    h = live.histories[live.controls["optimizer"]]
    return {"h": h, "k": live.index, "grid": live.grid}


def training_bare(data: dict[str, Any]) -> bytes:
    with lp.style():
        fig, (left, middle, right) = plt.subplots(1, 3, figsize=(10.5, 3.8), layout="constrained")
    plt.close(fig)
    h, k = data["h"], data["k"]
    lp.plot_losses({"학습 손실": h.train_loss[:, k], "검증 손실": h.val_loss[:, k]}, ax=left)
    lp.plot_losses({"검증 정확도": 100 * h.val_acc[:, k]}, logy=False, ax=middle)
    lp.plot_lr_sweep(data["grid"], 1 - h.val_acc[-1], diverged=h.diverged, ax=right)
    return png(fig)


# ---------------------------------------------------------------------------------------
# the benchmark


CASES: list[tuple[str, Callable[[], lw.Explorer], str, Callable, Callable]] = [
    (
        "step_size_explorer(dim=1)",
        lambda: lw.step_size_explorer(dim=1),
        "lr",
        step_size_data,
        step_size_bare,
    ),
    (
        "step_size_explorer(dim=2)",
        lambda: lw.step_size_explorer(dim=2),
        "lr",
        step_size_data,
        step_size_bare,
    ),
    ("optimizer_explorer()", lambda: lw.optimizer_explorer(), "lr", optimizer_data, optimizer_bare),
    ("schedule_explorer()", lambda: lw.schedule_explorer(), "lr", schedule_data, schedule_bare),
    ("lr_finder_explorer()", lambda: lw.lr_finder_explorer(), "beta", finder_data, finder_bare),
    ("training_explorer()", lambda: lw.training_explorer(), "lr", training_data, training_bare),
]


def grid(widget, n: int) -> list[float]:
    """``n`` values over the control's range (log-spaced for a log slider)."""
    if hasattr(widget, "_options_values"):  # a slider over fixed values: spread over them
        options = list(widget._options_values)
        return [options[i] for i in np.linspace(0, len(options) - 1, n).round().astype(int)]
    if hasattr(widget, "base"):
        return list(widget.base ** np.linspace(widget.min, widget.max, n))
    return list(np.linspace(widget.min, widget.max, n))


def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """Wall and CPU milliseconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return 1e3 * (time.perf_counter() - wall), 1e3 * (time.process_time() - cpu)


def measure(case, n_values: int, repeats: int) -> dict[str, float]:
    name, make, control, data_of, bare = case
    explorer = make()
    widget = explorer.controls[control]
    values = grid(widget, n_values)
    update, redraw = [], []
    for _ in range(repeats):
        for value in values:
            update.append(timed(lambda v=value: setattr(widget, "value", v)))
            data = data_of(explorer)
            redraw.append(timed(lambda d=data: bare(d)))
    med = {
        "update_wall": statistics.median(u[0] for u in update),
        "update_cpu": statistics.median(u[1] for u in update),
        "bare_wall": statistics.median(r[0] for r in redraw),
        "bare_cpu": statistics.median(r[1] for r in redraw),
        "n": len(update),
    }
    med["ratio"] = med["update_wall"] / med["bare_wall"]
    return med


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=15, help="control values per explorer")
    parser.add_argument("--repeats", type=int, default=2, help="passes over the values")
    args = parser.parse_args()

    header = (
        f"{'explorer':28} {'control':8} {'n':>4} {'update ms':>10} {'(cpu)':>7} "
        f"{'bare ms':>8} {'(cpu)':>7} {'ratio':>6}  targets (<= 50 ms, <= 1.5x)"
    )
    print(header)
    print("-" * len(header))
    for case in CASES:
        r = measure(case, args.values, args.repeats)
        ok = " / ".join(
            [
                "wall " + ("ok" if r["update_wall"] <= TARGET_MS else "over"),
                "cpu " + ("ok" if r["update_cpu"] <= TARGET_MS else "over"),
                "ratio " + ("ok" if r["ratio"] <= TARGET_RATIO else "over"),
            ]
        )
        print(
            f"{case[0]:28} {case[2]:8} {r['n']:>4} {r['update_wall']:>10.1f} "
            f"{r['update_cpu']:>7.1f} {r['bare_wall']:>8.1f} {r['bare_cpu']:>7.1f} "
            f"{r['ratio']:>6.2f}  {ok}"
        )
    print(
        f"\nupdate: set .value on the control until the image holds the new PNG; bare: the "
        f"same figure from precomputed data by the plot_* functions, rendered to PNG.\n"
        f"targets: median update <= {TARGET_MS:.0f} ms and <= {TARGET_RATIO}x the bare redraw."
    )


if __name__ == "__main__":
    main()
