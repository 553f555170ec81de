"""The daily reminders of every app, sent by one task (``agreements.tasks.reminders_send``,
queued by ``manage.py send_reminders``).

Apps further down the dependency line register their own reminder job here in their
``AppConfig.ready()`` (the pattern of ``members.selectors.register_year_link_provider``), so
the task needs no import of them. A job is called with no arguments and yields
``(label, number sent)`` pairs; it must send at most one reminder
per recipient per day however often it runs.
"""

from collections.abc import Callable, Iterable

ReminderJob = Callable[[], Iterable[tuple[str, int]]]

_jobs: list[ReminderJob] = []


def register_reminder_job(job: ReminderJob) -> ReminderJob:
    if job not in _jobs:
        _jobs.append(job)
    return job


def reminder_jobs() -> list[ReminderJob]:
    return list(_jobs)
