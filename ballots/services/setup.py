"""Writes of ballot setup: preparing a ballot (draft), changing it while in draft, opening
it for the vote, and entering the count committee's figures of a paper ballot.

Every service is for the year's secretariat (``can_manage_cluster_year`` /
``permissions.can_manage_ballot``, else ``PermissionDenied``; never a reviewer), runs in one
transaction on a locked ballot, refuses bad input with a ``ValidationError`` whose codes
name the rule and whose messages name the numbers, and leaves an audit event.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots import permissions
from ballots.audit import BallotAction
from ballots.models import Ballot, Candidate, PaperCount
from ballots.selectors.setup import published_ranking, voting_rules_for
from cluster_portal.audit import audit_record
from members import permissions as member_permissions
from members.models import ClusterYear, Membership


def _membership_ids(candidates: Iterable) -> list[int]:
    """Candidates given as memberships or their ids, without repeats, in the given order."""
    ids: list[int] = []
    for candidate in candidates:
        pk = candidate.pk if isinstance(candidate, Membership) else int(candidate)
        if pk not in ids:
            ids.append(pk)
    return ids


def _check_rules(
    *,
    cluster_year: ClusterYear,
    question: str,
    candidate_ids: list[int],
    min_choices: int,
    max_choices: int,
    quorum_percent: Decimal,
    threshold_percent: Decimal,
    threshold_base: str,
    blank_policy: str,
    method: str,
    kind: str,
) -> None:
    errors: dict[str, list[ValidationError]] = {}

    def refuse(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if not question.strip():
        refuse("question", _("Write the question put to the vote."), "question_required")
    if kind not in Ballot.Kind.values:
        refuse("kind", _("Choose what the ballot decides."), "invalid_kind")
    if method not in Ballot.Method.values:
        refuse("method", _("Choose how the ballot is cast."), "invalid_method")
    if threshold_base not in Ballot.ThresholdBase.values:
        refuse("threshold_base", _("Choose what the threshold counts."), "invalid_base")
    if blank_policy not in Ballot.BlankPolicy.values:
        refuse("blank_policy", _("Choose what happens to blank ballots."), "invalid_blank_policy")
    members = {m.pk for m in cluster_year.memberships.all()}
    strangers = [pk for pk in candidate_ids if pk not in members]
    if strangers:
        refuse(
            "candidates",
            _("Only member departments of %(year)s can be candidates.")
            % {"year": cluster_year.year},
            "candidate_not_member",
        )
    if min_choices < 1:
        refuse(
            "min_choices",
            _("A voter chooses at least one candidate (the fewest was %(min)s).")
            % {"min": min_choices},
            "min_below_one",
        )
    if max_choices < min_choices:
        refuse(
            "max_choices",
            _("The most choices (%(max)s) cannot be below the fewest (%(min)s).")
            % {"max": max_choices, "min": min_choices},
            "max_below_min",
        )
    if candidate_ids and max_choices > len(candidate_ids):
        refuse(
            "max_choices",
            _("A voter cannot choose %(max)s of %(count)s candidates.")
            % {"max": max_choices, "count": len(candidate_ids)},
            "max_above_candidates",
        )
    if not Decimal(0) <= quorum_percent <= Decimal(100):
        refuse(
            "quorum_percent",
            _("The quorum is a percentage from 0 to 100 (not %(value)s).")
            % {"value": quorum_percent},
            "quorum_out_of_range",
        )
    if not Decimal(0) <= threshold_percent < Decimal(100):
        refuse(
            "threshold_percent",
            _("The threshold is a percentage from 0 to below 100 (not %(value)s).")
            % {"value": threshold_percent},
            "threshold_out_of_range",
        )
    if errors:
        raise ValidationError(errors)


def _candidates_write(ballot: Ballot, candidate_ids: list[int]) -> None:
    """Replace the ballot's candidates: ranked ones first by rank (the published ranking's
    rank and total copied for award ballots), then the others in the given order."""
    ranking = (
        {}
        if ballot.kind in Ballot.LEADERSHIP_KINDS
        else published_ranking(cluster_year=ballot.cluster_year)
    )
    order = sorted(
        candidate_ids,
        key=lambda pk: (ranking[pk][0] if pk in ranking else 10**6, candidate_ids.index(pk)),
    )
    Candidate.objects.filter(ballot=ballot).delete()
    Candidate.objects.bulk_create(
        Candidate(
            ballot=ballot,
            membership_id=pk,
            position=position,
            rank=ranking[pk][0] if pk in ranking else None,
            total=ranking[pk][1] if pk in ranking else None,
        )
        for position, pk in enumerate(order, start=1)
    )


@transaction.atomic
def ballot_create(
    *,
    conference,
    kind: str,
    question: str,
    candidates: Iterable,
    min_choices: int,
    max_choices: int,
    method: str,
    quorum_percent: Decimal | None = None,
    threshold_percent: Decimal | None = None,
    threshold_base: str | None = None,
    blank_policy: str | None = None,
    by,
) -> Ballot:
    """Prepare a ballot (draft) of ``conference`` (a meeting of the year's work plan).

    The rules left as None come from the charter in force on the conference's first day
    (``voting_rules_for``). ``candidates`` are memberships of the year (or their ids); on
    award ballots each carries its published rank and total. Secretariat of the year, else
    ``PermissionDenied``. Refuses ``not_a_conference``, ``question_required``,
    ``candidate_not_member``, ``min_below_one``, ``max_below_min``,
    ``max_above_candidates``, ``quorum_out_of_range``, ``threshold_out_of_range``.
    """
    from plans.models import Activity

    cluster_year = (
        ClusterYear.objects.select_related("cluster")
        .prefetch_related("memberships")
        .get(work_plan__activities=conference)
    )
    if not member_permissions.can_manage_cluster_year(by, cluster_year):
        raise PermissionDenied
    if conference.kind not in Activity.CONFERENCE_KINDS:
        raise ValidationError(
            {
                "conference": ValidationError(
                    _("Ballots belong to a conference of the year."), code="not_a_conference"
                )
            }
        )
    rules = voting_rules_for(cluster_year=cluster_year, on=conference.starts_on)
    ballot = Ballot(
        conference=conference,
        cluster_year=cluster_year,
        kind=kind,
        question=question.strip(),
        method=method,
        min_choices=min_choices,
        max_choices=max_choices,
        quorum_percent=rules.quorum_percent if quorum_percent is None else quorum_percent,
        threshold_percent=rules.threshold_percent
        if threshold_percent is None
        else threshold_percent,
        threshold_base=threshold_base or rules.threshold_base,
        blank_policy=blank_policy or rules.blank_policy,
        created_by=by,
        is_illustrative=cluster_year.is_illustrative,
    )
    candidate_ids = _membership_ids(candidates)
    _check_rules(
        cluster_year=cluster_year,
        question=ballot.question,
        candidate_ids=candidate_ids,
        min_choices=ballot.min_choices,
        max_choices=ballot.max_choices,
        quorum_percent=Decimal(ballot.quorum_percent),
        threshold_percent=Decimal(ballot.threshold_percent),
        threshold_base=ballot.threshold_base,
        blank_policy=ballot.blank_policy,
        method=ballot.method,
        kind=ballot.kind,
    )
    ballot.save()
    _candidates_write(ballot, candidate_ids)
    audit_record(
        actor=by,
        action=BallotAction.BALLOT_CREATED,
        target=ballot,
        details={"kind": ballot.kind, "method": ballot.method, "candidates": len(candidate_ids)},
    )
    return ballot


def _locked(ballot: Ballot, by) -> Ballot:
    """The ballot, locked for this transaction, after the secretariat check."""
    if not permissions.can_manage_ballot(by, ballot):
        raise PermissionDenied
    locked = Ballot.objects.select_for_update(of=("self",)).get(pk=ballot.pk)
    locked.cluster_year = ballot.cluster_year
    locked.conference = ballot.conference
    return locked


def _require_draft(ballot: Ballot) -> None:
    if ballot.state != Ballot.State.DRAFT:
        raise ValidationError(
            _("The ballot is %(state)s: only a draft can be changed or opened.")
            % {"state": ballot.get_state_display().lower()},
            code="not_draft",
        )


@transaction.atomic
def ballot_update(
    *,
    ballot: Ballot,
    kind: str,
    question: str,
    candidates: Iterable,
    min_choices: int,
    max_choices: int,
    method: str,
    quorum_percent: Decimal,
    threshold_percent: Decimal,
    threshold_base: str,
    blank_policy: str,
    by,
) -> Ballot:
    """Change a draft ballot (its conference stays): secretariat, else ``PermissionDenied``;
    ``not_draft`` once opened; the same rules as ``ballot_create``. The candidates are
    written anew (ranks copied again from the published ranking)."""
    ballot = _locked(ballot, by)
    _require_draft(ballot)
    candidate_ids = _membership_ids(candidates)
    question = question.strip()
    _check_rules(
        cluster_year=ballot.cluster_year,
        question=question,
        candidate_ids=candidate_ids,
        min_choices=min_choices,
        max_choices=max_choices,
        quorum_percent=Decimal(quorum_percent),
        threshold_percent=Decimal(threshold_percent),
        threshold_base=threshold_base,
        blank_policy=blank_policy,
        method=method,
        kind=kind,
    )
    ballot.kind, ballot.question, ballot.method = kind, question, method
    ballot.min_choices, ballot.max_choices = min_choices, max_choices
    ballot.quorum_percent, ballot.threshold_percent = quorum_percent, threshold_percent
    ballot.threshold_base, ballot.blank_policy = threshold_base, blank_policy
    ballot.save()
    _candidates_write(ballot, candidate_ids)
    audit_record(
        actor=by,
        action=BallotAction.BALLOT_EDITED,
        target=ballot,
        details={"candidates": len(candidate_ids)},
    )
    return ballot


@transaction.atomic
def ballot_open(*, ballot: Ballot, by) -> Ballot:
    """Open a draft ballot for the vote (draft → open, ``opened_at`` now): secretariat.
    Refuses ``not_draft``, ``no_candidates`` and ``max_above_candidates`` (a voter must be
    able to choose the most allowed: fewest ≤ most ≤ candidates)."""
    ballot = _locked(ballot, by)
    _require_draft(ballot)
    count = Candidate.objects.filter(ballot=ballot).count()
    if count == 0:
        raise ValidationError(
            _("The ballot has no candidates: add at least one before opening it."),
            code="no_candidates",
        )
    if not 1 <= ballot.min_choices <= ballot.max_choices <= count:
        raise ValidationError(
            _(
                "A voter chooses from %(min)s to %(max)s of %(count)s candidates: the fewest "
                "must be at least 1 and the most at most the number of candidates."
            )
            % {"min": ballot.min_choices, "max": ballot.max_choices, "count": count},
            code="max_above_candidates",
        )
    ballot.state = Ballot.State.OPEN
    ballot.opened_at = timezone.now()
    ballot.save(update_fields=["state", "opened_at", "updated_at"])
    audit_record(actor=by, action=BallotAction.BALLOT_OPENED, target=ballot)
    return ballot


def _paper_count_errors(
    *, ballot, candidates, members, issued, returned, valid, invalid, votes
) -> list[ValidationError]:
    """Every way the figures fail to add up, each naming the numbers."""
    errors = []
    figures = {
        _("Ballots issued"): issued,
        _("Ballots returned"): returned,
        _("Valid ballots"): valid,
        _("Invalid ballots"): invalid,
    }
    for name, value in figures.items():
        if value < 0:
            errors.append(
                ValidationError(
                    _("%(name)s cannot be negative (%(value)s).") % {"name": name, "value": value},
                    code="negative",
                )
            )
    if issued > members:
        errors.append(
            ValidationError(
                _("%(issued)s ballots issued, but the cluster has only %(members)s members.")
                % {"issued": issued, "members": members},
                code="issued_above_members",
            )
        )
    if returned > issued:
        errors.append(
            ValidationError(
                _("%(returned)s ballots returned, but only %(issued)s issued.")
                % {"returned": returned, "issued": issued},
                code="returned_above_issued",
            )
        )
    if valid + invalid != returned:
        errors.append(
            ValidationError(
                _(
                    "valid %(valid)s + invalid %(invalid)s = %(sum)s, but %(returned)s "
                    "ballots returned."
                )
                % {
                    "valid": valid,
                    "invalid": invalid,
                    "sum": valid + invalid,
                    "returned": returned,
                },
                code="valid_invalid_mismatch",
            )
        )
    known = {c.pk: c for c in candidates}
    unknown = [pk for pk in votes if pk not in known]
    if unknown:
        errors.append(
            ValidationError(
                _("Votes given for a department that is not a candidate."), code="unknown_candidate"
            )
        )
    missing = [c.membership.short_name for c in candidates if c.pk not in votes]
    if missing:
        errors.append(
            ValidationError(
                _("Enter the votes of every candidate (missing: %(names)s).")
                % {"names": ", ".join(missing)},
                code="votes_missing",
            )
        )
    for pk, count in votes.items():
        candidate = known.get(pk)
        if candidate is None:
            continue
        if count < 0:
            errors.append(
                ValidationError(
                    _("%(name)s cannot have a negative number of votes (%(votes)s).")
                    % {"name": candidate.membership.short_name, "votes": count},
                    code="negative",
                )
            )
        elif count > valid:
            errors.append(
                ValidationError(
                    _("%(name)s has %(votes)s votes, but only %(valid)s ballots are valid.")
                    % {"name": candidate.membership.short_name, "votes": count, "valid": valid},
                    code="votes_above_valid",
                )
            )
    total = sum(count for pk, count in votes.items() if pk in known)
    if total > valid * ballot.max_choices:
        errors.append(
            ValidationError(
                _(
                    "The votes add up to %(total)s, but %(valid)s valid ballots × %(max)s "
                    "choices allow at most %(most)s."
                )
                % {
                    "total": total,
                    "valid": valid,
                    "max": ballot.max_choices,
                    "most": valid * ballot.max_choices,
                },
                code="votes_above_choices",
            )
        )
    elif not missing and total < valid * ballot.min_choices:
        errors.append(
            ValidationError(
                _(
                    "The votes add up to %(total)s, but %(valid)s valid ballots × at least "
                    "%(min)s choices make at least %(least)s."
                )
                % {
                    "total": total,
                    "valid": valid,
                    "min": ballot.min_choices,
                    "least": valid * ballot.min_choices,
                },
                code="votes_below_choices",
            )
        )
    return errors


@transaction.atomic
def paper_count_enter(
    *,
    ballot: Ballot,
    committee: str,
    issued: int,
    returned: int,
    valid: int,
    invalid: int,
    votes: dict[int, int],
    by,
) -> PaperCount:
    """Enter (or correct) the count committee's figures of a paper ballot while it is open
    or closed, before the count: secretariat. ``votes`` maps each candidate's id to its
    votes. Refuses ``not_paper``, ``not_open`` (draft), ``already_counted``,
    ``committee_required`` and each way the figures do not add up, naming the numbers:
    ``issued_above_members``, ``returned_above_issued``, ``valid_invalid_mismatch``,
    ``votes_above_valid``, ``votes_above_choices``, ``votes_below_choices``,
    ``votes_missing``, ``unknown_candidate``, ``negative``. Nothing is stored then."""
    ballot = _locked(ballot, by)
    if ballot.method != Ballot.Method.PAPER:
        raise ValidationError(
            _("This ballot is cast in the portal: its count is not entered by hand."),
            code="not_paper",
        )
    if ballot.state == Ballot.State.DRAFT:
        raise ValidationError(_("Open the ballot before entering its count."), code="not_open")
    if ballot.state == Ballot.State.COUNTED:
        raise ValidationError(
            _("The ballot has been counted: its figures no longer change."),
            code="already_counted",
        )
    committee = "\n".join(line.strip() for line in committee.splitlines() if line.strip())
    if not committee:
        raise ValidationError(
            {
                "committee": ValidationError(
                    _("Name the members of the count committee, one per line."),
                    code="committee_required",
                )
            }
        )
    candidates = list(
        Candidate.objects.filter(ballot=ballot).select_related("membership").order_by("position")
    )
    votes = {int(pk): int(count) for pk, count in votes.items()}
    errors = _paper_count_errors(
        ballot=ballot,
        candidates=candidates,
        members=len(ballot.cluster_year.memberships.all()),
        issued=issued,
        returned=returned,
        valid=valid,
        invalid=invalid,
        votes=votes,
    )
    if errors:
        raise ValidationError(errors)
    count, _created = PaperCount.objects.update_or_create(
        ballot=ballot,
        defaults={
            "committee": committee,
            "issued": issued,
            "returned": returned,
            "valid": valid,
            "invalid": invalid,
            "entered_by": by,
            "entered_at": timezone.now(),
        },
    )
    for candidate in candidates:
        candidate.votes = votes[candidate.pk]
    Candidate.objects.bulk_update(candidates, ["votes"])
    audit_record(
        actor=by,
        action=BallotAction.PAPER_COUNT_ENTERED,
        target=ballot,
        details={
            "issued": issued,
            "returned": returned,
            "valid": valid,
            "invalid": invalid,
            "votes": {c.membership.short_name: votes[c.pk] for c in candidates},
        },
    )
    return count
