"""Reviewers' to-do: clusters with warnings (a passed signing deadline with members still
unsigned, activities overdue). Registered in ``ReportsConfig.ready`` with
``members.selectors.register_attention_provider``; computed from the data, never stored."""

from collections import Counter

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from agreements.models import Covenant, Signature
from members import permissions as member_permissions
from members.models import ClusterYear
from members.selectors import AttentionItem, register_attention_kind
from plans.models import Activity

WARNING_KIND = register_attention_kind(
    "cluster-warning", gettext_lazy("Clusters with warnings (Ministry reviewers)")
)


def warning_attention_items(*, user, cluster_years) -> dict[int, list[AttentionItem]]:
    """For Ministry reviewers, each year's warnings, linking to the year's report: the
    signing deadline passed while members have not signed; activities that ended but are
    not reported as done. Others get none. Two queries whatever the number of years."""
    by_year = {cy.pk: cy for cy in cluster_years}
    items: dict[int, list[AttentionItem]] = {pk: [] for pk in by_year}
    if not member_permissions.is_reviewer(user) or not by_year:
        return items
    now = timezone.now()
    late = {
        c.pk: c
        for c in Covenant.objects.filter(
            cluster_year_id__in=by_year, state=Covenant.State.OPEN, deadline__lt=now
        )
    }
    signed = Counter(
        Signature.objects.filter(
            covenant_id__in=late, voided_at__isnull=True, status=Signature.Status.SIGNED
        ).values_list("covenant_id", flat=True)
    )
    overdue = Counter(
        Activity.objects.filter(
            work_plan__cluster_year_id__in=[
                pk for pk, cy in by_year.items() if cy.phase != ClusterYear.Phase.CLOSED
            ],
            status__in=[Activity.Status.PLANNED, Activity.Status.IN_PROGRESS],
            ends_on__lt=timezone.localdate(),
        ).values_list("work_plan__cluster_year_id", flat=True)
    )

    def report_url(cluster_year):
        return reverse(
            "reports:clusteryear-report",
            kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year},
        )

    for covenant in late.values():
        cluster_year = by_year[covenant.cluster_year_id]
        missing = len(cluster_year.memberships.all()) - signed[covenant.pk]
        if missing > 0:
            items[cluster_year.pk].append(
                AttentionItem(
                    _("%(cluster)s: signing deadline passed, %(missing)s members have not signed")
                    % {"cluster": cluster_year.cluster.name, "missing": missing},
                    report_url(cluster_year),
                    WARNING_KIND,
                    f"warning-deadline:{covenant.pk}",
                )
            )
    for year_pk, count in overdue.items():
        cluster_year = by_year[year_pk]
        items[year_pk].append(
            AttentionItem(
                ngettext(
                    "%(cluster)s: %(count)s activity overdue",
                    "%(cluster)s: %(count)s activities overdue",
                    count,
                )
                % {"cluster": cluster_year.cluster.name, "count": count},
                report_url(cluster_year),
                WARNING_KIND,
                f"warning-overdue:{year_pk}",
            )
        )
    return items
