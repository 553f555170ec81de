"""Reads for closing and counting: the count panel of the ballot page, the confirmation
pages, and what the vote record PDF shows.

Nothing here reads a paper's contents: the panel shows the totals written by the count.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots import permissions
from ballots.models import Ballot, Candidate, VoteRecord
from cluster_portal.documents import decree30_date
from members.models import Membership

# The PDF is always in Vietnamese: its fixed phrases are Vietnamese official text.
BASE_VI = {
    Ballot.ThresholdBase.MEMBERS: "tổng số đơn vị thành viên của Cụm",
    Ballot.ThresholdBase.PRESENT: "số đơn vị thành viên có mặt",
    Ballot.ThresholdBase.VALID: "số phiếu hợp lệ",
}
METHOD_VI = {
    Ballot.Method.ELECTRONIC: "Bỏ phiếu kín điện tử trên Cổng thông tin Cụm thi đua",
    Ballot.Method.PAPER: "Bỏ phiếu kín bằng phiếu giấy tại hội nghị",
}


def percent_text(value: Decimal, *, decimals: bool = False) -> str:
    """A percentage as Vietnamese writes it: "50", "52,5" ("52,50" with ``decimals``)."""
    text = f"{Decimal(value):.2f}"
    if not decimals:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def ballot_for_counting(*, pk: int) -> Ballot:
    """The ballot with what the close, runoff and record pages need (DoesNotExist if none)."""
    return Ballot.objects.select_related("cluster_year__cluster", "conference").get(pk=pk)


def threshold_text(ballot: Ballot) -> str:
    """The threshold in words, e.g. "more than 50% of all members"."""
    return _("more than %(percent)s%% %(base)s") % {
        "percent": percent_text(ballot.threshold_percent),
        "base": Ballot.ThresholdBase(ballot.threshold_base).label,
    }


def quorum_text(ballot: Ballot) -> str:
    return _("at least %(percent)s%% of all members cast a ballot") % {
        "percent": percent_text(ballot.quorum_percent)
    }


@dataclass
class CountRow:
    """One candidate's line of the count."""

    name: str
    votes: int
    share: str
    reached_threshold: bool
    chosen: bool


@dataclass
class CountPanel:
    """What ``ballots/includes/_count.html`` shows, computed once (no queries in it)."""

    ballot: Ballot
    can_manage: bool
    close_url: str = ""
    runoff_url: str = ""
    record_url: str = ""
    rows: list[CountRow] = field(default_factory=list)
    record: VoteRecord | None = None
    runoff: Ballot | None = None
    threshold: str = ""
    quorum: str = ""

    @property
    def can_close(self) -> bool:
        return self.can_manage and self.ballot.state == Ballot.State.OPEN

    @property
    def being_counted(self) -> bool:
        return self.ballot.state == Ballot.State.CLOSED

    @property
    def counted(self) -> bool:
        return self.ballot.state == Ballot.State.COUNTED

    @property
    def record_pending(self) -> bool:
        return self.counted and self.record is None

    @property
    def can_runoff(self) -> bool:
        return self.can_manage and self.counted and self.ballot.has_tie and self.runoff is None

    @property
    def chosen(self) -> list[str]:
        return [row.name for row in self.rows if row.chosen]


def _rows(ballot: Ballot) -> list[CountRow]:
    candidates = ballot.candidates.select_related("membership").order_by("-votes", "position", "id")
    return [
        CountRow(
            name=c.membership.full_name,
            votes=c.votes or 0,
            share=percent_text(c.share or 0, decimals=True),
            reached_threshold=bool(c.reached_threshold),
            chosen=c.chosen,
        )
        for c in candidates
    ]


def count_panel(*, ballot: Ballot, user) -> CountPanel:
    """The count part of the ballot page for ``user`` (who sees the ballot): the close
    button (secretariat, open ballot), "being counted…" (closed), the totals, votes,
    threshold and chosen candidates, the tie and its runoff, the vote record (counted).
    A fixed number of queries whatever the number of candidates."""
    panel = CountPanel(
        ballot=ballot,
        can_manage=permissions.can_manage_ballot(user, ballot),
        threshold=threshold_text(ballot),
        quorum=quorum_text(ballot),
    )
    kwargs = {"pk": ballot.pk}
    if panel.can_close:
        panel.close_url = reverse("ballots:ballot-close", kwargs=kwargs)
    if panel.counted:
        panel.rows = _rows(ballot)
        panel.record = VoteRecord.objects.filter(ballot=ballot).first()
        panel.record_url = reverse("ballots:ballot-record", kwargs=kwargs)
        if ballot.has_tie:
            panel.runoff = ballot.runoffs.order_by("id").first()
            panel.runoff_url = reverse("ballots:ballot-runoff", kwargs=kwargs)
    return panel


def count_detail_context(*, ballot: Ballot, user) -> dict:
    """The ballot page's context hook (registered in ``BallotsConfig.ready``)."""
    return {"count": count_panel(ballot=ballot, user=user)}


def voters_count(*, ballot: Ballot) -> int:
    """How many departments are on the voter roll (who voted is public; what, never)."""
    return ballot.voters.count()


def tied_names(*, ballot: Ballot) -> list[str]:
    """The candidates tied at the cut of a counted ballot, by name (the runoff page)."""
    from ballots.services.counting import ballot_outcome

    if not (ballot.state == Ballot.State.COUNTED and ballot.has_tie):
        return []
    candidates = list(ballot.candidates.select_related("membership"))
    outcome = ballot_outcome(ballot, candidates)
    return [c.membership.full_name for c in candidates if outcome.candidates[c.pk].tied]


@dataclass
class RecordLine:
    position: int
    name: str
    votes: int
    share: str
    reached_threshold: bool
    chosen: bool


def vote_record_context(*, ballot: Ballot, record: VoteRecord) -> dict:
    """Everything the vote record PDF (``pdf/ballots/vote_record.html``) shows."""
    cluster_year = ballot.cluster_year
    memberships = Membership.objects.filter(cluster_year=cluster_year).select_related("department")
    leader = next((m for m in memberships if m.role == Membership.Role.LEADER), None)
    candidates = list(Candidate.objects.filter(ballot=ballot).select_related("membership"))
    lines = [
        RecordLine(
            position=index,
            name=c.membership.full_name,
            votes=c.votes or 0,
            share=percent_text(c.share or 0, decimals=True),
            reached_threshold=bool(c.reached_threshold),
            chosen=c.chosen,
        )
        for index, c in enumerate(candidates, start=1)
    ]
    counted_on = timezone.localdate(ballot.counted_at or record.issued_at)
    place = leader.department.province if leader is not None else ""
    committee = []
    if ballot.method == Ballot.Method.PAPER and hasattr(ballot, "paper_count"):
        committee = [
            line.strip() for line in ballot.paper_count.committee.splitlines() if line.strip()
        ]
    conference = ballot.conference
    return {
        "ballot": ballot,
        "record": record,
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "conference": conference,
        "conference_date": decree30_date(conference.starts_on) if conference.starts_on else "",
        "leader": leader,
        "lines": lines,
        "chosen": [line.name for line in lines if line.chosen],
        "tied": tied_names(ballot=ballot),
        "committee": committee,
        "method_text": METHOD_VI[ballot.method],
        "base_text": BASE_VI[ballot.threshold_base],
        "threshold_percent": percent_text(ballot.threshold_percent),
        "quorum_percent": percent_text(ballot.quorum_percent),
        "place_and_date": ", ".join(part for part in (place, decree30_date(counted_on)) if part),
        "illustrative": ballot.is_illustrative or cluster_year.is_illustrative,
    }
