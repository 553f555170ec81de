"""Uploads: checked by content (not by name), limited in size, refused cleanly, and served
only through permission-checked views, never from a public media URL."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from plans import services, uploads
from plans.models import Attachment, Photo
from tests.plans.conftest import codes, image_bytes, jpeg, pdf, pdf_bytes, png, upload, webp

pytestmark = pytest.mark.django_db


def stored_files(media_root) -> list[Path]:
    root = Path(media_root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


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
    ],
    ids=["pdf", "jpeg", "png", "webp", "docx", "text", "gif", "zip"],
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


# Services: nothing is saved on refusal


def test_a_refused_photo_saves_no_row_and_no_file(world, hosted, _private_media):
    with pytest.raises(ValidationError) as error:
        services.photo_add(activity=hosted, upload=pdf("anh.jpg"), by=world.staff)
    assert set(error.value.error_dict) == {"image"}
    assert (Photo.objects.count(), stored_files(_private_media)) == (0, [])


def test_an_oversized_attachment_saves_nothing(world, hosted, settings, _private_media):
    settings.MAX_UPLOAD_SIZE = 50
    with pytest.raises(ValidationError):
        services.attachment_add(activity=hosted, upload=pdf(), by=world.staff)
    assert (Attachment.objects.count(), stored_files(_private_media)) == (0, [])


def test_minutes_are_a_pdf_or_an_image_not_a_word_document(world, conference):
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            activity=conference,
            upload=upload("bien-ban.docx", docx_bytes()),
            purpose=Attachment.Purpose.MINUTES,
            by=world.staff,
        )
    assert codes(error.value) == {"wrong_type"}


def test_minutes_belong_to_conferences_only(world, hosted):
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            activity=hosted, upload=pdf(), purpose=Attachment.Purpose.MINUTES, by=world.staff
        )
    assert codes(error.value) == {"minutes_not_conference"}


@pytest.mark.parametrize("make", [jpeg, png, webp], ids=["jpeg", "png", "webp"])
def test_a_photo_is_stored_under_a_random_name_with_its_real_type(world, hosted, make):
    photo = services.photo_add(activity=hosted, upload=make(), caption="Quang cảnh", by=world.staff)
    assert photo.content_type in {"image/jpeg", "image/png", "image/webp"}
    assert Path(photo.image.name).suffix in {".jpg", ".png", ".webp"}
    assert "anh" not in photo.image.name


def test_the_scanned_minutes_keep_their_original_name_for_download(world, conference):
    attachment = services.attachment_add(
        activity=conference,
        upload=pdf("Biên bản hội nghị.pdf"),
        purpose=Attachment.Purpose.MINUTES,
        by=world.staff,
    )
    assert (attachment.original_name, attachment.content_type) == (
        "Biên bản hội nghị.pdf",
        "application/pdf",
    )


# Forms and pages


def photo_url(activity):
    return reverse("plans:activity-photo-add", kwargs={"pk": activity.pk})


def test_the_photo_form_shows_a_clear_message_for_a_renamed_pdf(client, world, hosted):
    client.force_login(world.staff)
    response = client.post(photo_url(hosted), {"image": pdf("anh-hoi-nghi.jpg"), "caption": "x"})
    assert response.status_code == 200
    assert response.context["form"].has_error("image", code="wrong_type")
    assert escape(response.context["form"].errors["image"][0]) in response.text
    assert not Photo.objects.exists()


def test_the_photo_form_refuses_an_oversized_file(client, world, hosted, settings):
    settings.MAX_UPLOAD_SIZE = 100
    client.force_login(world.staff)
    response = client.post(photo_url(hosted), {"image": jpeg(), "caption": ""})
    assert response.context["form"].has_error("image", code="too_large")
    assert not Photo.objects.exists()


def test_the_minutes_form_refuses_a_text_file_renamed_to_pdf(client, world, conference):
    client.force_login(world.staff)
    response = client.post(
        reverse("plans:attachment-add", kwargs={"pk": conference.pk}),
        {"purpose": "minutes", "file": upload("bien-ban.pdf", b"Bien ban hoi nghi")},
    )
    assert response.context["form"].has_error("file", code="wrong_type")
    assert not Attachment.objects.exists()


def test_an_uploaded_photo_is_served_to_members_with_its_type(client, world, hosted):
    photo = services.photo_add(activity=hosted, upload=png(), by=world.staff)
    client.force_login(world.signatory)
    response = client.get(reverse("plans:photo-file", kwargs={"pk": photo.pk}))
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert b"".join(response.streaming_content) == image_bytes("PNG")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_uploaded_file_is_refused_to_another_cluster(client, world, hosted):
    attachment = services.attachment_add(activity=hosted, upload=pdf(), by=world.staff)
    client.force_login(world.outsider)
    response = client.get(reverse("plans:attachment-file", kwargs={"pk": attachment.pk}))
    assert response.status_code == 404


def test_an_uploaded_file_is_refused_to_anonymous_visitors(client, world, hosted):
    attachment = services.attachment_add(activity=hosted, upload=pdf(), by=world.staff)
    response = client.get(reverse("plans:attachment-file", kwargs={"pk": attachment.pk}))
    assert response.status_code == 302


def test_no_public_media_url_serves_the_stored_file(client, world, hosted, settings):
    attachment = services.attachment_add(activity=hosted, upload=pdf(), by=world.staff)
    client.force_login(world.site_admin)
    response = client.get(f"/{settings.MEDIA_URL}{attachment.file.name}")
    assert response.status_code == 404


def test_a_word_document_is_offered_as_a_download(client, world, hosted):
    attachment = services.attachment_add(
        activity=hosted, upload=upload("ke-hoach.docx", docx_bytes()), by=world.staff
    )
    client.force_login(world.staff)
    response = client.get(reverse("plans:attachment-file", kwargs={"pk": attachment.pk}))
    assert response["Content-Disposition"].startswith("attachment;")
    assert "ke-hoach.docx" in response["Content-Disposition"]
