"""Time a 256-learning-rate Adam sweep on Rosenbrock: ``lrb.run`` against bare numpy.

    python benchmarks/sweep.py [--repeats 15]

Both sides do the same work: 500 Adam steps for 256 trajectories at once, recording the
parameters and the loss of every step. The bare-numpy loop is the straightforward
hand-written version (no divergence handling); ``lrb.run`` adds its divergence bound and
freezing. The script checks that both give the same trajectories and prints the median
time of each and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import lrbook as lrb

K, STEPS = 256, 500
A, B = 1.0, 100.0
BETA1, BETA2, EPS = 0.9, 0.999, 1e-8


def bare_numpy(lrs: np.ndarray, x0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Adam on Rosenbrock written out in numpy, recording params and losses."""
    params = np.empty((STEPS + 1,) + x0.shape)
    losses = np.empty((STEPS + 1, x0.shape[0]))
    x = x0.copy()
    m = np.zeros_like(x)
    v = np.zeros_like(x)
    params[0] = x
    losses[0] = (A - x[:, 0]) ** 2 + B * (x[:, 1] - x[:, 0] ** 2) ** 2
    with np.errstate(all="ignore"):
        for t in range(1, STEPS + 1):
            u, w = x[:, 0], x[:, 1]
            r = w - u * u
            g = np.empty_like(x)
            g[:, 0] = -2 * (A - u) - 4 * B * u * r
            g[:, 1] = 2 * B * r
            m = BETA1 * m + (1 - BETA1) * g
            v = BETA2 * v + (1 - BETA2) * g * g
            denom = np.sqrt(v) / (1 - BETA2**t) ** 0.5 + EPS
            x = x + -(lrs / (1 - BETA1**t)) * m / denom
            params[t] = x
            losses[t] = (A - x[:, 0]) ** 2 + B * (x[:, 1] - x[:, 0] ** 2) ** 2
    return params, losses


def with_lrbook(lrs: np.ndarray, x0: np.ndarray) -> lrb.Trajectory:
    return lrb.run(lrb.adam(lr=lrs, betas=(BETA1, BETA2), eps=EPS), lrb.rosenbrock(A, B), x0, STEPS)


def median_times(fns, repeats: int) -> list[float]:
    """Median wall time of each function; the runs are interleaved so that a change in
    machine load affects all of them alike."""
    times = [[] for _ in fns]
    for _ in range(repeats):
        for fn, ts in zip(fns, times, strict=True):
            t = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t)
    return [statistics.median(ts) for ts in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    repeats = parser.parse_args().repeats

    lrs = np.geomspace(1e-4, 1.0, K)[:, None]
    x0 = np.tile([-1.5, 2.0], (K, 1))

    params, losses = bare_numpy(lrs, x0)
    traj = with_lrbook(lrs, x0)
    assert not traj.diverged.any()
    np.testing.assert_allclose(traj.params, params, rtol=1e-12)
    np.testing.assert_allclose(traj.losses, losses, rtol=1e-12)

    t_numpy, t_lrbook = median_times(
        [lambda: bare_numpy(lrs, x0), lambda: with_lrbook(lrs, x0)], repeats
    )
    print(f"{K} learning rates x {STEPS} Adam steps on Rosenbrock (median of {repeats} runs)")
    print(f"bare numpy : {1e3 * t_numpy:8.2f} ms")
    print(f"lrb.run    : {1e3 * t_lrbook:8.2f} ms")
    print(f"ratio      : {t_lrbook / t_numpy:8.2f}x")


if __name__ == "__main__":
    main()
