"""E-mail about the year-end evaluation, in Vietnamese, plain text and HTML.

Services call these inside their transaction; the mail leaves after the commit
(``cluster_portal.mail.mail_users``), so nothing is sent for a change that was rolled back.
"""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from cluster_portal.mail import mail_users
from evaluations.models import Evaluation
from members.models import User


def member_users(evaluation: Evaluation, department_ids=None) -> list[User]:
    """Active users (staff and signatories) of the year's member departments, or of
    ``department_ids``."""
    ids = department_ids
    if ids is None:
        ids = [m.department_id for m in evaluation.cluster_year.memberships.all()]
    return list(User.objects.filter(department_id__in=ids, is_active=True))


def secretariat_users(evaluation: Evaluation) -> list[User]:
    """The leader department's users and the cluster's administrators."""
    cluster_year = evaluation.cluster_year
    leader = cluster_year.leader
    condition = Q(administered_clusters=cluster_year.cluster_id)
    if leader is not None:
        condition |= Q(department_id=leader.department_id)
    return list(User.objects.filter(is_active=True).filter(condition).distinct())


def _context(evaluation: Evaluation, **extra) -> dict:
    return {
        "evaluation": evaluation,
        "cluster_year": evaluation.cluster_year,
        "url": settings.PORTAL_BASE_URL + evaluation.get_absolute_url(),
        **extra,
    }


def notify_phase_changed(evaluation: Evaluation, **extra) -> None:
    """Tell every member department that the evaluation moved to its current phase (with
    the deadline when self-assessment opens)."""
    mail_users(
        template="evaluations/email/phase_changed",
        recipients=member_users(evaluation),
        context=_context(evaluation, **extra),
    )


def notify_adjustment_proposed(adjustment) -> None:
    """Tell the member department that a checker proposed an adjusted score on one line of
    its assessment, with the reason and a link to answer it (ev-check)."""
    assessment = adjustment.score.assessment
    evaluation = assessment.evaluation
    mail_users(
        template="evaluations/email/adjustment_proposed",
        recipients=member_users(evaluation, department_ids=[assessment.membership.department_id]),
        context={
            # Not ``_context``: its link is the evaluation's page; this one is the answer's.
            "evaluation": evaluation,
            "cluster_year": evaluation.cluster_year,
            "adjustment": adjustment,
            "assessment": assessment,
            "criterion": adjustment.score.criterion,
            "url": settings.PORTAL_BASE_URL
            + reverse(
                "evaluations:adjustment-answer",
                kwargs={
                    "code": evaluation.cluster_year.cluster.code,
                    "year": evaluation.cluster_year.year,
                    "pk": adjustment.pk,
                },
            ),
        },
    )


def _assessment_context(assessment, **extra) -> dict:
    # Links to the assessment itself (its page is routed by this branch of the app).
    evaluation = assessment.evaluation
    return {
        "evaluation": evaluation,
        "cluster_year": evaluation.cluster_year,
        "assessment": assessment,
        "membership": assessment.membership,
        "assessment_url": settings.PORTAL_BASE_URL + assessment.get_absolute_url(),
        **extra,
    }


def notify_assessment_submitted(assessment, *, total) -> None:
    """Tell the secretariat that a department submitted its self-assessment (with the
    provisional total)."""
    mail_users(
        template="evaluations/email/assessment_submitted",
        recipients=secretariat_users(assessment.evaluation),
        context=_assessment_context(assessment, total=total),
    )


def notify_assessment_returned(assessment) -> None:
    """Tell the department's users that the secretariat returned their self-assessment,
    with the reason."""
    mail_users(
        template="evaluations/email/assessment_returned",
        recipients=member_users(
            assessment.evaluation, department_ids=[assessment.membership.department_id]
        ),
        context=_assessment_context(assessment),
    )


# ev-table: a department's extension and the reminders before the deadline.


def notify_deadline_extended(assessment, *, reason: str) -> None:
    """Tell the department whose deadline was extended: the new deadline and why."""
    evaluation = assessment.evaluation
    mail_users(
        template="evaluations/email/deadline_extended",
        recipients=member_users(evaluation, [assessment.membership.department_id]),
        context=_context(evaluation, assessment=assessment, reason=reason),
    )


def notify_reminder(assessment, *, deadline) -> None:
    """Remind a department that its self-assessment is not submitted yet."""
    evaluation = assessment.evaluation
    mail_users(
        template="evaluations/email/reminder",
        recipients=member_users(evaluation, [assessment.membership.department_id]),
        context=_context(evaluation, assessment=assessment, deadline=deadline),
    )
