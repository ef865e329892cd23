r"""Data augmentation of images: shifts and flips, seeded.

Taught in chapter ``11_regularization``. A model that must recognise a shape
wherever it sits and whichever way it faces can be shown more of those cases
than the training set holds: each training picture, shifted by a few pixels
or mirrored, is a new example with the same label. The transformations must
keep the label true (a horizontally mirrored circle, square, upright triangle
or cross is still one; a vertically flipped "6" is a "9").

Images follow the CNN notation, examples first: (m, n_H, n_W, n_C). Every
function keeps the dtype (float32 stays float32) and never modifies its input.
"""
import numpy as np

from lib._checks import as_float, as_indices, check_choice, check_positive_int, check_seed, checked_by

FLIPS = ("horizontal", "vertical")
"""The flips :func:`flip_images` knows: left–right (axis n_W) and up–down (axis n_H)."""

FILLS = ("edge", "zeros")
"""How :func:`shift_images` fills the pixels uncovered by a shift."""


def _images(images):
    return as_float("images", images, ndim=4, meaning="(m, n_H, n_W, n_C)")


def _shifts(name, value, m, limit):
    """An (m,) int array of shifts, from an int (the same for every image) or m ints, each |s| < limit."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "iu" or arr.ndim > 1:
        raise TypeError(f"{name}: expected an integer or an (m,) array of integers (pixels), "
                        f"got {type(value).__name__} {arr.dtype}")
    arr = np.broadcast_to(arr, (m,)) if arr.ndim == 0 else arr
    if arr.shape != (m,):
        raise ValueError(f"{name}: expected one shift per image, (m,) = ({m},), got shape {arr.shape}")
    if arr.size and np.abs(arr).max() >= limit:
        raise ValueError(f"{name}: expected shifts smaller than the image ({limit} pixels), "
                         f"got {int(np.abs(arr).max())}")
    return arr.astype(np.int64)


def _check_shift(images, dy, dx, fill):
    images = _images(images)
    m, n_H, n_W, _ = images.shape
    return {"images": images, "dy": _shifts("dy", dy, m, n_H), "dx": _shifts("dx", dx, m, n_W),
            "fill": check_choice("fill", fill, FILLS)}


@checked_by(_check_shift)
def shift_images(images, dy, dx, fill="edge"):
    r"""Move each image's content dy pixels down and dx pixels right.

    Output pixel (h, w) of image i is input pixel :math:`(h - dy_i,\ w - dx_i)`
    when that lies inside the image; the pixels uncovered at the border take
    the value of the nearest border pixel of the input (``fill='edge'``: the
    background goes on) or 0 (``'zeros'``). Content pushed past the border is lost.

    Args:
        images: (m, n_H, n_W, n_C).
        dy: an int or (m,) ints, each |dy| < n_H (negative: up).
        dx: an int or (m,) ints, each |dx| < n_W (negative: left).
        fill: 'edge' or 'zeros'.

    Returns:
        a new array of images' shape and dtype.
    """
    m, n_H, n_W, _ = images.shape
    mode = "edge" if fill == "edge" else "constant"
    out = np.empty_like(images)
    for i in range(m):
        a, b = abs(dy[i]), abs(dx[i])
        padded = np.pad(images[i], ((a, a), (b, b), (0, 0)), mode=mode)   # input pixel p is padded p + a
        out[i] = padded[a - dy[i]:a - dy[i] + n_H, b - dx[i]:b - dx[i] + n_W]
    return out


def _check_flip(images, direction):
    return {"images": _images(images), "direction": check_choice("direction", direction, FLIPS)}


@checked_by(_check_flip)
def flip_images(images, direction="horizontal"):
    """Mirror every image: left–right (``'horizontal'``, reverses the n_W axis) or up–down (``'vertical'``, n_H).

    Args:
        images: (m, n_H, n_W, n_C). direction: 'horizontal' or 'vertical'.

    Returns:
        a new array of images' shape and dtype.
    """
    return np.flip(images, axis=2 if direction == "horizontal" else 1).copy()


def _check_random(images, max_shift, flip, seed):
    images = _images(images)
    max_shift = check_positive_int("max_shift", max_shift, minimum=0)
    if max_shift >= min(images.shape[1:3]):
        raise ValueError(f"max_shift: expected fewer pixels than the image's side "
                         f"({min(images.shape[1:3])}), got {max_shift}")
    if not isinstance(flip, (bool, np.bool_)):
        raise TypeError(f"flip: expected True or False, got {type(flip).__name__} {flip!r}")
    return {"images": images, "max_shift": max_shift, "flip": bool(flip), "seed": check_seed(seed)}


@checked_by(_check_random)
def random_augment(images, max_shift=2, flip=True, seed=0):
    """One random variant of each image: a shift, then (maybe) a left–right mirror.

    Image i is shifted by dy_i, dx_i drawn uniformly from {−s, …, s} with
    s = ``max_shift`` (:func:`shift_images`, edge fill) and, when ``flip``, mirrored
    left–right with probability 1/2 (:func:`flip_images`).

    Args:
        images: (m, n_H, n_W, n_C). max_shift: s, an int >= 0, smaller than n_H and n_W.
        flip: whether to mirror half of the images. seed: an int >= 0 or None.

    Returns:
        a new array of images' shape and dtype.
    """
    rng = np.random.default_rng(seed)
    m = images.shape[0]
    dy = rng.integers(-max_shift, max_shift + 1, m)
    dx = rng.integers(-max_shift, max_shift + 1, m)
    out = shift_images.unchecked(images, dy, dx, "edge")
    if flip:
        mirror = rng.random(m) < 0.5
        out[mirror] = flip_images.unchecked(out[mirror], "horizontal")
    return out


def _check_augment(images, labels, copies, max_shift, flip, seed):
    checked = _check_random(images, max_shift, flip, seed)
    labels = as_indices("labels", labels, np.iinfo(np.int64).max, ndim=1, meaning="(m,)")
    if labels.size != checked["images"].shape[0]:
        raise ValueError(f"labels: expected {checked['images'].shape[0]} labels (one per image), got {labels.size}")
    return {"labels": labels, "copies": check_positive_int("copies", copies), **checked}


@checked_by(_check_augment)
def augment_dataset(images, labels, copies=1, max_shift=2, flip=True, seed=0):
    """A training set grown by ``copies`` random variants of every image (:func:`random_augment`).

    Args:
        images: (m, n_H, n_W, n_C). labels: (m,) integer class labels.
        copies: variants per image, an int >= 1. max_shift, flip: as in
            :func:`random_augment`. seed: an int >= 0 or None (copy k uses a
            generator seeded from it, so the copies differ).

    Returns:
        (images, labels): ((1 + copies)·m, n_H, n_W, n_C) in images' dtype, the
        originals first, then each copy in turn; labels ((1 + copies)·m,), repeated to match.
    """
    seeds = np.random.default_rng(seed).integers(0, 2**31, copies)
    variants = [random_augment.unchecked(images, max_shift, flip, int(s)) for s in seeds]
    return np.concatenate([images, *variants]), np.tile(labels, copies + 1)
