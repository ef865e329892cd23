"""lib against PyTorch CPU: the book's training work, forward + backward, float32, side by side.

Each topic's benchmark module (``bench_conv``, ``bench_rnn``, ``bench_gru``,
``bench_attention``, ``bench_seq2seq``) defines ``torch_rows(torch)``, a list of
:class:`Row`: the lib side calls the public functions the book trains with, the
torch side does the same work with autograd, on the same float32 arrays and
the same number of threads. A row may give ``ceiling``: the same matrix
products done with bare ``np.matmul``, the floor numpy's BLAS sets for lib.

Prints, per row, the medians, lib / torch (below 1 means lib is faster) and,
where given, lib / ceiling and ceiling / torch. PyTorch is not a dependency of
the book: install it for this benchmark alone (``pip install torch`` in
``.venv``). Without it, the benchmark says so and stops.

Run with ``python3 dev.py bench torch``. Some machines set ``OPENBLAS_CORETYPE``
(this course's build machines force the AVX2 "Haswell" kernels on AVX-512
processors); the benchmark prints it. To time numpy's own choice of kernel,
unset it for that command alone:
``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 dev.py bench torch``.
"""
import importlib
import os
import statistics
import time
from dataclasses import dataclass

TOPICS = ("conv", "rnn", "gru", "lstm", "attention", "seq2seq", "transformer")
THREADS = 2


@dataclass
class Row:
    title: str
    lib: object          # function of no arguments: lib's forward + backward
    torch: object        # the same work in torch (autograd)
    ceiling: object = None   # the same products in bare np.matmul, or None


def _median_times(functions, rounds=9, pause=0.1, target=0.05, minimum=5):
    """Alternate the functions round by round; the median seconds per call of each.

    After each pause one untimed call wakes the BLAS threads (on this machine
    the first call after a sleep pays about 10 ms for that); the calls per
    round come from a warm call and are at least ``minimum``.
    """
    numbers = []
    for fn in functions:
        fn()
        fn()
        start = time.perf_counter()
        fn()
        numbers.append(max(minimum, int(target / max(time.perf_counter() - start, 1e-9))))
    times = [[] for _ in functions]
    for _ in range(rounds):
        for fn, n, out in zip(functions, numbers, times):
            time.sleep(pause)
            fn()
            start = time.perf_counter()
            for _ in range(n):
                fn()
            out.append((time.perf_counter() - start) / n)
    return [statistics.median(t) for t in times]


def run():
    try:
        torch = importlib.import_module("torch")
    except ImportError:
        print("PyTorch is not installed: this benchmark compares lib with it, so it stops here.\n"
              "Install it into .venv for this benchmark alone: .venv/bin/python -m pip install torch")
        return
    torch.set_num_threads(THREADS)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; "
          f"numpy BLAS threads: {os.environ.get('OPENBLAS_NUM_THREADS', 'default')}; "
          f"OPENBLAS_CORETYPE: {os.environ.get('OPENBLAS_CORETYPE', 'unset (OpenBLAS picks the kernel)')}")
    header = f"{'work':<52} {'lib':>10} {'torch':>10} {'lib/torch':>9} {'lib/ceil':>9} {'ceil/torch':>10}"
    print(header)
    print("-" * len(header))
    for topic in TOPICS:
        module = importlib.import_module(f"benchmarks.bench_{topic}")
        for row in module.torch_rows(torch):
            sides = [row.lib, row.torch] + ([row.ceiling] if row.ceiling else [])
            medians = _median_times(sides)
            lib_t, torch_t = medians[:2]
            line = f"{row.title:<52} {lib_t * 1e3:8.2f}ms {torch_t * 1e3:8.2f}ms {lib_t / torch_t:9.2f}"
            if row.ceiling:
                line += f" {lib_t / medians[2]:9.2f} {medians[2] / torch_t:10.2f}"
            print(line, flush=True)
