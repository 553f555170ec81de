"""Writes for files: attachments of activities and photos of activities and news posts.

Uploaded files are checked by content before anything is written, so a refused file leaves
no row and no file behind.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cluster_portal import uploads
from cluster_portal.audit import audit_record
from plans import permissions
from plans.audit import PlanAction
from plans.models import Activity, Attachment, NewsPost, Photo
from plans.services.common import _field_error, _require
from plans.services.work_plans import _plan_with_memberships

# Files


@transaction.atomic
def attachment_add(
    *,
    activity: Activity,
    upload,
    title: str = "",
    purpose: str = Attachment.Purpose.DOCUMENT,
    by,
) -> Attachment:
    """Attach a file to an activity: a document, or the scan of a conference's signed
    minutes (PDF or image only). Whoever may report on the activity.

    The file is checked by its content and size first (``ValidationError`` codes
    ``wrong_type``, ``too_large``, ``empty``); a refused file saves nothing.
    """
    activity.work_plan = _plan_with_memberships(activity.work_plan)
    _require(permissions.can_add_activity_files(by, activity))
    if purpose == Attachment.Purpose.MINUTES:
        if not activity.is_conference:
            raise _field_error(
                "purpose", _("Only conferences have minutes."), "minutes_not_conference"
            )
        accepted = uploads.MINUTES_KINDS
    elif purpose == Attachment.Purpose.DOCUMENT:
        accepted = uploads.DOCUMENT_KINDS
    else:
        raise _field_error("purpose", _("Choose what the file is."), "invalid_choice")
    try:
        kind, original_name = uploads.prepare_upload(upload, accepted=accepted)
    except ValidationError as error:
        raise ValidationError({"file": error}) from error
    attachment = Attachment.objects.create(
        activity=activity,
        purpose=purpose,
        title=title.strip(),
        file=upload,
        original_name=original_name,
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    audit_record(
        actor=by,
        action=PlanAction.ATTACHMENT_ADDED,
        target=activity,
        details={"attachment": attachment.pk, "purpose": purpose, "name": original_name},
    )
    return attachment


@transaction.atomic
def photo_add(
    *,
    upload,
    caption: str = "",
    activity: Activity | None = None,
    news_post: NewsPost | None = None,
    by,
) -> Photo:
    """Add a photo (JPEG, PNG or WebP, checked by content) with its caption to an activity
    (whoever may report on it) or to a news post (whoever may edit it).

    ``ValidationError`` codes ``wrong_type``, ``too_large``, ``empty``; nothing is saved then.
    """
    if (activity is None) == (news_post is None):
        raise ValueError("A photo belongs to exactly one activity or news post.")
    if activity is not None:
        activity.work_plan = _plan_with_memberships(activity.work_plan)
        _require(permissions.can_add_activity_files(by, activity))
    else:
        _require(permissions.can_edit_news_post(by, news_post))
    try:
        kind, original_name = uploads.prepare_upload(upload, accepted=uploads.PHOTO_KINDS)
    except ValidationError as error:
        raise ValidationError({"image": error}) from error
    photo = Photo.objects.create(
        activity=activity,
        news_post=news_post,
        image=upload,
        caption=caption.strip(),
        original_name=original_name,
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    audit_record(
        actor=by,
        action=PlanAction.PHOTO_ADDED,
        target=activity or news_post,
        details={"photo": photo.pk, "name": original_name},
    )
    return photo
