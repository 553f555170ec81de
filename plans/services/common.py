"""Small helpers shared by the plans services."""

from django.core.exceptions import PermissionDenied, ValidationError

from members.models import ClusterYear


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _member_department_ids(cluster_year: ClusterYear) -> set[int]:
    return {m.department_id for m in cluster_year.memberships.all()}
