"""Timing helpers: time.perf_counter in alternating rounds, medians and 95th percentiles."""

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    label: str
    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]  # nearest rank

    def row(self) -> str:
        return (
            f"| {self.label} | {len(self.seconds)} | {self.median * 1000:.2f} ms "
            f"| {self.p95 * 1000:.2f} ms |"
        )


def measure_interleaved(
    *actions: tuple[str, Callable[[], object], int],
    rounds: int,
) -> tuple[Timing, ...]:
    """Time actions in alternating rounds (``n`` runs of each per round, after one untimed
    run of each), so that a busy machine slows them alike and their ratios hold."""
    timings = []
    for label, action, _per_round in actions:
        action()
        timings.append(Timing(label, []))
    for _ in range(rounds):
        for (_label, action, per_round), timing in zip(actions, timings, strict=True):
            for _ in range(per_round):
                start = time.perf_counter()
                action()
                timing.seconds.append(time.perf_counter() - start)
    return tuple(timings)


@dataclass(frozen=True)
class Verdict:
    """One floor: ``ratio`` compared with ``floor`` in the direction the issue states."""

    name: str
    timings: list[Timing]
    ratio: float
    floor: float
    at_least: bool  # True: ratio must be >= floor; False: ratio must be <= floor
    ratio_label: str
    notes: list[str]

    @property
    def passed(self) -> bool:
        return self.ratio >= self.floor if self.at_least else self.ratio <= self.floor

    def lines(self) -> list[str]:
        comparison = "≥" if self.at_least else "≤"
        return [
            f"### {self.name}",
            "",
            "| measured | runs | median | p95 |",
            "|---|---|---|---|",
            *[timing.row() for timing in self.timings],
            "",
            f"{self.ratio_label}: **{self.ratio:.1f}×** (floor {comparison} {self.floor:g}×) "
            f"→ **{'PASS' if self.passed else 'FAIL'}**",
            *[f"- {note}" for note in self.notes],
            "",
        ]
