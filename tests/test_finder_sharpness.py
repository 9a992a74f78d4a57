"""Sharpness tracking inside the LR range test: lambda_max along the test, and eta * lambda = 2."""

import functools

import numpy as np
import pytest

import lrbook as lrb

H = np.array([1.0, 10.0])  # diag Hessian: lambda_max = 10, GD is stable for lr < 2 / 10 = 0.2


def noisy_bowl(x, xi):
    """0.5 (x - xi)^T diag(1, 10) (x - xi): every minibatch has the same Hessian diag(1, 10)."""
    return 0.5 * np.sum(H * (x - xi) ** 2), H * (x - xi)


def noise(seed):
    return 0.1 * np.random.default_rng(seed).standard_normal((100, 2))


def test_without_tracking_nothing_is_measured():
    res = lrb.lr_find(noisy_bowl, np.ones(2), batches=noise(0))
    assert res.sharpness_steps.shape == (0,) and res.sharpness.shape == (0,)


@pytest.mark.parametrize("every", [1, 7])
def test_tracked_sharpness_is_the_known_lambda_max(every):
    res = lrb.lr_find(noisy_bowl, np.ones(2), batches=noise(0), track_sharpness=every)
    n = res.lrs.size
    # iterations 0, k, 2k, ... plus the last one recorded (where the test stopped)
    expected = sorted(set(range(0, n, every)) | {n - 1})
    assert res.sharpness_steps.tolist() == expected
    np.testing.assert_allclose(res.sharpness, 10.0, rtol=1e-6)


@pytest.mark.parametrize("seed", range(5))
def test_the_loss_blows_up_where_lr_times_sharpness_crosses_two(seed):
    res = lrb.lr_find(noisy_bowl, np.ones(2), batches=noise(seed), track_sharpness=1)
    product = res.lrs[res.sharpness_steps] * res.sharpness
    cross = int(np.argmax(product >= 2.0))  # first iteration with lr * lambda >= 2
    # the grid grows 10 ** 0.08 = 1.2x per iteration: lr 0.174 then 0.209 straddle 0.2
    assert res.lrs[cross - 1] < 0.2 <= res.lrs[cross]
    # the loss turns within a few iterations of the crossing (the unstable mode grows by
    # |1 - lr * 10| per step, from noise size), and the test stops soon after it
    turn = int(np.argmin(res.losses))
    assert cross - 5 <= turn <= cross + 4
    assert res.stopped_early and cross < res.lrs.size - 1 <= cross + 8
    assert res.losses[-1] > 1000 * res.losses[turn]


def test_momentum_moves_the_edge_to_two_one_plus_beta():
    # heavy ball with beta = 0.5 is stable for lr * lambda < 2 (1 + beta) = 3: lr < 0.3
    opt = functools.partial(lrb.sgd, momentum=0.5)
    res = lrb.lr_find(noisy_bowl, np.ones(2), optimizer=opt, batches=noise(1), track_sharpness=1)
    np.testing.assert_allclose(res.sharpness, 10.0, rtol=1e-6)
    turn = int(np.argmin(res.losses))
    assert 0.2 < res.lrs[turn + 3] and res.lrs[turn - 5] < 0.3 < res.lrs[-1]


def test_sharpness_batch_is_used_and_params_are_the_current_ones():
    seen = []

    def scaled_bowl(x, batch):
        c = 1.0 if batch is None else batch  # the batch scales the Hessian: c * diag(1, 10)
        seen.append(c)
        return 0.5 * c * np.sum(H * x**2), c * H * x

    res = lrb.lr_find(
        scaled_bowl,
        np.ones(2),
        batches=lambda i: 1.0,
        num_it=30,
        track_sharpness=10,
        sharpness_batch=3.0,
    )
    np.testing.assert_allclose(res.sharpness, 30.0, rtol=1e-6)
    assert 3.0 in seen
    # on the network the sharpness changes along the test; each value is that at the point
    net = lrb.MLP(n_inputs=3, n_outputs=2, width=4)
    X = np.random.default_rng(0).standard_normal((16, 3))
    y = np.arange(16) % 2
    res = lrb.lr_find(
        net,
        net.init(seed=0),
        batches=lambda i: (X, y),
        num_it=12,
        end_lr=1.0,
        diverge_th=None,
        track_sharpness=11,
    )
    assert res.sharpness_steps.tolist() == [0, 11]
    start = lrb.top_hessian_eigenvalue(net, net.init(seed=0), (X, y), iters=20).value
    np.testing.assert_allclose(res.sharpness[0], start, rtol=1e-6)


def test_bad_track_sharpness():
    with pytest.raises(ValueError, match="track_sharpness"):
        lrb.lr_find(noisy_bowl, np.ones(2), batches=noise(0), track_sharpness=0)
    with pytest.raises(TypeError, match="track_sharpness"):
        lrb.lr_find(noisy_bowl, np.ones(2), batches=noise(0), track_sharpness=2.5)
