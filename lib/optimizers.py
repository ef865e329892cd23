r"""Optimisers and gradient clipping, shared by every model the book trains.

Chapters 11 (the CNN), 13–14 (the RNN and GRU) and 15 (the translator) train
with Adam; chapter 14 teaches clipping. Gradients follow the package's one
convention: ``grads["d" + name]`` is :math:`\partial J/\partial` ``parameters[name]``.

Adam, one step for every parameter :math:`\theta` with gradient :math:`g`:

.. math::

    v \leftarrow \beta_1 v + (1-\beta_1) g,\qquad
    s \leftarrow \beta_2 s + (1-\beta_2) g^2,\qquad
    \theta \leftarrow \theta - \alpha\, \frac{v / (1-\beta_1^k)}{\sqrt{s / (1-\beta_2^k)} + \epsilon}

where k counts the steps taken, and the divisions by :math:`1-\beta^k` undo the
bias of moments that start at zero.

Each public function checks its input once (the ``@checked_by`` line above
it); a training loop whose arrays were checked at its own edge calls the body
alone, ``adam_update.unchecked(...)``, on every step.
"""
import math

import numpy as np

from lib._checks import as_float, check_positive, check_range, checked_by


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


def _check_state(state, parameters):
    """The state is a dict; moments already in it have their parameter's shape."""
    if not isinstance(state, dict):
        raise TypeError(f"state: expected a dict (empty at the first step), got {type(state).__name__}")
    k = state.get("k", 0)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
        raise ValueError(f"state: expected state['k'] to count the steps taken (an int >= 0), got {k!r}")
    for name, theta in parameters.items():
        for moment in ("v", "r"):
            kept = state.get((moment, name))
            if kept is not None and np.shape(kept) != theta.shape:
                raise ValueError(f"state: {(moment, name)!r} has shape {np.shape(kept)}, expected "
                                 f"{theta.shape} (parameters[{name!r}]'s): a state from other parameters?")


def _check_adam(parameters, grads, state, learning_rate, beta1, beta2, epsilon):
    check_positive("learning_rate", learning_rate)
    check_range("beta1", beta1, 0, 1, high_open=True)
    check_range("beta2", beta2, 0, 1, high_open=True)
    check_positive("epsilon", epsilon)
    grads = _check_grads(parameters, grads)
    _check_state(state, parameters)
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
        state: dict kept between calls, empty at first: the step count ``"k"`` and
            the moments of every parameter, in the parameter's dtype.
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
