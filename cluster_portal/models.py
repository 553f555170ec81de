"""Cross-cutting model pieces shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for every portal model: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class IllustrativeModel(models.Model):
    """Rows that the demo may invent: shown with a notice that they are not official data."""

    is_illustrative = models.BooleanField(
        _("illustrative demo data"),
        default=False,
        help_text=_("Shown with a notice that the data is invented for demonstration."),
    )

    class Meta:
        abstract = True


class AuditEventQuerySet(models.QuerySet):
    """Audit events are append-only: bulk updates and deletes are refused."""

    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only.")

    def delete(self):
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One thing that happened, recorded by the service that did it. Append-only.

    Events form a hash chain: each stores the HMAC-SHA256 (keyed from the environment) of
    its own content together with the previous event's hash, so changing or removing a
    stored event breaks every later link (``python manage.py verify_audit`` finds the first
    broken one). ``hash_scheme`` says which key hashed it ("hmac-sha256:<key id>"), or
    "sha256" for events from before the switch to HMAC. Services record events through
    ``cluster_portal.audit.audit_record``.
    """

    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        "members.User",
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100)
    target_type = models.CharField(_("object type"), max_length=100)
    target_id = models.CharField(_("object id"), max_length=64)
    target_repr = models.CharField(_("object"), max_length=255)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    prev_hash = models.CharField(_("previous event's hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)
    hash_scheme = models.CharField(_("hash scheme"), max_length=40, default="sha256")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only.")


class AuditChainHead(models.Model):
    """A single row holding the hash of the newest audit event.

    Appending locks this row first, so concurrent writers queue up and every event links
    to the one before it; the chain never forks.
    """

    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return self.last_hash


class SealKey(models.Model):
    """The portal's demo seal (self-signed), generated on first use and kept.

    Only used when no seal certificate is configured (PORTAL_SEAL_PKCS12); kept in the
    database so that every app server seals with the same key and backups carry it, as a
    PKCS#12 encrypted with SEAL_KEY_PASSPHRASE (see ``cluster_portal.seal``).
    """

    pkcs12 = models.BinaryField()
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("demo seal key")

    def __str__(self):
        return self.subject


class MailOutbox(models.Model):
    """One e-mail message to send, written when it is queued and marked when it has gone.

    ``mail_send`` writes the row and queues one task per message; the task sends it and sets
    ``sent_at`` in the same transaction, so a task that runs again (a retry, a second worker)
    finds it sent and sends nothing.
    """

    key = models.CharField(_("key"), max_length=64, unique=True)
    # The cluster year the message is about, so its secretariat sees a failure; None for mail
    # that belongs to no cluster year.
    cluster_year_id = models.PositiveIntegerField(_("cluster year"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("body"))
    from_email = models.CharField(_("from"), max_length=254)
    to = models.JSONField(_("to"))
    alternatives = models.JSONField(_("alternatives"), default=list, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("queued e-mail")
        verbose_name_plural = _("queued e-mail")

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"


class TaskRetry(models.Model):
    """A failed background task that someone has queued again (by the retry button).

    A failed task is retried at most once this way (the unique ``failed_task_id``); its new
    run is ``retried_task_id``. Failed tasks without a row here are the ones still to see to.
    """

    failed_task_id = models.UUIDField(_("failed task"), unique=True)
    retried_task_id = models.UUIDField(_("new task"))
    retried_by = models.ForeignKey(
        "members.User",
        verbose_name=_("retried by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    retried_at = models.DateTimeField(_("retried at"), auto_now_add=True)

    class Meta:
        ordering = ["-retried_at"]
        verbose_name = _("retried task")
        verbose_name_plural = _("retried tasks")

    def __str__(self):
        return str(self.failed_task_id)


class DocumentNumber(models.Model):
    """One number given to an official document (Decree 30: "Số: 01/TTr-CTĐ").

    Numbers run per issuing body and calendar year, across every kind of document it
    issues, and are never reused: ``cluster_portal.numbering.document_number_take`` locks
    the issuer's year, takes the next number and records it here, in the caller's
    transaction. A document that is later withdrawn keeps its number taken.
    """

    issuer = models.CharField(_("issuing body"), max_length=64)
    year = models.PositiveSmallIntegerField(_("calendar year"))
    number = models.PositiveIntegerField(_("number"))
    symbol = models.CharField(_("symbol"), max_length=50)
    title = models.CharField(_("document"), max_length=500)
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)

    class Meta:
        ordering = ["issuer", "year", "number"]
        verbose_name = _("document number")
        verbose_name_plural = _("document numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "number"], name="document_number_never_reused"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="document_number_positive"
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        """As printed: two digits at least, then the symbol ("01/TTr-CTĐ")."""
        return f"{self.number:02d}/{self.symbol}"
