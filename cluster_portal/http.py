"""File responses of the portal: stored files, generated files and generated PDFs.

A stored file is served with the content type stored beside it (found from its content at
upload, see ``cluster_portal.uploads``), never one guessed from a name; the browser is told
not to guess either (``nosniff``), not to keep it in shared caches, and to download it
unless it is a PDF or a raster image that pages show. The download name comes from the
object and the stored type, never from what the uploader called the file.
"""

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from cluster_portal import uploads

# Shown in the browser; everything else is offered as a download.
INLINE_CONTENT_TYPES = frozenset(
    kind.content_type for kind in (uploads.PDF, uploads.JPEG, uploads.PNG, uploads.WEBP)
)


def download_name(stem: str, content_type: str) -> str:
    """``stem`` as an ASCII slug plus the extension of ``content_type``.

    ``download_name("Biên bản hội nghị Đà Nẵng", "application/pdf")`` gives
    ``bien-ban-hoi-nghi-da-nang.pdf``.
    """
    slug = slugify(stem.replace("đ", "d").replace("Đ", "D")) or "tep"
    kind = uploads.kind_for_content_type(content_type)
    return f"{slug[:100]}{kind.extension if kind else ''}"


def file_response(field_file, *, content_type: str, filename: str) -> FileResponse:
    """Stream a stored file to someone the view already allowed, as its stored type.

    ``filename`` is the download name (see ``download_name``). Raises ``Http404`` when the
    file is missing from storage.
    """
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    inline = content_type in INLINE_CONTENT_TYPES
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


def content_response(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """A file generated for this request (CSV, workbook, calendar), offered as a download."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def pdf_response(content: bytes, *, filename: str) -> HttpResponse:
    """A PDF generated for this request (a draft, a report), shown in the browser."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response
