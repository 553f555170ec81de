"""Who may see and do what with ballots: one predicate per rule.

* Whoever may see the cluster year sees its ballots, their candidates and, once counted,
  their totals. Nobody ever sees a single paper's contents.
* The secretariat of the year prepares, opens, closes and counts ballots, enters paper
  counts and confirms leadership results. Reviewers read and change nothing.
* A member department's signatory votes for the department, once, on an open electronic
  ballot, when the department attends the conference (the service says why not).

Predicates take ``(user, obj)``, return a bool and never raise. Services check them again.
"""

from ballots.models import Ballot
from members import permissions as member_permissions


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
