"""News posts of a cluster year."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cluster_portal.models import IllustrativeModel, TimeStampedModel
from members.models import ClusterYear, Department
from plans.models.work_plans import Activity


class NewsPost(IllustrativeModel, TimeStampedModel):
    """News about the cluster's activities, written by a member or the secretariat.

    Published posts are public (readable without logging in); drafts are not.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.PROTECT,
        related_name="news_posts",
    )
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("text"))
    author_department = models.ForeignKey(
        Department,
        verbose_name=_("author department"),
        on_delete=models.PROTECT,
        related_name="news_posts",
    )
    author_name = models.CharField(
        _("byline"), max_length=255, blank=True, help_text=_("The author's name as published.")
    )
    published_on = models.DateField(_("date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("about the activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="news_posts",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_on__isnull=False),
                name="published_news_has_date",
                violation_error_message=_("A published post needs its date."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:news-public-detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
