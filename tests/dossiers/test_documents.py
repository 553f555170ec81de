"""The dossier's generated documents as a reader opens them (pdfplumber, pypdf): the Tờ trình
and the minutes of the closing conference, numbered ("Số: 01/TTr-CTĐ"), on A4, in the
project's embedded fonts, signed for the cluster by the leader and sealed."""

import io
import unicodedata

import pdfplumber
import pypdf
import pytest

from cluster_portal.models import DocumentNumber
from tests.helpers import dossier_issued, dossier_year_ready

pytestmark = pytest.mark.django_db

A4 = (595, 842)


def text_of(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = " ".join((page.extract_text() or "") for page in pdf.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def content(dossier, kind) -> bytes:
    with dossier.documents.get(kind=kind).file.open("rb") as handle:
        return handle.read()


def fonts(data: bytes):
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font["/Subtype"] == "/Type0":
                yield from (d.get_object() for d in font["/DescendantFonts"])
            else:
                yield font


@pytest.fixture
def issued(world):
    dossier_year_ready(world)
    return dossier_issued(world)


def test_the_submission_reads_as_a_numbered_decree_30_to_trinh(issued):
    text = text_of(content(issued, "submission"))
    number = issued.documents.get(kind="submission").number
    assert f"Số: {number}" in text
    assert number.endswith("/TTr-CTĐ")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "TỜ TRÌNH" in text
    assert "Về việc đề nghị khen thưởng công tác thi đua năm 2024" in text


def table_rows(data: bytes) -> list[list[str]]:
    """The rows of the document's tables, cells with whitespace folded."""
    rows = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows += [
                    [unicodedata.normalize("NFC", " ".join((c or "").split())) for c in row]
                    for row in table
                ]
    return rows


def test_the_submission_proposes_the_chosen_unit_with_rank_total_and_vote_share(issued):
    rows = table_rows(content(issued, "submission"))
    assert rows[1] == [
        "1",
        "Sở Nội vụ thành phố Hải Phòng",
        "Cờ thi đua của Bộ Nội vụ",
        "1",
        "94,50",
        "75,00",
    ]


def test_the_submission_lists_every_enclosed_file_with_its_sha_256(issued):
    text = text_of(content(issued, "submission"))
    for document in issued.documents.exclude(kind="submission"):
        assert f"SHA-256: {document.sha256}" in text


def test_the_submission_is_signed_for_the_cluster_by_the_leader(issued):
    text = text_of(content(issued, "submission"))
    assert "TM. CỤM THI ĐUA" in text
    assert "CỤM TRƯỞNG" in text
    assert "Nguyễn Tất Sáng" in text


def test_the_first_number_of_the_year_prints_as_01(world):
    dossier_year_ready(world)
    DocumentNumber.objects.all().delete()
    dossier = dossier_issued(world)
    minutes = text_of(content(dossier, "minutes"))
    assert "Số: 01/BB-CTĐ" in minutes
    assert "Số: 02/TTr-CTĐ" in text_of(content(dossier, "submission"))


def test_the_minutes_tell_the_conference_its_attendees_and_the_ballot_results(issued):
    text = text_of(content(issued, "minutes"))
    assert "BIÊN BẢN" in text
    assert "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2024" in text
    assert "ngày 13/12/2024" in text
    assert "Hội trường Sở Nội vụ thành phố Hà Nội" in text
    assert "Trần Văn Khách" in text
    assert "Đề nghị tặng Cờ thi đua của Bộ Nội vụ" in text
    assert "Số phiếu phát ra: 4" in text


def test_every_generated_page_is_a4(issued):
    for kind in ("submission", "minutes", "results"):
        reader = pypdf.PdfReader(io.BytesIO(content(issued, kind)))
        for page in reader.pages:
            size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
            assert size in (A4, A4[::-1]), (kind, size)


def test_every_font_of_the_generated_documents_is_embedded_tinos(issued):
    for kind in ("submission", "minutes"):
        found = list(fonts(content(issued, kind)))
        assert found
        for font in found:
            descriptor = font["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor)
            assert str(font["/BaseFont"]).split("+", 1)[-1].startswith("Tinos")


def test_the_generated_documents_are_sealed(issued):
    for kind in ("submission", "minutes", "results"):
        reader = pypdf.PdfReader(io.BytesIO(content(issued, kind)))
        fields = reader.get_fields() or {}
        assert any(field.get("/FT") == "/Sig" for field in fields.values()), kind


def test_the_results_table_is_the_evaluation_s_own_document(issued):
    text = text_of(content(issued, "results"))
    assert "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM 2024" in text
    assert "Số: 07/BC-CTĐ" in text
