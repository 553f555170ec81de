"""Writes for legal references."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cluster_portal import uploads
from cluster_portal.audit import audit_record
from members.permissions import is_site_admin
from plans import permissions, selectors
from plans.audit import PlanAction
from plans.models import LegalReference
from plans.services.common import _field_error, _require

# Legal references


def _save_legal_reference(reference: LegalReference, upload) -> None:
    if upload is not None:
        try:
            kind, _original_name = uploads.prepare_upload(upload, accepted=uploads.DOCUMENT_KINDS)
        except ValidationError as error:
            raise ValidationError({"file": error}) from error
        reference.file = upload
        reference.content_type = kind.content_type
    reference.full_clean()
    reference.save()


def _reference_owner(by, cluster):
    """The cluster a new reference belongs to: the one given, else the creator's own (site-wide
    for a site admin)."""
    if cluster is not None or is_site_admin(by):
        return cluster
    clusters = list(selectors.legal_reference_owner_list(user=by))
    if len(clusters) != 1:
        raise _field_error(
            "cluster", _("Choose the cluster the reference belongs to."), "cluster_required"
        )
    return clusters[0]


@transaction.atomic
def legal_reference_create(
    *,
    kind: str,
    number: str = "",
    issued_on: datetime.date | None = None,
    issuer: str = "",
    title: str = "",
    upload=None,
    cluster=None,
    corrects: LegalReference | None = None,
    by,
) -> LegalReference:
    """Add a document that plans and covenants cite, with an optional file (PDF, image,
    Word or Excel).

    It belongs to ``cluster``, by default the creator's own (the cluster whose open year
    they lead; code ``cluster_required`` if they lead several) or, for a site admin,
    nobody's (site-wide). For that cluster's secretariat and site admins; site-wide ones
    for site admins only (``PermissionDenied``). ``corrects`` is the frozen reference this
    one corrects. Raises ``ValidationError`` for a duplicate number or a refused file."""
    _require(permissions.can_manage_legal_references(by))
    cluster = _reference_owner(by, cluster)
    _require(permissions.can_create_legal_reference(by, cluster))
    if corrects is not None:
        _require(permissions.can_view_legal_reference(by, corrects))
    reference = LegalReference(
        kind=kind,
        number=number,
        issued_on=issued_on,
        issuer=issuer,
        title=title,
        cluster=cluster,
        corrects=corrects,
    )
    _save_legal_reference(reference, upload)
    audit_record(
        actor=by,
        action=PlanAction.LEGAL_REFERENCE_CREATED,
        target=reference,
        details={
            "cluster": cluster.code if cluster else None,
            "corrects": corrects.pk if corrects else None,
        },
    )
    return reference


@transaction.atomic
def legal_reference_update(
    *,
    reference: LegalReference,
    kind: str,
    number: str = "",
    issued_on: datetime.date | None = None,
    issuer: str = "",
    title: str = "",
    upload=None,
    by,
) -> LegalReference:
    """Correct a legal reference; a new file replaces the old one.

    A site-wide reference: site admins only; a cluster's: its secretariat and site admins
    (``PermissionDenied``). Once a closed year or a covenant version opened for signing
    cites it, nobody changes it (code ``frozen``): a correction is a new reference."""
    _require(permissions.can_edit_legal_reference(by, reference))
    reference = LegalReference.objects.select_for_update().get(pk=reference.pk)
    if selectors.legal_reference_is_frozen(reference=reference):
        raise ValidationError(
            _(
                "A closed year or a signed covenant version cites this reference, so it "
                "cannot change: create a new reference instead (a corrected copy)."
            ),
            code="frozen",
        )
    before = reference.citation
    reference.kind, reference.number, reference.issued_on = kind, number, issued_on
    reference.issuer, reference.title = issuer, title
    _save_legal_reference(reference, upload)
    audit_record(
        actor=by,
        action=PlanAction.LEGAL_REFERENCE_UPDATED,
        target=reference,
        details={"before": before, "after": reference.citation, "new_file": upload is not None},
    )
    return reference


def check_citable(*, cluster, references, field: str) -> None:
    """Refuse (code ``other_cluster_reference``) references a cluster may not cite: only its
    own and the site-wide ones. For the services that set legal bases (plans, covenants)."""
    if any(not permissions.can_cite_legal_reference(cluster, r) for r in references):
        raise _field_error(
            field,
            _("Cite only this cluster's legal references or site-wide ones."),
            "other_cluster_reference",
        )
