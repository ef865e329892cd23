"""Tests for lib.seq2seq: the date translator's layer contract, gradients, decoding, training and bad input."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from contract import Layer, assert_refused, bad
from lib import attention as A
from lib import dates as D
from lib import seq2seq as S
from lib.gradcheck import numerical_gradient, relative_error
from lib.text import one_hot_sequences

PAIRS = [("3 may 79", "1979-05-03"), ("1.1.2000", "2000-01-01"), ("may 3 1979", "1979-05-03")]


def _tiny(seed=0, T_x=9, T_y=4, m=3, dtype=np.float64):
    """A tiny model on 3 short dates, weights perturbed so no gradient is near 0.

    The inputs use a compact vocabulary (only the symbols that occur, <pad> kept
    at index 0) so the numerical gradient has few input weights to walk through.
    """
    data = S.prepare(PAIRS[:m])
    x = data["x"][:, :T_x]
    symbols = np.unique(np.concatenate([[0], x.ravel()]))
    compact = np.searchsorted(symbols, x)
    params = S.initialize_seq2seq(n_x=len(symbols), n_a=3, n_s=4, n_e=3, seed=seed)
    rng = np.random.default_rng(seed)
    for v in params.values():
        v += 0.5 * rng.standard_normal(v.shape)
    params = {k: v.astype(dtype) for k, v in params.items()}
    X = one_hot_sequences(compact, len(symbols)).astype(dtype)
    return params, X, data["mask"][:, :T_x], data["y"][:, :T_y]


def _layer_args(attention):
    def make_args(rng, dtype):
        params, X, mask, Y = _tiny(seed=int(rng.integers(100)), dtype=dtype)
        Y_prev = S.shift_right(one_hot_sequences(Y, len(D.OUTPUT_VOCAB)).astype(dtype))
        return {"X": X, "mask": mask, "Y_prev": Y_prev, "parameters": params, "attention": attention}
    return make_args


LAYERS = [
    Layer(S.seq2seq_forward, S.seq2seq_backward, _layer_args(True), ("parameters",),
          name="seq2seq_forward, with attention"),
    Layer(S.seq2seq_forward, S.seq2seq_backward, _layer_args(False), ("parameters",),
          name="seq2seq_forward, fixed context"),
]


# ---------------------------------------------------------------- bad inputs

def _bad_cases():
    params, X, mask, Y = _tiny()
    n_y = len(D.OUTPUT_VOCAB)
    Y_prev = S.shift_right(one_hot_sequences(Y, n_y))
    logits, cache = S.seq2seq_forward(X, mask, Y_prev, params)
    data = S.prepare(D.make_dates(8, seed=0))
    big = S.initialize_seq2seq(n_a=2, n_s=3, n_e=2, seed=0)
    missing = {k: v for k, v in params.items() if k != "att.v"}
    wrong_shape = {**params, "dec.U_h": np.zeros((3, 3))}
    with_nan = {**params, "out.b_y": np.full((n_y, 1), np.nan)}
    gappy = mask.copy()
    gappy[0, 1] = False                                  # a hole inside the real characters
    bad_data = {**data, "x": np.where(data["x"] == 0, 99, data["x"])}
    X_full = one_hot_sequences(data["x"], len(D.INPUT_VOCAB))
    return [
        bad(S.initialize_seq2seq, "n_a", n_a=0),
        bad(S.initialize_seq2seq, "n_s", n_s=2.5, error=TypeError),
        bad(S.initialize_seq2seq, "seed", seed=-1),
        bad(S.initialize_seq2seq, "seed", seed="0", error=TypeError),
        bad(S.seq2seq_forward, "X", X[:2], mask, Y_prev, params),
        bad(S.seq2seq_forward, "X", X[:, :, 0], mask, Y_prev, params),
        bad(S.seq2seq_forward, "X", np.full_like(X, np.nan), mask, Y_prev, params),
        bad(S.seq2seq_forward, "X", X[:, :0], mask[:0], Y_prev[:, :0], params),
        bad(S.seq2seq_forward, "mask", X, mask[:, :5], Y_prev, params),
        bad(S.seq2seq_forward, "mask", X, gappy, Y_prev, params),
        bad(S.seq2seq_forward, "mask", X, np.full(mask.shape, 0.5), Y_prev, params),
        bad(S.seq2seq_forward, "Y_prev", X, mask, Y_prev[:5], params),
        bad(S.seq2seq_forward, "Y_prev", X, mask, Y_prev[:, :2], params),
        bad(S.seq2seq_forward, "Y_prev", X, mask, np.full_like(Y_prev, np.inf), params),
        bad(S.seq2seq_forward, "parameters", X, mask, Y_prev, missing),
        bad(S.seq2seq_forward, "parameters", X, mask, Y_prev, wrong_shape),
        bad(S.seq2seq_forward, "parameters", X, mask, Y_prev, with_nan),
        bad(S.seq2seq_forward, "parameters", X, mask, Y_prev, [params], error=TypeError),
        bad(S.seq2seq_forward, "parameters", X, mask, Y_prev, {**params, "att.W_q": params["att.W_s"]}),
        bad(S.seq2seq_forward, "attention", X, mask, Y_prev, params, attention="yes", error=TypeError),
        bad(S.seq2seq_backward, "dlogits", logits[:, :2], cache),
        bad(S.seq2seq_backward, "dlogits", np.full_like(logits, np.nan), cache),
        bad(S.seq2seq_backward, "dlogits", logits[0], cache),
        bad(S.seq2seq_backward, "cache", logits, {"weights": None}, error=TypeError),
        bad(S.shift_right, "Y_onehot", Y),
        bad(S.shift_right, "Y_onehot", np.full(Y_prev.shape, np.nan)),
        bad(S.shift_right, "Y_onehot", np.zeros((11, 0, 4))),
        bad(S.seq2seq_loss, "Y", params, X, mask, Y - 1),                   # negative: never wrapped round
        bad(S.seq2seq_loss, "Y", params, X, mask, Y + 0.5),
        bad(S.seq2seq_loss, "Y", params, X, mask, Y[:2]),
        bad(S.seq2seq_loss, "Y", params, X, mask, np.full_like(Y, n_y)),
        bad(S.seq2seq_loss, "mask", params, X, ~mask, Y),
        bad(S.seq2seq_loss, "parameters", missing, X, mask, Y),
        bad(S.prepare, "pairs", []),
        bad(S.prepare, "pairs", "3 may 1979", error=TypeError),
        bad(S.prepare, "pairs", [("3 may 1979",)]),
        bad(S.prepare, "strings", [("3 may 1979", "1979-5-3")]),
        bad(S.train, "clip", big, data, num_iterations=2, record_every=1, clip=-1.0),
        bad(S.train, "clip", big, data, num_iterations=2, record_every=1, clip=0.0),
        bad(S.train, "clip", big, data, num_iterations=2, record_every=1, clip=np.inf),
        bad(S.train, "record_every", big, data, num_iterations=2, record_every=0),
        bad(S.train, "record_every", big, data, num_iterations=2, record_every=3),
        bad(S.train, "num_iterations", big, data, num_iterations=0),
        bad(S.train, "num_iterations", big, data, num_iterations=2.0, error=TypeError),
        bad(S.train, "batch_size", big, data, num_iterations=2, batch_size=0, record_every=1),
        bad(S.train, "learning_rate", big, data, num_iterations=2, learning_rate=0, record_every=1),
        bad(S.train, "learning_rate", big, data, num_iterations=2, learning_rate=np.nan, record_every=1),
        bad(S.train, "seed", big, data, num_iterations=2, seed=-1, record_every=1),
        bad(S.train, "seed", big, data, num_iterations=2, seed=0.5, record_every=1, error=TypeError),
        bad(S.train, "state", big, data, num_iterations=2, record_every=1, state=[], error=TypeError),
        bad(S.train, "data", big, {"x": data["x"]}, num_iterations=2, record_every=1, error=TypeError),
        bad(S.train, "data", big, bad_data, num_iterations=2, record_every=1),
        bad(S.train, "data", big, {**data, "y": data["y"][:4]}, num_iterations=2, record_every=1),
        bad(S.train, "data", big, {**data, "mask": ~data["mask"]}, num_iterations=2, record_every=1),
        bad(S.train, "parameters", {k: v.tolist() for k, v in big.items()}, data, num_iterations=2,
            record_every=1, error=TypeError),
        bad(S.train, "attention", big, data, num_iterations=2, record_every=1, attention=1, error=TypeError),
        bad(S.greedy_decode, "T_y", big, X_full, data["mask"], T_y=0),
        bad(S.greedy_decode, "mask", big, X_full, data["mask"][:, :4]),
        bad(S.greedy_decode, "X", big, X_full[:5], data["mask"]),
        bad(S.greedy_decode, "X", big, np.full_like(X_full, np.nan), data["mask"]),
        bad(S.translate, "strings", big, "3 May 1979?"),
        bad(S.translate, "strings", big, "x" * (D.T_X + 1)),
        bad(S.translate, "strings", big, [], ),
        bad(S.translate, "strings", big, 1979, error=TypeError),
        bad(S.translate, "parameters", missing, "3 May 1979"),
        bad(S.translate, "attention", big, "3 May 1979", attention=None, error=TypeError),
        bad(S.attention_map, "string", big, ["3 May 1979"], error=TypeError),
        bad(S.attention_map, "string", big, ""),
        bad(S.attention_map, "strings", big, "3 May 1979?"),
        bad(S.attention_map, "parameters", wrong_shape, "3 May 1979"),
        bad(S.exact_match, "pairs", big, []),
        bad(S.exact_match, "pairs", big, [("3 may 1979", "1979-05-03", "x")]),
        bad(S.exact_match, "batch_size", big, PAIRS, batch_size=0),
        bad(S.exact_match, "parameters", with_nan, PAIRS),
        bad(S.encode, "strings", big, ["3 May 1979", 5], error=TypeError),
        bad(S.encode, "strings", big, "3 May 1979!"),
        bad(S.encode, "parameters", missing, "3 May 1979"),
    ]


BAD_INPUTS = _bad_cases()


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)


# ---------------------------------------------------------------- gradients and the loss

@pytest.mark.parametrize("attention", [True, False])
def test_loss_gradients_match_numerical_ones(attention):
    """The whole model and the mean cross-entropy, every parameter, against centred differences."""
    params, X, mask, Y = _tiny(seed=1)
    _, grads = S.seq2seq_loss(params, X, mask, Y, attention)
    assert sorted(grads) == sorted("d" + k for k in params)
    for name in params:
        if not attention and name.startswith("att."):
            assert np.all(grads["d" + name] == 0)
            continue
        # eps = 1e-5: the cost is an average of 12 cross-entropies, so with 1e-6 the
        # rounding of the cost itself (1e-16 / 1e-6) would dominate the smallest gradients
        numeric = numerical_gradient(lambda: S.seq2seq_loss(params, X, mask, Y, attention)[0],
                                     params[name], eps=1e-5)
        assert relative_error(grads["d" + name], numeric) < 1e-7, name


def test_loss_is_the_mean_cross_entropy_of_the_logits():
    params, X, mask, Y = _tiny(seed=2)
    cost, grads = S.seq2seq_loss(params, X, mask, Y)
    Y_prev = S.shift_right(one_hot_sequences(Y, len(D.OUTPUT_VOCAB)))
    logits, cache = S.seq2seq_forward(X, mask, Y_prev, params)
    log_p = logits - np.log(np.exp(logits).sum(axis=0, keepdims=True))
    m, T_y = Y.shape
    expected = -np.mean([log_p[Y[i, t], i, t] for i in range(m) for t in range(T_y)])
    assert np.isclose(cost, expected)
    dlogits = (np.exp(log_p) - one_hot_sequences(Y, len(D.OUTPUT_VOCAB))) / (m * T_y)
    again = S.seq2seq_backward(dlogits, cache)
    assert all(np.allclose(again[k], grads[k]) for k in grads)


# ---------------------------------------------------------------- behaviour

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


def test_a_date_translates_the_same_alone_and_in_a_batch():
    params = S.initialize_seq2seq(seed=3)
    batch = ["3 May 1979", "wednesday, september 17, 2003", "8.7.25"]
    out, alpha = S.translate(params, batch)
    for i, date in enumerate(batch):
        one, alpha_one = S.translate(params, date)
        assert one == out[i]
        assert np.allclose(alpha_one[0], alpha[i])


def test_attention_weights_of_a_translation():
    params = S.initialize_seq2seq(seed=0)
    out, alpha = S.translate(params, ["3 May 1979", "tuesday 10/03/1995"])
    assert len(out) == 2 and all(len(o) == D.T_Y and set(o) <= set(D.OUTPUT_VOCAB) for o in out)
    assert alpha.shape == (2, D.T_Y, D.T_X)
    assert np.allclose(alpha.sum(axis=2), 1.0)
    assert np.all(alpha[0, :, len("3 May 1979"):] == 0)
    out_fixed, none = S.translate(params, "3 May 1979", attention=False)
    assert none is None and len(out_fixed) == D.T_Y


def test_attention_map_of_one_date():
    params = S.initialize_seq2seq(seed=0)
    out, alpha = S.attention_map(params, "3 May 1979")
    assert len(out) == D.T_Y and alpha.shape == (D.T_Y, len("3 May 1979"))
    assert np.allclose(alpha.sum(axis=1), 1.0)
    assert out == S.translate(params, "3 May 1979")[0]


def test_exact_match_counts_translate():
    params = S.initialize_seq2seq(seed=4)
    pairs = D.make_dates(30, seed=2)
    out, _ = S.translate(params, [h for h, _ in pairs])
    # relabel a third of the pairs with the model's own output: those must count as right
    relabelled = [(h, o if i % 3 == 0 else m) for i, ((h, m), o) in enumerate(zip(pairs, out))]
    expected = np.mean([o == m for o, (_, m) in zip(out, relabelled)])
    assert expected >= 10 / 30
    assert S.exact_match(params, relabelled, batch_size=7) == pytest.approx(expected)


def test_teacher_forced_and_greedy_agree_when_the_feedback_matches():
    params, X, mask, _ = _tiny(seed=3, T_y=10)
    out, alpha = S.greedy_decode(params, X, mask, T_y=4)
    Y_prev = S.shift_right(one_hot_sequences(out, len(D.OUTPUT_VOCAB)))
    logits, cache = S.seq2seq_forward(X, mask, Y_prev, params)
    assert np.array_equal(logits.argmax(axis=0), out)
    assert np.allclose(alpha, A.attention_weights(cache))


def test_fixed_context_model_ignores_the_attention_parameters():
    params, X, mask, Y = _tiny(seed=5)
    c1, _ = S.seq2seq_loss(params, X, mask, Y, attention=False)
    changed = {**params, "att.W_a": params["att.W_a"] + 1.0, "att.v": -params["att.v"]}
    c2, _ = S.seq2seq_loss(changed, X, mask, Y, attention=False)
    c3, _ = S.seq2seq_loss(changed, X, mask, Y, attention=True)
    assert c1 == c2 and c3 != c1


def test_encode_gives_the_states_attention_reads():
    params = S.initialize_seq2seq(n_a=4, seed=0)
    a, mask = S.encode(params, ["3 May 1979", "1.1.2000"])
    assert a.shape == (8, 2, D.T_X) and mask.shape == (2, D.T_X)
    assert np.all(np.abs(a) < 1)                                    # GRU states lie in (−1, 1)
    a_one, _ = S.encode(params, "1.1.2000")
    assert np.allclose(a_one[:, 0, :8], a[:, 1, :8])                # a date's states do not depend on the batch


# ---------------------------------------------------------------- training

def test_training_lowers_the_cost():
    data = S.prepare(D.make_dates(256, seed=5))
    params = S.initialize_seq2seq(n_a=8, n_s=16, n_e=8, seed=0)
    costs = S.train(params, data, num_iterations=30, batch_size=64, record_every=10)
    assert len(costs) == 3 and costs[-1] < 0.9 * costs[0]


@pytest.mark.parametrize("clip", [0.05, 1e6])
def test_a_training_step_is_loss_then_clip_by_norm_then_adam(clip):
    """train = seq2seq_loss, the gradients clipped by their global norm, one Adam step; the same
    steps written out by hand give the same parameters (one batch holds all 32 dates)."""
    from lib.optimizers import adam_update, clip_by_norm

    data = S.prepare(D.make_dates(32, seed=6))
    trained = S.initialize_seq2seq(n_a=4, n_s=6, n_e=4, seed=1)
    by_hand = {k: v.copy() for k, v in trained.items()}
    S.train(trained, data, num_iterations=3, batch_size=32, clip=clip, record_every=1)
    X = one_hot_sequences(data["x"], len(D.INPUT_VOCAB))
    state, norms = {}, []
    for _ in range(3):
        _, grads = S.seq2seq_loss(by_hand, X, data["mask"], data["y"])
        grads, norm = clip_by_norm(grads, clip)
        norms.append(norm)
        adam_update(by_hand, grads, state, 0.01)
    assert all(np.allclose(trained[k], by_hand[k], rtol=1e-6, atol=1e-9) for k in trained)
    assert (min(norms) > clip) == (clip < 1)                # the small bound did clip


def test_seed_none_trains_and_seeds_repeat():
    data = S.prepare(D.make_dates(64, seed=7))
    costs = []
    for seed in (3, 3, None):
        params = S.initialize_seq2seq(n_a=4, n_s=6, n_e=4, seed=0)
        costs.append(S.train(params, data, num_iterations=4, batch_size=16, seed=seed, record_every=2))
    assert costs[0] == costs[1] and len(costs[2]) == 2


def test_float32_parameters_train_in_float32():
    data = S.prepare(D.make_dates(64, seed=8))
    p64 = S.initialize_seq2seq(n_a=4, n_s=6, n_e=4, seed=0)
    p32 = {k: v.astype(np.float32) for k, v in p64.items()}
    c64 = S.train(p64, data, num_iterations=2, batch_size=32, record_every=1)
    c32 = S.train(p32, data, num_iterations=2, batch_size=32, record_every=1)
    assert all(v.dtype == np.float32 for v in p32.values())
    assert np.allclose(c32, c64, rtol=1e-4)
    assert all(np.allclose(p32[k], p64[k], atol=1e-4) for k in p64)


def test_float32_in_float32_out():
    params, X, mask, Y = _tiny(seed=6, dtype=np.float32)
    cost, grads = S.seq2seq_loss(params, X, mask, Y)
    assert all(g.dtype == np.float32 for g in grads.values())
    out, alpha = S.greedy_decode(params, X, mask)
    assert alpha.dtype == np.float32
    big32 = {k: v.astype(np.float32) for k, v in S.initialize_seq2seq(n_a=4, seed=0).items()}
    assert S.translate(big32, "3 May 1979")[1].dtype == np.float32
    assert S.encode(big32, "3 May 1979")[0].dtype == np.float32


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_greedy_output_is_always_a_well_formed_index_sequence(seed):
    """Whatever the weights (random, large), decoding gives valid indices and weights summing to 1."""
    rng = np.random.default_rng(seed)
    params = S.initialize_seq2seq(n_a=3, n_s=4, n_e=3, seed=int(rng.integers(1000)))
    for v in params.values():
        v *= rng.uniform(0.5, 20)
    dates = [h for h, _ in D.make_dates(4, seed=int(rng.integers(1000)))]
    out, alpha = S.translate(params, dates)
    assert all(len(o) == D.T_Y for o in out)
    assert np.all(np.isfinite(alpha)) and np.allclose(alpha.sum(axis=2), 1.0)


def test_backward_leaves_the_cache_as_it_was():
    """The backward pass reads the cache and writes nothing into it: a second call gives the same."""
    params, X, mask, Y = _tiny(seed=7)
    Y_prev = S.shift_right(one_hot_sequences(Y, len(D.OUTPUT_VOCAB)))
    logits, cache = S.seq2seq_forward(X, mask, Y_prev, params)
    dlogits = np.random.default_rng(0).normal(size=logits.shape)
    first, second = S.seq2seq_backward(dlogits, cache), S.seq2seq_backward(dlogits, cache)
    assert all(np.array_equal(first[k], second[k]) for k in first)


def test_the_translators_attention_step_is_the_attention_layers():
    """seq2seq's decoder runs additive attention in its own kernel: at the first output step
    (s^<0> = 0) its weights are those of lib.attention.additive_attention_forward on the encoder states."""
    params = S.initialize_seq2seq(n_a=4, n_s=5, n_e=3, seed=9)
    params["att.b"] += np.random.default_rng(0).normal(size=params["att.b"].shape)
    dates = ["3 May 1979", "tuesday 10/03/1995"]
    a, mask = S.encode(params, dates)
    _, alpha = S.translate(params, dates)
    att = {k.removeprefix("att."): v for k, v in params.items() if k.startswith("att.")}
    _, cache = A.additive_attention_forward(np.zeros((5, 2)), a, att, mask)
    assert np.allclose(A.attention_weights(cache), alpha[:, 0])
