from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Year-end evaluation")

    def ready(self):
        from cluster_portal.audit import register_actions
        from evaluations.audit import EvaluationAction

        register_actions(EvaluationAction)

        from evaluations.selectors.results import result_facts_for, results_year_links
        from members.selectors import (
            register_membership_fact_provider,
            register_year_link_provider,
        )

        # The history pages show each year's published rank and total; the dashboard and
        # the year pages link to the results.
        register_membership_fact_provider(result_facts_for)
        register_year_link_provider(results_year_links)
