"""The Ministry's side: every cluster's dossier and proposals for a year in one table, and
the 20% cap on Government flags (guidance 5007/BNV-TĐKT) counted across clusters.

For reviewers and site admins (``permissions.can_view_ministry_table``). Every selector
here costs a fixed number of queries, whatever the number of clusters and proposals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Prefetch, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _

from dossiers import permissions
from dossiers.models import AwardDecision, Dossier, Proposal
from members.models import ClusterYear

# Guidance 5007/BNV-TĐKT (2023): the units proposed for the Government's emulation flag
# are at most this share of the units that lead their clusters, counted across clusters.
GOVERNMENT_FLAG_CAP_PERCENT = 20

AWARD_ORDER = [
    Proposal.Award.GOVERNMENT_FLAG,
    Proposal.Award.MINISTRY_FLAG,
    Proposal.Award.MINISTER_MERIT,
]


def government_flag_cap(leading_units: int, percent: int = GOVERNMENT_FLAG_CAP_PERCENT) -> int:
    """How many units may be proposed for the Government's flag: ``percent`` of the
    leading units, rounded down ("không quá 20%": 11 leading units give 2.2, so 2)."""
    return max(leading_units, 0) * percent // 100


@dataclass(frozen=True)
class GovernmentFlagCount:
    """The 20% rule as numbers: one leading unit per cluster in the year, the cap, the
    units the clusters proposed (in the dossiers sent) and those the Ministry's council
    passed on to the Government."""

    leading_units: int
    proposed: int
    forwarded: int
    percent: int = GOVERNMENT_FLAG_CAP_PERCENT

    @property
    def cap(self) -> int:
        return government_flag_cap(self.leading_units, self.percent)

    @property
    def proposed_over_cap(self) -> bool:
        return self.proposed > self.cap

    @property
    def forwarded_over_cap(self) -> bool:
        return self.forwarded > self.cap

    @property
    def places_left(self) -> int:
        """Government flags the council may still pass on within the cap (never negative)."""
        return max(self.cap - self.forwarded, 0)


@dataclass
class MinistryRow:
    """One cluster in the year: its newest dossier (None when there is none yet) and,
    when the user may see that dossier's contents, its proposals with their decisions."""

    cluster_year: ClusterYear
    dossier: Dossier | None
    proposals: list[Proposal] = field(default_factory=list)
    contents_visible: bool = False
    leading_units: list[str] = field(default_factory=list)

    @property
    def cluster(self):
        return self.cluster_year.cluster


@dataclass
class MinistryYear:
    year: int
    years: list[int]
    rows: list[MinistryRow]
    count: GovernmentFlagCount

    @property
    def decided(self) -> int:
        return sum(
            1 for row in self.rows for p in row.proposals if getattr(p, "decision_or_none", None)
        )

    @property
    def proposals(self) -> int:
        return sum(len(row.proposals) for row in self.rows)


def _decision(proposal: Proposal) -> AwardDecision | None:
    try:
        return proposal.decision
    except AwardDecision.DoesNotExist:
        return None


def ministry_year_table(*, year: int, user) -> MinistryYear:
    """Every cluster with a year ``year``, ordered by name, with its newest dossier and,
    where ``user`` may read it (issued, sent or returned: ``can_view_dossier``), the
    proposals with rank, total, vote share and the council's decision; clusters without a
    dossier have ``dossier`` None. Also the Government-flag count against the 20% cap.

    Only for reviewers and site admins: anyone else gets an empty table (the view answers
    404 before calling this). Five queries.
    """
    years = list(ClusterYear.objects.order_by("-year").values_list("year", flat=True).distinct())
    if not permissions.can_view_ministry_table(user):
        return MinistryYear(year=year, years=years, rows=[], count=GovernmentFlagCount(0, 0, 0))
    cluster_years = list(
        ClusterYear.objects.filter(year=year).select_related("cluster").order_by("cluster__name")
    )
    # Highest award first (Government, Ministry flag, certificate of merit), then by rank.
    award_order = Case(
        *[When(award=award, then=Value(i)) for i, award in enumerate(AWARD_ORDER)],
        default=Value(len(AWARD_ORDER)),
    )
    proposals = Proposal.objects.select_related("membership", "decision").order_by(
        award_order, "rank", "membership__sort_key", "id"
    )
    newest: dict[int, Dossier] = {}
    for dossier in (
        Dossier.objects.filter(cluster_year__in=[cy.pk for cy in cluster_years])
        .prefetch_related(Prefetch("proposals", queryset=proposals))
        .order_by("cluster_year_id", "-version")
    ):
        newest.setdefault(dossier.cluster_year_id, dossier)
    leading = _leading_units(cluster_years)
    rows, proposed, forwarded = [], 0, 0
    for cluster_year in cluster_years:
        dossier = newest.get(cluster_year.pk)
        if dossier is not None:
            dossier.cluster_year = cluster_year  # already loaded, with its cluster
        row = MinistryRow(
            cluster_year=cluster_year,
            dossier=dossier,
            leading_units=leading.get(cluster_year.pk, []),
        )
        if dossier is not None and permissions.can_view_dossier(user, dossier):
            row.contents_visible = True
            row.proposals = list(dossier.proposals.all())
            for proposal in row.proposals:
                proposal.decision_or_none = _decision(proposal)
            if dossier.state == Dossier.State.SENT:
                for proposal in row.proposals:
                    if proposal.award == Proposal.Award.GOVERNMENT_FLAG:
                        proposed += 1
                    if (
                        proposal.decision_or_none is not None
                        and proposal.decision_or_none.decision
                        == AwardDecision.Decision.GOVERNMENT_FLAG_PROPOSED
                    ):
                        forwarded += 1
        rows.append(row)
    return MinistryYear(
        year=year,
        years=years,
        rows=rows,
        count=GovernmentFlagCount(
            leading_units=len(cluster_years), proposed=proposed, forwarded=forwarded
        ),
    )


def _leading_units(cluster_years) -> dict[int, list[str]]:
    """Each cluster year's first-ranked unit(s) in its published results (one query)."""
    from evaluations.models import Evaluation, Result

    leading: dict[int, list[str]] = {}
    for cluster_year_id, name in (
        Result.objects.filter(
            evaluation__cluster_year__in=[cy.pk for cy in cluster_years],
            evaluation__phase=Evaluation.Phase.PUBLISHED,
            rank=1,
        )
        .order_by("membership__sort_key")
        .values_list("evaluation__cluster_year_id", "membership__short_name")
    ):
        leading.setdefault(cluster_year_id, []).append(name)
    return leading


def government_flag_count(*, year: int) -> GovernmentFlagCount:
    """The 20% count of ``year`` alone (for the decision page): the clusters of the year,
    the Government-flag proposals in their newest dossiers when sent, and the decisions
    passing one on to the Government. Three queries."""
    cluster_year_ids = list(ClusterYear.objects.filter(year=year).values_list("pk", flat=True))
    newest_ids: dict[int, int] = {}
    for pk, cluster_year_id, state in (
        Dossier.objects.filter(cluster_year__in=cluster_year_ids)
        .order_by("cluster_year_id", "-version")
        .values_list("pk", "cluster_year_id", "state")
    ):
        if cluster_year_id not in newest_ids:
            newest_ids[cluster_year_id] = pk if state == Dossier.State.SENT else None
    sent = [pk for pk in newest_ids.values() if pk is not None]
    government = Proposal.objects.filter(dossier__in=sent, award=Proposal.Award.GOVERNMENT_FLAG)
    counts = government.values_list("decision__decision", flat=True)
    values = list(counts)
    return GovernmentFlagCount(
        leading_units=len(cluster_year_ids),
        proposed=len(values),
        forwarded=sum(1 for v in values if v == AwardDecision.Decision.GOVERNMENT_FLAG_PROPOSED),
    )


def proposal_get(*, pk: int) -> Proposal:
    """One proposal with its dossier, cluster year, cluster, member and decision; raises
    ``Proposal.DoesNotExist``."""
    return Proposal.objects.select_related(
        "dossier__cluster_year__cluster", "membership", "decision"
    ).get(pk=pk)


def ministry_year_url(year: int) -> str:
    return reverse("dossiers:ministry-year", kwargs={"year": year})


def decision_facts_for(*, user, memberships) -> dict:
    """For the history pages (``members.selectors.register_membership_fact_provider``):
    the Ministry council's decisions on each membership's proposals,
    ``{membership.pk: [MembershipFact]}``.

    Decisions exist only on dossiers sent to the Ministry, which whoever sees the year may
    read; those of a dossier since returned are left out (its new version is what counts).
    One query, whatever the number of memberships.
    """
    from members.selectors import MembershipFact

    ids = [membership.pk for membership in memberships]
    if not ids:
        return {}
    decisions = (
        AwardDecision.objects.filter(proposal__membership_id__in=ids)
        .exclude(proposal__dossier__state__in=[Dossier.State.DRAFT, Dossier.State.RETURNED])
        .select_related("proposal__dossier__cluster_year")
        .order_by("decided_on", "pk")
    )
    reviewer = permissions.can_view_ministry_table(user)
    facts: dict = {}
    for decision in decisions:
        parts = [decision.get_decision_display()]
        if decision.reference:
            parts.append(decision.reference)
        parts.append(decision.decided_on.strftime("%d/%m/%Y"))
        text = _("%(decision)s (proposed: %(award)s)") % {
            "decision": ", ".join(parts),
            "award": decision.proposal.get_award_display(),
        }
        url = ""
        if reviewer:
            url = ministry_year_url(decision.proposal.dossier.cluster_year.year)
        facts.setdefault(decision.proposal.membership_id, []).append(
            MembershipFact(label=_("Ministry's award decision"), text=text, url=url)
        )
    return facts
