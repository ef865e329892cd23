r"""Mini-batches: one pass over the training set in random order, a slice at a time.

Taught in chapter ``13_optimization``; every model the book trains with
mini-batches (softmax regression, the CNN, batch normalisation) draws them here.

An :math:`\text{epoch}` shuffles the m examples with a random permutation
:math:`\pi` and cuts it into :math:`\lceil m / B \rceil` consecutive batches of
B examples (the last one holds the :math:`m - B(\lceil m/B \rceil - 1)` left
over, when B does not divide m), so every example is used exactly once per
epoch. B = m is batch gradient descent (one step per epoch), B = 1 stochastic
gradient descent (m steps per epoch).

``lib.deep.train_deep`` trains the L-layer network on mini-batches with any
optimiser of ``lib.optimizers``.
"""
import numpy as np

from lib._checks import as_array, check_positive_int, make_rng


def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng: expected a numpy.random.Generator (np.random.default_rng(seed)), "
                        f"got {type(rng).__name__}")
    return rng


def minibatch_indices(m, batch_size, rng):
    """One epoch's batches of example indices, in random order.

    Args:
        m: the number of examples, an int >= 1.
        batch_size: B, an int >= 1 (B >= m gives one batch of every example).
        rng: a ``numpy.random.Generator`` (its state advances, so successive
            epochs get different orders).

    Returns:
        list of ⌈m/B⌉ int arrays, each (B,) except the last, (m - B(⌈m/B⌉ - 1),);
        together a permutation of 0 … m-1.
    """
    m = check_positive_int("m", m)
    batch_size = check_positive_int("batch_size", batch_size)
    order = _check_rng(rng).permutation(m)
    return [order[i:i + batch_size] for i in range(0, m, batch_size)]


def minibatches(X, Y, batch_size=64, seed=0, example_axis=-1):
    """One epoch of mini-batches (X_t, Y_t), examples drawn in random order.

    Args:
        X: (n_x, m), one example per column (or any array whose ``example_axis``
            counts the m examples, e.g. images (m, n_H, n_W, n_C) with
            ``example_axis=0``).
        Y: (n_y, m) or (m,) labels, the same m along its own last axis
            (its first axis when ``example_axis=0``).
        batch_size: B, an int >= 1.
        seed: an int >= 0 or None.
        example_axis: the axis of X and Y that counts examples: -1 (columns,
            the book's convention) or 0 (images, sequences of rows).

    Returns:
        list of ⌈m/B⌉ pairs (X_t, Y_t), each X_t with B examples (the last one
        the rest), in X's and Y's dtypes; example i of X stays paired with example i of Y.
    """
    if isinstance(example_axis, bool) or example_axis not in (0, -1):
        raise ValueError(f"example_axis: expected 0 or -1, got {example_axis!r}")
    X = as_array("X", X, dtype=None)
    Y = as_array("Y", Y, dtype=None)
    if X.ndim == 0:
        raise ValueError("X: expected an array with an axis of examples, got a scalar")
    if Y.ndim == 0:
        raise ValueError("Y: expected an array with an axis of examples, got a scalar")
    m = X.shape[example_axis]
    if m == 0:
        raise ValueError(f"X: expected at least one example, got shape {X.shape}")
    y_axis = -1 if example_axis == -1 else 0
    if Y.shape[y_axis] != m:
        raise ValueError(f"Y: expected {m} examples along axis {y_axis} (X has {m}), got shape {Y.shape}")
    batches = minibatch_indices(m, batch_size, make_rng(seed))
    return [(np.take(X, idx, axis=example_axis), np.take(Y, idx, axis=y_axis)) for idx in batches]


def length_buckets(lengths, batch_size, rng, group=20):
    """One epoch of mini-batches whose sequences have similar lengths, in random order.

    Shuffle the m sequences, sort each run of ``group`` batches' worth of them by
    length, cut the run into batches of B, and shuffle the batches: a batch of
    short sequences can then be cut to its own longest one, so padding costs
    little (the translators of chapters ``22_attention`` and ``23_transformer``).

    Args:
        lengths: (m,) ints >= 0, each sequence's length.
        batch_size: B, an int >= 1.
        rng: a ``numpy.random.Generator`` (its state advances).
        group: how many batches' worth of sequences are sorted together, an int >= 1
            (1: random batches; m / B: batches sorted by length, then shuffled).

    Returns:
        list of int arrays of example indices, together a permutation of 0 … m-1.
    """
    lengths = as_array("lengths", lengths, ndim=1)
    if lengths.size == 0:
        raise ValueError("lengths: expected at least one sequence, got an empty array")
    batch_size = check_positive_int("batch_size", batch_size)
    group = check_positive_int("group", group)
    _check_rng(rng)
    order = rng.permutation(len(lengths))
    size = group * batch_size
    batches = []
    for start in range(0, len(order), size):
        chunk = order[start:start + size]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches += [chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]
