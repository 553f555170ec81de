"""The criteria table as the clusters keep it in Excel: one sheet, one row per line.

Columns (Vietnamese headings, as in the clusters' own files): Mã, Nội dung, Loại, Điểm tối
đa, Mức trần, Bước điểm, Điểm mỗi lần, Chỉ tiêu, Hướng dẫn, Yêu cầu minh chứng (Có/Không),
then Đơn vị tính, Hệ số dưới chỉ tiêu, Hệ số đạt chỉ tiêu (optional on import, so that a
round trip keeps every field). A line's parent follows from its code: I → I.1 → I.1.a.

``table_xlsx`` writes the workbook through ``cluster_portal.exports``; ``table_read`` reads
one back into ``ImportedLine`` rows, or raises one ``ValidationError`` naming every bad
row. The service ``table_import`` stores them, all or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from cluster_portal import exports
from evaluations import scoring
from evaluations.models import Criterion

# Column headings, in order; the first ten are the clusters' own, the last three keep the
# quantitative rule's settings in a round trip.
CODE = "Mã"
TEXT = "Nội dung"
KIND = "Loại"
MAX = "Điểm tối đa"
CAP = "Mức trần"
STEP = "Bước điểm"
PER_OCCURRENCE = "Điểm mỗi lần"
TARGET = "Chỉ tiêu"
GUIDANCE = "Hướng dẫn"
EVIDENCE = "Yêu cầu minh chứng"
UNIT = "Đơn vị tính"
BELOW_FACTOR = "Hệ số dưới chỉ tiêu"
AT_FACTOR = "Hệ số đạt chỉ tiêu"
HEADER = [
    CODE,
    TEXT,
    KIND,
    MAX,
    CAP,
    STEP,
    PER_OCCURRENCE,
    TARGET,
    GUIDANCE,
    EVIDENCE,
    UNIT,
    BELOW_FACTOR,
    AT_FACTOR,
]
REQUIRED = (CODE, TEXT, KIND)
WIDTHS = [10, 60, 18, 12, 10, 10, 12, 10, 50, 12, 14, 12, 12]

# The kinds as the sheet writes them (Vietnamese); on import these, the codes
# ("graded") and a few usual spellings are accepted, whatever the case.
KIND_LABELS_VI = {
    Criterion.Kind.SECTION: "Mục",
    Criterion.Kind.GRADED: "Chấm theo mức",
    Criterion.Kind.YES_NO: "Có/Không",
    Criterion.Kind.PER_OCCURRENCE: "Theo số lần",
    Criterion.Kind.QUANTITATIVE: "Định lượng",
    Criterion.Kind.BONUS: "Điểm thưởng",
    Criterion.Kind.PENALTY: "Điểm trừ",
}
_KIND_ALIASES = {
    "mục": Criterion.Kind.SECTION,
    "phần": Criterion.Kind.SECTION,
    "nhóm": Criterion.Kind.SECTION,
    "chấm điểm": Criterion.Kind.GRADED,
    "có / không": Criterion.Kind.YES_NO,
    "số lần": Criterion.Kind.PER_OCCURRENCE,
    "thưởng": Criterion.Kind.BONUS,
    "điểm cộng": Criterion.Kind.BONUS,
    "trừ": Criterion.Kind.PENALTY,
}
YES, NO = "Có", "Không"
MAX_ROWS = 2000
_POINTS_LIMIT = Decimal("99999.99")
_CODE = re.compile(r"^[0-9A-Za-zĐđ]+(\.[0-9A-Za-zĐđ]+)*$")


def kind_from_text(value: str) -> str | None:
    """The kind named by a cell (Vietnamese label, code or usual spelling), or None."""
    text = " ".join(str(value or "").split()).casefold()
    for kind, label in KIND_LABELS_VI.items():
        if text in (label.casefold(), kind.value):
            return kind.value
    return _KIND_ALIASES.get(text)


def parent_code(code: str) -> str | None:
    """The code of the line's section: "I.1.a" → "I.1"; None for a top-level "I"."""
    head, dot, _tail = code.rpartition(".")
    return head if dot else None


# Export


def _number(value):
    """A Decimal as the sheet's number (an int when whole, so Excel shows "10", not "10.00")."""
    if value is None:
        return None
    value = Decimal(value).normalize()
    return int(value) if value == value.to_integral_value() else value


def table_rows(criteria: list[Criterion]) -> list[list]:
    """The sheet's rows for ``criteria`` (in table order); a section's maximum is computed."""
    lines = [scoring.Line.of(criterion) for criterion in criteria]
    maxima = scoring.section_maxima(lines)
    rows = []
    for criterion in criteria:
        rows.append(
            [
                criterion.code,
                criterion.text,
                KIND_LABELS_VI[Criterion.Kind(criterion.kind)],
                _number(maxima.get(criterion.pk, criterion.max_points)),
                _number(criterion.cap),
                _number(criterion.step),
                _number(criterion.points_per_occurrence),
                _number(criterion.target),
                criterion.guidance,
                YES if criterion.evidence_required else NO,
                criterion.unit,
                _number(criterion.below_target_factor),
                _number(criterion.at_target_factor),
            ]
        )
    return rows


def table_xlsx(criteria: list[Criterion], *, title: str) -> bytes:
    """The table as one sheet: a title row, the header row, then one row per line."""
    return exports.table_xlsx(
        HEADER, table_rows(criteria), title=title, sheet_title="Bảng tiêu chí", widths=WIDTHS
    )


# Import


@dataclass
class ImportedLine:
    """One row of an imported sheet, checked, with its parent's code."""

    row: int
    code: str
    text: str
    kind: str
    parent_code: str | None
    max_points: Decimal | None = None
    cap: Decimal | None = None
    step: Decimal | None = None
    points_per_occurrence: Decimal | None = None
    target: Decimal | None = None
    guidance: str = ""
    evidence_required: bool = False
    unit: str = ""
    below_target_factor: Decimal = Decimal("0.5")
    at_target_factor: Decimal = Decimal("0.5")
    problems: list[str] = field(default_factory=list)

    def line(self) -> scoring.Line:
        return scoring.Line(
            id=self.code,
            code=self.code,
            kind=self.kind,
            parent_id=self.parent_code,
            max_points=self.max_points,
            cap=self.cap,
            step=self.step,
            points_per_occurrence=self.points_per_occurrence,
            target=self.target,
            below_target_factor=self.below_target_factor,
            at_target_factor=self.at_target_factor,
        )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(value, *, places: str = "0.01", limit: Decimal = _POINTS_LIMIT):
    """A cell as a Decimal (numbers, or text with a decimal comma); None when empty.
    Raises ValueError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    text = str(value).strip().replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError from exc
    if not number.is_finite() or number < 0 or number > limit:
        raise ValueError
    rounded = number.quantize(Decimal(places))
    if rounded != number:
        raise ValueError
    return rounded


def _yes_no(value) -> bool:
    text = _text(value).casefold()
    if text in ("", "không", "khong", "k", "no", "0", "false"):
        return False
    if text in ("có", "co", "c", "x", "yes", "1", "true"):
        return True
    raise ValueError


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    """The index of the header row among the first rows and each known column's index."""
    wanted = {name.casefold(): name for name in HEADER}
    for index, row in enumerate(rows[:10]):
        columns = {}
        for position, cell in enumerate(row):
            name = wanted.get(" ".join(_text(cell).split()).casefold())
            if name is None:
                # "Yêu cầu minh chứng (Có/Không)" and other headings with a note.
                label = _text(cell).split("(")[0].strip().casefold()
                name = wanted.get(label)
            if name is not None and name not in columns:
                columns[name] = position
        if all(name in columns for name in REQUIRED):
            return index, columns
    return None


def _refuse(problems: list[str], code: str) -> ValidationError:
    return ValidationError([ValidationError(p, code=code) for p in problems])


def table_read(upload) -> list[ImportedLine]:
    """The lines of an uploaded workbook (first sheet), checked row by row and as a table.

    Raises one ``ValidationError`` whose messages name the rows: code ``malformed`` (not a
    readable workbook, no header row, too many rows, nothing in it), ``bad_rows`` (a row
    with a missing code or text, an unknown kind, a number that is not one, a duplicate
    code, an unknown parent, a section's maximum that is not the sum of its lines) or
    ``table_problems`` (``scoring.table_problems``). Nothing is stored here.
    """
    try:
        upload.seek(0)
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(values)
            if len(rows) > MAX_ROWS + 10:
                raise _refuse(
                    [_("The file has more than %(count)s rows.") % {"count": MAX_ROWS}],
                    "malformed",
                )
        workbook.close()
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl raises many kinds of errors for a broken workbook
        raise _refuse(
            [_("The file could not be read as an Excel workbook (.xlsx).")], "malformed"
        ) from exc
    found = _find_header(rows)
    if found is None:
        raise _refuse(
            [
                _("No header row with the columns %(columns)s was found.")
                % {"columns": ", ".join(f"“{name}”" for name in REQUIRED)}
            ],
            "malformed",
        )
    header_index, columns = found
    lines: list[ImportedLine] = []
    problems: list[str] = []
    for index in range(header_index + 1, len(rows)):
        values = rows[index]
        row_number = index + 1

        def cell(name, values=values):
            position = columns.get(name)
            if position is None or position >= len(values):
                return None
            return values[position]

        if all(_text(v) == "" for v in values or ()):
            continue
        line, row_problems = _read_row(row_number, cell)
        problems.extend(row_problems)
        if line is not None:
            lines.append(line)
    if not lines and not problems:
        raise _refuse([_("The file holds no line of the table.")], "malformed")
    problems.extend(_tree_problems(lines))
    if problems:
        raise _refuse(problems, "bad_rows")
    table = scoring.table_problems([line.line() for line in lines])
    if table:
        raise _refuse(table, "table_problems")
    return lines


def _read_row(row_number: int, cell) -> tuple[ImportedLine | None, list[str]]:
    problems = []
    code = _text(cell(CODE)).rstrip(".")
    text = _text(cell(TEXT))
    prefix = _("Row %(row)s") % {"row": row_number}
    if not code:
        return None, [_("%(row)s: the code is empty.") % {"row": prefix}]
    prefix = _("Row %(row)s (%(code)s)") % {"row": row_number, "code": code}
    if len(code) > 30 or not _CODE.match(code):
        problems.append(
            _("%(row)s: a code is letters and numbers separated by dots, e.g. I.2.a.")
            % {"row": prefix}
        )
    if not text:
        problems.append(_("%(row)s: the text is empty.") % {"row": prefix})
    kind = kind_from_text(cell(KIND))
    if kind is None:
        problems.append(
            _("%(row)s: unknown kind “%(kind)s” (use one of %(kinds)s).")
            % {
                "row": prefix,
                "kind": _text(cell(KIND)),
                "kinds": ", ".join(KIND_LABELS_VI.values()),
            }
        )
    numbers = {}
    for name, attribute, places, limit in [
        (MAX, "max_points", "0.01", _POINTS_LIMIT),
        (CAP, "cap", "0.01", _POINTS_LIMIT),
        (STEP, "step", "0.01", _POINTS_LIMIT),
        (PER_OCCURRENCE, "points_per_occurrence", "0.01", _POINTS_LIMIT),
        (TARGET, "target", "0.01", Decimal("999999999999.99")),
        (BELOW_FACTOR, "below_target_factor", "0.0001", Decimal("1")),
        (AT_FACTOR, "at_target_factor", "0.0001", Decimal("1")),
    ]:
        try:
            numbers[attribute] = _decimal(cell(name), places=places, limit=limit)
        except ValueError:
            problems.append(
                _("%(row)s: “%(column)s” is not a number within bounds (“%(value)s”).")
                % {"row": prefix, "column": name, "value": _text(cell(name))}
            )
    if numbers.get("step") == 0:
        problems.append(_("%(row)s: the step must be above zero.") % {"row": prefix})
    try:
        evidence = _yes_no(cell(EVIDENCE))
    except ValueError:
        evidence = False
        problems.append(
            _("%(row)s: “%(column)s” is “Có” or “Không”.") % {"row": prefix, "column": EVIDENCE}
        )
    if (
        kind is not None
        and kind != Criterion.Kind.SECTION
        and "max_points" in numbers
        and numbers["max_points"] is None
    ):
        problems.append(_("%(row)s: a criterion needs its maximum points.") % {"row": prefix})
    if problems:
        return None, problems
    for attribute in ("below_target_factor", "at_target_factor"):
        if numbers[attribute] is None:
            numbers[attribute] = Decimal("0.5")
    line = ImportedLine(
        row=row_number,
        code=code,
        text=text,
        kind=kind,
        parent_code=parent_code(code),
        guidance=_text(cell(GUIDANCE)),
        evidence_required=evidence,
        unit=_text(cell(UNIT))[:50],
        **numbers,
    )
    return line, []


def _tree_problems(lines: list[ImportedLine]) -> list[str]:
    """Duplicate codes, unknown parents, parents that are not sections, and section
    maximums that are not the sum of their lines (unless capped)."""
    problems = []
    by_code: dict[str, ImportedLine] = {}
    for line in lines:
        if line.code in by_code:
            problems.append(
                _("Row %(row)s: code %(code)s is already used on row %(first)s.")
                % {"row": line.row, "code": line.code, "first": by_code[line.code].row}
            )
        else:
            by_code[line.code] = line
    for line in lines:
        if line.parent_code is None:
            continue
        parent = by_code.get(line.parent_code)
        if parent is None:
            problems.append(
                _("Row %(row)s (%(code)s): no line has the code %(parent)s of its section.")
                % {"row": line.row, "code": line.code, "parent": line.parent_code}
            )
        elif parent.kind != Criterion.Kind.SECTION:
            problems.append(
                _("Row %(row)s (%(code)s): %(parent)s is not a section (its kind is “%(kind)s”).")
                % {
                    "row": line.row,
                    "code": line.code,
                    "parent": line.parent_code,
                    "kind": KIND_LABELS_VI[Criterion.Kind(parent.kind)],
                }
            )
    if problems:
        return problems
    # A section row that states a maximum states the sum of its lines (unless capped).
    unique = list(by_code.values())
    computed = scoring.section_maxima([line.line() for line in unique])
    for line in unique:
        if line.kind != Criterion.Kind.SECTION or line.max_points is None or line.cap is not None:
            continue
        total = computed.get(line.code)
        if total is not None and total != line.max_points:
            problems.append(
                _(
                    "Row %(row)s (%(code)s): the section's maximum %(stated)s is not the sum "
                    "of its lines, %(sum)s."
                )
                % {
                    "row": line.row,
                    "code": line.code,
                    "stated": scoring.points_text(line.max_points),
                    "sum": scoring.points_text(total),
                }
            )
    return problems


def tree_order(lines: list[ImportedLine]) -> list[ImportedLine]:
    """The lines in table order: each section followed by its lines, siblings as in the file."""
    children: dict[str | None, list[ImportedLine]] = {}
    for line in lines:
        children.setdefault(line.parent_code, []).append(line)
    ordered: list[ImportedLine] = []

    def walk(code):
        for child in children.get(code, []):
            ordered.append(child)
            walk(child.code)

    walk(None)
    return ordered
