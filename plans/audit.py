"""Audit actions of the plans app (charter, work plans, files, news, feeds, legal
references): the one list of their codes and labels.

Registered in ``PlansConfig.ready``; audit pages take their labels from here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanAction(models.TextChoices):
    ACTIVITY_CREATED = "activity.created", _("Activity added")
    ACTIVITY_UPDATED = "activity.updated", _("Activity updated")
    ATTACHMENT_ADDED = "attachment.added", _("File attached")
    ATTENDEE_ADDED = "attendee.added", _("Attendee added")
    ATTENDEE_REMOVED = "attendee.removed", _("Attendee removed")
    CHARTER_ARTICLE_CREATED = "charter_article.created", _("Charter article added")
    CHARTER_ARTICLE_DELETED = "charter_article.deleted", _("Charter article deleted")
    CHARTER_ARTICLE_UPDATED = "charter_article.updated", _("Charter article edited")
    CHARTER_COMMENT_ANSWERED = "charter_comment.answered", _("Comment answered")
    CHARTER_COMMENT_CREATED = "charter_comment.created", _("Comment on the charter")
    CHARTER_VERSION_ADOPTED = "charter_version.adopted", _("Charter adopted")
    CHARTER_VERSION_CREATED = "charter_version.created", _("Charter draft created")
    CHARTER_VERSION_OPENED = "charter_version.opened", _("Charter opened for comments")
    CHARTER_VERSION_RETURNED = "charter_version.returned_to_draft", _("Charter returned to draft")
    CHARTER_VERSION_UPDATED = "charter_version.updated", _("Charter draft edited")
    FEED_TOKEN_CREATED = "feed_token.created", _("Calendar feed created")
    FEED_TOKEN_REVOKED = "feed_token.revoked", _("Calendar feed revoked")
    LEGAL_REFERENCE_CREATED = "legal_reference.created", _("Legal reference added")
    LEGAL_REFERENCE_UPDATED = "legal_reference.updated", _("Legal reference edited")
    NEWS_POST_CREATED = "news_post.created", _("News post written")
    NEWS_POST_PUBLISHED = "news_post.published", _("News post published")
    NEWS_POST_UPDATED = "news_post.updated", _("News post edited")
    NEWS_POST_WITHDRAWN = "news_post.withdrawn", _("News post withdrawn")
    PHOTO_ADDED = "photo.added", _("Photo added")
    WORK_PLAN_CREATED = "work_plan.created", _("Work plan created")
    WORK_PLAN_UPDATED = "work_plan.updated", _("Work plan updated")
