from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from agreements.models import Covenant, Signature
        from cluster_portal.cache import register_versioned_models
        from members.models import Cluster, ClusterYear, Department, Membership, User
        from plans.models import Activity, WorkPlan

        # What the cached overview reads (reports.selectors.overview): any change to these,
        # through a service or around them (the admin), gives it a new cache key.
        register_versioned_models(
            Cluster,
            ClusterYear,
            Membership,
            Department,
            Covenant,
            Signature,
            WorkPlan,
            Activity,
            User,  # roles and departments decide whose clusters a user sees
            User.administered_clusters.through,
            ignore_fields={User: {"last_login", "password"}},
        )

        from members.selectors import register_attention_provider
        from reports.attention import warning_attention_items

        # Ministry reviewers' to-do: clusters with warnings.
        register_attention_provider(warning_attention_items)
