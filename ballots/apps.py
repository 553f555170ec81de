from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "ballots"
    verbose_name = _("Ballots")

    def ready(self):
        from ballots.audit import BallotAction
        from ballots.models import Ballot
        from cluster_portal.audit import register_actions, register_audit_scope

        register_actions(BallotAction)
        register_audit_scope(Ballot, cluster_year="cluster_year", cluster="cluster_year__cluster")

        from ballots.selectors import voting as voting_selectors
        from members.selectors import register_attention_provider

        register_attention_provider(voting_selectors.ballot_attention_items)
        try:
            from ballots.selectors.setup import register_detail_context
        except ImportError:  # the ballot page (part S) is merged separately
            pass
        else:
            register_detail_context(voting_selectors.vote_detail_context)
