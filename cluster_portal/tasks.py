"""Background tasks: the portal's way of queueing work, retrying it, and showing failures.

Tasks are functions of the Tasks framework (the ``django_tasks`` backport of Django 6.0's
``django.tasks``), queued in the database by default and run by ``manage.py db_worker``.
Every task of the portal is declared with ``portal_task`` and so:

* takes keyword arguments only, among them ``cluster_year_id`` (the cluster year whose
  secretariat sees a failure; None for work that belongs to no year, seen by site admins);
* is idempotent (running it twice does the work once: the task itself makes sure);
* is retried with back-off when it raises: attempt ``n`` failed, attempt ``n + 1`` is queued
  ``TASK_RETRY_DELAY_SECONDS * 2**(n - 1)`` seconds later, up to ``TASK_MAX_ATTEMPTS``; the
  failed attempt is recorded as failed with ``RetryScheduled`` (its cause in the traceback);
* when the last attempt fails, the failure is logged as an error and listed for the
  secretariat (``task_failure_list``), who may queue it again (``task_retry``).

E-mail goes through here too: ``cluster_portal.mail.mail_send`` writes a ``MailOutbox`` row
and queues ``mail_deliver`` for it, one task per message.
"""

import dataclasses
import datetime
import functools
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from cluster_portal.audit import TaskAction, audit_record
from cluster_portal.models import MailOutbox, TaskRetry

logger = logging.getLogger(__name__)


class RetryScheduled(Exception):
    """This attempt failed and a later one is queued (the cause is chained)."""


RETRY_SCHEDULED = f"{RetryScheduled.__module__}.{RetryScheduled.__qualname__}"

# What a failed task was doing, for the secretariat's list: task path -> label.
_TASK_LABELS: dict[str, object] = {}


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long to wait after failed attempt ``attempt`` (1, 2, ...) before the next one."""
    return datetime.timedelta(seconds=settings.TASK_RETRY_DELAY_SECONDS * 2 ** (attempt - 1))


def portal_task(label):
    """Declare a background task (``label``: what it does, shown when it failed).

    The decorated function takes keyword arguments only (``cluster_year_id`` among them) and
    must be idempotent. Queue it with ``.enqueue(**kwargs)``; ``attempt`` is the worker's.
    """

    def decorate(function):
        @functools.wraps(function)
        def run(*, attempt: int = 1, **kwargs):
            try:
                return function(**kwargs)
            except Exception as exc:
                if attempt < settings.TASK_MAX_ATTEMPTS and the_task.get_backend().supports_defer:
                    run_after = timezone.now() + retry_delay(attempt)
                    the_task.using(run_after=run_after).enqueue(attempt=attempt + 1, **kwargs)
                    logger.warning(
                        "Task %s failed (attempt %s of %s, %s: %s); retrying at %s",
                        the_task.name,
                        attempt,
                        settings.TASK_MAX_ATTEMPTS,
                        type(exc).__name__,
                        exc,
                        run_after.isoformat(),
                    )
                    raise RetryScheduled(f"attempt {attempt} failed, retry queued") from exc
                logger.exception(
                    "Task %s failed for good after %s attempt(s) (%s)",
                    the_task.name,
                    attempt,
                    kwargs,
                )
                raise

        the_task = task()(run)
        _TASK_LABELS[the_task.module_path] = label
        return the_task

    return decorate


# E-mail


def _message(row: MailOutbox) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(row.subject, row.body, row.from_email, row.to)
    for content, mimetype in row.alternatives:
        message.attach_alternative(content, mimetype)
    return message


@portal_task(gettext_lazy("Send an e-mail"))
def mail_deliver(*, key: str, cluster_year_id: int | None = None) -> str:
    """Send the queued message ``key`` unless it has been sent; say which it was.

    The row is marked sent before the message leaves, in the transaction that sends it: a
    second run of the task (a retry, another worker) waits for that transaction and then
    finds the mark; a failed send rolls the mark back, so the retry sends it.
    """
    with transaction.atomic():
        claimed = MailOutbox.objects.filter(key=key, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
        if not claimed:
            return "already sent"
        _message(MailOutbox.objects.get(key=key)).send()
    return "sent"


# Failed tasks, for the secretariat


@dataclass
class TaskFailure:
    """A task that failed for good and has not been queued again."""

    result: DBTaskResult
    label: str
    subject: str

    @property
    def id(self):
        return self.result.id

    @property
    def attempts(self) -> int:
        return self.result.args_kwargs["kwargs"].get("attempt", 1)

    @property
    def error(self) -> str:
        """The last line of the traceback: the exception and its message."""
        lines = [line for line in self.result.traceback.splitlines() if line.strip()]
        return lines[-1] if lines else self.result.exception_class_path


def _secretariat_year_ids(user) -> set[int] | None:
    """The cluster years whose failures ``user`` sees; None for all (site admins)."""
    from members.models import ClusterYear, Membership
    from members.permissions import is_reviewer, is_site_admin

    if is_site_admin(user):
        return None
    if not user.is_authenticated or is_reviewer(user):
        return set()
    if not hasattr(user, "_secretariat_year_ids"):
        led = Q(pk__in=[])
        if user.department_id is not None:
            led = Q(
                memberships__department_id=user.department_id,
                memberships__role=Membership.Role.LEADER,
            )
        user._secretariat_year_ids = set(
            ClusterYear.objects.filter(led | Q(cluster__administrators=user)).values_list(
                "pk", flat=True
            )
        )
    return user._secretariat_year_ids


def can_see_task_failures(user, obj=None) -> bool:
    """The failed-task page: site admins, and the secretariat of at least one cluster year."""
    years = _secretariat_year_ids(user)
    return years is None or bool(years)


def _failures(user):
    years = _secretariat_year_ids(user)
    failures = (
        DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
        .exclude(exception_class_path=RETRY_SCHEDULED)
        .exclude(id__in=TaskRetry.objects.values("failed_task_id"))
    )
    if years is not None:
        failures = failures.filter(args_kwargs__kwargs__cluster_year_id__in=sorted(years))
    return failures.order_by("-finished_at")


def _subjects(results: list[DBTaskResult]) -> dict[str, str]:
    """What each failed task was about (the e-mail's subject and recipient), in one query."""
    keys = [r.args_kwargs["kwargs"].get("key") for r in results]
    rows = MailOutbox.objects.in_bulk([k for k in keys if k], field_name="key")
    subjects = {}
    for result, key in zip(results, keys, strict=True):
        row = rows.get(key)
        if row is not None:
            subjects[str(result.id)] = f"{row.subject} ({', '.join(row.to)})"
    return subjects


def task_failure_list(*, user) -> list[TaskFailure]:
    """Tasks that failed for good, of the cluster years ``user`` is secretariat of (all for
    site admins), newest first, not yet queued again. Two queries."""
    results = list(_failures(user)[:200])
    subjects = _subjects(results)
    return [
        TaskFailure(
            result=r,
            label=str(_TASK_LABELS.get(r.task_path, r.task_path)),
            subject=subjects.get(str(r.id), ""),
        )
        for r in results
    ]


def task_failure_get(*, user, pk) -> TaskFailure:
    """One failed task the user may retry; DBTaskResult.DoesNotExist otherwise."""
    try:
        result = _failures(user).get(pk=pk)
    except ValidationError as exc:  # not a UUID
        raise DBTaskResult.DoesNotExist from exc
    return TaskFailure(
        result=result,
        label=str(_TASK_LABELS.get(result.task_path, result.task_path)),
        subject=_subjects([result]).get(str(result.id), ""),
    )


def task_retry(*, failure: TaskFailure, by) -> TaskRetry:
    """Queue a failed task again, from its first attempt (the secretariat's retry button).

    For the secretariat of the task's cluster year and site admins (the caller has loaded
    ``failure`` with ``task_failure_get`` for ``by``). A task is retried this way once; a
    second click raises ValidationError (code ``already_retried``). Audited.
    """
    result = failure.result
    kwargs = {k: v for k, v in result.args_kwargs["kwargs"].items() if k != "attempt"}
    try:
        with transaction.atomic():
            # Now, not after the back-off of the attempt that failed.
            again = dataclasses.replace(result.task, run_after=None)
            new = again.enqueue(*result.args_kwargs["args"], **kwargs)
            retry = TaskRetry.objects.create(
                failed_task_id=result.id, retried_task_id=new.id, retried_by=by
            )
            audit_record(
                actor=by,
                action=TaskAction.RETRIED,
                target=retry,
                details={
                    "task": result.task_path,
                    "failed": str(result.id),
                    "queued": str(new.id),
                    "kwargs": kwargs,
                },
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("This task has already been queued again."), code="already_retried"
        ) from exc
    logger.info("Task %s (%s) queued again by %s as %s", result.task_path, result.id, by, new.id)
    return retry


def task_attention_items(*, user, cluster_years) -> dict[int, list]:
    """Dashboard items (registered with the members app): the background tasks of a year
    that failed for good, for its secretariat. One query whatever the number of years (and
    one, cached per user, for the years the user is secretariat of)."""
    from django.urls import reverse
    from django.utils.translation import ngettext

    from members.selectors import AttentionItem

    items: dict[int, list] = {cy.pk: [] for cy in cluster_years}
    years = _secretariat_year_ids(user)
    wanted = sorted(items if years is None else set(items) & years)
    if not wanted:
        return items
    counts: dict[int, int] = {}
    failures = _failures(user).filter(args_kwargs__kwargs__cluster_year_id__in=wanted)
    for args_kwargs in failures.values_list("args_kwargs", flat=True):
        pk = args_kwargs["kwargs"]["cluster_year_id"]
        counts[pk] = counts.get(pk, 0) + 1
    for pk, count in counts.items():
        items[pk].append(
            AttentionItem(
                ngettext(
                    "%(count)s background task failed: see the failed tasks",
                    "%(count)s background tasks failed: see the failed tasks",
                    count,
                )
                % {"count": count},
                reverse("task-failures"),
            )
        )
    return items
