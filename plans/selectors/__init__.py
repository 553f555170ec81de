"""Reads for the plans app, one module per concept, already scoped to what the user may
see; import them from here (``from plans import selectors``).

Every selector loads what its page shows in a fixed number of queries, whatever the number
of activities, articles, comments or photos: related rows come with ``select_related`` and
``prefetch_related``, and the year's memberships (which the permission predicates read)
are prefetched with them.

Naming (every plans selectors module): ``<entity>_get(*, ...)`` returns one row with what
its page needs (raises ``<Model>.DoesNotExist``); ``<entity>_list(*, ...)`` returns rows, a
list or a queryset; a qualifier after the suffix says which or for what
(``activity_list_for_export``, ``feed_token_get_live``). A selector that returns something
other than the entity's rows is named for what it returns (``charter_diff``,
``charter_pdf_context``, ``legal_reference_is_frozen``).
"""

from plans.selectors.calendar import (
    CalendarDay,
    CalendarMonth,
    calendar_department_list,
    calendar_month_get,
    calendar_month_get_default,
)
from plans.selectors.charter import (
    ArticleChange,
    TextPiece,
    charter_article_get,
    charter_article_next_number,
    charter_comment_get,
    charter_diff,
    charter_pdf_context,
    charter_version_get,
    charter_version_get_compared_by_default,
    charter_version_get_for_form,
    charter_version_get_in_force,
    charter_version_list,
    charter_version_list_to_compare,
    text_diff,
)
from plans.selectors.feeds import (
    activity_list_for_cluster_feed,
    activity_list_for_department_feed,
    feed_department_list,
    feed_token_get_live,
    feed_token_get_live_for_user,
)
from plans.selectors.files import attachment_get, photo_get
from plans.selectors.legal_references import (
    legal_reference_get,
    legal_reference_is_frozen,
    legal_reference_list,
    legal_reference_list_citable,
    legal_reference_list_visible,
    legal_reference_owner_list,
    register_legal_reference_freezer,
    work_plan_list_citing,
)
from plans.selectors.news import (
    activity_list_for_news,
    cluster_year_list_for_news,
    department_list_for_news,
    news_post_get,
    news_post_list_drafts,
    news_post_list_published,
)
from plans.selectors.work_plans import (
    activity_get,
    activity_get_for_update,
    activity_list_for_export,
    attendee_get,
    cluster_year_get,
    cluster_year_get_latest,
    cluster_year_list_with_plans,
    conference_list,
    member_department_list,
    plan_attention_items,
    plan_year_links,
    work_plan_get,
    work_plan_pdf_context,
)

__all__ = [
    "ArticleChange",
    "CalendarDay",
    "CalendarMonth",
    "TextPiece",
    "activity_get",
    "activity_get_for_update",
    "activity_list_for_cluster_feed",
    "activity_list_for_department_feed",
    "activity_list_for_export",
    "activity_list_for_news",
    "attachment_get",
    "attendee_get",
    "calendar_department_list",
    "calendar_month_get",
    "calendar_month_get_default",
    "charter_article_get",
    "charter_article_next_number",
    "charter_comment_get",
    "charter_diff",
    "charter_pdf_context",
    "charter_version_get",
    "charter_version_get_compared_by_default",
    "charter_version_get_for_form",
    "charter_version_get_in_force",
    "charter_version_list",
    "charter_version_list_to_compare",
    "cluster_year_get",
    "cluster_year_get_latest",
    "cluster_year_list_for_news",
    "cluster_year_list_with_plans",
    "conference_list",
    "department_list_for_news",
    "feed_department_list",
    "feed_token_get_live",
    "feed_token_get_live_for_user",
    "legal_reference_get",
    "legal_reference_is_frozen",
    "legal_reference_list",
    "legal_reference_list_citable",
    "legal_reference_list_visible",
    "legal_reference_owner_list",
    "member_department_list",
    "news_post_get",
    "news_post_list_drafts",
    "news_post_list_published",
    "photo_get",
    "plan_attention_items",
    "plan_year_links",
    "register_legal_reference_freezer",
    "text_diff",
    "work_plan_get",
    "work_plan_list_citing",
    "work_plan_pdf_context",
]
