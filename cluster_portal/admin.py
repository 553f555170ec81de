from django.contrib import admin

from cluster_portal.audit import AdminAction, RequestMeta, audit_record
from cluster_portal.models import AuditEvent


class AuditedAdminMixin:
    """Record every add, change and delete made in the administration in the audit trail
    (put it before ``ModelAdmin``), inline objects included, with the administrator and
    the client address. Django's own admin log is kept as well."""

    def _audit(self, request, action, obj, details=None):
        audit_record(
            actor=request.user,
            action=action,
            target=obj,
            details=details or {},
            meta=RequestMeta.from_request(request),
        )

    def log_addition(self, request, obj, message):
        self._audit(request, AdminAction.ADDED, obj, {"changes": message})
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, AdminAction.CHANGED, obj, {"changes": message})
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, AdminAction.DELETED, obj)
        return super().log_deletions(request, queryset)

    def save_formset(self, request, form, formset, change):
        # Deleted inline objects lose their primary key when deleted: note them first.
        doomed = [f.instance for f in formset.deleted_forms if f.instance.pk is not None]
        for obj in doomed:
            self._audit(request, AdminAction.DELETED, obj, {"inline_of": str(form.instance)})
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self._audit(request, AdminAction.ADDED, obj, {"inline_of": str(form.instance)})
        for obj, fields in formset.changed_objects:
            self._audit(
                request,
                AdminAction.CHANGED,
                obj,
                {"inline_of": str(form.instance), "changes": [{"changed": {"fields": fields}}]},
            )


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
