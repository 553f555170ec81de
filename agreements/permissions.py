"""Who may see and do what with covenants: one predicate per rule.

Signing rights come from the user (a signatory) and the year (their department is a
member of that cluster year); managing rights from the year's secretariat (members app).
Reviewers read everything and change nothing.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Covenant
from members import permissions as member_permissions


def can_view_covenant(user, covenant: Covenant) -> bool:
    """Whoever may see the cluster year: its members, reviewers, admins."""
    return member_permissions.can_view_cluster_year(user, covenant.cluster_year)


def can_create_covenant(user, cluster_year) -> bool:
    """The year's secretariat, while the year has no covenant."""
    return member_permissions.can_manage_cluster_year(user, cluster_year) and not hasattr(
        cluster_year, "covenant"
    )


def can_edit_covenant(user, covenant: Covenant) -> bool:
    """The secretariat edits the text, and only while it is a draft."""
    return covenant.state == Covenant.State.DRAFT and member_permissions.can_manage_cluster_year(
        user, covenant.cluster_year
    )


def can_open_covenant(user, covenant: Covenant) -> bool:
    """Opening for signing: the secretariat, from a draft."""
    return can_edit_covenant(user, covenant)


def can_revise_covenant(user, covenant: Covenant) -> bool:
    """A new version after opening (voids the signatures): the secretariat, while open."""
    return covenant.state == Covenant.State.OPEN and member_permissions.can_manage_cluster_year(
        user, covenant.cluster_year
    )


def can_manage_signing(user, covenant: Covenant) -> bool:
    """Reminders and paper originals: the secretariat, while open for signing."""
    return can_revise_covenant(user, covenant)


def _paper_recorder_ids(cluster) -> set[int]:
    if not hasattr(cluster, "_paper_recorder_ids"):
        cluster._paper_recorder_ids = set(cluster.paper_recorders.values_list("id", flat=True))
    return cluster._paper_recorder_ids


def is_paper_recorder(user, covenant: Covenant) -> bool:
    """Whom the cluster allows to record paper originals (``Cluster.paper_recorders``);
    when it lists nobody, the signatories of the year's leader department."""
    if not user.is_authenticated or not user.is_active:
        return False
    listed = _paper_recorder_ids(covenant.cluster_year.cluster)
    if listed:
        return user.pk in listed
    return user.is_signatory and user.department_id == leader_department_id(covenant)


def paper_recording_refusal(user, covenant: Covenant):
    """Why ``user`` may not record a paper original now, as ``(code, message)``; None if
    they may. For users who may manage signing (see ``can_manage_signing``)."""
    if not is_paper_recorder(user, covenant):
        return "not_paper_recorder", _(
            "Only the people the cluster allows (by default the signatories of the leader "
            "department) may record a paper original."
        )
    if covenant.deadline and timezone.now() > covenant.deadline:
        return "deadline_passed", _(
            "The signing deadline has passed: a paper original can no longer be recorded."
        )
    return None


def can_record_paper_original(user, covenant: Covenant) -> bool:
    """Recording a paper original: the secretariat while open for signing and before the
    deadline, and only the people the cluster allows to (``is_paper_recorder``)."""
    return can_manage_signing(user, covenant) and paper_recording_refusal(user, covenant) is None


def can_see_quarantined_scans(user, covenant: Covenant) -> bool:
    """Scans moved out of reach after failing the file check: the year's secretariat and
    site admins, who must ask the departments for new scans."""
    return member_permissions.is_site_admin(user) or member_permissions.is_secretariat(
        user, covenant.cluster_year
    )


def can_close_covenant(user, covenant: Covenant) -> bool:
    """Closing a fully signed covenant: the secretariat."""
    return covenant.state == Covenant.State.SIGNED and member_permissions.can_manage_cluster_year(
        user, covenant.cluster_year
    )


def member_department_ids(covenant: Covenant) -> set[int]:
    return {m.department_id for m in covenant.cluster_year.memberships.all()}


def leader_department_id(covenant: Covenant) -> int | None:
    leader = covenant.cluster_year.leader
    return leader.department_id if leader else None


def signing_refusal(user, covenant: Covenant, *, responded_ids=None):
    """Why ``user`` may not sign ``covenant`` now, as ``(code, message)``; None if they may.

    ``responded_ids`` are the departments with a current response, when the caller has
    them already (the services pass them under the row lock).
    """
    if not user.is_authenticated or not user.is_active or not user.is_signatory:
        return "not_signatory", _("Only a signatory of a member department can sign.")
    if user.department_id not in member_department_ids(covenant):
        return "not_member", _("Your department is not a member of the cluster this year.")
    if covenant.state != Covenant.State.OPEN:
        return "not_open", _("The covenant is not open for signing.")
    if covenant.deadline and timezone.now() > covenant.deadline:
        return "deadline_passed", _("The signing deadline has passed.")
    if responded_ids is None:
        responded_ids = set(
            covenant.signatures.filter(voided_at__isnull=True).values_list(
                "department_id", flat=True
            )
        )
    if user.department_id in responded_ids:
        return "already_signed", _("Your department has already responded to this covenant.")
    if covenant.leader_signs_last and user.department_id == leader_department_id(covenant):
        others = member_department_ids(covenant) - {user.department_id}
        if not others <= responded_ids:
            return "leader_last", _("The leader signs last, after every other member.")
    return None


def can_sign(user, covenant: Covenant) -> bool:
    """A signatory of a member department that has not responded, while open."""
    return signing_refusal(user, covenant) is None
