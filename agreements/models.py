"""The emulation covenant (giao ước thi đua) of a cluster year, and its signatures.

A covenant's text is edited while it is a draft. Opening it for signing freezes the text as
a ``CovenantVersion`` with the SHA-256 of the exact text; every signature points to the
version it signed. Changing the text after opening makes a new version: the signatures of
the old one are voided (kept, shown as voided) and signing starts over.

A click in the portal is a *confirmation recorded by the system* (xác nhận trên hệ thống),
not a digital signature; the paper method records a signed paper original with its scan.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cluster_portal.documents import decree30_date
from cluster_portal.models import TimeStampedModel
from cluster_portal.uploads import private_name
from members.models import ClusterYear, Department
from plans.models import LegalReference

DEFAULT_RECIPIENTS = (
    "Bộ Nội vụ (Văn phòng Bộ, Hội đồng Thi đua - Khen thưởng Bộ);\n"
    "Các đơn vị thành viên Cụm;\n"
    "Lưu: Thư ký Cụm."
)


class Covenant(TimeStampedModel):
    """The covenant of one cluster year."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for signing")
        SIGNED = "signed", _("Fully signed")
        CLOSED = "closed", _("Closed")

    cluster_year = models.OneToOneField(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.PROTECT,
        related_name="covenant",
    )
    title = models.CharField(_("title"), max_length=255)
    number = models.CharField(
        _("number and symbol"), max_length=50, blank=True, help_text=_("e.g. 01/GƯ-CTĐ")
    )
    preamble = models.TextField(_("preamble"), blank=True)
    legal_bases = models.ManyToManyField(
        LegalReference, verbose_name=_("legal bases"), blank=True, related_name="covenants"
    )
    place = models.CharField(_("place of signing"), max_length=255, blank=True)
    signing_date = models.DateField(_("date of signing"), null=True, blank=True)
    deadline = models.DateTimeField(_("signing deadline"), null=True, blank=True)
    recipients = models.TextField(
        _("recipients (Nơi nhận)"),
        blank=True,
        default=DEFAULT_RECIPIENTS,
        help_text=_("One per line."),
    )
    leader_signs_last = models.BooleanField(
        _("the leader signs last"),
        default=False,
        help_text=_("The leader (Cụm trưởng) signs after every other member."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    opened_at = models.DateTimeField(_("opened for signing at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("fully signed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-cluster_year__year", "cluster_year__cluster__name"]
        verbose_name = _("covenant")
        verbose_name_plural = _("covenants")
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="covenant_version_positive")
        ]

    def __str__(self):
        return f"{self.title} – {self.cluster_year.cluster.name}"

    def _url(self, name):
        return reverse(
            f"agreements:{name}",
            kwargs={"code": self.cluster_year.cluster.code, "year": self.cluster_year.year},
        )

    def get_absolute_url(self):
        return self._url("covenant-detail")

    @property
    def board_url(self):
        return self._url("covenant-board")

    @property
    def deadline_passed(self) -> bool:
        return self.deadline is not None and timezone.now() > self.deadline

    @property
    def place_and_date(self) -> str:
        """ "Hà Nội, ngày 24 tháng 5 năm 2019" (Decree 30 date rule)."""
        when = decree30_date(self.signing_date) if self.signing_date else ""
        return ", ".join(part for part in (self.place, when) if part)

    def render_text(self) -> str:
        """The exact text members sign: title, legal bases, preamble, commitments, place/date.

        Its SHA-256 is what a signature records, so any later change to the text shows.
        """
        lines = [self.title.strip(), ""]
        # Decree 30: the legal bases ("Căn cứ") come before the body.
        bases = [ref.citation for ref in self.legal_bases.all()]
        if bases:
            lines.append("Căn cứ:")
            # Each basis ends with a semicolon, the last with a full stop (Decree 30).
            lines += [f"- {citation};" for citation in bases[:-1]] + [f"- {bases[-1]}."]
            lines.append("")
        if self.preamble.strip():
            lines += [self.preamble.strip(), ""]
        for commitment in self.commitments.all():
            lines.append(f"{commitment.position}. {commitment.text.strip()}")
        if self.place_and_date:
            lines += ["", self.place_and_date]
        return "\n".join(lines).strip() + "\n"


class Commitment(models.Model):
    """One numbered commitment (phương hướng, nhiệm vụ trọng tâm) of a covenant."""

    covenant = models.ForeignKey(
        Covenant, verbose_name=_("covenant"), on_delete=models.CASCADE, related_name="commitments"
    )
    position = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["covenant", "position"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "position"], name="one_commitment_per_position"
            )
        ]

    def __str__(self):
        return f"{self.position}. {self.text[:60]}"


class CovenantVersion(models.Model):
    """The exact text of a covenant as opened for signing, with its SHA-256."""

    covenant = models.ForeignKey(
        Covenant, verbose_name=_("covenant"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    sha256 = models.CharField(_("SHA-256 of the text"), max_length=64)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    voided_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    void_reason = models.TextField(_("reason for the new version"), blank=True)

    class Meta:
        ordering = ["covenant", "number"]
        verbose_name = _("covenant version")
        verbose_name_plural = _("covenant versions")
        constraints = [
            models.UniqueConstraint(fields=["covenant", "number"], name="one_version_per_number")
        ]

    def __str__(self):
        return f"{self.covenant} v{self.number}"

    @staticmethod
    def hash_text(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def signature_scan_path(instance, filename):
    return private_name("signatures", filename)


class Signature(models.Model):
    """A department's response to a covenant version: signed or declined.

    At most one response per department per covenant is current (not voided): a database
    constraint, so two simultaneous requests can never both succeed.
    """

    class Status(models.TextChoices):
        SIGNED = "signed", _("Signed")
        DECLINED = "declined", _("Declined")

    class Method(models.TextChoices):
        PORTAL = "portal", _("Confirmation recorded by the system")
        PAPER = "paper", _("Paper original recorded by the secretariat")

    covenant = models.ForeignKey(
        Covenant, verbose_name=_("covenant"), on_delete=models.PROTECT, related_name="signatures"
    )
    version = models.ForeignKey(
        CovenantVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer's account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    signer_name = models.CharField(_("signer's name"), max_length=255)
    signer_title = models.CharField(_("signer's title"), max_length=255, blank=True)
    department_name = models.CharField(_("department as named that year"), max_length=255)
    signed_at = models.DateTimeField(_("time"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    text_sha256 = models.CharField(_("SHA-256 of the text signed"), max_length=64)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    scan = models.FileField(
        _("scan of the paper original"), upload_to=signature_scan_path, max_length=255, blank=True
    )
    scan_content_type = models.CharField(_("content type of the scan"), max_length=100, blank=True)
    scan_sha256 = models.CharField(_("SHA-256 of the scan"), max_length=64, blank=True)
    quarantined_scan = models.CharField(
        _("scan moved out of reach"),
        max_length=255,
        blank=True,
        help_text=_(
            "Where a stored scan that failed the file check was moved; it is no longer served."
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    class Meta:
        ordering = ["covenant", "department_name", "signed_at"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "department"],
                condition=Q(voided_at__isnull=True),
                name="one_current_signature_per_department",
                violation_error_message=_("This department has already responded."),
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="declining_needs_a_reason",
            ),
        ]

    def __str__(self):
        return f"{self.department_name}: {self.get_status_display()} ({self.covenant})"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class Reminder(models.Model):
    """A reminder e-mail to a pending signatory; at most one per signatory per day."""

    covenant = models.ForeignKey(
        Covenant, verbose_name=_("covenant"), on_delete=models.CASCADE, related_name="reminders"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_on = models.DateField(_("day (Vietnam time)"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "recipient", "sent_on"], name="one_reminder_per_day"
            )
        ]

    def __str__(self):
        return f"{self.recipient} {self.sent_on}"


class CovenantView(models.Model):
    """First time a signatory opened a covenant version (the "viewed" audit event)."""

    version = models.ForeignKey(CovenantVersion, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="one_view_per_version_user")
        ]

    def __str__(self):
        return f"{self.user} viewed {self.version}"


def _document_path(instance, filename):
    return f"covenants/{instance.covenant.cluster_year.year}/{instance.identifier}.pdf"


class CovenantDocument(models.Model):
    """The final PDF of a fully signed covenant: rendered once, sealed, never replaced.

    Every download serves exactly these bytes; ``sha256`` is their hash, so a copy can be
    recognised on the verification page.
    """

    covenant = models.OneToOneField(
        Covenant, verbose_name=_("covenant"), on_delete=models.PROTECT, related_name="document"
    )
    identifier = models.UUIDField(_("document identifier"), unique=True)
    file = models.FileField(_("file"), upload_to=_document_path)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, unique=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    text_sha256 = models.CharField(_("SHA-256 of the text signed"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"))
    seal_subject = models.CharField(_("sealed by"), max_length=255, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("issued covenant document")
        verbose_name_plural = _("issued covenant documents")

    def __str__(self):
        return f"{self.covenant} ({self.identifier})"

    @property
    def filename(self) -> str:
        year = self.covenant.cluster_year
        return f"giao-uoc-thi-dua-{year.cluster.code}-{year.year}.pdf"


class PdfVerificationAttempt(models.Model):
    """One use of the "Verify a PDF" page, kept for the window of the per-user throttle.

    Counted in the database so the limit holds across processes and app servers; rows older
    than the window are deleted as the same user verifies again.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"], name="pdf_verify_user_time")]
        verbose_name = _("PDF verification")
        verbose_name_plural = _("PDF verifications")

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
