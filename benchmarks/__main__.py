"""Run every ``benchmarks/bench_*.py`` (or those whose name contains an argument)."""
import importlib
import pkgutil
import sys
from pathlib import Path


def main(filters):
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    chosen = [n for n in names if not filters or any(f in n for f in filters)]
    if not chosen:
        print(f"no benchmark matches {filters}; there are: {', '.join(names)}")
        return 2
    for name in chosen:
        print(f"\n=== {name}")
        importlib.import_module(f"benchmarks.{name}").run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
