r"""Characters as numbers: a vocabulary, one-hot sequences, and a generated corpus of words.

Chapter ``18_sequence_models`` (sequence models) uses it to turn text into the (n_x, m, T_x)
arrays of the book's notation; chapter ``19_recurrent_networks`` trains its language model on the
corpus :func:`make_words` generates. The corpus is made here, never
downloaded: words of a small invented language whose rules an RNN can learn,

* a word is 2 to 4 syllables, each a consonant then a vowel (``ka``, ``ro``),
  optionally ending in ``n``;
* **vowel harmony**: all vowels of a word are the same (``kanaban``,
  ``tolomo``), a dependency that spans several characters, so the model must
  carry it in its hidden state.

:func:`is_word` checks both rules, which gives a measurable "does the model
write words of the language?" before and after training.
"""
import re
import string

import numpy as np

from lib._checks import as_indices, check_positive_int, check_strings, make_rng

VOCAB = "\n" + string.ascii_lowercase
"""The 27 symbols: newline (index 0, ends a word) and a–z (indices 1–26)."""

CONSONANTS = "bdgklmnprstv"
VOWELS = "aeiou"
_WORD = re.compile(rf"^(?:[{CONSONANTS}]([{VOWELS}]))(?:[{CONSONANTS}]\1){{1,3}}n?$")


def _check_text(name, value):
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected a str, got {type(value).__name__} {value!r:.40}")
    return value


def _check_vocab(vocab):
    _check_text("vocab", vocab)
    if not vocab:
        raise ValueError("vocab: expected at least one symbol, got an empty string")
    if len(set(vocab)) != len(vocab):
        repeated = sorted({ch for ch in vocab if vocab.count(ch) > 1})
        raise ValueError(f"vocab: expected each symbol once, {repeated} appear more than once")
    return vocab


def encode(text, vocab=VOCAB):
    """Map a string to the indices of its characters in ``vocab``.

    Args:
        text: a str (the empty string gives an empty array).
        vocab: a str of distinct symbols; symbol k has index k.

    Returns:
        (len(text),) int64 array.

    Raises:
        ValueError naming the first character of ``text`` not in the vocabulary.
    """
    _check_text("text", text)
    lookup = {ch: i for i, ch in enumerate(_check_vocab(vocab))}
    bad = [ch for ch in text if ch not in lookup]
    if bad:
        raise ValueError(f"text: character {bad[0]!r} is not in the vocabulary of {len(vocab)} symbols")
    return np.array([lookup[ch] for ch in text], dtype=np.int64)


def decode(indices, vocab=VOCAB):
    """Map indices (any shape, read in order) back to a string over ``vocab``.

    Args:
        indices: integers in [0, len(vocab)); an empty array gives "".
        vocab: a str of distinct symbols.
    """
    _check_vocab(vocab)
    if np.size(indices) == 0:
        return ""
    idx = as_indices("indices", indices, len(vocab)).reshape(-1)
    return "".join(vocab[i] for i in idx)


def one_hot_sequences(indices, n_x):
    r"""One-hot encode a batch of index sequences: (m, T_x) → (n_x, m, T_x).

    Entry :math:`x^{(i)<t>}_k = 1` exactly when example i's symbol at step t is k.

    Args:
        indices: (m, T_x) integers in [0, n_x); a single sequence (T_x,) is
            treated as m = 1.
        n_x: the vocabulary size.

    Returns:
        float64 array (n_x, m, T_x) whose columns each hold a single 1.
    """
    n_x = check_positive_int("n_x", n_x)
    idx = np.asarray(indices)
    if idx.ndim not in (1, 2):
        raise ValueError(f"indices: expected shape (m, T_x) or (T_x,), got {idx.shape}")
    idx = as_indices("indices", idx if idx.ndim == 2 else idx[None, :], n_x)
    out = np.zeros((n_x,) + idx.shape)       # contiguous, so x[:, :, t] slices stay cheap
    m_idx, t_idx = np.indices(idx.shape)
    out[idx, m_idx, t_idx] = 1.0
    return out


def make_words(n_words, seed=0):
    """Generate ``n_words`` words of the invented language (module docstring): list of str.

    Args:
        n_words: how many, ≥ 1.
        seed: an int ≥ 0 (same seed, same words) or None.
    """
    n_words = check_positive_int("n_words", n_words)
    rng = make_rng(seed)
    words = []
    for _ in range(n_words):
        vowel = VOWELS[rng.integers(len(VOWELS))]
        n_syll = rng.integers(2, 5)
        word = "".join(CONSONANTS[rng.integers(len(CONSONANTS))] + vowel for _ in range(n_syll))
        words.append(word + ("n" if rng.random() < 0.3 else ""))
    return words


def is_word(text):
    """True when the str ``text`` obeys both rules of the invented language (syllables and vowel harmony)."""
    return bool(_WORD.match(_check_text("text", text)))


def words_to_corpus(words):
    """Join words into one training text: each word preceded by a newline, so a newline starts a word.

    Args:
        words: a non-empty list (or tuple) of non-empty str without newlines.
    """
    for k, w in enumerate(check_strings("words", words)):
        if not w or "\n" in w:
            raise ValueError(f"words: expected non-empty words without newlines, item {k} is {w!r}")
    return "".join("\n" + w for w in words) + "\n"


def unigram_loss(train, test, n_symbols):
    r"""Cross-entropy per symbol (nats) of the unigram baseline: symbol frequencies of ``train`` used on ``test``.

    :math:`-\frac1N \sum_j \log \hat p(s_j)` with :math:`\hat p` the add-one
    smoothed frequencies; any model that uses context should do better.

    Args:
        train, test: integer symbol arrays (N,) and (N',) in [0, n_symbols).
        n_symbols: the vocabulary size.
    """
    n_symbols = check_positive_int("n_symbols", n_symbols)
    train = as_indices("train", train, n_symbols).reshape(-1)
    test = as_indices("test", test, n_symbols).reshape(-1)
    counts = np.bincount(train, minlength=n_symbols) + 1.0
    p = counts / counts.sum()
    return float(-np.mean(np.log(p[test])))
