"""Casting a vote on an electronic ballot, and checking a receipt.

A vote writes two rows in one transaction under the ballot's row lock: the department on
the voter roll (``BallotVoter``) and a sealed paper (``BallotPaper``) that names nobody,
with nothing linking the two (see ``ballots.models`` and README.md, "Ballot secrecy"). The
audit trail records that the department voted, never what it chose. Errors:
``PermissionDenied`` for reviewers, ``ValidationError`` with a code for every other refusal
(nothing stored, except the refusal event of a wrong password).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ballots import permissions
from ballots.audit import BallotAction
from ballots.crypto import paper_seal, receipt_code_new, receipt_digest
from ballots.models import Ballot, BallotPaper, BallotVoter
from cluster_portal.audit import RequestMeta, audit_record
from cluster_portal.auth import (
    confirmed_password_check,
)
from plans.models import Attendee


def _refuse_unless_may_vote(ballot: Ballot, user, **known) -> None:
    refusal = permissions.vote_refusal(user, ballot, **known)
    if refusal is None:
        return
    code, message = refusal
    if code == "reviewer":
        raise PermissionDenied(message)
    raise ValidationError(message, code=code)


def _choices_refusal(message: str, code: str) -> ValidationError:
    return ValidationError({"choices": ValidationError(message, code=code)})


def _checked_choices(ballot: Ballot, choices) -> list[int]:
    """The chosen candidate ids, once each, sorted; refused when one is not a candidate,
    and when there are too few or too many unless the ballot counts those as invalid."""
    chosen = sorted({int(choice) for choice in choices})
    candidate_ids = {candidate.pk for candidate in ballot.candidates.all()}
    if any(choice not in candidate_ids for choice in chosen):
        raise _choices_refusal(
            _("Choose only among the candidates on this ballot."), "not_candidate"
        )
    if ballot.blank_policy == Ballot.BlankPolicy.INVALID:
        # Sealed as cast; the count finds it blank or over-filled and counts it invalid.
        return chosen
    if not chosen:
        raise _choices_refusal(
            ngettext(
                "The ballot is blank: choose at least %(fewest)d candidate.",
                "The ballot is blank: choose at least %(fewest)d candidates.",
                ballot.min_choices,
            )
            % {"fewest": ballot.min_choices},
            "blank",
        )
    if len(chosen) < ballot.min_choices:
        raise _choices_refusal(
            _("Choose at least %(fewest)d candidates; you chose %(chosen)d.")
            % {"fewest": ballot.min_choices, "chosen": len(chosen)},
            "too_few",
        )
    if len(chosen) > ballot.max_choices:
        raise _choices_refusal(
            ngettext(
                "Choose at most %(most)d candidate; you chose %(chosen)d.",
                "Choose at most %(most)d candidates; you chose %(chosen)d.",
                ballot.max_choices,
            )
            % {"most": ballot.max_choices, "chosen": len(chosen)},
            "too_many",
        )
    return chosen


def _checked_password(*, ballot: Ballot, user, password: str, confirmed: bool, meta) -> None:
    """The confirmation tick and the password; a wrong password is recorded as a refusal
    (committed: this runs outside the vote's transaction)."""
    confirmed_password_check(
        user=user,
        password=password,
        confirmed=confirmed,
        refused_action=BallotAction.BALLOT_VOTE_REFUSED,
        target=ballot,
        meta=meta,
        confirm_message=_("Tick the box to confirm the vote on behalf of your department."),
    )


def ballot_vote(
    *,
    ballot: Ballot,
    user,
    choices: list[int],
    password: str,
    confirmed: bool,
    meta: RequestMeta | None = None,
) -> str:
    """Cast ``user``'s department's vote for ``choices`` (candidate ids); return the receipt
    code, shown once and stored only as a keyed hash.

    For the signatory of a member department recorded as present at the conference, on an
    open electronic ballot, with the confirmation ticked and the password. Refusals (each
    with its code, nothing stored): ``PermissionDenied`` for a reviewer; ``ValidationError``
    ``not_signatory``, ``not_member``, ``paper_ballot``, ``not_open``, ``closed``,
    ``absent``, ``already_voted``, ``not_candidate``, ``blank``, ``too_few``, ``too_many``
    (the last three only when the ballot refuses such papers; else the count marks them
    invalid), ``not_confirmed``, ``wrong_password``, ``too_many_attempts``.

    Simultaneous votes of one department (two tabs, two signatories, a double click) queue
    on the ballot's row lock and the second is refused ``already_voted``; the voter roll's
    unique constraint is the last line.
    """
    _refuse_unless_may_vote(ballot, user)
    chosen = _checked_choices(ballot, choices)
    _checked_password(ballot=ballot, user=user, password=password, confirmed=confirmed, meta=meta)
    with transaction.atomic():
        locked = (
            Ballot.objects.select_for_update()
            .select_related("cluster_year", "conference")
            .get(pk=ballot.pk)
        )
        present_ids = set(
            Attendee.objects.filter(
                activity_id=locked.conference_id, kind=Attendee.Kind.MEMBER
            ).values_list("department_id", flat=True)
        )
        voted_ids = set(locked.voters.values_list("membership__department_id", flat=True))
        _refuse_unless_may_vote(locked, user, present_ids=present_ids, voted_ids=voted_ids)
        membership = next(
            m
            for m in locked.cluster_year.memberships.all()
            if m.department_id == user.department_id
        )
        try:
            with transaction.atomic():
                BallotVoter.objects.create(ballot=locked, membership=membership, cast_by=user)
        except IntegrityError as exc:
            raise ValidationError(
                _("Your department has already voted on this ballot."), code="already_voted"
            ) from exc
        code = receipt_code_new()
        BallotPaper.objects.create(
            ballot=locked,
            sealed=paper_seal(ballot_id=locked.pk, choices=chosen),
            receipt_digest=receipt_digest(ballot_id=locked.pk, code=code),
        )
        audit_record(
            actor=user,
            action=BallotAction.BALLOT_VOTED,
            target=locked,
            details={"department": membership.full_name},
            meta=meta,
        )
    return code


def receipt_check(*, ballot: Ballot, code: str) -> bool:
    """Whether a paper with the receipt ``code`` is among ``ballot``'s papers. The answer
    says nothing about what the paper holds; a code of another ballot is not found."""
    if not (code or "").strip():
        return False
    digest = receipt_digest(ballot_id=ballot.pk, code=code)
    return BallotPaper.objects.filter(ballot_id=ballot.pk, receipt_digest=digest).exists()
