"""Tests for lib.augmentation: shifts move pixels by exactly (dy, dx) and fill the border as asked,
flips are their own inverse, random variants are seeded and label-preserving in shape and count."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.augmentation as aug
from contract import assert_refused, bad

LAYERS = []          # no forward/backward pairs: augmentation changes the data, not the model


def _images(seed, m=3, n_H=6, n_W=7, n_C=2, dtype=np.float64):
    return np.random.default_rng(seed).random((m, n_H, n_W, n_C)).astype(dtype)


# --------------------------------------------------------------------- shifts
def test_a_shift_of_zero_is_the_identity():
    x = _images(0)
    assert np.array_equal(aug.shift_images(x, 0, 0), x)


def test_a_shift_moves_every_pixel_by_dy_dx():
    x = _images(1)
    out = aug.shift_images(x, 2, -3)
    assert np.array_equal(out[:, 2:, :-3], x[:, :-2, 3:])        # out[h, w] = x[h - 2, w + 3]


def test_the_uncovered_border_is_the_edge_or_zeros():
    x = _images(2)
    edge = aug.shift_images(x, 1, 2)
    assert np.array_equal(edge[:, 0, 2:], x[:, 0, :-2])          # the top row is repeated
    assert np.array_equal(edge[:, 1:, 0], x[:, :-1, 0])          # the left column is repeated
    zeros = aug.shift_images(x, 1, 2, fill="zeros")
    assert np.all(zeros[:, 0] == 0) and np.all(zeros[:, :, :2] == 0)


def test_a_constant_image_is_unchanged_by_an_edge_filled_shift():
    x = np.full((2, 5, 5, 3), 0.4)
    assert np.array_equal(aug.shift_images(x, [1, -2], [-1, 3]), x)


def test_each_image_gets_its_own_shift():
    x = _images(3)
    out = aug.shift_images(x, [0, 1, -1], [1, 0, 0])
    for i, (dy, dx) in enumerate([(0, 1), (1, 0), (-1, 0)]):
        assert np.array_equal(out[i], aug.shift_images(x[i:i + 1], dy, dx)[0])


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_shifting_back_restores_the_pixels_that_stayed_inside(seed):
    rng = np.random.default_rng(seed)
    x = _images(seed, n_H=8, n_W=9)
    dy, dx = int(rng.integers(-3, 4)), int(rng.integers(-3, 4))
    back = aug.shift_images(aug.shift_images(x, dy, dx), -dy, -dx)
    rows = slice(max(0, -dy), 8 - max(0, dy))
    cols = slice(max(0, -dx), 9 - max(0, dx))
    assert np.array_equal(back[:, rows, cols], x[:, rows, cols])


# --------------------------------------------------------------------- flips
def test_flips_reverse_one_axis_and_are_their_own_inverse():
    x = _images(4)
    assert np.array_equal(aug.flip_images(x), x[:, :, ::-1])
    assert np.array_equal(aug.flip_images(x, "vertical"), x[:, ::-1])
    for direction in aug.FLIPS:
        assert np.array_equal(aug.flip_images(aug.flip_images(x, direction), direction), x)


def test_a_left_right_symmetric_picture_is_its_own_mirror():
    row = np.array([0.1, 0.5, 0.9, 0.5, 0.1])
    x = np.broadcast_to(row[None, None, :, None], (1, 4, 5, 1))
    assert np.array_equal(aug.flip_images(x), x)


# --------------------------------------------------------------------- random variants
def test_random_augment_is_seeded_and_its_variants_differ():
    x = _images(5, m=20)
    assert np.array_equal(aug.random_augment(x, seed=1), aug.random_augment(x, seed=1))
    assert not np.array_equal(aug.random_augment(x, seed=1), aug.random_augment(x, seed=2))


def test_random_augment_without_shift_or_flip_is_the_identity():
    x = _images(6)
    assert np.array_equal(aug.random_augment(x, max_shift=0, flip=False), x)


def test_random_augment_with_flips_only_mirrors_some_images_and_leaves_the_others():
    x = _images(7, m=40)
    out = aug.random_augment(x, max_shift=0, flip=True, seed=0)
    mirrored = np.array([np.array_equal(o, i[:, ::-1]) for o, i in zip(out, x)])
    same = np.array([np.array_equal(o, i) for o, i in zip(out, x)])
    assert np.all(mirrored ^ same) and 5 < mirrored.sum() < 35


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), max_shift=st.integers(0, 3))
def test_every_variant_is_a_shift_of_at_most_max_shift_then_maybe_a_mirror(seed, max_shift):
    x = _images(seed, m=4, n_H=8, n_W=8)
    out = aug.random_augment(x, max_shift=max_shift, flip=True, seed=seed)
    for o, i in zip(out, x):
        candidates = [aug.shift_images(i[None], dy, dx)[0] for dy in range(-max_shift, max_shift + 1)
                      for dx in range(-max_shift, max_shift + 1)]
        assert any(np.array_equal(o, c) or np.array_equal(o, c[:, ::-1]) for c in candidates)


def test_augment_dataset_keeps_the_originals_first_and_repeats_the_labels():
    x = _images(8, m=5).astype(np.float32)
    labels = np.array([0, 3, 1, 2, 3])
    images, y = aug.augment_dataset(x, labels, copies=2, seed=0)
    assert images.shape == (15, 6, 7, 2) and images.dtype == np.float32
    assert np.array_equal(images[:5], x) and np.array_equal(y, np.tile(labels, 3))
    assert not np.array_equal(images[5:10], images[10:15])


def test_float32_is_kept_and_the_input_is_not_changed():
    x = _images(9, dtype=np.float32)
    before = x.copy()
    for out in (aug.shift_images(x, 1, 1), aug.flip_images(x), aug.random_augment(x)):
        assert out.dtype == np.float32
    assert np.array_equal(x, before)


# --------------------------------------------------------------------- bad input
_X = np.zeros((2, 5, 5, 1))

BAD_INPUTS = [
    bad(aug.shift_images, "images", np.zeros((5, 5, 1)), 1, 1),
    bad(aug.shift_images, "images", np.full((1, 3, 3, 1), np.nan), 1, 1),
    bad(aug.shift_images, "dy", _X, 5, 0),
    bad(aug.shift_images, "dx", _X, 0, [1, 2, 3]),
    bad(aug.shift_images, "dx", _X, 0, 1.5, error=TypeError),
    bad(aug.shift_images, "fill", _X, 1, 1, fill="wrap"),

    bad(aug.flip_images, "images", np.zeros((5, 5)), "horizontal"),
    bad(aug.flip_images, "images", np.zeros((0, 5, 5, 1)), "horizontal"),
    bad(aug.flip_images, "direction", _X, "diagonal"),
    bad(aug.flip_images, "direction", _X, None),

    bad(aug.random_augment, "max_shift", _X, max_shift=5),
    bad(aug.random_augment, "max_shift", _X, max_shift=-1),
    bad(aug.random_augment, "flip", _X, flip="yes", error=TypeError),
    bad(aug.random_augment, "seed", _X, seed=-3),
    bad(aug.random_augment, "images", [[1, 2]]),

    bad(aug.augment_dataset, "labels", _X, [0, 1, 2]),
    bad(aug.augment_dataset, "labels", _X, [0, -1]),
    bad(aug.augment_dataset, "copies", _X, [0, 1], copies=0),
    bad(aug.augment_dataset, "max_shift", _X, [0, 1], max_shift=9),
    bad(aug.augment_dataset, "images", np.ones((2, 5)), [0, 1]),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
