"""Reads for the plans app, already scoped to what the user may see.

Every selector loads what its page shows in a fixed number of queries, whatever the number
of activities, articles, comments or photos: related rows come with ``select_related`` and
``prefetch_related``, and the year's memberships (which the permission predicates read)
are prefetched with them.
"""

import calendar
import datetime
import difflib
import re
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from cluster_portal.documents import decree30_date
from members import permissions as members_permissions
from members.models import Cluster, ClusterYear, Department, Membership
from members.selectors import cluster_years_visible_to, clusters_visible_to
from plans.models import (
    Activity,
    Attachment,
    Attendee,
    CharterArticle,
    CharterComment,
    CharterVersion,
    FeedToken,
    LegalReference,
    NewsPost,
    Photo,
    WorkPlan,
    hash_feed_token,
)


def _memberships() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("department").order_by("full_name"),
    )


def _year_memberships(path: str) -> Prefetch:
    return Prefetch(
        f"{path}memberships",
        queryset=Membership.objects.select_related("department").order_by("full_name"),
    )


# Plans overview and work plans


def cluster_years_with_plans_for(*, user) -> list[ClusterYear]:
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


def cluster_year_for(*, code: str, year: int) -> ClusterYear:
    """One cluster year with its cluster and memberships; raises ClusterYear.DoesNotExist."""
    return (
        ClusterYear.objects.select_related("cluster")
        .prefetch_related(_memberships())
        .get(cluster__code=code, year=year)
    )


def work_plan_detail(*, code: str, year: int) -> WorkPlan:
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


def activities_for_export(*, work_plan: WorkPlan) -> list[Activity]:
    """The plan's activities in date order, with their hosts, for CSV and Excel."""
    return list(work_plan.activities.select_related("host").order_by("starts_on", "id"))


def activity_detail(*, pk: int) -> Activity:
    """An activity with everything its page shows; raises Activity.DoesNotExist."""
    return (
        Activity.objects.select_related("work_plan__cluster_year__cluster", "host")
        .prefetch_related(
            _year_memberships("work_plan__cluster_year__"),
            Prefetch("attendees", queryset=Attendee.objects.select_related("department")),
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


def activity_for_update(*, pk: int) -> Activity:
    """An activity with its plan, year and memberships (what the permissions read)."""
    return (
        Activity.objects.select_related("work_plan__cluster_year__cluster", "host")
        .prefetch_related(_year_memberships("work_plan__cluster_year__"))
        .get(pk=pk)
    )


def attachment_with_activity(*, pk: int) -> Attachment:
    """An attachment with its activity, plan and year, for the permission check."""
    return Attachment.objects.select_related("activity__work_plan__cluster_year__cluster").get(
        pk=pk
    )


def photo_with_owner(*, pk: int) -> Photo:
    """A photo with its activity (and year) or news post, for the permission check."""
    return Photo.objects.select_related(
        "activity__work_plan__cluster_year__cluster",
        "news_post__cluster_year__cluster",
    ).get(pk=pk)


def conferences_of(*, cluster: Cluster) -> QuerySet[Activity]:
    """The cluster's conferences (any year), newest first: where a charter can be adopted."""
    return (
        Activity.objects.filter(
            work_plan__cluster_year__cluster=cluster, kind__in=Activity.CONFERENCE_KINDS
        )
        .select_related("work_plan__cluster_year")
        .order_by("-starts_on")
    )


def members_of_year(*, cluster_year: ClusterYear) -> QuerySet[Department]:
    """The departments that are members that year, by name (for choosing a host)."""
    return Department.objects.filter(memberships__cluster_year=cluster_year).order_by("full_name")


# Calendar


@dataclass
class CalendarDay:
    day: datetime.date
    in_month: bool
    is_today: bool
    activities: list = field(default_factory=list)


@dataclass
class CalendarMonth:
    """A month grid, Monday first, with the activities on each day they run."""

    year: int
    month: int
    weeks: list[list[CalendarDay]]
    activities: list[Activity]
    previous: datetime.date
    next: datetime.date

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)


def calendar_month(
    *,
    cluster: Cluster,
    year: int,
    month: int,
    department: Department | None = None,
    today: datetime.date | None = None,
    user=None,
) -> CalendarMonth:
    """The cluster's activities in a month (optionally only those a department hosts), in
    one query whatever their number. Given a ``user``, only the activities of the years
    they may read (a department that left sees nothing of later years)."""
    today = today or timezone.localdate()
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    grid_start = first - datetime.timedelta(days=first.weekday())
    grid_end = last + datetime.timedelta(days=6 - last.weekday())
    activities = (
        Activity.objects.filter(
            work_plan__cluster_year__cluster=cluster,
            starts_on__lte=grid_end,
            ends_on__gte=grid_start,
        )
        .select_related("host", "work_plan__cluster_year")
        .order_by("starts_on", "start_time", "id")
    )
    if department is not None:
        activities = activities.filter(host=department)
    if user is not None:
        activities = activities.filter(
            work_plan__cluster_year__in=cluster_years_visible_to(user=user)
        )
    activities = list(activities)
    days = []
    current = grid_start
    while current <= grid_end:
        days.append(
            CalendarDay(
                day=current,
                in_month=current.month == month,
                is_today=current == today,
                activities=[a for a in activities if a.starts_on <= current <= a.ends_on],
            )
        )
        current += datetime.timedelta(days=1)
    weeks = [days[i : i + 7] for i in range(0, len(days), 7)]
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = last + datetime.timedelta(days=1)
    in_month = [a for a in activities if a.starts_on <= last and a.ends_on >= first]
    return CalendarMonth(year, month, weeks, in_month, previous, following)


def calendar_departments(*, cluster: Cluster, year: int) -> QuerySet[Department]:
    """Departments that are members of the cluster in ``year``: the calendar's filter."""
    return Department.objects.filter(
        memberships__cluster_year__cluster=cluster, memberships__cluster_year__year=year
    ).order_by("full_name")


def default_calendar_month(*, user, today: datetime.date | None = None):
    """Where the Calendar link takes the user: (cluster, year, month) or None.

    The user's current cluster year; this month if it is this year, otherwise the month
    of that year's first activity (January if it has none).
    """
    from members.selectors import current_cluster_years_for

    today = today or timezone.localdate()
    years = current_cluster_years_for(user=user, today=today)
    if not years:
        return None
    cluster_year = sorted(years, key=lambda cy: cy.cluster.name)[0]
    if cluster_year.year == today.year:
        return cluster_year.cluster, today.year, today.month
    first = (
        Activity.objects.filter(work_plan__cluster_year=cluster_year)
        .order_by("starts_on")
        .values_list("starts_on", flat=True)
        .first()
    )
    month = first.month if first and first.year == cluster_year.year else 1
    return cluster_year.cluster, cluster_year.year, month


# Calendar feeds


def live_feed_token(*, token: str) -> FeedToken | None:
    """The live token with this value (looked up by its hash) and its active user, or None."""
    return (
        FeedToken.objects.select_related("user")
        .filter(token_hash=hash_feed_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def live_feed_token_for(*, user) -> FeedToken | None:
    """The user's live feed token, if any."""
    return FeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


def feed_departments_for(*, user) -> list[Department]:
    """Departments whose feed the user is offered: the members of the years they read."""
    return list(
        Department.objects.filter(memberships__cluster_year__in=cluster_years_visible_to(user=user))
        .distinct()
        .order_by("full_name")
    )


def activities_for_cluster_feed(*, cluster: Cluster, user=None) -> list[Activity]:
    """Every activity of the cluster for its iCalendar feed: every year, or given a ``user``
    (the feed token's owner) the years they may read."""
    activities = Activity.objects.filter(work_plan__cluster_year__cluster=cluster)
    if user is not None:
        activities = activities.filter(
            work_plan__cluster_year__in=cluster_years_visible_to(user=user)
        )
    return list(
        activities.select_related("host", "work_plan__cluster_year__cluster").order_by(
            "starts_on", "id"
        )
    )


def activities_for_department_feed(*, department: Department, user) -> list[Activity]:
    """Activities the department hosts, in the cluster years ``user`` may read."""
    return list(
        Activity.objects.filter(
            host=department,
            work_plan__cluster_year__in=cluster_years_visible_to(user=user),
        )
        .select_related("host", "work_plan__cluster_year__cluster")
        .order_by("starts_on", "id")
    )


# Charter


def charter_versions_of(*, cluster: Cluster) -> list[CharterVersion]:
    """Every version of the cluster's charter, newest first, with article and comment counts."""
    return list(
        CharterVersion.objects.filter(cluster=cluster)
        .select_related("cluster_year", "adopted_at")
        .annotate(
            article_count=Count("articles", distinct=True),
            comment_count=Count("articles__comments", distinct=True),
        )
        .order_by("-number")
    )


def charter_in_force(
    versions: list[CharterVersion], *, on: datetime.date | None = None
) -> CharterVersion | None:
    """Of already-loaded versions, the adopted one in force on ``on`` (default today)."""
    on = on or timezone.localdate()
    adopted = [v for v in versions if v.is_adopted and v.adopted_on and v.adopted_on <= on]
    if not adopted:
        return None
    return max(adopted, key=lambda v: (v.adopted_on, v.number))


def charter_version_detail(*, pk: int) -> CharterVersion:
    """A version with its articles, their comments (authors, answers) and the year's
    memberships; raises CharterVersion.DoesNotExist."""
    return (
        CharterVersion.objects.select_related(
            "cluster", "cluster_year__cluster", "adopted_at", "based_on"
        )
        .prefetch_related(
            _year_memberships("cluster_year__"),
            Prefetch(
                "articles",
                queryset=CharterArticle.objects.prefetch_related(
                    Prefetch(
                        "comments",
                        queryset=CharterComment.objects.select_related(
                            "author", "department", "answered_by"
                        ),
                    )
                ),
            ),
        )
        .get(pk=pk)
    )


def charter_article_for(*, pk: int) -> CharterArticle:
    """An article with its version, the version's year and memberships."""
    return (
        CharterArticle.objects.select_related("version__cluster", "version__cluster_year")
        .prefetch_related(_year_memberships("version__cluster_year__"))
        .get(pk=pk)
    )


def charter_comment_for(*, pk: int) -> CharterComment:
    """A comment with its article, version, year and memberships."""
    return (
        CharterComment.objects.select_related(
            "article__version__cluster", "article__version__cluster_year", "author"
        )
        .prefetch_related(_year_memberships("article__version__cluster_year__"))
        .get(pk=pk)
    )


def next_article_number(*, version: CharterVersion) -> int:
    """The number a new article gets by default: one after the last."""
    numbers = [a.number for a in version.articles.all()]
    return max(numbers, default=0) + 1


_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class TextPiece:
    """A run of text in a comparison: ``equal``, ``insert`` (new) or ``delete`` (old)."""

    op: str
    text: str


@dataclass(frozen=True)
class ArticleChange:
    """How one article differs between two versions."""

    status: str  # "added", "removed", "changed" or "unchanged"
    old: CharterArticle | None
    new: CharterArticle | None
    renumbered: bool
    heading: list[TextPiece]
    body: list[TextPiece]

    @property
    def number(self) -> int:
        return (self.new or self.old).number


def text_diff(old: str, new: str) -> list[TextPiece]:
    """Word-by-word differences between two texts (whitespace kept)."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(TextPiece("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(TextPiece("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(TextPiece("insert", "".join(b[j1:j2])))
    return pieces


def charter_diff(*, old: CharterVersion, new: CharterVersion) -> list[ArticleChange]:
    """What changed from ``old`` to ``new``, article by article (articles loaded already).

    Articles are paired by their identity across versions (``key``), so a renumbered or
    retitled article shows as changed, not as removed and added. New articles come in their
    order; removed ones follow.
    """
    old_by_key = {a.key: a for a in old.articles.all()}
    changes = []
    seen = set()
    for article in new.articles.all():
        before = old_by_key.get(article.key)
        if before is None:
            changes.append(
                ArticleChange(
                    "added",
                    None,
                    article,
                    False,
                    [TextPiece("insert", article.heading)],
                    [TextPiece("insert", article.body)],
                )
            )
            continue
        seen.add(article.key)
        same = before.heading == article.heading and before.body == article.body
        changes.append(
            ArticleChange(
                "unchanged" if same and before.number == article.number else "changed",
                before,
                article,
                before.number != article.number,
                text_diff(before.heading, article.heading),
                text_diff(before.body, article.body),
            )
        )
    for article in old.articles.all():
        if article.key not in seen:
            changes.append(
                ArticleChange(
                    "removed",
                    article,
                    None,
                    False,
                    [TextPiece("delete", article.heading)],
                    [TextPiece("delete", article.body)],
                )
            )
    return changes


# News


def _news() -> QuerySet[NewsPost]:
    return NewsPost.objects.select_related(
        "author_department", "cluster_year__cluster", "activity"
    ).prefetch_related("photos")


def published_news() -> QuerySet[NewsPost]:
    """Published posts of every cluster, newest first: public."""
    return _news().filter(status=NewsPost.Status.PUBLISHED).order_by("-published_on", "-id")


def draft_news_visible_to(*, user) -> list[NewsPost]:
    """Drafts the user may see: their department's, the years they are secretariat of;
    every draft for reviewers and site admins."""
    if not user.is_authenticated:
        return []
    drafts = _news().filter(status=NewsPost.Status.DRAFT).order_by("-updated_at")
    if members_permissions.is_site_admin(user) or members_permissions.is_reviewer(user):
        return list(drafts)
    led_years = ClusterYear.objects.filter(
        Q(memberships__role=Membership.Role.LEADER, memberships__department_id=user.department_id)
        | Q(cluster__administrators=user)
    )
    return list(
        drafts.filter(
            Q(author_department_id=user.department_id) | Q(cluster_year__in=led_years)
        ).distinct()
    )


def news_post_detail(*, pk: int) -> NewsPost:
    """A post with its photos, author, year and the year's memberships."""
    return (
        NewsPost.objects.select_related(
            "author_department", "cluster_year__cluster", "activity__work_plan__cluster_year"
        )
        .prefetch_related(_year_memberships("cluster_year__"), "photos")
        .get(pk=pk)
    )


def news_years_for(*, user) -> list[ClusterYear]:
    """Cluster years the user may write news in, newest first (with memberships)."""
    from plans import permissions

    years = (
        ClusterYear.objects.filter(cluster__in=clusters_visible_to(user=user))
        .exclude(phase=ClusterYear.Phase.CLOSED)
        .select_related("cluster")
        .prefetch_related(_memberships())
        .order_by("-year", "cluster__name")
    )
    return [cy for cy in years if permissions.can_create_news_post(user, cy)]


# Legal references


def legal_references() -> QuerySet[LegalReference]:
    """Every legal reference, newest first (unscoped: for admin-level code only)."""
    return LegalReference.objects.select_related("cluster")


def legal_references_visible_to(*, user) -> QuerySet[LegalReference]:
    """The references the user may read, newest first: the site-wide ones and those of the
    clusters they see (every one for reviewers and site admins)."""
    references = legal_references()
    if members_permissions.is_site_admin(user) or members_permissions.is_reviewer(user):
        return references
    return references.filter(
        Q(cluster__isnull=True) | Q(cluster__in=clusters_visible_to(user=user))
    )


def legal_references_citable_in(*, cluster: Cluster) -> QuerySet[LegalReference]:
    """What a cluster's plans and covenants may cite: its own references and the site-wide
    ones (``permissions.can_cite_legal_reference`` as a query)."""
    return legal_references().filter(Q(cluster__isnull=True) | Q(cluster=cluster))


def legal_reference_owner_choices(*, user) -> QuerySet[Cluster]:
    """The clusters for which the user may add references (every one for site admins)."""
    if members_permissions.is_site_admin(user):
        return Cluster.objects.order_by("name")
    from plans.permissions import legal_reference_clusters

    return Cluster.objects.filter(pk__in=legal_reference_clusters(user)).order_by("name")


def plans_citing(*, reference: LegalReference, user) -> list[WorkPlan]:
    """The work plans citing ``reference`` that the user may read (never another cluster's
    plan titles), with their cluster."""
    return list(
        reference.work_plans.filter(cluster_year__in=cluster_years_visible_to(user=user))
        .select_related("cluster_year__cluster")
        .order_by("-cluster_year__year", "cluster_year__cluster__name")
    )


# Other apps say whether what they hold freezes a reference (agreements: a covenant version
# opened for signing quotes it): ``register_legal_reference_freezer(func)`` in their
# AppConfig.ready(); ``func(reference)`` returns a bool in one query.
_legal_reference_freezers = []


def register_legal_reference_freezer(freezer):
    if freezer not in _legal_reference_freezers:
        _legal_reference_freezers.append(freezer)
    return freezer


def legal_reference_is_frozen(*, reference: LegalReference) -> bool:
    """Whether ``reference`` may no longer change: a closed year's plan cites it, or another
    app froze it (a covenant version opened for signing). A correction is then a new
    reference. One query per app."""
    if reference.pk is None:
        return False
    if reference.work_plans.filter(cluster_year__phase=ClusterYear.Phase.CLOSED).exists():
        return True
    return any(freezer(reference) for freezer in _legal_reference_freezers)


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
    from django.utils.translation import gettext as _

    from members.selectors import AttentionItem

    items: dict[int, list] = {cy.pk: [] for cy in cluster_years}
    if not user.is_authenticated or user.department_id is None:
        return items
    open_years = [cy.pk for cy in cluster_years if cy.phase != ClusterYear.Phase.CLOSED]
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
            )
        )
    return items


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def _place_and_date(cluster_year, day) -> str:
    """ "Hà Nội, ngày 24 tháng 5 năm 2019": the leader's province and the date (Decree 30)."""
    leader = cluster_year.leader if cluster_year is not None else None
    place = leader.department.province if leader is not None else ""
    when = decree30_date(day) if day else ""
    return ", ".join(part for part in (place, when) if part)


def charter_pdf_context(*, version: CharterVersion) -> dict:
    """What the charter PDF shows; a draft (watermark) until the version is adopted."""
    cluster_year = version.cluster_year
    for article in version.articles.all():
        article.paragraphs = _paragraphs(article.body)
    return {
        "version": version,
        "cluster": version.cluster,
        "preamble_paragraphs": _paragraphs(version.preamble),
        "place_and_date": _place_and_date(cluster_year, version.adopted_on),
        "leader": cluster_year.leader if cluster_year is not None else None,
        "is_final": version.state == CharterVersion.State.ADOPTED,
    }


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
