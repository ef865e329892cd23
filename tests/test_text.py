"""Tests for lib.text: vocabulary round trips, one-hot sequences, the generated language."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lib.text as text


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=text.VOCAB, max_size=40))
def test_encode_decode_round_trip(s):
    assert text.decode(text.encode(s)) == s


def test_one_hot_sequences():
    idx = np.array([[0, 2, 1], [1, 1, 0]])
    x = text.one_hot_sequences(idx, 3)
    assert x.shape == (3, 2, 3)
    assert np.array_equal(x.sum(axis=0), np.ones((2, 3)))
    assert np.array_equal(x.argmax(axis=0), idx)
    assert text.one_hot_sequences([2, 0], 3).shape == (3, 1, 2)


def test_generated_words_obey_the_rules():
    words = text.make_words(300, seed=0)
    assert words == text.make_words(300, seed=0)
    assert all(text.is_word(w) for w in words)
    assert len(set(words)) > 250
    for bad in ("kaki", "ka", "kakakakaka", "akaka", "kakan n", "kkaa", "bibib"):
        assert not text.is_word(bad), bad
    assert text.is_word("kanaban") and text.is_word("tolomo")


def test_corpus_and_unigram_baseline():
    corpus = text.words_to_corpus(["baba", "kiki"])
    assert corpus == "\nbaba\nkiki\n"
    ids = text.encode(corpus)
    loss = text.unigram_loss(ids, ids, len(text.VOCAB))
    assert 0 < loss < np.log(len(text.VOCAB))


def test_bad_input():
    with pytest.raises(ValueError, match="text"):
        text.encode("Hello")                             # capital letter: not in the vocabulary
    with pytest.raises(ValueError, match="indices"):
        text.decode([0, 27])                             # index out of range
    with pytest.raises(ValueError, match="indices"):
        text.one_hot_sequences([[0, 3]], 3)
    with pytest.raises(ValueError, match="indices"):
        text.one_hot_sequences(np.zeros((1, 0), dtype=int), 3)   # empty sequence
    with pytest.raises(ValueError, match="indices"):
        text.one_hot_sequences(np.zeros((1, 2, 3), dtype=int), 3)  # wrong rank
    with pytest.raises(ValueError, match="n_words"):
        text.make_words(0)
