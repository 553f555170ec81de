"""The covenant PDF as a reader opens it (pdfplumber, pypdf): Decree 30 page, fonts, wording,
signature blocks, signing certificate, draft watermark.

Rendering costs about a second, so one module-scoped fixture builds an eleven-member
covenant through the services once (inside a transaction it rolls back), renders its draft
while it is partially signed, issues the final PDF when everyone has signed, and keeps the
bytes and the facts the tests compare them with. The tests only read those.
"""

import datetime
import hashlib
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pdfplumber
import pypdf
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation

from agreements import selectors, services
from agreements.demo import COMMITMENTS_2019, PREAMBLE_2019
from agreements.models import Covenant, CovenantVersion
from cluster_portal.audit import RequestMeta, action_label
from cluster_portal.pdf import render_pdf
from cluster_portal.seal import portal_seal
from members.models import Department, User
from tests.factories import (
    PASSWORD,
    PROVINCES,
    ClusterFactory,
    LegalReferenceFactory,
    UserFactory,
)
from tests.helpers import clock, cluster_year_with, department, paper_scan, utc

# Marking the module makes pytest-django create the test database: without a test that
# asks for it, the module fixture below would reach the developer's database.
pytestmark = pytest.mark.django_db

MM = 72 / 25.4
A4_WIDTH, A4_HEIGHT = 595.28, 841.89
VN = ZoneInfo("Asia/Ho_Chi_Minh")

YEAR = 2024
SIGNING_DATE = datetime.date(YEAR, 1, 5)  # 5 January: both leading zeros of Decree 30
TITLE = f"Giao ước thi đua năm {YEAR}"
CLUSTER_NAME = "Cụm thi đua các tỉnh, thành Bắc Bộ"
# Vĩnh Phúc is renamed after the year began (the 2025 merger into Phú Thọ): the covenant of
# that year must keep the name the department had that year.
RENAMED_CODE, RENAMED_TO = "vinhphuc", "Sở Nội vụ tỉnh Phú Thọ"
# Eleven signers, Hà Nội (the leader) first; given and family names with diacritics.
SIGNERS = [
    ("Nguyễn Tất", "Sáng"),
    ("Trần Thị", "Hằng"),
    ("Lê Văn", "Dũng"),
    ("Phạm Quốc", "Khánh"),
    ("Hoàng Thị", "Thủy"),
    ("Vũ Đức", "Lượng"),
    ("Đặng Văn", "Hưởng"),
    ("Bùi Thị", "Ngọc"),
    ("Đỗ Mạnh", "Cường"),
    ("Ngô Xuân", "Thắng"),
    ("Dương Thị", "Yến"),
]
PAPER_CODES = {"haiduong", "namdinh", "ninhbinh"}  # originals signed on paper
SIGNED_BEFORE_DRAFT = 4  # how many have signed when the draft is rendered


@dataclass
class Issued:
    """What the fixture made: the two PDFs and the facts to check them against."""

    final: bytes
    draft: bytes
    identifier: str
    document_sha256: str
    version_sha256: str
    text_sha256_of_render: str
    member_names: list[str]  # as named that year, leader first
    leader_name: str
    signer_names: list[str]
    events: list[dict]  # as the certificate should list them, oldest first


def _vn(moment: datetime.datetime) -> str:
    return moment.astimezone(VN).strftime("%d/%m/%Y %H:%M:%S")


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%d/%m/%Y %H:%M:%S")


def _build() -> Issued:
    """An eleven-member covenant signed in turn (portal and paper), issued; all via services."""
    departments = [department(province, code, kind) for province, code, kind in PROVINCES[:11]]
    cluster = ClusterFactory(code="bac-bo", name=CLUSTER_NAME)
    cluster_year = cluster_year_with(
        cluster, YEAR, leader=departments[0], deputy=departments[1], members=departments[2:]
    )
    member_names = [d.full_name for d in departments]
    Department.objects.filter(code=RENAMED_CODE).update(full_name=RENAMED_TO)
    secretariat = UserFactory(username="vanphong.hanoi", department=departments[0])
    cluster.paper_recorders.add(secretariat)
    signers = [
        UserFactory(
            username=f"giamdoc.{d.code}",
            first_name=first,
            last_name=last,
            role=User.Role.SIGNATORY,
            position="Giám đốc Sở Nội vụ",
            department=d,
        )
        for d, (first, last) in zip(departments, SIGNERS, strict=True)
    ]
    # One step every 11 minutes from 23:05 in Hà Nội (16:05 UTC): the Vietnam and UTC dates
    # of the later events differ, so the certificate's two columns can be told apart.
    steps = iter(utc(YEAR, 1, 4, 16, 5) + datetime.timedelta(minutes=11 * n) for n in range(40))

    with clock(next(steps)):
        covenant = services.covenant_create(
            cluster_year=cluster_year,
            title=TITLE,
            number="01/GƯ-CTĐ",
            preamble=PREAMBLE_2019,
            place="Hà Nội",
            signing_date=SIGNING_DATE,
            deadline=utc(YEAR, 2, 28, 10, 0),
            legal_bases=[LegalReferenceFactory(number="1307/BNV-VP")],
            commitments=COMMITMENTS_2019,
            by=secretariat,
        )
    with clock(next(steps)):
        services.covenant_open_for_signing(covenant=covenant, by=secretariat)

    def respond(index: int, signer: User) -> None:
        current = Covenant.objects.select_related("cluster_year__cluster").get(pk=covenant.pk)
        if signer.department.code in PAPER_CODES:
            services.signature_record_paper(
                covenant=current,
                department=signer.department,
                signer_name=signer.get_full_name(),
                signer_title=signer.position,
                # Signed at the conference of 5 January, or just now for an original
                # recorded the evening before (a paper original is never dated ahead).
                signed_at=min(datetime.datetime(YEAR, 1, 5, 9, 0, tzinfo=VN), timezone.now()),
                scan=paper_scan(),
                by=secretariat,
            )
        else:
            services.signature_record(
                covenant=current,
                user=signer,
                password=PASSWORD,
                confirmed=True,
                meta=RequestMeta(f"198.51.100.{index + 10}", f"Mozilla/5.0 KiemThu/{index}"),
            )

    # The leader signs last, so the draft shows its block unsigned.
    order = [*range(1, 11), 0]
    for index in order[:SIGNED_BEFORE_DRAFT]:
        with clock(next(steps)):
            respond(index, signers[index])
    draft = render_pdf(
        "pdf/covenant.html",
        selectors.covenant_pdf_context(covenant=selectors.covenant_get(code="bac-bo", year=YEAR)),
    )
    for index in order[SIGNED_BEFORE_DRAFT:]:
        with clock(next(steps)):
            respond(index, signers[index])
    with clock(next(steps)):
        document = services.covenant_issue_document(
            covenant=Covenant.objects.select_related("cluster_year__cluster").get(pk=covenant.pk)
        )
    with document.file.open("rb") as handle:
        final = handle.read()

    covenant.refresh_from_db()
    version = covenant.versions.get(number=covenant.version)
    events = []
    for event in selectors.covenant_events(covenant=covenant):
        if event.action == "covenant.issued":  # recorded after the PDF was made
            continue
        # When it happened (a paper original: the day it was signed), and when entered.
        occurred = (
            datetime.datetime.fromisoformat(event.details["signed_at"])
            if event.details.get("method") == "paper"
            else event.created_at
        )
        events.append(
            {
                "vn": _vn(occurred),
                "utc": _utc(occurred),
                "recorded": _vn(event.created_at),
                "label": _vi_label(event.action),
                "department": event.details.get("department", ""),
                "signer": event.details.get("signer", ""),
                "ip": event.ip_address or "-",
            }
        )
    return Issued(
        final=final,
        draft=draft,
        identifier=str(document.identifier),
        document_sha256=document.sha256,
        version_sha256=version.sha256,
        text_sha256_of_render=CovenantVersion.hash_text(covenant.render_text()),
        member_names=member_names,
        leader_name=member_names[0],
        signer_names=[s.get_full_name() for s in signers],
        events=events,
    )


def _vi_label(action: str) -> str:
    with translation.override("vi"):
        return action_label(action)


@pytest.fixture(scope="module")
def issued(django_db_setup, django_db_blocker, tmp_path_factory) -> Issued:
    """Built once for the module; every row it wrote is rolled back before the tests run."""
    portal_seal.cache_clear()
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        result = _build()
        transaction.set_rollback(True)
    # The seal key was rolled back with the rest: no later test may use the cached one.
    portal_seal.cache_clear()
    return result


@dataclass
class Demo:
    """The demo's issued 2019 covenant of "bac-bo": what the issue says will be checked."""

    pdf: bytes
    member_names: list[str]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Demo:
    """``load_demo`` and the 2019 covenant issued (as its on-commit callback would), rolled back."""
    portal_seal.cache_clear()
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")),
        transaction.atomic(),
    ):
        call_command("load_demo", force=True, stdout=io.StringIO())
        covenant = Covenant.objects.get(
            cluster_year__cluster__code="bac-bo", cluster_year__year=2019
        )
        document = services.covenant_issue_document(covenant=covenant)
        with document.file.open("rb") as handle:
            result = Demo(
                pdf=handle.read(),
                member_names=[m.full_name for m in covenant.cluster_year.memberships.all()],
            )
        transaction.set_rollback(True)
    portal_seal.cache_clear()
    return result


@pytest.fixture(scope="module")
def demo_pdf(demo):
    with pdfplumber.open(io.BytesIO(demo.pdf)) as pdf:
        yield pdf


@pytest.fixture(scope="module")
def final(issued):
    with pdfplumber.open(io.BytesIO(issued.final)) as pdf:
        yield pdf


@pytest.fixture(scope="module")
def draft(issued):
    with pdfplumber.open(io.BytesIO(issued.draft)) as pdf:
        yield pdf


# Reading helpers


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def flat(text: str) -> str:
    """Text with every run of white space made one space."""
    return " ".join(nfc(text).split())


def squeezed(text: str) -> str:
    """Text without any white space (table cells wrap anywhere)."""
    return re.sub(r"\s+", "", nfc(text))


def upright(page) -> list[dict]:
    """The page's visible characters, without the rotated draft watermark."""
    return [c for c in page.chars if c["text"].strip() and c["upright"] and not _rotated(c)]


def _rotated(char) -> bool:
    return abs(char["matrix"][1]) > 0.01


def watermark(page) -> str:
    return nfc("".join(c["text"] for c in page.chars if _rotated(c)))


def in_top_margin(char) -> bool:
    return char["bottom"] <= 20 * MM


def body_chars(page) -> list[dict]:
    return [c for c in upright(page) if not in_top_margin(c)]


def text_block_centre(page) -> float:
    """The middle of the text block, from where the page's body text starts and ends."""
    chars = body_chars(page)
    return (min(c["x0"] for c in chars) + max(c["x1"] for c in chars)) / 2


def columns_text(page) -> str:
    """Left half then right half of the text block: two-column signature blocks read whole."""
    middle = text_block_centre(page.pdf.pages[0])  # the first page is full of body text
    left = page.crop((0, 0, middle, page.height)).extract_text()
    right = page.crop((middle, 0, page.width, page.height)).extract_text()
    return flat(f"{left}\n{right}")


def text_of(pdf) -> str:
    return flat("\n".join(page.extract_text() for page in pdf.pages))


def certificate_pages(pdf) -> list:
    start = next(
        i for i, page in enumerate(pdf.pages) if "CHỨNG NHẬN KÝ KẾT" in nfc(page.extract_text())
    )
    return pdf.pages[start:]


def event_rows(pdf) -> list[list[str]]:
    """The rows of the certificate's event table, rows split by a page break joined again."""
    rows: list[list[str]] = []
    for page in certificate_pages(pdf):
        for table in page.extract_tables():
            if not table or not (table[0][0] or "").startswith("Thời gian"):
                continue
            for row in table[1:]:
                cells = [nfc(cell or "") for cell in row]
                if not cells[0].strip() and rows:  # the rest of the previous page's last row
                    rows[-1] = [f"{a}\n{b}" for a, b in zip(rows[-1], cells, strict=True)]
                else:
                    rows.append(cells)
    return rows


# Page


def test_every_page_is_a4_portrait(final):
    sizes = {(round(p.width, 2), round(p.height, 2)) for p in final.pages}
    assert all(abs(w - A4_WIDTH) <= 1 and abs(h - A4_HEIGHT) <= 1 for w, h in sizes), (
        f"page sizes {sizes}"
    )


def test_the_covenant_runs_over_several_pages(final):
    # The margin and page-number tests below need pages after the first.
    assert len(final.pages) >= 3


def test_no_body_text_enters_the_left_margin_of_30_mm(final):
    for number, page in enumerate(final.pages, start=1):
        left = min(c["x0"] for c in body_chars(page))
        assert left >= 30 * MM - 0.05, f"page {number}: text at {left / MM:.2f} mm from the left"


def test_the_body_starts_at_most_35_mm_from_the_left_edge(final):
    for number, page in enumerate(final.pages, start=1):
        left = min(c["x0"] for c in body_chars(page))
        assert left <= 35 * MM, f"page {number}: left margin {left / MM:.2f} mm"


def test_no_body_text_enters_the_right_margin_of_15_mm(final):
    for number, page in enumerate(final.pages, start=1):
        right = page.width - max(c["x1"] for c in body_chars(page))
        assert right >= 15 * MM - 0.05, f"page {number}: right margin {right / MM:.2f} mm"


def test_justified_body_text_reaches_within_20_mm_of_the_right_edge(final):
    page = final.pages[0]
    right = page.width - max(c["x1"] for c in body_chars(page))
    assert right <= 20 * MM, f"right margin {right / MM:.2f} mm"


def test_the_text_of_every_page_starts_between_20_and_25_mm_from_the_top(final):
    for number, page in enumerate(final.pages, start=1):
        top = min(c["top"] for c in body_chars(page))
        assert 20 * MM <= top <= 25 * MM, f"page {number}: text starts {top / MM:.2f} mm down"


def test_no_text_enters_the_bottom_margin_of_20_mm(final):
    for number, page in enumerate(final.pages, start=1):
        bottom = page.height - max(c["bottom"] for c in upright(page))
        assert bottom >= 20 * MM - 0.05, f"page {number}: bottom margin {bottom / MM:.2f} mm"


def test_a_full_first_page_ends_within_25_mm_of_the_bottom_edge(final):
    page = final.pages[0]
    bottom = page.height - max(c["bottom"] for c in body_chars(page))
    assert bottom <= 25 * MM, f"bottom margin {bottom / MM:.2f} mm"


def test_the_first_page_has_no_page_number(final):
    assert [c["text"] for c in upright(final.pages[0]) if in_top_margin(c)] == []


def test_the_second_page_is_numbered_2_in_the_top_margin(final):
    assert [c["text"] for c in upright(final.pages[1]) if in_top_margin(c)] == ["2"]


def test_every_later_page_carries_its_number_in_the_top_margin(final):
    numbers = ["".join(c["text"] for c in upright(p) if in_top_margin(c)) for p in final.pages]
    assert numbers[1:] == [str(n) for n in range(2, len(final.pages) + 1)]


def test_the_page_number_is_centred_over_the_text_block(final):
    page = final.pages[1]  # a page of justified body text
    (two,) = [c for c in upright(page) if in_top_margin(c)]
    assert abs((two["x0"] + two["x1"]) / 2 - text_block_centre(page)) <= 1


# Fonts


def _fonts(data: bytes):
    """Every font dictionary used by the pages (descendant fonts of Type0 fonts)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font["/Subtype"] == "/Type0":
                yield from (d.get_object() for d in font["/DescendantFonts"])
            else:
                yield font


def test_every_font_is_embedded(issued):
    fonts = list(_fonts(issued.final))
    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]


def test_every_font_is_tinos(issued):
    names = {str(font["/BaseFont"]).split("+", 1)[-1] for font in _fonts(issued.final)}
    assert names and all(name.startswith("Tinos") for name in names), names


def test_every_character_is_set_in_tinos(final):
    fonts = {c["fontname"].split("+", 1)[-1] for p in final.pages for c in p.chars}
    assert all(name.startswith("Tinos") for name in fonts), fonts


def test_the_body_is_set_in_13_to_14_points(final):
    words = final.pages[1].extract_words(extra_attrs=["size"])
    sizes = Counter(round(w["size"], 1) for w in words if w["top"] > 20 * MM)
    (commonest, _count), *_rest = sizes.most_common(1)
    assert 13 <= commonest <= 14


# Header and wording


def test_the_national_title_is_printed_exactly(final):
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in nfc(final.pages[0].extract_text())


def test_the_motto_is_printed_exactly(final):
    assert "Độc lập - Tự do - Hạnh phúc" in nfc(final.pages[0].extract_text())


def _header_word(pdf, text: str) -> dict:
    words = pdf.pages[0].extract_words(extra_attrs=["fontname", "size"])
    return next(w for w in words if nfc(w["text"]) == text)


def test_the_national_title_is_bold_in_12_to_13_points(final):
    word = _header_word(final, "CỘNG")
    assert "Bold" in word["fontname"] and 12 <= word["size"] <= 13


def test_the_motto_is_bold_in_13_to_14_points(final):
    word = _header_word(final, "Độc")
    assert "Bold" in word["fontname"] and 13 <= word["size"] <= 14


def test_the_title_is_in_upper_case(final):
    assert TITLE.upper() in nfc(final.pages[0].extract_text()).splitlines()


def test_the_issuing_body_is_in_upper_case(final):
    assert CLUSTER_NAME.upper() in columns_text(final.pages[0])


def test_the_number_and_symbol_are_printed(final):
    assert "Số: 01/GƯ-CTĐ" in flat(final.pages[0].extract_text())


def test_the_date_line_has_the_leading_zeros_of_decree_30(final):
    assert "Hà Nội, ngày 05 tháng 01 năm 2024" in nfc(final.pages[0].extract_text()).splitlines()


def test_the_date_line_is_italic(final):
    words = final.pages[0].extract_words(extra_attrs=["fontname"])
    day = next(w for w in words if nfc(w["text"]) == "ngày")  # the first is the date line's
    line = [w for w in words if abs(w["top"] - day["top"]) < 1]
    assert flat(" ".join(w["text"] for w in line)).endswith("ngày 05 tháng 01 năm 2024")
    assert all("Italic" in w["fontname"] for w in line)


def test_the_legal_basis_is_cited(final):
    assert "Căn cứ Công văn số 1307/BNV-VP" in text_of(final)


def test_every_commitment_is_printed(final):
    text = squeezed(text_of(final))
    for position, commitment in enumerate(COMMITMENTS_2019, start=1):
        assert squeezed(f"{position}. {commitment}") in text, position


def test_body_paragraphs_start_with_a_first_line_indent_of_1_cm(final):
    words = final.pages[0].extract_words()
    first_commitment = next(w for w in words if w["text"] == "1.")
    assert abs(first_commitment["x0"] - (30 * MM + 10 * MM)) <= 1


def test_the_recipients_list_is_printed(final):
    assert "Nơi nhận:" in text_of(final)


# Signature blocks


def test_every_member_department_has_a_block_under_its_name_that_year(issued, final):
    text = " ".join(columns_text(page) for page in final.pages)
    missing = [name for name in issued.member_names if nfc(name.upper()) not in text]
    assert missing == []


def test_each_member_department_has_exactly_one_signature_block(issued, final):
    text = " ".join(columns_text(page) for page in final.pages)
    counts = {name: text.count(nfc(name.upper())) for name in issued.member_names}
    assert set(counts.values()) == {1}, counts


def test_a_department_renamed_since_is_not_printed_under_its_new_name(final):
    assert RENAMED_TO.upper() not in text_of(final).upper()


def test_every_signer_is_named_in_their_block(issued, final):
    text = " ".join(columns_text(page) for page in final.pages)
    missing = [name for name in issued.signer_names if nfc(name) not in text]
    assert missing == []


def test_a_portal_signature_says_it_was_confirmed_on_the_system(final):
    assert "Đã xác nhận trên hệ thống lúc" in text_of(final)


def test_a_paper_signature_says_the_original_was_signed_on_paper(final):
    assert "Đã ký bản giấy ngày 05/01/2024" in text_of(final)


def test_the_leader_signs_for_the_cluster_as_cum_truong(issued, final):
    text = " ".join(columns_text(page) for page in final.pages)
    assert f"TM. CỤM THI ĐUA CỤM TRƯỞNG {nfc(issued.leader_name.upper())}" in text


# Signing certificate


def test_the_certificate_starts_on_a_page_of_its_own(final):
    (first, *_rest) = certificate_pages(final)
    assert nfc(first.extract_text()).splitlines()[1] == "CHỨNG NHẬN KÝ KẾT"


def test_the_certificate_shows_the_sha256_of_the_signed_version(issued, final):
    text = squeezed(" ".join(p.extract_text() for p in certificate_pages(final)))
    match = re.search(r"SHA-256củanộidungđãký([0-9a-f]{64})", text)
    assert match is not None and match.group(1) == issued.version_sha256


def test_the_signed_version_hash_is_the_hash_of_the_covenant_text(issued):
    assert issued.version_sha256 == issued.text_sha256_of_render


def test_the_certificate_shows_the_document_identifier(issued, final):
    text = squeezed(" ".join(p.extract_text() for p in certificate_pages(final)))
    assert f"Mãvănbản{issued.identifier}" in text


def test_the_stored_sha256_is_the_hash_of_the_issued_bytes(issued):
    assert hashlib.sha256(issued.final).hexdigest() == issued.document_sha256


def test_the_certificate_lists_every_event_in_order(issued, final):
    rows = event_rows(final)
    assert [(squeezed(r[0]), squeezed(r[1]), squeezed(r[2])) for r in rows] == [
        (squeezed(e["vn"]), squeezed(e["utc"]), squeezed(e["label"])) for e in issued.events
    ]


def test_the_certificate_shows_when_each_event_was_entered_in_its_last_column(issued, final):
    rows = event_rows(final)
    assert [squeezed(r[-1]) for r in rows] == [squeezed(e["recorded"]) for e in issued.events]


def test_the_certificate_names_the_department_and_signer_of_each_signature(issued, final):
    rows = event_rows(final)
    for row, event in zip(rows, issued.events, strict=True):
        assert squeezed(event["department"]) in squeezed(row[3]), row
        assert squeezed(event["signer"]) in squeezed(row[3]), row


def test_the_certificate_shows_the_ip_address_of_each_event(issued, final):
    rows = event_rows(final)
    assert [squeezed(r[5]) for r in rows] == [e["ip"] for e in issued.events]


def test_the_certificate_labels_vietnam_time_gmt_plus_7_and_utc(final):
    text = flat(" ".join(p.extract_text() for p in certificate_pages(final)))
    assert "(GMT+7)" in text and "(UTC)" in text


@pytest.mark.parametrize("rendered", ["final", "demo_pdf"])
def test_no_row_of_the_event_table_is_split_across_pages(request, rendered):
    pages = certificate_pages(request.getfixturevalue(rendered))
    split = []
    for page in pages[1:]:
        for table in page.extract_tables():
            is_events = bool(table) and (table[0][0] or "").startswith("Thời gian")
            if is_events and len(table) > 1 and not (table[1][0] or "").strip():
                split.append(page.page_number)
    assert split == []


# Draft


def test_a_partially_signed_covenant_renders_with_the_draft_watermark(draft):
    assert watermark(draft.pages[0]).replace(" ", "") == "DỰTHẢO"


def test_the_draft_watermark_is_on_every_page(draft):
    assert all(watermark(page).replace(" ", "") == "DỰTHẢO" for page in draft.pages)


def test_the_draft_has_no_signing_certificate(draft):
    assert "CHỨNG NHẬN KÝ KẾT" not in text_of(draft)


def test_the_draft_shows_the_leader_still_to_sign(draft):
    assert "(Chưa ký)" in text_of(draft)


def test_the_issued_pdf_has_no_draft_watermark(final):
    assert [watermark(page) for page in final.pages] == [""] * len(final.pages)
    assert "DỰ THẢO" not in text_of(final)


# The demo's issued 2019 covenant (how the issue will be checked)


def test_the_demo_covenant_has_eleven_member_departments(demo):
    assert len(demo.member_names) == 11


def test_the_demo_covenant_has_a_signature_block_for_each_of_its_eleven_members(demo, demo_pdf):
    text = " ".join(columns_text(page) for page in demo_pdf.pages)
    counts = {name: text.count(nfc(name.upper())) for name in demo.member_names}
    assert counts == dict.fromkeys(demo.member_names, 1)


def test_the_demo_covenant_is_dated_24_may_2019_in_hanoi(demo_pdf):
    assert "Hà Nội, ngày 24 tháng 5 năm 2019" in nfc(demo_pdf.pages[0].extract_text())


def test_the_demo_covenant_is_numbered(demo_pdf):
    assert "Số: 01/GƯ-CTĐ" in flat(demo_pdf.pages[0].extract_text())


def test_the_demo_certificate_dates_the_paper_originals_the_day_they_were_signed(demo_pdf):
    paper = [r for r in event_rows(demo_pdf) if "Bảngiấy" in squeezed(r[4])]
    assert len(paper) == 11
    assert all(squeezed(r[0]).startswith("24/05/2019") for r in paper)
    # ... and when the secretariat entered them in the portal, in a column of its own.
    assert not any(squeezed(r[-1]).startswith("24/05/2019") for r in paper)


def test_the_last_legal_basis_of_the_demo_covenant_ends_with_a_full_stop(demo_pdf):
    text = flat(demo_pdf.pages[0].extract_text())
    segment = text[text.index("Căn cứ ") : text.index("Năm 2019 là năm")]
    bases = [basis.strip() for basis in segment.split("Căn cứ ") if basis.strip()]
    assert len(bases) >= 2
    assert all(b.endswith(";") for b in bases[:-1]) and bases[-1].endswith(".")


def test_the_demo_covenant_shows_eleven_of_eleven_signed_on_its_certificate(demo_pdf):
    text = squeezed(" ".join(p.extract_text() for p in certificate_pages(demo_pdf)))
    assert "Sốđơnvịđãký11/11" in text


def test_the_demo_covenant_is_not_a_draft(demo_pdf):
    assert [watermark(page) for page in demo_pdf.pages] == [""] * len(demo_pdf.pages)
