"""Writes for the plans app, one module per concept; import them from here
(``from plans import services``; ``services.activity_create(...)``).

Each service runs in one transaction, checks the actor's permission (``plans.permissions``),
validates, changes the data and records an audit event. Errors are ``PermissionDenied`` (not
allowed) and ``ValidationError`` with a code (bad input or wrong state; nothing changed).
Uploaded files are checked by content before anything is written, so a refused file leaves
no row and no file behind.
"""

from plans.services.charter import (
    charter_article_create,
    charter_article_delete,
    charter_article_update,
    charter_comment_answer,
    charter_comment_create,
    charter_version_adopt,
    charter_version_create,
    charter_version_open,
    charter_version_return_to_draft,
    charter_version_update,
)
from plans.services.feeds import feed_token_create, feed_token_revoke
from plans.services.files import attachment_add, photo_add
from plans.services.legal_references import (
    check_citable,
    legal_reference_create,
    legal_reference_update,
)
from plans.services.membership_guard import membership_guard
from plans.services.news import (
    news_post_create,
    news_post_publish,
    news_post_update,
    news_post_withdraw,
)
from plans.services.work_plans import (
    ACTIVITY_FIELDS,
    HOST_FIELDS,
    activity_create,
    activity_update,
    attendee_add,
    attendee_remove,
    work_plan_copy_to_new_year,
    work_plan_create,
    work_plan_update,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "HOST_FIELDS",
    "activity_create",
    "activity_update",
    "attachment_add",
    "attendee_add",
    "attendee_remove",
    "charter_article_create",
    "charter_article_delete",
    "charter_article_update",
    "charter_comment_answer",
    "charter_comment_create",
    "charter_version_adopt",
    "charter_version_create",
    "charter_version_open",
    "charter_version_return_to_draft",
    "charter_version_update",
    "check_citable",
    "feed_token_create",
    "feed_token_revoke",
    "legal_reference_create",
    "legal_reference_update",
    "membership_guard",
    "news_post_create",
    "news_post_publish",
    "news_post_update",
    "news_post_withdraw",
    "photo_add",
    "work_plan_copy_to_new_year",
    "work_plan_create",
    "work_plan_update",
]
