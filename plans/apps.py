from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Plans")

    def ready(self):
        from cluster_portal.audit import register_actions
        from members.selectors import register_attention_provider, register_year_link_provider
        from members.services import register_membership_guard, register_year_start_copy
        from plans import selectors
        from plans import services as plans_services
        from plans.attention import charter_attention_items
        from plans.audit import PlanAction

        register_actions(PlanAction)
        _register_audit_scopes()
        register_year_link_provider(selectors.plan_year_links)
        register_attention_provider(selectors.plan_attention_items)
        register_attention_provider(charter_attention_items)
        register_membership_guard(plans_services.membership_guard)
        register_year_start_copy(
            "work_plan",
            _("Copy last year's work plan and its activities as a draft"),
            plans_services.work_plan_copy_to_new_year,
        )


def _register_audit_scopes():
    """Where events on the plans app's objects belong, for the portal-wide audit log."""
    from cluster_portal.audit import register_audit_scope
    from plans.models import (
        Activity,
        CharterComment,
        CharterVersion,
        LegalReference,
        NewsPost,
        WorkPlan,
    )

    register_audit_scope(CharterVersion, cluster_year="cluster_year", cluster="cluster")
    register_audit_scope(
        CharterComment,
        cluster_year="article__version__cluster_year",
        cluster="article__version__cluster",
    )
    register_audit_scope(WorkPlan, cluster_year="cluster_year", cluster="cluster_year__cluster")
    register_audit_scope(
        Activity,
        cluster_year="work_plan__cluster_year",
        cluster="work_plan__cluster_year__cluster",
    )
    register_audit_scope(NewsPost, cluster_year="cluster_year", cluster="cluster_year__cluster")
    # A site-wide reference (no cluster) belongs to no cluster: only the unscoped log shows it.
    register_audit_scope(LegalReference, cluster="cluster")
