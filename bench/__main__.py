"""Run every benchmark, print the results, append them to bench/RESULTS.md.

Exit status 1 if any floor fails. The whole run takes three to four minutes, most of it the
signing-day load run (``bench/load.py``).
"""

import datetime
import os
import platform
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
HEADER = """# Benchmark results

Run with `make bench` (or `.venv/bin/python -m bench` from the project root). Each run sets
up a throw-away portal in one process (temporary SQLite database migrated and loaded with
`load_demo`, temporary media directory, `DEBUG=1`), measures with `time.perf_counter`, and
compares two measurements of the same run as a ratio against the floor the issue sets, so
the verdict does not depend on the machine. A run exits non-zero if a floor fails. Every
run appends a section below; timings are medians and 95th percentiles (nearest rank).

Floors (issue 5, "Performance"):
- serving an issued PDF is at least 20× faster than rendering it;
- fonts and stylesheets are loaded once per process.

Floor (issue 14, "Performance"; it replaces issue 5's "the covenant costs at most 4× a
near-empty page", which measured WeasyPrint, not the portal): rendering the 11-member
signed covenant with ``render_pdf`` (context from the database, template, WeasyPrint) costs
at most 15% more than WeasyPrint alone rendering the same HTML string with the same
stylesheets and fonts in the same process. Sections below from before issue 14 report the
old floor.

Floor (issue 6, "Performance"): the reviewer overview's throughput is at least 25% of a
minimal Django view's (PostgreSQL, 60 clusters × 10 years). Issue 14 measures it with the
cache DISABLED (Django's dummy backend); the cached figure is reported beside it.

Floor (issue 13, "Performance"): the evaluation results page's throughput is at least 25% of
a minimal Django view's without a cache (PostgreSQL, 60 members × 200 criteria); the
provisional page computed from the scores before publication is measured for information.

Floors (issue 7, "Load"; `bench/load.py`, also alone with `make bench-load`): 100 concurrent
users against gunicorn on PostgreSQL while the signatories of every member department sign
at the same moment, next to a minimal view measured in the same run: zero errors, every
signature recorded exactly once, the audit chain intact afterwards. Latencies and
throughput are recorded there; they have no floor.

Floors (issue 14, "Scale-out proved"; the same load run): the users hit nginx in front of two
gunicorn app servers sharing PostgreSQL, one Redis cache and one S3-compatible media store
(moto's server), plus a task worker when the portal has one; besides the floors above, both
servers serve the users, nothing answers 5xx at the proxy, a change saved through one server
shows on the other at once, the issued PDF downloads byte-identical from each server, and
no media file is written to a server's local folder. `make bench-load` appends its section
here too.
"""


def heading(elapsed: float, versions: str) -> list[str]:
    """The first lines of a run's section: when, on what, how long."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return [
        f"## {now}",
        "",
        f"{versions}; {platform.machine()}, {os.cpu_count()} CPUs; "
        f"load average {os.getloadavg()[0]:.1f}; whole run {elapsed:.0f} s.",
        "",
    ]


def record(text: str) -> None:
    """Append a run's section to bench/RESULTS.md (made with its header when missing)."""
    if not RESULTS.exists():
        RESULTS.write_text(HEADER, encoding="utf-8")
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write("\n" + text)


def main() -> int:
    from bench.environment import portal

    started = time.perf_counter()
    with portal():
        from bench import load, overview, pdf, results

        verdicts = [benchmark() for benchmark in pdf.BENCHMARKS]
        verdicts.append(overview.in_subprocess())  # issue 6: PostgreSQL, in its own process
        verdicts.append(results.in_subprocess())  # issue 13: PostgreSQL, in its own process
        verdicts.append(load.in_subprocess())  # issue 7: gunicorn and locust, PostgreSQL
        engine_once = pdf.engine_built_once()
        import weasyprint

        versions = f"Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}"
    elapsed = time.perf_counter() - started

    lines = heading(elapsed, versions)
    for verdict in verdicts:
        lines += verdict.lines()
    lines += [f"Fonts and stylesheets loaded once per process: {'PASS' if engine_once else 'FAIL'}"]
    text = "\n".join(lines) + "\n"
    print(text)
    record(text)

    failed = [v.name for v in verdicts if not v.passed] + ([] if engine_once else ["engine"])
    if failed:
        print(f"FAIL: {', '.join(failed)}", file=sys.stderr)
        return 1
    print("PASS: every floor met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
