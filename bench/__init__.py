"""Benchmarks of the portal, run by ``make bench`` (``python -m bench``).

Each benchmark measures two things in the same process and reports their *ratio* against a
floor from the issues, so results do not depend on how fast the machine is. The run prints
PASS or FAIL per floor, appends its results to ``bench/RESULTS.md``, and exits non-zero if
any floor fails. Benchmarks never run inside the test suite.
"""
