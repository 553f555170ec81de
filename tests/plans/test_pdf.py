"""The charter version and the work plan as Decree 30 PDFs, through the shared engine."""

import datetime
import io

import pdfplumber
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import Activity, CharterVersion
from tests.factories import ActivityFactory, CharterArticleFactory, CharterVersionFactory

A4 = (595.28, 841.89)


WATERMARK_MIN_SIZE = 50  # points: the "DỰ THẢO" watermark is far larger than any text


def _pdf_text(response) -> tuple[str, tuple[float, float], set[str]]:
    """The text (whitespace folded, watermark apart), the page size and the font families."""
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        body, watermark = [], []
        for page in pdf.pages:
            body.append(page.filter(lambda o: o.get("size", 0) < WATERMARK_MIN_SIZE).extract_text())
            watermark += [c["text"] for c in page.chars if c["size"] >= WATERMARK_MIN_SIZE]
        text = " ".join(" ".join(body).split())
        if watermark:
            text += " [watermark: " + "".join(watermark).replace(" ", "") + "]"
        page = pdf.pages[0]
        fonts = {char["fontname"].split("+")[-1] for p in pdf.pages for char in p.chars}
        return text, (round(page.width, 2), round(page.height, 2)), fonts


@pytest.fixture
def charter(world):
    version = CharterVersionFactory(cluster_year=world.year_a, preamble="Quy chế này quy định.")
    CharterArticleFactory(version=version, number=1, heading="Phạm vi điều chỉnh")
    CharterArticleFactory(version=version, number=2, heading="Thành viên của Cụm")
    return version


def test_a_draft_charter_pdf_is_a4_in_tinos_with_the_decree_30_header_and_a_watermark(
    client, world, charter
):
    client.force_login(world.staff)
    response = client.get(reverse("plans:charterversion-pdf", kwargs={"pk": charter.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert "-du-thao.pdf" in response["Content-Disposition"]
    text, size, fonts = _pdf_text(response)
    assert size == pytest.approx(A4, abs=1)
    assert {font.split("-")[0] for font in fonts} == {"Tinos"}
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Điều 1. Phạm vi điều chỉnh" in text
    assert "Điều 2. Thành viên của Cụm" in text
    assert "[watermark: DỰTHẢO" in text


def test_an_adopted_charter_pdf_has_no_watermark_and_the_adoption_date(client, world, charter):
    CharterVersion.objects.filter(pk=charter.pk).update(
        state=CharterVersion.State.ADOPTED, adopted_on=datetime.date(2024, 1, 5)
    )
    client.force_login(world.staff)
    response = client.get(reverse("plans:charterversion-pdf", kwargs={"pk": charter.pk}))
    text, _size, _fonts = _pdf_text(response)
    assert "[watermark:" not in text
    assert "ngày 05 tháng 01 năm 2024" in text
    assert "-du-thao" not in response["Content-Disposition"]


def test_the_work_plan_pdf_lists_every_activity_with_its_host(client, world, plan):
    ActivityFactory(work_plan=plan, title="Hội thảo chuyên đề tại Hải Phòng", host=world.haiphong)
    ActivityFactory(
        work_plan=plan, title="Hội nghị sơ kết", host=world.bacninh, kind=Activity.Kind.CONFERENCE
    )
    client.force_login(world.signatory)
    url = reverse("plans:workplan-pdf", kwargs={"code": world.cluster_a.code, "year": 2024})
    response = client.get(url)
    text, _size, _fonts = _pdf_text(response)
    assert plan.title in text
    assert "[watermark: DỰTHẢO" in text  # not adopted by a conference yet
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        rows = [
            [" ".join((cell or "").split()) for cell in row]
            for page in pdf.pages
            for table in page.extract_tables()
            for row in table
        ]
    assert rows[1][:3] == ["1", "Hội thảo chuyên đề tại Hải Phòng", "Sở Nội vụ thành phố Hải Phòng"]
    assert rows[2][:3] == ["2", "Hội nghị sơ kết", "Sở Nội vụ tỉnh Bắc Ninh"]


@pytest.mark.parametrize(("role", "status"), [("outsider", 404), ("reviewer", 200)])
def test_the_plan_pdfs_follow_the_plan_pages_permissions(
    client, world, charter, plan, role, status
):
    client.force_login(world.user(role))
    charter_pdf = client.get(reverse("plans:charterversion-pdf", kwargs={"pk": charter.pk}))
    plan_pdf = client.get(
        reverse("plans:workplan-pdf", kwargs={"code": world.cluster_a.code, "year": 2024})
    )
    assert (charter_pdf.status_code, plan_pdf.status_code) == (status, status)


def _verified(client, data: bytes):
    return client.post(
        reverse("agreements:pdf-verify"),
        {"file": SimpleUploadedFile("tai-lieu.pdf", data, "application/pdf")},
    )


def test_the_verification_page_recognises_a_draft_charter_pdf(client, world, charter):
    client.force_login(world.staff)
    draft = client.get(reverse("plans:charterversion-pdf", kwargs={"pk": charter.pk})).content
    response = _verified(client, draft)
    assert response.context["report"].draft
    assert 'id="draft"' in response.content.decode()


def test_the_verification_page_recognises_a_draft_work_plan_pdf(client, world, plan):
    client.force_login(world.staff)
    url = reverse("plans:workplan-pdf", kwargs={"code": world.cluster_a.code, "year": 2024})
    assert _verified(client, client.get(url).content).context["report"].draft


def test_an_adopted_charter_pdf_is_not_called_a_draft(client, world, charter):
    CharterVersion.objects.filter(pk=charter.pk).update(
        state=CharterVersion.State.ADOPTED, adopted_on=datetime.date(2024, 1, 5)
    )
    client.force_login(world.staff)
    adopted = client.get(reverse("plans:charterversion-pdf", kwargs={"pk": charter.pk})).content
    assert not _verified(client, adopted).context["report"].draft
