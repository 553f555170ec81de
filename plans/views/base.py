"""Pieces shared by the plans pages."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.uploads import max_upload_size
from members.permissions import can_view_cluster_year
from plans import permissions, selectors
from plans.models import WorkPlan


class _ObjectFromLoader:
    """The end of the ``get_object()`` chain: ``load_object()``; a missing object is 404."""

    def get_object(self, queryset=None):
        try:
            return self.load_object()
        except ObjectDoesNotExist as exc:
            raise Http404 from exc


class ObjectLoadingMixin(ObjectPermissionMixin, _ObjectFromLoader):
    """``ObjectPermissionMixin`` for a view that loads its object from the URL with a
    selector: the view overrides ``load_object()``, never ``get_object()``, and
    ``ObjectPermissionMixin`` keeps the object for the rest of the request.

    The same hook is being added to ``ObjectPermissionMixin`` itself (``cluster_portal``);
    once it is there this class is that mixin and the views keep their ``load_object()``.
    """

    def load_object(self):
        raise NotImplementedError


class PublicObjectPermissionMixin(ObjectLoadingMixin):
    """For pages open without logging in: the predicate is checked for anonymous visitors
    too, and a visitor it refuses is sent to the login page (a member may see more)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated and not type(self).permission(
            request.user, self.get_permission_object()
        ):
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


class FormPageMixin:
    """Context for the shared one-form page ``plans/form.html``."""

    template_name = "plans/form.html"
    page_title = ""
    intro = ""
    submit_label = gettext_lazy("Save")
    multipart = False

    def get_page_title(self):
        return self.page_title

    def get_cancel_url(self):
        return None

    def get_breadcrumbs(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=self.get_page_title(),
            intro=self.intro,
            submit_label=self.submit_label,
            multipart=self.multipart,
            cancel_url=self.get_cancel_url(),
            breadcrumbs=self.get_breadcrumbs(),
        )
        return context


def _plan_crumbs(work_plan: WorkPlan):
    cluster_year = work_plan.cluster_year
    return [
        (_("Plans"), reverse("plans:index")),
        (f"{cluster_year.cluster.name} – {cluster_year.year}", work_plan.get_absolute_url()),
    ]


class ClusterYearObjectMixin(ObjectLoadingMixin):
    """The cluster year named by the URL, with its memberships."""

    view_permission = staticmethod(can_view_cluster_year)
    permission = staticmethod(permissions.can_create_work_plan)

    def load_object(self):
        return selectors.cluster_year_get(code=self.kwargs["code"], year=self.kwargs["year"])


def _filesize_limit() -> str:
    return filesizeformat(max_upload_size())


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response
