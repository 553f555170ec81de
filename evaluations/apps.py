from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Year-end evaluation")

    def ready(self):
        from cluster_portal.audit import register_actions
        from cluster_portal.reminders import register_reminder_job
        from evaluations import selectors
        from evaluations.audit import EvaluationAction
        from evaluations.services.phases import evaluation_reminders_job
        from members.selectors import (
            register_attention_provider,
            register_membership_fact_provider,
            register_year_link_provider,
        )

        register_actions(EvaluationAction)
        # The year pages and the dashboard link to the evaluation and its results.
        register_year_link_provider(selectors.evaluation_year_links)
        register_attention_provider(selectors.evaluation_attention_items)
        register_attention_provider(selectors.checking_attention_items)
        # The history pages show each year's published rank and total.
        register_membership_fact_provider(selectors.result_facts_for)
        register_reminder_job(evaluation_reminders_job)
