"""Pages of a member's self-assessment: read it, fill it in, add and remove evidence,
submit it (signatory, with the password) and return it (secretariat, once, with a reason).

Thin views: the permission mixin checks the predicate (404 for whoever may not see the
assessment, 403 for whoever sees it but may not do this), forms validate input, one
service call does the work and its ``ValidationError`` is shown on the form.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from cluster_portal.audit import RequestMeta
from cluster_portal.http import download_name, file_response
from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.uploads import max_upload_size
from cluster_portal.views import FormPageMixin, ServiceFormMixin
from evaluations import permissions, selectors, services
from evaluations.forms import AssessmentForm, EvidenceForm, ReturnForm, SubmitForm
from evaluations.forms.assessments import explanation_field
from evaluations.models import Evidence
from evaluations.services.assessments import editing_refusal, submit_problems, value_field


def evaluation_url(cluster_year) -> str:
    """The evaluation's hub page."""
    return reverse(
        "evaluations:evaluation-detail",
        kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year},
    )


class AssessmentMixin(ObjectPermissionMixin):
    """Loads the assessment named by the URL (cluster code, year, department code)."""

    view_permission = staticmethod(permissions.can_view_assessment)
    permission = staticmethod(permissions.can_view_assessment)

    def load_object(self):
        return selectors.assessment_get(
            code=self.kwargs["code"], year=self.kwargs["year"], department=self.kwargs["department"]
        )

    def sheet(self):
        if not hasattr(self, "_sheet"):
            self._sheet = selectors.assessment_sheet(assessment=self.get_object())
        return self._sheet

    def url(self, name: str) -> str:
        return reverse(f"evaluations:{name}", kwargs=self.kwargs_of(self.get_object()))

    @staticmethod
    def kwargs_of(assessment) -> dict:
        cluster_year = assessment.evaluation.cluster_year
        return {
            "code": cluster_year.cluster.code,
            "year": cluster_year.year,
            "department": assessment.membership.department.code,
        }

    def get_breadcrumbs(self):
        assessment = self.get_object()
        cluster_year = assessment.evaluation.cluster_year
        crumbs = [
            (f"{cluster_year.cluster.name} – {cluster_year.year}", cluster_year.get_absolute_url()),
            (_("Year-end evaluation"), evaluation_url(cluster_year)),
        ]
        if self.request.resolver_match.url_name != "assessment-detail":
            crumbs.append((assessment.membership.short_name, assessment.get_absolute_url()))
        return crumbs

    def get_cancel_url(self):
        return self.get_object().get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = self.get_object()
        evaluation = assessment.evaluation
        context.update(
            assessment=assessment,
            evaluation=evaluation,
            cluster_year=evaluation.cluster_year,
            cluster=evaluation.cluster_year.cluster,
            membership=assessment.membership,
            deadline=permissions.assessment_deadline(assessment),
            breadcrumbs=self.get_breadcrumbs(),
            evaluation_url=evaluation_url(evaluation.cluster_year),
        )
        return context


class AssessmentDetailView(AssessmentMixin, TemplateView):
    """Every line of the table with the member's own score, explanation and evidence, the
    provisional total, the state, the deadline and the history of the submission."""

    template_name = "evaluations/assessments/assessment_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = self.get_object()
        sheet = self.sheet()
        context["sheet"] = sheet
        context["problems"] = submit_problems(assessment, sheet.scores)
        if permissions.is_own_assessment(self.request.user, assessment):
            # Why the department cannot change it now (submitted, closed, past the deadline).
            context["refusal"] = editing_refusal(self.request.user, assessment)
        return context


class AssessmentEditView(AssessmentMixin, ServiceFormMixin, FormView):
    """One form for every line (points, yes/no, a count or an actual figure, and an
    explanation) and the report summary; "Save draft" as often as needed. A save from a
    page loaded before someone else's save is refused and the input is shown again."""

    permission = staticmethod(permissions.can_edit_assessment)
    template_name = "evaluations/assessments/assessment_edit.html"
    success_message = gettext_lazy("Your draft has been saved.")

    def get_form(self, form_class=None):
        return AssessmentForm(
            **self.get_form_kwargs(), assessment=self.get_object(), scores=self.sheet().scores
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["sheet"] = self.sheet()
        context["lines"] = [
            {
                "row": row,
                "value": form[value_field(row.score.pk)] if row.score else None,
                "explanation": form[explanation_field(row.score.pk)] if row.score else None,
            }
            for row in self.sheet().rows
        ]
        return context

    def perform(self, form):
        services.assessment_save(
            assessment=self.get_object(),
            version=form.cleaned_data["version"],
            entries=form.entries(),
            report=form.cleaned_data["report"],
            by=self.request.user,
            meta=RequestMeta.from_request(self.request),
        )
        return self.url("assessment-edit")


class AssessmentSubmitView(AssessmentMixin, ServiceFormMixin, FormView):
    """The signatory submits: the totals, what is missing, a confirmation and the password."""

    permission = staticmethod(permissions.can_submit_assessment)
    template_name = "evaluations/assessments/assessment_submit.html"
    success_message = gettext_lazy(
        "The self-assessment has been submitted; the secretariat has been told."
    )

    def get_form(self, form_class=None):
        # Bound on every POST, even an empty one.
        return SubmitForm(
            **self.get_form_kwargs(), department_name=self.get_object().membership.full_name
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sheet = self.sheet()
        context["sheet"] = sheet
        context["problems"] = submit_problems(self.get_object(), sheet.scores)
        return context

    def perform(self, form):
        assessment = services.assessment_submit(
            assessment=self.get_object(),
            by=self.request.user,
            password=form.cleaned_data["password"],
            confirmed=form.cleaned_data["confirm"],
            meta=RequestMeta.from_request(self.request),
        )
        return assessment.get_absolute_url()


class AssessmentReturnView(AssessmentMixin, FormPageMixin, ServiceFormMixin, FormView):
    """The secretariat returns a submitted assessment, once, with a reason."""

    permission = staticmethod(permissions.can_return_assessment)
    template_name = "evaluations/assessments/assessment_return.html"
    form_class = ReturnForm
    submit_label = gettext_lazy("Return the self-assessment")
    success_message = gettext_lazy(
        "The self-assessment has been returned to the department with your reason."
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sheet"] = self.sheet()
        return context

    def get_page_title(self):
        return _("Return the self-assessment of %(department)s") % {
            "department": self.get_object().membership.short_name
        }

    def perform(self, form):
        assessment = services.assessment_return(
            assessment=self.get_object(),
            by=self.request.user,
            reason=form.cleaned_data["reason"],
            meta=RequestMeta.from_request(self.request),
        )
        return assessment.get_absolute_url()


class EvidenceAddView(AssessmentMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Add evidence to a line: a file, an activity of the year's plan or a portal page."""

    permission = staticmethod(permissions.can_edit_assessment)
    multipart = True
    submit_label = gettext_lazy("Add evidence")
    success_message = gettext_lazy("The evidence has been added.")

    def get_page_title(self):
        return _("Add evidence")

    @property
    def intro(self):
        return _(
            "Files: PDF, JPEG, PNG or WebP images, Word or Excel (.docx, .xlsx), checked by "
            "their content; the limit is %(limit)s. Or choose an activity of this year's work "
            "plan, or give the address of a page of this portal. Save your draft first: "
            "unsaved scores on the form are not kept."
        ) % {"limit": filesizeformat(max_upload_size())}

    def get_cancel_url(self):
        return self.url("assessment-edit")

    def get_initial(self):
        line = self.request.GET.get("line", "")
        return {"line": int(line)} if line.isdigit() and len(line) < 12 else {}

    def get_form(self, form_class=None):
        return EvidenceForm(
            **self.get_form_kwargs(),
            scores=self.sheet().scores,
            activities=selectors.evidence_activity_list(assessment=self.get_object()),
        )

    def perform(self, form):
        score = next(s for s in self.sheet().scores if s.pk == form.cleaned_data["line"])
        score.assessment = self.get_object()
        services.evidence_add(
            score=score,
            by=self.request.user,
            meta=RequestMeta.from_request(self.request),
            **form.service_fields(),
        )
        return f"{self.url('assessment-edit')}#line-{score.pk}"


class EvidenceMixin(AssessmentMixin):
    """The evidence named by the URL, among the assessment's."""

    def evidence(self) -> Evidence:
        if not hasattr(self, "_evidence"):
            try:
                self._evidence = selectors.evidence_get(
                    assessment=self.get_object(), pk=self.kwargs["pk"]
                )
            except Evidence.DoesNotExist as exc:
                raise Http404 from exc
        return self._evidence


class EvidenceRemoveView(EvidenceMixin, TemplateView):
    """Confirm (GET) and remove (POST) evidence of a line, while the assessment is editable."""

    permission = staticmethod(permissions.can_edit_assessment)
    template_name = "evaluations/assessments/evidence_remove.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["evidence"] = self.evidence()
        context["cancel_url"] = self.url("assessment-edit")
        return context

    def post(self, request, *args, **kwargs):
        evidence = self.evidence()
        line = evidence.score_id
        try:
            services.evidence_remove(
                evidence=evidence, by=request.user, meta=RequestMeta.from_request(request)
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(self.get_object())
        messages.success(request, _("The evidence has been removed."))
        return redirect(f"{self.url('assessment-edit')}#line-{line}")


class EvidenceFileView(EvidenceMixin, View):
    """An evidence file, for whoever may see the assessment, as its stored type."""

    def get(self, request, *args, **kwargs):
        evidence = self.evidence()
        if not evidence.file:
            raise Http404
        stem = f"minh-chung-{evidence.score.criterion.code}-{evidence.pk}"
        return file_response(
            evidence.file,
            content_type=evidence.content_type,
            filename=download_name(stem, evidence.content_type),
        )
