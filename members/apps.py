from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members and clusters")

    def ready(self):
        from cluster_portal.audit import register_actions
        from members.audit import MembersAction

        register_actions(MembersAction)
