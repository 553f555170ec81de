"""The audit trail: a hash chain of append-only events that shows any later change.

Tampering is done with raw SQL, as an attacker with database access would: the ORM itself
refuses to update or delete events.
"""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from agreements.models import Signature
from cluster_portal.audit import (
    GENESIS_HASH,
    RequestMeta,
    audit_key_id,
    audit_record,
    audit_verify,
    event_hash,
    plain_sha256,
)
from cluster_portal.models import AuditChainHead, AuditEvent
from tests.helpers import MEMBER_CODES, META, sign

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table


def chain() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("id"))


def raw(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=connection.ops.quote_name(TABLE)), params)


@pytest.fixture
def history(signed_covenant):
    """A signing from draft to completion: a dozen events."""
    return chain()


def test_the_first_event_links_to_the_genesis_hash(history):
    assert history[0].prev_hash == GENESIS_HASH


def test_each_event_links_to_the_one_before_it(history):
    assert [e.prev_hash for e in history[1:]] == [e.hash for e in history[:-1]]


def test_each_event_stores_the_hash_of_its_content(history):
    assert all(event_hash(event) == event.hash for event in history)


def test_the_history_of_a_signing_has_an_event_per_step(history):
    actions = [e.action for e in history]
    assert actions == [
        "covenant.created",
        "covenant.opened",
        *["signature.signed"] * len(MEMBER_CODES),
        "covenant.completed",
    ]


def test_an_event_records_actor_target_ip_and_user_agent(world, draft):
    event = audit_record(actor=world.secretariat, action="covenant.viewed", target=draft, meta=META)
    event.refresh_from_db()
    assert (event.actor, event.target_id, event.ip_address, event.user_agent) == (
        world.secretariat,
        str(draft.pk),
        META.ip_address,
        META.user_agent,
    )


def test_an_untouched_chain_is_reported_intact(history):
    assert audit_verify() == (len(history), None)


def test_an_empty_chain_is_reported_intact(db):
    assert audit_verify() == (0, None)


def test_changing_a_stored_event_is_detected_at_that_event(history):
    tampered = next(e for e in history if e.action == "signature.signed")
    raw("UPDATE {table} SET action = %s WHERE id = %s", ["signature.declined", tampered.pk])
    _checked, broken = audit_verify()
    assert broken.event_id == tampered.pk


def test_changing_a_stored_event_is_reported_as_changed(history):
    tampered = history[3]
    raw("UPDATE {table} SET ip_address = %s WHERE id = %s", ["198.51.100.9", tampered.pk])
    assert "changed" in audit_verify()[1].reason


def test_changing_the_time_of_an_event_is_detected(history):
    tampered = history[2]
    raw(
        "UPDATE {table} SET created_at = %s WHERE id = %s",
        [tampered.created_at.replace(year=tampered.created_at.year - 1), tampered.pk],
    )
    assert audit_verify()[1].event_id == tampered.pk


def test_recomputing_the_hash_of_a_changed_event_is_detected_at_the_next_one(history):
    tampered = history[3]
    tampered.user_agent = "forged"
    forged_hash = event_hash(tampered)
    raw(
        "UPDATE {table} SET user_agent = %s, hash = %s WHERE id = %s",
        ["forged", forged_hash, tampered.pk],
    )
    assert audit_verify()[1].event_id == history[4].pk


def test_removing_an_event_in_the_middle_is_detected_at_the_next_one(history):
    raw("DELETE FROM {table} WHERE id = %s", [history[3].pk])
    _checked, broken = audit_verify()
    assert (broken.event_id, "removed" in broken.reason) == (history[4].pk, True)


def test_removing_the_newest_event_is_detected_by_the_chain_head(history):
    raw("DELETE FROM {table} WHERE id = %s", [history[-1].pk])
    _checked, broken = audit_verify()
    assert (broken.event_id, "head" in broken.reason) == (0, True)


def test_verification_stops_at_the_first_broken_link(history):
    raw("UPDATE {table} SET action = %s WHERE id = %s", ["x", history[2].pk])
    raw("UPDATE {table} SET action = %s WHERE id = %s", ["y", history[5].pk])
    checked, broken = audit_verify()
    assert (checked, broken.event_id) == (3, history[2].pk)


def test_an_event_from_an_ipv6_client_verifies_intact(world, draft):
    # REMOTE_ADDR as a server may pass it on; the database stores its canonical form.
    audit_record(
        actor=world.signatory,
        action="covenant.viewed",
        target=draft,
        meta=RequestMeta(ip_address="2001:0DB8:0000:0000:0000:0000:0000:0001", user_agent="x"),
    )
    assert audit_verify()[1] is None


def test_an_event_with_vietnamese_details_verifies_intact(world, draft):
    audit_record(
        actor=world.secretariat,
        action="covenant.edited",
        target=draft,
        details={"lý do": "Bổ sung chỉ tiêu", "số": [1, 2.5, None, True]},
    )
    assert audit_verify()[1] is None


# Append-only through the ORM


def test_saving_a_stored_event_again_is_refused(history):
    event = history[0]
    event.action = "covenant.deleted"
    with pytest.raises(PermissionError):
        event.save()


def test_deleting_a_stored_event_is_refused(history):
    with pytest.raises(PermissionError):
        history[0].delete()


def test_updating_events_in_bulk_is_refused(history):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(action="signature.signed").update(action="x")


def test_deleting_events_in_bulk_is_refused(history):
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_refused_orm_writes_leave_the_chain_intact(history):
    for attempt in (
        lambda: history[0].save(),
        lambda: history[0].delete(),
        lambda: AuditEvent.objects.update(action="x"),
        lambda: AuditEvent.objects.all().delete(),
    ):
        with pytest.raises(PermissionError):
            attempt()
    assert audit_verify() == (len(history), None)


# The refusal event outlives the refusal


@pytest.mark.django_db(transaction=True)
def test_the_refusal_event_of_a_wrong_password_is_committed(world, covenant):
    with pytest.raises(ValidationError):
        sign(covenant, world.signatory, password="sai-mat-khau")
    # In autocommit mode what is visible now has been committed.
    assert AuditEvent.objects.filter(action="signature.refused").count() == 1
    assert not Signature.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_chain_stays_intact_after_a_refused_signature(world, covenant):
    with pytest.raises(ValidationError):
        sign(covenant, world.signatory, password="sai-mat-khau")
    sign(covenant, world.signatory)
    assert audit_verify()[1] is None


# The HMAC key: database access alone cannot rebuild the chain


def rehash_from(events: list[AuditEvent], index: int, *, scheme: str | None = None):
    """What an attacker with database access but without the key does after changing
    ``events[index]``: recompute plain SHA-256 hashes from there on, relink every later
    event and move the chain head, all by raw SQL."""
    prev = events[index - 1].hash if index else GENESIS_HASH
    for event in events[index:]:
        event.prev_hash = prev
        event.hash = plain_sha256(event)
        raw(
            "UPDATE {table} SET action = %s, prev_hash = %s, hash = %s, hash_scheme = %s "
            "WHERE id = %s",
            [event.action, event.prev_hash, event.hash, scheme or event.hash_scheme, event.pk],
        )
        prev = event.hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)


def test_new_events_are_hashed_with_the_configured_hmac_key(history, settings):
    assert {e.hash_scheme for e in history} == {f"hmac-sha256:{audit_key_id()}"}


def test_the_key_id_names_the_audit_hmac_key(settings):
    settings.AUDIT_HMAC_KEY = "một khóa bí mật dài cho chuỗi nhật ký"
    expected = hashlib.sha256(settings.AUDIT_HMAC_KEY.encode()).hexdigest()[:8]
    assert audit_key_id() == expected


def test_a_changed_event_rehashed_with_plain_sha256_is_detected_at_that_event(history):
    tampered = history.index(next(e for e in history if e.action == "signature.signed"))
    history[tampered].action = "signature.declined"
    rehash_from(history, tampered)
    _checked, broken = audit_verify()
    assert (broken.event_id, "changed" in broken.reason) == (history[tampered].pk, True)


def test_a_changed_event_rehashed_and_relabelled_as_plain_sha256_is_detected(history):
    tampered = 3
    history[tampered].action = "signature.declined"
    rehash_from(history, tampered, scheme="sha256")
    _checked, broken = audit_verify()
    assert (broken.event_id, "plain SHA-256 after" in broken.reason) == (
        history[tampered].pk,
        True,
    )


def test_the_verify_command_detects_a_rehashed_event(history):
    history[2].action = "covenant.closed"
    rehash_from(history, 2)
    with pytest.raises(CommandError, match=f"event #{history[2].pk} "):
        call_command("verify_audit", stdout=io.StringIO())


def legacy_events(target, count: int) -> list[AuditEvent]:
    """Events as the portal stored them before the HMAC switch: plain SHA-256."""
    head, _ = AuditChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})
    events = []
    for number in range(count):
        event = AuditEvent(
            created_at=target.created_at,
            action="covenant.edited",
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_repr=str(target),
            details={"version": number},
            prev_hash=head.last_hash,
            hash_scheme="sha256",
        )
        event.hash = plain_sha256(event)
        event.save()
        head.last_hash = event.hash
        head.save()
        events.append(event)
    return events


@pytest.fixture
def legacy_chain(db, world):
    """Three events from before the switch, then HMAC events after them."""
    target = world.year_a  # any stored row serves as a target
    events = legacy_events(target, 3)
    audit_record(actor=world.secretariat, action="covenant.viewed", target=target, meta=META)
    audit_record(actor=world.signatory, action="covenant.viewed", target=target, meta=META)
    return events


def test_events_from_before_the_hmac_switch_still_verify(legacy_chain):
    assert audit_verify() == (5, None)


def test_the_chain_switches_from_sha256_to_hmac_after_the_older_events(legacy_chain):
    schemes = [e.hash_scheme for e in chain()]
    assert schemes == ["sha256"] * 3 + [f"hmac-sha256:{audit_key_id()}"] * 2


def test_changing_an_event_from_before_the_switch_is_still_detected(legacy_chain):
    raw("UPDATE {table} SET action = %s WHERE id = %s", ["x", legacy_chain[1].pk])
    assert audit_verify()[1].event_id == legacy_chain[1].pk


def test_rehashing_the_events_before_the_switch_is_detected_at_the_first_hmac_event(
    legacy_chain,
):
    events = chain()
    events[1].action = "covenant.deleted"
    # The attacker can rebuild the plain SHA-256 part, but the first HMAC event links to it.
    prev = events[0].hash
    for event in events[1:3]:
        event.prev_hash = prev
        event.hash = plain_sha256(event)
        raw(
            "UPDATE {table} SET action = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.action, event.prev_hash, event.hash, event.pk],
        )
        prev = event.hash
    assert audit_verify()[1].event_id == events[3].pk


def test_an_event_hashed_with_a_key_this_server_lacks_is_reported_unverifiable(history, settings):
    settings.AUDIT_HMAC_KEY = "a different key on a misconfigured server"
    _checked, broken = audit_verify()
    assert (broken.event_id, "no such key" in broken.reason) == (history[0].pk, True)


def test_events_hashed_with_a_rotated_key_verify_with_it_as_a_fallback(world, settings):
    settings.AUDIT_HMAC_KEY = "the key before the rotation"
    audit_record(actor=world.staff, action="covenant.viewed", target=world.year_a, meta=META)
    settings.AUDIT_HMAC_KEY = "the key after the rotation"
    settings.AUDIT_HMAC_KEY_FALLBACKS = ["the key before the rotation"]
    audit_record(actor=world.staff, action="covenant.viewed", target=world.year_a, meta=META)
    assert audit_verify() == (2, None)
