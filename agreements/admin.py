from django.contrib import admin

from agreements.models import Commitment, Covenant, CovenantVersion, Signature


class ReadOnlyAdmin(admin.ModelAdmin):
    """Covenant records change only through the portal's services (which audit them)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Covenant)
class CovenantAdmin(ReadOnlyAdmin):
    list_display = ["title", "cluster_year", "state", "version", "deadline"]
    list_filter = ["state"]
    inlines = [CommitmentInline]


@admin.register(CovenantVersion)
class CovenantVersionAdmin(ReadOnlyAdmin):
    list_display = ["covenant", "number", "sha256", "created_at", "voided_at"]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["covenant", "department_name", "status", "method", "signed_at", "voided_at"]
    list_filter = ["status", "method"]
