"""Pages of the evaluation's phases and dates (secretariat): the deadlines, opening
self-assessment, moving to checking, and a department's extension."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from cluster_portal.views import ServiceFormMixin
from evaluations import permissions, selectors, services
from evaluations.forms import DeadlineExtendForm, EvaluationDatesForm
from evaluations.models import Assessment
from evaluations.views.base import EvaluationFormPageMixin, EvaluationMixin
from evaluations.views.table import ConfirmPageMixin


class ManageMixin(EvaluationMixin):
    """Pages that run the evaluation: the secretariat (403 for others who see it)."""

    permission = staticmethod(permissions.can_manage_evaluation)


class EvaluationDatesView(ManageMixin, EvaluationFormPageMixin, ServiceFormMixin, FormView):
    """Set the self-assessment deadline, the checking deadline and the publication date."""

    form_class = EvaluationDatesForm
    success_message = gettext_lazy("The dates have been saved.")
    intro = gettext_lazy("Times are in Vietnam time (GMT+7).")

    def get_page_title(self):
        return _("Dates of the evaluation")

    def get_initial(self):
        evaluation = self.evaluation
        return {
            "self_assessment_deadline": evaluation.self_assessment_deadline
            and timezone.localtime(evaluation.self_assessment_deadline),
            "checking_deadline": evaluation.checking_deadline
            and timezone.localtime(evaluation.checking_deadline),
            "publication_date": evaluation.publication_date,
        }

    def perform(self, form):
        services.evaluation_dates_set(
            evaluation=self.evaluation, by=self.request.user, **form.cleaned_data
        )
        return self.evaluation.get_absolute_url()


class OpenSelfAssessmentView(ManageMixin, ConfirmPageMixin, FormView):
    """Open self-assessment after confirmation: every member gets its assessment."""

    submit_label = gettext_lazy("Open self-assessment")
    success_message = gettext_lazy(
        "Self-assessment is open: every member has its assessment and has been told by e-mail."
    )
    intro = gettext_lazy(
        "Every member department gets its self-assessment form and an e-mail with the "
        "deadline. The criteria table must be adopted and the deadline in the future."
    )

    def get_page_title(self):
        return _("Open self-assessment")

    def perform(self, form):
        services.evaluation_open_self_assessment(evaluation=self.evaluation, by=self.request.user)
        return self.evaluation.get_absolute_url()


class StartCheckingView(ManageMixin, ConfirmPageMixin, FormView):
    """Close self-assessment and move to checking, after confirmation."""

    submit_label = gettext_lazy("Move to checking")
    success_message = gettext_lazy(
        "The evaluation has moved to checking; the members have been told."
    )
    intro = gettext_lazy(
        "Self-assessment closes for every department. The checking method and the "
        "cross-check assignment are chosen on the checking page."
    )

    def get_page_title(self):
        return _("Move to checking")

    def get_notes(self):
        assessments = selectors.assessments_visible(
            evaluation=self.evaluation, user=self.request.user
        )
        drafts = [a.membership.short_name for a in assessments if a.state == Assessment.State.DRAFT]
        if not drafts:
            return []
        return [_("Not submitted yet: %(names)s.") % {"names": ", ".join(drafts)}]

    def perform(self, form):
        services.evaluation_start_checking(evaluation=self.evaluation, by=self.request.user)
        return self.evaluation.get_absolute_url()


class DeadlineExtendView(ManageMixin, EvaluationFormPageMixin, ServiceFormMixin, FormView):
    """Give one department a later deadline, with a reason (secretariat)."""

    form_class = DeadlineExtendForm
    success_message = gettext_lazy("The deadline has been extended; the department has been told.")

    def get_assessment(self) -> Assessment:
        if not hasattr(self, "_assessment"):
            try:
                self._assessment = selectors.assessment_for_department(
                    evaluation=self.evaluation, department_code=self.kwargs["department"]
                )
            except Assessment.DoesNotExist as exc:
                raise Http404 from exc
        return self._assessment

    def get_page_title(self):
        return _("Extend the deadline for %(name)s") % {
            "name": self.get_assessment().membership.short_name
        }

    def get_initial(self):
        deadline = permissions.assessment_deadline(self.get_assessment())
        return {"until": deadline and timezone.localtime(deadline)}

    def perform(self, form):
        services.assessment_deadline_extend(
            assessment=self.get_assessment(),
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
            by=self.request.user,
        )
        return self.evaluation.get_absolute_url()
