"""Admin for site administrators: reading and correcting plans data.

Day-to-day changes go through the portal's pages (and its services, which check rights and
record the audit trail); the admin is the site administrator's tool for exceptions.
"""

from django.contrib import admin

from plans.models import (
    Activity,
    Attachment,
    Attendee,
    CharterArticle,
    CharterComment,
    CharterVersion,
    FeedToken,
    LegalReference,
    NewsPost,
    Photo,
    WorkPlan,
)


@admin.register(LegalReference)
class LegalReferenceAdmin(admin.ModelAdmin):
    list_display = ["kind", "number", "issued_on", "issuer", "cluster"]
    list_filter = ["cluster"]
    list_select_related = ["cluster"]
    search_fields = ["kind", "number", "issuer", "title"]
    raw_id_fields = ["corrects"]


class CharterArticleInline(admin.StackedInline):
    model = CharterArticle
    extra = 0


@admin.register(CharterVersion)
class CharterVersionAdmin(admin.ModelAdmin):
    list_display = ["cluster", "number", "state", "adopted_on", "is_illustrative"]
    list_filter = ["cluster", "state"]
    inlines = [CharterArticleInline]


@admin.register(CharterComment)
class CharterCommentAdmin(admin.ModelAdmin):
    list_display = ["article", "author", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["article__version", "author"]


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ["title", "kind", "host", "starts_on", "ends_on", "status", "progress"]


@admin.register(WorkPlan)
class WorkPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "cluster_year", "number", "issued_on", "is_illustrative"]
    list_select_related = ["cluster_year__cluster"]
    filter_horizontal = ["legal_references"]
    inlines = [ActivityInline]


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "work_plan", "kind", "host", "starts_on", "status", "progress"]
    list_filter = ["kind", "status", "work_plan__cluster_year__cluster"]
    list_select_related = ["work_plan", "host"]
    search_fields = ["title", "venue"]
    inlines = [AttendeeInline]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "activity", "purpose", "content_type", "size"]
    list_select_related = ["activity"]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["original_name", "caption", "activity", "news_post", "content_type"]
    list_select_related = ["activity", "news_post"]


@admin.register(NewsPost)
class NewsPostAdmin(admin.ModelAdmin):
    list_display = ["title", "author_department", "published_on", "status", "is_illustrative"]
    list_filter = ["status"]
    list_select_related = ["author_department"]
    search_fields = ["title", "body"]


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    """Tokens are shown so an admin can revoke a leaked one; only their hash is stored."""

    list_display = ["user", "created_at", "revoked_at"]
    list_select_related = ["user"]
