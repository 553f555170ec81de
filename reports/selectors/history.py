"""The histories of a cluster and of a department across the years."""

from dataclasses import dataclass

from django.utils import timezone

from agreements.models import Signature
from members.models import Cluster, Department, Membership
from members.selectors import (
    MembershipRow,
    cluster_years_visible_to,
    department_record,
    membership_table,
)
from reports.selectors.common import (
    YearFigures,
    _figures,
    _signature_counts,
    _years_with_everything,
)


@dataclass
class ClusterHistory:
    cluster: Cluster
    years: list[YearFigures]
    rows: list[MembershipRow]


def cluster_history(*, cluster: Cluster, user=None, today=None) -> ClusterHistory:
    """A cluster's years, oldest first: leaders, deputies, members, covenant and plan, and
    the departments × years membership table. Given a ``user``, only the years they may
    read. Five queries."""
    today = today or timezone.localdate()
    years = _years_with_everything().filter(cluster=cluster)
    if user is not None:
        years = years.filter(pk__in=cluster_years_visible_to(user=user))
    years = list(years.order_by("year"))
    counts = _signature_counts([cy.pk for cy in years])
    return ClusterHistory(
        cluster=cluster,
        years=[_figures(cy, counts, today) for cy in years],
        rows=membership_table(years=years),
    )


@dataclass
class DepartmentYear:
    membership: Membership
    signature: Signature | None


def department_history(*, department: Department, user) -> list[DepartmentYear]:
    """A department's memberships across years in the years the user reads, newest first,
    with its response to each year's covenant. Two queries."""
    record = department_record(department=department, user=user)
    signatures = {
        s.covenant.cluster_year_id: s
        for s in Signature.objects.filter(
            department=department,
            voided_at=None,
            covenant__cluster_year_id__in=[m.cluster_year_id for m in record],
        ).select_related("covenant")
    }
    return [DepartmentYear(m, signatures.get(m.cluster_year_id)) for m in record]


def department_get(*, code: str) -> Department:
    """The department with its successor and predecessors; raises DoesNotExist."""
    return (
        Department.objects.select_related("successor")
        .prefetch_related("predecessors")
        .get(code=code)
    )
