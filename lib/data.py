"""Small data sets made with numpy, seeded, never downloaded.

Chapters 6 and 7 use the planar sets (a line cannot split them); every
chapter with a train/test split uses :func:`train_test_split`. Every set
follows the book's notation: X is (n_x, m), one column per example, and
Y is (1, m). The multi-class set, :func:`make_spirals` (the softmax-regression
chapter's), returns its labels as class indices, (m,) integers, which
:func:`one_hot` turns into the (n_y, m) one-hot matrix.
"""
import numpy as np

from lib._checks import as_float, as_indices, check_finite, check_positive_int, check_range, make_rng


def make_flower(m=400, noise=0.2, seed=1):
    r"""The planar "flower" of the lecture: two classes in interleaved petals.

    For class j (0 or 1), angles θ run over [3.12 j, 3.12 (j+1)] plus Gaussian
    noise, the radius is :math:`r = 4 \sin 4\theta` plus noise, and the point is
    :math:`(r \sin\theta, r\cos\theta)`: eight petals, alternately red and blue.

    Args:
        m: number of examples, an even integer >= 2.
        noise: std of the noise on θ and r, a number >= 0.
        seed: the random seed, an int >= 0 or None (fresh randomness).

    Returns:
        (X, Y): X of shape (2, m), Y of shape (1, m) with labels 0/1, float64.
    """
    m = check_positive_int("m", m, minimum=2)
    if m % 2:
        raise ValueError(f"m: expected an even number of examples, got {m}")
    check_range("noise", noise, 0)
    rng = make_rng(seed)
    per_class = m // 2
    X = np.zeros((2, m))
    Y = np.zeros((1, m))
    for label in (0, 1):
        idx = slice(label * per_class, (label + 1) * per_class)
        theta = np.linspace(label * 3.12, (label + 1) * 3.12, per_class) + rng.normal(0, noise, per_class)
        r = 4 * np.sin(4 * theta) + rng.normal(0, noise, per_class)
        X[0, idx] = r * np.sin(theta)
        X[1, idx] = r * np.cos(theta)
        Y[0, idx] = label
    return X, Y


def make_moons(m=400, noise=0.15, seed=1):
    """Two interleaving half circles, shuffled.

    Args:
        m: number of examples, an integer >= 2 (m // 2 of class 0, the rest of class 1).
        noise: std of the Gaussian noise added to each coordinate, a number >= 0.
        seed: the random seed, an int >= 0 or None.

    Returns:
        (X of shape (2, m), Y of shape (1, m)) with labels 0/1, float64.
    """
    m = check_positive_int("m", m, minimum=2)
    check_range("noise", noise, 0)
    rng = make_rng(seed)
    n0 = m // 2
    n1 = m - n0
    t0 = rng.uniform(0, np.pi, n0)
    t1 = rng.uniform(0, np.pi, n1)
    X = np.hstack([np.vstack([np.cos(t0), np.sin(t0)]),
                   np.vstack([1 - np.cos(t1), 0.5 - np.sin(t1)])])
    X += rng.normal(0, noise, X.shape)
    Y = np.hstack([np.zeros(n0), np.ones(n1)])[None, :]
    return _shuffle(X, Y, rng)


def make_circles(m=400, factor=0.5, noise=0.08, seed=1):
    """A small circle (class 1) inside a large one (class 0), shuffled.

    Args:
        m: number of examples, an integer >= 2 (m // 2 on the large circle).
        factor: radius of the small circle relative to the large one (radius 1), in (0, 1).
        noise: std of the Gaussian noise added to each coordinate, a number >= 0.
        seed: the random seed, an int >= 0 or None.

    Returns:
        (X of shape (2, m), Y of shape (1, m)) with labels 0/1, float64.
    """
    m = check_positive_int("m", m, minimum=2)
    check_range("factor", factor, 0, 1, low_open=True, high_open=True)
    check_range("noise", noise, 0)
    rng = make_rng(seed)
    n0 = m // 2
    n1 = m - n0
    t = rng.uniform(0, 2 * np.pi, m)
    radius = np.hstack([np.ones(n0), factor * np.ones(n1)])
    X = radius * np.vstack([np.cos(t), np.sin(t)]) + rng.normal(0, noise, (2, m))
    Y = np.hstack([np.zeros(n0), np.ones(n1)])[None, :]
    return _shuffle(X, Y, rng)


def make_blobs(m=200, centers=((-1.5, -1.0), (1.5, 1.0)), std=0.8, seed=1):
    """Gaussian blobs, one class per centre (linearly separable when well apart), shuffled.

    Example i belongs to class i mod k and is its centre plus Gaussian noise.

    Args:
        m: number of examples, an integer >= k (one per class at least).
        centers: (k, 2) the k >= 1 centres, one row (x_1, x_2) per class.
        std: std of the noise on each coordinate, a number >= 0.
        seed: the random seed, an int >= 0 or None.

    Returns:
        (X of shape (2, m), Y of shape (1, m)) with labels 0 .. k-1, float64.
    """
    centers = as_float("centers", centers, ndim=2, meaning="(k, 2): one centre per class")
    if centers.shape[1] != 2:
        raise ValueError(f"centers: expected shape (k, 2), one (x_1, x_2) per class, got {centers.shape}")
    m = check_positive_int("m", m, minimum=len(centers))
    check_range("std", std, 0)
    rng = make_rng(seed)
    labels = np.arange(m) % len(centers)
    X = centers.astype(np.float64)[labels].T + rng.normal(0, std, (2, m))
    return _shuffle(X, labels[None, :].astype(float), rng)


def make_spirals(m=400, n_classes=4, turns=0.5, noise=0.2, seed=1):
    r"""Interleaved spiral arms in the plane, one class per arm, shuffled: a multi-class set.

    Example i belongs to class :math:`k = i \bmod K` (so the K classes differ in
    size by at most one). Along its arm, :math:`t \sim U(0, 1)` is the radius and

    .. math:: \theta = \frac{2\pi k}{K} + 2\pi\,\text{turns}\cdot t + \epsilon,
              \quad \epsilon \sim \mathcal N(0, \text{noise}^2),
              \qquad x = (t\cos\theta,\; t\sin\theta).

    With ``turns`` near 0 the arms are straight wedges from the origin, which a
    linear classifier (softmax regression) separates; the more they wind, the
    less a linear one can.

    Args:
        m: number of examples, an integer >= n_classes.
        n_classes: K, the number of arms (classes), an integer >= 2.
        turns: how far each arm winds from the centre to radius 1, in turns (a number >= 0).
        noise: std of the Gaussian noise on the angle θ, in radians (a number >= 0).
        seed: the random seed, an int >= 0 or None.

    Returns:
        (X, labels): X of shape (2, m), float64; labels of shape (m,), int64 in [0, K).
    """
    n_classes = check_positive_int("n_classes", n_classes, minimum=2)
    m = check_positive_int("m", m, minimum=n_classes)
    check_range("turns", turns, 0)
    check_range("noise", noise, 0)
    rng = make_rng(seed)
    labels = np.arange(m) % n_classes
    t = rng.uniform(0, 1, m)
    theta = 2 * np.pi * labels / n_classes + 2 * np.pi * turns * t + rng.normal(0, noise, m)
    X = t * np.vstack([np.cos(theta), np.sin(theta)])
    X, labels = _shuffle(X, labels, rng)
    return X, labels.astype(np.int64)


def _shuffle(X, Y, rng):
    order = rng.permutation(X.shape[-1])
    return X[..., order], Y[..., order]


def _examples(name, value, example_axis):
    """A numeric array with an axis ``example_axis`` (no NaN or infinity in floats)."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name}: expected an array of numbers, got {type(value).__name__} of dtype {arr.dtype}")
    if not -arr.ndim <= example_axis < arr.ndim:
        raise ValueError(f"{name}: expected an axis {example_axis} (example_axis) to hold the examples, "
                         f"got shape {arr.shape}")
    if arr.dtype.kind == "f":
        check_finite(name, arr)
    return arr


def train_test_split(X, Y, test_fraction=0.25, seed=0, example_axis=-1):
    """Split examples into a training and a test set, shuffled with a seed.

    The examples are put in a random order (a permutation drawn with ``seed``);
    the first round(m · test_fraction) of them (at least one) form the test set.

    Args:
        X: the inputs with examples along ``example_axis``: (n_x, m) in the book's
            notation (the last axis, columns), or (m, n_H, n_W, n_C) images with axis 0.
        Y: the labels with the same m examples along the same axis, e.g. (1, m) or (m,).
        test_fraction: share of examples held out, in (0, 1); at least one example
            must be left for training.
        seed: the random seed, an int >= 0 or None.
        example_axis: the axis of X and Y that counts examples.

    Returns:
        (X_train, Y_train, X_test, Y_test), each in the dtype of its input.
    """
    if isinstance(example_axis, bool) or not isinstance(example_axis, (int, np.integer)):
        raise TypeError(f"example_axis: expected an integer, got {type(example_axis).__name__} {example_axis!r}")
    X = _examples("X", X, example_axis)
    Y = _examples("Y", Y, example_axis)
    m = X.shape[example_axis]
    if Y.shape[example_axis] != m:
        raise ValueError(f"Y: expected {m} examples along axis {example_axis} (as X), "
                         f"got shape {Y.shape}")
    check_range("test_fraction", test_fraction, 0, 1, low_open=True, high_open=True)
    rng = make_rng(seed)
    if m < 2:
        raise ValueError(f"X: expected at least 2 examples along axis {example_axis} "
                         f"(one to train, one to test), got shape {X.shape}")
    order = rng.permutation(m)
    n_test = max(1, int(round(m * test_fraction)))
    if n_test >= m:
        raise ValueError(f"X: expected enough examples to keep some for training, got m = {m} "
                         f"with test_fraction = {test_fraction}")
    test, train = order[:n_test], order[n_test:]
    take = lambda A, idx: np.take(A, idx, axis=example_axis)  # noqa: E731
    return take(X, train), take(Y, train), take(X, test), take(Y, test)


def one_hot(labels, n_classes):
    """One-hot encode integer labels: (m,) or (1, m) → (n_classes, m).

    Column i is :math:`e_{y^{(i)}}`: 1 in row ``labels[i]``, 0 elsewhere.

    Args:
        labels: (m,) or (1, m) class indices, whole numbers in [0, n_classes)
            (2.0 is accepted, 1.5 and -1 are refused: never truncated or wrapped round).
        n_classes: the number of classes, an integer >= 1.

    Returns:
        (n_classes, m) float64 array of 0s and 1s, one 1 per column.
    """
    n_classes = check_positive_int("n_classes", n_classes)
    labels = as_indices("labels", labels, n_classes)
    if labels.ndim > 2 or (labels.ndim == 2 and labels.shape[0] != 1):
        raise ValueError(f"labels: expected shape (m,) or (1, m), got {labels.shape}")
    labels = labels.reshape(-1)
    out = np.zeros((n_classes, labels.size))
    out[labels, np.arange(labels.size)] = 1.0
    return out
