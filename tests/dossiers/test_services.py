"""The award dossier's services: starting it, its texts, attachments, issuing (once, with
numbered documents), sending (a recorded act), the Ministry's return and the new version."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cluster_portal.models import AuditEvent, DocumentNumber
from dossiers.audit import DossierAction
from dossiers.models import Dossier, DossierDocument, Proposal
from dossiers.services import dossiers as services
from dossiers.services.issuing import dossier_assemble_run
from tests.factories import UserFactory
from tests.helpers import (
    codes,
    docx_bytes,
    dossier_draft,
    dossier_issued,
    dossier_year_ready,
    pdf,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(world):
    return dossier_year_ready(world)


def decision_maker():
    from django.contrib.auth.models import Permission

    user = UserFactory(reviewer=True, username="hoidong.bonoivu")
    user.user_permissions.add(Permission.objects.get(codename="record_award_decision"))
    return user


# Starting


def test_starting_the_dossier_proposes_the_chosen_units_of_the_counted_award_ballots(world, ready):
    dossier = services.dossier_create(cluster_year=world.year_a, by=world.secretariat)
    proposal = Proposal.objects.get(dossier=dossier)
    assert (proposal.membership.department, proposal.award) == (world.haiphong, "ministry_flag")
    assert (proposal.rank, str(proposal.vote_share), proposal.ballot) == (1, "75.00", ready)


def test_a_member_who_is_not_the_secretariat_cannot_start_the_dossier(world, ready):
    with pytest.raises(PermissionDenied):
        services.dossier_create(cluster_year=world.year_a, by=world.signatory)


def test_a_reviewer_cannot_start_the_dossier(world, ready):
    with pytest.raises(PermissionDenied):
        services.dossier_create(cluster_year=world.year_a, by=world.reviewer)


def test_a_year_gets_one_dossier_started(world, ready):
    services.dossier_create(cluster_year=world.year_a, by=world.secretariat)
    with pytest.raises(ValidationError) as error:
        services.dossier_create(cluster_year=world.year_a, by=world.secretariat)
    assert codes(error.value) == {"exists"}
    assert Dossier.objects.count() == 1


# Issuing


def test_a_draft_without_texts_is_refused_with_what_is_missing(world, ready):
    dossier = dossier_draft(world, submission_text="", signer_name="")
    with pytest.raises(ValidationError) as error:
        services.dossier_issue(dossier=dossier, by=world.secretariat)
    assert codes(error.value) == {"no_text", "no_signer"}


def test_a_year_without_published_results_or_conference_cannot_issue(world):
    dossier = dossier_draft(world)
    with pytest.raises(ValidationError) as error:
        services.dossier_issue(dossier=dossier, by=world.secretariat)
    assert codes(error.value) == {"no_proposals", "no_conference", "no_results"}


def test_issuing_numbers_the_submission_and_the_minutes_for_the_cluster_and_calendar_year(
    world, ready
):
    dossier = dossier_issued(world)
    numbers = dict(dossier.documents.exclude(number="").values_list("kind", "number"))
    assert numbers["minutes"] == "01/BB-CTĐ"
    assert numbers["submission"] == "02/TTr-CTĐ"
    assert set(DocumentNumber.objects.values_list("issuer", flat=True)) == {"bac-bo"}


def test_issuing_encloses_the_vote_record_and_the_results_table(world, ready):
    dossier = dossier_issued(world)
    kinds = list(dossier.documents.order_by("position").values_list("kind", flat=True))
    assert kinds == ["submission", "minutes", "vote_record", "results"]


def test_a_vote_record_whose_task_has_not_run_is_issued_with_the_dossier(world, ready):
    from ballots.models import VoteRecord

    VoteRecord.objects.filter(ballot=ready).delete()  # as if the record task had not run
    dossier = dossier_issued(world)
    record = VoteRecord.objects.get(ballot=ready)
    enclosed = dossier.documents.get(kind=DossierDocument.Kind.VOTE_RECORD)
    assert enclosed.number == record.number == "01/BB-CTĐ"
    numbers = dict(dossier.documents.exclude(number="").values_list("kind", "number"))
    assert numbers["minutes"] == "02/BB-CTĐ"


def test_an_issued_dossier_is_issued_once_when_the_task_runs_twice(world, ready):
    dossier = dossier_issued(world)
    again = dossier_issued(world, dossier)
    assert again.archive_sha256 == dossier.archive_sha256
    assert dossier.documents.count() == 4
    assert DocumentNumber.objects.count() == 2
    assert AuditEvent.objects.filter(action=DossierAction.DOSSIER_ISSUED).count() == 1


def test_an_issued_dossier_can_no_longer_be_edited(world, ready):
    dossier = dossier_issued(world)
    with pytest.raises(ValidationError) as error:
        services.dossier_update(
            dossier=dossier,
            submission_text="x",
            signer_name="y",
            signer_title="z",
            by=world.secretariat,
        )
    assert codes(error.value) == {"not_draft"}


# Attachments


def test_an_attachment_is_stored_under_a_random_name_with_the_type_found_in_its_content(
    world, ready
):
    dossier = dossier_draft(world)
    document = services.attachment_add(
        dossier=dossier, title="Báo cáo thành tích", file=pdf("bao-cao.doc"), by=world.secretariat
    )
    assert document.content_type == "application/pdf"
    assert document.original_name == "bao-cao.doc"
    assert "bao-cao" not in document.file.name and document.file.name.endswith(".pdf")


def test_a_fake_pdf_is_refused_and_nothing_is_stored(world, ready):
    dossier = dossier_draft(world)
    fake = upload("bao-cao.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as error:
        services.attachment_add(dossier=dossier, title="Giả", file=fake, by=world.secretariat)
    assert codes(error.value) == {"wrong_type"}
    assert not DossierDocument.objects.exists()


def test_attachments_are_enclosed_after_the_generated_documents(world, ready):
    dossier = dossier_draft(world)
    services.attachment_add(
        dossier=dossier,
        title="Bảng thành tích",
        file=upload("thanh-tich.docx", docx_bytes()),
        by=world.secretariat,
    )
    issued = dossier_issued(world, dossier)
    assert list(issued.documents.order_by("position").values_list("kind", flat=True))[-1] == (
        "attachment"
    )


# Sending, returning, a new version


def test_sending_is_a_recorded_act_with_who_and_when(world, ready):
    dossier = services.dossier_send(dossier=dossier_issued(world), by=world.secretariat)
    event = AuditEvent.objects.get(action=DossierAction.DOSSIER_SENT)
    assert (event.actor, dossier.sent_by, dossier.state) == (
        world.secretariat,
        world.secretariat,
        "sent",
    )
    assert event.details["sha256"] == dossier.archive_sha256


def test_a_draft_cannot_be_sent(world, ready):
    with pytest.raises(ValidationError) as error:
        services.dossier_send(dossier=dossier_draft(world), by=world.secretariat)
    assert codes(error.value) == {"not_issued"}


def test_a_reviewer_with_the_permission_returns_a_sent_dossier_with_its_reason(world, ready):
    sent = services.dossier_send(dossier=dossier_issued(world), by=world.secretariat)
    returned = services.dossier_return(
        dossier=sent, reason="Thiếu biên bản họp Hội đồng.", by=decision_maker()
    )
    assert (returned.state, returned.return_reason) == ("returned", "Thiếu biên bản họp Hội đồng.")
    assert AuditEvent.objects.filter(action=DossierAction.DOSSIER_RETURNED).count() == 1


def test_a_reviewer_without_the_permission_cannot_return_the_dossier(world, ready):
    sent = services.dossier_send(dossier=dossier_issued(world), by=world.secretariat)
    with pytest.raises(PermissionDenied):
        services.dossier_return(dossier=sent, reason="Thiếu hồ sơ.", by=world.reviewer)


def test_the_secretariat_cannot_return_its_own_dossier(world, ready):
    sent = services.dossier_send(dossier=dossier_issued(world), by=world.secretariat)
    with pytest.raises(PermissionDenied):
        services.dossier_return(dossier=sent, reason="Rút lại.", by=world.secretariat)


def test_a_return_without_a_reason_is_refused(world, ready):
    sent = services.dossier_send(dossier=dossier_issued(world), by=world.secretariat)
    with pytest.raises(ValidationError) as error:
        services.dossier_return(dossier=sent, reason="  ", by=decision_maker())
    assert codes(error.value) == {"no_reason"}


def test_a_new_version_after_a_return_keeps_the_returned_version_and_its_files(world, ready):
    sent = services.dossier_send(dossier=dossier_issued(world), by=world.secretariat)
    returned = services.dossier_return(dossier=sent, reason="Bổ sung.", by=decision_maker())
    files_before = sorted(returned.documents.values_list("file", "sha256"))
    new = services.dossier_resubmit(dossier=returned, by=world.secretariat)
    returned.refresh_from_db()
    assert (new.version, new.state, new.previous) == (2, "draft", returned)
    assert (returned.state, returned.archive_sha256) == ("returned", sent.archive_sha256)
    assert sorted(returned.documents.values_list("file", "sha256")) == files_before
    assert returned.archive.storage.exists(returned.archive.name)


def test_the_second_version_gets_new_numbers_and_the_first_keeps_its_own(world, ready):
    sent = services.dossier_send(dossier=dossier_issued(world), by=world.secretariat)
    returned = services.dossier_return(dossier=sent, reason="Bổ sung.", by=decision_maker())
    new = dossier_issued(world, services.dossier_resubmit(dossier=returned, by=world.secretariat))
    assert new.documents.get(kind="submission").number == "04/TTr-CTĐ"
    assert returned.documents.get(kind="submission").number == "02/TTr-CTĐ"


def test_a_new_version_copies_the_attachments(world, ready):
    dossier = dossier_draft(world)
    services.attachment_add(
        dossier=dossier, title="Báo cáo", file=pdf("bao-cao.pdf"), by=world.secretariat
    )
    sent = services.dossier_send(dossier=dossier_issued(world, dossier), by=world.secretariat)
    returned = services.dossier_return(dossier=sent, reason="Bổ sung.", by=decision_maker())
    new = services.dossier_resubmit(dossier=returned, by=world.secretariat)
    copy = new.documents.get()
    original = returned.documents.get(kind="attachment")
    assert (copy.title, copy.sha256) == ("Báo cáo", original.sha256)
    assert copy.file.name != original.file.name


def test_only_one_new_version_follows_a_return(world, ready):
    sent = services.dossier_send(dossier=dossier_issued(world), by=world.secretariat)
    returned = services.dossier_return(dossier=sent, reason="Bổ sung.", by=decision_maker())
    services.dossier_resubmit(dossier=returned, by=world.secretariat)
    with pytest.raises(ValidationError) as error:
        services.dossier_resubmit(dossier=returned, by=world.secretariat)
    assert codes(error.value) == {"exists"}


def test_an_issue_that_fails_half_way_takes_no_number_and_leaves_the_draft(world, ready):
    from ballots.models import VoteRecord

    dossier = dossier_draft(world)
    record = VoteRecord.objects.get()
    record.file.storage.delete(record.file.name)  # the minutes are numbered before this
    with pytest.raises(FileNotFoundError):
        dossier_assemble_run(dossier_id=dossier.pk, by_id=world.secretariat.pk)
    dossier.refresh_from_db()
    assert (dossier.state, dossier.archive.name) == ("draft", "")
    assert not DocumentNumber.objects.exists()
    assert not dossier.documents.exists()
