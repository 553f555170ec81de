from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Year-end evaluation")

    def ready(self):
        from cluster_portal.audit import register_actions
        from evaluations.audit import EvaluationAction

        register_actions(EvaluationAction)

        from evaluations.selectors.checking import checking_attention_items
        from members.selectors import register_attention_provider

        register_attention_provider(checking_attention_items)
