"""Closing a ballot, counting it, a runoff among tied candidates, and the vote record.

* ``ballot_close`` (the secretariat): open → closed. An electronic ballot's papers are
  rewritten in a random order in the same transaction, so that neither their physical
  order nor the transaction that wrote them tells the order of voting; the count is queued
  on commit.
* ``ballot_count`` (the count task): opens the papers, marks each valid or not, and
  writes the totals on the ballot and the votes on its candidates (``ballots.counting``
  does the arithmetic); closed → counted; queues the vote record on commit. Idempotent.
* ``runoff_create`` (the secretariat): a new draft ballot among the candidates tied at the
  cut of a counted ballot, for the seats left.
* ``vote_record_issue`` (the record task, or a download before it ran): the numbered,
  sealed Decree 30 PDF (Biên bản kiểm phiếu), once.

Errors: ``PermissionDenied`` (not the secretariat) and ``ValidationError`` with a code.
"""

import datetime
import hashlib
import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots import counting, permissions
from ballots.audit import BallotAction
from ballots.crypto import paper_open
from ballots.models import Ballot, BallotPaper, Candidate, VoteRecord
from cluster_portal.audit import audit_record
from cluster_portal.numbering import document_number_take
from cluster_portal.pdf import render_pdf
from cluster_portal.seal import seal_pdf

RECORD_SYMBOL = "BB-CTĐ"


def _locked(ballot_id: int) -> Ballot:
    """The ballot row, locked until the transaction ends: one close, count or runoff at once."""
    return (
        Ballot.objects.select_for_update(of=("self",))
        .select_related("cluster_year__cluster", "conference")
        .get(pk=ballot_id)
    )


def _shuffle(items: list) -> None:
    """Shuffle in place from the operating system's randomness (not a seeded generator)."""
    random.SystemRandom().shuffle(items)


def _papers_rewrite(ballot: Ballot) -> int:
    """Delete the ballot's papers and write them again, same contents and receipt digests,
    in a random order and with fresh ids. Returns how many."""
    papers = list(ballot.papers.values_list("sealed", "receipt_digest"))
    _shuffle(papers)
    ballot.papers.all().delete()
    BallotPaper.objects.bulk_create(
        BallotPaper(ballot=ballot, sealed=bytes(sealed), receipt_digest=digest)
        for sealed, digest in papers
    )
    return len(papers)


def _state_label(ballot: Ballot) -> str:
    return str(Ballot.State(ballot.state).label)


def ballot_close(*, ballot: Ballot, by) -> Ballot:
    """Close an open ballot (its secretariat): no more votes; the count is queued.

    A paper ballot closes once its count committee's figures are entered (the count is
    made from them). Raises ``PermissionDenied`` for anyone else and ``ValidationError``
    with code ``not_open`` (it is a draft, closed or counted) or ``paper_count_missing``.
    """
    if not permissions.can_manage_ballot(by, ballot):
        raise PermissionDenied(_("Only the secretariat closes a ballot."))
    with transaction.atomic():
        ballot = _locked(ballot.pk)
        if ballot.state != Ballot.State.OPEN:
            raise ValidationError(
                _("Only an open ballot can be closed; this one is: %(state)s.")
                % {"state": _state_label(ballot)},
                code="not_open",
            )
        papers = None
        if ballot.method == Ballot.Method.PAPER:
            if not hasattr(ballot, "paper_count"):
                raise ValidationError(
                    _("Enter the count committee's figures before closing a paper ballot."),
                    code="paper_count_missing",
                )
        else:
            papers = _papers_rewrite(ballot)
        ballot.state = Ballot.State.CLOSED
        ballot.closed_at = timezone.now()
        ballot.save(update_fields=["state", "closed_at", "updated_at"])
        audit_record(
            actor=by,
            action=BallotAction.BALLOT_CLOSED,
            target=ballot,
            details={"method": ballot.method, "papers": papers},
        )
        from ballots.tasks import ballot_count_run

        ballot_id, cluster_year_id = ballot.pk, ballot.cluster_year_id
        transaction.on_commit(
            lambda: ballot_count_run.enqueue(ballot_id=ballot_id, cluster_year_id=cluster_year_id),
            robust=True,
        )
    return ballot


def _members_present(ballot: Ballot) -> int:
    """Member departments of the year recorded as attending the conference."""
    members = ballot.cluster_year.memberships.values("department_id")
    return (
        ballot.conference.attendees.filter(kind="member", department_id__in=members)
        .values("department_id")
        .distinct()
        .count()
    )


def _electronic_tally(ballot: Ballot, candidates: list[Candidate], eligible: int):
    """Open every paper, mark it valid or not; the tally. Raises ``ValidationError``
    (code ``roll_mismatch``) when the papers are not as many as the voters on the roll."""
    papers = list(ballot.papers.all())
    voters = ballot.voters.count()
    if voters != len(papers):
        raise ValidationError(
            _("%(papers)s papers for %(voters)s voters on the roll: the ballot cannot be counted.")
            % {"papers": len(papers), "voters": voters},
            code="roll_mismatch",
        )
    ids = {c.pk for c in candidates}
    votes = dict.fromkeys(ids, 0)
    valid, invalid = [], []
    for paper in papers:
        choices = paper_open(ballot_id=ballot.pk, sealed=paper.sealed)
        if counting.paper_is_valid(
            choices, candidates=ids, min_choices=ballot.min_choices, max_choices=ballot.max_choices
        ):
            valid.append(paper.pk)
            for pk in choices:
                votes[pk] += 1
        else:
            invalid.append(paper.pk)
    BallotPaper.objects.filter(pk__in=valid).update(valid=True)
    BallotPaper.objects.filter(pk__in=invalid).update(valid=False)
    present = max(_members_present(ballot), len(papers))
    return counting.Tally(
        eligible=eligible,
        present=present,
        issued=present,  # one ballot per member department present
        cast=len(papers),
        valid=len(valid),
        invalid=len(invalid),
        votes={c.pk: votes[c.pk] for c in candidates},
    )


def _paper_tally(ballot: Ballot, candidates: list[Candidate], eligible: int):
    figures = ballot.paper_count
    return counting.Tally(
        eligible=eligible,
        present=_members_present(ballot) or figures.issued,
        issued=figures.issued,
        cast=figures.returned,
        valid=figures.valid,
        invalid=figures.invalid,
        votes={c.pk: c.votes or 0 for c in candidates},
    )


def ballot_rules(ballot: Ballot) -> counting.Rules:
    return counting.Rules(
        quorum_percent=ballot.quorum_percent,
        threshold_percent=ballot.threshold_percent,
        threshold_base=ballot.threshold_base,
        seats=ballot.max_choices,
    )


def ballot_count(*, ballot_id: int) -> Ballot:
    """Count a closed ballot (the count task; no user). Idempotent: a counted ballot is
    returned as it is. Raises ``ValidationError`` with code ``not_closed`` (open or draft),
    ``roll_mismatch`` or ``tally`` (the numbers do not add up; the message names them).
    """
    with transaction.atomic():
        ballot = _locked(ballot_id)
        if ballot.state == Ballot.State.COUNTED:
            return ballot
        if ballot.state != Ballot.State.CLOSED:
            raise ValidationError(
                _("Only a closed ballot can be counted; this one is: %(state)s.")
                % {"state": _state_label(ballot)},
                code="not_closed",
            )
        candidates = list(ballot.candidates.all())
        eligible = ballot.cluster_year.memberships.count()
        if ballot.method == Ballot.Method.PAPER:
            tally = _paper_tally(ballot, candidates, eligible)
        else:
            tally = _electronic_tally(ballot, candidates, eligible)
        try:
            outcome = counting.count(tally, ballot_rules(ballot))
        except counting.TallyError as error:
            raise ValidationError(str(error), code="tally") from error
        for candidate in candidates:
            result = outcome.candidates[candidate.pk]
            candidate.votes = result.votes
            candidate.share = result.share
            candidate.reached_threshold = result.reached_threshold
            candidate.chosen = result.chosen
        Candidate.objects.bulk_update(candidates, ["votes", "share", "reached_threshold", "chosen"])
        for name in ("eligible", "present", "issued", "cast", "valid", "invalid"):
            setattr(ballot, name, getattr(tally, name))
        ballot.quorum_met = outcome.quorum_met
        ballot.has_tie = outcome.has_tie
        ballot.state = Ballot.State.COUNTED
        ballot.counted_at = timezone.now()
        ballot.save()
        audit_record(
            actor=None,
            action=BallotAction.BALLOT_COUNTED,
            target=ballot,
            details={
                "eligible": tally.eligible,
                "present": tally.present,
                "issued": tally.issued,
                "cast": tally.cast,
                "valid": tally.valid,
                "invalid": tally.invalid,
                "quorum_met": outcome.quorum_met,
                "has_tie": outcome.has_tie,
                "chosen": outcome.chosen,
            },
        )
        from ballots.tasks import vote_record_run

        cluster_year_id = ballot.cluster_year_id
        transaction.on_commit(
            lambda: vote_record_run.enqueue(ballot_id=ballot_id, cluster_year_id=cluster_year_id),
            robust=True,
        )
    return ballot


def ballot_outcome(ballot: Ballot, candidates: list[Candidate]) -> counting.Count:
    """The outcome of a counted ballot again, from its stored totals (who is tied)."""
    tally = counting.Tally(
        eligible=ballot.eligible,
        present=ballot.present,
        issued=ballot.issued,
        cast=ballot.cast,
        valid=ballot.valid,
        invalid=ballot.invalid,
        votes={c.pk: c.votes or 0 for c in candidates},
    )
    return counting.count(tally, ballot_rules(ballot))


def runoff_create(*, ballot: Ballot, by) -> Ballot:
    """A new draft ballot among the candidates tied at the cut of a counted ballot, for
    the seats they left (its secretariat; one runoff per ballot). Same question, method
    and rules; ``runoff_of`` points back. Raises ``PermissionDenied`` and
    ``ValidationError`` with code ``not_counted``, ``no_tie`` or ``runoff_exists``.
    """
    if not permissions.can_manage_ballot(by, ballot):
        raise PermissionDenied(_("Only the secretariat creates a runoff."))
    with transaction.atomic():
        ballot = _locked(ballot.pk)
        if ballot.state != Ballot.State.COUNTED:
            raise ValidationError(
                _("A runoff follows a counted ballot; this one is: %(state)s.")
                % {"state": _state_label(ballot)},
                code="not_counted",
            )
        if not ballot.has_tie:
            raise ValidationError(
                _("No candidates are tied at the cut of this ballot: there is nothing to run off."),
                code="no_tie",
            )
        existing = ballot.runoffs.first()
        if existing is not None:
            raise ValidationError(
                _("This ballot already has its runoff: %(question)s.")
                % {"question": existing.question},
                code="runoff_exists",
            )
        candidates = list(ballot.candidates.select_related("membership"))
        outcome = ballot_outcome(ballot, candidates)
        tied = [c for c in candidates if outcome.candidates[c.pk].tied]
        seats = outcome.seats_left
        runoff = Ballot.objects.create(
            conference=ballot.conference,
            cluster_year=ballot.cluster_year,
            kind=ballot.kind,
            question=f"{ballot.question} (bỏ phiếu lại)",
            method=ballot.method,
            min_choices=min(ballot.min_choices, seats),
            max_choices=seats,
            quorum_percent=ballot.quorum_percent,
            threshold_percent=ballot.threshold_percent,
            threshold_base=ballot.threshold_base,
            blank_policy=ballot.blank_policy,
            runoff_of=ballot,
            created_by=by,
            is_illustrative=ballot.is_illustrative,
        )
        Candidate.objects.bulk_create(
            Candidate(
                ballot=runoff,
                membership=candidate.membership,
                position=position,
                rank=candidate.rank,
                total=candidate.total,
            )
            for position, candidate in enumerate(tied, start=1)
        )
        audit_record(
            actor=by,
            action=BallotAction.RUNOFF_CREATED,
            target=runoff,
            details={
                "runoff_of": ballot.pk,
                "candidates": [c.membership.short_name for c in tied],
                "seats": seats,
            },
        )
    return runoff


def vote_record_issue(*, ballot_id: int, at: datetime.datetime | None = None) -> VoteRecord:
    """The vote record of a counted ballot: numbered (``BB-CTĐ``, per the cluster and
    calendar year), rendered, sealed and stored, once. Idempotent: an issued record is
    returned as it is; two runs at once keep one (the ballot row is locked while the number
    is taken and the PDF made, so a failure gives the number back). Raises
    ``ValidationError`` (code ``not_counted``) before the ballot is counted. ``at`` (demo
    data only) is the time of issue, otherwise now.
    """
    from ballots.selectors.counting import vote_record_context

    existing = VoteRecord.objects.filter(ballot_id=ballot_id).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        ballot = _locked(ballot_id)
        existing = VoteRecord.objects.filter(ballot=ballot).first()
        if existing is not None:
            return existing
        if ballot.state != Ballot.State.COUNTED:
            raise ValidationError(
                _("The vote record is made once the ballot is counted."), code="not_counted"
            )
        issued_at = at or timezone.now()
        number = document_number_take(
            issuer=ballot.cluster_year.cluster.code,
            year=timezone.localdate(issued_at).year,
            symbol=RECORD_SYMBOL,
            title=f"Biên bản kiểm phiếu: {ballot.question}"[:500],
        )
        record = VoteRecord(ballot=ballot, number=number.text, issued_at=issued_at)
        pdf = render_pdf(
            "pdf/ballots/vote_record.html", vote_record_context(ballot=ballot, record=record)
        )
        sealed = seal_pdf(pdf, reason=f"Biên bản kiểm phiếu - {ballot.cluster_year.cluster.name}")
        record.sha256 = hashlib.sha256(sealed).hexdigest()
        record.size = len(sealed)
        record.file.save(f"{record.identifier}.pdf", ContentFile(sealed), save=False)
        record.save()
        audit_record(
            actor=None,
            action=BallotAction.VOTE_RECORD_ISSUED,
            target=ballot,
            details={"number": record.number, "sha256": record.sha256},
        )
    return record
