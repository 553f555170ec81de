from django.contrib import admin

from cluster_portal.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only, for site admins as for everyone."""

    list_display = ["created_at", "actor", "action", "target_repr"]
    list_filter = ["action"]
    search_fields = ["target_repr", "action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
