from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Covenants")

    def ready(self):
        from agreements import selectors
        from members.selectors import register_attention_provider, register_year_link_provider

        register_attention_provider(selectors.covenant_attention_items)
        register_year_link_provider(selectors.covenant_year_links)
