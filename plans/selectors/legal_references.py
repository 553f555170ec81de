"""Reads for legal references, and the hook by which other apps freeze one.

Naming (every plans selectors module): ``<entity>_get(*, ...)`` returns one row with what
its page needs (raises ``<Model>.DoesNotExist``); ``<entity>_list(*, ...)`` returns rows, a
list or a queryset; a qualifier after the suffix says which or for what
(``activity_list_for_export``, ``feed_token_get_live``). A selector that returns something
other than the entity's rows is named for what it returns (``charter_diff``,
``charter_pdf_context``, ``legal_reference_is_frozen``).
"""

from django.db.models import Q, QuerySet

from members import permissions as members_permissions
from members.models import Cluster, ClusterYear
from members.selectors import cluster_years_visible_to, clusters_visible_to
from plans.models import LegalReference, WorkPlan

# Legal references


def legal_reference_list() -> QuerySet[LegalReference]:
    """Every legal reference, newest first (unscoped: for admin-level code only)."""
    return LegalReference.objects.select_related("cluster")


def legal_reference_list_visible(*, user) -> QuerySet[LegalReference]:
    """The references the user may read, newest first: the site-wide ones and those of the
    clusters they see (every one for reviewers and site admins)."""
    references = legal_reference_list()
    if members_permissions.is_site_admin(user) or members_permissions.is_reviewer(user):
        return references
    return references.filter(
        Q(cluster__isnull=True) | Q(cluster__in=clusters_visible_to(user=user))
    )


def legal_reference_list_citable(*, cluster: Cluster) -> QuerySet[LegalReference]:
    """What a cluster's plans and covenants may cite: its own references and the site-wide
    ones (``permissions.can_cite_legal_reference`` as a query)."""
    return legal_reference_list().filter(Q(cluster__isnull=True) | Q(cluster=cluster))


def legal_reference_owner_list(*, user) -> QuerySet[Cluster]:
    """The clusters for which the user may add references (every one for site admins)."""
    if members_permissions.is_site_admin(user):
        return Cluster.objects.order_by("name")
    from plans.permissions import legal_reference_clusters

    return Cluster.objects.filter(pk__in=legal_reference_clusters(user)).order_by("name")


def work_plan_list_citing(*, reference: LegalReference, user) -> list[WorkPlan]:
    """The work plans citing ``reference`` that the user may read (never another cluster's
    plan titles), with their cluster."""
    return list(
        reference.work_plans.filter(cluster_year__in=cluster_years_visible_to(user=user))
        .select_related("cluster_year__cluster")
        .order_by("-cluster_year__year", "cluster_year__cluster__name")
    )


# Other apps say whether what they hold freezes a reference (agreements: a covenant version
# opened for signing quotes it): ``register_legal_reference_freezer(func)`` in their
# AppConfig.ready(); ``func(reference)`` returns a bool in one query.
_legal_reference_freezers = []


def register_legal_reference_freezer(freezer):
    if freezer not in _legal_reference_freezers:
        _legal_reference_freezers.append(freezer)
    return freezer


def legal_reference_is_frozen(*, reference: LegalReference) -> bool:
    """Whether ``reference`` may no longer change: a closed year's plan cites it, or another
    app froze it (a covenant version opened for signing). A correction is then a new
    reference. One query per app."""
    if reference.pk is None:
        return False
    if reference.work_plans.filter(cluster_year__phase=ClusterYear.Phase.CLOSED).exists():
        return True
    return any(freezer(reference) for freezer in _legal_reference_freezers)


def legal_reference_get(*, pk: int) -> LegalReference:
    """A legal reference with its cluster; raises LegalReference.DoesNotExist. Who may
    read it is the caller's permission check (``can_view_legal_reference``)."""
    return legal_reference_list().get(pk=pk)
