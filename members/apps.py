from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members and clusters")

    def ready(self):
        from cluster_portal.audit import register_actions, register_audit_scope
        from members.audit import MembersAction
        from members.models import Cluster, ClusterYear, Membership

        register_actions(MembersAction)
        # Where events on these objects belong, for the portal-wide audit log.
        register_audit_scope(Cluster, cluster="")
        register_audit_scope(ClusterYear, cluster_year="", cluster="cluster")
        register_audit_scope(
            Membership, cluster_year="cluster_year", cluster="cluster_year__cluster"
        )
