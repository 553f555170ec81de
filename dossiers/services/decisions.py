"""The Ministry council's award decisions, recorded by a reviewer with the permission."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster_portal.audit import RequestMeta, audit_record
from cluster_portal.mail import mail_users
from dossiers import permissions
from dossiers.audit import DossierAction
from dossiers.models import AwardDecision, Dossier, Proposal
from members.models import User


def _refuse(message: str, code: str, field: str | None = None) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


@transaction.atomic
def award_decision_record(
    *,
    proposal: Proposal,
    decision: str,
    reference: str,
    decided_on: datetime.date,
    note: str = "",
    by,
    meta: RequestMeta | None = None,
) -> AwardDecision:
    """Record (or correct) the Ministry council's decision on one proposal of a sent dossier.

    For reviewers holding ``dossiers.record_award_decision`` and site admins
    (``permissions.can_record_award_decisions``); anyone else gets PermissionDenied. The
    proposal's dossier is locked, so a return and a decision cannot cross. A second call on
    the same proposal corrects the decision (one per proposal); the audit event keeps what
    it replaced. The 20% cap on Government flags is shown to the reviewer, not enforced
    here: the portal records what the council decided.

    Refusals (``ValidationError`` codes): ``not_sent`` (the dossier is not with the
    Ministry: draft, issued but not sent, or returned); ``unknown_decision``;
    ``not_proposed_for_government_flag`` (only a proposal for the Government's flag can be
    passed on to the Government); ``date_required``; ``future_date``;
    ``decided_before_sent`` (naming both dates).

    After the commit, the cluster's secretariat and the proposed department are told by
    e-mail.
    """
    if not permissions.can_record_award_decisions(by):
        raise PermissionDenied
    dossier = Dossier.objects.select_for_update().get(pk=proposal.dossier_id)
    if dossier.state != Dossier.State.SENT:
        raise _refuse(
            _("Decisions are recorded on a dossier sent to the Ministry; this one is “%(state)s”.")
            % {"state": dossier.get_state_display()},
            "not_sent",
        )
    if decision not in AwardDecision.Decision.values:
        raise _refuse(_("Choose one of the council's decisions."), "unknown_decision", "decision")
    if (
        decision == AwardDecision.Decision.GOVERNMENT_FLAG_PROPOSED
        and proposal.award != Proposal.Award.GOVERNMENT_FLAG
    ):
        raise _refuse(
            _(
                "Only a unit the cluster proposed for the Government's emulation flag can be "
                "passed on to the Government; this proposal is for “%(award)s”."
            )
            % {"award": proposal.get_award_display()},
            "not_proposed_for_government_flag",
            "decision",
        )
    if decided_on is None:
        raise _refuse(_("Give the date of the decision."), "date_required", "decided_on")
    today = timezone.localdate()
    if decided_on > today:
        raise _refuse(
            _("The decision date %(date)s is in the future.")
            % {"date": decided_on.strftime("%d/%m/%Y")},
            "future_date",
            "decided_on",
        )
    sent_on = timezone.localdate(dossier.sent_at) if dossier.sent_at else None
    if sent_on is not None and decided_on < sent_on:
        raise _refuse(
            _(
                "The decision date %(date)s is before the dossier was sent to the Ministry "
                "(%(sent)s)."
            )
            % {"date": decided_on.strftime("%d/%m/%Y"), "sent": sent_on.strftime("%d/%m/%Y")},
            "decided_before_sent",
            "decided_on",
        )
    fields = {
        "decision": decision,
        "reference": (reference or "").strip(),
        "decided_on": decided_on,
        "note": (note or "").strip(),
        "recorded_by": by,
    }
    record = AwardDecision.objects.filter(proposal=proposal).first()
    replaced = None
    if record is None:
        record = AwardDecision.objects.create(proposal=proposal, **fields)
    else:
        replaced = {
            "decision": record.decision,
            "reference": record.reference,
            "decided_on": record.decided_on.isoformat(),
        }
        for name, value in fields.items():
            setattr(record, name, value)
        record.save()
    details = {
        "proposal": proposal.pk,
        "dossier": dossier.pk,
        "unit": proposal.membership.short_name,
        "award": proposal.award,
        "decision": decision,
        "reference": fields["reference"],
        "decided_on": decided_on.isoformat(),
    }
    if replaced is not None:
        details["replaced"] = replaced
    audit_record(
        actor=by,
        action=DossierAction.DECISION_RECORDED,
        target=dossier,
        details=details,
        meta=meta,
    )
    _notify_recorded(record=record, dossier=dossier, corrected=replaced is not None)
    return record


def _notify_recorded(*, record: AwardDecision, dossier: Dossier, corrected: bool) -> None:
    """Tell the cluster's secretariat (the leader department's users and the cluster's
    administrators) and the proposed department's users."""
    proposal = record.proposal
    cluster_year = dossier.cluster_year
    condition = Q(department_id=proposal.membership.department_id) | Q(
        administered_clusters=cluster_year.cluster_id
    )
    leader = cluster_year.leader
    if leader is not None:
        condition |= Q(department_id=leader.department_id)
    recipients = list(User.objects.filter(is_active=True).filter(condition).distinct())
    history = reverse("members:cluster-history", kwargs={"code": cluster_year.cluster.code})
    mail_users(
        template="dossiers/email/decision_recorded",
        recipients=recipients,
        context={
            "cluster_year": cluster_year,
            "proposal": proposal,
            "decision": record,
            "corrected": corrected,
            "url": settings.PORTAL_BASE_URL + history,
        },
    )
