"""What the input checks cost: each training function with its checks against the same run without.

lib validates its input once, at the public edge (CONTRIBUTING.md, "The
contract"), and runs its inner loops on private kernels that trust their
input, so the checks should cost little: the issue's bar is 5% of a training
run. Here every training function the chapters call runs twice, side by side:
as it is, and with every check of ``lib._checks`` replaced, in every lib
module, by a pass-through that only converts its argument. The ratio is the
cost of the checks.

Run with ``python3 dev.py bench checks``; on a shared 2-core machine the
2-thread BLAS makes these small runs swing by ±20%, so for stable figures run
``OPENBLAS_NUM_THREADS=1 python3 dev.py bench checks``.
"""
import contextlib
import importlib
import pkgutil

import numpy as np

import lib
from lib import _checks
from benchmarks.harness import compare


def _same(name, value, *args, **kwargs):
    return value


def _float(name, value, *args, **kwargs):
    arr = np.asarray(value)
    return arr if arr.dtype in (np.float32, np.float64) else arr.astype(np.float64)


PASS_THROUGH = {
    "as_float": _float,
    "as_array": lambda name, value, ndim=None, dtype=float: np.asarray(value, dtype=dtype),
    "as_indices": lambda name, value, *args, **kwargs: np.asarray(value).astype(np.int64),
    "check_parameters": lambda name, parameters, shapes, source="": {k: _float(k, parameters[k]) for k in shapes},
    "check_positive_int": lambda name, value, minimum=1: int(value),
    "check_seed": lambda seed, name="seed": seed,
    "check_finite": lambda name, arr: arr,
    "check_shape": _same, "check_labels": _same, "check_probabilities": _same,
    "check_one_hot": _same, "check_positive": _same, "check_range": _same, "check_choice": _same,
}


def _patch_list():
    """(module, name, check, stand-in) for every check of lib._checks a lib module imported."""
    found = []
    for info in pkgutil.iter_modules(lib.__path__):
        module = importlib.import_module(f"lib.{info.name}")
        for name, stand_in in PASS_THROUGH.items():
            if getattr(module, name, None) is getattr(_checks, name):
                found.append((module, name, getattr(module, name), stand_in))
    return found


@contextlib.contextmanager
def checks_off(patches):
    """Replace the checks listed in ``patches`` (from :func:`_patch_list`), then restore them."""
    for module, name, _, stand_in in patches:
        setattr(module, name, stand_in)
    try:
        yield
    finally:
        for module, name, check, _ in patches:
            setattr(module, name, check)


def _runs():
    """(title, function of no arguments) for a short run of each training function."""
    from lib import cnn, data, deep, dates, images, logistic, nn, rnn, seq2seq, sequences, text

    X, Y = data.make_flower(m=400, seed=1)
    pictures, labels = images.make_shapes(m=256, size=28, seed=0)
    corpus = text.encode(text.words_to_corpus(text.make_words(300, seed=0)))
    x_seq, y_seq = sequences.make_remember_first(256, 20, seed=0)
    pairs = seq2seq.prepare(dates.make_dates(256, seed=0))
    return [
        ("logistic.model, flower, 300 iterations",
         lambda: logistic.model(X, Y, X, Y, num_iterations=300, learning_rate=0.5)),
        ("nn.nn_model, flower, n_h 4, 300 iterations",
         lambda: nn.nn_model(X, Y, n_h=4, num_iterations=300)),
        ("deep.deep_model, flower, [2, 8, 8, 1], 300 iterations",
         lambda: deep.deep_model(X, Y, [2, 8, 8, 1], num_iterations=300)),
        ("cnn.train_cnn, 256 shapes 28x28, 2 epochs",
         lambda: cnn.train_cnn(pictures, labels, len(images.SHAPES), num_epochs=2)),
        ("rnn.train_language_model, 30 iterations",
         lambda: rnn.train_language_model(corpus, len(text.VOCAB), num_iterations=30)),
        ("sequences.train_last_step_classifier, GRU, 30 iterations",
         lambda: sequences.train_last_step_classifier("gru", x_seq, y_seq, x_seq, y_seq, num_iterations=30)),
        ("seq2seq.train, 256 dates, 10 iterations",
         lambda: seq2seq.train(seq2seq.initialize_seq2seq(), pairs, num_iterations=10)),
    ]


def _without_checks(fn, patches):
    def run():
        with checks_off(patches):
            fn()
    return run


def run():
    patches = _patch_list()     # imports every lib module now, so no side is timed importing
    summary = []
    for title, fn in _runs():
        result = compare(f"checks' cost: {title}", fn, _without_checks(fn, patches),
                         names=("with checks", "without checks"), rounds=9)
        summary.append((title, 100 * (result["ratio"] - 1)))
    print("\nWhat the checks add to each training run (median with / median without - 1; the bar is 5%):")
    for title, percent in summary:
        print(f"  {percent:+6.1f}%  {title}")
