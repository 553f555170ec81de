"""Charter, work plan and activities, conferences, news and legal references.

Uploaded files (minutes, photos, attachments) are stored under random names and served only
through views that check who asks; nothing here is reachable from a public media URL.
"""

import datetime
import hashlib
import secrets
import uuid
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cluster_portal.models import IllustrativeModel, TimeStampedModel
from cluster_portal.uploads import private_name
from members.models import Cluster, ClusterYear, Department


def _portal_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _new_key() -> str:
    return uuid.uuid4().hex


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


def attachment_upload_to(instance, filename):
    return private_name("plans/attachments", filename)


def photo_upload_to(instance, filename):
    return private_name("plans/photos", filename)


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


class WorkPlan(IllustrativeModel, TimeStampedModel):
    """The work plan of one cluster year (Kế hoạch công tác thi đua, khen thưởng năm …).

    Its progress is rolled up from its activities (see ``rolled_up_progress``).
    """

    cluster_year = models.OneToOneField(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.PROTECT,
        related_name="work_plan",
    )
    number = models.CharField(
        _("number and symbol"), max_length=100, blank=True, help_text=_("e.g. 01/KH-CTĐ")
    )
    title = models.CharField(_("title"), max_length=500)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    legal_references = models.ManyToManyField(
        LegalReference, verbose_name=_("legal bases"), blank=True, related_name="work_plans"
    )
    adopted_at = models.ForeignKey(
        "Activity",
        verbose_name=_("adopted at the conference"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_work_plans",
    )

    class Meta:
        ordering = ["cluster_year__cluster__name", "-cluster_year__year"]
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "plans:workplan-detail",
            kwargs={"code": self.cluster_year.cluster.code, "year": self.cluster_year.year},
        )

    @property
    def progress(self) -> int | None:
        """The plan's progress in percent, from its (prefetched) activities."""
        return rolled_up_progress(self.activities.all())


def rolled_up_progress(activities) -> int | None:
    """The mean progress of the activities that are not cancelled, rounded half up.

    None when there is nothing to count (no activity, or all cancelled).
    """
    counted = [a.progress for a in activities if a.status != Activity.Status.CANCELLED]
    if not counted:
        return None
    return int(Decimal(sum(counted)) / len(counted) + Decimal("0.5"))


class Activity(IllustrativeModel, TimeStampedModel):
    """One activity of a work plan: a conference, seminar, exchange visit, review, ...

    The host department's staff report on it (status, progress, outcome); the secretariat
    edits everything. ``version`` grows with every edit, so that two people editing at the
    same time cannot overwrite each other (the services compare it).
    """

    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        SEMINAR = "seminar", _("Thematic seminar")
        EXCHANGE_VISIT = "exchange_visit", _("Exchange visit")
        MID_YEAR_REVIEW = "mid_year_review", _("Mid-year review")
        CLOSING_CONFERENCE = "closing_conference", _("Closing conference")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    # Kinds that are meetings: they record agenda, attendees, minutes and adoptions.
    CONFERENCE_KINDS = frozenset({Kind.CONFERENCE, Kind.MID_YEAR_REVIEW, Kind.CLOSING_CONFERENCE})

    work_plan = models.ForeignKey(
        WorkPlan, verbose_name=_("work plan"), on_delete=models.PROTECT, related_name="activities"
    )
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    host = models.ForeignKey(
        Department,
        verbose_name=_("host department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_activities",
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    outside_plan_year = models.BooleanField(
        _("may fall outside the plan's year"),
        default=False,
        help_text=_("Tick for an activity held before or after the year of its plan."),
    )
    venue = models.CharField(_("venue"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    outcome_notes = models.TextField(_("outcome notes"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes_text = models.TextField(_("minutes"), blank=True)
    adopted_covenant = models.BooleanField(
        _("adopted the covenant contents"),
        default=False,
        help_text=_("The conference adopted the contents of the year's emulation covenant."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["starts_on", "start_time", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="activity_progress_0_to_100",
                violation_error_message=_("Progress must be between 0 and 100 percent."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="activity_ends_after_it_starts",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on"))
                | Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gte=F("start_time")),
                name="activity_same_day_ends_after_it_starts",
                violation_error_message=_("On a one-day activity the end time cannot be earlier."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(progress=100),
                name="done_activity_is_complete",
                violation_error_message=_("A done activity must have 100 percent progress."),
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="activity_version_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:activity-detail", kwargs={"pk": self.pk})

    @property
    def is_conference(self) -> bool:
        return self.kind in self.CONFERENCE_KINDS

    @property
    def cluster_year(self) -> ClusterYear:
        return self.work_plan.cluster_year

    def local_start(self) -> datetime.datetime | None:
        """The start as an aware datetime in the portal's time zone, if it has a time."""
        if self.start_time is None:
            return None
        return datetime.datetime.combine(self.starts_on, self.start_time, tzinfo=_portal_zone())

    def local_end(self) -> datetime.datetime | None:
        """The end as an aware datetime in the portal's time zone, if it has a time."""
        if self.end_time is None:
            return None
        return datetime.datetime.combine(self.ends_on, self.end_time, tzinfo=_portal_zone())


class Attendee(models.Model):
    """Who attended a conference: a member department's representative, or a guest."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member department")
        GUEST = "guest", _("Guest")

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attendees"
    )
    kind = models.CharField(_("attending as"), max_length=10, choices=Kind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.CharField(
        _("organisation"), max_length=255, blank=True, help_text=_("For guests, e.g. Bộ Nội vụ.")
    )
    name = models.CharField(_("name"), max_length=255, blank=True)
    title = models.CharField(_("title (position)"), max_length=500, blank=True)
    is_chair = models.BooleanField(_("chaired the conference"), default=False)

    class Meta:
        ordering = ["activity", "-is_chair", "kind", "id"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="member") & Q(department__isnull=False))
                | (Q(kind="guest") & ~Q(name="")),
                name="attendee_member_has_department_guest_has_name",
                violation_error_message=_(
                    "A member attendee needs its department; a guest needs a name."
                ),
            ),
            models.UniqueConstraint(
                fields=["activity", "department"],
                condition=Q(kind="member"),
                name="one_attendance_per_member_department",
                violation_error_message=_("This department is already listed as attending."),
            ),
        ]

    def __str__(self):
        who = self.name or (self.department.full_name if self.department_id else "")
        return f"{who} – {self.title}" if self.title else who


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


def new_feed_token() -> str:
    """A fresh secret for feed URLs: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_feed_token(token: str) -> str:
    """What the database keeps of a feed token: its SHA-256 (hex).

    A plain hash suffices (no salt, no slow hashing): the token is 256 random bits, so
    there is nothing to guess, and the hash must be looked up by equality on every feed
    request.
    """
    return hashlib.sha256(token.encode()).hexdigest()


def _unusable_feed_token_hash() -> str:
    # A row made outside the service (the admin, a shell) gets the hash of a secret nobody
    # ever sees: it can be revoked but never used.
    return hash_feed_token(new_feed_token())


class FeedToken(TimeStampedModel):
    """A user's secret for calendar subscriptions: it goes in the iCalendar feed URLs.

    Calendar applications cannot log in, so the token stands for the user: a feed shows
    what its owner may see. A revoked token gets 404. At most one live token per user.
    Only the token's hash is stored; the token itself is shown once, when it is created
    (``secret``, set by the service on the object it returns).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="feed_tokens",
    )
    token_hash = models.CharField(
        _("SHA-256 of the token"),
        max_length=64,
        unique=True,
        default=_unusable_feed_token_hash,
        editable=False,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    secret: str | None = None  # the token itself, on the object just created only

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_feed_token_per_user",
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})" if self.created_at else str(self.user)

    def get_absolute_url(self):
        return reverse("plans:calendar-feeds")

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
