"""Writes of the criteria table: lines, their order, classifications and settings, the copy
of last year's table, the XLSX import and the adoption that freezes it.

Every service here is for the year's secretariat (``permissions.can_manage_evaluation``,
else ``PermissionDenied``) and refuses once the table is adopted (``ValidationError`` code
``table_adopted``), with an audit event for every change. A line's code follows its
section's ("I.1.a" in "I.1"), so the table reads the same on the page and in Excel.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster_portal import uploads
from cluster_portal.audit import audit_record
from evaluations import permissions, scoring, table_file
from evaluations.audit import EvaluationAction
from evaluations.models import Classification, Criterion, Evaluation
from members import selectors as member_selectors

# Fields of a line that the form and the import set (besides parent, code and position).
LINE_FIELDS = (
    "text",
    "kind",
    "max_points",
    "cap",
    "step",
    "points_per_occurrence",
    "target",
    "unit",
    "below_target_factor",
    "at_target_factor",
    "guidance",
    "evidence_required",
)
# Where positions go while a table is renumbered (above any real position).
_PARKING = 1_000_000


def _locked(evaluation: Evaluation) -> Evaluation:
    """The evaluation row, locked for the rest of the transaction (one writer at a time)."""
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    locked.cluster_year = evaluation.cluster_year
    return locked


def _check_editable(evaluation: Evaluation, by) -> Evaluation:
    """Lock the evaluation and refuse unless ``by`` may edit its table now."""
    if not permissions.can_manage_evaluation(by, evaluation):
        raise PermissionDenied
    evaluation = _locked(evaluation)
    if evaluation.table_is_frozen or evaluation.phase != Evaluation.Phase.DRAFT:
        raise ValidationError(
            _("The criteria table has been adopted: it can no longer be changed."),
            code="table_adopted",
        )
    return evaluation


def _edited(evaluation: Evaluation, by, operation: str, **details) -> None:
    audit_record(
        actor=by,
        action=EvaluationAction.TABLE_EDITED,
        target=evaluation,
        details={"operation": operation, **details},
    )


def _renumber(evaluation: Evaluation) -> None:
    """Positions 1…n in table order: each section followed by its lines, siblings in their
    current order. Positions are unique, so they are first moved out of the way."""
    criteria = list(Criterion.objects.filter(evaluation=evaluation).order_by("position"))
    children: dict[int | None, list[Criterion]] = {}
    for criterion in criteria:
        children.setdefault(criterion.parent_id, []).append(criterion)
    ordered: list[Criterion] = []

    def walk(parent_id):
        for child in children.get(parent_id, []):
            ordered.append(child)
            walk(child.pk)

    walk(None)
    changed = [c for position, c in enumerate(ordered, start=1) if c.position != position]
    if not changed:
        return
    for offset, criterion in enumerate(changed, start=1):
        criterion.position = _PARKING + offset
    Criterion.objects.bulk_update(changed, ["position"])
    for position, criterion in enumerate(ordered, start=1):
        criterion.position = position
    Criterion.objects.bulk_update(changed, ["position"])


def _validate_line(
    evaluation: Evaluation, *, criterion: Criterion | None, parent: Criterion | None, data
) -> None:
    """Refuse a line that does not fit the table, naming the field (ValidationError)."""
    errors: dict[str, list[ValidationError]] = {}

    def refuse(field_name, message, code):
        errors.setdefault(field_name, []).append(ValidationError(message, code=code))

    code = data["code"]
    kind = data["kind"]
    if (
        Criterion.objects.filter(evaluation=evaluation, code=code)
        .exclude(pk=getattr(criterion, "pk", None))
        .exists()
    ):
        refuse(
            "code",
            _("Another line of the table has the code %(code)s.") % {"code": code},
            "duplicate_code",
        )
    if parent is not None:
        if parent.evaluation_id != evaluation.pk or not parent.is_section:
            refuse("parent", _("A line belongs to a section of this table."), "parent_not_section")
        elif criterion is not None and _is_within(parent, criterion):
            refuse("parent", _("A section cannot be placed inside itself."), "parent_cycle")
    expected_parent = table_file.parent_code(code)
    if (parent.code if parent is not None else None) != expected_parent:
        if parent is None:
            message = _("A top-level section has a code without dots, e.g. I or II.")
        else:
            message = _(
                "A line of section %(parent)s has a code that starts with “%(parent)s.”."
            ) % {"parent": parent.code}
        refuse("code", message, "code_not_under_parent")
    if kind != Criterion.Kind.SECTION:
        if data.get("max_points") is None:
            refuse("max_points", _("A criterion needs its maximum points."), "max_required")
        if criterion is not None and criterion.children.exists():
            refuse("kind", _("This section has lines: it stays a section."), "section_has_lines")
        if data.get("cap") is not None:
            refuse("cap", _("Only a section has a cap."), "cap_on_leaf")
    if kind == Criterion.Kind.PER_OCCURRENCE and not (data.get("points_per_occurrence") or 0) > 0:
        refuse(
            "points_per_occurrence",
            _("Points per occurrence must be above zero."),
            "points_per_occurrence_required",
        )
    if kind == Criterion.Kind.QUANTITATIVE and not (data.get("target") or 0) > 0:
        refuse("target", _("The target must be above zero."), "target_required")
    if errors:
        raise ValidationError(errors)


def _is_within(line: Criterion, ancestor: Criterion) -> bool:
    """Whether ``line`` is ``ancestor`` or lies inside it."""
    seen = set()
    current = line
    while current is not None and current.pk not in seen:
        if current.pk == ancestor.pk:
            return True
        seen.add(current.pk)
        current = current.parent
    return False


def _clean_line_data(data: dict) -> dict:
    """Only the line's own fields; a section keeps no maximum (its maximum is computed)."""
    cleaned = {name: data.get(name) for name in LINE_FIELDS if name in data}
    cleaned.setdefault("guidance", "")
    cleaned.setdefault("unit", "")
    for name in ("guidance", "unit"):
        cleaned[name] = cleaned[name] or ""
    for name in ("below_target_factor", "at_target_factor"):
        if cleaned.get(name) is None:
            cleaned[name] = Decimal("0.5")
    cleaned["evidence_required"] = bool(cleaned.get("evidence_required"))
    if cleaned.get("kind") == Criterion.Kind.SECTION:
        cleaned["max_points"] = None
    return cleaned


@transaction.atomic
def criterion_create(*, evaluation: Evaluation, parent: Criterion | None, code: str, by, **data):
    """Add a line at the end of ``parent`` (or of the table). ``data`` holds the fields of
    ``LINE_FIELDS``. Raises ValidationError (``table_adopted``, ``duplicate_code``,
    ``parent_not_section``, ``code_not_under_parent``, ``max_required`` …)."""
    evaluation = _check_editable(evaluation, by)
    code = code.strip()
    fields = _clean_line_data(data)
    _validate_line(evaluation, criterion=None, parent=parent, data={**fields, "code": code})
    last = Criterion.objects.filter(evaluation=evaluation).aggregate(last=Max("position"))["last"]
    criterion = Criterion.objects.create(
        evaluation=evaluation, parent=parent, code=code, position=(last or 0) + 1, **fields
    )
    _renumber(evaluation)
    _edited(evaluation, by, "line_added", code=code)
    criterion.refresh_from_db()
    return criterion


@transaction.atomic
def criterion_update(*, criterion: Criterion, parent: Criterion | None, code: str, by, **data):
    """Change a line (its section, code and fields). Moving it to another section puts it
    last there. Same refusals as ``criterion_create`` plus ``parent_cycle`` and
    ``section_has_lines``."""
    evaluation = _check_editable(criterion.evaluation, by)
    criterion = Criterion.objects.select_for_update().get(pk=criterion.pk, evaluation=evaluation)
    code = code.strip()
    fields = _clean_line_data(data)
    _validate_line(evaluation, criterion=criterion, parent=parent, data={**fields, "code": code})
    before = criterion.code
    moved = criterion.parent_id != (parent.pk if parent is not None else None)
    criterion.parent = parent
    criterion.code = code
    for name, value in fields.items():
        setattr(criterion, name, value)
    if moved:
        last = Criterion.objects.filter(evaluation=evaluation).aggregate(last=Max("position"))
        criterion.position = last["last"] + 1
    criterion.save()
    if moved:
        _renumber(evaluation)
    _edited(evaluation, by, "line_changed", code=code, previous_code=before)
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, by) -> None:
    """Delete a line. A section with lines is refused (``section_not_empty``): delete or
    move its lines first, so nothing goes by accident."""
    evaluation = _check_editable(criterion.evaluation, by)
    criterion = Criterion.objects.get(pk=criterion.pk, evaluation=evaluation)
    if criterion.children.exists():
        raise ValidationError(
            _("Section %(code)s still has lines: delete or move them first.")
            % {"code": criterion.code},
            code="section_not_empty",
        )
    code = criterion.code
    criterion.delete()
    _renumber(evaluation)
    _edited(evaluation, by, "line_deleted", code=code)


@transaction.atomic
def criterion_move(*, criterion: Criterion, up: bool, by) -> Criterion:
    """Move a line (with its lines, if a section) before the previous or after the next
    line of its section. Refuses ``cannot_move`` at either end."""
    evaluation = _check_editable(criterion.evaluation, by)
    criterion = Criterion.objects.get(pk=criterion.pk, evaluation=evaluation)
    siblings = list(
        Criterion.objects.filter(evaluation=evaluation, parent_id=criterion.parent_id).order_by(
            "position"
        )
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == criterion.pk)
    other = index - 1 if up else index + 1
    if other < 0 or other >= len(siblings):
        raise ValidationError(
            _("%(code)s is already the first line of its section.")
            if up
            else _("%(code)s is already the last line of its section."),
            code="cannot_move",
            params={"code": criterion.code},
        )
    siblings[index], siblings[other] = siblings[other], siblings[index]
    # Siblings take the order of the list; the renumbering then restores the tree order.
    for offset, sibling in enumerate(siblings, start=1):
        sibling.position = _PARKING * 2 + offset
    Criterion.objects.bulk_update(siblings, ["position"])
    _renumber(evaluation)
    _edited(evaluation, by, "line_moved", code=criterion.code, direction="up" if up else "down")
    criterion.refresh_from_db()
    return criterion


@transaction.atomic
def classification_create(*, evaluation: Evaluation, label: str, min_total: Decimal, by):
    """Add a classification and its threshold. Refuses ``duplicate_threshold`` and a
    negative threshold (``below_zero``)."""
    evaluation = _check_editable(evaluation, by)
    if min_total < 0:
        raise ValidationError(
            {
                "min_total": ValidationError(
                    _("A threshold cannot be below zero."), code="below_zero"
                )
            }
        )
    if Classification.objects.filter(evaluation=evaluation, min_total=min_total).exists():
        raise ValidationError(
            {
                "min_total": ValidationError(
                    _("Another classification starts at %(points)s points.")
                    % {"points": scoring.points_text(min_total)},
                    code="duplicate_threshold",
                )
            }
        )
    classification = Classification.objects.create(
        evaluation=evaluation, label=label.strip(), min_total=min_total
    )
    _edited(evaluation, by, "classification_added", label=label, min_total=min_total)
    return classification


@transaction.atomic
def classification_delete(*, classification: Classification, by) -> None:
    """Remove a classification."""
    evaluation = _check_editable(classification.evaluation, by)
    label, min_total = classification.label, classification.min_total
    Classification.objects.filter(pk=classification.pk, evaluation=evaluation).delete()
    _edited(evaluation, by, "classification_deleted", label=label, min_total=min_total)


@transaction.atomic
def table_settings_update(*, evaluation: Evaluation, step: Decimal, tie_break: str, by):
    """Set the table's scoring step (above zero: ``step_not_positive``) and tie-break rule."""
    evaluation = _check_editable(evaluation, by)
    if step is None or step <= 0:
        raise ValidationError(
            {"step": ValidationError(_("The step must be above zero."), code="step_not_positive")}
        )
    if tie_break not in Evaluation.TieBreak.values:
        raise ValidationError({"tie_break": ValidationError(_("Unknown rule."), code="invalid")})
    before = {"step": evaluation.step, "tie_break": evaluation.tie_break}
    evaluation.step = step
    evaluation.tie_break = tie_break
    evaluation.save(update_fields=["step", "tie_break", "updated_at"])
    _edited(
        evaluation,
        by,
        "settings_changed",
        before=before,
        after={"step": step, "tie_break": tie_break},
    )
    return evaluation


def _replace_lines(evaluation: Evaluation, lines) -> int:
    """Delete the draft table's lines and create ``lines`` (objects with ``code``,
    ``parent_code`` and the ``LINE_FIELDS``), in their order. Returns how many."""
    Criterion.objects.filter(evaluation=evaluation).delete()  # lines go with their sections
    by_code: dict[str, Criterion] = {}
    for position, line in enumerate(lines, start=1):
        by_code[line.code] = Criterion.objects.create(
            evaluation=evaluation,
            parent=by_code.get(line.parent_code) if line.parent_code else None,
            position=position,
            code=line.code,
            **_clean_line_data({name: getattr(line, name) for name in LINE_FIELDS}),
        )
    return len(by_code)


@transaction.atomic
def table_copy_previous(*, evaluation: Evaluation, by, replace: bool = False) -> int:
    """Copy the table of the cluster's previous year (lines, classifications, step and
    tie-break) into this draft. Refuses ``no_previous_table`` when that year has no table,
    and ``table_not_empty`` when this one has lines, unless ``replace`` (confirmed).
    Returns the number of lines copied."""
    evaluation = _check_editable(evaluation, by)
    cluster_year = evaluation.cluster_year
    previous_year = member_selectors.cluster_year_before(
        cluster=cluster_year.cluster, year=cluster_year.year
    )
    source = (
        Evaluation.objects.filter(cluster_year=previous_year).first() if previous_year else None
    )
    criteria = list(source.criteria.select_related("parent").order_by("position")) if source else []
    if not criteria:
        raise ValidationError(
            _("The previous year has no criteria table to copy."), code="no_previous_table"
        )
    if not replace and Criterion.objects.filter(evaluation=evaluation).exists():
        raise ValidationError(
            _("This year's table already has lines: confirm that the copy replaces them."),
            code="table_not_empty",
        )

    class _Line:
        def __init__(self, criterion):
            self.code = criterion.code
            self.parent_code = criterion.parent.code if criterion.parent_id else None
            for name in LINE_FIELDS:
                setattr(self, name, getattr(criterion, name))

    count = _replace_lines(evaluation, [_Line(c) for c in criteria])
    Classification.objects.filter(evaluation=evaluation).delete()
    Classification.objects.bulk_create(
        [
            Classification(evaluation=evaluation, label=c.label, min_total=c.min_total)
            for c in source.classifications.all()
        ]
    )
    evaluation.step = source.step
    evaluation.tie_break = source.tie_break
    evaluation.save(update_fields=["step", "tie_break", "updated_at"])
    audit_record(
        actor=by,
        action=EvaluationAction.TABLE_COPIED,
        target=evaluation,
        details={"from_year": previous_year.year, "lines": count, "replaced": replace},
    )
    return count


@transaction.atomic
def table_import(*, evaluation: Evaluation, upload, by) -> int:
    """Replace the draft table with the lines of an uploaded workbook, all or nothing.

    The upload is checked by content (an Excel workbook, ``cluster_portal.uploads``), then
    read by ``table_file.table_read``, which refuses it as a whole naming the rows
    (``malformed``, ``bad_rows``, ``table_problems``). Classifications and settings stay.
    Returns the number of lines imported."""
    evaluation = _check_editable(evaluation, by)
    uploads.prepare_upload(upload, accepted=(uploads.XLSX,))
    lines = table_file.tree_order(table_file.table_read(upload))
    count = _replace_lines(evaluation, lines)
    audit_record(
        actor=by,
        action=EvaluationAction.TABLE_IMPORTED,
        target=evaluation,
        details={"lines": count},
    )
    return count


@transaction.atomic
def table_adopt(*, evaluation: Evaluation, by) -> Evaluation:
    """Adopt (freeze) the table: from now on it is read-only and every score refers to it.
    Refuses ``table_empty``, and ``table_problems`` listing what ``scoring.table_problems``
    finds."""
    evaluation = _check_editable(evaluation, by)
    criteria = list(Criterion.objects.filter(evaluation=evaluation).order_by("position"))
    if not any(not c.is_section for c in criteria):
        raise ValidationError(
            _("The table has no criteria yet: add or import them first."), code="table_empty"
        )
    problems = scoring.table_problems([scoring.Line.of(c) for c in criteria])
    if problems:
        raise ValidationError([ValidationError(p, code="table_problems") for p in problems])
    evaluation.table_adopted_at = timezone.now()
    evaluation.table_adopted_by = by
    evaluation.save(update_fields=["table_adopted_at", "table_adopted_by", "updated_at"])
    maxima = scoring.section_maxima([scoring.Line.of(c) for c in criteria])
    audit_record(
        actor=by,
        action=EvaluationAction.TABLE_ADOPTED,
        target=evaluation,
        details={
            "lines": len(criteria),
            "sections": {c.code: maxima[c.pk] for c in criteria if c.parent_id is None},
        },
    )
    return evaluation
