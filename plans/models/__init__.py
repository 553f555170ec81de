"""Charter, work plan and activities, conferences, news, files, calendar feeds and legal
references: one module per concept, all in the ``plans`` app (label, tables and migrations
unchanged). Import models from here: ``from plans.models import Activity``.

Uploaded files (minutes, photos, attachments) are stored under random names and served only
through views that check who asks; nothing here is reachable from a public media URL.
"""

from plans.models.charter import CharterArticle, CharterComment, CharterVersion, _new_key
from plans.models.feeds import FeedToken, _unusable_feed_token_hash, hash_feed_token, new_feed_token
from plans.models.files import Attachment, Photo, attachment_upload_to, photo_upload_to
from plans.models.legal_references import LegalReference, legal_reference_upload_to
from plans.models.news import NewsPost
from plans.models.work_plans import Activity, Attendee, WorkPlan, rolled_up_progress

__all__ = [
    "Activity",
    "Attachment",
    "Attendee",
    "CharterArticle",
    "CharterComment",
    "CharterVersion",
    "FeedToken",
    "LegalReference",
    "NewsPost",
    "Photo",
    "WorkPlan",
    "_new_key",
    "_unusable_feed_token_hash",
    "attachment_upload_to",
    "hash_feed_token",
    "legal_reference_upload_to",
    "new_feed_token",
    "photo_upload_to",
    "rolled_up_progress",
]
