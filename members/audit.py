"""Audit actions of cluster years, memberships and departments (registered in ``MembersConfig``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MembersAction(models.TextChoices):
    CLUSTER_YEAR_STARTED = "cluster_year.started", _("Year started")
    CLUSTER_YEAR_UPDATED = "cluster_year.updated", _("Year edited")
    CLUSTER_YEAR_LEADERSHIP_SET = "cluster_year.leadership_set", _("Leader and deputy recorded")
    MEMBERSHIP_ADDED = "membership.added", _("Member added")
    MEMBERSHIP_REMOVED = "membership.removed", _("Member removed")
    DEPARTMENT_MERGED = "department.merged", _("Departments merged")
