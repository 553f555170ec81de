"""Cross-cutting model pieces shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for every portal model: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One thing that happened, recorded by the service that did it. Append-only.

    Services call ``cluster_portal.audit.audit_record``; nothing updates or deletes rows.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
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

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"
