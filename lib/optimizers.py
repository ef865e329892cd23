r"""Optimisers, learning-rate schedules and gradient clipping, shared by every model the book trains.

Chapter ``13_optimization`` teaches them; the CNN, the RNN and GRU, the
character model and the translator train with Adam, and
``20_backprop_through_time`` teaches clipping. Gradients follow the package's
one convention: ``grads["d" + name]`` is :math:`\partial J/\partial`
``parameters[name]``. Every update works in place on the arrays of
``parameters`` and keeps their dtype (float32 stays float32).

The updates, for every parameter :math:`\theta` with gradient :math:`g` at step k = 1, 2, …:

.. math::

    \text{gradient descent:}\quad & \theta \leftarrow \theta - \alpha g \\
    \text{momentum:}\quad & v \leftarrow \beta v + (1-\beta) g,\qquad \theta \leftarrow \theta - \alpha v \\
    \text{RMSprop:}\quad & s \leftarrow \beta_2 s + (1-\beta_2) g^2,\qquad
        \theta \leftarrow \theta - \alpha\, \frac{g}{\sqrt{s} + \epsilon} \\
    \text{Adam:}\quad & v \leftarrow \beta_1 v + (1-\beta_1) g,\quad
        s \leftarrow \beta_2 s + (1-\beta_2) g^2,\quad
        \theta \leftarrow \theta - \alpha\, \frac{v / (1-\beta_1^k)}{\sqrt{s / (1-\beta_2^k)} + \epsilon}

where the divisions by :math:`1-\beta^k` undo the bias of averages that start at zero.

**The state.** Momentum, RMSprop and Adam remember averages between steps, in
one ``state`` dict per model, with one convention for all three: the caller
makes it empty (``state = {}``), passes the same dict to every step of the
same optimiser on the same parameters, and the update fills it on first use:

- ``state["k"]``: the number of steps taken (an int);
- ``state[("v", name)]``: the average of the gradients of ``parameters[name]``
  (momentum's velocity, Adam's first moment), the parameter's shape and dtype;
- ``state[("r", name)]``: the *root* of the average of the squared gradients,
  :math:`r = \sqrt{s}` (RMSprop, Adam), kept as a root and updated with
  ``hypot``, :math:`r \leftarrow \sqrt{\beta_2 r^2 + (1-\beta_2) g^2}`, so that a
  gradient of 1e200 (1e30 in float32) does not overflow when squared.

A state that holds a moment its optimiser does not keep (an RMSprop state
given to momentum), or moments of another shape, is refused.
Gradient descent (:func:`sgd_update`) keeps no state.

Each public function checks its input once (the ``@checked_by`` line above
it); a training loop whose arrays were checked at its own edge calls the body
alone, ``adam_update.unchecked(...)``, on every step.
"""
import math

import numpy as np

from lib._checks import (as_float, check_choice, check_positive, check_positive_int, check_range,
                         checked_by)


def _check_grads(parameters, grads):
    """Every parameter a finite float ndarray with its gradient "d" + name, of its shape, finite.

    Returns:
        dict "d" + name → the gradient of that parameter as a float ndarray.
    """
    if not isinstance(parameters, dict):
        raise TypeError(f"parameters: expected a dict name → array, got {type(parameters).__name__}")
    if not parameters:
        raise ValueError("parameters: expected a non-empty dict name → array, got an empty dict")
    if not isinstance(grads, dict):
        raise TypeError(f"grads: expected a dict 'd' + name → array, got {type(grads).__name__}")
    checked = {}
    for name, theta in parameters.items():
        if not isinstance(theta, np.ndarray) or theta.dtype not in (np.float32, np.float64):
            raise TypeError(f"parameters[{name!r}]: expected a float ndarray (updated in place), "
                            f"got {type(theta).__name__} of dtype {getattr(theta, 'dtype', None)}")
        as_float(f"parameters[{name!r}]", theta)            # not empty, finite
        key = "d" + name
        if key not in grads:
            raise ValueError(f"grads: missing {key!r}, the gradient of parameters[{name!r}]")
        g = as_float(f"grads[{key!r}]", grads[key])
        if g.shape != theta.shape:
            raise ValueError(f"grads[{key!r}]: expected shape {theta.shape} (parameters[{name!r}]'s), "
                             f"got {g.shape}")
        checked[key] = g
    return checked


_MOMENTS = {"momentum": ("v",), "rmsprop": ("r",), "adam": ("v", "r")}
"""The moments each optimiser keeps in its state (see the module docstring)."""


def _check_state(state, parameters, optimizer="adam"):
    """The state is a dict of this optimiser: a step count, and its moments in the parameters' shapes."""
    if not isinstance(state, dict):
        raise TypeError(f"state: expected a dict (empty at the first step), got {type(state).__name__}")
    k = state.get("k", 0)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
        raise ValueError(f"state: expected state['k'] to count the steps taken (an int >= 0), got {k!r}")
    kept = _MOMENTS[optimizer]
    for key in state:
        if key != "k" and not (isinstance(key, tuple) and len(key) == 2 and key[0] in kept):
            raise ValueError(f"state: holds {key!r}, which {optimizer} does not keep (it keeps "
                             f"{', '.join(kept)} per parameter): a state from another optimiser?")
    for name, theta in parameters.items():
        for moment in kept:
            value = state.get((moment, name))
            if value is None and k > 0:
                raise ValueError(f"state: has taken {k} steps but holds no {(moment, name)!r}: "
                                 f"a state from another optimiser or other parameters?")
            if value is not None and np.shape(value) != theta.shape:
                raise ValueError(f"state: {(moment, name)!r} has shape {np.shape(value)}, expected "
                                 f"{theta.shape} (parameters[{name!r}]'s): a state from other parameters?")


def _check_adam(parameters, grads, state, learning_rate, beta1, beta2, epsilon):
    check_positive("learning_rate", learning_rate)
    check_range("beta1", beta1, 0, 1, high_open=True)
    check_range("beta2", beta2, 0, 1, high_open=True)
    check_positive("epsilon", epsilon)
    grads = _check_grads(parameters, grads)
    _check_state(state, parameters, "adam")
    # Python floats, so that float32 arrays stay float32 (numpy's scalars would promote them).
    return dict(parameters=parameters, grads=grads, state=state, learning_rate=float(learning_rate),
                beta1=float(beta1), beta2=float(beta2), epsilon=float(epsilon))


@checked_by(_check_adam)
def adam_update(parameters, grads, state, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
    r"""One Adam step on every array of ``parameters``, in place.

    The second moment is stored as its square root :math:`r = \sqrt{s}`, updated
    with ``hypot`` (:math:`r \leftarrow \sqrt{\beta_2 r^2 + (1-\beta_2) g^2}`),
    so that a gradient of 1e200 in float64 (or 1e30 in float32) does not
    overflow when squared: the step is still about α, as Adam promises.

    Args:
        parameters: dict name → float array (any shape, float32 or float64), updated in place.
        grads: dict ``"d" + name`` → the gradient, the shape of that parameter.
        state: dict kept between calls, empty at first; filled with the step
            count ``"k"`` and each parameter's ``("v", name)`` and ``("r", name)``
            (the module docstring gives the one convention).
        learning_rate: α > 0. beta1, beta2: in [0, 1). epsilon: > 0.

    Returns:
        the state.
    """
    k = state["k"] = state.get("k", 0) + 1
    c1, c2 = 1 - beta1 ** k, math.sqrt(1 - beta2 ** k)
    keep, fresh = math.sqrt(beta2), math.sqrt(1 - beta2)
    for name, theta in parameters.items():
        g = grads["d" + name]
        v = state.setdefault(("v", name), np.zeros_like(theta))
        r = state.setdefault(("r", name), np.zeros_like(theta))
        v *= beta1
        v += (1 - beta1) * g
        np.hypot(keep * r, fresh * g, out=r)
        theta -= learning_rate * (v / c1) / (r / c2 + epsilon)
    return state


def _check_momentum(parameters, grads, state, learning_rate, beta):
    check_positive("learning_rate", learning_rate)
    check_range("beta", beta, 0, 1, high_open=True)
    grads = _check_grads(parameters, grads)
    _check_state(state, parameters, "momentum")
    return dict(parameters=parameters, grads=grads, state=state, learning_rate=float(learning_rate),
                beta=float(beta))


@checked_by(_check_momentum)
def momentum_update(parameters, grads, state, learning_rate=0.01, beta=0.9):
    r"""One step of gradient descent with momentum, in place (the lecture's form).

    .. math::

        v \leftarrow \beta v + (1-\beta)\, d\theta, \qquad \theta \leftarrow \theta - \alpha v

    The velocity v is an exponentially weighted average of the gradients
    (over about :math:`1/(1-\beta)` steps): the components that flip sign
    from step to step cancel in it, those that keep their sign add up. No
    bias correction: v starts at 0, so the first steps are short. Polyak
    (1964) and Sutskever et al. (2013) write :math:`v \leftarrow \beta v + d\theta`,
    which is this with α scaled by :math:`1/(1-\beta)`.

    Args:
        parameters: dict name → float array (any shape, float32 or float64), updated in place.
        grads: dict ``"d" + name`` → the gradient, the shape of that parameter.
        state: dict kept between calls, empty at first; filled with ``"k"`` and
            each parameter's ``("v", name)`` (the module docstring gives the convention).
        learning_rate: α > 0. beta: β in [0, 1) (0 is plain gradient descent).

    Returns:
        the state.
    """
    state["k"] = state.get("k", 0) + 1
    for name, theta in parameters.items():
        v = state.setdefault(("v", name), np.zeros_like(theta))
        v *= beta
        v += (1 - beta) * grads["d" + name]
        theta -= learning_rate * v
    return state


def _check_rmsprop(parameters, grads, state, learning_rate, beta2, epsilon):
    check_positive("learning_rate", learning_rate)
    check_range("beta2", beta2, 0, 1, high_open=True)
    check_positive("epsilon", epsilon)
    grads = _check_grads(parameters, grads)
    _check_state(state, parameters, "rmsprop")
    return dict(parameters=parameters, grads=grads, state=state, learning_rate=float(learning_rate),
                beta2=float(beta2), epsilon=float(epsilon))


@checked_by(_check_rmsprop)
def rmsprop_update(parameters, grads, state, learning_rate=0.001, beta2=0.9, epsilon=1e-8):
    r"""One RMSprop step, in place (Tieleman & Hinton, 2012).

    .. math::

        s \leftarrow \beta_2 s + (1-\beta_2)\, d\theta^2, \qquad
        \theta \leftarrow \theta - \alpha\, \frac{d\theta}{\sqrt{s} + \epsilon}

    (squares, roots and the division elementwise). Each parameter's step is
    its gradient divided by the root mean square of its recent gradients, so a
    direction with large gradients takes steps of about α, and so does one
    with tiny gradients. The state keeps :math:`r = \sqrt{s}`, updated with
    ``hypot`` so that huge gradients do not overflow. No bias correction: at
    the first step :math:`\sqrt{s} = \sqrt{1-\beta_2}\,|d\theta|`, so the first
    steps are :math:`1/\sqrt{1-\beta_2}` times longer than α (about 3.2 α for
    :math:`\beta_2 = 0.9`); Adam corrects this.

    Args:
        parameters: dict name → float array (any shape, float32 or float64), updated in place.
        grads: dict ``"d" + name`` → the gradient, the shape of that parameter.
        state: dict kept between calls, empty at first; filled with ``"k"`` and
            each parameter's ``("r", name)`` (the module docstring gives the convention).
        learning_rate: α > 0. beta2: β₂ in [0, 1). epsilon: ε > 0, keeps the division finite.

    Returns:
        the state.
    """
    state["k"] = state.get("k", 0) + 1
    keep, fresh = math.sqrt(beta2), math.sqrt(1 - beta2)
    for name, theta in parameters.items():
        g = grads["d" + name]
        r = state.setdefault(("r", name), np.zeros_like(theta))
        np.hypot(keep * r, fresh * g, out=r)
        theta -= learning_rate * g / (r + epsilon)
    return state


def _check_sgd(parameters, grads, learning_rate):
    return dict(parameters=parameters, grads=_check_grads(parameters, grads),
                learning_rate=float(check_positive("learning_rate", learning_rate)))


@checked_by(_check_sgd)
def sgd_update(parameters, grads, learning_rate):
    r"""One step of gradient descent, in place: :math:`\theta \leftarrow \theta - \alpha\, d\theta`.

    Args:
        parameters: dict name → float array, updated in place.
        grads: dict ``"d" + name`` → the gradient, the shape of that parameter.
        learning_rate: α > 0.

    Returns:
        parameters.
    """
    for name, theta in parameters.items():
        theta -= learning_rate * grads["d" + name]
    return parameters


def _check_clip(grads, max_value=None, max_norm=None):
    bound = {"max_value": max_value} if max_norm is None else {"max_norm": max_norm}
    name, value = next(iter(bound.items()))
    return {"grads": _arrays(grads), name: float(check_positive(name, value))}


@checked_by(_check_clip)
def clip_by_value(grads, max_value):
    r"""Clip every gradient entry to :math:`[-\text{max\_value}, \text{max\_value}]`.

    Args:
        grads: dict name → array (any shapes, float32 kept).
        max_value: the bound, > 0.

    Returns:
        a new dict with the clipped arrays (the input is left unchanged).
    """
    return {k: np.clip(v, -max_value, max_value) for k, v in grads.items()}


def _norm(arrays):
    r"""(largest magnitude c, :math:`\sqrt{\sum_k \lVert g_k / c \rVert^2}`): the norm is their product."""
    biggest = max(float(np.max(np.abs(a))) for a in arrays.values())
    if biggest == 0:
        return 0.0, 0.0
    return biggest, float(np.sqrt(sum(np.sum(np.square(a / biggest, dtype=np.float64)) for a in arrays.values())))


@checked_by(lambda grads: {"grads": _arrays(grads)})
def global_norm(grads):
    r"""The norm of all gradients stacked, :math:`\sqrt{\sum_k \lVert g_k \rVert^2}`, as a float.

    Computed as :math:`c \sqrt{\sum_k \lVert g_k / c \rVert^2}` with c the largest
    magnitude, so gradients of 1e200 give 1e200-sized norms, not infinity.

    Args:
        grads: dict name → array (any shapes).
    """
    biggest, root = _norm(grads)
    return biggest * root


@checked_by(_check_clip)
def clip_by_norm(grads, max_norm):
    r"""Rescale all gradients together so their global norm is at most ``max_norm``.

    :math:`g \leftarrow g \cdot \min(1, \text{max\_norm} / \lVert g \rVert)` with
    :math:`\lVert g \rVert` the :func:`global_norm` (Pascanu et al., 2013):
    unlike :func:`clip_by_value`, the direction of the step is kept.

    Args:
        grads: dict name → array (any shapes, float32 kept).
        max_norm: the bound, > 0.

    Returns:
        (clipped, norm): a new dict, each array in its own dtype, and the norm before clipping.
    """
    biggest, root = _norm(grads)
    norm = biggest * root
    if norm <= max_norm:
        return {k: v.copy() for k, v in grads.items()}, norm
    # g · max_norm / norm as (g / c) · (max_norm / root): no factor so small that it
    # underflows in float32, no norm so large that it overflows
    scale = max_norm / root
    return {k: (v / biggest) * scale for k, v in grads.items()}, norm


def _arrays(grads):
    """grads checked: a non-empty dict of finite, non-empty float arrays (float32 kept)."""
    if not isinstance(grads, dict):
        raise TypeError(f"grads: expected a non-empty dict name → array, got {type(grads).__name__}")
    if not grads:
        raise ValueError("grads: expected a non-empty dict name → array, got an empty dict")
    return {k: as_float(f"grads[{k!r}]", v) for k, v in grads.items()}


# ------------------------------------------------------------ the average they all keep

def _check_average(values, beta, bias_correction=False):
    values = as_float("values", values, meaning="(T, ...), one entry per step")
    if values.ndim == 0:
        raise ValueError("values: expected a sequence (T, ...), one entry per step, got a scalar")
    if not isinstance(bias_correction, (bool, np.bool_)):
        raise TypeError(f"bias_correction: expected True or False, got {type(bias_correction).__name__}")
    return dict(values=values, beta=float(check_range("beta", beta, 0, 1, high_open=True)),
                bias_correction=bool(bias_correction))


@checked_by(_check_average)
def exponentially_weighted_average(values, beta, bias_correction=False):
    r"""The exponentially weighted average of a sequence, at every step.

    .. math::

        v_0 = 0,\qquad v_t = \beta v_{t-1} + (1-\beta)\,\theta_t
            = (1-\beta) \sum_{i=1}^{t} \beta^{t-i} \theta_i ,

    an average over about the last :math:`1/(1-\beta)` values. Its weights sum
    to :math:`1 - \beta^t`, not 1, so the early :math:`v_t` lean towards the
    zero start; with ``bias_correction`` it returns :math:`v_t / (1 - \beta^t)`,
    whose weights sum to 1 (a constant sequence then averages to itself).
    Momentum's velocity is this average of the gradients; Adam's two moments
    are this average, corrected.

    Args:
        values: (T, ...), θ_1 … θ_T along the first axis (T >= 1; any shape after it).
        beta: β in [0, 1).
        bias_correction: divide by :math:`1 - \beta^t`.

    Returns:
        (T, ...) v_1 … v_T, in values' dtype.
    """
    v = np.zeros_like(values[0])
    out = np.empty_like(values)
    for t in range(values.shape[0]):
        v = beta * v + (1 - beta) * values[t]
        out[t] = v / (1 - beta ** (t + 1)) if bias_correction else v
    return out


# ------------------------------------------------------------ one name for each optimiser

OPTIMIZERS = ("gd", "momentum", "rmsprop", "adam")
"""The names :func:`get_update` and :func:`optimizer_path` accept."""

_HYPER = {"gd": {}, "momentum": {"beta": 0.9}, "rmsprop": {"beta2": 0.9, "epsilon": 1e-8},
          "adam": {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}}


def _gd_kernel(parameters, grads, state, learning_rate):
    state["k"] = state.get("k", 0) + 1
    sgd_update.unchecked(parameters, grads, learning_rate)
    return state


def _check_hyper(optimizer, hyper):
    """hyper holds only names ``optimizer`` takes, each in its range; returns them as floats."""
    allowed = _HYPER[optimizer]
    for name, value in hyper.items():
        if name not in allowed:
            raise ValueError(f"{name}: not a hyper-parameter of {optimizer!r}, which takes "
                             f"{', '.join(allowed) or 'only the learning rate'}")
        if name == "epsilon":
            check_positive(name, value)
        else:
            check_range(name, value, 0, 1, high_open=True)
    return {name: float(value) for name, value in hyper.items()}


def _check_get_update(optimizer):
    return {"optimizer": check_choice("optimizer", optimizer, OPTIMIZERS)}


@checked_by(_check_get_update)
def get_update(optimizer):
    """The update step of an optimiser by name, unchecked, with one signature for all four.

    Args:
        optimizer: ``"gd"`` (:func:`sgd_update`), ``"momentum"``, ``"rmsprop"`` or ``"adam"``.

    Returns:
        ``update(parameters, grads, state, learning_rate, **hyper) -> state``:
        the optimiser's body without its checks, for a training loop that
        checked its input once (``"gd"`` counts its steps in the state, and keeps nothing else).
    """
    return {"gd": _gd_kernel, "momentum": momentum_update.unchecked,
            "rmsprop": rmsprop_update.unchecked, "adam": adam_update.unchecked}[optimizer]


# ------------------------------------------------------------ the path of an optimiser

def _check_path(cost_and_grads, parameters, num_iterations, optimizer, learning_rate, hyper):
    # checked_by hands **hyper over as one dict; the body gets it back as keywords
    if not callable(cost_and_grads):
        raise TypeError(f"cost_and_grads: expected a function parameters → (cost, grads), "
                        f"got {type(cost_and_grads).__name__}")
    if isinstance(parameters, dict):
        _check_grads(parameters, {"d" + name: value for name, value in parameters.items()})
    else:
        _check_grads(parameters, {})
    return dict(cost_and_grads=cost_and_grads, parameters=parameters,
                num_iterations=check_positive_int("num_iterations", num_iterations, minimum=0),
                optimizer=check_choice("optimizer", optimizer, OPTIMIZERS),
                learning_rate=float(check_positive("learning_rate", learning_rate)),
                **_check_hyper(optimizer, hyper))


@checked_by(_check_path)
def optimizer_path(cost_and_grads, parameters, num_iterations, optimizer="gd", learning_rate=0.1, **hyper):
    r"""Run an optimiser on a cost function and keep every iterate: its path, to draw.

    Starting from a copy of ``parameters``, repeats ``num_iterations`` times:
    :math:`J, d\theta = ` ``cost_and_grads(θ)``, then one step of ``optimizer``.
    Each step's gradients are checked (finite, the parameters' shapes).

    Args:
        cost_and_grads: function parameters → (cost J, grads), grads keyed ``"d" + name``.
        parameters: dict name → float array (any shapes), the start; left unchanged.
        num_iterations: the number of steps, an int >= 0.
        optimizer: ``"gd"``, ``"momentum"``, ``"rmsprop"`` or ``"adam"``.
        learning_rate: α > 0.
        **hyper: the optimiser's own hyper-parameters (``beta`` for momentum;
            ``beta2``, ``epsilon`` for RMSprop; ``beta1``, ``beta2``, ``epsilon`` for Adam),
            their defaults when left out.

    Returns:
        (path, costs): path a dict name → array (num_iterations + 1, *shape),
        the parameter at every iterate (the start first), in its dtype; costs
        (num_iterations + 1,), the cost at each.
    """
    update = {"gd": lambda p, g, s, learning_rate: sgd_update(p, g, learning_rate),
              "momentum": momentum_update, "rmsprop": rmsprop_update, "adam": adam_update}[optimizer]
    theta = {name: np.array(value, copy=True) for name, value in parameters.items()}
    path = {name: [] for name in theta}
    costs, state = [], {}
    for i in range(num_iterations + 1):
        cost, grads = cost_and_grads(theta)
        for name, value in theta.items():
            path[name].append(value.copy())
        costs.append(float(cost))
        if i < num_iterations:
            update(theta, grads, state, learning_rate, **hyper)
    return {name: np.array(values) for name, values in path.items()}, np.array(costs)


# ------------------------------------------------------------ learning-rate schedules

def _check_decay(alpha0, epoch, decay_rate):
    return dict(alpha0=float(check_positive("alpha0", alpha0)),
                epoch=check_positive_int("epoch", epoch, minimum=0),
                decay_rate=float(check_range("decay_rate", decay_rate, low=0)))


@checked_by(_check_decay)
def learning_rate_decay(alpha0, epoch, decay_rate):
    r"""The learning rate of epoch ``epoch`` under inverse-time decay (the lecture's first schedule).

    .. math:: \alpha = \frac{\alpha_0}{1 + \text{decay\_rate}\cdot\text{epoch}}

    Args:
        alpha0: α₀ > 0, the rate at epoch 0.
        epoch: the epoch number, an int >= 0 (0 for the first).
        decay_rate: >= 0 (0 keeps α₀).

    Returns:
        α, a float: halved at epoch 1/decay_rate, a third at 2/decay_rate, ….
    """
    return alpha0 / (1 + decay_rate * epoch)


def _check_exponential(alpha0, epoch, decay_rate):
    return dict(alpha0=float(check_positive("alpha0", alpha0)),
                epoch=check_positive_int("epoch", epoch, minimum=0),
                decay_rate=float(check_range("decay_rate", decay_rate, 0, 1, low_open=True)))


@checked_by(_check_exponential)
def exponential_decay(alpha0, epoch, decay_rate):
    r"""The learning rate of epoch ``epoch`` under exponential decay.

    .. math:: \alpha = \alpha_0 \cdot \text{decay\_rate}^{\,\text{epoch}}

    Args:
        alpha0: α₀ > 0. epoch: an int >= 0. decay_rate: in (0, 1], e.g. 0.95 (1 keeps α₀).

    Returns:
        α, a float.
    """
    return alpha0 * decay_rate ** epoch


def _check_step(alpha0, epoch, drop=0.5, epochs_per_drop=10):
    return dict(alpha0=float(check_positive("alpha0", alpha0)),
                epoch=check_positive_int("epoch", epoch, minimum=0),
                drop=float(check_range("drop", drop, 0, 1, low_open=True)),
                epochs_per_drop=check_positive_int("epochs_per_drop", epochs_per_drop))


@checked_by(_check_step)
def step_decay(alpha0, epoch, drop=0.5, epochs_per_drop=10):
    r"""The learning rate of epoch ``epoch`` under step ("staircase") decay.

    .. math:: \alpha = \alpha_0 \cdot \text{drop}^{\lfloor \text{epoch} / \text{epochs\_per\_drop} \rfloor}

    Args:
        alpha0: α₀ > 0. epoch: an int >= 0.
        drop: the factor at each drop, in (0, 1]. epochs_per_drop: epochs between drops, an int >= 1.

    Returns:
        α, a float.
    """
    return alpha0 * drop ** (epoch // epochs_per_drop)
