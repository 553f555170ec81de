"""Pieces shared by the evaluation pages."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.views import FormPageMixin
from evaluations import permissions, selectors


def evaluation_url(evaluation, name: str, **extra) -> str:
    """The URL of the evaluation page ``name`` (e.g. ``"table-detail"``)."""
    cluster_year = evaluation.cluster_year
    return reverse(
        f"evaluations:{name}",
        kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year, **extra},
    )


class EvaluationMixin(ObjectPermissionMixin):
    """The evaluation of the cluster year named by the URL; 404 for a user who may not see
    the year. Pages that change something set ``permission`` (403 for a user who sees it)."""

    view_permission = staticmethod(permissions.can_view_evaluation)
    permission = staticmethod(permissions.can_view_evaluation)

    def load_object(self):
        return selectors.evaluation_get(code=self.kwargs["code"], year=self.kwargs["year"])

    @property
    def evaluation(self):
        return self.get_object()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation = self.get_object()
        context["evaluation"] = evaluation
        context["cluster_year"] = evaluation.cluster_year
        context["cluster"] = evaluation.cluster_year.cluster
        return context

    def crumbs(self, *extra):
        """Breadcrumbs: the cluster year, the evaluation, then ``extra`` (label, url) pairs."""
        evaluation = self.get_object()
        cluster_year = evaluation.cluster_year
        return [
            (f"{cluster_year.cluster.name} – {cluster_year.year}", cluster_year.get_absolute_url()),
            (_("Year-end evaluation"), evaluation.get_absolute_url()),
            *extra,
        ]


class EvaluationFormPageMixin(FormPageMixin):
    """A one-form page of the evaluation: breadcrumbs to the hub, cancel back to it."""

    def get_cancel_url(self):
        return self.get_object().get_absolute_url()

    def get_breadcrumbs(self):
        return self.crumbs()


class TableEditMixin(EvaluationMixin):
    """Pages that change the table: the secretariat (403 for others who see it); once the
    table is adopted they send back to the read-only table with the reason."""

    permission = staticmethod(permissions.can_manage_evaluation)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            evaluation = self.get_object()
            if (
                permissions.can_view_evaluation(request.user, evaluation)
                and permissions.can_manage_evaluation(request.user, evaluation)
                and evaluation.table_is_frozen
            ):
                messages.error(
                    request, _("The criteria table has been adopted: it can no longer be changed.")
                )
                return redirect(evaluation_url(evaluation, "table-detail"))
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return evaluation_url(self.get_object(), "table-detail")

    def get_breadcrumbs(self):
        return self.crumbs((_("Criteria table"), evaluation_url(self.get_object(), "table-detail")))
