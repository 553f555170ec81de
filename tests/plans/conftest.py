"""Fixtures for the plans tests: a work plan of ``world.year_a`` and its activities.

``world.year_a`` (2024) has four members: Hà Nội (leader, so ``world.secretariat`` is its
secretariat), Vĩnh Phúc (deputy), Hải Phòng (``world.staff`` and ``world.signatory``) and
Bắc Ninh. Activities hosted by Hải Phòng make staff and signatory "host users".

Uploaded files go to a temporary MEDIA_ROOT for each test. Helpers (``codes``, the file
builders) are plain functions the test modules import from here.
"""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from plans.models import Activity
from tests.factories import ActivityFactory, WorkPlanFactory, minimal_pdf

ROLES = ["secretariat", "signatory", "staff", "outsider", "reviewer", "site_admin"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def plan(world):
    return WorkPlanFactory(cluster_year=world.year_a)


@pytest.fixture
def hosted(world, plan):
    """An activity hosted by Hải Phòng (the department of ``staff`` and ``signatory``)."""
    return ActivityFactory(work_plan=plan, host=world.haiphong, title="Hội thảo tại Hải Phòng")


@pytest.fixture
def conference(world, plan):
    """A conference hosted by Hải Phòng."""
    return ActivityFactory(
        work_plan=plan,
        host=world.haiphong,
        kind=Activity.Kind.CONFERENCE,
        title="Hội nghị sơ kết tại Hải Phòng",
    )


def codes(error: ValidationError) -> set[str]:
    """The codes of every message in ``error``, whether it names fields or not."""
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def image_bytes(image_format: str, size=(8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 61, 128)).save(buffer, format=image_format)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return minimal_pdf()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    """An uploaded file as a browser sends it: the name and type are whatever it claims."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg(name="anh-hoi-nghi.jpg"):
    return upload(name, image_bytes("JPEG"), "image/jpeg")


def png(name="anh.png"):
    return upload(name, image_bytes("PNG"), "image/png")


def webp(name="anh.webp"):
    return upload(name, image_bytes("WEBP"), "image/webp")


def pdf(name="bien-ban.pdf"):
    return upload(name, pdf_bytes(), "application/pdf")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()
