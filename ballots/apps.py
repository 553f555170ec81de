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
        # L: next year's leadership on the ballot page (the hook is the ballot setup's).
        try:
            from ballots.selectors.setup import register_detail_context
        except ImportError:  # pragma: no cover (the ballot pages are merged separately)
            register_detail_context = None
        if register_detail_context is not None:
            from ballots.selectors.leadership import leadership_context_for

            register_detail_context(leadership_context_for)
