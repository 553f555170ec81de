"""Benchmarks that need a process of their own (another database, servers): how they run.

The child runs ``python -m bench.<name> --json`` and prints its figures as JSON on its last
line; the parent turns them into a verdict. Run alone (without ``--json``), the module
prints its verdict and exits 1 if a floor fails.
"""

import json
import subprocess
import sys
from collections.abc import Callable


def in_subprocess(module: str, verdict_from: Callable[[dict], object]):
    """Run ``module`` in a child process and return the verdict of the figures it prints."""
    result = subprocess.run(
        [sys.executable, "-m", module, "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return verdict_from(json.loads(result.stdout.strip().splitlines()[-1]))


def main(run: Callable[[], dict], verdict_from: Callable[[dict], object]) -> int:
    """The module's entry point: figures as JSON with ``--json``, else the verdict."""
    figures = run()
    if "--json" in sys.argv:
        print(json.dumps(figures))
        return 0
    verdict = verdict_from(figures)
    print("\n".join(verdict.lines()))
    return 0 if verdict.passed else 1
