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

        # The panels of the ballot page: the count (C) and next year's leadership (L). The
        # hook lives with the ballot page (S).
        try:
            from ballots.selectors.setup import register_detail_context
        except ImportError:
            register_detail_context = None
        if register_detail_context is not None:
            from ballots.selectors.counting import count_detail_context
            from ballots.selectors.leadership import leadership_context_for

            register_detail_context(count_detail_context)
            register_detail_context(leadership_context_for)
