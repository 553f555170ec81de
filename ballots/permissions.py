"""Who may see and do what with ballots: one predicate per rule.

* Whoever may see the cluster year sees its ballots, their candidates and, once counted,
  their totals. Nobody ever sees a single paper's contents.
* The secretariat of the year prepares, opens, closes and counts ballots, enters paper
  counts and confirms leadership results. Reviewers read and change nothing.
* A member department's signatory votes for the department, once, on an open electronic
  ballot, when the department attends the conference (the service says why not).

Predicates take ``(user, obj)``, return a bool and never raise. Services check them again.
"""

from django.utils.translation import gettext as _

from ballots.models import Ballot
from members import permissions as member_permissions
from plans.models import Attendee


def can_view_ballot(user, ballot: Ballot) -> bool:
    """The ballot, its candidates and (once counted) its totals: whoever sees the year."""
    return member_permissions.can_view_cluster_year(user, ballot.cluster_year)


def can_manage_ballot(user, ballot: Ballot) -> bool:
    """Prepare, open, close, count, enter paper counts, confirm: the year's secretariat or
    a site admin. Never a reviewer."""
    return member_permissions.can_manage_cluster_year(user, ballot.cluster_year)


def is_voting_signatory(user, ballot: Ballot) -> bool:
    """The user is a signatory of a department that is a member in the ballot's year (not
    whether it may vote now: the voting service answers that, with its reason)."""
    if not user.is_authenticated or member_permissions.is_reviewer(user):
        return False
    if user.role != user.Role.SIGNATORY or user.department_id is None:
        return False
    return any(m.department_id == user.department_id for m in ballot.cluster_year.memberships.all())


def vote_refusal(user, ballot: Ballot, *, present_ids=None, voted_ids=None):
    """Why ``user`` may not vote on ``ballot`` now, as ``(code, message)``; None if they may.

    In this order: reviewers, users who are not a signatory, departments that are not
    members that year, paper ballots, ballots not open, departments not recorded as present
    at the conference, departments that have voted. ``present_ids`` (departments attending
    the conference) and ``voted_ids`` (departments on the roll) are read when not given (the
    service passes them under the ballot's row lock).
    """
    if not user.is_authenticated or member_permissions.is_reviewer(user):
        return "reviewer", _("Ministry reviewers do not vote.")
    if not user.is_active or not user.is_signatory:
        return "not_signatory", _("Only the signatory of a member department votes for it.")
    if not any(
        m.department_id == user.department_id for m in ballot.cluster_year.memberships.all()
    ):
        return "not_member", _("Your department is not a member of the cluster this year.")
    if ballot.method == Ballot.Method.PAPER:
        return "paper_ballot", _("This ballot is cast on paper in the conference room.")
    if ballot.state == Ballot.State.DRAFT:
        return "not_open", _("This ballot is not open for voting yet.")
    if ballot.state != Ballot.State.OPEN:
        return "closed", _("Voting on this ballot has closed.")
    if present_ids is None:
        present_ids = set(
            ballot.conference.attendees.filter(kind=Attendee.Kind.MEMBER).values_list(
                "department_id", flat=True
            )
        )
    if user.department_id not in present_ids:
        return "absent", _(
            "Your department is not recorded as present at the conference; "
            "the secretariat adds it to the attendees."
        )
    if voted_ids is None:
        voted_ids = set(ballot.voters.values_list("membership__department_id", flat=True))
    if user.department_id in voted_ids:
        return "already_voted", _("Your department has already voted on this ballot.")
    return None


def can_vote(user, ballot: Ballot) -> bool:
    """A present member department's signatory, on an open electronic ballot, once."""
    return vote_refusal(user, ballot) is None
