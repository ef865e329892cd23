"""Tests for lib.sequences: the long-gap task, the many-to-one classifier's gradients, the drawings."""
import numpy as np
import pytest

import lib.sequences as sq
from lib.gradcheck import gradient_check


def test_remember_first_task():
    x, y = sq.make_remember_first(50, 7, n_classes=3, seed=0)
    assert x.shape == (4, 50, 7) and y.shape == (50,)
    assert np.array_equal(x.sum(axis=0)[:, 1:], np.ones((50, 6)))      # one symbol per later step
    assert np.all(x[3, :, 0] == 1) and np.all(x[3, :, 1:] == 0)        # the marker only at step 1
    assert np.array_equal(x[:3, :, 0].argmax(axis=0), y)
    x2, y2 = sq.make_remember_first(50, 7, n_classes=3, seed=0)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)


@pytest.mark.parametrize("cell", sq.CELLS)
def test_classifier_gradient_check(cell):
    x, y = sq.make_remember_first(3, 5, n_classes=3, seed=1)
    params = sq.initialize_classifier(cell, 4, 4, 3, seed=2, update_bias=0.0)   # gradients of order 1e-2, well above the ε noise
    _, grads = sq.classifier_loss_and_gradients(cell, x, y, params)
    assert set(grads) == {"d" + k for k in params}

    def f():
        return sq.classifier_loss_and_gradients(cell, x, y, params)[0]

    errors = gradient_check(f, params, {name: grads["d" + name] for name in params})
    assert max(errors.values()) < 1e-7, (cell, errors)


def test_short_gap_is_learned_by_both():
    x, y = sq.make_remember_first(300, 4, n_classes=2, seed=0)
    xt, yt = sq.make_remember_first(100, 4, n_classes=2, seed=1)
    for cell in sq.CELLS:
        _, h = sq.train_last_step_classifier(cell, x, y, xt, yt, n_a=8, n_iterations=100,
                                             batch_size=32, learning_rate=0.03, eval_every=50)
        assert h["test_accuracy"][-1] > 0.95, cell


def test_draw_sequence_shapes():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    for kind in ("one-to-one", "one-to-many", "many-to-one", "many-to-many", "encoder-decoder"):
        sq.draw_sequence_shapes(ax, kind)
    plt.close(fig)
    with pytest.raises(ValueError, match="kind"):
        sq.draw_sequence_shapes(None, "sideways")


def test_bad_input():
    with pytest.raises(ValueError, match="T_x"):
        sq.make_remember_first(5, 0)                       # empty sequence
    with pytest.raises(ValueError, match="n_classes"):
        sq.make_remember_first(5, 3, n_classes=1)
    with pytest.raises(ValueError, match="cell"):
        sq.initialize_classifier("lstm", 3, 4, 2)
    x, y = sq.make_remember_first(5, 3)
    with pytest.raises(ValueError, match="x_train"):
        sq.train_last_step_classifier("rnn", x[:, :, 0], y, x, y)   # wrong rank
    with pytest.raises(ValueError, match="y_train"):
        sq.train_last_step_classifier("rnn", x, y[:-1], x, y)
