"""Background tasks of the award dossier: assembling the issued dossier (rendering,
numbering and sealing its documents, the manifest and the ZIP).

Declared with ``cluster_portal.tasks.portal_task`` (idempotent, retried with back-off, a
final failure shown to the secretariat of ``cluster_year_id``).
"""

from django.utils.translation import gettext_lazy as _

from cluster_portal.tasks import portal_task
from dossiers.services.issuing import dossier_assemble_run


@portal_task(_("Issue the award dossier (documents, manifest and ZIP)"))
def dossier_assemble(*, dossier_id: int, by_id: int, cluster_year_id: int | None = None) -> str:
    """Issue the dossier once (a dossier already issued is left as it is). Returns the
    SHA-256 of its ZIP."""
    return dossier_assemble_run(dossier_id=dossier_id, by_id=by_id).archive_sha256
