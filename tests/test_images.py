"""Tests of lib.images: synthetic shapes, unrolling, photos, resizing."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.images as images
from contract import assert_refused, bad


def test_make_shapes_shapes_range_and_seed():
    imgs, labels = images.make_shapes(12, size=16, seed=3)
    assert imgs.shape == (12, 16, 16, 3) and labels.shape == (12,)
    assert imgs.min() >= 0 and imgs.max() <= 1
    assert set(labels.tolist()) <= set(range(len(images.SHAPES)))
    again, _ = images.make_shapes(12, size=16, seed=3)
    np.testing.assert_array_equal(imgs, again)
    grey, lab2 = images.make_shapes(5, size=16, classes=("circle", "square"), channels=1, seed=0)
    assert grey.shape == (5, 16, 16, 1) and set(lab2.tolist()) <= {0, 1}


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2 ** 32 - 1), st.integers(1, 4), st.integers(1, 5), st.integers(1, 5), st.sampled_from([1, 3]))
def test_columns_round_trip(seed, m, n_H, n_W, n_C):
    imgs = np.random.default_rng(seed).uniform(size=(m, n_H, n_W, n_C))
    X = images.images_to_columns(imgs)
    assert X.shape == (n_H * n_W * n_C, m)
    np.testing.assert_array_equal(X[:, -1], imgs[-1].reshape(-1))
    np.testing.assert_array_equal(images.columns_to_images(X, n_H, n_W, n_C), imgs)


def test_unrolling_order_row_by_row_channels_together():
    imgs = np.arange(2 * 3 * 3, dtype=float).reshape(1, 2, 3, 3)
    x = images.images_to_columns(imgs)[:, 0]
    r, c, ch = np.unravel_index(7, (2, 3, 3))
    assert x[7] == imgs[0, r, c, ch]


def test_sample_photo_is_an_rgb_picture_in_unit_range():
    photo = images.sample_photo()
    assert photo.ndim == 3 and photo.shape[2] == 3 and photo.shape[:2] == (600, 512)
    assert 0 <= photo.min() and photo.max() <= 1 and photo.std() > 0.05


def test_to_grey():
    rgb = np.ones((2, 3, 3)) * np.array([1.0, 0.0, 0.0])
    np.testing.assert_allclose(images.to_grey(rgb), np.full((2, 3, 1), 0.299))
    np.testing.assert_allclose(images.to_grey(np.ones((4, 3))), np.ones((4, 1)))   # the weights sum to 1


def test_square_crop_and_resize():
    img = np.random.default_rng(0).uniform(size=(60, 40, 3))
    sq = images.square_crop(img)
    assert sq.shape == (40, 40, 3)
    np.testing.assert_array_equal(sq, img[10:50])
    small = images.resize(sq, 8, 8)
    assert small.shape == (8, 8, 3)
    # an exact 5×5 block average when the sizes divide
    np.testing.assert_allclose(small, sq.reshape(8, 5, 8, 5, 3).mean(axis=(1, 3)))
    # area averaging keeps the mean, also when the sizes do not divide
    odd = images.resize(img, 7, 9)
    np.testing.assert_allclose(odd.mean(axis=(0, 1)), img.mean(axis=(0, 1)), rtol=1e-12)
    batch = images.resize(np.stack([img, img]), 7, 9)
    assert batch.shape == (2, 7, 9, 3)
    np.testing.assert_allclose(batch[1], odd)


def test_standardize_images():
    X = np.random.default_rng(0).uniform(0, 1, (4, 5, 5, 3))
    S = images.standardize_images(X)
    np.testing.assert_allclose(S.mean(axis=(1, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(S.std(axis=(1, 2, 3)), 1)
    # each image on its own: a brighter, higher-contrast copy standardises to the same picture
    np.testing.assert_allclose(images.standardize_images(3 * X + 7), S, atol=1e-12)
    assert np.all(images.standardize_images(np.ones((1, 3, 3, 1))) == 0)


def test_float32_in_float32_out():
    x = images.make_shapes(3, size=16, seed=0)[0].astype(np.float32)
    assert images.images_to_columns(x).dtype == np.float32
    assert images.columns_to_images(images.images_to_columns(x), 16, 16, 3).dtype == np.float32
    assert images.standardize_images(x).dtype == np.float32
    assert images.to_grey(x).dtype == np.float32
    assert images.square_crop(x[0]).dtype == np.float32
    assert images.resize(x, 8, 8).dtype == np.float32


def test_extreme_values_standardise_without_warnings():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tiny = images.standardize_images(np.random.default_rng(1).uniform(size=(2, 4, 4, 1)) * 1e-300)
        huge = images.standardize_images(np.random.default_rng(1).uniform(size=(2, 4, 4, 1)) * 1e300)
    assert np.all(np.isfinite(tiny)) and np.all(np.isfinite(huge))


_IMG = np.zeros((2, 4, 4, 3))
_NAN = np.full((2, 4, 4, 3), np.nan)

BAD_INPUTS = [
    bad(images.make_shapes, "classes", 3, classes=("hexagon",)),
    bad(images.make_shapes, "classes", 3, classes=()),
    bad(images.make_shapes, "classes", 3, classes="circle", error=TypeError),
    bad(images.make_shapes, "channels", 3, channels=2),
    bad(images.make_shapes, "size", 3, size=4),
    bad(images.make_shapes, "m", 0),
    bad(images.make_shapes, "noise", 3, noise=-0.1),
    bad(images.make_shapes, "jitter", 3, jitter=0.9),
    bad(images.make_shapes, "seed", 3, seed=-1),
    bad(images.images_to_columns, "images", np.zeros((4, 4, 3))),
    bad(images.images_to_columns, "images", _NAN),
    bad(images.images_to_columns, "images", np.zeros((0, 4, 4, 3))),
    bad(images.images_to_columns, "images", "picture", error=TypeError),
    bad(images.columns_to_images, "X", np.zeros((10, 2)), 2, 2, 3),
    bad(images.columns_to_images, "X", np.zeros(12), 2, 2, 3),
    bad(images.columns_to_images, "X", np.full((12, 2), np.nan), 2, 2, 3),
    bad(images.columns_to_images, "n_H", np.zeros((12, 2)), 0, 2, 3),
    bad(images.standardize_images, "images", np.zeros((4, 4, 3))),
    bad(images.standardize_images, "images", _NAN),
    bad(images.standardize_images, "images", np.zeros((2, 0, 4, 3))),
    bad(images.sample_photo, "name", "nope.jpg"),
    bad(images.sample_photo, "name", "../../etc/passwd"),
    bad(images.sample_photo, "name", 3),
    bad(images.to_grey, "images", np.zeros((2, 3, 4))),
    bad(images.to_grey, "images", np.full((2, 3, 3), np.inf)),
    bad(images.to_grey, "images", np.zeros((2, 0, 3))),
    bad(images.square_crop, "image", np.zeros((4, 4))),
    bad(images.square_crop, "image", np.full((4, 4, 3), np.nan)),
    bad(images.square_crop, "image", np.zeros((0, 4, 3))),
    bad(images.resize, "images", np.zeros((4, 4)), 2, 2),
    bad(images.resize, "n_H", np.zeros((4, 4, 3)), 0, 2),
    bad(images.resize, "n_W", np.zeros((4, 4, 3)), 2, -1),
    bad(images.resize, "images", _NAN, 2, 2),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
