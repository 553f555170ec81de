"""The one file response (``cluster_portal.http``): the stored type, ``nosniff``, private
caching, inline only for PDFs and raster images, and a download name from the object."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import Http404

from cluster_portal.http import download_name, file_response
from plans.models import Photo
from tests.factories import minimal_pdf


@pytest.fixture
def stored(settings, tmp_path):
    """Store ``content`` under a name and return it as a model field's file."""
    settings.MEDIA_ROOT = tmp_path

    def store(name: str, content: bytes) -> FieldFile:
        saved = default_storage.save(name, ContentFile(content))
        return FieldFile(None, Photo._meta.get_field("image"), saved)

    return store


def test_a_pdf_is_served_inline_with_its_stored_type_and_no_sniffing(stored):
    response = file_response(
        stored("x/a.pdf", minimal_pdf()), content_type="application/pdf", filename="bien-ban.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-cache"
    assert response["Content-Disposition"] == 'inline; filename="bien-ban.pdf"'


def test_the_stored_type_wins_over_the_stored_name(stored):
    response = file_response(
        stored("x/view.html", b"\x89PNG..."), content_type="image/png", filename="anh-1.png"
    )
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "content_type",
    [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/octet-stream",
        "image/svg+xml",
        "text/html",
    ],
)
def test_anything_but_a_pdf_or_raster_image_is_a_download(stored, content_type):
    response = file_response(stored("x/a.bin", b"data"), content_type=content_type, filename="a")
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_missing_file_is_not_found(stored):
    field_file = FieldFile(None, Photo._meta.get_field("image"), "x/gone.pdf")
    with pytest.raises(Http404):
        file_response(field_file, content_type="application/pdf", filename="a.pdf")


def test_a_download_name_is_an_ascii_slug_with_the_stored_extension():
    assert download_name("Biên bản hội nghị Đà Nẵng", "application/pdf") == (
        "bien-ban-hoi-nghi-da-nang.pdf"
    )
    assert download_name("anh-7", "image/jpeg") == "anh-7.jpg"


def test_a_download_name_never_takes_an_extension_the_type_does_not_have():
    assert download_name("passwd.html", "image/png") == "passwdhtml.png"


def test_a_generated_file_is_offered_as_a_download_with_its_type():
    from cluster_portal.http import content_response

    response = content_response(b"a,b\r\n", content_type="text/csv", filename="bang.csv")
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == 'attachment; filename="bang.csv"'
    assert response.content == b"a,b\r\n"


def test_a_generated_pdf_is_shown_in_the_browser():
    from cluster_portal.http import pdf_response

    response = pdf_response(minimal_pdf(), filename="bao-cao.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="bao-cao.pdf"'
