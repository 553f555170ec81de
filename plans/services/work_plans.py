"""Writes for work plans, their activities and conference records (attendees)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster_portal.audit import audit_record
from members.models import ClusterYear, Department
from plans import permissions
from plans.audit import PlanAction
from plans.models import Activity, Attendee, WorkPlan
from plans.services.common import _field_error, _member_department_ids, _require
from plans.services.legal_references import check_citable

# Work plans


@transaction.atomic
def work_plan_create(
    *,
    cluster_year: ClusterYear,
    title: str,
    number: str = "",
    issued_on: datetime.date | None = None,
    objectives: str = "",
    legal_references=(),
    by,
) -> WorkPlan:
    """Create the work plan of a cluster year (one per year, code ``plan_exists``).

    For the year's secretariat and site admins.
    """
    _require(permissions.can_create_work_plan(by, cluster_year))
    if WorkPlan.objects.filter(cluster_year=cluster_year).exists():
        raise ValidationError(
            _("The year %(year)s already has a work plan.") % {"year": cluster_year.year},
            code="plan_exists",
        )
    check_citable(
        cluster=cluster_year.cluster, references=legal_references, field="legal_references"
    )
    work_plan = WorkPlan(
        cluster_year=cluster_year,
        title=title,
        number=number,
        issued_on=issued_on,
        objectives=objectives,
        is_illustrative=cluster_year.is_illustrative,
    )
    work_plan.full_clean()
    work_plan.save()
    work_plan.legal_references.set(legal_references)
    audit_record(actor=by, action=PlanAction.WORK_PLAN_CREATED, target=work_plan)
    return work_plan


def _same_day_in(year: int, day: datetime.date) -> datetime.date:
    """``day`` moved to ``year`` (29 February becomes 28 February)."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


@transaction.atomic
def work_plan_copy_to_new_year(*, previous: ClusterYear, cluster_year: ClusterYear, by):
    """Draft ``cluster_year``'s work plan from ``previous`` year's: title (its year
    changed), objectives, legal references and activities, each moved by the years between
    them, planned again, hosted by the same department if it is a member of the new year;
    no number, date, adoption, progress or records. Called while the year is started
    (``members.services.cluster_year_start``, registered in ``PlansConfig.ready``), for
    whoever may start it; does nothing when the previous year has no plan or the new one
    already has one. Returns the draft or None."""
    from members.permissions import can_start_year, is_secretariat

    # The previous year's secretariat starts the new one: by then the new year is the
    # cluster's latest, whose secretariat is the incoming leader.
    _require(is_secretariat(by, previous) or can_start_year(by, cluster_year.cluster))
    source = (
        WorkPlan.objects.filter(cluster_year=previous)
        .prefetch_related("legal_references", "activities")
        .first()
    )
    if source is None or WorkPlan.objects.filter(cluster_year=cluster_year).exists():
        return None
    work_plan = WorkPlan(
        cluster_year=cluster_year,
        title=source.title.replace(str(previous.year), str(cluster_year.year)),
        objectives=source.objectives,
        is_illustrative=cluster_year.is_illustrative,
    )
    work_plan.full_clean()
    work_plan.save()
    work_plan.legal_references.set(source.legal_references.all())
    members = set(cluster_year.memberships.values_list("department_id", flat=True))
    shift = cluster_year.year - previous.year
    Activity.objects.bulk_create(
        Activity(
            work_plan=work_plan,
            title=activity.title,
            kind=activity.kind,
            host_id=activity.host_id if activity.host_id in members else None,
            starts_on=_same_day_in(activity.starts_on.year + shift, activity.starts_on),
            ends_on=_same_day_in(activity.ends_on.year + shift, activity.ends_on),
            start_time=activity.start_time,
            end_time=activity.end_time,
            outside_plan_year=activity.outside_plan_year,
            venue=activity.venue,
            agenda=activity.agenda,
            is_illustrative=cluster_year.is_illustrative,
        )
        for activity in source.activities.all()
    )
    audit_record(
        actor=by,
        action=PlanAction.WORK_PLAN_CREATED,
        target=work_plan,
        details={"copied_from": source.pk},
    )
    return work_plan


@transaction.atomic
def work_plan_update(
    *,
    work_plan: WorkPlan,
    title: str,
    number: str = "",
    issued_on: datetime.date | None = None,
    objectives: str = "",
    legal_references=(),
    adopted_at: Activity | None = None,
    by,
) -> WorkPlan:
    """Change a plan's number, title, issue date, objectives, legal bases and the conference
    that adopted it (a conference of the same cluster, code ``not_a_conference`` or
    ``other_cluster`` otherwise). Secretariat."""
    _require(permissions.can_edit_work_plan(by, work_plan))
    if adopted_at is not None:
        if not adopted_at.is_conference:
            raise _field_error(
                "adopted_at", _("Choose an activity that is a conference."), "not_a_conference"
            )
        if adopted_at.work_plan.cluster_year.cluster_id != work_plan.cluster_year.cluster_id:
            raise _field_error(
                "adopted_at", _("The conference belongs to another cluster."), "other_cluster"
            )
    check_citable(
        cluster=work_plan.cluster_year.cluster,
        references=legal_references,
        field="legal_references",
    )
    before = {"title": work_plan.title, "number": work_plan.number}
    work_plan.title, work_plan.number = title, number
    work_plan.issued_on, work_plan.objectives = issued_on, objectives
    work_plan.adopted_at = adopted_at
    work_plan.full_clean()
    work_plan.save()
    work_plan.legal_references.set(legal_references)
    audit_record(
        actor=by,
        action=PlanAction.WORK_PLAN_UPDATED,
        target=work_plan,
        details={"before": before, "after": {"title": title, "number": number}},
    )
    return work_plan


# Activities

# What the host department's users may change; the secretariat changes every field.
HOST_FIELDS = frozenset(Activity.HOST_FIELDS)
ACTIVITY_FIELDS = frozenset(Activity.EDITABLE_FIELDS)


def _validate_activity(values: dict, *, work_plan: WorkPlan) -> dict:
    """Check an activity's values together; returns them normalised (done ⇒ 100%).

    Raises one ``ValidationError`` naming every field at fault.
    """
    errors: dict[str, ValidationError] = {}
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    start_time, end_time = values.get("start_time"), values.get("end_time")
    year = work_plan.cluster_year.year
    if not (values.get("title") or "").strip():
        errors["title"] = ValidationError(_("Give the activity a title."), code="required")
    if starts_on is None:
        errors["starts_on"] = ValidationError(_("Give the start date."), code="required")
    if ends_on is None:
        errors["ends_on"] = ValidationError(_("Give the end date."), code="required")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = ValidationError(
            _("The end date cannot be before the start date."), code="end_before_start"
        )
    if end_time is not None and start_time is None:
        errors["start_time"] = ValidationError(
            _("Give the start time too, or neither time."), code="end_time_without_start"
        )
    if (
        starts_on
        and ends_on
        and starts_on == ends_on
        and start_time is not None
        and end_time is not None
        and end_time < start_time
    ):
        errors["end_time"] = ValidationError(
            _("On a one-day activity the end time cannot be before the start time."),
            code="end_before_start",
        )
    if not values.get("outside_plan_year"):
        message = _(
            "The plan is for %(year)s: choose a date in %(year)s, or tick “may fall "
            "outside the plan's year”."
        ) % {"year": year}
        if starts_on and starts_on.year != year and "starts_on" not in errors:
            errors["starts_on"] = ValidationError(message, code="outside_plan_year")
        if ends_on and ends_on.year != year and "ends_on" not in errors:
            errors["ends_on"] = ValidationError(message, code="outside_plan_year")
    progress = values.get("progress")
    if progress is None or not 0 <= progress <= 100:
        errors["progress"] = ValidationError(
            _("Progress must be between 0 and 100%."), code="progress_range"
        )
    host = values.get("host")
    if host is not None and host.pk not in _member_department_ids(work_plan.cluster_year):
        errors["host"] = ValidationError(
            _("The host must be a member of the cluster in %(year)s.") % {"year": year},
            code="host_not_member",
        )
    if values.get("kind") not in Activity.Kind.values:
        errors["kind"] = ValidationError(_("Choose a kind of activity."), code="invalid_choice")
    if values.get("status") not in Activity.Status.values:
        errors["status"] = ValidationError(_("Choose a status."), code="invalid_choice")
    if errors:
        raise ValidationError(errors)
    values = dict(values)
    if values["status"] == Activity.Status.DONE:
        values["progress"] = 100
    values["title"] = values["title"].strip()
    return values


def _check_not_done_before_start(values: dict) -> None:
    """An activity is done only once it has started: marking it done earlier (and counting
    it as 100% in the plan's progress) is refused, with the day it starts."""
    starts_on = values.get("starts_on")
    if values.get("status") == Activity.Status.DONE and starts_on > timezone.localdate():
        raise ValidationError(
            {
                "status": ValidationError(
                    _(
                        "An activity cannot be marked done before it starts (%(day)s): "
                        "choose another status, or correct its dates."
                    )
                    % {"day": starts_on.strftime("%d/%m/%Y")},
                    code="done_before_start",
                )
            }
        )


def _plan_with_memberships(work_plan: WorkPlan) -> WorkPlan:
    if "memberships" not in getattr(work_plan.cluster_year, "_prefetched_objects_cache", {}):
        work_plan.cluster_year = ClusterYear.objects.prefetch_related("memberships").get(
            pk=work_plan.cluster_year_id
        )
    return work_plan


@transaction.atomic
def activity_create(
    *,
    work_plan: WorkPlan,
    title: str,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    host: Department | None = None,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    outside_plan_year: bool = False,
    venue: str = "",
    status: str = Activity.Status.PLANNED,
    progress: int = 0,
    outcome_notes: str = "",
    agenda: str = "",
    minutes_text: str = "",
    adopted_covenant: bool = False,
    by,
) -> Activity:
    """Add an activity to a work plan. For the year's secretariat and site admins.

    Dates must make sense (end not before start; within the plan's year unless
    ``outside_plan_year``), it is not done before it starts (code ``done_before_start``)
    and the host must be a member that year; otherwise a ``ValidationError`` names each
    field at fault.
    """
    work_plan = _plan_with_memberships(work_plan)
    _require(permissions.can_add_activity(by, work_plan))
    values = _validate_activity(
        {
            "title": title,
            "kind": kind,
            "host": host,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "start_time": start_time,
            "end_time": end_time,
            "outside_plan_year": outside_plan_year,
            "venue": venue,
            "status": status,
            "progress": progress,
            "outcome_notes": outcome_notes,
            "agenda": agenda,
            "minutes_text": minutes_text,
            "adopted_covenant": adopted_covenant,
        },
        work_plan=work_plan,
    )
    _check_not_done_before_start(values)
    activity = Activity.objects.create(
        work_plan=work_plan, is_illustrative=work_plan.is_illustrative, **values
    )
    audit_record(
        actor=by,
        action=PlanAction.ACTIVITY_CREATED,
        target=activity,
        details={"work_plan": work_plan.pk, "host": host.code if host else None},
    )
    return activity


def _audit_value(value):
    if isinstance(value, Department):
        return value.code
    return value


@transaction.atomic
def activity_update(*, activity: Activity, version: int, changes: dict, by) -> Activity:
    """Change an activity, unless someone else changed it since ``version`` was read.

    The secretariat may change every field; the host department's users only their report
    (dates, venue, status, progress, outcome, agenda, minutes). Marking it done sets the
    progress to 100%; it cannot be done before it starts (code ``done_before_start``).
    The plan's progress follows (it is rolled up from its activities).

    The write is one conditional UPDATE on (id, version): if another edit came first,
    nothing is written and ``ValidationError`` (code ``conflict``) tells the second editor.
    Raises ``PermissionDenied``, or ``ValidationError`` naming each field at fault.
    """
    work_plan = _plan_with_memberships(activity.work_plan)
    activity.work_plan = work_plan
    unknown = set(changes) - ACTIVITY_FIELDS
    if unknown:
        raise ValueError(f"Not activity fields: {sorted(unknown)}")
    if not permissions.can_edit_activity(by, activity):
        _require(permissions.can_update_activity(by, activity))
        _require(set(changes) <= HOST_FIELDS)
    before = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    values = _validate_activity({**before, **changes}, work_plan=work_plan)
    changed = {name: value for name, value in values.items() if value != before[name]}
    if {"status", "starts_on"} & changed.keys():
        # Only when it is being marked done or its start moves: an older record is left be.
        _check_not_done_before_start(values)
    updated = Activity.objects.filter(pk=activity.pk, version=version).update(
        **changed, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        current = Activity.objects.filter(pk=activity.pk).values_list("version", flat=True)
        raise ValidationError(
            _(
                "Someone else saved this activity while you were editing it (it is now at "
                "version %(current)s, you started from version %(yours)s). Your changes "
                "were not saved: reload the activity to see theirs, then make yours again."
            )
            % {"current": current.first(), "yours": version},
            code="conflict",
        )
    activity.refresh_from_db()
    audit_record(
        actor=by,
        action=PlanAction.ACTIVITY_UPDATED,
        target=activity,
        details={
            "version": activity.version,
            "before": {k: _audit_value(before[k]) for k in changed},
            "after": {k: _audit_value(v) for k, v in changed.items()},
        },
    )
    return activity


# Conference records


@transaction.atomic
def attendee_add(
    *,
    activity: Activity,
    kind: str,
    department: Department | None = None,
    organisation: str = "",
    name: str = "",
    title: str = "",
    is_chair: bool = False,
    by,
) -> Attendee:
    """Record who attended a conference: a member department (with its representative's
    name and title, when known) or a guest (name required). Whoever may report on it."""
    activity.work_plan = _plan_with_memberships(activity.work_plan)
    _require(permissions.can_record_conference(by, activity))
    if kind == Attendee.Kind.MEMBER:
        if department is None:
            raise _field_error("department", _("Choose the department."), "required")
        if department.pk not in _member_department_ids(activity.work_plan.cluster_year):
            raise _field_error(
                "department",
                _("Only members of the cluster that year attend as members; add others as guests."),
                "not_member",
            )
        if not department.is_valid_during(activity.starts_on, activity.ends_on):
            raise _field_error(
                "department",
                _("This department did not exist on the days of the meeting."),
                "not_valid_then",
            )
        if activity.attendees.filter(kind=kind, department=department).exists():
            raise _field_error(
                "department", _("This department is already listed as attending."), "duplicate"
            )
    elif kind == Attendee.Kind.GUEST:
        department = None
        if not name.strip():
            raise _field_error("name", _("Give the guest's name."), "required")
    else:
        raise _field_error("kind", _("Choose member or guest."), "invalid_choice")
    attendee = Attendee.objects.create(
        activity=activity,
        kind=kind,
        department=department,
        organisation=organisation.strip(),
        name=name.strip(),
        title=title.strip(),
        is_chair=is_chair,
    )
    audit_record(
        actor=by,
        action=PlanAction.ATTENDEE_ADDED,
        target=activity,
        details={"attendee": str(attendee), "kind": kind},
    )
    return attendee


@transaction.atomic
def attendee_remove(*, attendee: Attendee, by) -> None:
    """Remove an attendee recorded by mistake. Whoever may report on the conference."""
    activity = attendee.activity
    activity.work_plan = _plan_with_memberships(activity.work_plan)
    _require(permissions.can_record_conference(by, activity))
    details = {"attendee": str(attendee)}
    attendee.delete()
    audit_record(actor=by, action=PlanAction.ATTENDEE_REMOVED, target=activity, details=details)
