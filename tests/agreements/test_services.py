"""Writes of the agreements app: drafting, opening, signing, declining, versions, reminders.

Every service checks permission and state, validates, writes and records an audit event;
a refusal carries its own ``ValidationError`` code and changes nothing.
"""

import datetime
import hashlib
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agreements import services
from agreements.models import Covenant, CovenantVersion, CovenantView, Reminder, Signature
from cluster_portal.models import AuditEvent
from members import services as members_services
from members.models import Membership, User
from tests.factories import PASSWORD, UserFactory, minimal_pdf
from tests.helpers import (
    COMMITMENTS,
    MEMBER_CODES,
    META,
    TITLE,
    allow_paper_recorder,
    clock,
    codes,
    decline,
    draft_covenant,
    open_covenant,
    paper_scan,
    refreshed,
    sign,
    utc,
)

pytestmark = pytest.mark.django_db


def events(action: str):
    return AuditEvent.objects.filter(action=action).order_by("id")


def update(covenant, by, **overrides):
    arguments = {
        "covenant": refreshed(covenant),
        "title": TITLE,
        "preamble": "",
        "place": "Hà Nội",
        "signing_date": None,
        "deadline": timezone.now() + datetime.timedelta(days=10),
        "leader_signs_last": False,
        "legal_bases": [],
        "commitments": ["Cam kết duy nhất."],
        "by": by,
    }
    arguments.update(overrides)
    return services.covenant_update(**arguments)


def new_version(covenant, by, reason="Bổ sung chỉ tiêu về chuyển đổi số."):
    return services.covenant_new_version(covenant=refreshed(covenant), reason=reason, by=by)


def current(covenant) -> Signature:
    return Signature.objects.get(covenant=covenant, voided_at__isnull=True)


# Drafting


def test_the_secretariat_drafts_a_covenant_with_numbered_commitments(draft):
    assert list(draft.commitments.values_list("position", "text")) == list(
        enumerate(COMMITMENTS, start=1)
    )


def test_a_new_covenant_is_a_draft_of_version_1(draft):
    assert (refreshed(draft).state, refreshed(draft).version) == (Covenant.State.DRAFT, 1)


def test_drafting_records_a_created_event_by_the_secretariat(world, draft):
    event = events("covenant.created").get()
    assert (event.actor, event.target_id) == (world.secretariat, str(draft.pk))


def test_blank_commitments_are_dropped_and_the_rest_numbered_in_order(world):
    covenant = draft_covenant(world, commitments=["  Thứ nhất. ", "", "   ", "Thứ hai."])
    assert list(covenant.commitments.values_list("position", "text")) == [
        (1, "Thứ nhất."),
        (2, "Thứ hai."),
    ]


def test_a_second_covenant_for_the_same_year_is_refused(world, draft):
    with pytest.raises(PermissionDenied):
        draft_covenant(world)


def test_a_signatory_cannot_draft_a_covenant(world):
    with pytest.raises(PermissionDenied):
        draft_covenant(world, by=world.signatory)


def test_the_secretariat_edits_the_text_of_a_draft(world, draft):
    update(draft, world.secretariat, title="Giao ước thi đua năm 2024 (sửa đổi)")
    assert refreshed(draft).title == "Giao ước thi đua năm 2024 (sửa đổi)"


def test_editing_replaces_the_commitments(world, draft):
    update(draft, world.secretariat, commitments=["Một.", "Hai."])
    assert list(draft.commitments.values_list("text", flat=True)) == ["Một.", "Hai."]


def test_editing_records_an_edited_event_with_the_hash_of_the_new_text(world, draft):
    update(draft, world.secretariat)
    event = events("covenant.edited").get()
    assert event.details["sha256"] == CovenantVersion.hash_text(refreshed(draft).render_text())


def test_a_covenant_open_for_signing_cannot_be_edited(world, covenant):
    with pytest.raises(PermissionDenied):
        update(covenant, world.secretariat)


def test_a_refused_edit_leaves_the_text_unchanged(world, covenant):
    with pytest.raises(PermissionDenied):
        update(covenant, world.secretariat, title="Đổi tên")
    assert refreshed(covenant).title == TITLE


def test_a_signatory_cannot_edit_a_draft(world, draft):
    with pytest.raises(PermissionDenied):
        update(draft, world.signatory)


# Opening for signing


def test_opening_freezes_the_text_as_version_1(covenant):
    version = covenant.versions.get()
    assert (version.number, version.text) == (1, covenant.render_text())


def test_opening_stores_the_sha256_of_the_rendered_text(covenant):
    version = covenant.versions.get()
    assert version.sha256 == CovenantVersion.hash_text(covenant.render_text())


def test_opening_puts_the_covenant_in_the_open_state_with_its_time(draft, world):
    at = utc(2024, 3, 1, 2, 0)
    with clock(at):
        open_covenant(draft, world.secretariat)
    covenant = refreshed(draft)
    assert (covenant.state, covenant.opened_at) == (Covenant.State.OPEN, at)


def test_opening_records_an_opened_event_with_the_version_hash(covenant):
    event = events("covenant.opened").get()
    assert event.details == {"version": 1, "sha256": covenant.versions.get().sha256}


def test_opening_without_commitments_is_refused(world, signatories):
    draft = draft_covenant(world, commitments=[])
    with pytest.raises(ValidationError) as refused:
        open_covenant(draft, world.secretariat)
    assert codes(refused.value) == {"no_commitments"}


def test_a_refused_opening_leaves_the_draft_without_a_version(world, signatories):
    draft = draft_covenant(world, commitments=[])
    with pytest.raises(ValidationError):
        open_covenant(draft, world.secretariat)
    assert (refreshed(draft).state, draft.versions.count()) == (Covenant.State.DRAFT, 0)


def test_opening_with_a_deadline_in_the_past_is_refused(world, signatories):
    draft = draft_covenant(world, deadline=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError) as refused:
        open_covenant(draft, world.secretariat)
    assert codes(refused.value) == {"deadline_passed"}


def test_opening_without_a_deadline_is_allowed(world, signatories):
    draft = draft_covenant(world, deadline=None)
    open_covenant(draft, world.secretariat)
    assert refreshed(draft).state == Covenant.State.OPEN


def test_a_covenant_cannot_be_opened_twice(world, covenant):
    with pytest.raises(PermissionDenied):
        open_covenant(covenant, world.secretariat)


def test_a_signatory_cannot_open_a_covenant(world, draft):
    with pytest.raises(PermissionDenied):
        open_covenant(draft, world.signatory)


# Signing: what is recorded


def test_signing_records_the_department(world, covenant):
    signature = sign(covenant, world.signatory)
    assert signature.department == world.haiphong


def test_signing_records_the_department_as_named_that_year(world, covenant):
    world.haiphong.full_name = "Sở Nội vụ thành phố Hải Phòng (sau sáp nhập)"
    world.haiphong.save()
    signature = sign(covenant, world.signatory)
    snapshot = Membership.objects.get(cluster_year=world.year_a, department=world.haiphong)
    assert signature.department_name == snapshot.full_name == "Sở Nội vụ thành phố Hải Phòng"


def test_signing_records_the_signers_name_and_title(world, covenant):
    signature = sign(covenant, world.signatory)
    assert (signature.signer, signature.signer_name, signature.signer_title) == (
        world.signatory,
        world.signatory.get_full_name(),
        "Giám đốc Sở",
    )


def test_the_signature_keeps_the_signers_name_and_title_of_that_moment(world, covenant):
    signature = sign(covenant, world.signatory)
    User.objects.filter(pk=world.signatory.pk).update(last_name="Trần Thị Mai", position="")
    signature.refresh_from_db()
    assert (signature.signer_name, signature.signer_title) == (
        world.signatory.get_full_name(),
        "Giám đốc Sở",
    )


def test_signing_records_the_time(world, covenant):
    at = utc(2024, 3, 10, 3, 15, 42)
    with clock(at):
        signature = sign(covenant, world.signatory)
    signature.refresh_from_db()
    assert signature.signed_at == at


def test_signing_records_the_ip_address_and_user_agent(world, covenant):
    signature = sign(covenant, world.signatory)
    signature.refresh_from_db()
    assert (signature.ip_address, signature.user_agent) == (META.ip_address, META.user_agent)


def test_signing_records_the_version_and_the_sha256_of_the_text_signed(world, covenant):
    signature = sign(covenant, world.signatory)
    version = covenant.versions.get()
    assert (signature.version, signature.text_sha256) == (version, version.sha256)


def test_the_recorded_sha256_is_that_of_the_text_shown_to_the_signer(world, covenant):
    signature = sign(covenant, world.signatory)
    assert signature.text_sha256 == CovenantVersion.hash_text(covenant.render_text())


def test_signing_in_the_portal_is_recorded_as_a_confirmation_by_the_system(world, covenant):
    signature = sign(covenant, world.signatory)
    assert (signature.method, signature.status) == (
        Signature.Method.PORTAL,
        Signature.Status.SIGNED,
    )


def test_signing_records_a_signed_event_with_the_signer_and_the_hash(world, covenant):
    signature = sign(covenant, world.signatory)
    event = events("signature.signed").get()
    assert (event.actor, event.details["sha256"], event.details["signer"]) == (
        world.signatory,
        signature.text_sha256,
        signature.signer_name,
    )


def test_the_signed_event_records_where_the_request_came_from(world, covenant):
    sign(covenant, world.signatory)
    event = events("signature.signed").get()
    assert (event.ip_address, event.user_agent) == (META.ip_address, META.user_agent)


def test_one_signature_leaves_the_covenant_open(world, covenant):
    sign(covenant, world.signatory)
    assert refreshed(covenant).state == Covenant.State.OPEN


# Signing: refusals, each with its own code


def test_a_wrong_password_is_refused(world, covenant):
    with pytest.raises(ValidationError) as refused:
        sign(covenant, world.signatory, password="sai-mat-khau")
    assert codes(refused.value) == {"wrong_password"}


def test_signing_checks_the_password_once(world, covenant):
    # Argon2 is the request's main cost: a login pays it once, so must a signature.
    with mock.patch.object(
        User, "check_password", autospec=True, side_effect=User.check_password
    ) as checked:
        sign(covenant, world.signatory)
    assert checked.call_count == 1


def test_an_empty_password_is_refused(world, covenant):
    with pytest.raises(ValidationError) as refused:
        sign(covenant, world.signatory, password="")
    assert codes(refused.value) == {"wrong_password"}


def test_a_wrong_password_records_no_signature(world, covenant):
    with pytest.raises(ValidationError):
        sign(covenant, world.signatory, password="sai-mat-khau")
    assert not Signature.objects.exists()


def test_a_wrong_password_records_a_refusal_event(world, covenant):
    with pytest.raises(ValidationError):
        sign(covenant, world.signatory, password="sai-mat-khau")
    event = events("signature.refused").get()
    assert (event.actor, event.details, event.ip_address) == (
        world.signatory,
        {"reason": "wrong_password"},
        META.ip_address,
    )


def wrong_passwords(covenant, user, times: int):
    for _ in range(times):
        with pytest.raises(ValidationError):
            sign(covenant, user, password="sai-mat-khau")


def test_too_many_wrong_passwords_refuse_even_the_right_one(world, covenant, settings):
    wrong_passwords(covenant, world.signatory, settings.AXES_FAILURE_LIMIT)
    with pytest.raises(ValidationError) as refused:
        sign(covenant, world.signatory)
    assert codes(refused.value) == {"too_many_attempts"}


def test_wrong_passwords_below_the_limit_still_allow_signing(world, covenant, settings):
    wrong_passwords(covenant, world.signatory, settings.AXES_FAILURE_LIMIT - 1)
    sign(covenant, world.signatory)
    assert Signature.objects.filter(department=world.haiphong).exists()


def test_the_lock_out_says_until_when_in_vietnam_time(world, covenant, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
    start = utc(2024, 3, 10, 2, 0)  # 09:00 in Vietnam
    for minute in range(settings.AXES_FAILURE_LIMIT):
        with clock(start + datetime.timedelta(minutes=minute)):
            wrong_passwords(covenant, world.signatory, 1)
    with clock(start + datetime.timedelta(minutes=10)), pytest.raises(ValidationError) as refused:
        sign(covenant, world.signatory)
    # The lock ends when the first of the five wrong passwords leaves the 15-minute window.
    assert "09:15 (GMT+7)" in refused.value.message_dict["password"][0]


def test_signing_is_allowed_again_after_the_cool_off_time(world, covenant, settings):
    start = utc(2024, 3, 10, 2, 0)
    with clock(start):
        wrong_passwords(covenant, world.signatory, settings.AXES_FAILURE_LIMIT)
    with clock(start + settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1)):
        sign(covenant, world.signatory)
    assert Signature.objects.filter(department=world.haiphong).exists()


def test_wrong_passwords_on_the_password_change_count_against_signing(world, covenant, settings):
    wrong_passwords(covenant, world.signatory, settings.AXES_FAILURE_LIMIT - 1)
    with pytest.raises(ValidationError):
        members_services.user_password_change(
            user=world.signatory, old_password="sai-mat-khau", new_password="x" * 20, meta=META
        )
    with pytest.raises(ValidationError) as refused:
        sign(covenant, world.signatory)
    assert codes(refused.value) == {"too_many_attempts"}


def test_one_signatorys_wrong_passwords_do_not_lock_out_a_colleague(world, covenant, settings):
    wrong_passwords(covenant, world.signatory, settings.AXES_FAILURE_LIMIT)
    colleague = UserFactory(role=User.Role.SIGNATORY, department=world.haiphong)
    sign(covenant, colleague)
    assert Signature.objects.filter(signer=colleague).exists()


def test_an_unticked_confirmation_is_refused(world, covenant):
    with pytest.raises(ValidationError) as refused:
        sign(covenant, world.signatory, confirmed=False)
    assert codes(refused.value) == {"not_confirmed"}


def test_an_unticked_confirmation_records_nothing(world, covenant):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        sign(covenant, world.signatory, confirmed=False)
    assert (Signature.objects.count(), AuditEvent.objects.count()) == (0, before)


def test_signing_after_the_deadline_is_refused(world, covenant):
    with (
        clock(covenant.deadline + datetime.timedelta(minutes=1)),
        pytest.raises(ValidationError) as refused,
    ):
        sign(covenant, world.signatory)
    assert codes(refused.value) == {"deadline_passed"}


def test_signing_when_the_deadline_was_moved_into_the_past_is_refused(world, covenant):
    Covenant.objects.filter(pk=covenant.pk).update(
        deadline=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError) as refused:
        sign(covenant, world.signatory)
    assert codes(refused.value) == {"deadline_passed"}


def test_signing_just_before_the_deadline_is_accepted(world, covenant):
    with clock(covenant.deadline - datetime.timedelta(minutes=1)):
        sign(covenant, world.signatory)
    assert Signature.objects.filter(department=world.haiphong).exists()


def test_signing_a_draft_is_refused(world, draft):
    with pytest.raises(ValidationError) as refused:
        sign(draft, world.signatory)
    assert codes(refused.value) == {"not_open"}


def test_signing_a_fully_signed_covenant_is_refused(world, signed_covenant):
    second = UserFactory(role=User.Role.SIGNATORY, department=world.haiphong)
    with pytest.raises(ValidationError) as refused:
        sign(signed_covenant, second)
    assert codes(refused.value) == {"not_open"}


def test_department_staff_who_are_not_signatories_cannot_sign(world, covenant):
    with pytest.raises(ValidationError) as refused:
        sign(covenant, world.staff)
    assert codes(refused.value) == {"not_signatory"}


def test_the_secretariat_staff_cannot_sign(world, covenant):
    with pytest.raises(ValidationError) as refused:
        sign(covenant, world.secretariat)
    assert codes(refused.value) == {"not_signatory"}


def test_a_reviewer_cannot_sign(world, covenant):
    with pytest.raises(ValidationError) as refused:
        sign(covenant, world.reviewer)
    assert codes(refused.value) == {"not_signatory"}


def test_a_site_admin_cannot_sign(world, covenant):
    with pytest.raises(ValidationError) as refused:
        sign(covenant, world.site_admin)
    assert codes(refused.value) == {"not_signatory"}


def test_a_signatory_of_another_clusters_department_cannot_sign(covenant, other_cluster_signatory):
    with pytest.raises(ValidationError) as refused:
        sign(covenant, other_cluster_signatory)
    assert codes(refused.value) == {"not_member"}


def test_a_signatory_of_a_former_member_cannot_sign(covenant, former_member_signatory):
    with pytest.raises(ValidationError) as refused:
        sign(covenant, former_member_signatory)
    assert codes(refused.value) == {"not_member"}


def test_a_staff_member_of_another_cluster_cannot_sign(world, covenant):
    with pytest.raises(ValidationError) as refused:
        sign(covenant, world.outsider)
    assert codes(refused.value) == {"not_signatory"}


def test_an_inactive_signatory_cannot_sign(world, covenant):
    User.objects.filter(pk=world.signatory.pk).update(is_active=False)
    world.signatory.refresh_from_db()
    with pytest.raises(ValidationError):
        sign(covenant, world.signatory)
    assert not Signature.objects.exists()


def test_a_department_that_signed_cannot_sign_again(world, covenant):
    sign(covenant, world.signatory)
    with pytest.raises(ValidationError) as refused:
        sign(covenant, world.signatory)
    assert codes(refused.value) == {"already_signed"}


def test_a_second_signatory_of_a_department_that_signed_is_refused(world, covenant):
    sign(covenant, world.signatory)
    colleague = UserFactory(role=User.Role.SIGNATORY, department=world.haiphong)
    with pytest.raises(ValidationError) as refused:
        sign(covenant, colleague)
    assert codes(refused.value) == {"already_signed"}


def test_signing_twice_keeps_one_signature(world, covenant):
    sign(covenant, world.signatory)
    with pytest.raises(ValidationError):
        sign(covenant, world.signatory)
    assert Signature.objects.filter(department=world.haiphong).count() == 1


def test_a_request_holding_a_copy_read_before_the_signature_is_refused(world, covenant):
    # A second tab that loaded the covenant before the first tab signed.
    stale = refreshed(covenant)
    sign(covenant, world.signatory)
    with pytest.raises(ValidationError) as refused:
        services.signature_record(
            covenant=stale, user=world.signatory, password=PASSWORD, confirmed=True, meta=META
        )
    assert codes(refused.value) == {"already_signed"}


# Declining


def test_declining_records_a_declined_response_with_the_reason(world, covenant):
    signature = decline(covenant, world.signatory, reason="Chưa thống nhất chỉ tiêu số 2.")
    assert (signature.status, signature.decline_reason) == (
        Signature.Status.DECLINED,
        "Chưa thống nhất chỉ tiêu số 2.",
    )


def test_declining_without_a_reason_is_refused(world, covenant):
    with pytest.raises(ValidationError) as refused:
        decline(covenant, world.signatory, reason="   ")
    assert codes(refused.value) == {"no_reason"}


def test_declining_without_a_reason_records_nothing(world, covenant):
    with pytest.raises(ValidationError):
        decline(covenant, world.signatory, reason="")
    assert not Signature.objects.exists()


def test_declining_needs_the_password(world, covenant):
    with pytest.raises(ValidationError) as refused:
        decline(covenant, world.signatory, password="sai-mat-khau")
    assert codes(refused.value) == {"wrong_password"}


def test_declining_records_a_declined_event_with_the_reason(world, covenant):
    decline(covenant, world.signatory, reason="Chưa thống nhất chỉ tiêu số 2.")
    assert events("signature.declined").get().details["reason"] == "Chưa thống nhất chỉ tiêu số 2."


def test_a_department_that_declined_cannot_sign(world, covenant):
    decline(covenant, world.signatory)
    with pytest.raises(ValidationError) as refused:
        sign(covenant, world.signatory)
    assert codes(refused.value) == {"already_signed"}


def test_staff_cannot_decline(world, covenant):
    with pytest.raises(ValidationError) as refused:
        decline(covenant, world.staff)
    assert codes(refused.value) == {"not_signatory"}


def test_a_decline_keeps_the_covenant_from_being_fully_signed(covenant, signatories):
    decline(covenant, signatories["bacninh"])
    for code in ["hanoi", "vinhphuc", "haiphong"]:
        sign(covenant, signatories[code])
    assert refreshed(covenant).state == Covenant.State.OPEN


# A new version


def test_a_new_version_voids_the_current_signatures(world, covenant):
    sign(covenant, world.signatory)
    new_version(covenant, world.secretariat)
    assert Signature.objects.get(department=world.haiphong).voided_at is not None


def test_voided_signatures_are_kept_and_shown_as_voided(world, covenant):
    sign(covenant, world.signatory)
    new_version(covenant, world.secretariat)
    signature = Signature.objects.get(department=world.haiphong)
    assert (signature.is_voided, signature.status) == (True, Signature.Status.SIGNED)


def test_a_new_version_voids_declines_too(world, covenant):
    decline(covenant, world.signatory)
    new_version(covenant, world.secretariat)
    assert Signature.objects.get().is_voided


def test_a_new_version_increments_the_version_number(world, covenant):
    new_version(covenant, world.secretariat)
    assert refreshed(covenant).version == 2


def test_a_new_version_goes_back_to_draft(world, covenant):
    new_version(covenant, world.secretariat)
    covenant = refreshed(covenant)
    assert (covenant.state, covenant.opened_at) == (Covenant.State.DRAFT, None)


def test_a_new_version_voids_the_old_text_with_the_reason(world, covenant):
    new_version(covenant, world.secretariat, reason="Bổ sung chỉ tiêu về chuyển đổi số.")
    old = covenant.versions.get(number=1)
    assert (old.voided_at is not None, old.void_reason) == (
        True,
        "Bổ sung chỉ tiêu về chuyển đổi số.",
    )


def test_a_new_version_records_a_voided_event_naming_the_voided_signatures(world, covenant):
    signature = sign(covenant, world.signatory)
    new_version(covenant, world.secretariat)
    event = events("covenant.voided").get()
    assert (event.details["old_version"], event.details["new_version"]) == (1, 2)
    assert event.details["voided_signatures"] == [signature.department_name]


def test_a_new_version_without_a_reason_is_refused(world, covenant):
    with pytest.raises(ValidationError) as refused:
        new_version(covenant, world.secretariat, reason="  ")
    assert codes(refused.value) == {"no_reason"}


def test_a_refused_new_version_voids_nothing(world, covenant):
    sign(covenant, world.signatory)
    with pytest.raises(ValidationError):
        new_version(covenant, world.secretariat, reason="")
    assert (current(covenant).is_voided, refreshed(covenant).version) == (False, 1)


def test_a_new_version_of_a_draft_is_refused(world, draft):
    with pytest.raises(PermissionDenied):
        new_version(draft, world.secretariat)


def test_a_signatory_cannot_make_a_new_version(world, covenant):
    with pytest.raises(PermissionDenied):
        new_version(covenant, world.signatory)


def test_the_new_version_can_be_edited(world, covenant):
    new_version(covenant, world.secretariat)
    update(covenant, world.secretariat, commitments=[*COMMITMENTS, "Chuyển đổi số."])
    assert covenant.commitments.count() == 6


def test_reopening_freezes_the_new_text_as_version_2(world, covenant):
    new_version(covenant, world.secretariat)
    update(covenant, world.secretariat, commitments=[*COMMITMENTS, "Chuyển đổi số."])
    open_covenant(covenant, world.secretariat)
    versions = {v.number: v.sha256 for v in covenant.versions.all()}
    assert set(versions) == {1, 2}
    assert versions[1] != versions[2]


def test_signing_starts_over_after_the_new_version_opens(world, covenant):
    sign(covenant, world.signatory)
    new_version(covenant, world.secretariat)
    update(covenant, world.secretariat, commitments=[*COMMITMENTS, "Chuyển đổi số."])
    open_covenant(covenant, world.secretariat)
    signature = sign(covenant, world.signatory)
    assert (signature.version.number, signature.text_sha256) == (
        2,
        covenant.versions.get(number=2).sha256,
    )


def test_after_a_new_version_the_department_has_one_current_and_one_voided_signature(
    world, covenant
):
    sign(covenant, world.signatory)
    new_version(covenant, world.secretariat)
    open_covenant(covenant, world.secretariat)
    sign(covenant, world.signatory)
    voided = Signature.objects.filter(department=world.haiphong).values_list("voided_at", flat=True)
    assert sorted(v is None for v in voided) == [False, True]


# Leader signs last


def test_by_default_the_leader_may_sign_first(covenant, signatories):
    signature = sign(covenant, signatories["hanoi"])
    assert signature.department.code == "hanoi"


def test_when_the_leader_signs_last_the_leader_is_refused_while_members_are_pending(
    leader_last, signatories
):
    with pytest.raises(ValidationError) as refused:
        sign(leader_last, signatories["hanoi"])
    assert codes(refused.value) == {"leader_last"}


def test_when_the_leader_signs_last_one_pending_member_is_enough_to_refuse(
    leader_last, signatories
):
    sign(leader_last, signatories["vinhphuc"])
    sign(leader_last, signatories["haiphong"])
    with pytest.raises(ValidationError) as refused:
        sign(leader_last, signatories["hanoi"])
    assert codes(refused.value) == {"leader_last"}


def test_when_the_leader_signs_last_the_members_sign_in_any_order(leader_last, signatories):
    for code in ["bacninh", "haiphong", "vinhphuc"]:
        sign(leader_last, signatories[code])
    assert Signature.objects.count() == 3


def test_when_the_leader_signs_last_the_leader_signs_after_every_member(leader_last, signatories):
    for code in ["vinhphuc", "haiphong", "bacninh"]:
        sign(leader_last, signatories[code])
    signature = sign(leader_last, signatories["hanoi"])
    assert signature.department.code == "hanoi"


def test_a_decline_counts_as_a_response_before_the_leader_signs(leader_last, signatories):
    decline(leader_last, signatories["bacninh"])
    for code in ["vinhphuc", "haiphong"]:
        sign(leader_last, signatories[code])
    sign(leader_last, signatories["hanoi"])
    assert Signature.objects.filter(department__code="hanoi").exists()


# Completion


def test_the_covenant_is_fully_signed_when_every_member_signed(signed_covenant):
    assert signed_covenant.state == Covenant.State.SIGNED


def test_completion_records_the_time(covenant, signatories):
    for code in MEMBER_CODES[:-1]:
        sign(covenant, signatories[code])
    at = utc(2024, 3, 20, 9, 30)
    with clock(at):
        sign(covenant, signatories[MEMBER_CODES[-1]])
    assert refreshed(covenant).completed_at == at


def test_completion_records_a_completed_event(signed_covenant):
    event = events("covenant.completed").get()
    assert (event.target_id, event.details) == (
        str(signed_covenant.pk),
        {"version": 1, "signatures": 4},
    )


def test_the_covenant_stays_open_while_one_member_is_pending(covenant, signatories):
    for code in MEMBER_CODES[:-1]:
        sign(covenant, signatories[code])
    covenant = refreshed(covenant)
    assert (covenant.state, covenant.completed_at) == (Covenant.State.OPEN, None)


def test_completion_with_the_leader_last_happens_at_the_leaders_signature(leader_last, signatories):
    for code in ["vinhphuc", "haiphong", "bacninh", "hanoi"]:
        sign(leader_last, signatories[code])
    assert refreshed(leader_last).state == Covenant.State.SIGNED


# Closing


def test_the_secretariat_closes_a_fully_signed_covenant(world, signed_covenant):
    services.covenant_close(covenant=signed_covenant, by=world.secretariat)
    covenant = refreshed(signed_covenant)
    assert (covenant.state, covenant.closed_at is not None) == (Covenant.State.CLOSED, True)


def test_closing_records_a_closed_event(world, signed_covenant):
    services.covenant_close(covenant=signed_covenant, by=world.secretariat)
    assert events("covenant.closed").get().actor == world.secretariat


def test_a_covenant_still_open_cannot_be_closed(world, covenant):
    with pytest.raises(PermissionDenied):
        services.covenant_close(covenant=covenant, by=world.secretariat)


def test_a_draft_cannot_be_closed(world, draft):
    with pytest.raises(PermissionDenied):
        services.covenant_close(covenant=draft, by=world.secretariat)


def test_a_signatory_cannot_close_a_covenant(world, signed_covenant):
    with pytest.raises(PermissionDenied):
        services.covenant_close(covenant=signed_covenant, by=world.signatory)


# Paper originals

SCAN = minimal_pdf(b"ban giay da ky")


def record_paper(covenant, department, by, **overrides):
    arguments = {
        "covenant": refreshed(covenant),
        "department": department,
        "signer_name": "Nguyễn Văn Hùng",
        "signer_title": "Giám đốc Sở Nội vụ",
        "signed_at": timezone.now(),
        "scan": paper_scan("giao-uoc-2024.pdf", SCAN),
        "by": by,
    }
    arguments.update(overrides)
    return services.signature_record_paper(**arguments)


def stored_files(media_root) -> list[Path]:
    return [p for p in Path(media_root).rglob("*") if p.is_file()]


def assert_nothing_recorded(media_root):
    assert (Signature.objects.count(), events("signature.signed").count()) == (0, 0)
    assert stored_files(media_root) == []


def test_the_leaders_signatory_records_a_paper_original(world, covenant, signatories, paper_media):
    signature = record_paper(covenant, world.bacninh, signatories["hanoi"])
    signature.refresh_from_db()
    assert (signature.method, signature.status, signature.recorded_by) == (
        Signature.Method.PAPER,
        Signature.Status.SIGNED,
        signatories["hanoi"],
    )


def test_a_paper_original_records_the_signer_and_date_on_paper(
    world, covenant, signatories, paper_media
):
    signed_at = timezone.now().replace(microsecond=0)
    signature = record_paper(covenant, world.bacninh, signatories["hanoi"], signed_at=signed_at)
    signature.refresh_from_db()
    assert (signature.signer_name, signature.signer_title, signature.signed_at) == (
        "Nguyễn Văn Hùng",
        "Giám đốc Sở Nội vụ",
        signed_at,
    )


def test_a_paper_original_keeps_its_scan_under_a_random_name_with_its_type(
    world, covenant, signatories, paper_media
):
    signature = record_paper(covenant, world.bacninh, signatories["hanoi"])
    signature.refresh_from_db()
    with signature.scan.open("rb") as scan:
        assert scan.read() == SCAN
    assert signature.scan_content_type == "application/pdf"
    assert signature.scan.name.startswith("signatures/")
    assert "giao-uoc" not in signature.scan.name


def test_the_scans_sha256_is_in_the_signature_and_the_audit_event(
    world, covenant, signatories, paper_media
):
    signature = record_paper(covenant, world.bacninh, signatories["hanoi"])
    signature.refresh_from_db()
    event = events("signature.signed").get()
    assert signature.scan_sha256 == hashlib.sha256(SCAN).hexdigest()
    assert event.details["scan_sha256"] == signature.scan_sha256


def test_a_paper_original_records_the_version_signed(world, covenant, signatories, paper_media):
    signature = record_paper(covenant, world.bacninh, signatories["hanoi"])
    assert signature.text_sha256 == covenant.versions.get().sha256


def test_a_paper_original_records_a_signed_event_with_the_paper_method(
    world, covenant, signatories, paper_media
):
    record_paper(covenant, world.bacninh, signatories["hanoi"])
    event = events("signature.signed").get()
    assert (event.actor, event.details["method"]) == (signatories["hanoi"], "paper")


def test_a_signatory_cannot_record_a_paper_original(world, covenant, paper_media):
    with pytest.raises(PermissionDenied):
        record_paper(covenant, world.haiphong, world.signatory)
    assert_nothing_recorded(paper_media)


def test_a_reviewer_cannot_record_a_paper_original(world, covenant, paper_media):
    with pytest.raises(PermissionDenied):
        record_paper(covenant, world.haiphong, world.reviewer)


def test_secretariat_staff_the_cluster_does_not_allow_cannot_record_a_paper_original(
    world, covenant, paper_media
):
    with pytest.raises(ValidationError) as refused:
        record_paper(covenant, world.bacninh, world.secretariat)
    assert codes(refused.value) == {"not_paper_recorder"}
    assert_nothing_recorded(paper_media)


def test_secretariat_staff_the_cluster_lists_may_record_a_paper_original(
    world, covenant, paper_media
):
    allow_paper_recorder(covenant, world.secretariat)
    signature = record_paper(covenant, world.bacninh, world.secretariat)
    assert signature.recorded_by == world.secretariat


def test_once_the_cluster_lists_recorders_the_leaders_signatory_is_not_one_by_default(
    world, covenant, signatories, paper_media
):
    allow_paper_recorder(covenant, world.secretariat)
    with pytest.raises(ValidationError) as refused:
        record_paper(covenant, world.bacninh, signatories["hanoi"])
    assert codes(refused.value) == {"not_paper_recorder"}


def test_a_back_dated_paper_original_is_refused(world, covenant, signatories, paper_media):
    opened = refreshed(covenant).opened_at
    with pytest.raises(ValidationError) as refused:
        record_paper(
            covenant,
            world.bacninh,
            signatories["hanoi"],
            signed_at=opened - datetime.timedelta(days=2),
        )
    assert refused.value.message_dict.keys() == {"signed_at"}
    assert codes(refused.value) == {"before_opened"}
    assert_nothing_recorded(paper_media)


def test_a_future_dated_paper_original_is_refused(world, covenant, signatories, paper_media):
    with pytest.raises(ValidationError) as refused:
        record_paper(
            covenant,
            world.bacninh,
            signatories["hanoi"],
            signed_at=timezone.now() + datetime.timedelta(days=2),
        )
    assert codes(refused.value) == {"future_date"}
    assert_nothing_recorded(paper_media)


def test_a_paper_original_without_a_scan_is_refused(world, covenant, signatories, paper_media):
    with pytest.raises(ValidationError) as refused:
        record_paper(covenant, world.bacninh, signatories["hanoi"], scan=None)
    assert codes(refused.value) == {"no_scan"}
    assert_nothing_recorded(paper_media)


def test_a_paper_original_after_the_deadline_is_refused(world, covenant, signatories, paper_media):
    deadline = refreshed(covenant).deadline
    with clock(deadline + datetime.timedelta(hours=1)), pytest.raises(ValidationError) as refused:
        record_paper(
            covenant,
            world.bacninh,
            signatories["hanoi"],
            signed_at=deadline - datetime.timedelta(days=1),
        )
    assert codes(refused.value) == {"deadline_passed"}
    assert_nothing_recorded(paper_media)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("payload.js", b"\xff\xd8\xff\xe0" + b"alert(document.cookie);//" * 8),
        ("view.html", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"),
    ],
    ids=["jpeg-magic-then-script", "pdf-magic-then-html"],
)
def test_a_polyglot_scan_is_refused_by_the_service(
    world, covenant, signatories, paper_media, name, content
):
    with pytest.raises(ValidationError) as refused:
        record_paper(covenant, world.bacninh, signatories["hanoi"], scan=paper_scan(name, content))
    assert refused.value.message_dict.keys() == {"scan"}
    assert codes(refused.value) == {"wrong_type"}
    assert_nothing_recorded(paper_media)


def test_a_paper_original_of_a_non_member_is_refused(world, covenant, signatories, paper_media):
    with pytest.raises(ValidationError) as refused:
        record_paper(covenant, world.quangninh, signatories["hanoi"])
    assert codes(refused.value) == {"not_member"}


def test_a_paper_original_of_a_department_that_signed_is_refused(
    world, covenant, signatories, paper_media
):
    sign(covenant, world.signatory)
    with pytest.raises(ValidationError) as refused:
        record_paper(covenant, world.haiphong, signatories["hanoi"])
    assert codes(refused.value) == {"already_signed"}


def test_a_paper_original_of_a_department_that_declined_is_refused(
    world, covenant, signatories, paper_media
):
    decline(covenant, world.signatory)
    with pytest.raises(ValidationError) as refused:
        record_paper(covenant, world.haiphong, signatories["hanoi"])
    assert codes(refused.value) == {"already_signed"}


def test_the_refused_paper_original_says_only_departments_not_responded_may_have_one(
    world, covenant, signatories, paper_media
):
    sign(covenant, world.signatory)
    with pytest.raises(ValidationError) as refused:
        record_paper(covenant, world.haiphong, signatories["hanoi"])
    assert (
        "chỉ ghi nhận bản giấy cho đơn vị chưa phản hồi"
        in refused.value.message_dict["department"][0]
    )


def test_a_paper_original_of_a_draft_is_refused(world, draft, signatories, paper_media):
    with pytest.raises(PermissionDenied):
        record_paper(draft, world.haiphong, signatories["hanoi"])


def test_paper_originals_of_every_member_complete_the_covenant(
    world, covenant, signatories, paper_media
):
    for department in (world.hanoi, world.vinhphuc, world.haiphong, world.bacninh):
        record_paper(covenant, department, signatories["hanoi"])
    assert refreshed(covenant).state == Covenant.State.SIGNED


# Reminders


def remind(covenant, by):
    return services.covenant_send_reminders(covenant=refreshed(covenant), by=by)


def test_reminders_go_to_every_pending_signatory(world, covenant):
    assert remind(covenant, world.secretariat) == 4


def test_reminders_skip_departments_that_responded(world, covenant, signatories):
    sign(covenant, signatories["haiphong"])
    decline(covenant, signatories["bacninh"])
    remind(covenant, world.secretariat)
    assert set(Reminder.objects.values_list("recipient__department__code", flat=True)) == {
        "hanoi",
        "vinhphuc",
    }


def test_reminders_skip_users_who_are_not_signatories(world, covenant):
    remind(covenant, world.secretariat)
    assert not Reminder.objects.filter(recipient__in=[world.staff, world.secretariat]).exists()


def test_a_second_reminder_the_same_day_sends_nothing(world, covenant):
    remind(covenant, world.secretariat)
    assert remind(covenant, world.secretariat) == 0


def test_reminders_are_sent_again_the_next_day(world, covenant):
    with clock(utc(2024, 3, 10, 2, 0)):
        remind(covenant, world.secretariat)
    with clock(utc(2024, 3, 11, 2, 0)):
        assert remind(covenant, world.secretariat) == 4


def test_two_reminders_on_one_vietnamese_day_count_as_one(world, covenant):
    # 00:30 and 23:00 on 10 March in Vietnam (UTC+7) are on two UTC days.
    with clock(utc(2024, 3, 9, 17, 30)):
        remind(covenant, world.secretariat)
    with clock(utc(2024, 3, 10, 16, 0)):
        assert remind(covenant, world.secretariat) == 0


def test_a_new_vietnamese_day_allows_a_reminder_on_the_same_utc_day(world, covenant):
    # 16:00 UTC is 23:00 on 10 March in Vietnam; 17:30 UTC is already 11 March there.
    with clock(utc(2024, 3, 10, 16, 0)):
        remind(covenant, world.secretariat)
    with clock(utc(2024, 3, 10, 17, 30)):
        assert remind(covenant, world.secretariat) == 4


def test_a_reminder_is_recorded_on_the_vietnamese_day(world, covenant):
    with clock(utc(2024, 3, 10, 17, 30)):
        remind(covenant, world.secretariat)
    assert set(Reminder.objects.values_list("sent_on", flat=True)) == {datetime.date(2024, 3, 11)}


def test_the_daily_job_sends_reminders_without_a_user(covenant):
    assert services.covenant_send_reminders(covenant=refreshed(covenant), by=None) == 4


def test_the_board_and_the_daily_job_share_the_limit_of_one_a_day(world, covenant):
    remind(covenant, world.secretariat)
    assert services.covenant_send_reminders(covenant=refreshed(covenant), by=None) == 0


def test_reminders_record_a_reminded_event_naming_the_recipients(world, covenant, signatories):
    remind(covenant, world.secretariat)
    event = events("covenant.reminded").get()
    assert sorted(event.details["recipients"]) == sorted(u.username for u in signatories.values())


def test_a_reminder_that_sends_nothing_records_no_event(world, covenant):
    remind(covenant, world.secretariat)
    remind(covenant, world.secretariat)
    assert events("covenant.reminded").count() == 1


@pytest.mark.parametrize("role", ["signatory", "staff", "outsider", "reviewer"])
def test_reminders_are_refused_for_anyone_but_the_secretariat(world, covenant, role):
    with pytest.raises(PermissionDenied):
        remind(covenant, world.user(role))


def test_reminders_after_the_deadline_send_nothing(world, covenant):
    # The signatory could no longer sign: a reminder would only invite a refusal.
    with clock(covenant.deadline + datetime.timedelta(days=1)):
        assert remind(covenant, world.secretariat) == 0


def test_reminders_for_a_draft_send_nothing(world, draft):
    assert services.covenant_send_reminders(covenant=refreshed(draft), by=None) == 0


def test_reminders_for_a_fully_signed_covenant_send_nothing(signed_covenant):
    assert services.covenant_send_reminders(covenant=signed_covenant, by=None) == 0


# Views by signatories


def view(covenant, user):
    return services.covenant_record_view(covenant=refreshed(covenant), user=user, meta=META)


def test_the_first_view_by_a_signatory_is_recorded(world, covenant):
    assert view(covenant, world.signatory) is True
    assert events("covenant.viewed").get().actor == world.signatory


def test_a_second_view_of_the_same_version_is_not_recorded_again(world, covenant):
    view(covenant, world.signatory)
    assert view(covenant, world.signatory) is False
    assert CovenantView.objects.count() == 1


@pytest.mark.parametrize("role", ["staff", "secretariat", "reviewer"])
def test_views_by_non_signatories_are_not_recorded(world, covenant, role):
    assert view(covenant, world.user(role)) is False
