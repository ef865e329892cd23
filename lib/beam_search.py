r"""Greedy decoding and beam search over any model that scores the next token (chapters/23_transformer.ipynb).

A decoder writes its output one token at a time. Both searches here see the
model only through one function, ``step``:

``step(prefixes) -> log_probs``: ``prefixes`` is an int array (m, k, t), k
partial outputs (hypotheses) of t tokens for each of the m examples, and
``log_probs`` (m, k, n_y) holds :math:`\log P(y^{<t+1>} = j \mid x^{(i)}, \text{prefix})`
for every next token j. At the first call t = 0 and k = 1 (the empty output).

Any model whose decoder can be run on a prefix fits: the Transformer
translator (:mod:`lib.translator`) re-runs its decoder on the prefixes; a
recurrent decoder could do the same from its start state. A sequence's score
is its total log-probability, :math:`\log P(y \mid x) = \sum_t \log P(y^{<t>} \mid x, y^{<1>} … y^{<t-1>})`.
Every output here has the same length T_y, so no length normalisation is needed.
"""
import numpy as np

from lib._checks import check_positive_int


def _check_step(step):
    if not callable(step):
        raise TypeError(f"step: expected a function prefixes (m, k, t) -> log-probabilities (m, k, n_y), "
                        f"got {type(step).__name__}")
    return step


def _log_probs(step, prefixes, n_y=None):
    """Call step and check what it returns: (m, k, n_y), float, no NaN, at most 0 (up to rounding)."""
    m, k, t = prefixes.shape
    logp = np.asarray(step(prefixes))
    if logp.dtype.kind != "f" or logp.ndim != 3 or logp.shape[:2] != (m, k) or logp.shape[2] < 1 \
            or (n_y is not None and logp.shape[2] != n_y):
        want = f"({m}, {k}, {'n_y' if n_y is None else n_y})"
        raise ValueError(f"step: expected float log-probabilities of shape {want} (m, k, n_y) for prefixes "
                         f"of shape {prefixes.shape}, got {logp.dtype} {logp.shape}")
    if np.isnan(logp).any() or (logp > 1e-4).any():
        raise ValueError("step: expected log-probabilities (finite or -inf, at most 0), got NaN or values > 0")
    return logp


def _check_sizes(m, T_y):
    return check_positive_int("m", m), check_positive_int("T_y", T_y)


def greedy_search(step, m, T_y):
    r"""Greedy decoding: at each step keep the one most likely next token.

    .. math::

        y^{<t>} = \arg\max_j \log P(y^{<t>} = j \mid x, y^{<1>} … y^{<t-1>}),

    a single hypothesis per example (k = 1). Cheap, but a choice made early is
    never revisited: the output need not be the most likely sequence.

    Args:
        step: the model, ``step(prefixes (m, 1, t)) -> log_probs (m, 1, n_y)`` (see the module docstring).
        m: number of examples, an int >= 1.
        T_y: number of output tokens, an int >= 1.

    Returns:
        (tokens, log_prob): int (m, T_y) and the total log-probability of each
        output, (m,).
    """
    _check_step(step)
    m, T_y = _check_sizes(m, T_y)
    tokens = np.zeros((m, 1, 0), dtype=np.int64)
    total = np.zeros(m)
    n_y = None
    for _ in range(T_y):
        logp = _log_probs(step, tokens, n_y)[:, 0]                     # (m, n_y)
        n_y = logp.shape[1]
        best = np.argmax(logp, axis=1)
        total += logp[np.arange(m), best]
        tokens = np.concatenate([tokens, best[:, None, None]], axis=2)
    return tokens[:, 0], total


def beam_search(step, m, T_y, beam_width=3):
    r"""Beam search: keep the ``beam_width`` most likely partial outputs at every step.

    With B hypotheses of t tokens per example and scores :math:`s_b = \log P(\text{prefix}_b \mid x)`,
    every hypothesis is extended by every token j, scored
    :math:`s_b + \log P(y^{<t+1>} = j \mid x, \text{prefix}_b)`, and the B best of the
    B·n_y candidates are kept. ``beam_width = 1`` is greedy decoding. A wider
    beam usually finds a more likely output, but not always: the greedy
    output can fall out of the beam early (a test builds such a case).

    Args:
        step: the model, ``step(prefixes (m, k, t)) -> log_probs (m, k, n_y)`` (see the module docstring).
        m: number of examples, an int >= 1.
        T_y: number of output tokens, an int >= 1.
        beam_width: hypotheses kept per example, an int >= 1.

    Returns:
        (tokens, log_prob): int (m, B, T_y), each example's final hypotheses,
        best first, and their total log-probabilities (m, B), decreasing along
        axis 1. B = beam_width, or fewer when fewer sequences exist (n_y^T_y < beam_width).
    """
    _check_step(step)
    m, T_y = _check_sizes(m, T_y)
    beam_width = check_positive_int("beam_width", beam_width)
    tokens = np.zeros((m, 1, 0), dtype=np.int64)
    score = np.zeros((m, 1))
    n_y = None
    rows = np.arange(m)[:, None]
    for _ in range(T_y):
        logp = _log_probs(step, tokens, n_y)                          # (m, k, n_y)
        n_y = logp.shape[2]
        candidates = (score[:, :, None] + logp).reshape(m, -1)        # (m, k·n_y)
        keep = min(beam_width, candidates.shape[1])
        best = np.argsort(-candidates, axis=1, kind="stable")[:, :keep]
        parent, token = np.divmod(best, n_y)
        tokens = np.concatenate([tokens[rows, parent], token[:, :, None]], axis=2)
        score = candidates[rows, best]
    return tokens, score
