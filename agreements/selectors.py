"""Reads for covenants, scoped by the views' permission checks, in a fixed number of queries.

Naming (as in every app's ``selectors.py``, see ``members.selectors``): ``<entity>_get(*,
keys)`` loads one object by its URL keys and raises ``DoesNotExist``; plural names return
several; ``<entity>_<what>`` computes one thing about an entity.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements import notifications, permissions
from agreements.models import Covenant, CovenantDocument, Signature
from cluster_portal.audit import action_label
from cluster_portal.models import AuditEvent
from members import permissions as member_permissions
from members.models import ClusterYear, Membership
from members.selectors import AttentionItem, department_members_of, register_attention_kind
from plans.attention import NEW_YEAR_KIND

SIGN_KIND = register_attention_kind("covenant-sign", gettext_lazy("A covenant to sign"))


def covenant_get(*, code: str, year: int) -> Covenant:
    """A covenant with its year, memberships, commitments and legal bases; DoesNotExist."""
    return (
        Covenant.objects.select_related("cluster_year__cluster")
        .prefetch_related(
            Prefetch(
                "cluster_year__memberships",
                queryset=Membership.objects.select_related("department").order_by("sort_key"),
            ),
            "commitments",
            "legal_bases",
        )
        .get(cluster_year__cluster__code=code, cluster_year__year=year)
    )


def covenant_document_pending(*, covenant: Covenant) -> bool:
    """Whether the covenant is completed but its sealed PDF is still being prepared (by the
    background task queued when the last member signed). One query once completed."""
    if covenant.state not in (Covenant.State.SIGNED, Covenant.State.CLOSED):
        return False
    return not CovenantDocument.objects.filter(covenant=covenant).exists()


@dataclass
class BoardRow:
    """One member department on the status board."""

    membership: Membership
    status: str  # signed, declined, pending, voided (pending after a voided response)
    current: Signature | None = None
    voided: list[Signature] = field(default_factory=list)
    last_reminded: object = None

    @property
    def is_leader(self) -> bool:
        return self.membership.role == Membership.Role.LEADER

    @property
    def responded(self) -> bool:
        """Signed or declined in the current version (a voided response is pending again)."""
        return self.status in ("signed", "declined")


# The board's filter: which rows it shows (the counts stay those of every member).
BOARD_FILTERS = ("all", "pending", "signed", "declined")


@dataclass
class Board:
    rows: list[BoardRow]
    signed: int
    declined: int
    pending: int
    # Responses whose stored scan failed the file check and was moved out of reach.
    quarantined: list[Signature] = field(default_factory=list)
    shown: str = "all"  # one of BOARD_FILTERS
    total_members: int | None = None

    @property
    def total(self) -> int:
        return self.total_members if self.total_members is not None else len(self.rows)

    @property
    def share_signed(self) -> int:
        """Percentage of member departments that signed, rounded down."""
        return (100 * self.signed // self.total) if self.total else 0


def covenant_board(*, covenant: Covenant, shown: str = "all", pending_first=False) -> Board:
    """Every member department of the year with its response to the covenant (two queries).

    In the order of the signed document (by name, the leader last), or with
    ``pending_first`` those that have not responded first, then declined, then signed (the
    status board: whom to chase). ``shown`` (one of ``BOARD_FILTERS``, else "all") keeps
    only the pending, signed or declined rows, while the counts stay those of every member.
    """
    signatures = list(
        covenant.signatures.select_related("signer", "recorded_by", "version").order_by("signed_at")
    )
    last_reminded = {}
    for department_id, sent_at in covenant.reminders.values_list(
        "recipient__department_id", "sent_at"
    ).order_by("sent_at"):
        last_reminded[department_id] = sent_at
    rows = []
    for membership in covenant.cluster_year.memberships.all():
        mine = [s for s in signatures if s.department_id == membership.department_id]
        current = next((s for s in mine if s.voided_at is None), None)
        voided = [s for s in mine if s.voided_at is not None]
        status = current.status if current is not None else ("voided" if voided else "pending")
        rows.append(
            BoardRow(
                membership=membership,
                status=status,
                current=current,
                voided=voided,
                last_reminded=last_reminded.get(membership.department_id),
            )
        )
    # The leader's block comes last, as in the signed document; on the status board the
    # members the secretariat still has to chase come first.
    order = {"pending": 0, "voided": 0, "declined": 1, "signed": 2}
    rows.sort(
        key=lambda row: (
            order[row.status] if pending_first else 0,
            row.is_leader,
            row.membership.sort_key,
        )
    )
    shown = shown if shown in BOARD_FILTERS else "all"
    keep = {
        "all": lambda row: True,
        "pending": lambda row: not row.responded,
        "signed": lambda row: row.status == "signed",
        "declined": lambda row: row.status == "declined",
    }[shown]
    return Board(
        rows=[row for row in rows if keep(row)],
        signed=sum(r.status == "signed" for r in rows),
        declined=sum(r.status == "declined" for r in rows),
        pending=sum(not r.responded for r in rows),
        quarantined=[s for s in signatures if s.quarantined_scan],
        shown=shown,
        total_members=len(rows),
    )


def covenant_departments_not_responded(*, covenant: Covenant):
    """The year's member departments without a current response (signed or declined), in
    the order of ``department_members_of``: whom a paper original may be recorded for."""
    responded = Signature.objects.filter(covenant=covenant, voided_at__isnull=True).values(
        "department_id"
    )
    return department_members_of(cluster_year=covenant.cluster_year).exclude(pk__in=responded)


def covenant_pending_signatories(*, covenant: Covenant) -> list:
    """Active signatories of the member departments that have not responded yet (two
    queries: the responses and the users)."""
    responded = set(
        covenant.signatures.filter(voided_at__isnull=True).values_list("department_id", flat=True)
    )
    pending = permissions.member_department_ids(covenant) - responded
    return notifications.signatories_of(covenant, department_ids=pending)


@dataclass
class ReminderRecipient:
    user: object
    department_name: str
    reminded_today: bool
    sort_key: str = ""

    @property
    def will_receive(self) -> bool:
        return bool(self.user.email) and not self.reminded_today


@dataclass
class ReminderPreview:
    """What "Send a reminder" would send now: to whom, and the message."""

    recipients: list[ReminderRecipient]
    subject: str
    text: str

    @property
    def sending(self) -> list[ReminderRecipient]:
        return [r for r in self.recipients if r.will_receive]


def covenant_reminder_preview(*, covenant: Covenant) -> ReminderPreview:
    """The reminder ``covenant_send_reminders`` would send now, for the secretariat to check
    first: every pending signatory (with their department and address, and whether they
    already had today's reminder, or have no address) and the message as rendered. Four
    queries whatever the number of members."""
    pending = covenant_pending_signatories(covenant=covenant)
    reminded = set(
        covenant.reminders.filter(sent_on=timezone.localdate()).values_list(
            "recipient_id", flat=True
        )
    )
    memberships = {m.department_id: m for m in covenant.cluster_year.memberships.all()}
    recipients = [
        ReminderRecipient(
            user=user,
            department_name=getattr(memberships.get(user.department_id), "full_name", ""),
            sort_key=getattr(memberships.get(user.department_id), "sort_key", ""),
            reminded_today=user.pk in reminded,
        )
        for user in pending
    ]
    recipients.sort(key=lambda r: (r.sort_key, r.user.get_full_name(), r.user.username))
    subject, text = notifications.reminder_message(covenant)
    return ReminderPreview(recipients=recipients, subject=subject, text=text)


def covenant_events(*, covenant: Covenant) -> list[AuditEvent]:
    """The covenant's audit trail, oldest first."""
    return list(
        AuditEvent.objects.filter(target_type="agreements.covenant", target_id=str(covenant.pk))
        .select_related("actor__department")
        .order_by("id")
    )


def covenant_attention_items(*, user, cluster_years) -> dict[int, list[AttentionItem]]:
    """Dashboard items: a covenant to sign, or signatures still missing (secretariat).

    Two queries whatever the number of years: the open covenants, and their responses.
    """
    by_year = {cy.pk: cy for cy in cluster_years}
    items: dict[int, list[AttentionItem]] = {pk: [] for pk in by_year}
    every = list(Covenant.objects.filter(cluster_year_id__in=by_year))
    covenants = [c for c in every if c.state == Covenant.State.OPEN]
    # The year's leader sets the covenant up: until it is drafted and opened for signing
    # (a draft copied from last year still needs them), that is on their to-do list.
    drafted = {c.cluster_year_id: c for c in every}
    for cluster_year in cluster_years:
        if cluster_year.phase == ClusterYear.Phase.CLOSED or not member_permissions.is_secretariat(
            user, cluster_year
        ):
            continue
        covenant = drafted.get(cluster_year.pk)
        if covenant is None:
            message = _("You lead %(year)s: draft the covenant") % {"year": cluster_year.year}
            url = reverse(
                "agreements:covenant-create",
                kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year},
            )
        elif covenant.state == Covenant.State.DRAFT:
            covenant.cluster_year = cluster_year
            message = _("You lead %(year)s: finish the covenant draft and open it for signing") % {
                "year": cluster_year.year
            }
            url = covenant.get_absolute_url()
        else:
            continue
        items[cluster_year.pk].append(
            AttentionItem(message, url, NEW_YEAR_KIND, f"new-year-covenant:{cluster_year.pk}")
        )
    responses: dict[int, list[tuple[int, str]]] = {c.pk: [] for c in covenants}
    for covenant_id, department_id, status in Signature.objects.filter(
        covenant__in=covenants, voided_at__isnull=True
    ).values_list("covenant_id", "department_id", "status"):
        responses[covenant_id].append((department_id, status))
    for covenant in covenants:
        cluster_year = by_year[covenant.cluster_year_id]
        covenant.cluster_year = cluster_year  # memberships already loaded
        responded = {department_id for department_id, _status in responses[covenant.pk]}
        if permissions.signing_refusal(user, covenant, responded_ids=responded) is None:
            items[cluster_year.pk].append(
                AttentionItem(
                    _("Sign or decline the covenant: %(title)s") % {"title": covenant.title},
                    covenant.get_absolute_url(),
                    SIGN_KIND,
                    f"covenant-sign:{covenant.pk}:{covenant.version}",
                )
            )
        if member_permissions.can_manage_cluster_year(user, cluster_year):
            signed = sum(status == Signature.Status.SIGNED for _d, status in responses[covenant.pk])
            items[cluster_year.pk].append(
                AttentionItem(
                    _("%(signed)s of %(total)s members have signed the covenant: status board")
                    % {"signed": signed, "total": len(cluster_year.memberships.all())},
                    covenant.board_url,
                )
            )
    return items


def covenant_year_links(*, user, cluster_years) -> dict[int, list[AttentionItem]]:
    """Links from years to their covenant, or to drafting one for the secretariat (one query)."""
    covenants = {
        c.cluster_year_id: c
        for c in Covenant.objects.filter(cluster_year__in=[cy.pk for cy in cluster_years])
    }
    links: dict[int, list[AttentionItem]] = {}
    for cluster_year in cluster_years:
        covenant = covenants.get(cluster_year.pk)
        if covenant is not None:
            covenant.cluster_year = cluster_year
            links[cluster_year.pk] = [
                AttentionItem(
                    _("Covenant (%(state)s)") % {"state": covenant.get_state_display()},
                    covenant.get_absolute_url(),
                )
            ]
        elif member_permissions.can_manage_cluster_year(user, cluster_year):
            url = reverse(
                "agreements:covenant-create",
                kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year},
            )
            links[cluster_year.pk] = [AttentionItem(_("Draft the covenant"), url)]
    return links


METHOD_LABELS_VI = {
    "portal": "Xác nhận trên hệ thống",
    "paper": "Bản giấy (Thư ký Cụm ghi nhận)",
}


def event_occurred_at(event: AuditEvent) -> datetime.datetime:
    """When what an audit event records happened: the date of signing a paper original (the
    event itself is when the secretariat entered it in the portal), else the event's time."""
    if event.details.get("method") == Signature.Method.PAPER and event.details.get("signed_at"):
        try:
            return datetime.datetime.fromisoformat(event.details["signed_at"])
        except (TypeError, ValueError):
            pass
    return event.created_at


def covenant_pdf_context(*, covenant: Covenant, document=None) -> dict:
    """Everything the covenant PDF shows, final (with ``document``) or draft."""
    board = covenant_board(covenant=covenant)
    members = [row for row in board.rows if not row.is_leader]
    leader = next((row for row in board.rows if row.is_leader), None)
    pairs = [members[i : i + 2] for i in range(0, len(members), 2)]
    if pairs and len(pairs[-1]) == 1:
        pairs[-1].append(None)
    events = covenant_events(covenant=covenant) if document else []
    for event in events:
        with translation.override("vi"):  # the PDF is always in Vietnamese
            event.label = action_label(event.action)
        event.method_label = METHOD_LABELS_VI.get(event.details.get("method", ""), "")
        event.occurred_at = event_occurred_at(event)
    return {
        "covenant": covenant,
        "cluster_year": covenant.cluster_year,
        "cluster": covenant.cluster_year.cluster,
        "board": board,
        "member_pairs": pairs,
        "leader_row": leader,
        "preamble_paragraphs": [p.strip() for p in covenant.preamble.split("\n\n") if p.strip()],
        "recipients": [
            line.strip().lstrip("-").strip()
            for line in covenant.recipients.splitlines()
            if line.strip()
        ],
        "version": covenant.versions.filter(number=covenant.version).first(),
        "document": document,
        "is_final": document is not None,
        "events": events,
    }


def issued_document_by_sha256(*, sha256: str, user):
    """The issued covenant document with these exact bytes, if the user may see it."""
    document = (
        CovenantDocument.objects.select_related("covenant__cluster_year__cluster")
        .filter(sha256=sha256)
        .first()
    )
    if document is None or not permissions.can_view_covenant(user, document.covenant):
        return None
    return document


@dataclass
class IssuedDocumentFound:
    """What the verification page found of an issued document in an uploaded PDF."""

    document: CovenantDocument | None = None
    exact: bool = False  # the file is byte for byte the issued document
    seal: object = None  # the portal seal's SignatureReport whose revision is the document
    added: list = field(default_factory=list)  # signatures made on later revisions


def issued_document_in_pdf(*, report, user) -> IssuedDocumentFound:
    """The issued covenant document an uploaded PDF is, or contains, if the user may see it.

    ``report`` is ``cluster_portal.pdf_verify.PdfReport``. A PDF countersigned after issue
    (incremental updates) still carries the issued bytes as the revision the portal's seal
    covers: that prefix of the file is matched by its SHA-256, and the signatures added
    after it are listed.
    """
    document = issued_document_by_sha256(sha256=report.sha256, user=user)
    if document is not None:
        return IssuedDocumentFound(document=document, exact=True)
    for signature in report.signatures:
        if not (signature.by_this_portal and signature.intact and signature.covered_sha256):
            continue
        document = issued_document_by_sha256(sha256=signature.covered_sha256, user=user)
        if document is not None:
            return IssuedDocumentFound(
                document=document, seal=signature, added=report.added_after(signature)
            )
    return IssuedDocumentFound()


def covenant_freezes_legal_reference(reference) -> bool:
    """Registered with the plans app: a covenant version opened for signing quotes its legal
    bases in the text members sign, and a closed year's covenant is history, so neither's
    references may change any more. One query."""
    return (
        Covenant.objects.filter(legal_bases=reference)
        .filter(Q(versions__isnull=False) | Q(cluster_year__phase=ClusterYear.Phase.CLOSED))
        .exists()
    )


def covenant_current_version(*, covenant: Covenant):
    """The version of the text now open (or being drafted), or None."""
    return covenant.versions.filter(number=covenant.version).first()


def covenant_versions(*, covenant: Covenant) -> list:
    """Every version of the covenant's text."""
    return list(covenant.versions.all())


def signature_get(*, covenant: Covenant, pk: int) -> Signature:
    """One response to ``covenant`` with its department; raises Signature.DoesNotExist."""
    return Signature.objects.select_related("department").get(pk=pk, covenant=covenant)
