from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Covenants")

    def ready(self):
        from agreements import selectors
        from agreements import services as agreements_services
        from agreements.audit import AgreementAction
        from agreements.models import Covenant
        from cluster_portal.audit import register_actions, register_audit_scope
        from members.selectors import register_attention_provider, register_year_link_provider
        from members.services import (
            register_membership_guard,
            register_membership_listener,
            register_year_start_copy,
        )
        from plans.selectors import register_legal_reference_freezer

        register_actions(AgreementAction)
        register_audit_scope(Covenant, cluster_year="cluster_year", cluster="cluster_year__cluster")
        register_attention_provider(selectors.covenant_attention_items)
        register_year_link_provider(selectors.covenant_year_links)
        register_membership_guard(agreements_services.membership_guard)
        register_membership_listener(agreements_services.membership_added)
        register_year_start_copy(
            "covenant",
            _("Copy last year's covenant text as a draft"),
            agreements_services.covenant_copy_to_new_year,
        )
        register_legal_reference_freezer(selectors.covenant_freezes_legal_reference)
