r"""Characters as numbers: a vocabulary, one-hot sequences, and a generated corpus of words.

Chapter 12 (sequence models) uses it to turn text into the (n_x, m, T_x)
arrays of the book's notation; chapter 13 trains its language model on the
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

from lib._checks import as_array, check_positive_int

VOCAB = "\n" + string.ascii_lowercase
"""The 27 symbols: newline (index 0, ends a word) and a–z (indices 1–26)."""

CONSONANTS = "bdgklmnprstv"
VOWELS = "aeiou"
_WORD = re.compile(rf"^(?:[{CONSONANTS}]([{VOWELS}]))(?:[{CONSONANTS}]\1){{1,3}}n?$")


def encode(text, vocab=VOCAB):
    """Map a string to the indices of its characters in ``vocab``: (len(text),) int array.

    Raises ValueError naming the first character not in the vocabulary.
    """
    lookup = {ch: i for i, ch in enumerate(vocab)}
    bad = [ch for ch in text if ch not in lookup]
    if bad:
        raise ValueError(f"text: character {bad[0]!r} is not in the vocabulary of {len(vocab)} symbols")
    return np.array([lookup[ch] for ch in text], dtype=np.int64)


def decode(indices, vocab=VOCAB):
    """Map indices (any shape, flattened) back to a string over ``vocab``.

    Raises ValueError if an index is outside [0, len(vocab)).
    """
    idx = np.asarray(indices).reshape(-1)
    if idx.size and (not np.issubdtype(idx.dtype, np.integer) or idx.min() < 0 or idx.max() >= len(vocab)):
        raise ValueError(f"indices: expected integers in [0, {len(vocab) - 1}] (the vocabulary), got {idx.tolist()[:10]}")
    return "".join(vocab[i] for i in idx)


def one_hot_sequences(indices, n_x):
    r"""One-hot encode a batch of index sequences: (m, T_x) → (n_x, m, T_x).

    Entry :math:`x^{(i)<t>}_k = 1` exactly when example i's symbol at step t is k.

    Args:
        indices: (m, T_x) integers in [0, n_x); a single sequence (T_x,) is
            treated as m = 1.
        n_x: the vocabulary size.

    Returns:
        float array (n_x, m, T_x) whose columns each hold a single 1.
    """
    n_x = check_positive_int("n_x", n_x)
    idx = np.asarray(indices)
    if idx.ndim == 1:
        idx = idx[None, :]
    if idx.ndim != 2:
        raise ValueError(f"indices: expected shape (m, T_x), got {idx.shape}")
    if idx.shape[0] == 0 or idx.shape[1] == 0:
        raise ValueError(f"indices: expected a non-empty sequence, got shape {idx.shape}")
    idx = as_array("indices", idx, dtype=np.int64)
    if idx.min() < 0 or idx.max() >= n_x:
        raise ValueError(f"indices: expected integers in [0, {n_x - 1}] (the vocabulary), "
                         f"got range [{idx.min()}, {idx.max()}]")
    out = np.zeros((n_x,) + idx.shape)       # contiguous, so x[:, :, t] slices stay cheap
    m_idx, t_idx = np.indices(idx.shape)
    out[idx, m_idx, t_idx] = 1.0
    return out


def make_words(n_words, seed=0):
    """Generate ``n_words`` words of the invented language (module docstring): list of str."""
    n_words = check_positive_int("n_words", n_words)
    rng = np.random.default_rng(seed)
    words = []
    for _ in range(n_words):
        vowel = VOWELS[rng.integers(len(VOWELS))]
        n_syll = rng.integers(2, 5)
        word = "".join(CONSONANTS[rng.integers(len(CONSONANTS))] + vowel for _ in range(n_syll))
        words.append(word + ("n" if rng.random() < 0.3 else ""))
    return words


def is_word(text):
    """True when ``text`` obeys both rules of the invented language (syllables and vowel harmony)."""
    return bool(_WORD.match(text))


def words_to_corpus(words):
    """Join words into one training text: each word preceded by a newline, so a newline starts a word."""
    return "".join("\n" + w for w in words) + "\n"


def unigram_loss(train, test, n_symbols):
    r"""Cross-entropy per symbol (nats) of the unigram baseline: symbol frequencies of ``train`` used on ``test``.

    :math:`-\frac1N \sum_j \log \hat p(s_j)` with :math:`\hat p` the add-one
    smoothed frequencies; any model that uses context should do better.

    Args:
        train, test: integer symbol arrays (N,) in [0, n_symbols).
        n_symbols: the vocabulary size.
    """
    counts = np.bincount(np.asarray(train).reshape(-1), minlength=n_symbols) + 1.0
    p = counts / counts.sum()
    return float(-np.mean(np.log(p[np.asarray(test).reshape(-1)])))
