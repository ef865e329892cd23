"""Part I's pair: logistic regression's forward + backward pass, loops against vectorised.

``lib.logistic.propagate_loop`` (the lecture's §2.6: a loop over the m
examples, and inside it over the n_x features, on plain Python floats)
against ``lib.logistic.propagate`` (§2.8: two matrix products), on pictures
of 64 × 64 × 3 = 12288 features. m = 209 is the size of the lecture's cat
training set; larger m shows that both grow linearly in m, so the ratio
stays. The loop takes about 0.6 s per call at m = 209 on an idle 2-core
machine, so the larger sets get fewer rounds to keep the run near a minute.
"""
import numpy as np

from benchmarks.harness import compare
from lib.logistic import propagate, propagate_loop

N_X = 64 * 64 * 3
SIZES = ((209, 5), (1000, 3), (2000, 3))   # (m, rounds)


def _problem(m, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((N_X, m))                          # pixel values in [0, 1)
    Y = (rng.random((1, m)) < 0.5).astype(float)
    w = rng.normal(0, 0.01, (N_X, 1))
    return w, 0.1, X, Y


def run():
    results = {}
    for m, rounds in SIZES:
        w, b, X, Y = _problem(m)
        results[m] = compare(
            f"logistic regression forward + backward, n_x = {N_X}, m = {m} (float64)",
            lambda: propagate_loop(w, b, X, Y), lambda: propagate(w, b, X, Y),
            names=("propagate_loop (Python loops)", "propagate (vectorised)"),
            rounds=rounds, per_call=m, unit="examples")
    return results


if __name__ == "__main__":
    run()
