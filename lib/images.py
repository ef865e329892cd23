"""Image data for the book: synthetic shapes drawn with numpy, and matplotlib's sample photos.

Chapter ``02_binary_classification`` unrolls an image into a feature vector; chapter ``05_vectorization`` trains logistic
regression on :func:`make_shapes` (is there a circle?); chapter ``15_edge_detection`` standardises
crops of a photograph (:func:`standardize_images`); chapter ``17_convolutional_networks`` trains a CNN on
the shapes with several classes. Images follow the CNN notation
(m, n_H, n_W, n_C), values in [0, 1]; :func:`images_to_columns` turns them
into the (n_x, m) matrix X of the fully-connected chapters. Generated data is
float64; every function that takes images keeps float32 as float32.
"""
import numpy as np

from lib._checks import as_float, check_choice, check_positive_int, check_range, check_seed

SHAPES = ("circle", "square", "triangle", "cross")
"""The classes :func:`make_shapes` can draw, in label order."""

PHOTOS = ("grace_hopper.jpg", "Minduka_Present_Blue_Pack.png")
"""The colour pictures matplotlib ships that :func:`sample_photo` can load."""


def _mask(kind, size, cy, cx, radius):
    yy, xx = np.mgrid[0:size, 0:size].astype(float)
    dy, dx = yy - cy, xx - cx
    if kind == "circle":
        return dy ** 2 + dx ** 2 <= radius ** 2
    if kind == "square":
        return (np.abs(dy) <= radius * 0.85) & (np.abs(dx) <= radius * 0.85)
    if kind == "triangle":
        # apex up: inside when below the two slanted edges and above the base
        return (dy <= radius * 0.8) & (dy >= -radius) & (np.abs(dx) <= (dy + radius) * 0.6)
    if kind == "cross":
        arm = radius * 0.3
        return ((np.abs(dy) <= arm) & (np.abs(dx) <= radius)) | ((np.abs(dx) <= arm) & (np.abs(dy) <= radius))
    raise ValueError(f"kind: expected one of {SHAPES}, got {kind!r}")


def make_shapes(m=300, size=64, classes=SHAPES, channels=3, noise=0.1, jitter=0.15, seed=0):
    """Pictures of coloured shapes on a noisy background, one shape per picture.

    Each picture has a random background colour, one shape of a random colour,
    radius (between 0.2 and 0.35 of ``size``) and centre (moved from the middle
    by up to ``jitter`` × ``size``), and Gaussian pixel noise of std ``noise``.

    Args:
        m: number of pictures. size: their height and width n_H = n_W.
        classes: the shapes to draw, a subset of :data:`SHAPES`; label k is ``classes[k]``.
        channels: 3 for colour (RGB), 1 for grey.
        noise: pixel noise, >= 0. jitter: how far the shape's centre may move, as a
            fraction of ``size``, in [0, 0.5]. seed: the random seed (an int >= 0 or None).

    Returns:
        (images, labels): images of shape (m, size, size, channels) in [0, 1],
        float64; labels of shape (m,), integers in [0, len(classes)).
    """
    m = check_positive_int("m", m)
    size = check_positive_int("size", size, minimum=8)
    if isinstance(channels, bool) or channels not in (1, 3):
        raise ValueError(f"channels: expected 1 or 3, got {channels!r}")
    if isinstance(classes, str) or not hasattr(classes, "__len__"):
        raise TypeError(f"classes: expected a sequence of names from {SHAPES}, got {classes!r}")
    unknown = [c for c in classes if c not in SHAPES]
    if unknown or not classes or len(set(classes)) != len(classes):
        raise ValueError(f"classes: expected a non-empty subset of {SHAPES} without repeats, "
                         f"got {tuple(classes)}")
    check_range("noise", noise, 0)
    check_range("jitter", jitter, 0, 0.5)
    rng = np.random.default_rng(check_seed(seed))
    labels = rng.integers(0, len(classes), m)
    images = np.empty((m, size, size, channels))
    for i, label in enumerate(labels):
        background = rng.uniform(0, 1, channels)
        colour = rng.uniform(0, 1, channels)
        while np.abs(colour - background).max() < 0.35:  # keep the shape visible
            colour = rng.uniform(0, 1, channels)
        radius = rng.uniform(0.2, 0.35) * size
        cy, cx = size / 2 + rng.uniform(-jitter, jitter, 2) * size
        mask = _mask(classes[label], size, cy, cx, radius)
        images[i] = np.where(mask[..., None], colour, background)
    images += rng.normal(0, noise, images.shape)
    return np.clip(images, 0, 1), labels


def _images(name, images):
    return as_float(name, images, ndim=4, meaning="(m, n_H, n_W, n_C)")


def images_to_columns(images):
    """Unroll images (m, n_H, n_W, n_C) into X of shape (n_x, m), n_x = n_H·n_W·n_C.

    Column i is image i read row by row, each pixel's channels together
    (the order of ``images[i].reshape(-1)``).
    """
    images = _images("images", images)
    return images.reshape(images.shape[0], -1).T


def columns_to_images(X, n_H, n_W, n_C):
    """Inverse of :func:`images_to_columns`: X (n_x, m) → images (m, n_H, n_W, n_C)."""
    X = as_float("X", X, ndim=2, meaning="(n_x, m)")
    n_H, n_W, n_C = (check_positive_int(k, v) for k, v in (("n_H", n_H), ("n_W", n_W), ("n_C", n_C)))
    if X.shape[0] != n_H * n_W * n_C:
        raise ValueError(f"X: expected n_x = {n_H}·{n_W}·{n_C} = {n_H * n_W * n_C} rows, "
                         f"got shape {X.shape}")
    return X.T.reshape(-1, n_H, n_W, n_C)


def standardize_images(images):
    r"""Give each image mean 0 and standard deviation 1 over its pixels and channels.

    :math:`x \leftarrow (x - \mu^{(i)}) / \sigma^{(i)}` per example i. The shapes of
    :func:`make_shapes` have random colours on random backgrounds; without this,
    a dark-on-light and a light-on-dark shape look unrelated to the filters.

    Args:
        images: (m, n_H, n_W, n_C).

    Returns:
        an array of the same shape and dtype (a flat image becomes all zeros).
    """
    images = _images("images", images)
    # divide by each image's largest |x| first (the result does not change), so that
    # the squares in the standard deviation neither overflow (1e300) nor vanish (1e-300)
    largest = np.abs(images).max(axis=(1, 2, 3), keepdims=True)
    scaled = images / np.where(largest > 0, largest, 1).astype(images.dtype)
    centred = scaled - scaled.mean(axis=(1, 2, 3), keepdims=True)
    spread = centred.std(axis=(1, 2, 3), keepdims=True)
    return centred / np.where(spread > 0, spread, 1).astype(images.dtype)


def sample_photo(name="grace_hopper.jpg"):
    """A photograph that matplotlib ships (no download): (n_H, n_W, 3) floats in [0, 1].

    ``grace_hopper.jpg`` is a 600 × 512 portrait of Rear Admiral Grace Hopper
    (a U.S. Navy photograph, in the public domain).

    Args:
        name: one of :data:`PHOTOS`.
    """
    check_choice("name", name, PHOTOS)
    import matplotlib.cbook as cbook
    import matplotlib.image as mpimg

    with cbook.get_sample_data(name) as f:
        img = mpimg.imread(f, format=name.rsplit(".", 1)[-1])
    img = np.asarray(img, dtype=float)[:, :, :3]          # drop a PNG's alpha channel
    return img / 255.0 if img.max() > 1 else img


def to_grey(images):
    """Luma grey (0.299 R + 0.587 G + 0.114 B) of (..., 3) images → (..., 1), the input's dtype."""
    images = as_float("images", images, meaning="(..., 3)")
    if images.ndim < 1 or images.shape[-1] != 3:
        raise ValueError(f"images: expected 3 channels last, (..., 3), got shape {images.shape}")
    return (images @ np.array([0.299, 0.587, 0.114], dtype=images.dtype))[..., None]


def square_crop(image):
    """The largest centred square of an image (n_H, n_W, n_C) → (k, k, n_C), k = min(n_H, n_W)."""
    image = as_float("image", image, ndim=3, meaning="(n_H, n_W, n_C)")
    n_H, n_W = image.shape[:2]
    k = min(n_H, n_W)
    top, left = (n_H - k) // 2, (n_W - k) // 2
    return image[top:top + k, left:left + k]


def _box_matrix(n_out, n_in):
    """(n_out, n_in) matrix whose row i averages the input cells that output cell i covers.

    Output cell i spans [i·n_in/n_out, (i+1)·n_in/n_out) in input units; each
    input cell is weighted by how much of it lies inside that span (area
    averaging, so a downscaled photo does not alias).
    """
    edges = np.arange(n_out + 1) * (n_in / n_out)
    lo, hi = edges[:-1, None], edges[1:, None]
    cells = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(hi, cells + 1) - np.maximum(lo, cells), 0, None)
    return overlap / overlap.sum(axis=1, keepdims=True)


def resize(images, n_H, n_W):
    """Resize images by area averaging: (..., H, W, n_C) → (..., n_H, n_W, n_C).

    Each output pixel is the mean of the input pixels under it (weighted by
    the overlap), computed as R_H · image · R_Wᵀ with two small averaging
    matrices, one per axis.

    Args:
        images: one image (H, W, n_C) or a batch (m, H, W, n_C).
        n_H, n_W: the new height and width.

    Returns:
        array of shape (..., n_H, n_W, n_C).
    """
    images = as_float("images", images)
    if images.ndim not in (3, 4):
        raise ValueError(f"images: expected shape (n_H, n_W, n_C) or (m, n_H, n_W, n_C), "
                         f"got {images.shape}")
    n_H = check_positive_int("n_H", n_H)
    n_W = check_positive_int("n_W", n_W)
    R_H = _box_matrix(n_H, images.shape[-3]).astype(images.dtype)
    R_W = _box_matrix(n_W, images.shape[-2]).astype(images.dtype)
    return np.einsum("ih,...hwc,jw->...ijc", R_H, images, R_W, optimize=True)
