"""Reads of ballot setup: the year's ballots, one ballot with its candidates and voter
roll, the conferences a ballot may belong to, the charter's voting rules and the published
ranking that pre-fills the candidates.

The detail page's context is built here, and other concepts (voting, counting,
leadership) add to it through ONE hook: ``register_detail_context(func)``, called from
``BallotsConfig.ready()``; each ``func(*, ballot, user) -> dict`` is called once per page.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from ballots.models import Ballot, BallotVoter, Candidate, PaperCount
from members import permissions as member_permissions
from members.models import ClusterYear, Membership
from members.selectors import AttentionItem

# The detail page's context hooks: func(*, ballot, user) -> dict, in registration order.
_detail_context_hooks: list[Callable[..., dict]] = []


def register_detail_context(func: Callable[..., dict]) -> Callable[..., dict]:
    """Add ``func(*, ballot, user) -> dict`` to the ballot detail page's context (once,
    whatever the number of calls). Returns ``func``, so it may be used as a decorator."""
    if func not in _detail_context_hooks:
        _detail_context_hooks.append(func)
    return func


def _memberships() -> Prefetch:
    return Prefetch(
        "cluster_year__memberships",
        queryset=Membership.objects.select_related("department").order_by("sort_key"),
    )


def _ballots() -> QuerySet[Ballot]:
    return Ballot.objects.select_related(
        "conference", "cluster_year__cluster", "runoff_of"
    ).prefetch_related(_memberships())


def ballot_get(*, pk: int) -> Ballot:
    """One ballot with its conference, cluster year, cluster and the year's memberships
    (for the permission predicates). Raises ``Ballot.DoesNotExist``. Who may see it is the
    view's question (``permissions.can_view_ballot``)."""
    return _ballots().get(pk=pk)


def ballot_list_for_year(*, cluster_year: ClusterYear) -> list[Ballot]:
    """The year's ballots, by conference and order of creation, each with
    ``candidate_count`` and ``voter_count`` (one query). The caller checked the year may be
    seen: every ballot of a visible year is visible."""
    ballots = list(
        Ballot.objects.filter(cluster_year=cluster_year)
        .select_related("conference")
        .annotate(
            candidate_count=Count("candidates", distinct=True),
            voter_count=Count("voters", distinct=True),
        )
        .order_by("conference__starts_on", "conference_id", "id")
    )
    for ballot in ballots:
        ballot.cluster_year = cluster_year
    return ballots


def candidate_list(*, ballot: Ballot) -> list[Candidate]:
    """The ballot's candidates in ballot order, with their department (one query)."""
    candidates = list(
        Candidate.objects.filter(ballot=ballot)
        .select_related("membership__department")
        .order_by("position", "id")
    )
    for candidate in candidates:
        candidate.ballot = ballot
    return candidates


def voter_list(*, ballot: Ballot) -> list[Membership]:
    """The voter roll: the member departments that have voted, in the members' order, never
    in the order of voting (which is not stored). Who voted is public to whoever sees the
    ballot; what they chose is nobody's (one query)."""
    return [
        voter.membership
        for voter in BallotVoter.objects.filter(ballot=ballot)
        .select_related("membership__department")
        .order_by("membership__sort_key", "membership_id")
    ]


def ballot_detail_context(*, ballot: Ballot, user) -> dict:
    """The context of the ballot detail page: ``ballot``, ``candidates``, ``voters``,
    ``paper_count`` (paper ballots, or None) and whatever the registered hooks add."""
    context = {
        "ballot": ballot,
        "candidates": candidate_list(ballot=ballot),
        "voters": voter_list(ballot=ballot),
        "paper_count": paper_count_get(ballot=ballot),
    }
    for hook in _detail_context_hooks:
        context.update(hook(ballot=ballot, user=user))
    return context


def paper_count_get(*, ballot: Ballot) -> PaperCount | None:
    """The count committee's figures of a paper ballot, or None (none for electronic
    ballots; one query for paper ones)."""
    if ballot.method != Ballot.Method.PAPER:
        return None
    return PaperCount.objects.select_related("entered_by").filter(ballot=ballot).first()


def conference_choices(*, cluster_year: ClusterYear) -> QuerySet:
    """The year's conferences (meetings of its work plan) not cancelled, latest first (the
    closing conference ends the year): those a ballot may belong to."""
    from plans.models import Activity

    return (
        Activity.objects.filter(
            work_plan__cluster_year=cluster_year, kind__in=Activity.CONFERENCE_KINDS
        )
        .exclude(status=Activity.Status.CANCELLED)
        .order_by("-starts_on", "-id")
    )


@dataclass(frozen=True)
class VotingRules:
    """The voting rules a new ballot starts from: the charter in force, or the model's
    defaults when the cluster has no adopted charter yet."""

    quorum_percent: Decimal
    threshold_percent: Decimal
    threshold_base: str
    blank_policy: str


def voting_rules_for(*, cluster_year: ClusterYear, on: datetime.date | None = None) -> VotingRules:
    """The voting rules of the charter in force on ``on`` (default today) for the year's
    cluster (one query)."""
    from plans.selectors.charter import charter_version_get_in_force, charter_version_list

    charter = charter_version_get_in_force(
        charter_version_list(cluster=cluster_year.cluster), on=on
    )
    if charter is None:
        return VotingRules(
            quorum_percent=Ballot._meta.get_field("quorum_percent").default,
            threshold_percent=Ballot._meta.get_field("threshold_percent").default,
            threshold_base=Ballot.ThresholdBase.MEMBERS,
            blank_policy=Ballot.BlankPolicy.REFUSE,
        )
    return VotingRules(
        quorum_percent=charter.vote_quorum_percent,
        threshold_percent=charter.vote_threshold_percent,
        threshold_base=charter.vote_threshold_base,
        blank_policy=Ballot.BlankPolicy.INVALID
        if charter.vote_blank_invalid
        else Ballot.BlankPolicy.REFUSE,
    )


def published_ranking(*, cluster_year: ClusterYear) -> dict[int, tuple[int, Decimal]]:
    """The year's published results as ``membership id → (rank, total)``; empty while the
    evaluation is not published (one query)."""
    from evaluations.models import Evaluation, Result

    return {
        result.membership_id: (result.rank, result.total)
        for result in Result.objects.filter(
            evaluation__cluster_year=cluster_year,
            evaluation__phase=Evaluation.Phase.PUBLISHED,
        ).only("membership_id", "rank", "total")
    }


def candidate_choices(*, cluster_year: ClusterYear) -> list[tuple[Membership, tuple | None]]:
    """The year's members as possible candidates, ranked first (by rank) when the results
    are published, then the others in the members' order: ``(membership, (rank, total) or
    None)``. Uses the prefetched memberships plus one query."""
    ranking = published_ranking(cluster_year=cluster_year)
    members = list(cluster_year.memberships.all())
    members.sort(key=lambda m: (ranking.get(m.pk, (10**6,))[0], m.sort_key, m.pk))
    return [(m, ranking.get(m.pk)) for m in members]


def ballot_year_links(*, user, cluster_years) -> dict[int, list[AttentionItem]]:
    """Links from years to their ballots: where the year has ballots, or for the
    secretariat where its plan has a closing conference to prepare them for (one query)."""
    from plans.models import Activity

    years = {cy.pk: cy for cy in cluster_years}
    counts = {
        row["pk"]: row
        for row in ClusterYear.objects.filter(pk__in=years)
        .annotate(
            ballot_count=Count("ballots", distinct=True),
            closing_count=Count(
                "work_plan__activities",
                filter=Q(work_plan__activities__kind=Activity.Kind.CLOSING_CONFERENCE),
                distinct=True,
            ),
        )
        .values("pk", "ballot_count", "closing_count")
    }
    links: dict[int, list[AttentionItem]] = {}
    for pk, cluster_year in years.items():
        row = counts.get(pk, {"ballot_count": 0, "closing_count": 0})
        url = reverse(
            "ballots:ballot-list",
            kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year},
        )
        if row["ballot_count"]:
            links[pk] = [
                AttentionItem(
                    _("Ballots of the conference (%(count)s)") % {"count": row["ballot_count"]},
                    url,
                )
            ]
        elif row["closing_count"] and member_permissions.can_manage_cluster_year(
            user, cluster_year
        ):
            links[pk] = [AttentionItem(_("Prepare the ballots of the closing conference"), url)]
    return links
