"""Reads for files: attachments of activities and photos of activities and news posts.

Naming (every plans selectors module): ``<entity>_get(*, ...)`` returns one row with what
its page needs (raises ``<Model>.DoesNotExist``); ``<entity>_list(*, ...)`` returns rows, a
list or a queryset; a qualifier after the suffix says which or for what
(``activity_list_for_export``, ``feed_token_get_live``). A selector that returns something
other than the entity's rows is named for what it returns (``charter_diff``,
``charter_pdf_context``, ``legal_reference_is_frozen``).
"""

from plans.models import Attachment, Photo


def attachment_get(*, pk: int) -> Attachment:
    """An attachment with its activity, plan and year, for the permission check."""
    return Attachment.objects.select_related("activity__work_plan__cluster_year__cluster").get(
        pk=pk
    )


def photo_get(*, pk: int) -> Photo:
    """A photo with its activity (and year) or news post, for the permission check."""
    return Photo.objects.select_related(
        "activity__work_plan__cluster_year__cluster",
        "news_post__cluster_year__cluster",
    ).get(pk=pk)
