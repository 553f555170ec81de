"""The Ministry council's decisions (dossiers.services.decisions.award_decision_record)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cluster_portal.models import AuditEvent
from dossiers.audit import DossierAction
from dossiers.models import AwardDecision, Dossier, Proposal
from dossiers.services.decisions import award_decision_record
from tests.helpers import codes, ministry_dossier, ministry_may_decide

DECIDED_ON = datetime.date(2025, 1, 20)
Award = Proposal.Award
Decision = AwardDecision.Decision


@pytest.fixture
def proposals(world):
    """Cluster A's sent dossier: Hà Nội for the Government's flag, Hải Phòng for the
    Ministry's flag."""
    dossier = ministry_dossier(
        world.year_a,
        (world.hanoi, Award.GOVERNMENT_FLAG, 1, "98.5", "100"),
        (world.haiphong, Award.MINISTRY_FLAG, 2, "95.25", "75"),
    )
    return {p.membership.department_id: p for p in dossier.proposals.all()}


@pytest.fixture
def decider(world):
    return ministry_may_decide(world.reviewer)


def record(proposal, by, **overrides):
    fields = {
        "decision": Decision.MINISTRY_FLAG,
        "reference": "123/QĐ-BNV",
        "decided_on": DECIDED_ON,
        "note": "",
    }
    fields.update(overrides)
    return award_decision_record(proposal=proposal, by=by, **fields)


def test_a_reviewer_with_the_permission_records_the_decision(world, proposals, decider):
    decision = record(proposals[world.haiphong.pk], decider)
    decision.refresh_from_db()
    assert (decision.decision, decision.reference, decision.decided_on) == (
        Decision.MINISTRY_FLAG,
        "123/QĐ-BNV",
        DECIDED_ON,
    )
    assert decision.recorded_by == decider


def test_recording_a_decision_writes_an_audit_event_on_the_dossier(world, proposals, decider):
    proposal = proposals[world.haiphong.pk]
    record(proposal, decider)
    event = AuditEvent.objects.get(action=DossierAction.DECISION_RECORDED)
    assert event.actor == decider
    assert event.target_id == str(proposal.dossier_id)
    assert event.details["decision"] == Decision.MINISTRY_FLAG
    assert event.details["unit"] == proposal.membership.short_name


def test_recording_again_corrects_the_one_decision_and_keeps_the_old_in_the_audit(
    world, proposals, decider
):
    proposal = proposals[world.haiphong.pk]
    record(proposal, decider)
    record(proposal, decider, decision=Decision.MINISTER_MERIT, reference="124/QĐ-BNV")
    assert AwardDecision.objects.get(proposal=proposal).decision == Decision.MINISTER_MERIT
    assert AwardDecision.objects.count() == 1
    last = AuditEvent.objects.filter(action=DossierAction.DECISION_RECORDED).order_by("id").last()
    assert last.details["replaced"]["decision"] == Decision.MINISTRY_FLAG
    assert last.details["replaced"]["reference"] == "123/QĐ-BNV"


def test_a_site_admin_records_a_decision(world, proposals):
    record(proposals[world.haiphong.pk], world.site_admin)
    assert AwardDecision.objects.count() == 1


@pytest.mark.parametrize("role", ["reviewer", "secretariat", "signatory", "staff", "outsider"])
def test_anyone_else_is_refused_and_nothing_is_stored(world, proposals, role):
    with pytest.raises(PermissionDenied):
        record(proposals[world.haiphong.pk], world.user(role))
    assert not AwardDecision.objects.exists()
    assert not AuditEvent.objects.filter(action=DossierAction.DECISION_RECORDED).exists()


@pytest.mark.parametrize("state", ["issued", "returned"])
def test_a_dossier_not_with_the_ministry_takes_no_decision(world, decider, state):
    dossier = ministry_dossier(
        world.year_a, (world.haiphong, Award.MINISTRY_FLAG, 2, "95", "75"), state=state
    )
    with pytest.raises(ValidationError) as error:
        record(dossier.proposals.get(), decider)
    assert codes(error.value) == {"not_sent"}
    assert not AwardDecision.objects.exists()


def test_only_a_government_flag_proposal_is_passed_on_to_the_government(world, proposals, decider):
    with pytest.raises(ValidationError) as error:
        record(proposals[world.haiphong.pk], decider, decision=Decision.GOVERNMENT_FLAG_PROPOSED)
    assert codes(error.value) == {"not_proposed_for_government_flag"}


def test_a_government_flag_proposal_is_passed_on_to_the_government(world, proposals, decider):
    record(proposals[world.hanoi.pk], decider, decision=Decision.GOVERNMENT_FLAG_PROPOSED)
    assert AwardDecision.objects.get().decision == Decision.GOVERNMENT_FLAG_PROPOSED


def test_an_unknown_decision_is_refused(world, proposals, decider):
    with pytest.raises(ValidationError) as error:
        record(proposals[world.haiphong.pk], decider, decision="gold_medal")
    assert codes(error.value) == {"unknown_decision"}


def test_a_decision_dated_in_the_future_is_refused(world, proposals, decider):
    with pytest.raises(ValidationError) as error:
        record(proposals[world.haiphong.pk], decider, decided_on=datetime.date(2999, 1, 1))
    assert codes(error.value) == {"future_date"}


def test_a_decision_dated_before_the_dossier_was_sent_names_both_dates(world, proposals, decider):
    with pytest.raises(ValidationError) as error:
        record(proposals[world.haiphong.pk], decider, decided_on=datetime.date(2024, 12, 1))
    assert codes(error.value) == {"decided_before_sent"}
    message = " ".join(error.value.messages)
    assert "01/12/2024" in message and "10/12/2024" in message


def test_a_return_after_the_lookup_is_seen_under_the_lock(world, proposals, decider):
    proposal = proposals[world.haiphong.pk]
    Dossier.objects.filter(pk=proposal.dossier_id).update(
        state=Dossier.State.RETURNED, return_reason="Thiếu biên bản."
    )
    with pytest.raises(ValidationError) as error:
        record(proposal, decider)
    assert codes(error.value) == {"not_sent"}


@pytest.mark.usefixtures("tasks_run_at_once")
def test_the_secretariat_and_the_department_are_told_in_vietnamese(
    world, proposals, decider, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tests.factories import UserFactory

    haiphong_signer = UserFactory(department=world.haiphong, signatory=True)
    with django_capture_on_commit_callbacks(execute=True):
        record(proposals[world.haiphong.pk], decider)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(
        [world.secretariat.email, world.signatory.email, world.staff.email, haiphong_signer.email]
    )
    message = mail.outbox[0]
    assert world.haiphong.short_name in message.subject
    assert "123/QĐ-BNV" in message.body and "20/01/2025" in message.body
    assert "Quyết định: Cờ thi đua của Bộ Nội vụ" in message.body


def test_nobody_is_told_of_a_refused_decision(
    world, proposals, decider, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        record(proposals[world.haiphong.pk], decider, decided_on=datetime.date(2999, 1, 1))
    assert mail.outbox == []
