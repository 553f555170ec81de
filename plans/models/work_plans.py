"""The yearly work plan, its activities and the conference records (attendees)."""

import datetime
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cluster_portal.models import IllustrativeModel, TimeStampedModel
from members.models import ClusterYear, Department
from plans.models.legal_references import LegalReference


def _portal_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


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
    # What the host department's users may change (their report), in form order; the
    # secretariat changes every field in EDITABLE_FIELDS. Services and forms both read these.
    HOST_FIELDS = (
        "starts_on",
        "ends_on",
        "start_time",
        "end_time",
        "venue",
        "status",
        "progress",
        "outcome_notes",
        "agenda",
        "minutes_text",
    )
    EDITABLE_FIELDS = (
        "title",
        "kind",
        "host",
        "starts_on",
        "ends_on",
        "start_time",
        "end_time",
        "outside_plan_year",
        "venue",
        "status",
        "progress",
        "outcome_notes",
        "agenda",
        "minutes_text",
        "adopted_covenant",
    )

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
