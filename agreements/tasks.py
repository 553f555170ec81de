"""Background tasks of the covenant: issuing its final PDF, and the daily reminders.

Declared with ``cluster_portal.tasks.portal_task`` (idempotent, retried with back-off, a
final failure shown to the secretariat of ``cluster_year_id``).
"""

from django.utils.translation import gettext_lazy as _

from agreements.models import Covenant
from agreements.services import covenant_issue_document, covenant_send_reminders
from cluster_portal.reminders import reminder_jobs
from cluster_portal.tasks import portal_task


@portal_task(_("Issue the sealed PDF of the covenant"))
def covenant_issue(*, covenant_id: int, cluster_year_id: int | None = None) -> str:
    """Render, seal and store the final PDF of a fully signed covenant (once: a covenant
    that has its document keeps it). Returns the document's identifier."""
    covenant = Covenant.objects.select_related("cluster_year__cluster").get(pk=covenant_id)
    return str(covenant_issue_document(covenant=covenant).identifier)


@portal_task(_("Send the daily reminders"))
def reminders_send(*, cluster_year_id: int | None = None) -> int:
    """Remind the pending signatories of every open covenant, then run the reminder jobs
    other apps register (``cluster_portal.reminders``); each sends at most one reminder per
    recipient per day, so a second run the same day sends nothing. Returns how many."""
    total = 0
    for covenant in Covenant.objects.filter(state=Covenant.State.OPEN).select_related(
        "cluster_year__cluster"
    ):
        total += covenant_send_reminders(covenant=covenant, by=None)
    for job in reminder_jobs():
        total += sum(sent for _label, sent in job())
    return total
