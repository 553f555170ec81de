from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from cluster_portal.admin import AuditedAdminMixin
from members.models import Cluster, ClusterYear, Department, Membership, User


@admin.register(Cluster)
class ClusterAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "is_illustrative"]
    search_fields = ["code", "name"]
    filter_horizontal = ["paper_recorders"]


@admin.register(Department)
class DepartmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["full_name", "province", "valid_from", "valid_to", "successor"]
    list_filter = ["valid_to"]
    search_fields = ["full_name", "short_name", "province", "code"]
    autocomplete_fields = ["successor"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(ClusterYear)
class ClusterYearAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["cluster", "year", "phase", "is_illustrative"]
    list_filter = ["cluster", "phase"]
    inlines = [MembershipInline]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "department", "role", "is_active"]
    list_filter = ["role", "is_active", "is_superuser", "department"]
    list_select_related = ["department"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Portal"), {"fields": ["department", "role", "position", "administered_clusters"]}),
    ]
    filter_horizontal = ["groups", "user_permissions", "administered_clusters"]


# Groups carry permissions: their edits are recorded like the others.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, BaseGroupAdmin):
    pass
