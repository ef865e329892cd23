"""Tests for lib.seq2seq: the date translator's gradients, decoding and bad input."""
import numpy as np
import pytest

from lib import dates as D
from lib import seq2seq as S
from lib.gradcheck import gradient_check


def _tiny(seed=0, T_x=9, T_y=4, m=3):
    """A tiny model on 3 short dates, weights perturbed so no gradient is near 0.

    The inputs use a compact vocabulary (only the symbols that occur, <pad> kept
    at index 0) so the numerical gradient has few input weights to walk through.
    """
    pairs = [("3 may 79", "1979-05-03"), ("1.1.2000", "2000-01-01"), ("may 3 1979", "1979-05-03")][:m]
    data = S.prepare(pairs)
    x = data["x"][:, :T_x]
    symbols = np.unique(np.concatenate([[0], x.ravel()]))
    compact = np.searchsorted(symbols, x)
    params = S.initialize_seq2seq(n_x=len(symbols), n_a=3, n_s=4, n_e=3, seed=seed)
    rng = np.random.default_rng(seed)
    for v in params.values():
        v += 0.5 * rng.standard_normal(v.shape)
    X = D.one_hot(compact, len(symbols))
    return params, X, data["mask"][:, :T_x], data["y"][:, :T_y]


@pytest.mark.parametrize("attention", [True, False])
def test_whole_model_gradient_check(attention):
    params, X, mask, Y = _tiny(seed=1)
    _, grads = S.seq2seq_loss(params, X, mask, Y, attention)
    checked = {k: g for k, g in grads.items() if attention or not k.startswith("att.")}
    # eps = 1e-5: the cost is an average of 12 cross-entropies, so with 1e-6 the
    # rounding of the cost itself (1e-16 / 1e-6) would dominate the smallest gradients
    errors = gradient_check(lambda: S.seq2seq_loss(params, X, mask, Y, attention)[0],
                            params, checked, eps=1e-5)
    assert max(errors.values()) < 1e-7, sorted(errors.items(), key=lambda kv: -kv[1])[:3]
    if not attention:
        assert all(np.all(grads[k] == 0) for k in grads if k.startswith("att."))


def test_padding_does_not_change_the_translation():
    """The backward GRU reads each example within its own length, so extra padding is inert."""
    params, X, mask, _ = _tiny(seed=2)
    pad = np.zeros((X.shape[0], X.shape[1], 5))
    pad[0] = 1.0                                         # <pad> is index 0
    longer = np.concatenate([X, pad], axis=2)
    longer_mask = np.concatenate([mask, np.zeros((mask.shape[0], 5), bool)], axis=1)
    out1, al1 = S.greedy_decode(params, X, mask)
    out2, al2 = S.greedy_decode(params, longer, longer_mask)
    assert np.array_equal(out1, out2)
    assert np.allclose(al1, al2[:, :, :X.shape[2]]) and np.all(al2[:, :, X.shape[2]:] == 0)


def test_attention_weights_of_a_translation():
    params = S.initialize_seq2seq(seed=0)
    out, alpha = S.translate(params, ["3 May 1979", "tuesday 10/03/1995"])
    assert len(out) == 2 and all(len(o) == D.T_Y for o in out)
    assert alpha.shape == (2, D.T_Y, D.T_X)
    assert np.allclose(alpha.sum(axis=2), 1.0)
    assert np.all(alpha[0, :, len("3 May 1979"):] == 0)


def test_attention_map_of_one_date():
    params = S.initialize_seq2seq(seed=0)
    out, alpha = S.attention_map(params, "3 May 1979")
    assert len(out) == D.T_Y and alpha.shape == (D.T_Y, len("3 May 1979"))
    assert np.allclose(alpha.sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="string"):
        S.attention_map(params, ["3 May 1979"])


def test_training_lowers_the_cost():
    data = S.prepare(D.make_dates(256, seed=5))
    params = S.initialize_seq2seq(n_a=8, n_s=16, n_e=8, seed=0)
    costs = S.train(params, data, iterations=30, batch_size=64, record_every=10)
    assert costs[-1] < 0.9 * costs[0]


def test_teacher_forced_and_greedy_agree_when_the_feedback_matches():
    params, X, mask, _ = _tiny(seed=3, T_y=10)
    out, alpha = S.greedy_decode(params, X, mask, T_y=4)
    Y_prev = S.shift_right(D.one_hot(out, len(D.OUTPUT_VOCAB)))
    (logits, alpha_tf), _ = S.seq2seq_forward(X, mask, Y_prev, params)
    assert np.array_equal(logits.argmax(axis=0), out)
    assert np.allclose(alpha, alpha_tf)


def test_save_and_load(tmp_path):
    params = S.initialize_seq2seq(seed=0)
    S.save_params(tmp_path / "w.npz", params)
    back = S.load_params(tmp_path / "w.npz")
    assert set(back) == set(params)
    assert all(np.allclose(back[k], params[k], atol=1e-6) for k in params)


def test_bad_input():
    params = S.initialize_seq2seq(seed=0)
    with pytest.raises(ValueError, match="strings"):
        S.translate(params, "3 May 1979?")
    with pytest.raises(ValueError, match="strings"):
        S.translate(params, "x" * (D.T_X + 1))
    X = np.zeros((len(D.INPUT_VOCAB), 2, 5))
    with pytest.raises(ValueError, match="mask"):
        S.greedy_decode(params, X, np.ones((2, 4), bool))
    with pytest.raises(ValueError, match="mask"):
        S.greedy_decode(params, X, np.array([[True, False, True, False, False]] * 2))
    with pytest.raises(ValueError, match="X"):
        S.greedy_decode(params, X[:5], np.ones((2, 5), bool))
    with pytest.raises(ValueError, match="learning_rate"):
        S.train(params, S.prepare(D.make_dates(4)), iterations=1, learning_rate=0)
