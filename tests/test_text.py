"""Tests for lib.text: vocabulary round trips, one-hot sequences, the generated language, bad input."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lib.text as text
from contract import assert_refused, bad

BAD_INPUTS = [
    bad(text.encode, "text", "Hello"),                             # a capital: not in the vocabulary
    bad(text.encode, "text", ["k", "a"], error=TypeError),
    bad(text.encode, "vocab", "ka", vocab="abca"),
    bad(text.encode, "vocab", "ka", vocab=""),
    bad(text.decode, "indices", [0, 27]),                          # out of range
    bad(text.decode, "indices", [0, -1]),                          # never wrapped round
    bad(text.decode, "indices", [0, 1.5]),
    bad(text.decode, "vocab", [0], vocab=None, error=TypeError),
    bad(text.one_hot_sequences, "indices", [[0, 3]], 3),
    bad(text.one_hot_sequences, "indices", [[0, -1]], 3),
    bad(text.one_hot_sequences, "indices", [[0, 1.5]], 3),
    bad(text.one_hot_sequences, "indices", np.zeros((1, 0), dtype=int), 3),     # empty sequence
    bad(text.one_hot_sequences, "indices", np.zeros((1, 2, 3), dtype=int), 3),  # wrong rank
    bad(text.one_hot_sequences, "n_x", [[0, 1]], 0),
    bad(text.make_words, "n_words", 0),
    bad(text.make_words, "n_words", 2.5, error=TypeError),
    bad(text.make_words, "seed", 3, seed=-1),
    bad(text.is_word, "text", None, error=TypeError),
    bad(text.is_word, "text", b"kaka", error=TypeError),
    bad(text.is_word, "text", ["kaka"], error=TypeError),
    bad(text.words_to_corpus, "words", "kaka", error=TypeError),
    bad(text.words_to_corpus, "words", []),
    bad(text.words_to_corpus, "words", ["ka\nka"]),
    bad(text.words_to_corpus, "words", ["kaka", ""]),
    bad(text.unigram_loss, "train", [0, 1, 5], [0], 3),
    bad(text.unigram_loss, "test", [0, 1], [-1], 3),
    bad(text.unigram_loss, "test", [0, 1], [], 3),
    bad(text.unigram_loss, "n_symbols", [0, 1], [0], 0),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=text.VOCAB, max_size=40))
def test_encode_decode_round_trip(s):
    assert text.decode(text.encode(s)) == s


def test_one_hot_sequences():
    idx = np.array([[0, 2, 1], [1, 1, 0]])
    x = text.one_hot_sequences(idx, 3)
    assert x.shape == (3, 2, 3) and x.dtype == np.float64
    assert np.array_equal(x.sum(axis=0), np.ones((2, 3)))
    assert np.array_equal(x.argmax(axis=0), idx)
    assert text.one_hot_sequences([2, 0], 3).shape == (3, 1, 2)
    assert np.array_equal(text.one_hot_sequences(np.array([[2.0, 0.0]]), 3), text.one_hot_sequences([[2, 0]], 3))


def test_generated_words_obey_the_rules():
    words = text.make_words(300, seed=0)
    assert words == text.make_words(300, seed=0)
    assert all(text.is_word(w) for w in words)
    assert len(set(words)) > 250
    for not_a_word in ("kaki", "ka", "kakakakaka", "akaka", "kakan n", "kkaa", "bibib", ""):
        assert not text.is_word(not_a_word), not_a_word
    assert text.is_word("kanaban") and text.is_word("tolomo")
    assert len(text.make_words(5, seed=None)) == 5


def test_corpus_and_unigram_baseline():
    corpus = text.words_to_corpus(["baba", "kiki"])
    assert corpus == "\nbaba\nkiki\n"
    ids = text.encode(corpus)
    loss = text.unigram_loss(ids, ids, len(text.VOCAB))
    assert 0 < loss < np.log(len(text.VOCAB))
    # add-one smoothing: a symbol never seen in training still has a finite cost, log(N + V)
    assert np.isclose(text.unigram_loss([0, 0], [1], 3), np.log(5))
