"""Simultaneous signing on PostgreSQL: row locks and the unique constraint, not the UI.

Each test starts real threads, each with its own database connection, released together by
a barrier. SQLite serialises writers with its database-wide write lock, so these tests only
prove something on PostgreSQL and are skipped elsewhere (CI runs the suite on both).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from agreements import services
from agreements.models import Covenant, PdfVerificationAttempt, Signature
from cluster_portal.audit import audit_verify
from cluster_portal.models import AuditEvent
from members.models import User
from tests.factories import PASSWORD, UserFactory
from tests.helpers import MEMBER_CODES, META, codes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency is only meaningful on PostgreSQL (SQLite has one write lock)",
    ),
]

TIMEOUT = 120


def sign_together(covenant_pk: int, users: list[User], *, password: str = PASSWORD) -> list:
    """Sign for each user in its own thread, all at once; each result or exception, in order."""
    barrier = threading.Barrier(len(users), timeout=TIMEOUT)
    results = [None] * len(users)

    def run(index: int, user: User):
        try:
            covenant = Covenant.objects.get(pk=covenant_pk)
            barrier.wait()
            results[index] = services.signature_record(
                covenant=covenant, user=user, password=password, confirmed=True, meta=META
            )
        except Exception as exc:  # the test inspects every outcome
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, u)) for i, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a signing thread hung"
    return results


def refusal_codes(results) -> list[str]:
    return [r.code for r in results if isinstance(r, ValidationError)]


def signatures(results) -> list[Signature]:
    return [r for r in results if isinstance(r, Signature)]


def unexpected(results) -> list:
    return [r for r in results if not isinstance(r, Signature | ValidationError)]


# One department, many requests (double click, two tabs)


def test_eight_simultaneous_requests_for_one_department_give_exactly_one_signature(world, covenant):
    sign_together(covenant.pk, [world.signatory] * 8)
    assert Signature.objects.filter(department=world.haiphong).count() == 1


def test_the_other_simultaneous_requests_are_refused_as_already_signed(world, covenant):
    results = sign_together(covenant.pk, [world.signatory] * 8)
    assert (len(signatures(results)), refusal_codes(results), unexpected(results)) == (
        1,
        ["already_signed"] * 7,
        [],
    )


def test_two_signatories_of_one_department_signing_at_once_give_one_signature(world, covenant):
    colleague = UserFactory(role=User.Role.SIGNATORY, department=world.haiphong)
    results = sign_together(covenant.pk, [world.signatory, colleague] * 4)
    assert len(signatures(results)) == 1
    assert Signature.objects.filter(department=world.haiphong).count() == 1


def test_simultaneous_requests_for_one_department_record_one_signed_event(world, covenant):
    sign_together(covenant.pk, [world.signatory] * 8)
    assert AuditEvent.objects.filter(action="signature.signed").count() == 1


# Every member at once


def test_all_four_members_signing_at_once_give_one_signature_each(covenant, signatories):
    results = sign_together(covenant.pk, [signatories[code] for code in MEMBER_CODES])
    assert (len(signatures(results)), unexpected(results), refusal_codes(results)) == (4, [], [])
    assert Signature.objects.values("department").distinct().count() == 4


def test_all_eleven_members_signing_at_once_give_eleven_signatures(eleven):
    covenant, people = eleven
    results = sign_together(covenant.pk, people)
    assert (unexpected(results), refusal_codes(results)) == ([], [])
    assert Signature.objects.filter(covenant=covenant, voided_at__isnull=True).count() == 11


def test_all_eleven_members_signing_at_once_leave_the_covenant_fully_signed(eleven):
    covenant, people = eleven
    sign_together(covenant.pk, people)
    covenant.refresh_from_db()
    assert (covenant.state, covenant.completed_at is not None) == (Covenant.State.SIGNED, True)


def test_all_eleven_members_signing_at_once_complete_the_covenant_once(eleven):
    covenant, people = eleven
    sign_together(covenant.pk, people)
    assert AuditEvent.objects.filter(action="covenant.completed").count() == 1


def test_all_eleven_members_signing_at_once_leave_an_intact_audit_chain(eleven):
    covenant, people = eleven
    sign_together(covenant.pk, people)
    assert audit_verify()[1] is None


def test_simultaneous_signing_does_not_fork_the_audit_chain(eleven):
    covenant, people = eleven
    sign_together(covenant.pk, people)
    links = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(links) == len(set(links))


# The password is checked before the covenant's lock: signatories do not queue behind
# each other's Argon2 (the signing day's burst)


def test_a_password_is_checked_while_another_request_holds_the_covenants_lock(world, covenant):
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        try:
            with transaction.atomic():
                Covenant.objects.select_for_update().get(pk=covenant.pk)
                locked.set()
                release.wait(TIMEOUT)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert locked.wait(TIMEOUT)
    try:
        with connection.cursor() as cursor:  # waiting for the lock fails instead of hanging
            cursor.execute("SET lock_timeout = '5s'")
        with pytest.raises(ValidationError) as refused:
            services.signature_record(
                covenant=covenant,
                user=world.signatory,
                password="sai-mat-khau",
                confirmed=True,
                meta=META,
            )
    finally:
        release.set()
        holder.join(TIMEOUT)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert codes(refused.value) == {"wrong_password"}


# The verification throttle: simultaneous uploads by one user (several app servers)


def begin_verifications_together(user: User, count: int) -> list:
    """Start ``count`` verifications for ``user`` at once, each in its own thread."""
    barrier = threading.Barrier(count, timeout=TIMEOUT)
    results = [None] * count

    def run(index: int):
        try:
            barrier.wait()
            results[index] = services.pdf_verification_begin(user=user)
        except Exception as exc:  # the test inspects every outcome
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a verification thread hung"
    return results


def test_eight_simultaneous_verifications_by_one_user_pass_the_limit_no_further(world, settings):
    settings.PDF_VERIFY_RATE_LIMIT = 3
    results = begin_verifications_together(world.signatory, 8)
    assert refusal_codes(results) == ["throttled"] * 5
    assert [r for r in results if r is not None and not isinstance(r, ValidationError)] == []
    assert PdfVerificationAttempt.objects.filter(user=world.signatory).count() == 3


# Guessing the password in parallel (the throttle must count under a lock)


def test_forty_simultaneous_wrong_passwords_are_checked_no_more_than_the_limit(
    world, covenant, settings
):
    results = sign_together(covenant.pk, [world.signatory] * 40, password="sai-mat-khau")
    refused = [code for r in results if isinstance(r, ValidationError) for code in codes(r)]
    assert (refused.count("wrong_password"), refused.count("too_many_attempts"), len(refused)) == (
        settings.AXES_FAILURE_LIMIT,
        40 - settings.AXES_FAILURE_LIMIT,
        40,
    )


def test_simultaneous_wrong_passwords_record_no_more_refusals_than_the_limit(
    world, covenant, settings
):
    sign_together(covenant.pk, [world.signatory] * 40, password="sai-mat-khau")
    refusals = AuditEvent.objects.filter(action="signature.refused", actor=world.signatory)
    assert refusals.count() == settings.AXES_FAILURE_LIMIT
    assert not Signature.objects.exists()
