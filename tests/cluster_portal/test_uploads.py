"""The one upload check (``cluster_portal.uploads``): files are recognised by their content,
polyglots are refused, sizes are limited, and stored names are random."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError

from cluster_portal import uploads
from tests.helpers import (
    codes,
    docx_bytes,
    image_bytes,
    jpeg,
    pdf,
    pdf_bytes,
    png,
    upload,
    webp,
)

# A file that starts as a JPEG and goes on as a script, and one that starts as a PDF and
# goes on as a web page: what an attacker uploads to have the portal serve active content.
JPEG_SCRIPT = b"\xff\xd8\xff\xe0" + b"alert(document.cookie);//" * 8
PDF_HTML = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n"


def plain_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


# Recognising files by their content


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: pdf("x.pdf"), uploads.PDF),
        (lambda: jpeg("x.jpg"), uploads.JPEG),
        (lambda: png("x.png"), uploads.PNG),
        (lambda: webp("x.webp"), uploads.WEBP),
        (lambda: upload("x.docx", docx_bytes()), uploads.DOCX),
        (lambda: upload("x.txt", b"just text"), None),
        (lambda: upload("x.gif", image_bytes("GIF")), None),
        (lambda: upload("x.zip", plain_zip_bytes()), None),
        (lambda: upload("payload.js", JPEG_SCRIPT), None),
        (lambda: upload("view.html", PDF_HTML), None),
    ],
    ids=["pdf", "jpeg", "png", "webp", "docx", "text", "gif", "zip", "jpeg-script", "pdf-html"],
)
def test_files_are_recognised_by_their_content(make, expected):
    assert uploads.detect_kind(make()) == expected


@pytest.mark.parametrize(
    "renamed",
    [
        lambda: upload("anh-hoi-nghi.jpg", pdf_bytes(), "image/jpeg"),
        lambda: upload("anh.png", b"<html>not an image</html>", "image/png"),
        lambda: upload("anh.webp", image_bytes("GIF"), "image/webp"),
        lambda: upload("anh.jpg", image_bytes("JPEG")[:40], "image/jpeg"),
    ],
    ids=["pdf-named-jpg", "html-named-png", "gif-named-webp", "truncated-jpeg"],
)
def test_renamed_or_broken_files_are_not_accepted_as_photos(renamed):
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(renamed(), accepted=uploads.PHOTO_KINDS)
    assert codes(error.value) == {"wrong_type"}


@pytest.mark.parametrize(
    ("name", "content"),
    [("payload.js", JPEG_SCRIPT), ("view.html", PDF_HTML)],
    ids=["jpeg-magic-then-script", "pdf-magic-then-html"],
)
def test_a_polyglot_is_refused_as_a_scan(name, content):
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload(name, content), accepted=uploads.SCAN_KINDS)
    assert codes(error.value) == {"wrong_type"}


def test_a_real_image_with_a_wrong_name_is_accepted_for_what_it_is():
    kind = uploads.check_upload(
        upload("bien-ban.pdf", image_bytes("PNG")), accepted=uploads.MINUTES_KINDS
    )
    assert kind == uploads.PNG


def test_the_message_says_what_the_file_really_is():
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload("anh.jpg", pdf_bytes()), accepted=uploads.PHOTO_KINDS)
    assert "PDF" in error.value.messages[0]
    assert "JPEG, PNG hoặc WebP" in error.value.messages[0]  # Vietnamese, the default language


def test_an_oversized_file_is_refused_before_it_is_read(settings):
    settings.MAX_UPLOAD_SIZE = 1000
    big = upload("anh.jpg", image_bytes("JPEG", size=(400, 400)) + b"\0" * 2000)
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(big, accepted=uploads.PHOTO_KINDS)
    assert codes(error.value) == {"too_large"}
    assert "1000" in error.value.messages[0]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload("x.pdf", b""), accepted=uploads.MINUTES_KINDS)
    assert codes(error.value) == {"empty"}


# Storage names


def test_a_prepared_upload_takes_the_extension_of_its_real_kind():
    renamed = upload("passwd.html", image_bytes("PNG"))
    kind, original = uploads.prepare_upload(renamed, accepted=uploads.PHOTO_KINDS)
    assert (kind, original, renamed.name) == (uploads.PNG, "passwd.html", "upload.png")


def test_a_storage_name_is_random_and_keeps_only_a_known_extension():
    first = uploads.private_name("signatures", "upload.pdf")
    second = uploads.private_name("signatures", "upload.pdf")
    assert re.fullmatch(r"signatures/\d{4}/[0-9a-f]{32}\.pdf", first)
    assert first != second
    assert uploads.private_name("signatures", "payload.js").endswith(tuple("0123456789abcdef"))


def test_the_kind_of_a_stored_content_type_is_found_again():
    assert uploads.kind_for_content_type("image/webp") == uploads.WEBP
    assert uploads.kind_for_content_type("text/html") is None
