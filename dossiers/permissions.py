"""Who may see and do what with award dossiers and decisions: one predicate per rule.

* Whoever may see the cluster year sees its dossiers once issued; the secretariat sees
  and edits its draft. Reviewers see every issued dossier of every cluster.
* The secretariat assembles, issues, sends and resubmits.
* Reviewers return a sent dossier and record the Ministry council's decisions only with the
  ``dossiers.record_award_decision`` permission (granted to named reviewer accounts); that
  is the one place reviewers write.
"""

from dossiers.models import Dossier
from members import permissions as member_permissions


def can_view_dossier(user, dossier: Dossier) -> bool:
    """A draft: the secretariat and admins. Issued: whoever sees the year."""
    if dossier.state == Dossier.State.DRAFT:
        return member_permissions.is_site_admin(user) or member_permissions.is_secretariat(
            user, dossier.cluster_year
        )
    return member_permissions.can_view_cluster_year(user, dossier.cluster_year)


def can_manage_dossier(user, dossier: Dossier) -> bool:
    """Assemble, issue, send, start a new version: the year's secretariat or a site admin."""
    return member_permissions.can_manage_cluster_year(user, dossier.cluster_year)


def can_record_award_decisions(user) -> bool:
    """Record the Ministry council's decisions and return dossiers: reviewers holding the
    ``dossiers.record_award_decision`` permission (and site admins)."""
    if not user.is_authenticated:
        return False
    if member_permissions.is_site_admin(user):
        return True
    return member_permissions.is_reviewer(user) and user.has_perm("dossiers.record_award_decision")


def can_view_ministry_table(user) -> bool:
    """The Ministry's year table across clusters: reviewers and site admins."""
    return member_permissions.is_site_admin(user) or member_permissions.is_reviewer(user)


def can_start_dossier(user, cluster_year) -> bool:
    """Start the year's award dossier: the year's secretariat or a site admin."""
    return member_permissions.can_manage_cluster_year(user, cluster_year)


def can_return_dossier(user, dossier: Dossier) -> bool:
    """Return a dossier to the cluster with a reason: the Ministry, i.e. reviewers holding
    ``dossiers.record_award_decision`` (and site admins); never the secretariat."""
    return can_record_award_decisions(user)
