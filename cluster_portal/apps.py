from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClusterPortalConfig(AppConfig):
    name = "cluster_portal"
    verbose_name = _("Cluster portal")

    def ready(self):
        from cluster_portal.auth import connect_signals

        connect_signals()
