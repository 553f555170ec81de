"""Uploads: checked by content (not by name), limited in size, refused cleanly, and served
only through permission-checked views, never from a public media URL."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from plans import services
from plans.models import Attachment, LegalReference, Photo
from tests.cluster_portal.test_uploads import JPEG_SCRIPT, PDF_HTML
from tests.helpers import codes, docx_bytes, image_bytes, jpeg, pdf, png, upload, webp

pytestmark = pytest.mark.django_db


def stored_files(media_root) -> list[Path]:
    root = Path(media_root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


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


def test_the_scanned_minutes_keep_their_original_name_to_show_as_text(world, conference):
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
    assert response["Content-Disposition"] == (
        f'attachment; filename="tai-lieu-{attachment.pk}-hoi-thao-tai-hai-phong.docx"'
    )


# Polyglots through every plans upload form (the attack of issue 11)

POLYGLOTS = [("payload.js", JPEG_SCRIPT), ("view.html", PDF_HTML)]
POLYGLOT_IDS = ["jpeg-magic-then-script", "pdf-magic-then-html"]


@pytest.mark.parametrize(("name", "content"), POLYGLOTS, ids=POLYGLOT_IDS)
def test_a_polyglot_photo_is_refused_and_nothing_is_stored(
    client, world, hosted, _private_media, name, content
):
    client.force_login(world.staff)
    response = client.post(photo_url(hosted), {"image": upload(name, content), "caption": "x"})
    assert response.context["form"].has_error("image", code="wrong_type")
    assert (Photo.objects.count(), stored_files(_private_media)) == (0, [])


@pytest.mark.parametrize("purpose", ["minutes", "document"])
@pytest.mark.parametrize(("name", "content"), POLYGLOTS, ids=POLYGLOT_IDS)
def test_a_polyglot_attachment_is_refused_and_nothing_is_stored(
    client, world, conference, _private_media, name, content, purpose
):
    client.force_login(world.staff)
    response = client.post(
        reverse("plans:attachment-add", kwargs={"pk": conference.pk}),
        {"purpose": purpose, "file": upload(name, content)},
    )
    assert response.context["form"].has_error("file", code="wrong_type")
    assert (Attachment.objects.count(), stored_files(_private_media)) == (0, [])


@pytest.mark.parametrize(("name", "content"), POLYGLOTS, ids=POLYGLOT_IDS)
def test_a_polyglot_legal_reference_file_is_refused_and_nothing_is_stored(
    client, world, _private_media, name, content
):
    client.force_login(world.site_admin)
    response = client.post(
        reverse("plans:legalreference-create"),
        {"kind": "Công văn", "number": "9/X", "upload": upload(name, content)},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("upload", code="wrong_type")
    assert (LegalReference.objects.count(), stored_files(_private_media)) == (0, [])


def assert_served_safely(response, content_type, filename):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert response["Content-Disposition"].endswith(f'filename="{filename}"')


def test_an_accepted_photo_is_served_as_stored_under_a_name_from_the_object(client, world, hosted):
    photo = services.photo_add(activity=hosted, upload=png("passwd.html"), by=world.staff)
    client.force_login(world.signatory)
    response = client.get(reverse("plans:photo-file", kwargs={"pk": photo.pk}))
    assert_served_safely(response, "image/png", f"anh-{photo.pk}.png")
    assert "passwd" not in photo.image.name


def test_accepted_minutes_are_served_as_stored_under_the_conference_name(client, world, conference):
    attachment = services.attachment_add(
        activity=conference,
        upload=pdf("view.html"),
        purpose=Attachment.Purpose.MINUTES,
        by=world.staff,
    )
    client.force_login(world.signatory)
    response = client.get(reverse("plans:attachment-file", kwargs={"pk": attachment.pk}))
    assert_served_safely(
        response, "application/pdf", "bien-ban-hoi-nghi-hoi-nghi-so-ket-tai-hai-phong.pdf"
    )
    assert response["Content-Disposition"].startswith("inline;")


def test_an_accepted_legal_reference_file_is_served_as_stored_under_its_citation(
    client, world, _private_media
):
    client.force_login(world.site_admin)
    client.post(
        reverse("plans:legalreference-create"),
        {"kind": "Công văn", "number": "1307/BNV-VP", "upload": jpeg("payload.js")},
    )
    reference = LegalReference.objects.get()
    assert (reference.content_type, reference.file.name.endswith(".jpg")) == ("image/jpeg", True)
    response = client.get(reverse("plans:legalreference-file", kwargs={"pk": reference.pk}))
    assert_served_safely(response, "image/jpeg", "cong-van-1307bnv-vp.jpg")
