r"""Adam, the optimiser the trained models of Parts III–V share.

Chapters 11 (the CNN), 13–14 (the RNN and GRU) and 15 (the translator) train
with it. One step, for every parameter :math:`\theta` with gradient :math:`g`:

.. math::

    v \leftarrow \beta_1 v + (1-\beta_1) g,\qquad
    s \leftarrow \beta_2 s + (1-\beta_2) g^2,\qquad
    \theta \leftarrow \theta - \alpha\, \frac{v / (1-\beta_1^k)}{\sqrt{s / (1-\beta_2^k)} + \epsilon}

where k counts the steps taken, and the divisions by :math:`1-\beta^k` undo the
bias of moments that start at zero.
"""
import numpy as np

from lib._checks import check_positive


def adam_update(params, grads, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8,
                grad_prefix="d"):
    """One Adam step on every array of ``params``, in place.

    Args:
        params: dict name → array (any shape, float32 or float64), updated in place.
        grads: dict ``grad_prefix + name`` → the gradient, the shape of that parameter
            (the book's ``{"dW1": …}`` convention; pass ``grad_prefix=""`` when the
            gradients are keyed by the parameter names themselves).
        state: dict kept between calls, empty at first: the step count ``"k"`` and
            the moments v and s of every parameter, in the parameter's dtype.
        learning_rate: α > 0. beta1, beta2, eps: Adam's constants.

    Returns:
        the state.
    """
    check_positive("learning_rate", learning_rate)
    k = state["k"] = state.get("k", 0) + 1
    c1, c2 = 1 - beta1 ** k, 1 - beta2 ** k
    for name, theta in params.items():
        g = grads[grad_prefix + name]
        v = state.setdefault(("v", name), np.zeros_like(theta))
        s = state.setdefault(("s", name), np.zeros_like(theta))
        v *= beta1
        v += (1 - beta1) * g
        s *= beta2
        s += (1 - beta2) * g * g
        theta -= learning_rate * (v / c1) / (np.sqrt(s / c2) + eps)
    return state
