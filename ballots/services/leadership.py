"""Next year's leadership: the secretariat confirms the counted result of the leader or
deputy election, which sets the leader or deputy of the next cluster year.

The next year is started from this year's members when it does not exist yet, as "start a
new year" does (``members.services.cluster_year_start``); otherwise its leadership is
changed (``members.services.cluster_year_set_leadership``). The secretariat rights follow
the leader's department (``members.permissions``), so they move with the result.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots import permissions
from ballots.audit import BallotAction
from ballots.models import Ballot
from ballots.selectors.leadership import result_chosen, result_confirm_refusal
from cluster_portal.audit import audit_record
from members import selectors as member_selectors
from members import services as member_services
from members.models import ClusterYear


def _not_a_member(department, year: int) -> ValidationError:
    return ValidationError(
        _(
            "%(name)s is not a member of the cluster in %(year)s: add it to that year's "
            "members first."
        )
        % {"name": department.full_name, "year": year},
        code="chosen_not_member",
    )


@transaction.atomic
def ballot_result_confirm(*, ballot: Ballot, by) -> ClusterYear:
    """Confirm the result of a counted leader or deputy election: the one chosen candidate
    becomes the leader (or deputy) of the next cluster year, which is started from this
    year's members (successors replacing departments merged away, leader and deputy kept)
    when missing. Returns the next year.

    For the year's secretariat and site admins (``can_manage_ballot``); never reviewers.
    Raises ``PermissionDenied``, or ``ValidationError`` with a code: ``not_leadership``,
    ``not_counted``, ``already_confirmed``, ``no_quorum``, ``tie``, ``none_chosen``,
    ``several_chosen``, ``chosen_not_member`` (the chosen department is not a member of the
    next year), or the members app's leadership codes (e.g. ``leader_is_deputy``).
    """
    if not permissions.can_manage_ballot(by, ballot):
        raise PermissionDenied
    # Lock the ballot, then read it again: two confirmations at once make one.
    Ballot.objects.select_for_update().filter(pk=ballot.pk).first()
    ballot = (
        Ballot.objects.select_related("cluster_year__cluster")
        .prefetch_related("candidates__membership__department")
        .get(pk=ballot.pk)
    )
    refusal = result_confirm_refusal(ballot=ballot)
    if refusal is not None:
        code, message = refusal
        raise ValidationError(message, code=code)
    chosen = result_chosen(ballot=ballot).membership.department
    cluster_year = ballot.cluster_year
    cluster = cluster_year.cluster
    year = cluster_year.year + 1
    is_leader = ballot.kind == Ballot.Kind.LEADER
    next_year = (
        ClusterYear.objects.select_for_update()
        .filter(cluster=cluster, year=year)
        .prefetch_related("memberships__department")
        .first()
    )
    if next_year is None:
        members = [
            p.department
            for p in member_selectors.proposed_members_for(cluster=cluster, year=year)
            if p.checked
        ]
        if chosen.pk not in {d.pk for d in members}:
            raise _not_a_member(chosen, year)
        next_year = member_services.cluster_year_start(
            cluster=cluster,
            year=year,
            members=members,
            leader=chosen if is_leader else None,
            deputy=None if is_leader else chosen,
            theme=cluster_year.theme,
            motto=cluster_year.motto,
            is_illustrative=cluster_year.is_illustrative or ballot.is_illustrative,
            copy=[copy.code for copy in member_services.year_start_copies()],
            by=by,
        )
        started = True
    else:
        if chosen.pk not in {m.department_id for m in next_year.memberships.all()}:
            raise _not_a_member(chosen, year)
        leader = next_year.leader.department if next_year.leader else None
        deputy = next_year.deputy.department if next_year.deputy else None
        if is_leader:
            leader = chosen
        else:
            deputy = chosen
        member_services.cluster_year_set_leadership(
            cluster_year=next_year, leader=leader, deputy=deputy, by=by
        )
        started = False
    ballot.result_confirmed_at = timezone.now()
    ballot.result_confirmed_by = by
    ballot.save(update_fields=["result_confirmed_at", "result_confirmed_by", "updated_at"])
    audit_record(
        actor=by,
        action=BallotAction.RESULT_CONFIRMED,
        target=ballot,
        details={
            "kind": ballot.kind,
            "department": chosen.code,
            "year": year,
            "year_started": started,
        },
    )
    return next_year
