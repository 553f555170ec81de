"""Legal references: the laws, decrees and circulars plans and covenants cite."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cluster_portal.models import TimeStampedModel
from cluster_portal.uploads import private_name
from members.models import Cluster


def legal_reference_upload_to(instance, filename):
    return private_name("plans/legal", filename)


class LegalReference(TimeStampedModel):
    """A document that plans and the covenant cite.

    e.g. "Công văn số 1307/BNV-VP ngày 27/3/2019 của Bộ Nội vụ". ``kind`` is the document
    type as written before the number ("Công văn", "Chỉ thị", "Nghị quyết", ...).

    It belongs to a ``cluster``, whose secretariat keeps it and whose plans and covenants
    cite it, or to none: site-wide, cited by every cluster and kept by site administrators.
    Once a closed year or a signed covenant version cites it, it never changes: a correction
    is a new reference that ``corrects`` it.
    """

    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_references",
        help_text=_("Empty: site-wide, kept by site administrators."),
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    kind = models.CharField(_("document type"), max_length=100)
    number = models.CharField(
        _("number and symbol"), max_length=100, blank=True, help_text=_("e.g. 1307/BNV-VP")
    )
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    issuer = models.CharField(_("issuer"), max_length=255, blank=True)
    title = models.CharField(_("title or summary"), max_length=500, blank=True)
    file = models.FileField(
        _("file"), upload_to=legal_reference_upload_to, max_length=255, blank=True
    )
    content_type = models.CharField(_("content type"), max_length=100, blank=True)

    class Meta:
        ordering = ["-issued_on", "kind", "number"]
        verbose_name = _("legal reference")
        verbose_name_plural = _("legal references")
        # One reference per document and owner; a correction may repeat the number of the
        # reference it corrects (the date or issuer was wrong, not the number).
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "kind", "number", "issuer"],
                condition=~Q(number="") & Q(cluster__isnull=False) & Q(corrects__isnull=True),
                name="unique_legal_reference_number_per_cluster",
            ),
            models.UniqueConstraint(
                fields=["kind", "number", "issuer"],
                condition=~Q(number="") & Q(cluster__isnull=True) & Q(corrects__isnull=True),
                name="unique_site_wide_legal_reference_number",
            ),
        ]

    def __str__(self):
        return self.citation

    def get_absolute_url(self):
        return reverse("plans:legalreference-detail", kwargs={"pk": self.pk})

    @property
    def citation(self) -> str:
        """How documents cite it: "Công văn số 1307/BNV-VP ngày 27/3/2019 của Bộ Nội vụ"."""
        parts = [self.kind]
        if self.number:
            parts.append(f"số {self.number}")
        if self.issued_on:
            d = self.issued_on
            parts.append(f"ngày {d.day}/{d.month}/{d.year}")
        if self.issuer:
            parts.append(f"của {self.issuer}")
        return " ".join(parts)
