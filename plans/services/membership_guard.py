"""The plans app's guard on membership changes, registered with the members app."""

from django.utils.translation import gettext as _

from members.models import ClusterYear, Department
from plans.models import Activity, Attendee, CharterComment, NewsPost


def membership_guard(*, cluster_year: ClusterYear, department: Department, change: str):
    """Registered with the members app: a department named in the year's plans, charter
    comments or news stays a member of that year (history stays true)."""
    if change != "remove":
        return None
    records = [
        (
            _("hosts an activity"),
            Activity.objects.filter(work_plan__cluster_year=cluster_year, host=department),
        ),
        (
            _("attends an activity"),
            Attendee.objects.filter(
                activity__work_plan__cluster_year=cluster_year, department=department
            ),
        ),
        (
            _("commented on the charter"),
            CharterComment.objects.filter(
                article__version__cluster_year=cluster_year, department=department
            ),
        ),
        (
            _("wrote news"),
            NewsPost.objects.filter(cluster_year=cluster_year, author_department=department),
        ),
    ]
    named = [label for label, queryset in records if queryset.exists()]
    if not named:
        return None
    return _(
        "%(department)s is named in the records of %(year)s (%(records)s): its membership "
        "stays part of that year."
    ) % {"department": department.full_name, "year": cluster_year.year, "records": "; ".join(named)}
