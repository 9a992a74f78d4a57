"""Optimizers as pure functions: SGD, Adagrad, RMSprop, Adam and AdamW.

Each factory checks its hyperparameters once and returns an :class:`Optimizer`, a pair
of pure functions::

    opt = lrb.adam(lr=1e-3)
    state = opt.init(params)
    updates, state = opt.update(grads, state, params)
    params = lrb.apply_updates(params, updates)       # params + updates

Nothing is modified in place: ``update`` returns a new state. The update rules are
those of PyTorch's ``torch.optim`` (single-tensor path) in float64, so the parameter
sequence equals PyTorch's for the same gradients up to round-off.

A learning rate ``lr`` may be

* a float,
* an ndarray broadcastable to the parameters, one lr per trajectory: with parameters of
  shape ``(K, d)`` an lr of shape ``(K, 1)`` runs K trajectories at once (an lr sweep),
* a schedule: any callable ``step -> lr``. It is called with the number of updates done
  so far (0 at the first update); the count lives in the optimizer state.

``updates`` is the step actually taken (new params minus old params), so
``-updates / grads`` is the effective per-parameter learning rate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from ._checks import check_interval, check_nonnegative, check_real

__all__ = [
    "Optimizer",
    "SGDState",
    "AdagradState",
    "RMSpropState",
    "AdamState",
    "sgd",
    "adagrad",
    "rmsprop",
    "adam",
    "adamw",
    "apply_updates",
]

Array = np.ndarray
Schedule = Callable[[Any], Any]
LearningRate = float | Array | Schedule


class Optimizer(NamedTuple):
    """A pair of pure functions ``init(params) -> state`` and
    ``update(grads, state, params) -> (updates, state)``."""

    init: Callable[[Array], Any]
    update: Callable[..., tuple[Array, Any]]


class SGDState(NamedTuple):
    """State of :func:`sgd`: update count and momentum buffer (None without momentum)."""

    count: int
    momentum: Array | None


class AdagradState(NamedTuple):
    """State of :func:`adagrad`: update count and running sum of squared gradients."""

    count: int
    sum: Array


class RMSpropState(NamedTuple):
    """State of :func:`rmsprop`: count, mean square, mean gradient (centered only) and
    momentum buffer (momentum > 0 only)."""

    count: int
    square_avg: Array
    grad_avg: Array | None
    momentum: Array | None


class AdamState(NamedTuple):
    """State of :func:`adam` / :func:`adamw`: count, first moment ``mu``, second moment
    ``nu`` and, with AMSGrad, the running maximum ``nu_max`` of ``nu``."""

    count: int
    mu: Array
    nu: Array
    nu_max: Array | None


def apply_updates(params: Array, updates: Array) -> Array:
    """Return ``params + updates`` (a new array; ``params`` is not modified).

    Example:
        >>> import numpy as np
        >>> apply_updates(np.array([1.0, 2.0]), np.array([-0.5, 0.5]))
        array([0.5, 2.5])
    """
    return params + updates


# --------------------------------------------------------------------------------------
# argument checks


def _check_lr(lr: Any) -> LearningRate:
    """A non-negative finite float, an ndarray of them, or a schedule (callable)."""
    if callable(lr):
        return lr
    if isinstance(lr, np.ndarray | list | tuple):
        arr = np.asarray(lr)
        if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
            raise TypeError(f"lr must be a float, an ndarray or a schedule, got lr={lr!r}")
        arr = arr.astype(np.float64)
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"every entry of lr must be finite, got lr={lr!r}")
        if np.any(arr < 0):
            raise ValueError(f"every entry of lr must be non-negative, got lr={lr!r}")
        return arr
    return check_nonnegative("lr", lr)


def _check_bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be a bool, got {name}={value!r}")
    return bool(value)


def _check_betas(betas: Any) -> tuple[float, float]:
    try:
        b1, b2 = betas
    except (TypeError, ValueError):
        raise ValueError(f"betas must be a pair (beta1, beta2), got betas={betas!r}") from None
    for i, b in enumerate((b1, b2)):
        check_interval(f"betas[{i}]", b, 0.0, 1.0, closed="left")
    return float(b1), float(b2)


def _lr_checker(lr: LearningRate) -> Callable[[Array], None]:
    """An ``init`` helper: an array lr must broadcast to the parameters' shape."""

    def check(params: Array) -> None:
        if isinstance(lr, np.ndarray):
            shape = np.shape(params)
            try:
                ok = np.broadcast_shapes(lr.shape, shape) == shape
            except ValueError:
                ok = False
            if not ok:
                raise ValueError(
                    f"an array lr of shape {lr.shape} must broadcast to the parameters' shape "
                    f"{shape} (use shape (K, 1) with parameters of shape (K, d)), got lr={lr!r}"
                )

    return check


def _zeros(params: Array) -> Array:
    params = np.asarray(params)
    return np.zeros(params.shape, dtype=np.result_type(params.dtype, np.float64))


def _optimizer(init: Callable[[Array], Any], update: Callable[..., tuple[Array, Any]]) -> Optimizer:
    """``Optimizer(init, update)`` whose ``update`` first checks the shape of ``grads``.

    The gradients must have the shape of ``params`` (or, without ``params``, of the
    state's buffers): numpy would otherwise broadcast a wrong shape silently.
    """

    def checked_update(grads: Array, state: Any, params: Array | None = None):
        ref = params
        if ref is None:
            ref = next((a for a in state if isinstance(a, np.ndarray)), None)
        if ref is not None and np.shape(grads) != np.shape(ref):
            what = "params" if params is not None else "the optimizer state"
            raise ValueError(
                f"grads must have the shape of {what}, {np.shape(ref)}, "
                f"got grads of shape {np.shape(grads)}"
            )
        return update(grads, state, params)

    return Optimizer(init, checked_update)


def check_optimizer(name: str, opt: Any) -> Optimizer:
    """``opt`` if it is an :class:`Optimizer`, else a TypeError naming ``name``.

    Passing a factory such as ``lrb.sgd`` instead of ``lrb.sgd(lr=0.1)`` is the usual
    mistake, and the message says so.

    Example:
        >>> check_optimizer("opt", sgd)
        Traceback (most recent call last):
            ...
        TypeError: opt must be an Optimizer such as sgd(lr=0.1), got the factory sgd: call it ...
    """
    if isinstance(opt, Optimizer):
        return opt
    if callable(opt):
        factory = getattr(getattr(opt, "func", opt), "__name__", None) or repr(opt)
        raise TypeError(
            f"{name} must be an Optimizer such as {factory}(lr=0.1), got the factory "
            f"{factory}: call it with lr=... and pass the optimizer it returns"
        )
    raise TypeError(f"{name} must be an Optimizer (e.g. sgd(lr=0.1)), got {name}={opt!r}")


def _need_params(params: Array | None, name: str) -> Array:
    if params is None:
        raise ValueError(f"update needs params when {name} is nonzero, got params=None")
    return params


# --------------------------------------------------------------------------------------
# SGD


def sgd(
    lr: LearningRate = 1e-3,
    momentum: float = 0.0,
    dampening: float = 0.0,
    nesterov: bool = False,
    weight_decay: float = 0.0,
) -> Optimizer:
    r"""Stochastic gradient descent with optional (Nesterov) momentum, as ``torch.optim.SGD``.

    Args:
        lr: learning rate :math:`\eta` (float, ndarray of per-trajectory lrs, or schedule).
        momentum: momentum factor :math:`\mu \ge 0`.
        dampening: dampening :math:`\tau` of the gradient in the buffer.
        nesterov: use Nesterov momentum (needs ``momentum > 0`` and ``dampening == 0``).
        weight_decay: L2 penalty :math:`\lambda \ge 0` added to the gradient.

    Returns:
        An :class:`Optimizer` with state :class:`SGDState`.

    .. math::

        g_t &= \nabla f(\theta_{t-1}) + \lambda\,\theta_{t-1} \\
        b_t &= g_1 \ (t = 1), \qquad b_t = \mu\,b_{t-1} + (1-\tau)\,g_t \ (t > 1) \\
        d_t &= g_t + \mu\,b_t \ \text{(Nesterov)}, \qquad d_t = b_t \ \text{(otherwise)} \\
        \theta_t &= \theta_{t-1} - \eta_t\,d_t

    Without momentum :math:`d_t = g_t`. Note that :math:`\eta` multiplies the buffer: the
    heavy-ball iteration :math:`\theta_{t+1} = \theta_t - \alpha\nabla f + \beta(\theta_t -
    \theta_{t-1})` is ``sgd(lr=alpha, momentum=beta)``.

    Example:
        >>> import numpy as np
        >>> opt = sgd(lr=0.1, momentum=0.9)
        >>> p = np.array([1.0]); state = opt.init(p)
        >>> u, state = opt.update(2 * p, state, p)
        >>> u
        array([-0.2])

    References:
        PyTorch ``torch.optim.SGD``; Polyak (1964); Sutskever et al. (2013), "On the
        importance of initialization and momentum in deep learning".
    """
    lr = _check_lr(lr)
    momentum = check_nonnegative("momentum", momentum)
    dampening = check_real("dampening", dampening)
    nesterov = _check_bool("nesterov", nesterov)
    weight_decay = check_nonnegative("weight_decay", weight_decay)
    if nesterov and (momentum <= 0 or dampening != 0):
        raise ValueError(
            "nesterov=True needs momentum > 0 and dampening == 0, "
            f"got nesterov={nesterov}, momentum={momentum}, dampening={dampening}"
        )
    scheduled = callable(lr)
    check_lr = _lr_checker(lr)

    def init(params: Array) -> SGDState:
        check_lr(params)
        return SGDState(0, None)

    def update(grads: Array, state: SGDState, params: Array | None = None):
        eta = lr(state.count) if scheduled else lr
        g = grads
        if weight_decay:
            g = g + weight_decay * _need_params(params, "weight_decay")
        buf = None
        if momentum:
            if state.momentum is None:
                buf = np.array(g, dtype=np.result_type(g, np.float64))
            else:
                buf = momentum * state.momentum + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        return -eta * g, SGDState(state.count + 1, buf)

    return _optimizer(init, update)


# --------------------------------------------------------------------------------------
# Adagrad


def adagrad(
    lr: LearningRate = 1e-2,
    lr_decay: float = 0.0,
    weight_decay: float = 0.0,
    initial_accumulator_value: float = 0.0,
    eps: float = 1e-10,
) -> Optimizer:
    r"""Adagrad: per-parameter steps scaled by the root of the summed squared gradients.

    Args:
        lr: learning rate :math:`\eta` (float, ndarray of per-trajectory lrs, or schedule).
        lr_decay: :math:`\delta \ge 0`, the lr at update t is :math:`\eta / (1 + (t-1)\delta)`.
        weight_decay: L2 penalty :math:`\lambda \ge 0` added to the gradient.
        initial_accumulator_value: starting value :math:`s_0 \ge 0` of the sum.
        eps: :math:`\epsilon \ge 0` added outside the square root.

    Returns:
        An :class:`Optimizer` with state :class:`AdagradState`.

    .. math::

        g_t &= \nabla f(\theta_{t-1}) + \lambda\,\theta_{t-1}, \qquad
        \tilde\eta_t = \frac{\eta_t}{1 + (t-1)\,\delta} \\
        s_t &= s_{t-1} + g_t^2 \\
        \theta_t &= \theta_{t-1} - \tilde\eta_t\,\frac{g_t}{\sqrt{s_t} + \epsilon}

    Example:
        >>> import numpy as np
        >>> opt = adagrad(lr=0.5)
        >>> p = np.array([3.0]); state = opt.init(p)
        >>> u, state = opt.update(np.array([4.0]), state, p)
        >>> float(np.round(u[0], 6))
        -0.5

    References:
        PyTorch ``torch.optim.Adagrad``; Duchi, Hazan & Singer (2011), "Adaptive
        subgradient methods for online learning and stochastic optimization".
    """
    lr = _check_lr(lr)
    lr_decay = check_nonnegative("lr_decay", lr_decay)
    weight_decay = check_nonnegative("weight_decay", weight_decay)
    initial_accumulator_value = check_nonnegative(
        "initial_accumulator_value", initial_accumulator_value
    )
    eps = check_nonnegative("eps", eps)
    scheduled = callable(lr)
    check_lr = _lr_checker(lr)

    def init(params: Array) -> AdagradState:
        check_lr(params)
        return AdagradState(0, _zeros(params) + initial_accumulator_value)

    def update(grads: Array, state: AdagradState, params: Array | None = None):
        eta = lr(state.count) if scheduled else lr
        g = grads
        if weight_decay:
            g = g + weight_decay * _need_params(params, "weight_decay")
        clr = eta / (1 + state.count * lr_decay)
        s = state.sum + g * g
        return -clr * g / (np.sqrt(s) + eps), AdagradState(state.count + 1, s)

    return _optimizer(init, update)


# --------------------------------------------------------------------------------------
# RMSprop


def rmsprop(
    lr: LearningRate = 1e-2,
    alpha: float = 0.99,
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    momentum: float = 0.0,
    centered: bool = False,
) -> Optimizer:
    r"""RMSprop: steps divided by a running root-mean-square of the gradients.

    Args:
        lr: learning rate :math:`\eta` (float, ndarray of per-trajectory lrs, or schedule).
        alpha: smoothing constant :math:`\alpha \ge 0` of the mean square. PyTorch checks
            only ``alpha >= 0``, and so does this. With :math:`\alpha > 1` the weight
            :math:`1 - \alpha` of the new square is negative: from :math:`v_0 = 0` the
            first mean square is :math:`(1-\alpha) g_1^2 < 0`, so every coordinate with a
            nonzero gradient gets a NaN update at the first step, in PyTorch as here
            (``run`` flags such a trajectory as diverged at step 1).
        eps: :math:`\epsilon \ge 0` added outside the square root.
        weight_decay: L2 penalty :math:`\lambda \ge 0` added to the gradient.
        momentum: momentum factor :math:`\mu \ge 0` (buffer starts at zero).
        centered: divide by the running standard deviation instead of the RMS.

    Returns:
        An :class:`Optimizer` with state :class:`RMSpropState`.

    .. math::

        g_t &= \nabla f(\theta_{t-1}) + \lambda\,\theta_{t-1} \\
        v_t &= \alpha\,v_{t-1} + (1-\alpha)\,g_t^2, \qquad
        \bar g_t = \alpha\,\bar g_{t-1} + (1-\alpha)\,g_t \ \text{(centered)} \\
        r_t &= \sqrt{v_t - \bar g_t^2} + \epsilon \ \text{(centered)}, \qquad
        r_t = \sqrt{v_t} + \epsilon \ \text{(otherwise)} \\
        b_t &= \mu\,b_{t-1} + g_t / r_t, \qquad \theta_t = \theta_{t-1} - \eta_t\,b_t

    Without momentum :math:`\theta_t = \theta_{t-1} - \eta_t\,g_t / r_t`.

    Example:
        >>> import numpy as np
        >>> opt = rmsprop(lr=0.01, alpha=0.75, eps=0.0)
        >>> p = np.array([1.0]); state = opt.init(p)
        >>> u, state = opt.update(np.array([3.0]), state, p)
        >>> float(np.round(u[0], 12))
        -0.02

    References:
        PyTorch ``torch.optim.RMSprop``; Tieleman & Hinton (2012), Lecture 6.5 of
        "Neural Networks for Machine Learning"; Graves (2013), "Generating sequences with
        recurrent neural networks" (centered variant).
    """
    lr = _check_lr(lr)
    alpha = check_nonnegative("alpha", alpha)
    eps = check_nonnegative("eps", eps)
    weight_decay = check_nonnegative("weight_decay", weight_decay)
    momentum = check_nonnegative("momentum", momentum)
    centered = _check_bool("centered", centered)
    scheduled = callable(lr)
    check_lr = _lr_checker(lr)

    def init(params: Array) -> RMSpropState:
        check_lr(params)
        zeros = _zeros(params)
        return RMSpropState(0, zeros, zeros if centered else None, zeros if momentum > 0 else None)

    def update(grads: Array, state: RMSpropState, params: Array | None = None):
        eta = lr(state.count) if scheduled else lr
        g = grads
        if weight_decay:
            g = g + weight_decay * _need_params(params, "weight_decay")
        v = alpha * state.square_avg + (1 - alpha) * g * g
        g_bar = None
        if centered:
            g_bar = alpha * state.grad_avg + (1 - alpha) * g
            r = np.sqrt(v - g_bar * g_bar) + eps
        else:
            r = np.sqrt(v) + eps
        buf = None
        if momentum > 0:
            buf = momentum * state.momentum + g / r
            step = -eta * buf
        else:
            step = -eta * g / r
        return step, RMSpropState(state.count + 1, v, g_bar, buf)

    return _optimizer(init, update)


# --------------------------------------------------------------------------------------
# Adam and AdamW


def _adam_family(
    lr: Any, betas: Any, eps: Any, weight_decay: Any, amsgrad: Any, decoupled: bool
) -> Optimizer:
    lr = _check_lr(lr)
    b1, b2 = _check_betas(betas)
    eps = check_nonnegative("eps", eps)
    weight_decay = check_nonnegative("weight_decay", weight_decay)
    amsgrad = _check_bool("amsgrad", amsgrad)
    scheduled = callable(lr)
    check_lr = _lr_checker(lr)

    def init(params: Array) -> AdamState:
        check_lr(params)
        zeros = _zeros(params)
        return AdamState(0, zeros, zeros, zeros if amsgrad else None)

    def update(grads: Array, state: AdamState, params: Array | None = None):
        eta = lr(state.count) if scheduled else lr
        t = state.count + 1
        g = grads
        if weight_decay and not decoupled:
            g = g + weight_decay * _need_params(params, "weight_decay")
        mu = b1 * state.mu + (1 - b1) * g
        nu = b2 * state.nu + (1 - b2) * g * g
        nu_max = None
        if amsgrad:
            nu_max = np.maximum(state.nu_max, nu)
            denom = np.sqrt(nu_max) / (1 - b2**t) ** 0.5 + eps
        else:
            denom = np.sqrt(nu) / (1 - b2**t) ** 0.5 + eps
        step = -(eta / (1 - b1**t)) * mu / denom
        if weight_decay and decoupled:
            step = step - eta * weight_decay * _need_params(params, "weight_decay")
        return step, AdamState(t, mu, nu, nu_max)

    return _optimizer(init, update)


def adam(
    lr: LearningRate = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    amsgrad: bool = False,
) -> Optimizer:
    r"""Adam: bias-corrected running moments of the gradient, as ``torch.optim.Adam``.

    Args:
        lr: learning rate :math:`\eta` (float, ndarray of per-trajectory lrs, or schedule).
        betas: :math:`(\beta_1, \beta_2)`, each in [0, 1).
        eps: :math:`\epsilon \ge 0` added outside the square root.
        weight_decay: L2 penalty :math:`\lambda \ge 0` added to the gradient (coupled;
            see :func:`adamw` for decoupled decay).
        amsgrad: divide by the running maximum of :math:`\nu_t` (AMSGrad).

    Returns:
        An :class:`Optimizer` with state :class:`AdamState`.

    .. math::

        g_t &= \nabla f(\theta_{t-1}) + \lambda\,\theta_{t-1} \\
        \mu_t &= \beta_1\,\mu_{t-1} + (1-\beta_1)\,g_t, \qquad
        \nu_t = \beta_2\,\nu_{t-1} + (1-\beta_2)\,g_t^2 \\
        \hat\nu_t &= \max(\hat\nu_{t-1}, \nu_t) \ \text{(AMSGrad)}, \qquad
        \hat\nu_t = \nu_t \ \text{(otherwise)} \\
        \theta_t &= \theta_{t-1} - \frac{\eta_t}{1-\beta_1^t}\,
        \frac{\mu_t}{\sqrt{\hat\nu_t}/\sqrt{1-\beta_2^t} + \epsilon}

    The maximum is taken over the raw second moment and bias-corrected afterwards, as
    PyTorch does.

    Example:
        >>> import numpy as np
        >>> opt = adam(lr=0.1)
        >>> p = np.array([1.0, -2.0]); state = opt.init(p)
        >>> u, state = opt.update(np.array([0.5, -3.0]), state, p)
        >>> np.round(u, 6)     # the first Adam step is -lr * sign(g)
        array([-0.1,  0.1])

    References:
        PyTorch ``torch.optim.Adam``; Kingma & Ba (2015), "Adam: A method for stochastic
        optimization"; Reddi, Kale & Kumar (2018), "On the convergence of Adam and beyond".
    """
    return _adam_family(lr, betas, eps, weight_decay, amsgrad, decoupled=False)


def adamw(
    lr: LearningRate = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 1e-2,
    amsgrad: bool = False,
) -> Optimizer:
    r"""AdamW: Adam with decoupled weight decay, as ``torch.optim.AdamW``.

    Args:
        lr: learning rate :math:`\eta` (float, ndarray of per-trajectory lrs, or schedule).
        betas: :math:`(\beta_1, \beta_2)`, each in [0, 1).
        eps: :math:`\epsilon \ge 0` added outside the square root.
        weight_decay: decoupled decay :math:`\lambda \ge 0`, scaled by the current lr.
        amsgrad: divide by the running maximum of :math:`\nu_t` (AMSGrad).

    Returns:
        An :class:`Optimizer` with state :class:`AdamState`.

    .. math::

        \theta_t = (1 - \eta_t\lambda)\,\theta_{t-1} - \frac{\eta_t}{1-\beta_1^t}\,
        \frac{\mu_t}{\sqrt{\hat\nu_t}/\sqrt{1-\beta_2^t} + \epsilon}

    with :math:`\mu_t, \hat\nu_t` as in :func:`adam` computed from the raw gradient.

    Example:
        >>> import numpy as np
        >>> opt = adamw(lr=0.1, weight_decay=0.5)
        >>> p = np.array([2.0]); state = opt.init(p)
        >>> u, state = opt.update(np.array([1.0]), state, p)
        >>> np.round(u, 6)     # -lr * sign(g) - lr * weight_decay * p
        array([-0.2])

    References:
        PyTorch ``torch.optim.AdamW``; Loshchilov & Hutter (2019), "Decoupled weight
        decay regularization".
    """
    return _adam_family(lr, betas, eps, weight_decay, amsgrad, decoupled=True)
