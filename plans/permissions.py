"""Who may see and do what in the plans app: one predicate per rule.

Built on the roles of ``members.permissions``:

* the **secretariat** of a cluster year (its leader department's users and the cluster's
  administrators) edits everything of that year: work plan, activities, charter drafts,
  answers to comments, news;
* a **host department**'s users (staff and signatories) report on the activities their
  department hosts: status, progress, outcome, conference record, files;
* **members** (users of a department that is a member that year) comment on charter versions
  open for comments and publish news for their department;
* **Ministry reviewers** read everything and change nothing;
* **site admins** may do everything, including in closed years.

A closed year is history: nobody but site admins changes anything in it. Predicates take
``(user, obj)``, return a bool and never raise; with the selectors' prefetching they ask
the database nothing more.
"""

from django.db.models import Q

from members.models import ClusterYear
from members.permissions import (
    can_manage_cluster_year,
    can_view_cluster,
    can_view_cluster_year,
    is_reviewer,
    is_secretariat,
    is_site_admin,
)
from plans.models import Activity, CharterComment, CharterVersion, NewsPost, WorkPlan


def _is_member_of_year(user, cluster_year: ClusterYear) -> bool:
    """The user's department is a member that year (uses prefetched memberships)."""
    if not user.is_authenticated or user.department_id is None:
        return False
    return any(m.department_id == user.department_id for m in cluster_year.memberships.all())


def _may_write(user, cluster_year: ClusterYear) -> bool:
    """Nobody writes in a closed year but site admins; reviewers never write."""
    if not user.is_authenticated or is_reviewer(user):
        return False
    if is_site_admin(user):
        return True
    return cluster_year.phase != ClusterYear.Phase.CLOSED


# Work plans and activities


def can_view_work_plan(user, work_plan: WorkPlan) -> bool:
    """Whoever may see the cluster year sees its plan, activities and files."""
    return can_view_cluster_year(user, work_plan.cluster_year)


def can_create_work_plan(user, cluster_year: ClusterYear) -> bool:
    """The year's secretariat (not in a closed year) and site admins."""
    return can_manage_cluster_year(user, cluster_year)


def can_edit_work_plan(user, work_plan: WorkPlan) -> bool:
    """The year's secretariat (not in a closed year) and site admins."""
    return can_manage_cluster_year(user, work_plan.cluster_year)


def can_add_activity(user, work_plan: WorkPlan) -> bool:
    """The year's secretariat (not in a closed year) and site admins."""
    return can_manage_cluster_year(user, work_plan.cluster_year)


def can_view_activity(user, activity: Activity) -> bool:
    """Whoever may see the plan."""
    return can_view_work_plan(user, activity.work_plan)


def can_view_attendee(user, attendee) -> bool:
    """A conference attendee: whoever may see the activity."""
    return can_view_activity(user, attendee.activity)


def is_host_user(user, activity: Activity) -> bool:
    """A user of the department hosting the activity."""
    return bool(
        user.is_authenticated
        and user.department_id is not None
        and activity.host_id == user.department_id
    )


def can_edit_activity(user, activity: Activity) -> bool:
    """Change every field of an activity (title, kind, host, ...): the secretariat."""
    return can_manage_cluster_year(user, activity.work_plan.cluster_year)


def can_update_activity(user, activity: Activity) -> bool:
    """Report on an activity (dates, venue, status, progress, outcome): the secretariat and
    the host department's users, while the year is not closed."""
    if can_edit_activity(user, activity):
        return True
    return _may_write(user, activity.work_plan.cluster_year) and is_host_user(user, activity)


def can_record_conference(user, activity: Activity) -> bool:
    """Agenda, attendees and minutes of a conference: whoever may report on it."""
    return activity.is_conference and can_update_activity(user, activity)


def can_add_activity_files(user, activity: Activity) -> bool:
    """Attachments, minutes and photos: whoever may report on the activity."""
    return can_update_activity(user, activity)


def can_export_activities(user, work_plan: WorkPlan) -> bool:
    """Exports are reads: whoever may see the plan."""
    return can_view_work_plan(user, work_plan)


# Calendar


def can_view_cluster_calendar(user, cluster) -> bool:
    """The calendar of a cluster: whoever may see the cluster."""
    return can_view_cluster(user, cluster)


def is_logged_in(user, _obj=None) -> bool:
    """Pages about the user's own things (feed addresses, the legal-reference forms): every
    logged-in user may know they exist; what they may do there is a separate rule."""
    return bool(user.is_authenticated)


def can_manage_feed_tokens(user) -> bool:
    """Create or revoke one's own calendar feed token: every user but Ministry reviewers,
    who change nothing in the portal."""
    return bool(user.is_authenticated and user.is_active and not is_reviewer(user))


# Charter


def can_view_charter(user, cluster) -> bool:
    """A cluster's charter versions and comments: whoever may see the cluster."""
    return can_view_cluster(user, cluster)


def can_view_charter_version(user, version: CharterVersion) -> bool:
    """Whoever may see the year the version was drafted in (its members, the cluster's
    administrators, reviewers, site admins): a department that left does not read later
    drafts."""
    return can_view_cluster_year(user, version.cluster_year)


def can_view_charter_article(user, article) -> bool:
    """Whoever may see its version."""
    return can_view_charter_version(user, article.version)


def can_view_charter_comment(user, comment: CharterComment) -> bool:
    """Whoever may see the version commented on."""
    return can_view_charter_version(user, comment.article.version)


def can_create_charter_version(user, cluster_year: ClusterYear) -> bool:
    """Start a new draft: the year's secretariat and site admins."""
    return can_manage_cluster_year(user, cluster_year)


def can_edit_charter_version(user, version: CharterVersion) -> bool:
    """Edit the title, preamble and articles: only drafts, by the secretariat."""
    return version.is_draft and can_manage_cluster_year(user, version.cluster_year)


def can_open_charter_version(user, version: CharterVersion) -> bool:
    """Open a draft for comments: the secretariat."""
    return version.is_draft and can_manage_cluster_year(user, version.cluster_year)


def can_return_charter_version_to_draft(user, version: CharterVersion) -> bool:
    """Take a version open for comments back to draft to revise it: the secretariat."""
    return version.is_open and can_manage_cluster_year(user, version.cluster_year)


def can_adopt_charter_version(user, version: CharterVersion) -> bool:
    """Record the conference's adoption of a version open for comments: the secretariat."""
    return version.is_open and can_manage_cluster_year(user, version.cluster_year)


def can_comment_on_charter_version(user, version: CharterVersion) -> bool:
    """Members of the year (and its secretariat) comment while the version is open."""
    cluster_year = version.cluster_year
    if not version.is_open or not _may_write(user, cluster_year):
        return False
    return (
        is_site_admin(user)
        or is_secretariat(user, cluster_year)
        or _is_member_of_year(user, cluster_year)
    )


def can_answer_charter_comment(user, comment: CharterComment) -> bool:
    """Answer or resolve a comment: the secretariat, until the version is adopted."""
    version = comment.article.version
    return not version.is_adopted and can_manage_cluster_year(user, version.cluster_year)


def can_compare_charter_versions(user, version: CharterVersion) -> bool:
    """Comparing is reading."""
    return can_view_charter_version(user, version)


# News


def can_view_news_post(user, post: NewsPost) -> bool:
    """Published posts: everyone, without logging in. Drafts: the author department's users,
    the year's secretariat, reviewers and site admins."""
    if post.is_published:
        return True
    if not user.is_authenticated:
        return False
    if is_site_admin(user) or is_reviewer(user):
        return True
    return user.department_id == post.author_department_id or is_secretariat(
        user, post.cluster_year
    )


def can_create_news_post(user, cluster_year: ClusterYear) -> bool:
    """Members of the year and its secretariat write news (not in a closed year)."""
    if not _may_write(user, cluster_year):
        return False
    return (
        is_site_admin(user)
        or is_secretariat(user, cluster_year)
        or _is_member_of_year(user, cluster_year)
    )


def can_edit_news_post(user, post: NewsPost) -> bool:
    """Edit, publish, withdraw, add photos: the author department's users and the secretariat."""
    if not _may_write(user, post.cluster_year):
        return False
    return (
        is_site_admin(user)
        or is_secretariat(user, post.cluster_year)
        or (user.department_id is not None and user.department_id == post.author_department_id)
    )


# Legal references
#
# A reference belongs to a cluster (kept by its secretariat, cited by its plans and covenants)
# or to none (site-wide: kept by site admins, cited by every cluster). Whether it may still
# change at all (not once a closed year or a signed covenant version cites it) is a fact about
# the data, decided by ``selectors.legal_reference_is_frozen`` and enforced by the service.


def _legal_cluster_ids(user) -> set[int]:
    """Clusters whose references the user keeps: those in which their department leads a
    year that is not closed, and those they administer (one query, cached on the user)."""
    if not hasattr(user, "_legal_cluster_ids"):
        open_years = ClusterYear.objects.exclude(phase=ClusterYear.Phase.CLOSED)
        leads = (
            Q(memberships__role="leader", memberships__department_id=user.department_id)
            if user.department_id is not None
            else Q(pk__in=[])
        )
        user._legal_cluster_ids = set(
            open_years.filter(leads | Q(cluster__administrators=user)).values_list(
                "cluster_id", flat=True
            )
        )
    return user._legal_cluster_ids


def can_view_legal_references(user) -> bool:
    """Every logged-in user reads the list (of the references they may see)."""
    return bool(user.is_authenticated)


def can_view_legal_reference(user, reference=None) -> bool:
    """A site-wide reference: every logged-in user. A cluster's: whoever may see that
    cluster (reviewers and site admins see all). Without a reference: the list."""
    if not can_view_legal_references(user):
        return False
    if reference is None or reference.cluster_id is None:
        return True
    return can_view_cluster(user, reference.cluster)


def can_manage_legal_references(user) -> bool:
    """Add legal references: site admins, and the secretariat of any cluster year that is
    not closed (for their cluster: they cite them in plans and covenants)."""
    if is_site_admin(user):
        return True
    if not user.is_authenticated or is_reviewer(user):
        return False
    return bool(_legal_cluster_ids(user))


def can_create_legal_reference(user, cluster=None) -> bool:
    """Add a reference belonging to ``cluster``: its secretariat (of a year not closed) and
    site admins; a site-wide one (``cluster`` None): site admins only."""
    if is_site_admin(user):
        return True
    if cluster is None or not user.is_authenticated or is_reviewer(user):
        return False
    return cluster.pk in _legal_cluster_ids(user)


def legal_reference_clusters(user) -> list[int]:
    """Ids of the clusters for which the user may add references (site admins: any, which
    this does not list)."""
    if not user.is_authenticated or is_reviewer(user):
        return []
    return sorted(_legal_cluster_ids(user))


def can_edit_legal_reference(user, reference) -> bool:
    """Correct a reference or replace its file: a site-wide one, site admins only; a
    cluster's, its secretariat (of a year not closed) and site admins. No query for the
    reference itself (its ``cluster_id`` suffices)."""
    if is_site_admin(user):
        return True
    if reference is None or reference.cluster_id is None:
        return False
    if not user.is_authenticated or is_reviewer(user):
        return False
    return reference.cluster_id in _legal_cluster_ids(user)


def can_cite_legal_reference(cluster, reference) -> bool:
    """A cluster's plans and covenants cite its own references and the site-wide ones."""
    return reference.cluster_id is None or reference.cluster_id == cluster.pk


# Files and feed tokens (object-level forms of the rules above, for the view mixin)


def can_view_attachment(user, attachment) -> bool:
    """Whoever may see the activity."""
    return can_view_activity(user, attachment.activity)


def can_view_photo(user, photo) -> bool:
    """A news post's photo: whoever may read the post (everyone, once published). An
    activity's photo: whoever may see the activity."""
    if photo.news_post_id is not None:
        return can_view_news_post(user, photo.news_post)
    return user.is_authenticated and can_view_activity(user, photo.activity)


def can_view_news_photo(user, photo) -> bool:
    """The public address of photos: only those of published news posts, for everyone."""
    return photo.news_post_id is not None and photo.news_post.is_published


def can_manage_feed_token(user, owner) -> bool:
    """One's own feed token only, and not as a reviewer."""
    return can_manage_feed_tokens(user) and getattr(owner, "pk", None) == user.pk
