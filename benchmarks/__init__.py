"""Benchmarks: each measured pair timed side by side in one run, medians and their ratio.

Run ``python3 dev.py bench`` (all) or ``python3 dev.py bench logistic`` (the
modules whose name contains ``logistic``). Each ``benchmarks/bench_<topic>.py``
mirrors ``lib/<topic>.py`` and defines ``run()``, which calls :func:`compare`.
Not part of the test suite: timings on a shared machine are for reading, not asserting.
"""
