"""The two-layer network's training throughput: one gradient step on m examples,
vectorised (lib.nn.train_step) against a Python loop over the examples
(lib.nn.train_step_loop). Both compute the same update (tests/test_nn.py checks it)."""
from benchmarks.harness import compare
from lib import nn
from lib.data import make_flower


def run():
    for m, n_h in ((400, 4), (400, 50), (4000, 4)):
        X, Y = make_flower(m, seed=1)
        params = nn.initialize_parameters(2, n_h, 1, seed=3)
        compare(f"one training step of the 2-layer network, X (2, {m}), n_h = {n_h}",
                lambda: nn.train_step_loop(params, X, Y, 1.2),
                lambda: nn.train_step(params, X, Y, 1.2),
                names=("loop over examples", "vectorised"), per_call=m, unit="examples")


if __name__ == "__main__":
    run()
