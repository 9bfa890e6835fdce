"""Run every benchmark in this folder, one after the other: ``python benchmarks/run_all.py``.

Each benchmark prints its own figures, its ratio to a baseline measured in the same run, and
PASS or FAIL against its target. ``--quick`` passes through for smaller inputs. The exit code
is non-zero when any benchmark failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    extra = sys.argv[1:]
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(here.parent), env.get("PYTHONPATH")]))
    failed = []
    for script in sorted(here.glob("bench_*.py")):
        print(f"\n=== {script.name}", flush=True)
        if subprocess.run([sys.executable, str(script), *extra], env=env).returncode != 0:
            failed.append(script.name)
    print("\nall benchmarks passed" if not failed else f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
