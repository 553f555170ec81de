"""Pieces shared by the plans pages."""

from django.contrib.auth.views import redirect_to_login
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _

from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.uploads import max_upload_size
from cluster_portal.views import FormPageMixin as SharedFormPageMixin
from members.views import ClusterYearMixin
from plans import permissions
from plans.models import WorkPlan


class PublicObjectPermissionMixin(ObjectPermissionMixin):
    """For pages open without logging in: the predicate is checked for anonymous visitors
    too, and a visitor it refuses is sent to the login page (a member may see more)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated and not type(self).permission(
            request.user, self.get_permission_object()
        ):
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


class FormPageMixin(SharedFormPageMixin):
    """The shared one-form page with the plans head and breadcrumbs (``plans/form.html``)."""

    template_name = "plans/form.html"


def _plan_crumbs(work_plan: WorkPlan):
    cluster_year = work_plan.cluster_year
    return [
        (_("Plans"), reverse("plans:index")),
        (f"{cluster_year.cluster.name} – {cluster_year.year}", work_plan.get_absolute_url()),
    ]


class ClusterYearObjectMixin(ClusterYearMixin):
    """The cluster year named by the URL (the members loader), for pages that create a
    plan or a news post in it."""

    permission = staticmethod(permissions.can_create_work_plan)


def _filesize_limit() -> str:
    return filesizeformat(max_upload_size())
