"""Background tasks of the ballots: counting a closed ballot, issuing its vote record.

Declared with ``cluster_portal.tasks.portal_task`` (idempotent, retried with back-off, a
final failure shown to the secretariat of ``cluster_year_id``). Closing a ballot queues
the count; the count queues the record.
"""

from django.utils.translation import gettext_lazy as _

from ballots.services.counting import ballot_count, vote_record_issue
from cluster_portal.tasks import portal_task


@portal_task(_("Count a closed ballot"))
def ballot_count_run(*, ballot_id: int, cluster_year_id: int | None = None) -> str:
    """Count the ballot (once: a counted ballot stays as it is). Returns its state."""
    return ballot_count(ballot_id=ballot_id).state


@portal_task(_("Issue the vote record of a counted ballot"))
def vote_record_run(*, ballot_id: int, cluster_year_id: int | None = None) -> str:
    """Render, number and seal the vote record (once). Returns its number."""
    return vote_record_issue(ballot_id=ballot_id).number
