"""The covenant's text and hash, and the invariants the database itself enforces."""

import datetime
import hashlib

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from agreements.models import Commitment, Covenant, CovenantVersion, Reminder, Signature
from tests.helpers import COMMITMENTS, PREAMBLE, TITLE, refreshed

pytestmark = pytest.mark.django_db


# The text members sign


def test_the_text_starts_with_the_title(draft):
    assert draft.render_text().splitlines()[0] == TITLE


def test_the_text_contains_the_preamble(draft):
    assert PREAMBLE in draft.render_text()


def test_the_text_cites_the_legal_bases_after_can_cu(draft):
    lines = draft.render_text().splitlines()
    basis = lines.index("Căn cứ:") + 1
    assert lines[basis] == "- Công văn số 1307/BNV-VP ngày 27/3/2019 của Bộ Nội vụ."


def test_the_text_numbers_the_commitments_in_order(draft):
    lines = draft.render_text().splitlines()
    assert [line for line in lines if line[:2] in {f"{n}." for n in range(1, 6)}] == [
        f"{n}. {text}" for n, text in enumerate(COMMITMENTS, start=1)
    ]


def test_the_text_ends_with_place_and_date_as_official_documents_write_them(draft):
    assert draft.render_text().splitlines()[-1] == "Hà Nội, ngày 05 tháng 3 năm 2024"


def test_the_text_ends_with_one_newline(draft):
    text = draft.render_text()
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_changing_one_commitment_changes_the_hash_of_the_text(draft):
    before = CovenantVersion.hash_text(draft.render_text())
    Commitment.objects.filter(covenant=draft, position=2).update(text="Một cam kết khác.")
    assert CovenantVersion.hash_text(refreshed(draft).render_text()) != before


def test_the_hash_is_the_sha256_of_the_utf8_text():
    text = "Giao ước thi đua năm 2019\n"
    assert CovenantVersion.hash_text(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_a_covenant_is_named_by_its_title_and_cluster(world, draft):
    assert str(draft) == f"{TITLE} – {world.cluster_a.name}"


# Database invariants


def new_signature(covenant, department, **fields) -> Signature:
    version = covenant.versions.get(number=covenant.version)
    values = {
        "covenant": covenant,
        "version": version,
        "department": department,
        "status": Signature.Status.SIGNED,
        "method": Signature.Method.PORTAL,
        "signer_name": "Nguyễn Văn Hùng",
        "department_name": department.full_name,
        "signed_at": timezone.now(),
        "text_sha256": version.sha256,
    }
    values.update(fields)
    return Signature.objects.create(**values)


def test_the_database_keeps_one_current_signature_per_department(world, covenant):
    new_signature(covenant, world.haiphong)
    with pytest.raises(IntegrityError), transaction.atomic():
        new_signature(covenant, world.haiphong)


def test_a_voided_signature_leaves_room_for_a_new_one(world, covenant):
    new_signature(covenant, world.haiphong, voided_at=timezone.now())
    new_signature(covenant, world.haiphong)
    assert Signature.objects.filter(department=world.haiphong).count() == 2


def test_two_departments_may_sign_the_same_covenant(world, covenant):
    new_signature(covenant, world.haiphong)
    new_signature(covenant, world.bacninh)
    assert Signature.objects.count() == 2


def test_the_database_refuses_a_decline_without_a_reason(world, covenant):
    with pytest.raises(IntegrityError), transaction.atomic():
        new_signature(covenant, world.haiphong, status=Signature.Status.DECLINED)


def test_a_decline_with_a_reason_is_stored(world, covenant):
    new_signature(
        covenant, world.haiphong, status=Signature.Status.DECLINED, decline_reason="Lý do."
    )
    assert Signature.objects.get().status == Signature.Status.DECLINED


def test_the_database_keeps_one_reminder_per_signatory_per_day(world, covenant):
    Reminder.objects.create(
        covenant=covenant, recipient=world.signatory, sent_on=datetime.date(2024, 3, 10)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            covenant=covenant, recipient=world.signatory, sent_on=datetime.date(2024, 3, 10)
        )


def test_the_database_keeps_one_text_per_version_number(covenant):
    with pytest.raises(IntegrityError), transaction.atomic():
        CovenantVersion.objects.create(covenant=covenant, number=1, text="x", sha256="0" * 64)


def test_the_database_keeps_one_commitment_per_number(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.create(covenant=draft, position=1, text="Trùng số.")


def test_the_database_refuses_version_zero(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Covenant.objects.filter(pk=draft.pk).update(version=0)


def test_the_database_keeps_one_covenant_per_cluster_year(world, draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Covenant.objects.create(cluster_year=world.year_a, title="Giao ước thứ hai")


def test_a_signature_is_named_by_department_and_status(world, covenant):
    signature = new_signature(covenant, world.haiphong)
    assert str(signature).startswith(f"{world.haiphong.full_name}: ")


def test_a_signature_is_voided_once_it_has_a_voiding_time(world, covenant):
    signature = new_signature(covenant, world.haiphong, voided_at=timezone.now())
    assert signature.is_voided
