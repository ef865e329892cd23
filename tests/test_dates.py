"""Tests for lib.dates: the date data set, its vocabularies, encoding and decoding."""
import datetime

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from lib import dates as D


def test_reproducible_from_seed():
    assert D.make_dates(50, seed=3) == D.make_dates(50, seed=3)
    assert D.make_dates(50, seed=3) != D.make_dates(50, seed=4)
    assert D.load_dates(200, 50, 50, seed=1) == D.load_dates(200, 50, 50, seed=1)


def test_pairs_are_correct_translations():
    for human, machine in D.make_dates(300, seed=0):
        date = datetime.date.fromisoformat(machine)
        assert D.FIRST_DAY <= date <= D.LAST_DAY
        assert any(f(date) == human.lower() for f in D.FORMATS.values()), human


def test_every_format_fits_the_input_length():
    longest = datetime.date(2003, 9, 17)     # a Wednesday in September: the longest names
    for name, f in D.FORMATS.items():
        assert len(f(longest)) <= D.T_X, name
    assert D.T_Y == len("1979-05-03")


def test_splits_are_disjoint_and_sized():
    splits = D.load_dates(500, 100, 100, seed=2)
    sizes = {k: len(v) for k, v in splits.items()}
    assert sizes == {"train": 500, "val": 100, "test": 100}
    sets = {k: {h for h, _ in v} for k, v in splits.items()}
    assert not (sets["train"] & sets["val"]) and not (sets["train"] & sets["test"])
    assert not (sets["val"] & sets["test"])


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_encode_decode_round_trip(seed):
    pairs = D.make_dates(5, seed=seed)
    x, mask = D.encode_inputs([h for h, _ in pairs])
    for (human, _), row, keep in zip(pairs, x, mask):
        assert "".join(D.INPUT_VOCAB[i] for i in row[keep]) == human.lower()
        assert keep.sum() == len(human) and np.all(row[~keep] == 0)
    y = D.encode_outputs([m for _, m in pairs])
    assert D.decode_outputs(y) == [m for _, m in pairs]


def test_one_hot_layout():
    x, _ = D.encode_inputs(["3 may 1979", "1.1.2000"])
    X = D.one_hot(x, len(D.INPUT_VOCAB))
    assert X.shape == (len(D.INPUT_VOCAB), 2, D.T_X)
    assert np.all(X.sum(axis=0) == 1)
    assert np.all(X.argmax(axis=0) == x)


def test_bad_input():
    with pytest.raises(ValueError, match="strings"):
        D.encode_inputs(["3 May 1979!"])                   # '!' is not in the vocabulary
    with pytest.raises(ValueError, match="strings"):
        D.encode_inputs(["3 mai 1979 ☺"])
    with pytest.raises(ValueError, match="strings"):
        D.encode_inputs(["wednesday the 17th of september 2003"])   # longer than T_x
    with pytest.raises(ValueError, match="strings"):
        D.encode_outputs(["1979-5-3"])
    with pytest.raises(ValueError, match="m"):
        D.make_dates(0)
    with pytest.raises(ValueError, match="formats"):
        D.make_dates(3, formats=["mm/dd/yyyy"])
    with pytest.raises(ValueError, match="indices"):
        D.one_hot(np.array([[0, 99]]), len(D.INPUT_VOCAB))
