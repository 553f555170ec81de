"""Files attached to activities and photos of activities and news posts.

Uploaded files are stored under random names and served only through views that check who
asks; nothing here is reachable from a public media URL.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cluster_portal.models import TimeStampedModel
from cluster_portal.uploads import private_name
from plans.models.news import NewsPost
from plans.models.work_plans import Activity


def attachment_upload_to(instance, filename):
    return private_name("plans/attachments", filename)


def photo_upload_to(instance, filename):
    return private_name("plans/photos", filename)


class Attachment(TimeStampedModel):
    """A file attached to an activity: a document, or the scan of the signed minutes.

    Stored under a random name; served only through a permission-checked view.
    """

    class Purpose(models.TextChoices):
        DOCUMENT = "document", _("Document")
        MINUTES = "minutes", _("Signed minutes (scan)")

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="attachments"
    )
    purpose = models.CharField(
        _("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.DOCUMENT
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["activity", "purpose", "created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title or self.original_name

    def get_absolute_url(self):
        return reverse("plans:attachment-file", kwargs={"pk": self.pk})


class Photo(TimeStampedModel):
    """A photo with its caption, of an activity or of a news post (exactly one of them)."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="photos",
    )
    news_post = models.ForeignKey(
        NewsPost,
        verbose_name=_("news post"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="photos",
    )
    image = models.FileField(_("image"), upload_to=photo_upload_to, max_length=255)
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.CheckConstraint(
                condition=(Q(activity__isnull=False) & Q(news_post__isnull=True))
                | (Q(activity__isnull=True) & Q(news_post__isnull=False)),
                name="photo_of_activity_or_news_post",
                violation_error_message=_("A photo belongs to an activity or to a news post."),
            )
        ]

    def __str__(self):
        return self.caption or self.original_name

    def get_absolute_url(self):
        if self.news_post_id is not None:
            return reverse("plans:news-public-photo", kwargs={"pk": self.pk})
        return reverse("plans:photo-file", kwargs={"pk": self.pk})
