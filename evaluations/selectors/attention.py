"""Dashboard items of the year-end evaluation (registered in ``EvaluationsConfig.ready``
with ``members.selectors.register_attention_provider``): computed from the assessments,
never stored."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from evaluations.models import Assessment, Evaluation
from members import permissions as member_permissions
from members.selectors import AttentionItem, register_attention_kind

EVALUATION_KIND = register_attention_kind(
    "evaluation", gettext_lazy("The year-end evaluation: self-assessment and checking")
)
OPEN_PHASES = (Evaluation.Phase.SELF_ASSESSMENT, Evaluation.Phase.CHECKING)


def _url(name: str, cluster_year, **kwargs) -> str:
    """The evaluation page ``name`` of ``cluster_year``."""
    return reverse(
        f"evaluations:{name}",
        kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year, **kwargs},
    )


def _zoned(value) -> str:
    return f"{timezone.localtime(value):%H:%M %d/%m/%Y} ({_('GMT+7')})"


def evaluation_attention_items(*, user, cluster_years) -> dict[int, list[AttentionItem]]:
    """What the evaluation asks of ``user`` in each of ``cluster_years``:

    * a member department's users, while self-assessment is open, their assessment is a
      draft and its deadline (or extension) has not passed: "Self-assessment open until …";
    * the secretariat: how many members have submitted while self-assessment is open, and
      how many submitted assessments wait to be checked and finalised during checking.

    Reviewers get none (they change nothing). One query whatever the number of years and
    members (the years' memberships are already loaded by the dashboard's selector).
    """
    items: dict[int, list[AttentionItem]] = {cy.pk: [] for cy in cluster_years}
    if not user.is_authenticated or member_permissions.is_reviewer(user):
        return items
    by_year = {cy.pk: cy for cy in cluster_years}
    managed = {
        pk for pk, cy in by_year.items() if member_permissions.can_manage_cluster_year(user, cy)
    }
    own = {
        pk
        for pk, cy in by_year.items()
        if user.department_id is not None
        and any(m.department_id == user.department_id for m in cy.memberships.all())
    }
    if not managed and not own:
        return items
    # The secretariat counts every member's assessment; a member reads only its own.
    scope = Q(evaluation__cluster_year_id__in=managed) | Q(
        evaluation__cluster_year_id__in=own, membership__department_id=user.department_id
    )
    rows = Assessment.objects.filter(scope, evaluation__phase__in=OPEN_PHASES).values_list(
        "evaluation__cluster_year_id",
        "evaluation__phase",
        "evaluation__self_assessment_deadline",
        "membership__department_id",
        "state",
        "deadline_extended_to",
    )
    states: dict[int, list[str]] = defaultdict(list)
    phases: dict[int, str] = {}
    now = timezone.now()
    for year_pk, phase, deadline, department_id, state, extended_to in rows:
        cluster_year = by_year[year_pk]
        phases[year_pk] = phase
        states[year_pk].append(state)
        if (
            year_pk in own
            and department_id == user.department_id
            and phase == Evaluation.Phase.SELF_ASSESSMENT
            and state == Assessment.State.DRAFT
        ):
            deadline = extended_to or deadline
            if deadline is not None and now > deadline:
                continue
            department = next(
                m.department
                for m in cluster_year.memberships.all()
                if m.department_id == department_id
            )
            url = _url("assessment-detail", cluster_year, department=department.code)
            message = (
                _("Self-assessment open until %(deadline)s: fill in and submit your scores")
                % {"deadline": _zoned(deadline)}
                if deadline is not None
                else _("Self-assessment is open: fill in and submit your scores")
            )
            items[year_pk].append(
                AttentionItem(
                    message, url, EVALUATION_KIND, f"self-assessment:{year_pk}:{department_id}"
                )
            )
    for year_pk in managed:
        if year_pk not in phases:
            continue
        cluster_year = by_year[year_pk]
        url = _url("evaluation-detail", cluster_year)
        year_states = states[year_pk]
        submitted = sum(state != Assessment.State.DRAFT for state in year_states)
        if phases[year_pk] == Evaluation.Phase.SELF_ASSESSMENT:
            message = _(
                "%(submitted)s of %(total)s members have submitted their self-assessment"
            ) % {
                "submitted": submitted,
                "total": len(year_states),
            }
            items[year_pk].append(AttentionItem(message, url))
        else:
            waiting = sum(state == Assessment.State.SUBMITTED for state in year_states)
            if waiting:
                message = ngettext(
                    "%(waiting)s submitted self-assessment awaits checking and finalisation",
                    "%(waiting)s submitted self-assessments await checking and finalisation",
                    waiting,
                ) % {"waiting": waiting}
                items[year_pk].append(AttentionItem(message, url))
    return items
