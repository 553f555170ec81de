from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Award dossiers")

    def ready(self):
        from cluster_portal.audit import register_actions, register_audit_scope
        from dossiers.audit import DossierAction
        from dossiers.models import Dossier

        register_actions(DossierAction)
        register_audit_scope(Dossier, cluster_year="cluster_year", cluster="cluster_year__cluster")

        from dossiers.selectors.dossiers import dossier_year_links
        from members.selectors import register_year_link_provider

        register_year_link_provider(dossier_year_links)
