"""The criteria table in Excel: export → import gives the same table, and an import with
anything wrong is refused as a whole, naming the rows, with nothing stored."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from cluster_portal.models import AuditEvent
from evaluations import services, table_file
from evaluations.audit import EvaluationAction
from evaluations.models import Criterion
from evaluations.selectors import criterion_list
from tests.helpers import (
    SMALL_TABLE,
    codes,
    docx_bytes,
    evaluation_for,
    table_snapshot,
    upload,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db

# Every kind, every optional field, three levels and Vietnamese text.
FULL_TABLE = [
    *SMALL_TABLE[:1],
    ("I.1", "I", "section", None, {}),
    ("I.1.a", "I.1", "graded", "7.5", {"step": "0.5"}),
    ("I.1.b", "I.1", "yes_no", "2.5", {}),
    *SMALL_TABLE[2:],
]


@pytest.fixture
def source(world):
    evaluation = evaluation_for(world.year_a, table=FULL_TABLE, adopted=False)
    Criterion.objects.filter(evaluation=evaluation, code="I.4").update(
        unit="văn bản",
        below_target_factor=Decimal("0.4"),
        at_target_factor=Decimal("0.6"),
        guidance="=SUM(A1:A3) là chữ, không phải công thức",
        evidence_required=True,
        text="Số văn bản quy phạm pháp luật tham mưu ban hành",
    )
    return evaluation


@pytest.fixture
def target(world):
    return evaluation_for(world.year_b, table=[], adopted=False)


def exported(evaluation) -> bytes:
    return table_file.table_xlsx(criterion_list(evaluation=evaluation), title="Bảng tiêu chí")


def import_file(evaluation, by, content: bytes):
    return services.table_import(evaluation=evaluation, upload=upload("bang.xlsx", content), by=by)


def rows_of(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def test_export_then_import_gives_the_same_table(world, source, target):
    import_file(target, world.outsider, exported(source))
    assert table_snapshot(target) == table_snapshot(source)


def test_the_export_has_the_clusters_columns_and_vietnamese_kinds(source):
    rows = rows_of(exported(source))
    assert (rows[1][:10], rows[2][:4], rows[4][2], rows[8][9]) == (
        tuple(table_file.HEADER[:10]),
        ("I", "Tiêu chí I", "Mục", 30),
        "Chấm theo mức",
        "Có",
    )


def test_an_import_replaces_the_draft_table(world, source):
    count = import_file(
        source,
        world.secretariat,
        bytes(
            xlsx_upload(
                [
                    ["A", "Phần A", "Mục", None],
                    ["A.1", "Tiêu chí A.1", "Chấm theo mức", 10],
                ]
            ).read()
        ),
    )
    assert (count, [row[1] for row in table_snapshot(source)]) == (2, ["A", "A.1"])


def test_an_import_is_recorded_in_the_audit_trail(world, source, target):
    import_file(target, world.outsider, exported(source))
    assert AuditEvent.objects.filter(action=EvaluationAction.TABLE_IMPORTED).count() == 1


def test_an_import_accepts_kind_codes_decimal_commas_and_children_before_parents(world, target):
    content = xlsx_upload(
        [
            ["I.1", "Tiêu chí", "graded", "7,5", None, None, None, None, "", "x"],
            ["I", "Phần I", "MỤC", "7,5"],
        ]
    ).read()
    import_file(target, world.outsider, content)
    assert [(row[1], row[2], row[5], row[14]) for row in table_snapshot(target)] == [
        ("I", None, None, False),
        ("I.1", "I", Decimal("7.50"), True),
    ]


def refused(evaluation, by, rows, **kwargs) -> ValidationError:
    before = table_snapshot(evaluation)
    with pytest.raises(ValidationError) as error:
        import_file(evaluation, by, xlsx_upload(rows, **kwargs).read())
    assert table_snapshot(evaluation) == before, "a refused import changed the table"
    return error.value


def test_a_file_that_is_not_a_workbook_is_refused_by_its_content(world, source):
    with pytest.raises(ValidationError) as error:
        services.table_import(
            evaluation=source,
            upload=upload("bang.xlsx", docx_bytes()),
            by=world.secretariat,
        )
    assert codes(error.value) == {"wrong_type"}


def test_a_broken_workbook_is_refused_as_malformed(world, source):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<not a workbook")
    with pytest.raises(ValidationError) as error:
        services.table_import(
            evaluation=source, upload=upload("bang.xlsx", buffer.getvalue()), by=world.secretariat
        )
    assert codes(error.value) == {"malformed"}


def test_a_sheet_without_the_header_row_is_refused(world, source):
    error = refused(source, world.secretariat, [["I", "Phần I"]], header=["STT", "Tên"])
    assert codes(error) == {"malformed"}


def test_an_unknown_kind_is_refused_naming_the_row(world, source):
    error = refused(
        source,
        world.secretariat,
        [["I", "Phần I", "Mục"], ["I.1", "Tiêu chí", "Chấm tự do", 10]],
    )
    assert (
        codes(error),
        error.messages[0].startswith("Dòng 4 (I.1): loại “Chấm tự do” không hợp lệ"),
    ) == (
        {"bad_rows"},
        True,
    )


def test_an_unknown_parent_code_is_refused_naming_the_row(world, source):
    error = refused(
        source,
        world.secretariat,
        [["I", "Phần I", "Mục"], ["II.1", "Tiêu chí", "Chấm theo mức", 10]],
    )
    assert error.messages == ["Dòng 4 (II.1): không có dòng nào mang mã II của mục chứa nó."]


def test_duplicate_codes_are_refused_naming_both_rows(world, source):
    error = refused(
        source,
        world.secretariat,
        [
            ["I", "Phần I", "Mục"],
            ["I.1", "Tiêu chí", "Chấm theo mức", 10],
            ["I.1", "Tiêu chí khác", "Chấm theo mức", 5],
        ],
    )
    assert error.messages == ["Dòng 5: mã I.1 đã được dùng ở dòng 4."]


def test_a_section_maximum_that_is_not_the_sum_of_its_lines_is_refused(world, source):
    error = refused(
        source,
        world.secretariat,
        [
            ["I", "Phần I", "Mục", 60],
            ["I.1", "Tiêu chí", "Chấm theo mức", 10],
            ["I.2", "Tiêu chí", "Có/Không", 5],
        ],
    )
    assert error.messages == [
        "Dòng 3 (I): điểm tối đa của mục là 60,00, không bằng tổng các dòng con là 15,00."
    ]


def test_a_capped_section_may_state_a_maximum_of_its_own(world, target):
    import_file(
        target,
        world.outsider,
        xlsx_upload(
            [
                ["IV", "Điểm thưởng", "Mục", 10, 10],
                ["IV.1", "Cờ thi đua", "Điểm thưởng", 8],
                ["IV.2", "Bằng khen", "Điểm thưởng", 5],
            ]
        ).read(),
    )
    assert target.criteria.get(code="IV").cap == Decimal("10.00")


def test_a_number_that_is_not_one_is_refused_naming_the_row_and_column(world, source):
    error = refused(
        source,
        world.secretariat,
        [["I", "Phần I", "Mục"], ["I.1", "Tiêu chí", "Chấm theo mức", "mười"]],
    )
    assert error.messages == [
        "Dòng 4 (I.1): “Điểm tối đa” không phải là số trong giới hạn cho phép (“mười”)."
    ]


def test_a_criterion_without_a_maximum_is_refused(world, source):
    error = refused(
        source, world.secretariat, [["I", "Phần I", "Mục"], ["I.1", "Tiêu chí", "Có/Không"]]
    )
    assert error.messages == ["Dòng 4 (I.1): tiêu chí cần có điểm tối đa."]


def test_the_table_checks_of_adoption_apply_to_an_import(world, source):
    error = refused(
        source,
        world.secretariat,
        [
            ["I", "Phần I", "Mục"],
            ["I.1", "Tiêu chí", "Chấm theo mức", 10],
            ["I.2", "Thưởng", "Điểm thưởng", 5],
        ],
    )
    assert codes(error) == {"table_problems"}


def test_every_bad_row_is_named_at_once(world, source):
    error = refused(
        source,
        world.secretariat,
        [
            ["I", "Phần I", "Mục"],
            ["I.1", "", "Chấm theo mức", 10],
            ["I.2", "Tiêu chí", "?", 10],
        ],
    )
    assert len(error.messages) == 2


def test_an_empty_sheet_is_refused(world, source):
    error = refused(source, world.secretariat, [])
    assert codes(error) == {"malformed"}


def test_an_import_into_an_adopted_table_is_refused(world, source):
    services.table_adopt(evaluation=source, by=world.secretariat)
    with pytest.raises(ValidationError) as error:
        import_file(source, world.secretariat, exported(source))
    assert codes(error.value) == {"table_adopted"}
