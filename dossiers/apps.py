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

        from dossiers.selectors.ministry import decision_facts_for
        from members.selectors import register_membership_fact_provider

        # The history pages show the Ministry council's decisions on each year's proposals.
        register_membership_fact_provider(decision_facts_for)
