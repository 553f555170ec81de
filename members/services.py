"""Writes for the members app.

Each service runs in one transaction, checks the actor's permission, validates, changes the
data and records an audit event. Errors are ``PermissionDenied`` (not allowed) and
``ValidationError`` with a code (bad input; nothing was changed).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cluster_portal.audit import AuthAction, RequestMeta, audit_record
from cluster_portal.auth import TOO_MANY_ATTEMPTS, password_recheck, too_many_attempts_message
from members import permissions
from members.audit import MembersAction
from members.models import Cluster, ClusterYear, Department, Membership


def _check_leadership(*, members: list[Department], leader, deputy) -> None:
    member_ids = {d.pk for d in members}
    errors = {}
    if leader is not None and leader.pk not in member_ids:
        errors["leader"] = ValidationError(
            _("The leader must be a member of the cluster that year."), code="leader_not_member"
        )
    if deputy is not None and deputy.pk not in member_ids:
        errors["deputy"] = ValidationError(
            _("The deputy must be a member of the cluster that year."), code="deputy_not_member"
        )
    if leader is not None and deputy is not None and leader.pk == deputy.pk:
        errors["deputy"] = ValidationError(
            _("The leader and the deputy must be different departments."),
            code="leader_is_deputy",
        )
    if errors:
        raise ValidationError(errors)


def _check_valid_in_year(
    *, departments: list[Department], year: int, field: str = "members"
) -> None:
    invalid = [d for d in departments if not d.is_valid_in_year(year)]
    if invalid:
        raise ValidationError(
            {
                field: ValidationError(
                    _("Not valid in %(year)s: %(names)s.")
                    % {"year": year, "names": ", ".join(d.full_name for d in invalid)},
                    code="department_not_valid",
                )
            }
        )


# What a new year may take over from the previous one (the covenant text, the work plan),
# offered as checkboxes on the start form without the members app depending on the apps
# that hold it: ``register_year_start_copy(code, label, func)`` in their AppConfig.ready().
# ``func(previous=..., cluster_year=..., by=...)`` runs inside the transaction that starts
# the year (whose permission check it relies on) and copies what it holds as a draft.
@dataclass(frozen=True)
class YearStartCopy:
    code: str
    label: object
    copy: object


_year_start_copies: dict[str, YearStartCopy] = {}


def register_year_start_copy(code: str, label, func) -> None:
    _year_start_copies.setdefault(code, YearStartCopy(code, label, func))


def year_start_copies() -> list[YearStartCopy]:
    """What a new year may copy from the previous one, in registration order."""
    return list(_year_start_copies.values())


@transaction.atomic
def cluster_year_start(
    *,
    cluster: Cluster,
    year: int,
    members: list[Department],
    leader: Department | None,
    deputy: Department | None,
    theme: str = "",
    motto: str = "",
    is_illustrative: bool = False,
    copy: tuple[str, ...] | list[str] = (),
    by,
) -> ClusterYear:
    """Start a new year of ``cluster`` with these members, leader and deputy.

    ``copy`` names what to take over from the latest earlier year as drafts (codes of
    ``year_start_copies()``, e.g. the covenant text and the work plan). The new leader's
    users then find "draft the covenant / work plan" in their to-do until it is there.
    For the secretariat of the cluster's latest year (who records the election result) and
    site admins. Raises ``PermissionDenied``, or ``ValidationError`` if the year exists,
    a department is not valid that year, or the leader or deputy is not a member.
    """
    if not permissions.can_start_year(by, cluster):
        raise PermissionDenied
    if not members:
        raise ValidationError(
            {"members": ValidationError(_("Choose at least one member."), code="no_members")}
        )
    if ClusterYear.objects.filter(cluster=cluster, year=year).exists():
        raise ValidationError(
            {
                "year": ValidationError(
                    _("The cluster already has the year %(year)s.") % {"year": year},
                    code="year_exists",
                )
            }
        )
    _check_valid_in_year(departments=members, year=year)
    _check_leadership(members=members, leader=leader, deputy=deputy)
    cluster_year = ClusterYear(
        cluster=cluster, year=year, theme=theme, motto=motto, is_illustrative=is_illustrative
    )
    cluster_year.full_clean()
    cluster_year.save()
    roles = {}
    if leader is not None:
        roles[leader.pk] = Membership.Role.LEADER
    if deputy is not None:
        roles[deputy.pk] = Membership.Role.DEPUTY
    Membership.objects.bulk_create(
        Membership(
            cluster_year=cluster_year,
            department=department,
            role=roles.get(department.pk, Membership.Role.MEMBER),
            **Membership.snapshot_of(department),
        )
        for department in members
    )
    audit_record(
        actor=by,
        action=MembersAction.CLUSTER_YEAR_STARTED,
        target=cluster_year,
        details={
            "members": sorted(d.code for d in members),
            "leader": leader.code if leader else None,
            "deputy": deputy.code if deputy else None,
            "copied": sorted(code for code in copy if code in _year_start_copies),
        },
    )
    previous = (
        ClusterYear.objects.filter(cluster=cluster, year__lt=year)
        .select_related("cluster")
        .order_by("-year")
        .first()
    )
    if previous is not None:
        for code in copy:
            if code in _year_start_copies:
                _year_start_copies[code].copy(previous=previous, cluster_year=cluster_year, by=by)
    return cluster_year


@transaction.atomic
def cluster_year_update(
    *, cluster_year: ClusterYear, theme: str, motto: str, phase: str, by
) -> ClusterYear:
    """Change a year's theme, motto and phase. For its secretariat and site admins."""
    if not permissions.can_manage_cluster_year(by, cluster_year):
        raise PermissionDenied
    before = {"theme": cluster_year.theme, "motto": cluster_year.motto, "phase": cluster_year.phase}
    cluster_year.theme, cluster_year.motto, cluster_year.phase = theme, motto, phase
    cluster_year.full_clean()
    cluster_year.save(update_fields=["theme", "motto", "phase", "updated_at"])
    audit_record(
        actor=by,
        action=MembersAction.CLUSTER_YEAR_UPDATED,
        target=cluster_year,
        details={"before": before, "after": {"theme": theme, "motto": motto, "phase": phase}},
    )
    return cluster_year


@transaction.atomic
def cluster_year_set_leadership(
    *, cluster_year: ClusterYear, leader: Department | None, deputy: Department | None, by
) -> ClusterYear:
    """Record who leads a year and who is deputy (the election result).

    For the year's secretariat and site admins, and the secretariat of the year before,
    which holds the election (``permissions.can_record_election``). Both must be members
    that year and differ. The secretariat rights move with the leader at once.
    """
    if not permissions.can_record_election(by, cluster_year):
        raise PermissionDenied
    memberships = list(cluster_year.memberships.select_for_update().select_related("department"))
    _check_leadership(members=[m.department for m in memberships], leader=leader, deputy=deputy)
    # Clear first: the partial unique indexes allow one leader and one deputy at any moment.
    cluster_year.memberships.exclude(role=Membership.Role.MEMBER).update(
        role=Membership.Role.MEMBER
    )
    if leader is not None:
        cluster_year.memberships.filter(department=leader).update(role=Membership.Role.LEADER)
    if deputy is not None:
        cluster_year.memberships.filter(department=deputy).update(role=Membership.Role.DEPUTY)
    if hasattr(cluster_year, "_prefetched_objects_cache"):
        cluster_year._prefetched_objects_cache.pop("memberships", None)
    audit_record(
        actor=by,
        action=MembersAction.CLUSTER_YEAR_LEADERSHIP_SET,
        target=cluster_year,
        details={
            "leader": leader.code if leader else None,
            "deputy": deputy.code if deputy else None,
        },
    )
    return cluster_year


# Other apps hold records that tie a department to a year (a response to the covenant, a
# comment, an attendance...). They say when a member may not be added or removed through
# ``register_membership_guard(func)`` in their AppConfig.ready(). A guard is called as
# ``func(cluster_year=..., department=..., change="add" | "remove")`` and returns None, or
# the reason (a translated sentence) why the change would make the record untrue.
_membership_guards = []


def register_membership_guard(guard):
    if guard not in _membership_guards:
        _membership_guards.append(guard)
    return guard


# And what they do once a department has joined a year (e.g. tell its signatories that the
# year's covenant awaits them): ``register_membership_listener(func)``, called as
# ``func(membership=...)`` inside the transaction that adds it.
_membership_listeners = []


def register_membership_listener(listener):
    if listener not in _membership_listeners:
        _membership_listeners.append(listener)
    return listener


def membership_change_refusal(
    *, cluster_year: ClusterYear, department: Department, change: str
) -> tuple[str, str] | None:
    """Why ``department`` may not be added to or removed from ``cluster_year`` now, as
    ``(code, message)``; None if it may. Permission is checked by the services."""
    if change == "remove":
        membership = cluster_year.memberships.filter(department=department).first()
        if membership is not None and membership.role != Membership.Role.MEMBER:
            return "remove_leadership", _(
                "The leader or deputy cannot be removed; record another one first."
            )
    for guard in _membership_guards:
        message = guard(cluster_year=cluster_year, department=department, change=change)
        if message:
            return "membership_in_record", message
    return None


@transaction.atomic
def membership_add(*, cluster_year: ClusterYear, department: Department, by) -> Membership:
    """Add a department to a year, with a snapshot of its current names. Secretariat only.

    Refused for a department already a member, one that does not exist that year, or when a
    registered guard says the year's records are complete without it (a signed covenant).
    """
    if not permissions.can_manage_cluster_year(by, cluster_year):
        raise PermissionDenied
    if cluster_year.memberships.filter(department=department).exists():
        raise ValidationError(
            {
                "department": ValidationError(
                    _("This department is already a member that year."), code="already_member"
                )
            }
        )
    _check_valid_in_year(departments=[department], year=cluster_year.year, field="department")
    refusal = membership_change_refusal(
        cluster_year=cluster_year, department=department, change="add"
    )
    if refusal is not None:
        code, message = refusal
        raise ValidationError(message, code=code)
    membership = Membership.objects.create(
        cluster_year=cluster_year, department=department, **Membership.snapshot_of(department)
    )
    audit_record(
        actor=by,
        action=MembersAction.MEMBERSHIP_ADDED,
        target=cluster_year,
        details={"department": department.code},
    )
    for listener in _membership_listeners:
        listener(membership=membership)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by) -> None:
    """Remove a member from a year. Secretariat only.

    Not the leader or deputy (record new ones first), and not a department that the year's
    records name (see ``register_membership_guard``): history stays true.
    """
    cluster_year = membership.cluster_year
    if not permissions.can_manage_cluster_year(by, cluster_year):
        raise PermissionDenied
    refusal = membership_change_refusal(
        cluster_year=cluster_year, department=membership.department, change="remove"
    )
    if refusal is not None:
        code, message = refusal
        raise ValidationError(message, code=code)
    code = membership.department.code
    membership.delete()
    audit_record(
        actor=by,
        action=MembersAction.MEMBERSHIP_REMOVED,
        target=cluster_year,
        details={"department": code},
    )


@transaction.atomic
def department_merge(
    *, department: Department, successor: Department, effective: datetime.date, by
) -> Department:
    """Record that ``department`` merged into ``successor`` on ``effective``.

    The department stays valid until the day before; past memberships (and the names
    they were issued under) are untouched. Site admins only.
    """
    if not permissions.is_site_admin(by):
        raise PermissionDenied
    if successor.pk == department.pk:
        raise ValidationError(
            {"successor": ValidationError(_("A department cannot succeed itself."), code="self")}
        )
    later = sorted(
        {
            m.cluster_year.year
            for m in department.memberships.select_related("cluster_year")
            if m.cluster_year.year > (effective - datetime.timedelta(days=1)).year
        }
    )
    if later:
        raise ValidationError(
            {
                "effective": ValidationError(
                    _("The department is still a member in %(years)s; remove it there first.")
                    % {"years": ", ".join(map(str, later))},
                    code="member_after_merger",
                )
            }
        )
    department.valid_to = effective - datetime.timedelta(days=1)
    department.successor = successor
    department.full_clean()
    department.save(update_fields=["valid_to", "successor", "updated_at"])
    audit_record(
        actor=by,
        action=MembersAction.DEPARTMENT_MERGED,
        target=department,
        details={"successor": successor.code, "effective": effective.isoformat()},
    )
    return department


def user_password_change(*, user, old_password: str, new_password: str, meta: RequestMeta):
    """Give ``user`` a new password once their current one is re-entered. For the user.

    The current password is checked like the one given when signing: wrong ones are
    recorded (``auth.password_change_refused``) and share the same budget of
    AXES_FAILURE_LIMIT per cool-off; past it the check is refused without looking
    (code ``too_many_attempts``). A wrong one gives code ``password_incorrect``. The new
    password must already be validated (the form does). Records ``auth.password_changed``.
    """
    refused = password_recheck(
        user=user,
        password=old_password,
        refused_action=AuthAction.PASSWORD_CHANGE_REFUSED,
        target=user,
        meta=meta,
    )
    if refused == TOO_MANY_ATTEMPTS:
        raise ValidationError(
            {
                "old_password": ValidationError(
                    too_many_attempts_message(user), code=TOO_MANY_ATTEMPTS
                )
            }
        )
    if refused is not None:
        raise ValidationError(
            {
                "old_password": ValidationError(
                    _("Your old password was entered incorrectly. Please enter it again."),
                    code="password_incorrect",
                )
            }
        )
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(actor=user, action=AuthAction.PASSWORD_CHANGED, target=user, meta=meta)
