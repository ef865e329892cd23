"""Tests for lib.translator: the layer contract, teacher forcing, masks, decoding, training, bad input."""
import numpy as np
import pytest

from lib import dates, seq2seq
from lib import translator as TR
from lib.gradcheck import gradient_check
from contract import Layer, assert_refused, bad

N_X, N_Y, D, H, D_FF = 7, 5, 4, 2, 6


def _tiny(seed=0, n_layers=2, dtype=np.float64):
    """A tiny model moved off its initial values, so no gradient is ~0 and layer norms are not identities."""
    rng = np.random.default_rng(seed + 100)
    p = TR.initialize_translator(d_model=D, n_heads=H, d_ff=D_FF, n_layers=n_layers, n_x=N_X, n_y=N_Y, seed=seed)
    for k in p:
        p[k] = (p[k] + 0.3 * rng.standard_normal(p[k].shape)).astype(dtype)
    return p


def _batch(rng, m=2, T_x=5, T_y=3):
    x = rng.integers(1, N_X, size=(m, T_x))
    mask = np.ones((m, T_x), bool)
    mask[1, 3:] = False                                  # example 2 is padded
    x[~mask] = 0
    y = rng.integers(0, N_Y, size=(m, T_y))
    return x, mask, y


def _translator_args(rng, dtype):
    x, mask, y = _batch(rng)
    return {"x": x, "mask": mask, "y_prev": TR.shift_right(y, N_Y), "parameters": _tiny(int(rng.integers(50)), dtype=dtype),
            "n_heads": H}


LAYERS = [Layer(TR.translator_forward, TR.translator_backward, _translator_args, ("parameters",))]


def test_initialize_translator_shapes_and_seed():
    p = TR.initialize_translator(d_model=8, n_heads=2, d_ff=16, n_layers=2, seed=3)
    assert p["emb.E_x"].shape == (len(dates.INPUT_VOCAB), 8)
    assert p["emb.E_y"].shape == (len(dates.OUTPUT_VOCAB) + 1, 8)            # + the start symbol
    assert p["out.W_y"].shape == (8, 11) and p["out.b_y"].shape == (11,)
    for part in ("enc1.self.W_o", "dec1.cross.W_k", "dec0.self.W_q"):
        assert p[part].shape == (8, 8)
    assert p["dec1.ffn.W_1"].shape == (8, 16) and p["enc0.ln2.gamma"].shape == (8,)
    assert not any(k.startswith("enc2") for k in p)
    assert all(v.dtype == np.float64 for v in p.values())
    again = TR.initialize_translator(d_model=8, n_heads=2, d_ff=16, n_layers=2, seed=3)
    assert all(np.array_equal(p[k], again[k]) for k in p)
    assert not np.array_equal(p["dec0.cross.W_q"], p["dec0.self.W_q"])       # each layer its own draw


def test_loss_gradient_matches_numerical_in_float64():
    rng = np.random.default_rng(1)
    p = _tiny(1, n_layers=1)
    x, mask, y = _batch(rng, m=3, T_x=6, T_y=4)
    cost, grads = TR.translator_loss(p, x, mask, y, n_heads=H)
    assert cost > 0
    some = {k: grads["d" + k] for k in ("emb.E_x", "enc0.self.W_k", "dec0.cross.W_v", "dec0.ln3.gamma",
                                        "out.b_y", "emb.E_y")}
    errors = gradient_check(lambda: TR.translator_loss(p, x, mask, y, n_heads=H)[0], p, some, eps=1e-5)
    assert max(errors.values()) < 1e-7, errors


def test_the_decoder_never_reads_ahead():
    """Teacher forcing with the causal mask: logits at t depend on y_prev up to t only."""
    rng = np.random.default_rng(2)
    p = _tiny(2)
    x, mask, y = _batch(rng, T_y=5)
    y_prev = TR.shift_right(y, N_Y)
    logits, _ = TR.translator_forward(x, mask, y_prev, p, n_heads=H)
    for t in range(1, 5):
        changed = y_prev.copy()
        changed[:, t:] = (changed[:, t:] + 1) % N_Y
        other, _ = TR.translator_forward(x, mask, changed, p, n_heads=H)
        assert np.array_equal(other[:, :t], logits[:, :t])
        assert not np.allclose(other[:, t], logits[:, t])


def test_padding_changes_nothing():
    """An example translates the same alone or padded beside a longer one."""
    rng = np.random.default_rng(3)
    p = _tiny(3)
    x, mask, y = _batch(rng, T_x=6)
    logits, _ = TR.translator_forward(x, mask, TR.shift_right(y, N_Y), p, n_heads=H)
    T = int(mask[1].sum())
    alone, _ = TR.translator_forward(x[1:, :T], mask[1:, :T], TR.shift_right(y[1:], N_Y), p, n_heads=H)
    assert np.allclose(alone[0], logits[1], rtol=1e-12, atol=1e-12)
    padded = x.copy()
    padded[1, T:] = 5                                    # what sits under the padding is never read
    again, _ = TR.translator_forward(padded, mask, TR.shift_right(y, N_Y), p, n_heads=H)
    assert np.array_equal(again, logits)


def test_attention_weights_are_distributions_and_padding_gets_none():
    rng = np.random.default_rng(4)
    p = _tiny(4)
    x, mask, y = _batch(rng)
    _, cache = TR.translator_forward(x, mask, TR.shift_right(y, N_Y), p, n_heads=H)
    w = TR.attention_weights(cache)
    assert sorted(w) == ["dec0.cross", "dec0.self", "dec1.cross", "dec1.self", "enc0.self", "enc1.self"]
    assert w["enc0.self"].shape == (2, H, 5, 5) and w["dec1.cross"].shape == (2, H, 3, 5)
    for v in w.values():
        assert np.allclose(v.sum(axis=-1), 1.0)
    assert np.all(w["dec0.cross"][1, :, :, 3:] == 0) and np.all(w["enc1.self"][1, :, :, 3:] == 0)
    assert np.all(np.triu(w["dec1.self"][0, 0], k=1) == 0)                  # causal


def test_greedy_decoding_scores_what_teacher_forcing_scores():
    """decode's log-probability of its output = the forward pass's, fed that output."""
    rng = np.random.default_rng(5)
    p = _tiny(5)
    x, mask, _ = _batch(rng, m=2, T_y=4)
    tokens, logp = TR.decode(p, x, mask, n_heads=H, T_y=4)
    logits, _ = TR.translator_forward(x, mask, TR.shift_right(tokens, N_Y), p, n_heads=H)
    z = logits - logits.max(axis=-1, keepdims=True)
    log_softmax = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    assert np.array_equal(np.argmax(logits, axis=-1), tokens)               # each token the argmax
    assert np.allclose(np.take_along_axis(log_softmax, tokens[..., None], -1)[..., 0].sum(axis=1), logp)
    beam, beam_logp = TR.decode(p, x, mask, n_heads=H, beam_width=4, T_y=4)
    assert beam.shape == (2, 4, 4) and np.all(np.diff(beam_logp, axis=1) <= 1e-12)
    one, one_logp = TR.decode(p, x, mask, n_heads=H, beam_width=1, T_y=4)
    assert one.shape == (2, 1, 4) and np.array_equal(one[:, 0], tokens)
    assert np.allclose(one_logp[:, 0], logp)


def test_a_short_training_run_lowers_the_cost_and_float32_stays_float32():
    data = dates.load_dates(n_train=300, n_val=1, n_test=1, seed=1)
    prepared = seq2seq.prepare(data["train"])
    p = {k: v.astype(np.float32) for k, v in TR.initialize_translator(d_model=16, n_heads=2, d_ff=32,
                                                                       seed=0).items()}
    costs = TR.train_translator(p, prepared, n_heads=2, num_iterations=40, batch_size=32,
                                learning_rate=0.005, seed=0, record_every=10)
    assert len(costs) == 4 and costs[-1] < 0.8 * costs[0]
    assert all(v.dtype == np.float32 and np.all(np.isfinite(v)) for v in p.values())
    out, logp = TR.translate(p, ["3 May 1979", "1.1.2000"], n_heads=2)
    assert len(out) == 2 and all(len(o) == 10 for o in out) and np.all(logp <= 0)
    assert 0.0 <= TR.exact_match(p, data["train"][:20], n_heads=2) <= 1.0
    one, maps = TR.attention_maps(p, "3 May 1979", n_heads=2)
    assert isinstance(one, str) and maps["dec0.cross"].shape == (2, 10, 10)


def test_training_is_reproducible():
    data = seq2seq.prepare(dates.load_dates(n_train=100, n_val=1, n_test=1, seed=2)["train"])
    runs = []
    for _ in range(2):
        p = TR.initialize_translator(d_model=8, n_heads=2, d_ff=8, seed=4)
        runs.append((TR.train_translator(p, data, n_heads=2, num_iterations=6, batch_size=16,
                                         record_every=1, seed=7), p))
    assert runs[0][0] == runs[1][0]
    assert all(np.array_equal(runs[0][1][k], runs[1][1][k]) for k in runs[0][1])


# ---------------------------------------------------------------- bad input

_rng = np.random.default_rng(0)
_P = _tiny(0)
_X, _MASK, _Y = _batch(_rng)
_YP = TR.shift_right(_Y, N_Y)
_CACHE = TR.translator_forward(_X, _MASK, _YP, _P, n_heads=H)[1]
_DATA = {"x": _X, "mask": _MASK, "y": _Y}
_P_REAL = TR.initialize_translator(d_model=4, n_heads=2, d_ff=4)
_no_start = _MASK.copy()
_no_start[0, 0] = False

BAD_INPUTS = [
    bad(TR.initialize_translator, "d_model", 5),
    bad(TR.initialize_translator, "n_heads", 8, 3),
    bad(TR.initialize_translator, "n_layers", 8, 2, 8, 0),
    bad(TR.initialize_translator, "seed", seed=-1),
    bad(TR.translator_forward, "x", _X + N_X, _MASK, _YP, _P, H),
    bad(TR.translator_forward, "mask", _X, _MASK[:, :-1], _YP, _P, H),
    bad(TR.translator_forward, "mask", _X, _no_start, _YP, _P, H),
    bad(TR.translator_forward, "mask", _X, _MASK.astype(int), _YP, _P, H, error=TypeError),
    bad(TR.translator_forward, "y_prev", _X, _MASK, _YP[:1], _P, H),
    bad(TR.translator_forward, "parameters", _X, _MASK, _YP, {k: v for k, v in _P.items() if k != "dec1.ffn.b_2"}, H),
    bad(TR.translator_forward, "n_heads", _X, _MASK, _YP, _P, 3),
    bad(TR.translator_backward, "dlogits", np.zeros((2, 3, N_Y + 1)), _CACHE),
    bad(TR.translator_backward, "dlogits", np.full((2, 3, N_Y), np.nan), _CACHE),
    bad(TR.translator_backward, "cache", np.zeros((2, 3, N_Y)), {"layer": "feed_forward"}, error=TypeError),
    bad(TR.shift_right, "y", np.array([1, 2, 3])),
    bad(TR.shift_right, "y", np.array([[1, -2, 3]])),
    bad(TR.shift_right, "y", np.array([["a", "b"]]), error=TypeError),
    bad(TR.shift_right, "n_y", np.array([[1, 2]]), 0),
    bad(TR.translator_loss, "y", _P, _X, _MASK, _Y + N_Y, H),
    bad(TR.translator_loss, "y", _P, _X, _MASK, _Y[:1], H),
    bad(TR.translator_loss, "x", _P, _X.astype(float) + 0.5, _MASK, _Y, H),
    bad(TR.translator_loss, "parameters", [1, 2], _X, _MASK, _Y, H, error=TypeError),
    bad(TR.train_translator, "data", _P, [1, 2], H, error=TypeError),
    bad(TR.train_translator, "num_iterations", _P, _DATA, H, num_iterations=0),
    bad(TR.train_translator, "learning_rate", _P, _DATA, H, learning_rate=-1.0),
    bad(TR.train_translator, "record_every", _P, _DATA, H, num_iterations=5, record_every=6),
    bad(TR.train_translator, "data['y']", _P, {**_DATA, "y": _Y[:1]}, H),
    bad(TR.decode, "beam_width", _P, _X, _MASK, H, beam_width=0),
    bad(TR.decode, "T_y", _P, _X, _MASK, H, T_y=0),
    bad(TR.decode, "x", _P, _X[0], _MASK, H),
    bad(TR.translate, "strings", _P_REAL, "3 May 1979!", 2),
    bad(TR.translate, "strings", _P_REAL, [], 2),
    bad(TR.translate, "n_heads", _P_REAL, "3 May 1979", 3),
    bad(TR.exact_match, "pairs", _P_REAL, [], 2),
    bad(TR.exact_match, "beam_width", _P_REAL, [("3 may 1979", "1979-05-03")], 2, beam_width=0),
    bad(TR.exact_match, "batch_size", _P_REAL, [("3 may 1979", "1979-05-03")], 2, batch_size=0),
    bad(TR.attention_weights, "cache", None, error=TypeError),
    bad(TR.attention_weights, "cache", {"layer": "multi_head_attention"}, error=TypeError),
    bad(TR.attention_weights, "cache", [1], error=TypeError),
    bad(TR.attention_maps, "string", _P_REAL, ["3 May 1979"], 2, error=TypeError),
    bad(TR.attention_maps, "string", _P_REAL, "", 2),
    bad(TR.attention_maps, "n_heads", _P_REAL, "3 May 1979", 0),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
