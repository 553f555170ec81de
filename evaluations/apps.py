from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Year-end evaluation")

    def ready(self):
        from cluster_portal.audit import register_actions, register_audit_scope
        from cluster_portal.reminders import register_reminder_job
        from evaluations import selectors
        from evaluations.audit import EvaluationAction
        from evaluations.models import Assessment, Evaluation
        from evaluations.services.phases import evaluation_reminders_job
        from members.selectors import (
            register_attention_provider,
            register_membership_fact_provider,
            register_year_link_provider,
        )

        register_actions(EvaluationAction)
        # Where events on evaluations and assessments belong, for the portal-wide audit log.
        register_audit_scope(
            Evaluation, cluster_year="cluster_year", cluster="cluster_year__cluster"
        )
        register_audit_scope(
            Assessment,
            cluster_year="evaluation__cluster_year",
            cluster="evaluation__cluster_year__cluster",
        )
        # The year pages and the dashboard link to the evaluation and its results.
        register_year_link_provider(selectors.evaluation_year_links)
        register_attention_provider(selectors.evaluation_attention_items)
        register_attention_provider(selectors.checking_attention_items)
        # The history pages show each year's published rank and total.
        register_membership_fact_provider(selectors.result_facts_for)
        register_reminder_job(evaluation_reminders_job)
