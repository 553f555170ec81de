"""The hub of a year's evaluation, and starting one."""

from django import forms
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from cluster_portal.views import FormPageMixin, ServiceFormMixin
from evaluations import selectors, services
from evaluations.models import Evaluation
from evaluations.views.base import EvaluationMixin
from members import permissions as member_permissions
from members.views import ClusterYearMixin


class EvaluationStartView(ClusterYearMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Start the year's evaluation, in draft with an empty table (secretariat)."""

    permission = staticmethod(member_permissions.can_manage_cluster_year)
    template_name = "confirm_page.html"
    form_class = forms.Form
    submit_label = gettext_lazy("Start the evaluation")
    success_message = gettext_lazy("The year-end evaluation has been started.")
    intro = gettext_lazy(
        "The evaluation starts in draft: prepare the criteria table (or copy last year's), "
        "adopt it, set the deadline, then open self-assessment to the members."
    )

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            cluster_year = self.get_object()
            existing = Evaluation.objects.filter(cluster_year=cluster_year).first()
            if existing is not None and member_permissions.can_view_cluster_year(
                request.user, cluster_year
            ):
                return redirect(existing.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Start the year-end evaluation %(year)s") % {"year": self.get_object().year}

    def get_cancel_url(self):
        return self.get_object().get_absolute_url()

    def get_breadcrumbs(self):
        cluster_year = self.get_object()
        return [
            (f"{cluster_year.cluster.name} – {cluster_year.year}", cluster_year.get_absolute_url())
        ]

    def perform(self, form):
        return services.evaluation_create(cluster_year=self.get_object(), by=self.request.user)


class EvaluationDetailView(EvaluationMixin, TemplateView):
    """The hub: phase, dates, checking method, the table at a glance, the members'
    assessments (all of them for the secretariat and reviewers, one's own for members) and
    links to the table, the assessments, the checking and the results."""

    template_name = "evaluations/evaluation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation = self.get_object()
        user = self.request.user
        rows = selectors.table_rows(evaluation=evaluation)
        context["summary"] = selectors.table_summary(rows=rows)
        assessments = selectors.assessments_visible(evaluation=evaluation, user=user)
        context["assessments"] = assessments
        context["own_assessment"] = next(
            (a for a in assessments if a.membership.department_id == user.department_id), None
        )
        context["sees_all_assessments"] = (
            member_permissions.is_site_admin(user)
            or member_permissions.is_reviewer(user)
            or member_permissions.is_secretariat(user, evaluation.cluster_year)
        )
        context["submitted"] = sum(1 for a in assessments if a.state != a.State.DRAFT)
        context["phases"] = Evaluation.Phase
        return context
