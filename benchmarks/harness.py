"""Time two implementations of the same work side by side and report the ratio.

The two sides alternate round by round with a short pause between them, so a
noisy neighbour or OpenBLAS threads still spinning from the previous call
slow both alike; the median of the rounds is reported.
"""
import statistics
import time


def _time_once(fn, number):
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def _autonumber(fn, target=0.05):
    """How many calls make one round last about ``target`` seconds (at least 1)."""
    once = _time_once(fn, 1)
    return max(1, int(target / max(once, 1e-9)))


def compare(title, baseline, candidate, names=("baseline", "candidate"), rounds=7,
            pause=0.15, per_call=None, unit=None):
    """Time ``baseline()`` and ``candidate()`` alternately; print and return the medians.

    Args:
        title: what is measured (shapes included).
        baseline, candidate: functions of no arguments doing the same work.
        names: how the two are called in the report.
        rounds: rounds per side; the median is reported.
        pause: seconds to sleep before each timed round.
        per_call: if given, the number of items one call processes (examples,
            sequences…), to report throughput as ``unit``/s as well.
        unit: the name of those items.

    Returns:
        dict with ``baseline`` and ``candidate`` medians in seconds and ``ratio``
        = baseline / candidate (how many times faster the candidate is).
    """
    n_base, n_cand = _autonumber(baseline), _autonumber(candidate)
    times = {"baseline": [], "candidate": []}
    for _ in range(rounds):
        for key, fn, n in (("baseline", baseline, n_base), ("candidate", candidate, n_cand)):
            time.sleep(pause)
            times[key].append(_time_once(fn, n))
    med = {k: statistics.median(v) for k, v in times.items()}
    ratio = med["baseline"] / med["candidate"]
    print(f"\n{title}")
    for key, name in zip(("baseline", "candidate"), names):
        line = f"  {name:<28} median {_fmt(med[key])}"
        if per_call:
            line += f"   {per_call / med[key]:>12,.0f} {unit or 'items'}/s"
        print(line)
    print(f"  ratio {names[0]} / {names[1]}: {ratio:,.1f}×")
    return {**med, "ratio": ratio}


def _fmt(seconds):
    for scale, suffix in ((1, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if seconds >= scale:
            return f"{seconds / scale:8.3f} {suffix}"
    return f"{seconds / 1e-9:8.1f} ns"
