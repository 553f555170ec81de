from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from members.selectors import register_attention_provider
        from reports.attention import warning_attention_items

        # Ministry reviewers' to-do: clusters with warnings.
        register_attention_provider(warning_attention_items)
