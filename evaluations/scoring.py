"""The arithmetic of the criteria table: pure functions, no database.

Services and selectors turn rows into ``Line`` objects and points into ``Decimal`` and call
these; the same functions compute a self-assessment's provisional total, the final results
and the totals of the exported table, so the page, the PDF and the exports agree.

Rules (the kinds are ``Criterion.Kind``):

* graded: any score from 0 to the maximum in multiples of the step (the line's own step, or
  the table's);
* yes/no: the maximum or 0;
* per occurrence: points per occurrence × count, capped at the maximum;
* quantitative: actual against a target. Below the target: max × below factor × actual /
  target; at the target: max × at factor; above it: scaled linearly from there up to the
  maximum, which the best unit gets;
* bonus and penalty: 0 to their maximum; a top-level section of bonus lines adds its
  points, one of penalty lines subtracts them;
* a section's points are the sum of its children's, never more than its cap when it has one
  (its maximum is likewise the sum of its children's maxima, capped).

Points are rounded to two decimals, half up, once per line and once per section.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ZERO = Decimal("0")
CENT = Decimal("0.01")

SECTION = "section"
GRADED = "graded"
YES_NO = "yes_no"
PER_OCCURRENCE = "per_occurrence"
QUANTITATIVE = "quantitative"
BONUS = "bonus"
PENALTY = "penalty"
LEAF_KINDS = (GRADED, YES_NO, PER_OCCURRENCE, QUANTITATIVE, BONUS, PENALTY)


def quantize(value: Decimal) -> Decimal:
    """Two decimals, half up (0.125 → 0.13)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def points_text(value: Decimal | None) -> str:
    """Points as the portal writes them: "7,25" (Vietnamese decimal comma), "" for None."""
    if value is None:
        return ""
    return f"{quantize(value):.2f}".replace(".", ",")


@dataclass(frozen=True)
class Line:
    """A criterion or section as the arithmetic sees it."""

    id: Hashable
    code: str
    kind: str
    parent_id: Hashable | None = None
    max_points: Decimal | None = None
    cap: Decimal | None = None
    step: Decimal | None = None
    points_per_occurrence: Decimal | None = None
    target: Decimal | None = None
    below_target_factor: Decimal = Decimal("0.5")
    at_target_factor: Decimal = Decimal("0.5")

    @property
    def is_section(self) -> bool:
        return self.kind == SECTION

    @classmethod
    def of(cls, criterion) -> Line:
        """The line of a ``Criterion`` row."""
        return cls(
            id=criterion.pk,
            code=criterion.code,
            kind=criterion.kind,
            parent_id=criterion.parent_id,
            max_points=criterion.max_points,
            cap=criterion.cap,
            step=criterion.step,
            points_per_occurrence=criterion.points_per_occurrence,
            target=criterion.target,
            below_target_factor=criterion.below_target_factor,
            at_target_factor=criterion.at_target_factor,
        )


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def check_points(line: Line, points: Decimal, *, table_step: Decimal) -> Decimal:
    """``points`` as entered for a graded, yes/no, bonus or penalty line, checked.

    Raises ``ValidationError`` with code ``below_zero``, ``above_max``, ``not_yes_no`` or
    ``off_step``; returns the points rounded to two decimals.
    """
    points = Decimal(points)
    maximum = line.max_points or ZERO
    if points < 0:
        raise _refuse(_("A score cannot be below zero."), "below_zero")
    if points > maximum:
        raise _refuse(
            _("A score cannot exceed the maximum of %(max)s points.")
            % {"max": points_text(maximum)},
            "above_max",
        )
    if line.kind == YES_NO:
        if points not in (ZERO, maximum):
            raise _refuse(
                _("This criterion takes either %(max)s points or 0.")
                % {"max": points_text(maximum)},
                "not_yes_no",
            )
        return quantize(points)
    step = line.step or table_step
    if step and (points % step) != 0 and points != maximum:
        raise _refuse(
            _("A score on this criterion goes in steps of %(step)s.") % {"step": points_text(step)},
            "off_step",
        )
    return quantize(points)


def per_occurrence_points(line: Line, count: int) -> Decimal:
    """Points per occurrence × count, capped at the maximum. Refuses a negative count."""
    if count is None or count < 0:
        raise _refuse(_("The number of occurrences cannot be negative."), "below_zero")
    return quantize(min(line.points_per_occurrence * count, line.max_points))


def quantitative_points(line: Line, actual: Decimal, *, best: Decimal | None) -> Decimal:
    """Actual against the target (see the module's rules); ``best`` is the best actual of
    all units on this line (None when only this unit is known: it then counts as the best).
    """
    if actual is None or actual < 0:
        raise _refuse(_("The actual figure cannot be negative."), "below_zero")
    actual = Decimal(actual)
    maximum, target = line.max_points, line.target
    at_target = maximum * line.at_target_factor
    if actual < target:
        return quantize(maximum * line.below_target_factor * actual / target)
    best = actual if best is None else max(Decimal(best), actual)
    if best == target:
        return quantize(at_target)
    return quantize(at_target + (maximum - at_target) * (actual - target) / (best - target))


def line_points(
    line: Line,
    *,
    points: Decimal | None = None,
    count: int | None = None,
    actual: Decimal | None = None,
    best: Decimal | None = None,
    table_step: Decimal = Decimal("0.25"),
) -> Decimal | None:
    """A leaf's points from what was entered for it, or None if nothing was entered."""
    if line.kind == PER_OCCURRENCE:
        return None if count is None else per_occurrence_points(line, count)
    if line.kind == QUANTITATIVE:
        return None if actual is None else quantitative_points(line, actual, best=best)
    return None if points is None else check_points(line, points, table_step=table_step)


def best_actuals(
    lines: Iterable[Line], actuals: Iterable[Mapping[Hashable, Decimal | None]]
) -> dict[Hashable, Decimal]:
    """For each quantitative line, the best (highest) actual among the units' entries."""
    quantitative = {line.id for line in lines if line.kind == QUANTITATIVE}
    best: dict[Hashable, Decimal] = {}
    for entries in actuals:
        for line_id, value in entries.items():
            if line_id in quantitative and value is not None:
                best[line_id] = max(best.get(line_id, Decimal(value)), Decimal(value))
    return best


def _children(lines: Sequence[Line]) -> dict[Hashable, list[Line]]:
    children: dict[Hashable, list[Line]] = defaultdict(list)
    for line in lines:
        children[line.parent_id].append(line)
    return children


def section_maxima(lines: Sequence[Line]) -> dict[Hashable, Decimal]:
    """Every line's maximum: a leaf's own, a section's the sum of its children's, capped."""
    children = _children(lines)
    maxima: dict[Hashable, Decimal] = {}

    def walk(line: Line) -> Decimal:
        if not line.is_section:
            value = line.max_points or ZERO
        else:
            value = sum((walk(child) for child in children.get(line.id, [])), ZERO)
            if line.cap is not None:
                value = min(value, line.cap)
        maxima[line.id] = quantize(value)
        return value

    for root in children.get(None, []):
        walk(root)
    return maxima


def _leaf_kinds(line: Line, children: Mapping[Hashable, list[Line]]) -> set[str]:
    if not line.is_section:
        return {line.kind}
    kinds: set[str] = set()
    for child in children.get(line.id, []):
        kinds |= _leaf_kinds(child, children)
    return kinds


def section_role(line: Line, children: Mapping[Hashable, list[Line]]) -> str:
    """ "bonus", "penalty" or "base": how a top-level section counts in the total."""
    kinds = _leaf_kinds(line, children)
    if kinds == {BONUS}:
        return BONUS
    if kinds == {PENALTY}:
        return PENALTY
    return "base"


@dataclass
class Totals:
    """One unit's totals: points per line (sections included), per top-level section,
    and the sums the results table shows."""

    by_line: dict[Hashable, Decimal] = field(default_factory=dict)
    subtotals: dict[str, Decimal] = field(default_factory=dict)
    base: Decimal = ZERO
    bonus: Decimal = ZERO
    penalty: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return quantize(self.base + self.bonus - self.penalty)


def totals(lines: Sequence[Line], leaf_points: Mapping[Hashable, Decimal | None]) -> Totals:
    """A unit's totals from its leaves' points (missing or None counts as 0)."""
    children = _children(lines)
    result = Totals()

    def walk(line: Line) -> Decimal:
        if not line.is_section:
            value = Decimal(leaf_points.get(line.id) or ZERO)
        else:
            value = sum((walk(child) for child in children.get(line.id, [])), ZERO)
            if line.cap is not None:
                value = min(value, line.cap)
        value = quantize(value)
        result.by_line[line.id] = value
        return value

    for root in children.get(None, []):
        value = walk(root)
        result.subtotals[root.code] = value
        role = section_role(root, children)
        if role == BONUS:
            result.bonus += value
        elif role == PENALTY:
            result.penalty += value
        else:
            result.base += value
    return result


def table_problems(lines: Sequence[Line]) -> list[str]:
    """What is wrong with a table, one message per problem naming the code; [] when it can
    be adopted. Checks: unique codes, known kinds, parents that are sections, leaves with a
    maximum, sections with children, per-occurrence and quantitative settings, caps not
    above the sum of the children, top-level sections not mixing bonus, penalty and others.
    """
    problems: list[str] = []
    by_id = {line.id: line for line in lines}
    seen: set[str] = set()
    for line in lines:
        if line.code in seen:
            problems.append(_("Code %(code)s appears more than once.") % {"code": line.code})
        seen.add(line.code)
        if line.kind not in (SECTION, *LEAF_KINDS):
            problems.append(
                _("%(code)s: unknown kind “%(kind)s”.") % {"code": line.code, "kind": line.kind}
            )
        if line.parent_id is not None:
            parent = by_id.get(line.parent_id)
            if parent is None or not parent.is_section:
                problems.append(
                    _("%(code)s: its parent is not a section of the table.") % {"code": line.code}
                )
    children = _children(lines)
    for line in lines:
        if line.is_section:
            if not children.get(line.id):
                problems.append(_("Section %(code)s has no criteria.") % {"code": line.code})
            continue
        if line.max_points is None or line.max_points < 0:
            problems.append(_("%(code)s has no maximum.") % {"code": line.code})
        if line.kind == PER_OCCURRENCE and not (line.points_per_occurrence or ZERO) > 0:
            problems.append(
                _("%(code)s: points per occurrence must be above zero.") % {"code": line.code}
            )
        if line.kind == QUANTITATIVE and not (line.target or ZERO) > 0:
            problems.append(_("%(code)s: the target must be above zero.") % {"code": line.code})
    if problems:
        return problems
    for root in children.get(None, []):
        kinds = _leaf_kinds(root, children)
        if len(kinds & {BONUS, PENALTY}) and len(kinds) > 1:
            problems.append(
                _(
                    "Section %(code)s mixes bonus or penalty lines with other lines: put them "
                    "in sections of their own."
                )
                % {"code": root.code}
            )
    return problems


def competition_ranks(
    entries: Sequence[tuple[Hashable, Sequence[Decimal]]],
) -> dict[Hashable, int]:
    """Ranks by the keys, highest first; equal keys share a rank and the next rank skips
    (1, 2, 2, 4). Each entry is ``(unit, keys)``: ``keys`` is ``(total,)`` when ties share a
    rank, or ``(total, subtotal I, subtotal II, …)`` when the sections break ties.
    """
    ordered = sorted(entries, key=lambda entry: tuple(entry[1]), reverse=True)
    ranks: dict[Hashable, int] = {}
    previous = None
    for position, (unit, keys) in enumerate(ordered, start=1):
        keys = tuple(keys)
        if keys != previous:
            rank = position
            previous = keys
        ranks[unit] = rank
    return ranks


def rank_keys(unit_totals: Totals, *, tie_break_by_sections: bool) -> tuple[Decimal, ...]:
    """The keys a unit is ranked by (see ``competition_ranks``)."""
    if not tie_break_by_sections:
        return (unit_totals.total,)
    return (unit_totals.total, *unit_totals.subtotals.values())


def classify(total: Decimal, thresholds: Iterable[tuple[str, Decimal]]) -> str:
    """The label of the highest threshold that ``total`` reaches, or "" when none."""
    best_label, best_min = "", None
    for label, minimum in thresholds:
        if total >= minimum and (best_min is None or minimum > best_min):
            best_label, best_min = label, minimum
    return best_label


def rank_units(
    lines: Sequence[Line],
    leaf_points_by_unit: Mapping[Hashable, Mapping[Hashable, Decimal | None]],
    *,
    tie_break_by_sections: bool = False,
    thresholds: Iterable[tuple[str, Decimal]] = (),
    order: Callable[[Hashable], object] | None = None,
) -> list[tuple[Hashable, Totals, int, str]]:
    """Every unit's totals, rank and classification, best first: ``(unit, totals, rank,
    classification)``. ``order`` sorts units of the same rank (e.g. by name)."""
    thresholds = list(thresholds)
    computed = {unit: totals(lines, points) for unit, points in leaf_points_by_unit.items()}
    ranks = competition_ranks(
        [
            (unit, rank_keys(unit_totals, tie_break_by_sections=tie_break_by_sections))
            for unit, unit_totals in computed.items()
        ]
    )
    rows = [
        (unit, unit_totals, ranks[unit], classify(unit_totals.total, thresholds))
        for unit, unit_totals in computed.items()
    ]
    rows.sort(key=lambda row: (row[2], order(row[0]) if order else 0))
    return rows
