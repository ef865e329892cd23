r"""A small convolutional network in numpy and its training loop.

Chapter ``17_convolutional_networks`` trains it on :func:`lib.images.make_shapes`,
against the baseline of :mod:`lib.softmax_regression`:

    images (m, n_H, n_W, n_C)
      → conv f × f, n_F filters, "same" padding   Z1 = W1 * A0 + b1   (m, n_H, n_W, n_F)
      → ReLU                                      A1 = max(Z1, 0)
      → max pool 2 × 2, stride 2                  P1                  (m, n_H/2, n_W/2, n_F)
      → flatten to columns                        F  = P1 unrolled    (n_f, m)
      → dense                                     Z2 = W2 F + b2      (n_y, m)
      → softmax                                   ŷ = softmax(Z2)

The dense part follows the book's column notation (W2 is (n_y, n_f), b2 is
(n_y, 1)); the convolutional part keeps images examples-first. The convolution
is :mod:`lib.fast_conv`, the tuned twin of :mod:`lib.conv` (tested to agree).
The cost is the softmax cross-entropy (:func:`lib.losses.softmax_cross_entropy`,
whose gradient carries the 1/m), minimised by mini-batch Adam
(:func:`lib.optimizers.adam_update`, on the batches of
:func:`lib.minibatch.minibatch_indices`).
"""
import numpy as np

from lib._checks import (as_float, as_indices, check_choice, check_parameters, check_positive,
                         check_positive_int, check_seed, check_shape)
from lib.activations import relu, relu_derivative
from lib.data import one_hot
from lib.fast_conv import conv_backward, conv_forward
from lib.losses import softmax_cross_entropy
from lib.minibatch import minibatch_indices
from lib.optimizers import adam_update
from lib.pooling import pool_backward, pool_forward

DTYPES = ("float32", "float64")


def _images(images, dtype=None):
    images = as_float("images", images, ndim=4, meaning="(m, n_H, n_W, n_C)")
    return images if dtype is None else images.astype(dtype, copy=False)


def _dtype(dtype):
    name = np.dtype(dtype).name if isinstance(dtype, (type, np.dtype)) else dtype
    check_choice("dtype", name, DTYPES)
    return np.dtype(name)


def initialize_cnn(input_shape, n_classes, n_filters=8, f=5, pool=2, seed=0, dtype=np.float64):
    """He-initialised parameters of the small CNN.

    Args:
        input_shape: (n_H, n_W, n_C) of one image. n_classes: n_y >= 2.
        n_filters: n_F, the first layer's filters. f: their size (odd, for "same").
        pool: the pooling window and stride (at most n_H and n_W).
        seed: random seed (an int >= 0 or None). dtype: float32 or float64.

    Returns:
        parameters: dict with W1 (f, f, n_C, n_F), b1 (1, 1, 1, n_F), W2 (n_y, n_f),
        b2 (n_y, 1), where n_f = (n_H // pool)·(n_W // pool)·n_F.
    """
    if isinstance(input_shape, str) or not hasattr(input_shape, "__len__") or len(input_shape) != 3:
        raise ValueError(f"input_shape: expected (n_H, n_W, n_C), got {input_shape!r}")
    n_H, n_W, n_C = (check_positive_int("input_shape", v) for v in input_shape)
    n_classes = check_positive_int("n_classes", n_classes, minimum=2)
    n_filters, f, pool = (check_positive_int(k, v) for k, v in
                          (("n_filters", n_filters), ("f", f), ("pool", pool)))
    if f % 2 == 0:
        raise ValueError(f"f: expected an odd filter size ('same' padding), got {f}")
    if pool > min(n_H, n_W):
        raise ValueError(f"pool: expected at most the image size {min(n_H, n_W)}, got {pool}")
    dtype = _dtype(dtype)
    rng = np.random.default_rng(check_seed(seed))
    n_f = (n_H // pool) * (n_W // pool) * n_filters
    parameters = {
        "W1": rng.normal(0, np.sqrt(2 / (f * f * n_C)), (f, f, n_C, n_filters)),
        "b1": np.zeros((1, 1, 1, n_filters)),
        "W2": rng.normal(0, np.sqrt(1 / n_f), (n_classes, n_f)),
        "b2": np.zeros((n_classes, 1)),
    }
    return {k: v.astype(dtype) for k, v in parameters.items()}


def _check_cnn_parameters(parameters):
    if not isinstance(parameters, dict) or "W1" not in parameters or "W2" not in parameters:
        check_parameters("parameters", parameters, {"W1": None, "b1": None, "W2": None, "b2": None},
                         "initialize_cnn")
    W1 = as_float("parameters['W1']", parameters["W1"], ndim=4, meaning="(f, f, n_C, n_F)")
    W2 = as_float("parameters['W2']", parameters["W2"], ndim=2, meaning="(n_y, n_f)")
    return check_parameters("parameters", parameters,
                            {"W1": W1.shape, "b1": (1, 1, 1, W1.shape[3]),
                             "W2": W2.shape, "b2": (W2.shape[0], 1)}, "initialize_cnn")


def cnn_forward(images, parameters, pool=2):
    """Logits of the small CNN for a batch of images.

    Args:
        images: (m, n_H, n_W, n_C). parameters: from :func:`initialize_cnn`.
        pool: as there.

    Returns:
        (Z2, cache): the logits Z2 of shape (n_y, m) and what :func:`cnn_backward` needs.
    """
    images = _images(images)
    parameters = _check_cnn_parameters(parameters)
    pool = check_positive_int("pool", pool)
    if images.shape[3] != parameters["W1"].shape[2]:
        raise ValueError(f"images: expected n_C = {parameters['W1'].shape[2]} channels "
                         f"(W1's third axis), got shape {images.shape}")
    n_f = (images.shape[1] // pool) * (images.shape[2] // pool) * parameters["W1"].shape[3]
    if n_f != parameters["W2"].shape[1]:
        raise ValueError(f"images: expected pictures of the size initialize_cnn was given "
                         f"(n_f = {parameters['W2'].shape[1]}), got shape {images.shape}")
    Z1, conv_cache = conv_forward(images, parameters["W1"], parameters["b1"], pad="same")
    A1 = relu(Z1)
    P1, pool_cache = pool_forward(A1, pool, pool, "max")
    F = P1.reshape(P1.shape[0], -1).T                         # (n_f, m), examples as columns
    Z2 = parameters["W2"] @ F + parameters["b2"]
    return Z2, (conv_cache, Z1, pool_cache, F, parameters)


def cnn_backward(dZ2, cache):
    """Gradients of the CNN's parameters from ∂J/∂Z2 (n_y, m).

    Backward through dense (dW2 = dZ2 Fᵀ, db2 = Σ dZ2, dF = W2ᵀ dZ2), un-flatten,
    max pool (:func:`lib.pooling.pool_backward`), ReLU (dZ1 = dA1 · [Z1 > 0]) and
    the convolution (:func:`lib.fast_conv.conv_backward`). dZ2 already carries
    the 1/m of the cost; no layer divides by m again.

    Args:
        dZ2: ∂J/∂Z2, (n_y, m). cache: from :func:`cnn_forward`.

    Returns:
        dict dW1, db1, dW2, db2, each of its parameter's shape.
    """
    if not (isinstance(cache, tuple) and len(cache) == 5 and isinstance(cache[4], dict)):
        raise TypeError(f"cache: expected the tuple cnn_forward returned, got {type(cache).__name__}")
    conv_cache, Z1, pool_cache, F, parameters = cache
    dZ2 = as_float("dZ2", dZ2, ndim=2, meaning="(n_y, m)")
    check_shape("dZ2", dZ2, (parameters["W2"].shape[0], F.shape[1]), "(n_y, m), Z2's shape")
    dZ2 = dZ2.astype(F.dtype, copy=False)
    dW2 = dZ2 @ F.T
    db2 = dZ2.sum(axis=1, keepdims=True)
    dP1 = (parameters["W2"].T @ dZ2).T.reshape(F.shape[1], pool_cache[1]["n_H"],
                                              pool_cache[1]["n_W"], Z1.shape[3])
    dA1 = pool_backward(dP1, pool_cache)["dA_prev"]
    dZ1 = dA1 * relu_derivative(Z1)
    grads = conv_backward(dZ1, conv_cache, input_grad=False)     # no layer below: no dA_prev
    return {"dW1": grads["dW"], "db1": grads["db"], "dW2": dW2, "db2": db2}


def cnn_cost(images, Y_onehot, parameters, pool=2):
    """Softmax cross-entropy cost of the CNN on a batch, and its gradients.

    Args:
        images: (m, n_H, n_W, n_C). Y_onehot: (n_y, m). parameters: from
            :func:`initialize_cnn`. pool: as there.

    Returns:
        (cost, grads): a float and the dict of :func:`cnn_backward`.
    """
    Z2, cache = cnn_forward(images, parameters, pool)
    Y_onehot = as_float("Y_onehot", Y_onehot, ndim=2, meaning="(n_y, m)")
    check_shape("Y_onehot", Y_onehot, Z2.shape, "(n_y, m)")
    cost, dZ2 = softmax_cross_entropy(Z2, Y_onehot)
    return cost, cnn_backward(dZ2.astype(Z2.dtype, copy=False), cache)


def predict_cnn(images, parameters, pool=2, batch_size=64):
    """Predicted class of each image (m, n_H, n_W, n_C): (m,) integers, computed in batches.

    Args:
        images: (m, n_H, n_W, n_C). parameters: from :func:`initialize_cnn` or
            :func:`train_cnn`. pool: as there. batch_size: images per forward pass, >= 1.
    """
    parameters = _check_cnn_parameters(parameters)
    images = _images(images, parameters["W1"].dtype)
    batch_size = check_positive_int("batch_size", batch_size)
    return np.concatenate([cnn_forward(images[i:i + batch_size], parameters, pool)[0].argmax(axis=0)
                           for i in range(0, images.shape[0], batch_size)])


# ---------------------------------------------------------------- the optimiser

def _labels(labels, m, n_classes):
    labels = as_indices("labels", labels, n_classes, ndim=1, meaning="(m,)")
    if labels.size != m:
        raise ValueError(f"labels: expected {m} labels (one per example), got {labels.size}")
    return labels


def train_cnn(images, labels, n_classes, num_epochs=10, batch_size=64, learning_rate=0.003,
              n_filters=8, f=5, pool=2, seed=0, dtype=np.float32):
    """Train the small CNN with mini-batch Adam.

    Args:
        images: (m, n_H, n_W, n_C). labels: (m,) integers in [0, n_classes).
        n_classes: n_y >= 2. num_epochs: passes over the data. batch_size:
            examples per step. learning_rate: Adam's α > 0. n_filters, f, pool:
            the architecture (:func:`initialize_cnn`). seed: seeds the
            initialisation and the shuffling (an int >= 0 or None). dtype:
            "float32" (or np.float32) trains about twice as fast as float64
            and is accurate enough here.

    Returns:
        (parameters, costs): the trained parameters and the mean cost of each epoch.
    """
    dtype = _dtype(dtype)
    images = _images(images, dtype)
    n_classes = check_positive_int("n_classes", n_classes, minimum=2)
    labels = _labels(labels, images.shape[0], n_classes)
    num_epochs = check_positive_int("num_epochs", num_epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    check_positive("learning_rate", learning_rate)
    seed = check_seed(seed)
    parameters = initialize_cnn(images.shape[1:], n_classes, n_filters, f, pool, seed, dtype)
    rng = np.random.default_rng(seed)
    state, costs = {}, []
    for _ in range(num_epochs):
        total = 0.0
        for idx in minibatch_indices(images.shape[0], batch_size, rng):
            cost, grads = cnn_cost(images[idx], one_hot(labels[idx], n_classes), parameters, pool)
            adam_update.unchecked(parameters, grads, state, learning_rate)
            total += cost * idx.size
        costs.append(total / images.shape[0])
    return parameters, costs
