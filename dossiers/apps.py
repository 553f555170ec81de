from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Award dossiers")

    def ready(self):
        from cluster_portal.audit import register_actions, register_audit_scope
        from dossiers.audit import DossierAction
        from dossiers.models import Dossier
        from dossiers.selectors.dossiers import dossier_year_links
        from dossiers.selectors.ministry import decision_facts_for
        from members.selectors import (
            register_membership_fact_provider,
            register_year_link_provider,
        )

        register_actions(DossierAction)
        register_audit_scope(Dossier, cluster_year="cluster_year", cluster="cluster_year__cluster")
        # The year pages link to the year's dossier.
        register_year_link_provider(dossier_year_links)
        # The history pages show the Ministry council's decisions on each year's proposals.
        register_membership_fact_provider(decision_facts_for)
