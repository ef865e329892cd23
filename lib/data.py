"""Small data sets made with numpy, seeded, never downloaded.

Chapters 6 and 7 use the planar sets (a line cannot split them); every
chapter with a train/test split uses :func:`train_test_split`. Every set
follows the book's notation: X is (n_x, m), one column per example, and
Y is (1, m).
"""
import numpy as np

from lib._checks import as_array, check_positive_int


def _rng(seed):
    return np.random.default_rng(seed)


def _check_noise(name, value):
    if not (np.isscalar(value) and np.isfinite(value) and value >= 0):
        raise ValueError(f"{name}: expected a number >= 0, got {value!r}")
    return float(value)


def make_flower(m=400, noise=0.2, seed=1):
    r"""The planar "flower" of the lecture: two classes in interleaved petals.

    For class j (0 or 1), angles θ run over [3.12 j, 3.12 (j+1)] plus Gaussian
    noise, the radius is :math:`r = 4 \sin 4\theta` plus noise, and the point is
    :math:`(r \sin\theta, r\cos\theta)`: eight petals, alternately red and blue.

    Args:
        m: number of examples (an even number). noise: std of the noise on θ and r.
        seed: the random seed.

    Returns:
        (X, Y): X of shape (2, m), Y of shape (1, m) with labels 0/1.
    """
    m = check_positive_int("m", m, minimum=2)
    if m % 2:
        raise ValueError(f"m: expected an even number of examples, got {m}")
    _check_noise("noise", noise)
    rng = _rng(seed)
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
    """Two interleaving half circles. Returns (X of shape (2, m), Y of shape (1, m))."""
    m = check_positive_int("m", m, minimum=2)
    _check_noise("noise", noise)
    rng = _rng(seed)
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
    """A small circle (class 1) inside a large one (class 0). Returns (X (2, m), Y (1, m))."""
    m = check_positive_int("m", m, minimum=2)
    if not 0 < factor < 1:
        raise ValueError(f"factor: expected a number in (0, 1), got {factor!r}")
    _check_noise("noise", noise)
    rng = _rng(seed)
    n0 = m // 2
    n1 = m - n0
    t = rng.uniform(0, 2 * np.pi, m)
    radius = np.hstack([np.ones(n0), factor * np.ones(n1)])
    X = radius * np.vstack([np.cos(t), np.sin(t)]) + rng.normal(0, noise, (2, m))
    Y = np.hstack([np.zeros(n0), np.ones(n1)])[None, :]
    return _shuffle(X, Y, rng)


def make_blobs(m=200, centers=((-1.5, -1.0), (1.5, 1.0)), std=0.8, seed=1):
    """Gaussian blobs, one class per centre (linearly separable when well apart).

    Returns (X of shape (2, m), Y of shape (1, m)) with labels 0 .. len(centers)-1.
    """
    m = check_positive_int("m", m, minimum=len(centers))
    _check_noise("std", std)
    rng = _rng(seed)
    labels = np.arange(m) % len(centers)
    X = np.asarray(centers, dtype=float)[labels].T + rng.normal(0, std, (2, m))
    return _shuffle(X, labels[None, :].astype(float), rng)


def _shuffle(X, Y, rng):
    order = rng.permutation(X.shape[-1])
    return X[..., order], Y[..., order]


def train_test_split(X, Y, test_fraction=0.25, seed=0, example_axis=-1):
    """Split examples into a training and a test set, shuffled with a seed.

    Args:
        X: the inputs with examples along ``example_axis`` (the last axis,
            columns, in the book's notation; axis 0 for images (m, n_H, n_W, n_C)).
        Y: the labels with examples along the same axis.
        test_fraction: share of examples held out, in (0, 1).

    Returns:
        (X_train, Y_train, X_test, Y_test).
    """
    X = np.asarray(X)
    Y = np.asarray(Y)
    m = X.shape[example_axis]
    if Y.shape[example_axis] != m:
        raise ValueError(f"Y: expected {m} examples along axis {example_axis} (as X), "
                         f"got shape {Y.shape}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction: expected a number in (0, 1), got {test_fraction!r}")
    order = _rng(seed).permutation(m)
    n_test = max(1, int(round(m * test_fraction)))
    if n_test >= m:
        raise ValueError(f"X: expected enough examples to keep some for training, got m = {m} "
                         f"with test_fraction = {test_fraction}")
    test, train = order[:n_test], order[n_test:]
    take = lambda A, idx: np.take(A, idx, axis=example_axis)  # noqa: E731
    return take(X, train), take(Y, train), take(X, test), take(Y, test)


def one_hot(labels, n_classes):
    """One-hot encode integer labels: (m,) or (1, m) → (n_classes, m)."""
    labels = as_array("labels", labels, dtype=np.int64).reshape(-1)
    n_classes = check_positive_int("n_classes", n_classes)
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels: expected integers in [0, {n_classes - 1}], "
                         f"got range [{labels.min()}, {labels.max()}]")
    out = np.zeros((n_classes, labels.size))
    out[labels, np.arange(labels.size)] = 1.0
    return out
