"""Tests for lib.dates: the date data set, its vocabularies, encoding and decoding."""
import datetime

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from contract import assert_refused, bad
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
@given(st.integers(0, 2**32 - 1))
def test_encode_decode_round_trip(seed):
    pairs = D.make_dates(5, seed=seed)
    x, mask = D.encode_inputs([h for h, _ in pairs])
    for (human, _), row, keep in zip(pairs, x, mask):
        assert "".join(D.INPUT_VOCAB[i] for i in row[keep]) == human.lower()
        assert keep.sum() == len(human) and np.all(row[~keep] == 0)
    y = D.encode_outputs([m for _, m in pairs])
    assert D.decode_outputs(y) == [m for _, m in pairs]


def test_seed_none_draws_fresh_dates():
    assert len(D.make_dates(5, seed=None)) == 5
    assert D.make_dates(50, seed=None) != D.make_dates(50, seed=None)
    splits = D.load_dates(20, 5, 5, seed=None)
    assert [len(v) for v in splits.values()] == [20, 5, 5]


def test_formats_restrict_the_drawn_formats():
    for human, machine in D.make_dates(40, seed=1, formats=["dd/mm/yyyy"]):
        y, mo, d = machine.split("-")
        assert human == f"{d}/{mo}/{y}"


def test_decode_outputs_of_one_row_and_of_whole_floats():
    assert D.decode_outputs(np.array([1, 9, 7, 9, 10, 0, 5, 10, 0, 3])) == "1979-05-03"
    assert D.decode_outputs(np.array([[2.0, 0.0]])) == ["20"]


def test_no_one_hot_of_its_own():
    """One-hot sequences come from lib.text.one_hot_sequences only."""
    assert not hasattr(D, "one_hot")


BAD_INPUTS = [
    bad(D.make_dates, "m", 0),
    bad(D.make_dates, "m", 2.5, error=TypeError),
    bad(D.make_dates, "seed", 3, seed=-1),
    bad(D.make_dates, "seed", 3, seed=1.5, error=TypeError),
    bad(D.make_dates, "formats", 3, formats=["mm/dd/yyyy"]),
    bad(D.make_dates, "formats", 3, formats=[]),
    bad(D.make_dates, "formats", 3, formats="dd/mm/yyyy", error=TypeError),
    bad(D.load_dates, "n_train", 0),
    bad(D.load_dates, "n_val", 10, -1),
    bad(D.load_dates, "n_test", 10, 1, 1.0, error=TypeError),
    bad(D.load_dates, "seed", 10, 1, 1, seed=-3),
    bad(D.encode_inputs, "strings", ["3 May 1979!"]),               # '!' is not in the vocabulary
    bad(D.encode_inputs, "strings", ["3 mai 1979 ☺"]),
    bad(D.encode_inputs, "strings", ["wednesday the 17th of september 2003"]),   # longer than T_x
    bad(D.encode_inputs, "strings", ["<pad>"]),                     # the padding symbol is not a character
    bad(D.encode_inputs, "strings", []),
    bad(D.encode_inputs, "strings", [""]),
    bad(D.encode_inputs, "strings", [3], error=TypeError),
    bad(D.encode_inputs, "T_x", "3 may 1979", T_x=0),
    bad(D.encode_outputs, "strings", ["1979-5-3"]),
    bad(D.encode_outputs, "strings", ["1979/05/03"]),
    bad(D.encode_outputs, "strings", [19790503], error=TypeError),
    bad(D.encode_outputs, "strings", []),
    bad(D.decode_outputs, "indices", [[-1, 0]]),                     # no wrapping round
    bad(D.decode_outputs, "indices", [[0, 11]]),
    bad(D.decode_outputs, "indices", [[0.5, 1]]),
    bad(D.decode_outputs, "indices", np.zeros((1, 2, 3), dtype=int)),
    bad(D.decode_outputs, "indices", np.zeros((0, 10), dtype=int)),
    bad(D.decode_outputs, "indices", ["1"], error=TypeError),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
