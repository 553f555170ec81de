"""Reads for the members app, already scoped to what the user may see.

Every selector loads what its page shows in a fixed number of queries, whatever the number
of clusters, years or departments.

Naming (the same in every app's ``selectors.py``): ``<entity>_get(*, keys)`` loads one
object by the keys in its URL and raises ``<Model>.DoesNotExist`` (the views' object-loading
hook turns that into a 404); ``<entities>_visible_to(*, user)`` and the other plural names
return several, already scoped to the user; ``<entity>_<what>`` computes one thing about an
entity (``department_record``, ``covenant_board``).
"""

import unicodedata
from dataclasses import dataclass

from django.db.models import Max, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cluster_portal.audit import audit_scope_q
from cluster_portal.models import AuditEvent
from members import permissions
from members.models import Cluster, ClusterYear, Department, Membership


def _with_memberships(queryset: QuerySet[ClusterYear]) -> QuerySet[ClusterYear]:
    return queryset.select_related("cluster").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("department").order_by("sort_key"),
        )
    )


def _sees_everything(user) -> bool:
    return permissions.is_site_admin(user) or permissions.is_reviewer(user)


def clusters_visible_to(*, user) -> QuerySet[Cluster]:
    """Clusters the user may see (in at least one year), by name."""
    clusters = Cluster.objects.all()
    if _sees_everything(user):
        return clusters
    # No department: only administered clusters (``department_id=None`` would match the
    # years without members through the outer join).
    member = (
        Q(years__memberships__department_id=user.department_id)
        if user.department_id is not None
        else Q(pk__in=[])
    )
    return clusters.filter(member | Q(administrators=user)).distinct()


def cluster_years_visible_to(*, user) -> QuerySet[ClusterYear]:
    """The cluster years the user may read (``permissions.can_view_cluster_year`` as a
    query): the years in which their department is a member, every year of the clusters
    they administer; everything for reviewers and site admins."""
    years = ClusterYear.objects.all()
    if _sees_everything(user):
        return years
    member = (
        Q(memberships__department_id=user.department_id)
        if user.department_id is not None
        else Q(pk__in=[])
    )
    return years.filter(member | Q(cluster__administrators=user)).distinct()


def current_cluster_years_for(*, user, today=None) -> list[ClusterYear]:
    """For each cluster the user sees, the year that is current for them.

    That is this calendar year if the cluster has it, otherwise the latest earlier one,
    otherwise the earliest later one. For department users only years in which their
    department is a member count, so a merged-away department sees its last year.
    Memberships are prefetched.
    """
    this_year = (today or timezone.localdate()).year
    years = cluster_years_visible_to(user=user)
    chosen: dict[int, ClusterYear] = {}
    for cluster_year in years.only("id", "cluster_id", "year"):
        best = chosen.get(cluster_year.cluster_id)
        if best is None or _closer(cluster_year.year, best.year, this_year):
            chosen[cluster_year.cluster_id] = cluster_year
    return list(
        _with_memberships(ClusterYear.objects.filter(pk__in=[cy.pk for cy in chosen.values()]))
    )


def todo_cluster_years_for(*, user, today=None) -> list[ClusterYear]:
    """The years whose to-do items the user sees: the current year of each cluster (as
    ``current_cluster_years_for``) and every later year already started, where a new
    leader sets up the covenant and plan. By cluster, then oldest first, memberships
    prefetched; two queries.
    """
    this_year = (today or timezone.localdate()).year
    years = list(cluster_years_visible_to(user=user).only("id", "cluster_id", "year"))
    chosen: dict[int, ClusterYear] = {}
    for cluster_year in years:
        best = chosen.get(cluster_year.cluster_id)
        if best is None or _closer(cluster_year.year, best.year, this_year):
            chosen[cluster_year.cluster_id] = cluster_year
    wanted = [cy.pk for cy in years if cy.year >= chosen[cy.cluster_id].year]
    return list(
        _with_memberships(ClusterYear.objects.filter(pk__in=wanted)).order_by(
            "cluster__name", "year"
        )
    )


@dataclass(frozen=True)
class TodoEntry:
    """One line of "Việc của tôi": an item and the cluster year it belongs to."""

    cluster_year: ClusterYear
    item: "AttentionItem"


def todo_entries(
    *, cluster_years: list[ClusterYear], attention: dict[int, list["AttentionItem"]]
) -> list[TodoEntry]:
    """The to-do list of one user: every year's items, one flat list (no query)."""
    return [TodoEntry(cy, item) for cy in cluster_years for item in attention.get(cy.pk, [])]


def _closer(candidate: int, best: int, this_year: int) -> bool:
    """Prefer this year, then the latest past year, then the earliest future year."""

    def rank(year):
        return (0, 0) if year == this_year else (1, -year) if year < this_year else (2, year)

    return rank(candidate) < rank(best)


def latest_year_by_cluster(*, cluster_ids) -> dict[int, int]:
    """The latest year each cluster has (one query)."""
    return dict(
        ClusterYear.objects.filter(cluster_id__in=cluster_ids)
        .values("cluster_id")
        .annotate(latest=Max("year"))
        .values_list("cluster_id", "latest")
    )


def cluster_get(*, code: str) -> Cluster:
    """The cluster with this code: the one cluster loader of the portal; raises DoesNotExist."""
    return Cluster.objects.get(code=code)


def cluster_year_get(*, code: str, year: int, related: tuple[str, ...] = ()) -> ClusterYear:
    """One cluster year with its cluster and memberships; raises DoesNotExist.

    The one loader of "the cluster year named by the URL". ``related`` names further
    one-to-one relations to load in the same query (``("covenant",)`` for a page that asks
    whether the year has one), so apps further down the line need no loader of their own.
    """
    queryset = _with_memberships(ClusterYear.objects.all())
    if related:
        queryset = queryset.select_related(*related)
    return queryset.get(cluster__code=code, year=year)


def cluster_year_latest(*, cluster: Cluster) -> int | None:
    """The latest year the cluster has, or None."""
    return cluster.years.order_by("-year").values_list("year", flat=True).first()


def cluster_year_before(*, cluster: Cluster, year: int) -> ClusterYear | None:
    """The cluster's year just before ``year`` (the one a new year takes its theme from)."""
    return cluster.years.filter(year__lt=year).order_by("-year").first()


def department_get(*, code: str) -> Department:
    """The department with its successor and predecessors; raises DoesNotExist."""
    return (
        Department.objects.select_related("successor")
        .prefetch_related("predecessors")
        .get(code=code)
    )


def department_members_of(*, cluster_year: ClusterYear) -> QuerySet[Department]:
    """The departments that are members of the year, by name (choices of a form)."""
    return Department.objects.filter(memberships__cluster_year=cluster_year).order_by("sort_key")


def cluster_years_with_members(*, cluster: Cluster) -> list[ClusterYear]:
    """Every year of a cluster, newest first, with its memberships (rotation history)."""
    return list(_with_memberships(cluster.years.all()).order_by("-year"))


@dataclass(frozen=True)
class MembershipRow:
    """One department's row in a cluster's membership-by-year table."""

    department: Department
    cells: list  # Membership or None, one per year, in the order of the years


def membership_table(*, years: list[ClusterYear]) -> list[MembershipRow]:
    """Departments × years from already-loaded years: no further query."""
    departments: dict[int, Department] = {}
    for cluster_year in years:
        for membership in cluster_year.memberships.all():
            departments.setdefault(membership.department_id, membership.department)
    rows = []
    for department in sorted(departments.values(), key=lambda d: d.sort_key):
        cells = []
        for cluster_year in years:
            found = None
            for membership in cluster_year.memberships.all():
                if membership.department_id == department.pk:
                    found = membership
                    break
            cells.append(found)
        rows.append(MembershipRow(department=department, cells=cells))
    return rows


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics (đ → d) for searching."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def departments_visible_to(*, user, query: str = "") -> list[Department]:
    """The department directory: what the user may see, filtered by ``query``.

    The search ignores case and diacritics ("ha noi" finds "Hà Nội"); it runs in Python over
    the visible departments, which number in the hundreds at most, so it behaves the same on
    SQLite and PostgreSQL.
    """
    departments = Department.objects.select_related("successor").order_by("sort_key", "code")
    if not (permissions.is_site_admin(user) or permissions.is_reviewer(user)):
        visible_clusters = clusters_visible_to(user=user)
        departments = departments.filter(
            Q(memberships__cluster_year__cluster__in=visible_clusters) | Q(pk=user.department_id)
        ).distinct()
    result = list(departments)
    needle = fold(query.strip())
    if needle:
        result = [
            d
            for d in result
            if needle in fold(f"{d.full_name} {d.short_name} {d.province} {d.code}")
        ]
    return result


def department_record(*, department: Department, user) -> list[Membership]:
    """A department's memberships across years, newest first, in the years the user sees."""
    return list(
        department.memberships.filter(cluster_year__in=cluster_years_visible_to(user=user))
        .select_related("cluster_year__cluster")
        .order_by("-cluster_year__year", "cluster_year__cluster__name")
    )


@dataclass(frozen=True)
class ProposedMember:
    """A department offered as a member of a new year, and why."""

    department: Department
    predecessor: Department | None  # set when offered as the successor of a former member
    checked: bool


def proposed_members_for(*, cluster: Cluster, year: int) -> list[ProposedMember]:
    """Who should be a member of ``cluster`` in ``year``, from the latest earlier year.

    Members still valid in ``year`` are proposed as they are; those no longer valid are
    left out and their successors (followed through chains of mergers) offered instead.
    """
    previous = _with_memberships(cluster.years.filter(year__lt=year)).order_by("-year").first()
    if previous is None:
        return []
    all_departments = {d.pk: d for d in Department.objects.all()}
    proposed: dict[int, ProposedMember] = {}
    for membership in previous.memberships.all():
        department = all_departments[membership.department_id]
        if department.is_valid_in_year(year):
            proposed[department.pk] = ProposedMember(department, None, True)
            continue
        successor = department
        seen = set()
        while successor is not None and not successor.is_valid_in_year(year):
            seen.add(successor.pk)
            successor = all_departments.get(successor.successor_id)
            if successor is not None and successor.pk in seen:
                successor = None
        if successor is not None and successor.pk not in proposed:
            proposed[successor.pk] = ProposedMember(successor, department, True)
    return sorted(proposed.values(), key=lambda p: p.department.sort_key)


@dataclass(frozen=True)
class AttentionItem:
    """Something on the dashboard that needs the user's action ("Việc của tôi").

    ``kind`` (registered with ``register_attention_kind``) groups items for the e-mail
    preferences; ``key`` names the item for good (e.g. ``covenant-sign:12``): an item with a
    key reaches the user once as a notification (see ``members.notifications``); one without
    (a status line such as "3 of 11 members have signed") is shown but never notified.
    """

    message: str
    url: str
    kind: str = ""
    key: str = ""


# Other apps add dashboard items and year-page links without the members app depending on
# them: ``register_attention_provider(func)`` in their AppConfig.ready(). A provider is
# called as ``func(user=..., cluster_years=[...])`` and returns ``{cluster_year.pk: [items]}``;
# it must cost a fixed number of queries however many years it is given. The kinds of items
# it gives are registered with ``register_attention_kind(code, label)`` (the profile page
# lets each user turn e-mail off per kind).
_attention_providers = []
_year_link_providers = []
_attention_kinds: dict[str, object] = {}


def register_attention_kind(code: str, label) -> str:
    _attention_kinds.setdefault(code, label)
    return code


def attention_kinds() -> list[tuple[str, object]]:
    """The registered kinds of to-do items, ``(code, label)``, in registration order."""
    return list(_attention_kinds.items())


YEAR_KIND = register_attention_kind("year", gettext_lazy("Leadership of a cluster year"))


def register_attention_provider(provider):
    if provider not in _attention_providers:
        _attention_providers.append(provider)
    return provider


def register_year_link_provider(provider):
    if provider not in _year_link_providers:
        _year_link_providers.append(provider)
    return provider


def _collect(providers, *, user, cluster_years) -> dict[int, list[AttentionItem]]:
    collected: dict[int, list[AttentionItem]] = {cy.pk: [] for cy in cluster_years}
    for provider in providers:
        for pk, items in provider(user=user, cluster_years=cluster_years).items():
            collected[pk].extend(items)
    return collected


def year_links_for(*, user, cluster_years: list[ClusterYear]) -> dict[int, list[AttentionItem]]:
    """Links from cluster years to what other apps hold for them (plan, covenant), by year."""
    return _collect(_year_link_providers, user=user, cluster_years=cluster_years)


def attention_items_for(*, user, cluster_years: list[ClusterYear]) -> dict[int, list]:
    """What needs this user's attention in each of these cluster years, by year id.

    Members' own items (leader, deputy, next year) come first; each registered provider adds
    its own (the covenant to sign, activities to report on). Fixed number of queries.
    """
    latest = latest_year_by_cluster(cluster_ids={cy.cluster_id for cy in cluster_years})
    items = {
        cy.pk: _member_items(user, cy, latest.get(cy.cluster_id, cy.year)) for cy in cluster_years
    }
    for pk, extra in _collect(_attention_providers, user=user, cluster_years=cluster_years).items():
        items[pk].extend(extra)
    return items


def _member_items(user, cluster_year: ClusterYear, latest_year: int) -> list[AttentionItem]:
    items = []
    if not permissions.can_manage_cluster_year(user, cluster_year):
        return items
    edit_url = reverse(
        "members:clusteryear-leadership",
        kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year},
    )
    if cluster_year.leader is None:
        items.append(
            AttentionItem(
                _("Record the leader of this year."),
                edit_url,
                YEAR_KIND,
                f"leader-missing:{cluster_year.pk}",
            )
        )
    if cluster_year.deputy is None:
        items.append(
            AttentionItem(
                _("Record the deputy of this year."),
                edit_url,
                YEAR_KIND,
                f"deputy-missing:{cluster_year.pk}",
            )
        )
    if latest_year <= cluster_year.year and cluster_year.phase in (
        ClusterYear.Phase.EVALUATION,
        ClusterYear.Phase.CLOSED,
    ):
        items.append(
            AttentionItem(
                _("Elect next year's leader and start next year."),
                reverse("members:clusteryear-start", kwargs={"code": cluster_year.cluster.code}),
                YEAR_KIND,
                f"start-year:{cluster_year.pk}",
            )
        )
    return items


@dataclass(frozen=True)
class MembershipFact:
    """Something another app records about a department's membership of one year (e.g. its
    rank and total in that year's evaluation), shown on the history pages."""

    label: str
    text: str
    url: str = ""


# Other apps add facts to the history pages without the members app depending on them:
# ``register_membership_fact_provider(func)`` in their AppConfig.ready(). A provider is
# called as ``func(user=..., memberships=[...])`` and returns ``{membership.pk: [facts]}``;
# it must cost a fixed number of queries however many memberships it is given.
_membership_fact_providers = []


def register_membership_fact_provider(provider):
    if provider not in _membership_fact_providers:
        _membership_fact_providers.append(provider)
    return provider


def membership_facts_attach(*, user, memberships) -> None:
    """Set ``facts`` (a list of ``MembershipFact``) on each of these already-loaded
    memberships, as an annotation would: what the registered providers know about them.
    Fixed number of queries, whatever the number of memberships."""
    memberships = [m for m in memberships if m is not None]
    for membership in memberships:
        membership.facts = []
    by_pk = {membership.pk: membership for membership in memberships}
    for provider in _membership_fact_providers:
        for pk, facts in provider(user=user, memberships=memberships).items():
            if pk in by_pk:
                by_pk[pk].facts.extend(facts)


# The portal-wide audit log


def audit_log_scope(*, user) -> QuerySet[ClusterYear] | None:
    """The cluster years whose events ``user`` may read in the audit log; None for every event
    (site admins and reviewers, who also see logins and administration edits).

    The secretariat sees the years it may read of the clusters it leads or led
    (``permissions.can_view_audit_log``); events on objects of no cluster are not theirs.
    """
    if _sees_everything(user):
        return None
    return cluster_years_visible_to(user=user).filter(
        cluster_id__in=permissions.secretariat_cluster_ids(user)
    )


def audit_log_filter_choices(*, user) -> dict[str, QuerySet]:
    """What the audit log's filters offer ``user``: clusters, years and departments in scope."""
    scope = audit_log_scope(user=user)
    if scope is None:
        clusters = Cluster.objects.all()
        years = ClusterYear.objects.all()
        departments = Department.objects.all()
    else:
        clusters = Cluster.objects.filter(pk__in=scope.values("cluster_id"))
        years = ClusterYear.objects.filter(pk__in=scope.values("pk"))
        departments = Department.objects.filter(
            pk__in=Membership.objects.filter(cluster_year__in=scope.values("pk")).values(
                "department_id"
            )
        )
    return {
        "clusters": clusters.order_by("name"),
        "years": years.order_by("-year").values_list("year", flat=True).distinct(),
        "departments": departments.order_by("short_name", "full_name"),
    }


def audit_event_list(*, user, cluster=None, year=None, department=None, action=None):
    """The audit events ``user`` may read (``audit_log_scope``), newest first, filtered by
    cluster, calendar year of the cluster year, the acting user's department and action code.

    The actor and their department come along; the events' targets are named by what the
    event stored, so a page of events costs the same queries whatever it holds.
    """
    events = AuditEvent.objects.select_related("actor__department").order_by("-id")
    scope = audit_log_scope(user=user)
    if scope is not None or cluster is not None or year is not None:
        events = events.filter(
            audit_scope_q(
                cluster_years=scope,
                clusters=Cluster.objects.filter(pk=cluster.pk) if cluster is not None else None,
                year=year,
            )
        )
    if department is not None:
        events = events.filter(actor__department=department)
    if action:
        events = events.filter(action=action)
    return events
