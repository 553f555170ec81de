"""What the voting pages read: the ballot with its candidates, where the user stands on
it, and the signatories' to-do item. Never a paper's contents."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ballots import permissions
from ballots.models import Ballot, BallotPaper, Candidate
from members import permissions as member_permissions
from members.models import Membership
from members.selectors import AttentionItem, register_attention_kind
from plans.models import Attendee

BALLOT_KIND = register_attention_kind("ballot", gettext_lazy("Secret ballots at the conference"))


def ballot_for_voting(*, pk: int) -> Ballot:
    """The ballot ``pk`` with its year, cluster, conference, members and candidates (in
    ballot order), for the voting pages; raises ``Ballot.DoesNotExist``."""
    return (
        Ballot.objects.select_related("cluster_year__cluster", "conference")
        .prefetch_related(
            Prefetch(
                "cluster_year__memberships",
                queryset=Membership.objects.select_related("department"),
            ),
            Prefetch(
                "candidates",
                queryset=Candidate.objects.select_related("membership").order_by("position", "id"),
            ),
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class VoteState:
    """Where ``user`` stands on a ballot: whether they may vote now and, if not, why
    (``refusal``: code and message); whether their department has voted; how many of the
    members have voted so far (the roll is public, the choices never)."""

    refusal: tuple[str, str] | None
    own_voted: bool
    is_signatory: bool
    voted: int
    members: int

    @property
    def may_vote(self) -> bool:
        return self.refusal is None

    @property
    def reason(self) -> str:
        return self.refusal[1] if self.refusal else ""


def vote_state_for(*, ballot: Ballot, user) -> VoteState:
    """``user``'s state on ``ballot`` (loaded by ``ballot_for_voting`` or with its year's
    memberships). Two queries: the attendees and the voter roll."""
    present_ids = set(
        Attendee.objects.filter(
            activity_id=ballot.conference_id, kind=Attendee.Kind.MEMBER
        ).values_list("department_id", flat=True)
    )
    voted_ids = set(ballot.voters.values_list("membership__department_id", flat=True))
    refusal = permissions.vote_refusal(user, ballot, present_ids=present_ids, voted_ids=voted_ids)
    department_id = getattr(user, "department_id", None)
    return VoteState(
        refusal=refusal,
        own_voted=department_id is not None and department_id in voted_ids,
        is_signatory=permissions.is_voting_signatory(user, ballot),
        voted=len(voted_ids),
        members=len(ballot.cluster_year.memberships.all()),
    )


def vote_detail_context(*, ballot: Ballot, user) -> dict:
    """The ballot page's share for the vote panel (``ballots/includes/_vote_panel.html``)."""
    return {"vote_state": vote_state_for(ballot=ballot, user=user)}


def papers_cast(*, ballot: Ballot) -> int:
    """How many papers ``ballot`` holds (electronic ballots): the number on the receipt page."""
    return BallotPaper.objects.filter(ballot_id=ballot.pk).count()


def ballot_attention_items(*, user, cluster_years) -> dict[int, list[AttentionItem]]:
    """To-do items of a signatory: each open electronic ballot of ``cluster_years`` on which
    their department, recorded as present at the conference, has not voted yet ("Vote: …").
    Nothing for anyone else. One query whatever the number of years and ballots."""
    items: dict[int, list[AttentionItem]] = {cy.pk: [] for cy in cluster_years}
    if (
        not user.is_authenticated
        or member_permissions.is_reviewer(user)
        or not getattr(user, "is_signatory", False)
    ):
        return items
    own = [
        cy.pk
        for cy in cluster_years
        if any(m.department_id == user.department_id for m in cy.memberships.all())
    ]
    if not own:
        return items
    ballots = (
        Ballot.objects.filter(
            cluster_year_id__in=own,
            state=Ballot.State.OPEN,
            method=Ballot.Method.ELECTRONIC,
            conference__attendees__kind=Attendee.Kind.MEMBER,
            conference__attendees__department_id=user.department_id,
        )
        .exclude(voters__membership__department_id=user.department_id)
        .only("pk", "cluster_year_id", "question")
        .order_by("pk")
        .distinct()
    )
    for ballot in ballots:
        items[ballot.cluster_year_id].append(
            AttentionItem(
                _("Vote by secret ballot: %(question)s") % {"question": ballot.question},
                reverse("ballots:ballot-vote", kwargs={"pk": ballot.pk}),
                BALLOT_KIND,
                f"ballot-vote:{ballot.pk}:{user.department_id}",
            )
        )
    return items
