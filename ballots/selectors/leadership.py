"""Reads for next year's leadership: whether a counted leader or deputy election can be
confirmed, and what the ballot page shows about it (the detail-context hook)."""

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from ballots import permissions
from ballots.models import Ballot, Candidate


def _percent(value) -> str:
    """50.00 → "50", 66.67 → "66,67" in Vietnamese: as a person writes a percentage."""
    return number_format(Decimal(f"{Decimal(str(value)).normalize():f}"))


def result_confirm_refusal(*, ballot: Ballot) -> tuple[str, str] | None:
    """Why the result of ``ballot`` cannot set next year's leadership, as ``(code,
    message)``, or None if it can: a counted leader or deputy election, not confirmed yet,
    whose count met the quorum and chose exactly one candidate (no tie). Reads the ballot's
    candidates (prefetched or one query). Permission is the caller's question."""
    if ballot.kind not in Ballot.LEADERSHIP_KINDS:
        return "not_leadership", _(
            "Only the election of next year's leader or deputy sets next year's leadership."
        )
    if ballot.state != Ballot.State.COUNTED:
        return "not_counted", _("The ballot has not been counted yet.")
    if ballot.result_confirmed_at is not None:
        return "already_confirmed", _("The result was already confirmed on %(date)s.") % {
            "date": date_format(localtime(ballot.result_confirmed_at), "SHORT_DATETIME_FORMAT")
        }
    if ballot.quorum_met is False:
        return "no_quorum", _("The quorum was not met: %(cast)s of %(eligible)s members voted.") % {
            "cast": ballot.cast,
            "eligible": ballot.eligible,
        }
    if ballot.has_tie:
        return "tie", _(
            "The count ended in a tie: hold a runoff among the tied candidates and confirm "
            "its result."
        )
    chosen = [c for c in ballot.candidates.all() if c.chosen]
    if not chosen:
        return "none_chosen", _(
            "No candidate was chosen: none reached the threshold of %(threshold)s%%."
        ) % {"threshold": _percent(ballot.threshold_percent)}
    if len(chosen) > 1:
        return "several_chosen", _(
            "%(count)s candidates were chosen; only one can lead or deputise."
        ) % {"count": len(chosen)}
    return None


def result_chosen(*, ballot: Ballot) -> Candidate | None:
    """The one chosen candidate of a counted ballot, or None."""
    chosen = [c for c in ballot.candidates.all() if c.chosen]
    return chosen[0] if len(chosen) == 1 else None


@dataclass(frozen=True)
class LeadershipPanel:
    """What the ballot page shows about next year's leadership (leader/deputy ballots)."""

    next_year: int
    is_leader: bool
    chosen: Candidate | None
    confirmed_at: object
    confirmed_by: object
    can_confirm: bool
    refusal: str
    confirm_url: str


def leadership_context_for(*, ballot: Ballot, user) -> dict:
    """The detail-context hook: ``{"leadership": LeadershipPanel}`` for a leader or deputy
    ballot (``{}`` for other kinds). ``can_confirm`` for the year's secretariat when the
    result may be confirmed; ``refusal`` says why not, once counted. At most one query (who
    confirmed), whatever the number of candidates once they are prefetched."""
    if ballot.kind not in Ballot.LEADERSHIP_KINDS:
        return {}
    refusal = result_confirm_refusal(ballot=ballot)
    may_manage = permissions.can_manage_ballot(user, ballot)
    shown_refusal = ""
    if refusal is not None and refusal[0] not in ("not_counted", "already_confirmed"):
        shown_refusal = refusal[1]
    return {
        "leadership": LeadershipPanel(
            next_year=ballot.cluster_year.year + 1,
            is_leader=ballot.kind == Ballot.Kind.LEADER,
            chosen=result_chosen(ballot=ballot) if ballot.is_counted else None,
            confirmed_at=ballot.result_confirmed_at,
            confirmed_by=ballot.result_confirmed_by if ballot.result_confirmed_by_id else None,
            can_confirm=may_manage and refusal is None,
            refusal=shown_refusal,
            confirm_url=reverse("ballots:ballot-confirm", kwargs={"pk": ballot.pk}),
        )
    }


def ballot_for_confirm(*, pk: int) -> Ballot:
    """A ballot with its year (members, cluster) and candidates (with their departments),
    for the confirmation page; raises Ballot.DoesNotExist."""
    return (
        Ballot.objects.select_related("cluster_year__cluster", "conference")
        .prefetch_related(
            "cluster_year__memberships__department",
            "candidates__membership__department",
        )
        .get(pk=pk)
    )
