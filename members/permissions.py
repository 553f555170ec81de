"""Who may see and do what in the members app: one predicate per rule.

Roles, as the portal understands them:

* **site admin** (``is_superuser``): everything, including Django's admin.
* **Ministry reviewer** (``User.Role.REVIEWER``): reads every cluster, changes nothing.
* **secretariat** of a cluster year: users of that year's leader department (Cụm trưởng),
  plus the cluster's explicit administrators. Rights follow the rotation: when another
  department leads next year, its users get them, with no admin work.
* **signatory** / **staff** of a member department: read the years in which their
  department is a member (not the years before it joined, nor after it left or merged
  away); signatories sign for their department (agreements app).

Predicates take ``(user, obj)``, return a bool and never raise. They cache the few
per-user facts they need on the user object, so a page asks the database once.
"""

from members.models import Cluster, ClusterYear, Department, Membership


def _member_cluster_ids(user) -> set[int]:
    """Clusters in which the user's department has been a member in any year."""
    if not hasattr(user, "_member_cluster_ids"):
        if user.department_id is None:
            user._member_cluster_ids = set()
        else:
            user._member_cluster_ids = set(
                Membership.objects.filter(department_id=user.department_id).values_list(
                    "cluster_year__cluster_id", flat=True
                )
            )
    return user._member_cluster_ids


def _member_cluster_year_ids(user) -> set[int]:
    """Cluster years in which the user's department is a member."""
    if not hasattr(user, "_member_cluster_year_ids"):
        if user.department_id is None:
            user._member_cluster_year_ids = set()
        else:
            user._member_cluster_year_ids = set(
                Membership.objects.filter(department_id=user.department_id).values_list(
                    "cluster_year_id", flat=True
                )
            )
    return user._member_cluster_year_ids


def _administered_cluster_ids(user) -> set[int]:
    if not hasattr(user, "_administered_cluster_ids"):
        user._administered_cluster_ids = set(
            user.administered_clusters.values_list("id", flat=True)
        )
    return user._administered_cluster_ids


def is_site_admin(user) -> bool:
    """Site administrators: superusers."""
    return bool(user.is_authenticated and user.is_superuser)


def is_reviewer(user) -> bool:
    """Ministry reviewers read everything and change nothing."""
    return bool(user.is_authenticated and user.role == user.Role.REVIEWER)


def can_view_cluster(user, cluster: Cluster) -> bool:
    """Admins and reviewers see every cluster; others the clusters their department was in."""
    if not user.is_authenticated:
        return False
    if is_site_admin(user) or is_reviewer(user):
        return True
    return cluster.pk in _member_cluster_ids(user) or cluster.pk in _administered_cluster_ids(user)


def can_view_cluster_year(user, cluster_year: ClusterYear) -> bool:
    """A year, and all it holds (plan, covenant, signing board, audit, reports): the
    departments that are members that year (the leader among them), the cluster's
    administrators, reviewers and site admins.

    Membership of the cluster in another year does not count: a department that left or
    merged away reads the years it was a member, not later ones; one that joined later
    does not read the years before. Two cached queries per user, none per year.
    """
    if not user.is_authenticated:
        return False
    if is_site_admin(user) or is_reviewer(user):
        return True
    return cluster_year.pk in _member_cluster_year_ids(
        user
    ) or cluster_year.cluster_id in _administered_cluster_ids(user)


def is_secretariat(user, cluster_year: ClusterYear) -> bool:
    """The leader department's users that year, and the cluster's administrators."""
    if not user.is_authenticated or is_reviewer(user):
        return False
    if cluster_year.cluster_id in _administered_cluster_ids(user):
        return True
    leader = cluster_year.leader
    return leader is not None and user.department_id == leader.department_id


def can_manage_cluster_year(user, cluster_year: ClusterYear) -> bool:
    """Edit a year (theme, motto, phase, members, leadership): its secretariat or an admin.

    A closed year is history and stays as it is, for everyone but site admins.
    """
    if is_site_admin(user):
        return True
    if cluster_year.phase == ClusterYear.Phase.CLOSED:
        return False
    return is_secretariat(user, cluster_year)


def can_record_election(user, cluster_year: ClusterYear) -> bool:
    """Record who leads ``cluster_year`` and who is deputy: its own secretariat (see
    ``can_manage_cluster_year``), or the secretariat of the cluster's year before it, which
    holds the election at its closing conference (so a next year started before the vote,
    with no leader yet, can still receive the result). One query for the year before."""
    if can_manage_cluster_year(user, cluster_year):
        return True
    if not user.is_authenticated or is_reviewer(user):
        return False
    previous = (
        ClusterYear.objects.filter(cluster_id=cluster_year.cluster_id, year__lt=cluster_year.year)
        .prefetch_related("memberships")
        .order_by("-year")
        .first()
    )
    return previous is not None and can_manage_cluster_year(user, previous)


def can_start_year(user, cluster: Cluster) -> bool:
    """Start a new cluster year: the secretariat of the cluster's latest year, or an admin."""
    if is_site_admin(user):
        return True
    if not user.is_authenticated or is_reviewer(user):
        return False
    if cluster.pk in _administered_cluster_ids(user):
        return True
    latest = (
        ClusterYear.objects.filter(cluster=cluster)
        .prefetch_related("memberships")
        .order_by("-year")
        .first()
    )
    return latest is not None and is_secretariat(user, latest)


def can_view_department(user, department: Department) -> bool:
    """Admins and reviewers see every department; others those sharing a cluster with them."""
    if not user.is_authenticated:
        return False
    if is_site_admin(user) or is_reviewer(user):
        return True
    if department.pk == user.department_id:
        return True
    visible_clusters = _member_cluster_ids(user) | _administered_cluster_ids(user)
    return Membership.objects.filter(
        department=department, cluster_year__cluster_id__in=visible_clusters
    ).exists()


def secretariat_cluster_ids(user) -> set[int]:
    """Clusters whose secretariat the user is or was: their department led a year of it, or
    they administer it. One cached query per user (plus the administered clusters')."""
    if not user.is_authenticated or is_reviewer(user):
        return set()
    if not hasattr(user, "_led_cluster_ids"):
        if user.department_id is None:
            user._led_cluster_ids = set()
        else:
            user._led_cluster_ids = set(
                Membership.objects.filter(
                    department_id=user.department_id, role=Membership.Role.LEADER
                ).values_list("cluster_year__cluster_id", flat=True)
            )
    return user._led_cluster_ids | _administered_cluster_ids(user)


def can_view_audit_log(user) -> bool:
    """The portal-wide audit log (read-only): site admins and reviewers see every event; the
    secretariat of a cluster (any year it led) sees the events of its clusters."""
    if not user.is_authenticated:
        return False
    if is_site_admin(user) or is_reviewer(user):
        return True
    return bool(secretariat_cluster_ids(user))
