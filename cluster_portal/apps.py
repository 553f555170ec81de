from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClusterPortalConfig(AppConfig):
    name = "cluster_portal"
    verbose_name = _("Cluster portal")

    def ready(self):
        from django.core import checks

        from cluster_portal.auth import connect_signals
        from cluster_portal.pdf_verify import check_trust_roots
        from cluster_portal.permissions import check_template_predicates, register_app_predicates
        from cluster_portal.tasks import task_attention_items
        from members.selectors import register_attention_provider

        checks.register(check_trust_roots)
        register_app_predicates()
        checks.register(check_template_predicates, checks.Tags.templates)
        connect_signals()
        # Failed background tasks on the secretariat's dashboard.
        register_attention_provider(task_attention_items)
