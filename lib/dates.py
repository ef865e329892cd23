"""The date-translation data set of chapter ``22_attention`` (the attention model), made here, never downloaded.

Each example is a date written the way people write it ("3 May 1979",
"tuesday 03/05/1979", "may 3, 1979") paired with the machine form
``"1979-05-03"``. Dates are drawn with Python's :mod:`datetime` from a seeded
generator, written in one of :data:`FORMATS`, and split into train,
validation and test sets that share no input string.

Day/month order: every numeric format is day first (``03/05/1979`` is the
3rd of May), so each input has exactly one translation.

The model reads characters: :func:`encode_inputs` turns strings into indices
of :data:`INPUT_VOCAB` (lower-cased, padded to ``T_x`` with ``<pad>``),
:func:`lib.text.one_hot_sequences` turns indices into the ``(n_x, m, T_x)``
sequences of the book's notation, and :func:`decode_outputs` turns the
model's indices back into strings.
"""
import datetime

import numpy as np

from lib._checks import as_indices, check_positive_int, check_seed, check_strings

MONTHS = ["january", "february", "march", "april", "may", "june", "july",
          "august", "september", "october", "november", "december"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

PAD = "<pad>"
INPUT_VOCAB = [PAD] + list(" ,./-") + list("0123456789") + list("abcdefghijklmnopqrstuvwxyz")
"""Input characters; index 0 is the padding symbol. Inputs are lower-cased first."""
OUTPUT_VOCAB = list("0123456789-")
"""Output characters: the ten digits and the dash of ``YYYY-MM-DD``."""
T_X = 30
"""Input length: every human date is at most 30 characters, padded to 30."""
T_Y = 10
"""Output length: ``len("1979-05-03")``."""

_IN_INDEX = {c: i for i, c in enumerate(INPUT_VOCAB)}
_OUT_INDEX = {c: i for i, c in enumerate(OUTPUT_VOCAB)}

FIRST_DAY = datetime.date(1950, 1, 1)
LAST_DAY = datetime.date(2049, 12, 31)


def _ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


FORMATS = {
    "d month yyyy": lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    "dd month yyyy": lambda d: f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}",
    "d mon yyyy": lambda d: f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}",
    "month d, yyyy": lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    "mon dd yyyy": lambda d: f"{MONTHS[d.month - 1][:3]} {d.day:02d} {d.year}",
    "weekday d month yyyy": lambda d: f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}",
    "weekday, month d, yyyy": lambda d: f"{WEEKDAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}, {d.year}",
    "weekday dd/mm/yyyy": lambda d: f"{WEEKDAYS[d.weekday()]} {d.day:02d}/{d.month:02d}/{d.year}",
    "dth of month yyyy": lambda d: f"the {_ordinal(d.day)} of {MONTHS[d.month - 1]} {d.year}",
    "dd/mm/yyyy": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    "d.m.yyyy": lambda d: f"{d.day}.{d.month}.{d.year}",
    "dd.mm.yy": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year % 100:02d}",
    "yyyy-mm-dd": lambda d: d.isoformat(),
}
"""Format name → function writing a :class:`datetime.date` the human way.

Two-digit years (``dd.mm.yy``) stand for 1950–2049: 50–99 → 19xx, 00–49 → 20xx.
"""


def _capitalise(text, rng):
    """Write the words of ``text`` in lower case, Title Case or UPPER case at random."""
    style = rng.integers(3)
    return text if style == 0 else text.title() if style == 1 else text.upper()


def make_dates(m, seed=0, formats=None):
    """Draw ``m`` (human, machine) date pairs, reproducibly.

    Each date is uniform over 1950-01-01 … 2049-12-31; its format is uniform
    over ``formats`` and its letters are lower case, Title Case or UPPER case.

    Args:
        m: number of pairs (an integer ≥ 1).
        seed: an int ≥ 0 (the same seed gives the same list) or None.
        formats: names from :data:`FORMATS` to use (default: all of them).

    Returns:
        list of ``m`` tuples ``(human, machine)``, e.g. ``("3 May 1979", "1979-05-03")``.
    """
    m = check_positive_int("m", m)
    return _make_dates(m, check_seed(seed), _check_formats(formats))


def _check_formats(formats):
    if formats is None:
        return list(FORMATS)
    if isinstance(formats, str) or not hasattr(formats, "__iter__"):
        raise TypeError(f"formats: expected a list of names from FORMATS, got {type(formats).__name__}")
    names = list(formats)
    if not names:
        raise ValueError("formats: expected at least one name from FORMATS, got none")
    for name in names:
        if name not in FORMATS:
            raise ValueError(f"formats: unknown format {name!r}; expected names from FORMATS: "
                             f"{', '.join(FORMATS)}")
    return names


def _make_dates(m, seed, names):
    """The pairs of :func:`make_dates` (unchecked); ``seed`` anything ``default_rng`` takes."""
    rng = np.random.default_rng(seed)
    span = LAST_DAY.toordinal() - FIRST_DAY.toordinal() + 1
    days = rng.integers(span, size=m) + FIRST_DAY.toordinal()
    which = rng.integers(len(names), size=m)
    pairs = []
    for day, k in zip(days, which):
        date = datetime.date.fromordinal(int(day))
        pairs.append((_capitalise(FORMATS[names[k]](date), rng), date.isoformat()))
    return pairs


def load_dates(n_train=10000, n_val=1000, n_test=1000, seed=0):
    """Train, validation and test splits with no human string in two splits.

    Draws pairs with :func:`make_dates` until there are enough distinct
    human strings, then deals them out in draw order.

    Args:
        n_train, n_val, n_test: sizes of the three splits (integers ≥ 1).
        seed: the generator's seed, an int ≥ 0 or None.

    Returns:
        dict with keys ``"train"``, ``"val"``, ``"test"``, each a list of
        (human, machine) pairs.
    """
    sizes = [check_positive_int(n, v) for n, v in
             (("n_train", n_train), ("n_val", n_val), ("n_test", n_test))]
    seed = check_seed(seed)
    if seed is None:                                 # fresh entropy, then reproducible rounds
        seed = int(np.random.SeedSequence().entropy)
    total = sum(sizes)
    seen, pairs, round_ = set(), [], 0
    while len(pairs) < total:
        for human, machine in _make_dates(total, [seed, round_], list(FORMATS)):
            if human not in seen:
                seen.add(human)
                pairs.append((human, machine))
        round_ += 1
    pairs = pairs[:total]
    a, b = sizes[0], sizes[0] + sizes[1]
    return {"train": pairs[:a], "val": pairs[a:b], "test": pairs[b:]}


def encode_inputs(strings, T_x=T_X):
    """Character indices of human dates, lower-cased and padded with ``<pad>`` (index 0).

    Args:
        strings: a string or a list of ``m`` strings.
        T_x: the input length; no string may be longer.

    Returns:
        (indices, mask): int array (m, T_x) of :data:`INPUT_VOCAB` indices and
        bool array (m, T_x), True on the real characters, False on the padding.

    Raises:
        ValueError naming ``strings`` when one is longer than ``T_x`` or holds a
        character outside :data:`INPUT_VOCAB`.
    """
    strings = _string_list(strings)
    T_x = check_positive_int("T_x", T_x)
    indices = np.zeros((len(strings), T_x), dtype=np.int64)
    mask = np.zeros((len(strings), T_x), dtype=bool)
    for i, text in enumerate(strings):
        low = text.lower()
        if not low:
            raise ValueError(f"strings: item {i} is empty; expected at least one character")
        if len(low) > T_x:
            raise ValueError(f"strings: {text!r} has {len(low)} characters, longer than the "
                             f"input length T_x = {T_x}")
        bad = sorted({c for c in low if c not in _IN_INDEX or c == PAD})
        if bad:
            raise ValueError(f"strings: {text!r} has characters outside the input vocabulary: {bad}")
        indices[i, :len(low)] = [_IN_INDEX[c] for c in low]
        mask[i, :len(low)] = True
    return indices, mask


def _string_list(strings):
    """One string or a non-empty list of strings, as a list; refused by name otherwise."""
    if isinstance(strings, str):
        return [strings]
    return check_strings("strings", strings)


def encode_outputs(strings):
    """Indices (m, T_y) of machine dates ``YYYY-MM-DD`` in :data:`OUTPUT_VOCAB`.

    Args:
        strings: a string or a list of ``m`` strings, each 10 characters of
            digits and dashes.

    Returns:
        int array (m, T_y) of :data:`OUTPUT_VOCAB` indices.
    """
    strings = _string_list(strings)
    out = np.zeros((len(strings), T_Y), dtype=np.int64)
    for i, text in enumerate(strings):
        if len(text) != T_Y or any(c not in _OUT_INDEX for c in text):
            raise ValueError(f"strings: expected 'YYYY-MM-DD' (10 characters of "
                             f"{''.join(OUTPUT_VOCAB)}), got {text!r}")
        out[i] = [_OUT_INDEX[c] for c in text]
    return out


def decode_outputs(indices):
    """Strings from output indices: (m, T_y) → list of m strings (a (T_y,) row → one string).

    Args:
        indices: integers in [0, len(OUTPUT_VOCAB)) (whole-number floats are
            accepted), of shape (m, T_y) or (T_y,). Negative or larger indices
            are refused, never wrapped round.

    Returns:
        a list of m strings over :data:`OUTPUT_VOCAB`, or one string for one row.
    """
    arr = np.asarray(indices)
    if arr.ndim not in (1, 2):
        raise ValueError(f"indices: expected shape (m, T_y) or (T_y,), got {arr.shape}")
    arr = as_indices("indices", arr, len(OUTPUT_VOCAB))
    if arr.ndim == 1:
        return "".join(OUTPUT_VOCAB[k] for k in arr)
    return ["".join(OUTPUT_VOCAB[k] for k in row) for row in arr]
