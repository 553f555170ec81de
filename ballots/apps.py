from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "ballots"
    verbose_name = _("Ballots")

    def ready(self):
        from ballots.audit import BallotAction
        from ballots.models import Ballot
        from ballots.selectors.counting import count_detail_context
        from ballots.selectors.leadership import leadership_context_for
        from ballots.selectors.setup import ballot_year_links, register_detail_context
        from ballots.selectors.voting import ballot_attention_items, vote_detail_context
        from cluster_portal.audit import register_actions, register_audit_scope
        from members.selectors import register_attention_provider, register_year_link_provider

        register_actions(BallotAction)
        register_audit_scope(Ballot, cluster_year="cluster_year", cluster="cluster_year__cluster")
        # The year pages link to the year's ballots; signatories find "vote" in their to-do.
        register_year_link_provider(ballot_year_links)
        register_attention_provider(ballot_attention_items)
        # The panels of the ballot page, in page order: the vote, the count, next year's
        # leadership.
        register_detail_context(vote_detail_context)
        register_detail_context(count_detail_context)
        register_detail_context(leadership_context_for)
