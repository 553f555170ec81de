"""The vote record (Biên bản kiểm phiếu) as a reader opens it: the Decree 30 header and
number, the totals and the votes per candidate (recomputed from the PDF's own numbers),
the conclusion, A4 pages, embedded fonts and the portal's seal."""

import io
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

import pdfplumber
import pypdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from ballots.services.counting import ballot_close, ballot_count, vote_record_issue
from members.models import Membership
from tests.helpers import counting_attend, counting_ballot_for, counting_papers_cast

pytestmark = pytest.mark.django_db

A4 = (595, 842)
LEADER_HEAD = "Nguyễn Tất Sáng"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def text_of(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return nfc(" ".join(" ".join((p.extract_text() or "") for p in pdf.pages).split()))


def tables_of(data: bytes) -> list[list[list[str]]]:
    tables = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                tables.append([[nfc(" ".join((c or "").split())) for c in row] for row in table])
    return tables


def issued(world, *papers, **fields):
    Membership.objects.filter(department=world.hanoi).update(head_name=LEADER_HEAD)
    ballot = counting_ballot_for(
        world.year_a, by=world.secretariat, blank_policy="invalid", **fields
    )
    counting_attend(ballot, world.hanoi, world.vinhphuc, world.haiphong, world.bacninh)
    counting_papers_cast(ballot, *papers)
    ballot_close(ballot=ballot, by=world.secretariat)
    ballot = ballot_count(ballot_id=ballot.pk)
    record = vote_record_issue(ballot_id=ballot.pk)
    return ballot, record.file.read()


@pytest.fixture
def record(world):
    """Hà Nội 3 votes, Hải Phòng none, one blank (invalid) paper, of 4 members."""
    return issued(world, [world.hanoi], [world.hanoi], [world.hanoi], [])


def test_the_record_has_the_decree_30_header_title_and_number(record):
    _ballot, data = record
    text = text_of(data)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    assert "Số: 01/BB-CTĐ" in text
    assert "Bầu Cụm trưởng năm 2025" in text
    assert "Hà Nội, ngày" in text
    assert "Ngày 13 tháng 12 năm 2024, tại Hội trường Sở Nội vụ, Hội nghị tổng kết" in text


def test_the_record_gives_the_totals_of_the_count(record):
    _ballot, data = record
    totals = dict(row for row in tables_of(data)[0] if len(row) == 2)
    assert totals["Tổng số đơn vị thành viên của Cụm"] == "4"
    assert totals["Số đơn vị thành viên có mặt"] == "4"
    assert totals["Số phiếu phát ra"] == "4"
    assert totals["Số phiếu thu vào"] == "4"
    assert totals["Số phiếu hợp lệ"] == "3"
    assert totals["Số phiếu không hợp lệ"] == "1"
    assert totals["Số lượng tham gia bỏ phiếu"] == "Đủ theo quy định"


def test_the_votes_in_the_record_add_up_when_recomputed_from_the_pdf(world, record):
    _ballot, data = record
    totals = dict(row for row in tables_of(data)[0] if len(row) == 2)
    header, *rows = tables_of(data)[1]
    assert header == ["STT", "Đơn vị", "Số phiếu", "Tỷ lệ (%)", "Kết quả"]
    by_name = {row[1]: row for row in rows}
    assert set(by_name) == {m.full_name for m in world.year_a.memberships.all()}
    members = int(totals["Tổng số đơn vị thành viên của Cụm"])
    assert sum(int(row[2]) for row in rows) <= int(totals["Số phiếu hợp lệ"])
    for row in rows:  # the share of all members, from the PDF's own numbers
        share = (Decimal(row[2]) * 100 / members).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert row[3] == f"{share}".replace(".", ",")
    assert by_name[world.hanoi.full_name][2:] == ["3", "75,00", "Được chọn"]
    assert by_name[world.haiphong.full_name][2:] == ["0", "0,00", "Không đạt"]


def test_the_record_concludes_with_the_chosen_unit_and_the_leader_signs(world, record):
    _ballot, data = record
    text = text_of(data)
    assert f"Các đơn vị được chọn: {world.hanoi.full_name}." in text
    # Beside the recipients, the lines interleave in the extracted text.
    assert "TM. CỤM THI ĐUA" in text
    assert "CỤM TRƯỞNG" in text
    assert LEADER_HEAD in text


def test_a_tie_is_written_down_with_the_tied_units(world):
    _ballot, data = issued(
        world,
        [world.hanoi],
        [world.hanoi],
        [world.haiphong],
        [world.haiphong],
        threshold_base="valid",
        threshold_percent=40,
    )
    text = text_of(data)
    assert "Không có đơn vị được chọn." in text
    assert "Các ứng viên có số phiếu bằng nhau tại vị trí cuối:" in text
    assert world.haiphong.full_name in text.split("vị trí cuối:")[1]


def test_below_the_quorum_the_record_says_so(world):
    _ballot, data = issued(world, [world.hanoi])
    text = text_of(data)
    assert "Không đủ theo quy định" in text
    assert "không có đơn vị được chọn" in text


def test_the_record_is_on_a4_pages(record):
    _ballot, data = record
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        assert size == A4


def test_every_font_of_the_record_is_embedded(record):
    _ballot, data = record
    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = []
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.append(font.get_object())
    assert fonts
    for font in fonts:
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        descriptor = target["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]


def test_the_record_carries_the_portal_s_seal(record):
    _ballot, data = record
    assert len(PdfFileReader(io.BytesIO(data)).embedded_signatures) == 1


def test_the_record_s_number_runs_on_per_cluster_and_year(world, record):
    _ballot, _data = record
    ballot = counting_ballot_for(world.year_a, by=world.secretariat, question="Bầu Cụm phó")
    counting_papers_cast(ballot, [world.vinhphuc], [world.vinhphuc], [world.vinhphuc])
    ballot_close(ballot=ballot, by=world.secretariat)
    ballot_count(ballot_id=ballot.pk)
    assert vote_record_issue(ballot_id=ballot.pk).number == "02/BB-CTĐ"
