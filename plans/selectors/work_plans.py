"""Reads for the plans overview, work plans, activities and their conference records.

Naming (every plans selectors module): ``<entity>_get(*, ...)`` returns one row with what
its page needs (raises ``<Model>.DoesNotExist``); ``<entity>_list(*, ...)`` returns rows, a
list or a queryset; a qualifier after the suffix says which or for what
(``activity_list_for_export``, ``feed_token_get_live``). A selector that returns something
other than the entity's rows is named for what it returns (``charter_diff``,
``charter_pdf_context``, ``legal_reference_is_frozen``).
"""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from members.models import Cluster, ClusterYear, Department
from members.selectors import cluster_years_visible_to
from plans.models import Activity, Attachment, Attendee, NewsPost, Photo, WorkPlan
from plans.selectors.common import _memberships, _paragraphs, _place_and_date, _year_memberships

# Plans overview and work plans


def cluster_year_list_with_plans(*, user) -> list[ClusterYear]:
    """Every cluster year the user may read, newest first, with its plan (or None), the
    plan's activities (for the progress) and the year's memberships."""
    return list(
        ClusterYear.objects.filter(pk__in=cluster_years_visible_to(user=user))
        .select_related("cluster", "work_plan")
        .prefetch_related(
            _memberships(),
            Prefetch(
                "work_plan__activities",
                queryset=Activity.objects.only("id", "work_plan_id", "progress", "status"),
            ),
        )
        .order_by("cluster__name", "-year")
    )


def cluster_year_get(*, code: str, year: int) -> ClusterYear:
    """One cluster year with its cluster and memberships; raises ClusterYear.DoesNotExist."""
    return (
        ClusterYear.objects.select_related("cluster")
        .prefetch_related(_memberships())
        .get(cluster__code=code, year=year)
    )


def work_plan_get(*, code: str, year: int) -> WorkPlan:
    """The plan of a cluster year with its activities (and hosts), legal bases and the
    year's memberships; raises WorkPlan.DoesNotExist."""
    return (
        WorkPlan.objects.select_related("cluster_year__cluster", "adopted_at")
        .prefetch_related(
            _year_memberships("cluster_year__"),
            Prefetch("activities", queryset=Activity.objects.select_related("host")),
            "legal_references",
        )
        .get(cluster_year__cluster__code=code, cluster_year__year=year)
    )


def activity_list_for_export(*, work_plan: WorkPlan) -> list[Activity]:
    """The plan's activities in date order, with their hosts, for CSV and Excel."""
    return list(work_plan.activities.select_related("host").order_by("starts_on", "id"))


def activity_get(*, pk: int) -> Activity:
    """An activity with everything its page shows; raises Activity.DoesNotExist."""
    return (
        Activity.objects.select_related("work_plan__cluster_year__cluster", "host")
        .prefetch_related(
            _year_memberships("work_plan__cluster_year__"),
            Prefetch(
                "attendees",
                queryset=Attendee.objects.select_related("department").order_by(
                    "-is_chair", "kind", "department__sort_key", "id"
                ),
            ),
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
            Prefetch("photos", queryset=Photo.objects.order_by("created_at", "id")),
            "adopted_charter_versions",
            Prefetch(
                "adopted_work_plans",
                queryset=WorkPlan.objects.select_related("cluster_year__cluster"),
            ),
            Prefetch(
                "news_posts",
                queryset=NewsPost.objects.filter(status=NewsPost.Status.PUBLISHED),
                to_attr="published_news",
            ),
        )
        .get(pk=pk)
    )


def activity_get_for_update(*, pk: int) -> Activity:
    """An activity with its plan, year and memberships (what the permissions read)."""
    return (
        Activity.objects.select_related("work_plan__cluster_year__cluster", "host")
        .prefetch_related(_year_memberships("work_plan__cluster_year__"))
        .get(pk=pk)
    )


def conference_list(*, cluster: Cluster) -> QuerySet[Activity]:
    """The cluster's conferences (any year), newest first: where a charter can be adopted."""
    return (
        Activity.objects.filter(
            work_plan__cluster_year__cluster=cluster, kind__in=Activity.CONFERENCE_KINDS
        )
        .select_related("work_plan__cluster_year")
        .order_by("-starts_on")
    )


def member_department_list(
    *, cluster_year: ClusterYear, activity: Activity | None = None
) -> QuerySet[Department]:
    """The departments that are members that year, in Vietnamese order (for choosing a
    host); given an ``activity``, only those that exist on one of its days (a member that
    merged away in the middle of the year does not attend a later conference)."""
    departments = Department.objects.filter(memberships__cluster_year=cluster_year)
    if activity is not None:
        departments = departments.valid_during(activity.starts_on, activity.ends_on)
    return departments.order_by("sort_key")


# Dashboard and year pages (registered with the members app in PlansConfig.ready)


def plan_year_links(*, user, cluster_years) -> dict[int, list]:
    """Links from cluster years to their work plan (with its progress), calendar and
    charter; the secretariat gets "create the work plan" where there is none. Two queries
    whatever the number of years."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from members.selectors import AttentionItem
    from plans import permissions

    plans = {
        plan.cluster_year_id: plan
        for plan in WorkPlan.objects.filter(
            cluster_year__in=[cy.pk for cy in cluster_years]
        ).prefetch_related(
            Prefetch(
                "activities",
                queryset=Activity.objects.only("id", "work_plan_id", "progress", "status"),
            )
        )
    }
    today = timezone.localdate()
    links: dict[int, list] = {}
    for cluster_year in cluster_years:
        items = []
        plan = plans.get(cluster_year.pk)
        code = cluster_year.cluster.code
        if plan is not None:
            plan.cluster_year = cluster_year
            progress = plan.progress
            label = (
                _("Work plan (%(progress)s%% done)") % {"progress": progress}
                if progress is not None
                else _("Work plan")
            )
            items.append(AttentionItem(label, plan.get_absolute_url()))
        elif permissions.can_create_work_plan(user, cluster_year):
            items.append(
                AttentionItem(
                    _("Create the work plan"),
                    reverse(
                        "plans:workplan-create", kwargs={"code": code, "year": cluster_year.year}
                    ),
                )
            )
        month = today.month if cluster_year.year == today.year else 1
        items.append(
            AttentionItem(
                _("Calendar"),
                reverse(
                    "plans:calendar-month",
                    kwargs={"code": code, "year": cluster_year.year, "month": month},
                ),
            )
        )
        items.append(
            AttentionItem(_("Charter"), reverse("plans:charterversion-list", kwargs={"code": code}))
        )
        links[cluster_year.pk] = items
    return links


def plan_attention_items(*, user, cluster_years) -> dict[int, list]:
    """Dashboard items: activities the user's department hosts that have ended but are not
    reported as done or cancelled yet. One query whatever the number of years."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from members.permissions import is_secretariat
    from members.selectors import AttentionItem
    from plans.attention import ACTIVITY_KIND, NEW_YEAR_KIND

    items: dict[int, list] = {cy.pk: [] for cy in cluster_years}
    if not user.is_authenticated or user.department_id is None:
        return items
    open_years = [cy.pk for cy in cluster_years if cy.phase != ClusterYear.Phase.CLOSED]
    # The year's new leader sets the work plan up: until it exists, that is a to-do.
    led = [cy for cy in cluster_years if cy.pk in open_years and is_secretariat(user, cy)]
    if led:
        planned = set(
            WorkPlan.objects.filter(cluster_year__in=led).values_list("cluster_year_id", flat=True)
        )
        for cluster_year in led:
            if cluster_year.pk in planned:
                continue
            items[cluster_year.pk].append(
                AttentionItem(
                    _("You lead %(year)s: draft the work plan") % {"year": cluster_year.year},
                    reverse(
                        "plans:workplan-create",
                        kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year},
                    ),
                    NEW_YEAR_KIND,
                    f"new-year-plan:{cluster_year.pk}",
                )
            )
    overdue = Activity.objects.filter(
        work_plan__cluster_year__in=open_years,
        host_id=user.department_id,
        status__in=[Activity.Status.PLANNED, Activity.Status.IN_PROGRESS],
        ends_on__lt=timezone.localdate(),
    ).select_related("work_plan")
    for activity in overdue.order_by("ends_on"):
        items[activity.work_plan.cluster_year_id].append(
            AttentionItem(
                _("Report on the activity your department hosted: %(title)s")
                % {"title": activity.title},
                activity.get_absolute_url(),
                ACTIVITY_KIND,
                f"activity-report:{activity.pk}",
            )
        )
    return items


def work_plan_pdf_context(*, plan: WorkPlan) -> dict:
    """What the work plan PDF shows; a draft (watermark) until a conference adopted it."""
    return {
        "plan": plan,
        "cluster": plan.cluster_year.cluster,
        "objectives_paragraphs": _paragraphs(plan.objectives),
        "activities": sorted(plan.activities.all(), key=lambda a: (a.starts_on, a.pk)),
        "place_and_date": _place_and_date(plan.cluster_year, plan.issued_on),
        "leader": plan.cluster_year.leader,
        "is_final": plan.adopted_at_id is not None,
    }


def cluster_year_get_latest(*, cluster: Cluster) -> ClusterYear | None:
    """The cluster's latest year with its memberships (where a new charter version
    starts), or None if it has no year yet."""
    return (
        ClusterYear.objects.filter(cluster=cluster)
        .select_related("cluster")
        .prefetch_related("memberships")
        .order_by("-year")
        .first()
    )


def attendee_get(*, pk: int) -> Attendee:
    """An attendee with its department, and its activity loaded as
    ``activity_get_for_update`` loads it (what the permissions read); raises
    Attendee.DoesNotExist."""
    attendee = Attendee.objects.select_related("department").get(pk=pk)
    attendee.activity = activity_get_for_update(pk=attendee.activity_id)
    return attendee
