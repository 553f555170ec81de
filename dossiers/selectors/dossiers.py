"""Reads of the award dossier: a year's versions, one dossier with its documents and
proposals, whether its issue is being prepared, and what its generated documents show.

Every function is scoped by the caller's permission checks (``dossiers.permissions``); the
pages cost a fixed number of queries whatever the number of documents and proposals.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ballots.models import Ballot, VoteRecord
from dossiers import permissions
from dossiers.models import Dossier, DossierDocument, Proposal
from evaluations.models import Evaluation
from members import permissions as member_permissions
from members.models import ClusterYear
from members.selectors import AttentionItem
from plans.models import Activity

# The path the queue table records for the assembling task (``dossiers.tasks``).
ASSEMBLE_TASK_PATH = "dossiers.tasks.dossier_assemble"


def dossier_list_for_year(*, cluster_year: ClusterYear, user) -> list[Dossier]:
    """The versions of the year's dossier that ``user`` may see, newest first (one query):
    a draft only for the secretariat and admins (``permissions.can_view_dossier``)."""
    dossiers = list(
        Dossier.objects.filter(cluster_year=cluster_year)
        .select_related("issued_by", "sent_by", "returned_by")
        .order_by("-version")
    )
    for dossier in dossiers:
        dossier.cluster_year = cluster_year
    return [d for d in dossiers if permissions.can_view_dossier(user, d)]


def dossier_get(*, pk: int) -> Dossier:
    """One dossier with its cluster year, cluster and the year's memberships (the leader,
    for the secretariat's permission), in two queries. Raises ``Dossier.DoesNotExist``."""
    return (
        Dossier.objects.select_related(
            "cluster_year__cluster",
            "issued_by",
            "sent_by",
            "returned_by",
            "previous",
            "next_version",
        )
        .prefetch_related("cluster_year__memberships__department")
        .get(pk=pk)
    )


def dossier_next_version(*, dossier: Dossier) -> Dossier | None:
    """The version that replaced this returned one, or None (loaded by ``dossier_get``)."""
    try:
        return dossier.next_version
    except Dossier.DoesNotExist:
        return None


def dossier_documents(*, dossier: Dossier) -> list[DossierDocument]:
    """The dossier's files in their order (one query)."""
    return list(dossier.documents.select_related("added_by").order_by("position", "id"))


def dossier_proposals(*, dossier: Dossier) -> list[Proposal]:
    """The dossier's proposals with their member and the Ministry's decision (one query)."""
    return list(
        dossier.proposals.select_related("membership", "ballot", "decision").order_by(
            "award", "rank", "id"
        )
    )


def dossier_being_prepared(*, dossier: Dossier) -> bool:
    """A draft whose issue is queued or running (the page says "being prepared…")."""
    if dossier.state != Dossier.State.DRAFT:
        return False
    return DBTaskResult.objects.filter(
        task_path=ASSEMBLE_TASK_PATH,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        args_kwargs__kwargs__dossier_id=dossier.pk,
    ).exists()


def closing_conference_for(*, cluster_year: ClusterYear) -> Activity | None:
    """The year's closing conference (the latest, if the plan has several), with its
    attendees; None when the plan has none."""
    return (
        Activity.objects.filter(
            work_plan__cluster_year=cluster_year, kind=Activity.Kind.CLOSING_CONFERENCE
        )
        .prefetch_related("attendees__department")
        .order_by("-starts_on", "-id")
        .first()
    )


def counted_ballots_for(*, cluster_year: ClusterYear) -> list[Ballot]:
    """The year's counted ballots with their candidates (two queries), in their order."""
    return list(
        Ballot.objects.filter(cluster_year=cluster_year, state=Ballot.State.COUNTED)
        .prefetch_related("candidates__membership")
        .order_by("conference__starts_on", "id")
    )


def vote_records_for(*, cluster_year: ClusterYear) -> list[VoteRecord]:
    """The vote records (Biên bản kiểm phiếu) of the year's counted ballots (one query)."""
    return list(
        VoteRecord.objects.filter(
            ballot__cluster_year=cluster_year, ballot__state=Ballot.State.COUNTED
        )
        .select_related("ballot")
        .order_by("ballot__conference__starts_on", "ballot_id")
    )


def published_evaluation_for(*, cluster_year: ClusterYear) -> Evaluation | None:
    """The year's evaluation once its results are published, else None (one query)."""
    return (
        Evaluation.objects.select_related("cluster_year__cluster")
        .filter(cluster_year=cluster_year, phase=Evaluation.Phase.PUBLISHED)
        .first()
    )


def dossier_year_links(*, user, cluster_years) -> dict[int, list[AttentionItem]]:
    """Links from years to their award dossier for whoever sees one, and to the dossier
    page for the secretariat of a year that has none yet (one query)."""
    states = {}
    for cluster_year_id, state in (
        Dossier.objects.filter(cluster_year__in=[cy.pk for cy in cluster_years])
        .order_by("cluster_year_id", "version")
        .values_list("cluster_year_id", "state")
    ):
        states[cluster_year_id] = state  # the latest version's state
    links: dict[int, list[AttentionItem]] = {}
    for cluster_year in cluster_years:
        url = reverse(
            "dossiers:dossier-list",
            kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year},
        )
        state = states.get(cluster_year.pk)
        manages = member_permissions.can_manage_cluster_year(user, cluster_year)
        if state is None or (state == Dossier.State.DRAFT and not manages):
            if manages and state is None:
                links[cluster_year.pk] = [AttentionItem(_("Award dossier (not started)"), url)]
            continue
        links[cluster_year.pk] = [
            AttentionItem(
                _("Award dossier (%(state)s)") % {"state": Dossier.State(state).label}, url
            )
        ]
    return links
