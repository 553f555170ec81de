"""Clusters, member departments, cluster years, yearly membership and users.

History stays true: a cluster year keeps a snapshot of each member department's names and
parent body as they were that year (``Membership``), so a later merger or rename never
rewrites a past year. The leader (Cụm trưởng) and deputy (Cụm phó) are roles on that year's
memberships, so the database itself guarantees that they are members of that year, that
there is at most one of each, and that they differ.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cluster_portal.collation import vi_sort_key
from cluster_portal.models import IllustrativeModel, TimeStampedModel

MIN_YEAR = 2000
MAX_YEAR = 2100
SORT_KEY_LENGTH = 1000


def _sort_key_field():
    # Derived from the names, never typed: hidden from forms and the admin.
    return models.CharField(_("sort key"), max_length=SORT_KEY_LENGTH, default="", editable=False)


class Cluster(IllustrativeModel, TimeStampedModel):
    """An emulation cluster (Cụm thi đua): members that compete and cooperate each year."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    document_parent_body = models.CharField(
        _("parent body in document headers"),
        max_length=255,
        default="BỘ NỘI VỤ",
        help_text=_("Printed above the cluster's name at the top left of its documents."),
    )
    paper_recorders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("may record paper originals"),
        blank=True,
        related_name="paper_recorder_of",
        help_text=_(
            "Secretariat users who may record a covenant signed on paper. When nobody is "
            "listed, the signatories of the year's leader department may."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:cluster-detail", kwargs={"code": self.code})


class DepartmentQuerySet(models.QuerySet):
    def valid_in_year(self, year: int):
        """The departments that exist on at least one day of ``year``."""
        return self.valid_during(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    def valid_during(self, first: datetime.date, last: datetime.date):
        """The departments that exist on at least one day from ``first`` to ``last``."""
        return self.filter(valid_from__lte=last).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=first)
        )


class Department(TimeStampedModel):
    """A member unit: a provincial Department of Home Affairs (Sở Nội vụ).

    ``valid_from``/``valid_to`` bound the period in which the department exists; after a
    merger it points to its ``successor``. Rows are never deleted once used in a year.
    """

    code = models.SlugField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("Province name without diacritics or spaces, e.g. hanoi."),
    )
    full_name = models.CharField(_("full name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100)
    province = models.CharField(_("province"), max_length=100)
    parent_body = models.CharField(
        _("parent body"),
        max_length=255,
        help_text=_('As printed in document headers, e.g. "UBND THÀNH PHỐ HÀ NỘI".'),
    )
    head_name = models.CharField(_("head's name"), max_length=255, blank=True)
    head_title = models.CharField(_("head's title"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    valid_from = models.DateField(_("valid from"), default=datetime.date(1945, 8, 28))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_("The department that took over after a merger."),
    )
    # Vietnamese order of province, then full name (``cluster_portal.collation``).
    sort_key = _sort_key_field()

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["sort_key", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="department_valid_to_after_valid_from",
                violation_error_message=_("The end of validity cannot be before its start."),
            ),
            models.CheckConstraint(
                condition=~Q(successor=models.F("id")),
                name="department_not_own_successor",
                violation_error_message=_("A department cannot succeed itself."),
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        # The key is a function of the row's own names, like a generated column that the
        # database cannot compute (Vietnamese order is not in SQLite), so it is kept true
        # here for every writer: the admin, the demo, the factories.
        self.sort_key = vi_sort_key(self.province, self.full_name, max_length=SORT_KEY_LENGTH)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"province", "full_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:department-detail", kwargs={"code": self.code})

    def is_valid_in_year(self, year: int) -> bool:
        """True if the department exists on at least one day of ``year``."""
        return self.is_valid_during(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    def is_valid_during(self, first: datetime.date, last: datetime.date) -> bool:
        """True if the department exists on at least one day from ``first`` to ``last``."""
        return self.valid_from <= last and (self.valid_to is None or self.valid_to >= first)


class ClusterYear(IllustrativeModel, TimeStampedModel):
    """One year of a cluster: its members, leader and deputy, theme, motto and phase."""

    class Phase(models.TextChoices):
        PLANNING = "planning", _("Planning")
        SIGNING = "signing", _("Signing the covenant")
        IN_PROGRESS = "in_progress", _("In progress")
        EVALUATION = "evaluation", _("Evaluation")
        CLOSED = "closed", _("Closed")

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    theme = models.TextField(_("emulation theme"), blank=True)
    motto = models.TextField(_("motto of the year"), blank=True)
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.PLANNING
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["cluster__name", "-year"]
        verbose_name = _("cluster year")
        verbose_name_plural = _("cluster years")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="one_cluster_year_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR),
                name="cluster_year_in_range",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
        ]

    def __str__(self):
        return f"{self.cluster.name} – {self.year}"

    def get_absolute_url(self):
        return reverse(
            "members:clusteryear-detail", kwargs={"code": self.cluster.code, "year": self.year}
        )

    def _membership_with_role(self, role):
        # Uses the prefetched memberships when a selector loaded them.
        for membership in self.memberships.all():
            if membership.role == role:
                return membership
        return None

    @property
    def leader(self):
        """The leader's ``Membership`` (Cụm trưởng), or None before the election."""
        return self._membership_with_role(Membership.Role.LEADER)

    @property
    def deputy(self):
        """The deputy's ``Membership`` (Cụm phó), or None."""
        return self._membership_with_role(Membership.Role.DEPUTY)


class Membership(TimeStampedModel):
    """A department's membership in one cluster year, with a snapshot of how it was named.

    The snapshot fields are copied from the department when the membership is created and
    never follow later changes: documents of that year keep the names they were issued with.
    A database trigger (migration 0002) refuses a membership outside the department's
    validity, and a change of validity that would leave such a membership behind.
    """

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        LEADER = "leader", _("Leader (Cụm trưởng)")
        DEPUTY = "deputy", _("Deputy (Cụm phó)")

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    full_name = models.CharField(_("full name that year"), max_length=255)
    short_name = models.CharField(_("short name that year"), max_length=100)
    parent_body = models.CharField(_("parent body that year"), max_length=255)
    head_name = models.CharField(_("head's name that year"), max_length=255, blank=True)
    head_title = models.CharField(_("head's title that year"), max_length=255, blank=True)
    # Copied with the names: the year's members keep the order they had that year.
    sort_key = _sort_key_field()

    class Meta:
        ordering = ["cluster_year", "sort_key", "department_id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "department"],
                name="one_membership_per_department_per_year",
                violation_error_message=_("This department is already a member that year."),
            ),
            models.UniqueConstraint(
                fields=["cluster_year"],
                condition=Q(role="leader"),
                name="one_leader_per_cluster_year",
                violation_error_message=_("The cluster year already has a leader."),
            ),
            models.UniqueConstraint(
                fields=["cluster_year"],
                condition=Q(role="deputy"),
                name="one_deputy_per_cluster_year",
                violation_error_message=_("The cluster year already has a deputy."),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.cluster_year})"

    def save(self, *args, **kwargs):
        # A membership typed in the admin has names but no key yet: derive it as
        # ``snapshot_of`` does (the services and the demo copy it from the department).
        if not self.sort_key and self.department_id:
            self.sort_key = vi_sort_key(
                self.department.province, self.full_name, max_length=SORT_KEY_LENGTH
            )
        super().save(*args, **kwargs)

    def clean(self):
        # The database trigger is the guarantee; this gives forms (the admin) a clear message.
        if (
            self.department_id
            and self.cluster_year_id
            and not self.department.is_valid_in_year(self.cluster_year.year)
        ):
            raise ValidationError(
                {
                    "department": ValidationError(
                        _("This department does not exist in %(year)s."),
                        code="department_not_valid",
                        params={"year": self.cluster_year.year},
                    )
                }
            )

    @classmethod
    def snapshot_of(cls, department: Department) -> dict:
        """The fields a new membership copies from ``department``."""
        return {
            "full_name": department.full_name,
            "short_name": department.short_name,
            "parent_body": department.parent_body,
            "head_name": department.head_name,
            "head_title": department.head_title,
            "sort_key": vi_sort_key(
                department.province, department.full_name, max_length=SORT_KEY_LENGTH
            ),
        }


class User(AbstractUser):
    """A portal user: staff of a member department, or a Ministry reviewer.

    Secretariat rights are not stored here: they follow from the department leading a
    cluster year (see ``members.permissions``), plus ``administered_clusters`` for people
    who administer a cluster whatever the rotation.
    """

    class Role(models.TextChoices):
        SIGNATORY = "signatory", _("Signatory (may sign for the department)")
        STAFF = "staff", _("Department staff")
        REVIEWER = "reviewer", _("Ministry reviewer")

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    position = models.CharField(
        _("position"), max_length=255, blank=True, help_text=_("e.g. Giám đốc Sở")
    )
    administered_clusters = models.ManyToManyField(
        Cluster,
        verbose_name=_("cluster administrator of"),
        blank=True,
        related_name="administrators",
        help_text=_("Secretariat rights in these clusters in every year, whoever leads."),
    )

    class Meta(AbstractUser.Meta):
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="reviewer") & Q(department__isnull=True))
                | (~Q(role="reviewer") & Q(department__isnull=False))
                | Q(is_superuser=True),
                name="user_department_matches_role",
                violation_error_message=_(
                    "Ministry reviewers belong to no department; everyone else belongs to one."
                ),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_reviewer(self) -> bool:
        return self.role == self.Role.REVIEWER

    @property
    def is_signatory(self) -> bool:
        return self.role == self.Role.SIGNATORY and self.department_id is not None


class Notification(TimeStampedModel):
    """A to-do item as it first reached a user: the bell's entry and the e-mail's line.

    The to-do items themselves are computed from the data (``members.selectors``); this row
    only records that the item with ``key`` has reached ``user`` (once), whether they read
    it in the portal, and whether it went out by e-mail.
    """

    class Mail(models.TextChoices):
        PENDING = "pending", _("To be sent")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent (turned off or no address)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(_("item"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40)
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(_("link"), max_length=500)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mail = models.CharField(_("e-mail"), max_length=10, choices=Mail.choices, default=Mail.PENDING)
    mailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_item"),
            models.CheckConstraint(
                condition=~Q(mail="sent") | Q(mailed_at__isnull=False),
                name="sent_notification_has_mailed_at",
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.message


class MailOptOut(models.Model):
    """A user turned e-mail off for one kind of to-do item (the bell still shows it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="mail_opt_outs",
    )
    kind = models.CharField(_("kind"), max_length=40)

    class Meta:
        verbose_name = _("e-mail turned off")
        verbose_name_plural = _("e-mails turned off")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind"),
        ]

    def __str__(self):
        return f"{self.user}: {self.kind}"
