"""The one upload check of the portal: files are known by what they contain, never by name.

A renamed file (``photo.jpg`` that is really a PDF, ``minutes.pdf`` that is a text file) is
recognised for what it is, and a polyglot (JPEG magic bytes followed by a script, ``%PDF-``
followed by HTML) is refused: images must decode and PDFs must parse. Forms call
``check_upload`` to show a clear message on the field; services call ``prepare_upload``
again before anything is saved, so a refused file leaves no trace. Every stored file gets a
random name with the extension of the kind found (``private_name``), and its content type
is stored beside it, so it is served as what it is (``cluster_portal.http``).
"""

import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader


@dataclass(frozen=True)
class FileKind:
    """A kind of file the portal accepts: how to store it and how to serve it."""

    name: str
    extension: str
    content_type: str


PDF = FileKind("PDF", ".pdf", "application/pdf")
JPEG = FileKind("JPEG", ".jpg", "image/jpeg")
PNG = FileKind("PNG", ".png", "image/png")
WEBP = FileKind("WebP", ".webp", "image/webp")
DOCX = FileKind(
    "Word (.docx)",
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = FileKind(
    "Excel (.xlsx)", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

IMAGES = (JPEG, PNG, WEBP)
PHOTO_KINDS = IMAGES
MINUTES_KINDS = (PDF, *IMAGES)
SCAN_KINDS = MINUTES_KINDS  # the scan of a paper original: a PDF or an image
DOCUMENT_KINDS = (PDF, *IMAGES, DOCX, XLSX)
ALL_KINDS = DOCUMENT_KINDS

_PILLOW_FORMATS = {"JPEG": JPEG, "PNG": PNG, "WEBP": WEBP}

# What each accepted set is called in messages.
KIND_LABELS = {
    PHOTO_KINDS: gettext_lazy("a JPEG, PNG or WebP image"),
    MINUTES_KINDS: gettext_lazy("a PDF file or a JPEG, PNG or WebP image"),
    DOCUMENT_KINDS: gettext_lazy(
        "a PDF file, a JPEG, PNG or WebP image, or a Word or Excel document (.docx, .xlsx)"
    ),
}


def max_upload_size() -> int:
    return settings.MAX_UPLOAD_SIZE


def _read_head(upload, size: int = 8) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _image_kind(upload) -> FileKind | None:
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            found = _PILLOW_FORMATS.get(image.format or "")
            image.verify()  # reads the whole image: a truncated or corrupt file fails here
    except Exception:  # Pillow raises many kinds of errors for files that are not images
        return None
    finally:
        upload.seek(0)
    return found


def _pdf_kind(upload) -> FileKind | None:
    """A PDF only if a PDF reader can find its catalogue: ``%PDF-`` and HTML is not one."""
    try:
        upload.seek(0)
        reader = PdfFileReader(io.BytesIO(upload.read()), strict=False)
        found = PDF if reader.root.get("/Type") == "/Catalog" else None
    except Exception:  # the PDF parser raises many kinds of errors for files that are not PDFs
        return None
    finally:
        upload.seek(0)
    return found


def _office_kind(upload) -> FileKind | None:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def detect_kind(upload) -> FileKind | None:
    """What the file really is, from its content; None if it is nothing we accept."""
    head = _read_head(upload)
    if head.startswith(b"%PDF-"):
        return _pdf_kind(upload)
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    return _image_kind(upload)


def check_upload(upload, *, accepted: tuple[FileKind, ...]) -> FileKind:
    """Return the kind of ``upload`` if it is one of ``accepted`` and not too large.

    Raises ``ValidationError`` with code ``empty``, ``too_large`` or ``wrong_type``.
    """
    limit = max_upload_size()
    if upload is None or not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    kind = detect_kind(upload)
    if kind not in accepted:
        expected = KIND_LABELS.get(accepted) or ", ".join(k.name for k in accepted)
        if kind is None:
            message = _(
                "This file is not %(expected)s. Files are checked by their content, "
                "so renaming a file does not change what it is."
            ) % {"expected": expected}
        else:
            message = _(
                "This file is a %(found)s file, not %(expected)s. Files are checked by "
                "their content, so renaming a file does not change what it is."
            ) % {"found": kind.name, "expected": expected}
        raise ValidationError(message, code="wrong_type")
    return kind


def kind_for_content_type(content_type: str) -> FileKind | None:
    """The accepted kind stored as ``content_type``; None for anything else."""
    return next((kind for kind in ALL_KINDS if kind.content_type == content_type), None)


def private_name(folder: str, filename: str) -> str:
    """A random, unguessable storage name keeping only the extension ``prepare_upload`` set.

    Uploads are never served from MEDIA_URL; the random name is a second line of defence,
    and the uploader's name never reaches the storage.
    """
    suffix = Path(filename).suffix.lower()
    if suffix not in {kind.extension for kind in ALL_KINDS}:
        suffix = ""
    return f"{folder}/{timezone.localdate():%Y}/{uuid.uuid4().hex}{suffix}"


def prepare_upload(upload, *, accepted: tuple[FileKind, ...]) -> tuple[FileKind, str]:
    """Check ``upload`` (``check_upload``) and rename it to the extension of its real kind.

    Returns the kind and the uploader's file name (to show as text only, never to store or
    serve under). Raises ``ValidationError`` like ``check_upload``.
    """
    kind = check_upload(upload, accepted=accepted)
    original_name = Path(upload.name or "").name[:255] or f"file{kind.extension}"
    upload.name = f"upload{kind.extension}"
    return kind, original_name
