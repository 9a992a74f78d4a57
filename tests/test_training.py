"""Training loop: hand-computed steps, recorded lrs, ReduceLROnPlateau timing, divergence."""

import functools
import warnings

import numpy as np
import pytest

import lrbook as lrb

# y = 2 x + 1 - ish data for the hand computations: X = [[1], [2]], y = [1, 3]
X2, Y2 = np.array([[1.0], [2.0]]), np.array([1.0, 3.0])


def test_linear_regression_sgd_by_hand():
    # loss = mean((w x + b - y)^2), grads (2/n) sum r x and (2/n) sum r, lr 0.1, full batch.
    # step 0: (w, b) = (0, 0), r = (-1, -3), loss 5,     grads (-7, -4)    -> (0.7, 0.4)
    # step 1: r = (0.1, -1.2),                loss 0.725, grads (-2.3, -1.1) -> (0.93, 0.51)
    # end:    r = (0.44, -0.63),              loss (0.1936 + 0.3969) / 2 = 0.29525
    hist = lrb.train(
        lrb.LinearRegression(1), np.zeros(2), lrb.sgd, (X2, Y2), lr=0.1, epochs=2, batch_size=None
    )
    np.testing.assert_allclose(hist.losses, [5.0, 0.725], rtol=1e-14)
    np.testing.assert_allclose(hist.train_loss, [5.0, 0.725, 0.29525], rtol=1e-13)
    np.testing.assert_allclose(hist.params, [0.93, 0.51], rtol=1e-14)
    np.testing.assert_array_equal(hist.lrs, [0.1, 0.1])
    assert hist.steps_per_epoch == 1 and hist.val_loss is None and hist.train_acc is None
    assert not hist.diverged and hist.diverged_step == -1


def test_minibatch_sgd_matches_a_manual_loop():
    X, y = lrb.make_regression(n_samples=30, n_features=2, noise=0.3, seed=1)
    model = lrb.LinearRegression(2)
    hist = lrb.train(model, np.zeros(3), lrb.sgd, (X, y), lr=0.05, epochs=3, batch_size=8, seed=4)
    p, losses = np.zeros(3), []
    for epoch in range(3):
        for batch in lrb.minibatches(X, y, 8, seed=4, epoch=epoch):
            Xb, yb = batch
            r = Xb @ p[:2] + p[2] - yb  # the gradient written out, not the model's
            losses.append(np.mean(r**2))
            p = p - 0.05 * np.r_[2 * Xb.T @ r, 2 * r.sum()] / len(yb)
    assert hist.steps_per_epoch == 4 and hist.losses.shape == (12,)
    np.testing.assert_allclose(hist.losses, losses, rtol=1e-12)
    np.testing.assert_allclose(hist.params, p, rtol=1e-12)
    np.testing.assert_array_equal(hist.epoch_steps, [0, 4, 8, 12])


def test_recorded_lr_equals_the_schedule_and_is_the_one_used():
    X, y = lrb.make_regression(n_samples=20, n_features=1, noise=0.1, seed=2)
    schedule = lrb.step_decay(0.2, step_size=3, gamma=0.5)
    hist = lrb.train(
        lrb.LinearRegression(1), np.zeros(2), lrb.sgd, (X, y), lr=schedule, epochs=4, batch_size=10
    )
    t = np.arange(8)
    np.testing.assert_allclose(hist.lrs, 0.2 * 0.5 ** (t // 3), rtol=1e-15)
    # the same steps by hand with those lrs
    p = np.zeros(2)
    for step, (Xb, yb) in enumerate(
        b for e in range(4) for b in lrb.minibatches(X, y, 10, seed=0, epoch=e)
    ):
        r = Xb[:, 0] * p[0] + p[1] - yb
        p = p - 0.2 * 0.5 ** (step // 3) * np.r_[2 * Xb[:, 0] @ r, 2 * r.sum()] / 10
    np.testing.assert_allclose(hist.params, p, rtol=1e-12)


def test_lr_sweep_in_one_pass_equals_separate_runs():
    data = lrb.train_val_split(*lrb.make_spirals(n_per_class=30, seed=0), seed=0)
    net = lrb.MLP(2, 3, width=8, depth=1, activation="tanh")
    p0 = net.init(seed=1)
    lrs = np.array([0.01, 0.3, 1e4])
    sweep = lrb.train(
        net, p0, lrb.sgd, data.train, data.val, lr=lrs, epochs=3, batch_size=16, max_loss=1e3
    )
    assert sweep.losses.shape == (3 * sweep.steps_per_epoch, 3)
    assert sweep.val_acc.shape == (4, 3) and sweep.params.shape == (3, net.n_params)
    for k, lr in enumerate(lrs):
        single = lrb.train(
            net, p0, lrb.sgd, data.train, data.val, lr=lr, epochs=3, batch_size=16, max_loss=1e3
        )
        np.testing.assert_allclose(sweep.losses[:, k], single.losses, rtol=1e-10)
        np.testing.assert_allclose(sweep.val_loss[:, k], single.val_loss, rtol=1e-10)
        np.testing.assert_allclose(sweep.train_acc[:, k], single.train_acc, rtol=1e-12)
        np.testing.assert_allclose(sweep.params[k], single.params, rtol=1e-10)
        assert sweep.diverged[k] == single.diverged
        assert sweep.diverged_step[k] == single.diverged_step
    assert sweep.diverged.tolist() == [False, False, True]
    step = sweep.diverged_step[2]
    assert np.isfinite(sweep.losses[step, 2]) and np.all(np.isnan(sweep.losses[step + 1 :, 2]))


def test_reduce_lr_on_plateau_cuts_at_the_right_epoch():
    class Probe:
        """Quadratic 0.5 |p|^2 on training data; the validation loss is stuck at 1."""

        def loss_and_grad(self, p, batch):
            return 0.5 * np.sum(p**2, axis=-1), p

        def loss(self, p, batch):
            return np.ones(p.shape[:-1]) if batch[0][0, 0] < 0 else 0.5 * np.sum(p**2, axis=-1)

    train_data = (np.zeros((4, 1)), np.zeros(4))
    val_data = (-np.ones((1, 1)), np.zeros(1))
    plateau = lrb.ReduceLROnPlateau(0.1, factor=0.5, patience=2)
    hist = lrb.train(
        Probe(), np.ones(2), lrb.sgd, train_data, val_data, lr=plateau, epochs=9, batch_size=2
    )
    # validation metric 1, 1, 1, ...: epoch 1 improves on inf, epochs 2, 3, 4 are bad steps
    # 1, 2, 3; 3 > patience 2 -> cut after epoch 4 (lr 0.05 from epoch index 4 on); the count
    # restarts, epochs 5, 6, 7 are bad -> cut after epoch 7 (lr 0.025 from epoch index 7).
    per_epoch = hist.lrs[:: hist.steps_per_epoch]
    np.testing.assert_allclose(per_epoch, [0.1] * 4 + [0.05] * 3 + [0.025] * 2)
    np.testing.assert_array_equal(hist.lrs.reshape(9, 2)[:, 0], hist.lrs.reshape(9, 2)[:, 1])
    # the optimizer really used them: p <- (1 - lr) p at every step
    np.testing.assert_allclose(hist.params, np.prod(1 - hist.lrs) * np.ones(2), rtol=1e-13)
    assert plateau.lr == 0.1  # the caller's scheduler is not stepped


def test_plateau_with_momentum_keeps_the_optimizer_state():
    data = lrb.train_val_split(*lrb.make_regression(n_samples=40, noise=1.0, seed=3), seed=0)
    model = lrb.LinearRegression(1)
    plateau = lrb.ReduceLROnPlateau(0.05, factor=0.5, patience=0)
    opt = functools.partial(lrb.sgd, momentum=0.9)
    hist = lrb.train(
        model, np.zeros(2), opt, data.train, data.val, lr=plateau, epochs=6, batch_size=8
    )
    # replay: the lr of each epoch from the recorded validation losses, momentum carried on
    replay = lrb.ReduceLROnPlateau(0.05, factor=0.5, patience=0)
    epoch_lrs = [0.05] + [replay.step(v) for v in hist.val_loss[1:-1]]
    np.testing.assert_allclose(hist.lrs.reshape(6, -1), np.repeat(epoch_lrs, 4).reshape(6, 4))
    assert len(set(epoch_lrs)) > 1
    p, buf = np.zeros(2), None
    for epoch in range(6):
        for Xb, yb in lrb.minibatches(*data.train, 8, epoch=epoch):
            _, g = model.loss_and_grad(p, (Xb, yb))
            buf = g if buf is None else 0.9 * buf + g
            p = p - epoch_lrs[epoch] * buf
    np.testing.assert_allclose(hist.params, p, rtol=1e-12)


def test_accuracy_recorded_for_classifiers():
    data = lrb.load_digits()
    clf = lrb.LogisticRegression(64, n_classes=10)
    hist = lrb.train(
        clf, clf.init(0), lrb.sgd, data.train, data.val, lr=0.1, epochs=2, batch_size=64
    )
    assert hist.train_acc.shape == (3,) and hist.val_acc.shape == (3,)
    assert np.isclose(hist.val_acc[-1], clf.accuracy(hist.params, data.val))
    assert np.isclose(hist.val_loss[-1], clf.loss(hist.params, data.val))
    assert hist.val_acc[-1] > 0.85


def test_one_pass_evaluation_records_what_separate_loss_and_accuracy_record():
    """train() measures a classifier with loss_and_accuracy when the model has it; a model
    without it (only loss and accuracy) gets the same history, bit for bit."""

    class SeparateCalls:
        def __init__(self, model):
            self.model = model
            self.is_classifier = True
            self.loss_and_grad, self.loss = model.loss_and_grad, model.loss
            self.accuracy, self.init = model.accuracy, model.init

    data = lrb.load_digits()
    net = lrb.MLP(64, 10, width=8)
    kwargs = dict(
        lr=np.array([0.03, 0.3, 30.0]),
        epochs=2,
        batch_size=64,
        seeds=np.arange(2)[:, None],
        max_loss=3.0,
    )
    fast = lrb.train(net, None, lrb.sgd, data.train, data.val, **kwargs)
    slow = lrb.train(SeparateCalls(net), None, lrb.sgd, data.train, data.val, **kwargs)
    for name in ("train_loss", "val_loss", "train_acc", "val_acc", "losses", "params"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name), err_msg=name)
    np.testing.assert_array_equal(fast.diverged_step, slow.diverged_step)
    assert fast.diverged.any() and not fast.diverged.all()  # NaN epochs were compared too

    class WeightDecayLoss(lrb.MLP):  # overrides loss: the epoch records must follow it
        def loss(self, params, batch):
            return super().loss(params, batch) + 0.5 * np.sum(params**2, axis=-1)

    decayed = WeightDecayLoss(64, 10, width=8)
    hist = lrb.train(decayed, None, lrb.sgd, data.train, data.val, lr=0.03, seeds=[0], epochs=1)
    np.testing.assert_array_equal(hist.val_loss[-1], decayed.loss(hist.params, data.val))
    assert hist.val_loss[-1] > net.loss(hist.params, data.val) + 1.0


def test_divergence_is_flagged_and_silent():
    def quadratic(p, batch):
        return 0.5 * np.sum(p**2, axis=-1), p

    data = (np.zeros((3, 1)), np.zeros(3))
    # lr 3: p_t = (-2)^t, loss 0.5 * 4^t > 100 first at t = 4, seen by the epoch-4 evaluation
    hist = lrb.train(
        quadratic, np.ones(1), lrb.sgd, data, lr=3.0, epochs=10, batch_size=3, max_loss=100.0
    )
    assert hist.diverged and hist.diverged_step == 4
    np.testing.assert_allclose(hist.losses[:4], 0.5 * 4.0 ** np.arange(4))
    np.testing.assert_allclose(hist.train_loss[:5], 0.5 * 4.0 ** np.arange(5))
    assert np.all(np.isnan(hist.losses[4:])) and np.all(np.isnan(hist.lrs[4:]))
    assert np.all(np.isnan(hist.train_loss[5:]))
    np.testing.assert_allclose(hist.params, [16.0])  # frozen where it diverged
    # flagged by a minibatch loss: batches of 1 example, 3 steps per epoch
    hist = lrb.train(
        quadratic, np.ones(1), lrb.sgd, data, lr=3.0, epochs=10, batch_size=1, max_loss=100.0
    )
    assert hist.diverged and hist.diverged_step == 4
    np.testing.assert_allclose(hist.losses[:5], 0.5 * 4.0 ** np.arange(5))
    assert np.all(np.isnan(hist.losses[5:])) and np.isnan(hist.train_loss[2])
    # overflow to inf and nan: flagged, no numpy warning escapes
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hist = lrb.train(quadratic, np.ones(1), lrb.sgd, data, lr=1e200, epochs=10, batch_size=1)
    # p_1 = 1 - 1e200, loss 0.5 p_1^2 overflows to inf at step 1
    assert hist.diverged and hist.diverged_step == 1
    assert np.isinf(hist.losses[1]) and np.all(np.isnan(hist.train_loss[1:]))


def test_ready_optimizer_and_bare_callable():
    def quadratic(p, batch):
        return 0.5 * np.sum(p**2, axis=-1), p

    data = (np.zeros((2, 1)), np.zeros(2))
    hist = lrb.train(quadratic, np.ones(3), lrb.sgd(lr=0.5), data, epochs=3, batch_size=2)
    np.testing.assert_allclose(hist.params, 0.5**3 * np.ones(3))
    assert np.all(np.isnan(hist.lrs))
    np.testing.assert_allclose(hist.train_loss, 1.5 * 0.25 ** np.arange(4))


def test_bad_inputs():
    data = (X2, Y2)
    model = lrb.LinearRegression(1)
    with pytest.raises(ValueError, match="epochs"):
        lrb.train(model, np.zeros(2), lrb.sgd, data, lr=0.1, epochs=0)
    with pytest.raises(ValueError, match="batch_size"):
        lrb.train(model, np.zeros(2), lrb.sgd, data, lr=0.1, batch_size=0)
    with pytest.raises(ValueError, match="lr"):
        lrb.train(model, np.zeros(2), lrb.sgd, data)
    with pytest.raises(ValueError, match="lr"):
        lrb.train(model, np.zeros(2), lrb.sgd(lr=0.1), data, lr=0.1)
    with pytest.raises(ValueError, match="val_data"):
        lrb.train(model, np.zeros(2), lrb.sgd, data, lr=lrb.ReduceLROnPlateau(0.1))
    with pytest.raises(ValueError, match="ReduceLROnPlateau"):
        lrb.train(model, np.zeros((3, 2)), lrb.sgd, data, data, lr=lrb.ReduceLROnPlateau(0.1))
    with pytest.raises(ValueError, match="classifier"):
        lrb.train(
            model, np.zeros(2), lrb.sgd, data, data, lr=lrb.ReduceLROnPlateau(0.1, mode="max")
        )
    with pytest.raises(ValueError, match="max_loss"):
        lrb.train(model, np.zeros(2), lrb.sgd, data, lr=0.1, max_loss=-1.0)
    with pytest.raises(TypeError, match="model"):
        lrb.train(42, np.zeros(2), lrb.sgd, data, lr=0.1)


def test_seeds_train_independent_inits_and_shuffles_in_one_batch():
    data = lrb.make_spirals(n_per_class=40, n_classes=3, noise=0.1, seed=3)
    split = lrb.train_val_split(*data, val_fraction=0.25, seed=0)
    net = lrb.MLP(n_inputs=2, n_outputs=3, width=6, depth=1)
    opt = functools.partial(lrb.sgd, momentum=0.9)
    seeds = np.array([4, 0, 7, 4])  # a repeated seed gives a repeated run
    lrs = np.array([0.05, 0.5, 40.0])  # the last one diverges
    kwargs = dict(epochs=3, batch_size=16, max_loss=20.0)
    runs = lrb.train(net, None, opt, split.train, split.val, lr=lrs, seeds=seeds[:, None], **kwargs)
    assert runs.losses.shape == (3 * 6, 4, 3) and runs.val_acc.shape == (4, 4, 3)
    for k, s in enumerate(seeds):
        for j, lr in enumerate(lrs):
            alone = lrb.train(
                net,
                net.init(seed=int(s)),
                opt,
                split.train,
                split.val,
                lr=float(lr),
                seed=int(s),
                **kwargs,
            )
            np.testing.assert_allclose(runs.losses[:, k, j], alone.losses, rtol=1e-10)
            np.testing.assert_allclose(runs.val_loss[:, k, j], alone.val_loss, rtol=1e-10)
            np.testing.assert_allclose(runs.params[k, j], alone.params, rtol=1e-9, atol=1e-12)
            assert runs.diverged_step[k, j] == alone.diverged_step
    assert runs.diverged[:, 2].all() and not runs.diverged[:, :2].any()
    np.testing.assert_array_equal(runs.losses[:, 0], runs.losses[:, 3])
    # different seeds: different inits and different minibatch orders
    assert not np.allclose(runs.losses[0, 0], runs.losses[0, 1])
    order = lrb.train(
        net,
        net.init(seed=4)[None],
        opt,
        split.train,
        lr=0.05,
        seeds=[[4], [0]],
        epochs=1,
        batch_size=16,
    )
    assert order.losses[0, 0, 0] != order.losses[0, 1, 0]  # same init, other first batch


def test_seeds_argument_checks():
    data, model = (X2, Y2), lrb.LinearRegression(1)
    with pytest.raises(ValueError, match=r"^seeds must be a non-empty array of non-negative"):
        lrb.train(model, np.zeros(2), lrb.sgd, data, lr=0.1, seeds=[-1, 2])
    with pytest.raises(ValueError, match=r"^seeds must be .*, got seeds=\[0.5\]"):
        lrb.train(model, np.zeros(2), lrb.sgd, data, lr=0.1, seeds=[0.5])
    with pytest.raises(ValueError, match=r"^pass seed or seeds, not both"):
        lrb.train(model, np.zeros(2), lrb.sgd, data, lr=0.1, seed=3, seeds=[1, 2])
    with pytest.raises(ValueError, match=r"^params=None draws the initial parameters"):
        lrb.train(model, None, lrb.sgd, data, lr=0.1)
