r"""A small convolutional network in numpy, its training loop, and a softmax-regression baseline.

Chapter 11 (convolutional networks) trains it on :func:`lib.images.make_shapes`:

    images (m, n_H, n_W, n_C)
      → conv f × f, n_F filters, "same" padding   Z1 = W1 * A0 + b1   (m, n_H, n_W, n_F)
      → ReLU                                      A1 = max(Z1, 0)
      → max pool 2 × 2, stride 2                  P1                  (m, n_H/2, n_W/2, n_F)
      → flatten to columns                        F  = P1 unrolled    (n_f, m)
      → dense                                     Z2 = W2 F + b2      (n_y, m)
      → softmax                                   ŷ = softmax(Z2)

The dense part follows the book's column notation (W2 is (n_y, n_f), b2 is
(n_y, 1)); the convolutional part keeps images examples-first. The cost is the
softmax cross-entropy (:func:`lib.losses.softmax_cross_entropy`), minimised by
mini-batch Adam (:func:`lib.optimizers.adam_update`).
"""
import numpy as np

from lib._checks import as_array, check_positive_int
from lib.activations import relu, relu_derivative
from lib.conv import conv_backward, conv_forward
from lib.data import one_hot
from lib.losses import softmax_cross_entropy
from lib.optimizers import adam_update
from lib.pooling import pool_backward, pool_forward


def standardize_images(images):
    r"""Give each image mean 0 and standard deviation 1 over its pixels and channels.

    :math:`x \leftarrow (x - \mu^{(i)}) / \sigma^{(i)}` per example i. The shapes of
    :func:`lib.images.make_shapes` have random colours on random backgrounds; without
    this, a dark-on-light and a light-on-dark shape look unrelated to the filters.

    Args:
        images: (m, n_H, n_W, n_C).

    Returns:
        an array of the same shape (a flat image becomes all zeros).
    """
    images = as_array("images", images, ndim=4)
    centred = images - images.mean(axis=(1, 2, 3), keepdims=True)
    spread = centred.std(axis=(1, 2, 3), keepdims=True)
    return centred / np.where(spread > 0, spread, 1.0)


def init_cnn(input_shape, n_classes, n_filters=8, f=5, pool=2, seed=0, dtype=np.float64):
    """He-initialised parameters of the small CNN.

    Args:
        input_shape: (n_H, n_W, n_C) of one image. n_classes: n_y.
        n_filters: n_F, the first layer's filters. f: their size (odd, for "same").
        pool: the pooling window and stride. seed: random seed. dtype: float32 or float64.

    Returns:
        dict with W1 (f, f, n_C, n_F), b1 (1, 1, 1, n_F), W2 (n_y, n_f), b2 (n_y, 1),
        where n_f = (n_H // pool)·(n_W // pool)·n_F.
    """
    if len(input_shape) != 3:
        raise ValueError(f"input_shape: expected (n_H, n_W, n_C), got {tuple(input_shape)}")
    n_H, n_W, n_C = (check_positive_int("input_shape", int(v)) for v in input_shape)
    n_classes = check_positive_int("n_classes", n_classes, minimum=2)
    n_filters, f, pool = (check_positive_int(k, v) for k, v in
                          (("n_filters", n_filters), ("f", f), ("pool", pool)))
    if f % 2 == 0:
        raise ValueError(f"f: expected an odd filter size ('same' padding), got {f}")
    rng = np.random.default_rng(seed)
    n_f = (n_H // pool) * (n_W // pool) * n_filters
    params = {
        "W1": rng.normal(0, np.sqrt(2 / (f * f * n_C)), (f, f, n_C, n_filters)),
        "b1": np.zeros((1, 1, 1, n_filters)),
        "W2": rng.normal(0, np.sqrt(1 / n_f), (n_classes, n_f)),
        "b2": np.zeros((n_classes, 1)),
    }
    return {k: v.astype(dtype) for k, v in params.items()}


def cnn_forward(images, params, pool=2):
    """Logits of the small CNN for a batch of images.

    Args:
        images: (m, n_H, n_W, n_C). params: from :func:`init_cnn`. pool: as there.

    Returns:
        (Z2, cache): the logits Z2 of shape (n_y, m) and what :func:`cnn_backward` needs.
    """
    images = as_array("images", images, ndim=4, dtype=params["W1"].dtype)
    if images.shape[3] != params["W1"].shape[2]:
        raise ValueError(f"images: expected n_C = {params['W1'].shape[2]} channels "
                         f"(W1's third axis), got shape {images.shape}")
    Z1, conv_cache = conv_forward(images, params["W1"], params["b1"], pad="same")
    A1 = relu(Z1)
    P1, pool_cache = pool_forward(A1, pool, pool, "max")
    F = P1.reshape(P1.shape[0], -1).T                         # (n_f, m), examples as columns
    if F.shape[0] != params["W2"].shape[1]:
        raise ValueError(f"images: expected pictures of the size init_cnn was given "
                         f"(n_f = {params['W2'].shape[1]}), got shape {images.shape}")
    Z2 = params["W2"] @ F + params["b2"]
    return Z2, (conv_cache, Z1, pool_cache, P1.shape, F, params)


def cnn_backward(dZ2, cache):
    """Gradients of the CNN's parameters from ∂J/∂Z2 (n_y, m).

    Backward through dense (dW2 = dZ2 Fᵀ, db2 = Σ dZ2, dF = W2ᵀ dZ2), un-flatten,
    max pool (:func:`lib.pooling.pool_backward`), ReLU (dZ1 = dA1 · [Z1 > 0]) and
    the convolution (:func:`lib.conv.conv_backward`).

    Returns:
        dict dW1, db1, dW2, db2, each of its parameter's shape.
    """
    conv_cache, Z1, pool_cache, P1_shape, F, params = cache
    dW2 = dZ2 @ F.T
    db2 = dZ2.sum(axis=1, keepdims=True)
    dP1 = (params["W2"].T @ dZ2).T.reshape(P1_shape)
    dA1 = pool_backward(dP1, pool_cache)
    dZ1 = dA1 * relu_derivative(Z1)
    _, dW1, db1 = conv_backward(dZ1, conv_cache, input_grad=False)   # no layer below
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def cnn_cost(images, Y_onehot, params, pool=2):
    """Softmax cross-entropy cost of the CNN on a batch, and its gradients.

    Args:
        images: (m, n_H, n_W, n_C). Y_onehot: (n_y, m). params: from :func:`init_cnn`.

    Returns:
        (cost, grads): a float and the dict of :func:`cnn_backward`.
    """
    Z2, cache = cnn_forward(images, params, pool)
    cost, dZ2 = softmax_cross_entropy(Z2, Y_onehot)
    return cost, cnn_backward(dZ2.astype(Z2.dtype, copy=False), cache)


def predict_cnn(images, params, pool=2, batch_size=64):
    """Predicted class of each image, (m,) integers, computed in batches."""
    images = as_array("images", images, ndim=4, dtype=params["W1"].dtype)
    return np.concatenate([cnn_forward(images[i:i + batch_size], params, pool)[0].argmax(axis=0)
                           for i in range(0, images.shape[0], batch_size)])


# ---------------------------------------------------------------- the optimiser

def _minibatches(m, batch_size, rng):
    order = rng.permutation(m)
    return [order[i:i + batch_size] for i in range(0, m, batch_size)]


def _labels(labels, m, n_classes):
    labels = as_array("labels", labels, dtype=np.int64).reshape(-1)
    if labels.size != m:
        raise ValueError(f"labels: expected {m} labels (one per example), got {labels.size}")
    one_hot(labels, n_classes)          # checks the range
    return labels


def train_cnn(images, labels, n_classes, epochs=10, batch_size=64, learning_rate=0.003,
              n_filters=8, f=5, pool=2, seed=0, dtype=np.float32):
    """Train the small CNN with mini-batch Adam.

    Args:
        images: (m, n_H, n_W, n_C). labels: (m,) integers in [0, n_classes).
        epochs: passes over the data. batch_size: examples per step.
        learning_rate: Adam's α. n_filters, f, pool: the architecture (:func:`init_cnn`).
        seed: seeds the initialisation and the shuffling. dtype: float32 trains
            about twice as fast as float64 and is accurate enough here.

    Returns:
        (params, costs): the trained parameters and the mean cost of each epoch.
    """
    images = as_array("images", images, ndim=4, dtype=dtype)
    labels = _labels(labels, images.shape[0], n_classes)
    epochs = check_positive_int("epochs", epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    params = init_cnn(images.shape[1:], n_classes, n_filters, f, pool, seed, dtype)
    rng = np.random.default_rng(seed)
    state, costs = {}, []
    for _ in range(epochs):
        total = 0.0
        for idx in _minibatches(images.shape[0], batch_size, rng):
            cost, grads = cnn_cost(images[idx], one_hot(labels[idx], n_classes), params, pool)
            adam_update(params, grads, state, learning_rate)
            total += cost * idx.size
        costs.append(total / images.shape[0])
    return params, costs


# ---------------------------------------------------------------- the baseline

def train_softmax_regression(X, labels, n_classes, epochs=30, batch_size=64,
                             learning_rate=0.003, seed=0):
    """Softmax regression ŷ = softmax(W X + b), trained with mini-batch Adam: the baseline.

    Args:
        X: (n_x, m), one example per column (images unrolled with
            :func:`lib.images.images_to_columns`). labels: (m,) integers.

    Returns:
        (params, costs): {"W": (n_y, n_x), "b": (n_y, 1)} and the mean cost per epoch.
    """
    X = as_array("X", X, ndim=2)
    labels = _labels(labels, X.shape[1], n_classes)
    epochs = check_positive_int("epochs", epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    params = {"W": np.zeros((n_classes, X.shape[0])), "b": np.zeros((n_classes, 1))}
    rng = np.random.default_rng(seed)
    state, costs = {}, []
    for _ in range(epochs):
        total = 0.0
        for idx in _minibatches(X.shape[1], batch_size, rng):
            Xb = X[:, idx]
            cost, dZ = softmax_cross_entropy(params["W"] @ Xb + params["b"], one_hot(labels[idx], n_classes))
            adam_update(params, {"dW": dZ @ Xb.T, "db": dZ.sum(axis=1, keepdims=True)}, state, learning_rate)
            total += cost * idx.size
        costs.append(total / X.shape[1])
    return params, costs


def predict_softmax_regression(X, params):
    """Predicted class of each column of X (n_x, m): (m,) integers."""
    X = as_array("X", X, ndim=2)
    if X.shape[0] != params["W"].shape[1]:
        raise ValueError(f"X: expected shape ({params['W'].shape[1]}, m), got {X.shape}")
    return (params["W"] @ X + params["b"]).argmax(axis=0)
