"""The cluster charter: versions, articles and members' comments on them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cluster_portal.models import IllustrativeModel, TimeStampedModel
from members.models import Cluster, ClusterYear, Department


def _new_key() -> str:
    return uuid.uuid4().hex


class CharterVersion(IllustrativeModel, TimeStampedModel):
    """One version of a cluster's charter (Quy chế tổ chức và hoạt động của Cụm).

    A version moves draft → open for comments → adopted. The adopted version with the
    latest adoption date is in force, across years, until a newer one is adopted. Adopted
    versions are read-only forever (the services refuse every change). ``cluster_year`` is
    the year in which the version was drafted: its secretariat edits it, its members
    comment on it.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for comments")
        ADOPTED = "adopted", _("Adopted")

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="charters"
    )
    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("drafted in"),
        on_delete=models.PROTECT,
        related_name="charter_versions",
    )
    number = models.PositiveSmallIntegerField(_("version number"))
    title = models.CharField(_("title"), max_length=500)
    preamble = models.TextField(_("preamble"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened for comments at"), null=True, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_at = models.ForeignKey(
        "Activity",
        verbose_name=_("adopted at the conference"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_charter_versions",
    )
    # The charter's voting rules: the defaults of every ballot while this version is in force.
    vote_quorum_percent = models.DecimalField(
        _("ballot quorum (% of all members)"),
        max_digits=5,
        decimal_places=2,
        default=50,
        help_text=_("A vote is valid when at least this share of all members cast a ballot."),
    )
    vote_threshold_percent = models.DecimalField(
        _("ballot threshold (%)"),
        max_digits=5,
        decimal_places=2,
        default=50,
        help_text=_("A candidate is chosen with more than this share."),
    )
    vote_threshold_base = models.CharField(
        _("threshold counted"),
        max_length=10,
        choices=[
            ("members", _("of all members")),
            ("present", _("of the members present")),
            ("valid", _("of the valid ballots")),
        ],
        default="members",
    )
    vote_blank_invalid = models.BooleanField(
        _("count blank or over-filled ballots as invalid"),
        default=False,
        help_text=_("Otherwise the portal refuses them and the voter corrects the choice."),
    )

    class Meta:
        ordering = ["cluster", "-number"]
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "number"],
                name="one_charter_version_per_number",
                violation_error_message=_("The cluster already has a charter version with it."),
            ),
            models.UniqueConstraint(
                fields=["cluster"],
                condition=~Q(state="adopted"),
                name="one_unadopted_charter_version_per_cluster",
                violation_error_message=_(
                    "The cluster already has a charter version being drafted or commented on."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state="adopted") | Q(adopted_on__isnull=False),
                name="adopted_charter_version_has_date",
                violation_error_message=_("An adopted version needs its adoption date."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({_('version')} {self.number})"

    def get_absolute_url(self):
        return reverse("plans:charterversion-detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_adopted(self) -> bool:
        return self.state == self.State.ADOPTED


class CharterArticle(models.Model):
    """One article (Điều) of a charter version, on which members comment.

    ``key`` identifies "the same article" across versions: a new version copies the articles
    of the one it is based on with their keys, so the comparison still pairs an article
    that was renumbered or retitled.
    """

    version = models.ForeignKey(
        CharterVersion,
        verbose_name=_("charter version"),
        on_delete=models.CASCADE,
        related_name="articles",
    )
    key = models.CharField(_("identity across versions"), max_length=32, default=_new_key)
    number = models.PositiveSmallIntegerField(_("article number"))
    heading = models.CharField(_("heading"), max_length=500)
    body = models.TextField(_("text"))
    is_illustrative = models.BooleanField(
        _("illustrative text"),
        default=False,
        help_text=_("The text is invented for demonstration, not the official wording."),
    )

    class Meta:
        ordering = ["version", "number"]
        verbose_name = _("charter article")
        verbose_name_plural = _("charter articles")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number"],
                name="one_charter_article_per_number",
                violation_error_message=_("This version already has an article with it."),
            ),
            models.UniqueConstraint(fields=["version", "key"], name="one_charter_article_per_key"),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="charter_article_number_positive"
            ),
        ]

    def __str__(self):
        return f"Điều {self.number}. {self.heading}"

    def get_absolute_url(self):
        return f"{self.version.get_absolute_url()}#article-{self.number}"


class CharterComment(TimeStampedModel):
    """A member's comment on one article, and the secretariat's answer or resolution."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        ANSWERED = "answered", _("Answered")
        RESOLVED = "resolved", _("Resolved")

    article = models.ForeignKey(
        CharterArticle,
        verbose_name=_("article"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="charter_comments",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("comment"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["article", "created_at", "id"]
        verbose_name = _("charter comment")
        verbose_name_plural = _("charter comments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="answered") | ~Q(answer=""),
                name="answered_charter_comment_has_answer",
                violation_error_message=_("An answered comment needs its answer."),
            )
        ]

    def __str__(self):
        return f"{self.article}: {self.body[:60]}"

    def get_absolute_url(self):
        return f"{self.article.version.get_absolute_url()}#comment-{self.pk}"
