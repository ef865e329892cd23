"""Tests of lib.images: synthetic shapes, unrolling, photos, resizing."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.images as images


def test_make_shapes_shapes_range_and_seed():
    imgs, labels = images.make_shapes(12, size=16, seed=3)
    assert imgs.shape == (12, 16, 16, 3) and labels.shape == (12,)
    assert imgs.min() >= 0 and imgs.max() <= 1
    assert set(labels.tolist()) <= set(range(len(images.SHAPES)))
    again, _ = images.make_shapes(12, size=16, seed=3)
    np.testing.assert_array_equal(imgs, again)
    grey, lab2 = images.make_shapes(5, size=16, classes=("circle", "square"), channels=1, seed=0)
    assert grey.shape == (5, 16, 16, 1) and set(lab2.tolist()) <= {0, 1}


def test_make_shapes_rejects_bad_arguments():
    with pytest.raises(ValueError, match="classes"):
        images.make_shapes(3, classes=("hexagon",))
    with pytest.raises(ValueError, match="channels"):
        images.make_shapes(3, channels=2)
    with pytest.raises(ValueError, match="size"):
        images.make_shapes(3, size=4)
    with pytest.raises(ValueError, match="m"):
        images.make_shapes(0)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 4), st.integers(1, 5), st.integers(1, 5), st.sampled_from([1, 3]))
def test_columns_round_trip(m, n_H, n_W, n_C):
    imgs = np.random.default_rng(m).uniform(size=(m, n_H, n_W, n_C))
    X = images.images_to_columns(imgs)
    assert X.shape == (n_H * n_W * n_C, m)
    np.testing.assert_array_equal(X[:, -1], imgs[-1].reshape(-1))
    np.testing.assert_array_equal(images.columns_to_images(X, n_H, n_W, n_C), imgs)


def test_unrolling_order_row_by_row_channels_together():
    imgs = np.arange(2 * 3 * 3, dtype=float).reshape(1, 2, 3, 3)
    x = images.images_to_columns(imgs)[:, 0]
    r, c, ch = np.unravel_index(7, (2, 3, 3))
    assert x[7] == imgs[0, r, c, ch]


def test_columns_reject_bad_shapes():
    with pytest.raises(ValueError, match="images"):
        images.images_to_columns(np.zeros((4, 4, 3)))
    with pytest.raises(ValueError, match="X"):
        images.columns_to_images(np.zeros((10, 2)), 2, 2, 3)


def test_sample_photo_is_an_rgb_picture_in_unit_range():
    photo = images.sample_photo()
    assert photo.ndim == 3 and photo.shape[2] == 3 and photo.shape[:2] == (600, 512)
    assert 0 <= photo.min() and photo.max() <= 1 and photo.std() > 0.05


def test_to_grey():
    rgb = np.ones((2, 3, 3)) * np.array([1.0, 0.0, 0.0])
    np.testing.assert_allclose(images.to_grey(rgb), np.full((2, 3, 1), 0.299))
    with pytest.raises(ValueError, match="images"):
        images.to_grey(np.zeros((2, 3, 4)))


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


def test_resize_rejects_bad_input():
    with pytest.raises(ValueError, match="images"):
        images.resize(np.zeros((4, 4)), 2, 2)
    with pytest.raises(ValueError, match="n_H"):
        images.resize(np.zeros((4, 4, 3)), 0, 2)
    with pytest.raises(ValueError, match="image"):
        images.square_crop(np.zeros((4, 4)))
