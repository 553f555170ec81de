"""The official results table as a reader opens it (pdfplumber, pypdf): the Decree 30
header, every member under its name of that year, the totals of the page, the leader's
signature block, the page size; provisional before publication."""

import datetime
import io
import re
import unicodedata

import pdfplumber
import pypdf
import pytest

from members.models import Membership
from tests.helpers import (
    SMALL_TABLE,
    assessment_of,
    evaluation_for,
    results_published,
    results_url,
    score_lines,
)

pytestmark = pytest.mark.django_db

A4_SHORT, A4_LONG = 595.28, 841.89
LEADER_HEAD = "Nguyễn Tất Sáng"

# Four base sections besides the bonus and the penalty: too wide for a portrait page.
WIDE_TABLE = [
    ("I", None, "section", None, {}),
    ("I.1", "I", "graded", "10", {}),
    ("II", None, "section", None, {}),
    ("II.1", "II", "graded", "10", {}),
    ("III", None, "section", None, {}),
    ("III.1", "III", "graded", "10", {}),
    ("IV", None, "section", None, {}),
    ("IV.1", "IV", "graded", "10", {}),
    ("V", None, "section", None, {"cap": "5"}),
    ("V.1", "V", "bonus", "5", {}),
    ("VI", None, "section", None, {}),
    ("VI.1", "VI", "penalty", "5", {}),
]


def scored(world, *, table=SMALL_TABLE):
    Membership.objects.filter(department=world.hanoi).update(
        head_name=LEADER_HEAD, head_title="Giám đốc Sở Nội vụ thành phố Hà Nội"
    )
    evaluation = evaluation_for(world.year_a, table=table, phase="checking")
    score_lines(assessment_of(evaluation, world.hanoi), I_1="9.75")
    score_lines(assessment_of(evaluation, world.haiphong), I_1="7.5")
    score_lines(assessment_of(evaluation, world.bacninh), I_1="7.5")
    return evaluation


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def text_of(data: bytes) -> str:
    """The PDF's upright text, whitespace folded (a name wrapped in its cell reads whole)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [page.filter(lambda obj: not rotated(obj)) for page in pdf.pages]
        return nfc(" ".join(" ".join((page.extract_text() or "") for page in pages).split()))


def rotated(obj) -> bool:
    return obj.get("object_type") == "char" and abs(obj["matrix"][1]) > 0.01


def watermarks(data: bytes) -> list[str]:
    """The rotated text of each page (the provisional watermark)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [nfc("".join(c["text"] for c in page.chars if rotated(c))) for page in pdf.pages]


def table_rows(data: bytes) -> list[list[str]]:
    """The rows of the PDF's results table, cells with whitespace folded."""
    rows = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for table in page.filter(lambda obj: not rotated(obj)).extract_tables():
                rows += [[nfc(" ".join((cell or "").split())) for cell in row] for row in table]
    return rows


def pdf_of(client, user, evaluation) -> bytes:
    client.force_login(user)
    response = client.get(results_url(evaluation, "results-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


@pytest.fixture
def published_pdf(client, world):
    evaluation = results_published(
        scored(world), results_number="05/BC-CTĐ", results_date=datetime.date(2024, 12, 5)
    )
    return evaluation, pdf_of(client, world.staff, evaluation)


def test_the_pdf_has_the_decree_30_header_number_date_and_title(published_pdf):
    _evaluation, data = published_pdf
    text = text_of(data)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "BỘ NỘI VỤ" in text  # the parent body above the cluster
    assert "CỤM THI ĐUA CÁC TỈNH, THÀNH BẮC BỘ" in text.upper()
    assert "Số: 05/BC-CTĐ" in text
    assert "Hà Nội, ngày 05 tháng 12 năm 2024" in text
    assert "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM 2024" in text
    assert watermarks(data) == [""] * len(watermarks(data))


def test_the_pdf_lists_every_member_under_its_name_that_year_with_the_page_s_totals(
    client, world, published_pdf
):
    evaluation, data = published_pdf
    client.force_login(world.staff)
    page = client.get(results_url(evaluation)).content.decode()
    page_rows = re.findall(
        r'result-member">([^<]+)</th>.*?result-total">([^<]+)</td>', page, flags=re.S
    )
    pdf_rows = [(row[1], row[-2]) for row in table_rows(data)[1:]]  # name, total
    assert pdf_rows == page_rows
    assert {name for name, _total in pdf_rows} == {
        m.full_name for m in world.year_a.memberships.all()
    }
    assert [total for _name, total in pdf_rows] == ["9,75", "7,50", "7,50", "0,00"]


def test_tied_members_share_their_rank_in_the_pdf(published_pdf):
    _evaluation, data = published_pdf
    assert text_of(data).count("(đồng hạng)") == 2


def halves(data: bytes) -> tuple[str, str]:
    """The text of the left and right halves of the last page (recipients, signature)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[-1].filter(lambda obj: not rotated(obj))
        middle = page.width / 2
        left = page.crop((0, 0, middle, page.height)).extract_text()
        right = page.crop((middle, 0, page.width, page.height)).extract_text()
    return nfc(" ".join(left.split())), nfc(" ".join(right.split()))


def test_the_leader_signs_for_the_cluster_as_cum_truong(published_pdf):
    _evaluation, data = published_pdf
    _left, right = halves(data)
    block = right[right.index("TM. CỤM THI ĐUA") :]
    assert block.startswith("TM. CỤM THI ĐUA CỤM TRƯỞNG SỞ NỘI VỤ THÀNH PHỐ HÀ NỘI")
    assert block.split(" Nguyễn")[0].endswith("Giám đốc Sở Nội vụ thành phố Hà Nội")
    assert LEADER_HEAD in block


def test_the_recipients_are_listed_at_the_bottom_left(published_pdf):
    _evaluation, data = published_pdf
    left, _right = halves(data)
    assert "Nơi nhận: - Bộ Nội vụ (Vụ Thi đua - Khen thưởng); - Các đơn vị thành viên Cụm;" in left


def test_a_narrow_table_is_on_portrait_a4_pages(published_pdf):
    _evaluation, data = published_pdf
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 0), round(height, 0)) == (round(A4_SHORT), round(A4_LONG))


def test_a_wide_table_is_on_landscape_a4_pages(client, world):
    evaluation = results_published(scored(world, table=WIDE_TABLE))
    data = pdf_of(client, world.reviewer, evaluation)
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 0), round(height, 0)) == (round(A4_LONG), round(A4_SHORT))
    header = table_rows(data)[0]
    assert [cell.split(" (")[0] for cell in header[2:6]] == ["I", "II", "III", "IV"]
    assert all("(tối đa 10,00)" in cell for cell in header[2:6])


def test_before_publication_the_secretariat_gets_a_provisional_pdf(client, world):
    evaluation = scored(world)
    data = pdf_of(client, world.secretariat, evaluation)
    assert all(mark.replace(" ", "") == "TẠMTÍNH" for mark in watermarks(data))
    text = text_of(data)
    assert "tạm tính, chưa công bố" in text
    assert "9,75" in text


@pytest.mark.parametrize("role", ["signatory", "staff"])
def test_before_publication_members_get_no_pdf(client, world, role):
    evaluation = scored(world)
    client.force_login(world.user(role))
    assert client.get(results_url(evaluation, "results-pdf")).status_code == 403


def test_another_cluster_s_user_gets_no_pdf(client, world, published_pdf):
    evaluation, _data = published_pdf
    client.force_login(world.outsider)
    assert client.get(results_url(evaluation, "results-pdf")).status_code == 404
