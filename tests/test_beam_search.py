"""Tests for lib.beam_search: greedy decoding and beam search against brute force, and bad input."""
import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from lib import beam_search as BS
from contract import assert_refused, bad

LAYERS = []          # no forward/backward pair: a search has no gradient


def _table_step(seed, n_y, m):
    """A model whose next-token distribution is a fixed random function of (example, prefix)."""
    def step(prefixes):
        mm, k, t = prefixes.shape
        out = np.empty((mm, k, n_y))
        for i in range(mm):
            for b in range(k):
                rng = np.random.default_rng([seed, i, t, *prefixes[i, b].tolist()])
                z = 2.0 * rng.standard_normal(n_y)
                out[i, b] = z - np.log(np.exp(z).sum())
        return out
    return step


def _score(step, tokens):
    """Total log-probability of the sequences tokens (m, T_y), one step at a time."""
    m, T_y = tokens.shape
    total = np.zeros(m)
    for t in range(T_y):
        logp = step(tokens[:, None, :t])[:, 0]
        total += logp[np.arange(m), tokens[:, t]]
    return total


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_beam_as_wide_as_every_sequence_finds_them_all_in_order(seed):
    n_y, T_y, m = 3, 3, 2
    step = _table_step(seed, n_y, m)
    tokens, score = BS.beam_search(step, m, T_y, beam_width=n_y ** T_y)
    every = np.array(list(itertools.product(range(n_y), repeat=T_y)))
    for i in range(m):
        brute = np.array([_score(step, np.tile(s, (m, 1)))[i] for s in every])
        assert np.allclose(np.sort(brute)[::-1], score[i], atol=1e-12)
        assert np.allclose(_score(step, tokens[:, 0]), score[:, 0], atol=1e-12)
        assert tuple(tokens[i, 0]) == tuple(every[np.argmax(brute)])
    assert np.all(np.diff(score, axis=1) <= 0)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_beam_of_one_is_greedy_decoding(seed):
    step = _table_step(seed, 4, 3)
    g_tokens, g_score = BS.greedy_search(step, 3, 4)
    b_tokens, b_score = BS.beam_search(step, 3, 4, beam_width=1)
    assert np.array_equal(b_tokens[:, 0], g_tokens)
    assert np.allclose(b_score[:, 0], g_score, atol=1e-12)
    assert np.allclose(_score(step, g_tokens), g_score, atol=1e-12)
    # greedy really takes the argmax at every step
    for t in range(4):
        assert np.array_equal(np.argmax(step(g_tokens[:, None, :t])[:, 0], axis=1), g_tokens[:, t])


def test_beam_search_can_find_what_greedy_misses():
    """First token: a (0.6) or b (0.4); after a every token is 1/3, after b one is 0.9."""
    def step(prefixes):
        m, k, t = prefixes.shape
        out = np.empty((m, k, 3))
        for b in range(k):
            if t == 0:
                out[:, b] = np.log([0.6, 0.4, 1e-300])
            else:
                out[:, b] = np.log([1 / 3] * 3) if prefixes[0, b, 0] == 0 else np.log([0.9, 0.05, 0.05])
        return out
    g_tokens, g_score = BS.greedy_search(step, 1, 2)
    b_tokens, b_score = BS.beam_search(step, 1, 2, beam_width=2)
    assert g_tokens.tolist() == [[0, 0]] and g_score[0] == pytest.approx(np.log(0.6 / 3))
    assert b_tokens[0, 0].tolist() == [1, 0] and b_score[0, 0] == pytest.approx(np.log(0.36))
    assert b_score[0, 0] > g_score[0]


def test_beam_search_is_not_guaranteed_to_beat_greedy():
    """The greedy path can fall out of the beam: here a beam of two ends below greedy decoding."""
    def step(prefixes):
        m, k, t = prefixes.shape
        out = np.empty((m, k, 10))
        for b in range(k):
            first = prefixes[0, b, 0] if t else None
            if t == 0:
                p = [0.5, 0.3] + [0.2 / 8] * 8
            elif t == 1:
                p = [0.1] * 10 if first == 0 else [0.45, 0.45] + [0.1 / 8] * 8
            else:
                p = [0.91] + [0.01] * 9 if first == 0 else [0.1] * 10
            out[:, b] = np.log(p)
        return out
    _, g_score = BS.greedy_search(step, 1, 3)
    _, b_score = BS.beam_search(step, 1, 3, beam_width=2)
    assert g_score[0] == pytest.approx(np.log(0.5 * 0.1 * 0.91))
    assert b_score[0, 0] == pytest.approx(np.log(0.3 * 0.45 * 0.1))
    assert b_score[0, 0] < g_score[0]


def test_a_beam_wider_than_the_sequences_keeps_them_all():
    step = _table_step(3, 2, 1)
    tokens, score = BS.beam_search(step, 1, 2, beam_width=10)
    assert tokens.shape == (1, 4, 2) and score.shape == (1, 4)
    assert sorted(map(tuple, tokens[0])) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert np.exp(score).sum() == pytest.approx(1.0)


def test_minus_infinity_marks_a_forbidden_token():
    with np.errstate(divide="ignore"):
        lp = np.log([0.0, 0.7, 0.3])                 # token 0 is impossible
    tokens, score = BS.beam_search(lambda pre: np.broadcast_to(lp, pre.shape[:2] + (3,)), 2, 3, 4)
    assert not np.any(tokens == 0) and np.all(np.isfinite(score))
    assert score[0, 0] == pytest.approx(3 * np.log(0.7))


# ---------------------------------------------------------------- bad input

def _ok(prefixes):
    m, k, _ = prefixes.shape
    return np.full((m, k, 2), np.log(0.5))


def _wrong_shape(prefixes):
    return np.zeros((1, 1, 2))


def _positive(prefixes):
    return np.ones(prefixes.shape[:2] + (2,))


BAD_INPUTS = [
    bad(BS.greedy_search, "step", None, 2, 3, error=TypeError),
    bad(BS.greedy_search, "step", _wrong_shape, 2, 3),
    bad(BS.greedy_search, "step", _positive, 2, 3),
    bad(BS.greedy_search, "m", _ok, 0, 3),
    bad(BS.greedy_search, "T_y", _ok, 2, 0),
    bad(BS.beam_search, "step", "not a function", 2, 3, error=TypeError),
    bad(BS.beam_search, "step", _wrong_shape, 2, 3),
    bad(BS.beam_search, "m", _ok, 1.5, 3, error=TypeError),
    bad(BS.beam_search, "T_y", _ok, 2, -1),
    bad(BS.beam_search, "beam_width", _ok, 2, 3, beam_width=0),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
