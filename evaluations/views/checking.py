"""Checking pages: the method and cross-checking assignment, one assessment's checking
page with adjusted scores, the secretariat's decisions, the member's answer, finalising an
assessment and publishing the results.

Views are thin: the permission mixin checks the predicate, forms validate input, one
service call does the work and its ValidationError is shown on the form (nothing typed is
lost).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.views import FormPageMixin, ServiceFormMixin
from evaluations import permissions, selectors, services
from evaluations.forms.checking import (
    AdjustmentAnswerForm,
    AdjustmentDecideForm,
    AdjustmentProposeForm,
    CheckerAssignForm,
    CheckingModeForm,
    PublishForm,
)
from evaluations.models import Evaluation
from members.models import Membership


def checking_url(evaluation: Evaluation) -> str:
    cluster_year = evaluation.cluster_year
    return reverse(
        "evaluations:checking-detail",
        kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year},
    )


def check_url(assessment) -> str:
    cluster_year = assessment.evaluation.cluster_year
    return reverse(
        "evaluations:assessment-check",
        kwargs={
            "code": cluster_year.cluster.code,
            "year": cluster_year.year,
            "department": assessment.membership.department.code,
        },
    )


def evidence_url(evidence, assessment) -> str:
    """The evidence file's permission-checked page (ev-assess's ``evidence-file``), by its
    pk; with the assessment's keys as well if that is how the name is laid out."""
    cluster_year = assessment.evaluation.cluster_year
    return reverse(
        "evaluations:evidence-file",
        kwargs={
            "code": cluster_year.cluster.code,
            "year": cluster_year.year,
            "department": assessment.membership.department.code,
            "pk": evidence.pk,
        },
    )


class EvaluationMixin(ObjectPermissionMixin):
    """Loads the evaluation of the cluster year named by the URL."""

    view_permission = staticmethod(permissions.can_view_evaluation)
    permission = staticmethod(permissions.can_view_checking)

    def load_object(self):
        return selectors.evaluation_get(code=self.kwargs["code"], year=self.kwargs["year"])

    @property
    def evaluation(self) -> Evaluation:
        return self.get_object()

    def get_breadcrumbs(self):
        cluster_year = self.evaluation.cluster_year
        crumbs = [
            (
                f"{cluster_year.cluster.name} – {cluster_year.year}",
                reverse(
                    "members:clusteryear-detail",
                    kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year},
                ),
            )
        ]
        if permissions.can_view_checking(self.request.user, self.evaluation):
            crumbs.append((_("Checking the scores"), checking_url(self.evaluation)))
        return crumbs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation = self.evaluation
        context.update(
            evaluation=evaluation,
            cluster_year=evaluation.cluster_year,
            cluster=evaluation.cluster_year.cluster,
            breadcrumbs=self.get_breadcrumbs(),
        )
        return context


class CheckingDetailView(EvaluationMixin, TemplateView):
    """The checking overview: the method, who checks whom, each assessment's state and
    undecided proposals (the secretariat; reviewers read)."""

    template_name = "evaluations/checking_detail.html"

    def get_breadcrumbs(self):
        return super().get_breadcrumbs()[:1]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation = self.evaluation
        user = self.request.user
        rows = selectors.checking_overview(evaluation=evaluation)
        for row in rows:
            row.evaluation = evaluation  # already loaded: the predicates read it
            row.check_url = check_url(row)
        may_manage = permissions.can_manage_checking(user, evaluation)
        context.update(
            rows=rows,
            may_manage=may_manage,
            may_check=permissions.can_manage_evaluation(user, evaluation)
            and evaluation.phase == Evaluation.Phase.CHECKING,
            may_publish=permissions.can_publish(user, evaluation),
            all_finalised=bool(rows) and all(r.state == r.State.FINALISED for r in rows),
            mode_form=CheckingModeForm(initial={"mode": evaluation.checking_mode})
            if may_manage
            else None,
            is_cross=evaluation.checking_mode == Evaluation.CheckingMode.CROSS,
        )
        return context


class EvaluationFormView(EvaluationMixin, FormPageMixin, ServiceFormMixin, FormView):
    """A secretariat form about the whole evaluation, back to the checking page."""

    def get_cancel_url(self):
        return checking_url(self.evaluation)


class CheckingModeView(EvaluationFormView):
    """Choose the checking method; cross-checking assigns the checkers."""

    permission = staticmethod(permissions.can_manage_checking)
    form_class = CheckingModeForm
    page_title = gettext_lazy("Checking method")
    intro = gettext_lazy(
        "Cross-checking gives each member another member's assessment to check: never its "
        "own, never two members checking each other, one each. It needs at least three "
        "members."
    )
    success_message = gettext_lazy("The checking method has been saved.")

    def get_initial(self):
        return {"mode": self.evaluation.checking_mode}

    def perform(self, form):
        services.checking_mode_set(
            evaluation=self.evaluation, mode=form.cleaned_data["mode"], by=self.request.user
        )
        return checking_url(self.evaluation)


class CheckerAssignView(EvaluationFormView):
    """Change who cross-checks one member's assessment."""

    permission = staticmethod(permissions.can_manage_checking)
    form_class = CheckerAssignForm
    page_title = gettext_lazy("Change a cross-checker")
    success_message = gettext_lazy("The cross-checker has been changed.")

    def memberships(self):
        return (
            Membership.objects.filter(assessments__evaluation=self.evaluation)
            .select_related("department")
            .order_by("sort_key")
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["memberships"] = self.memberships()
        return kwargs

    def get_initial(self):
        return {"member": self.request.GET.get("member")}

    def perform(self, form):
        assessment = self.evaluation.assessments.select_related(
            "membership__department", "checker"
        ).get(membership=form.cleaned_data["member"])
        assessment.evaluation = self.evaluation
        try:
            services.checker_assign(
                assessment=assessment, checker=form.cleaned_data["checker"], by=self.request.user
            )
        except ValidationError as error:
            if error.code in ("own", "pair", "not_member"):
                raise ValidationError({"checker": error}) from None
            raise
        return checking_url(self.evaluation)


class AssessmentCheckMixin(ObjectPermissionMixin):
    """Loads the assessment of the department named by the URL."""

    view_permission = staticmethod(permissions.can_view_assessment)
    permission = staticmethod(permissions.can_check_assessment)

    def load_object(self):
        return selectors.checking_assessment_get(
            code=self.kwargs["code"], year=self.kwargs["year"], department=self.kwargs["department"]
        )

    @property
    def assessment(self):
        return self.get_object()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = self.assessment
        evaluation = assessment.evaluation
        context.update(
            assessment=assessment,
            evaluation=evaluation,
            cluster_year=evaluation.cluster_year,
            cluster=evaluation.cluster_year.cluster,
        )
        return context


class AssessmentCheckView(AssessmentCheckMixin, TemplateView):
    """Every line of a submitted assessment with the member's score, explanation and
    evidence, its adjustments, and a form per line to propose an adjusted score."""

    template_name = "evaluations/assessment_check.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = self.assessment
        user = self.request.user
        lines = selectors.check_lines(assessment=assessment)
        for line in lines:
            for evidence in line.evidence:
                evidence.url = evidence_url(evidence, assessment)
        may_decide = permissions.can_manage_evaluation(user, assessment.evaluation)
        context.update(
            lines=lines,
            may_decide=may_decide,
            may_finalise=permissions.can_finalise_assessment(user, assessment),
            may_view_checking=permissions.can_view_checking(user, assessment.evaluation),
            checking_url=checking_url(assessment.evaluation),
            undecided=sum(1 for line in lines if line.undecided),
        )
        return context


class ScoreFormView(FormPageMixin, ServiceFormMixin, ObjectPermissionMixin, FormView):
    """Propose an adjusted score for one line (the inline forms of the checking page post
    here; errors are shown on this page with what was typed)."""

    view_permission = staticmethod(
        lambda user, score: permissions.can_view_assessment(user, score.assessment)
    )
    permission = staticmethod(
        lambda user, score: permissions.can_check_assessment(user, score.assessment)
    )
    template_name = "evaluations/adjustment_form.html"
    form_class = AdjustmentProposeForm
    submit_label = gettext_lazy("Propose")
    success_message = gettext_lazy("The adjusted score has been proposed; the member is told.")

    def load_object(self):
        return selectors.checking_score_get(
            code=self.kwargs["code"], year=self.kwargs["year"], pk=self.kwargs["pk"]
        )

    def get_page_title(self):
        return _("Propose an adjusted score for %(code)s") % {
            "code": self.get_object().criterion.code
        }

    def get_cancel_url(self):
        return check_url(self.get_object().assessment)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        score = self.get_object()
        context.update(score=score, criterion=score.criterion)
        return context

    def perform(self, form):
        score = self.get_object()
        services.adjustment_propose(
            score=score,
            to_points=form.cleaned_data["to_points"],
            reason=form.cleaned_data["reason"],
            by=self.request.user,
        )
        return check_url(score.assessment)


class AdjustmentFormView(FormPageMixin, ServiceFormMixin, ObjectPermissionMixin, FormView):
    """A form about one adjustment, shown with the adjustment itself."""

    view_permission = staticmethod(
        lambda user, adjustment: permissions.can_view_assessment(user, adjustment.score.assessment)
    )
    template_name = "evaluations/adjustment_form.html"

    def load_object(self):
        return selectors.adjustment_get(
            code=self.kwargs["code"], year=self.kwargs["year"], pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        adjustment = self.get_object()
        context.update(
            adjustment=adjustment, score=adjustment.score, criterion=adjustment.score.criterion
        )
        return context


class AdjustmentDecideView(AdjustmentFormView):
    """The secretariat accepts, overrides or rejects a proposal."""

    permission = staticmethod(permissions.can_decide_adjustment)
    form_class = AdjustmentDecideForm
    submit_label = gettext_lazy("Decide")
    success_message = gettext_lazy("The decision has been recorded.")

    def get_page_title(self):
        return _("Decide the adjustment of %(code)s") % {
            "code": self.get_object().score.criterion.code
        }

    def get_cancel_url(self):
        return check_url(self.get_object().score.assessment)

    def perform(self, form):
        adjustment = self.get_object()
        services.adjustment_decide(
            adjustment=adjustment,
            decision=form.cleaned_data["decision"],
            points=form.cleaned_data.get("points"),
            reason=form.cleaned_data.get("reason", ""),
            by=self.request.user,
        )
        return check_url(adjustment.score.assessment)


class AdjustmentAnswerView(AdjustmentFormView):
    """The member answers an adjustment of its assessment, once."""

    permission = staticmethod(permissions.can_answer_adjustment)
    form_class = AdjustmentAnswerForm
    submit_label = gettext_lazy("Send the answer")
    success_message = gettext_lazy("Your answer has been recorded.")

    def get_page_title(self):
        return _("Answer the adjustment of %(code)s") % {
            "code": self.get_object().score.criterion.code
        }

    def destination(self):
        return self.get_object().score.assessment.get_absolute_url()

    def get_cancel_url(self):
        return self.destination()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Every adjustment of the assessment, with its reason, decision and answer.
        context["adjustments"] = selectors.adjustment_list(
            assessment=self.get_object().score.assessment
        )
        return context

    def perform(self, form):
        services.adjustment_answer(
            adjustment=self.get_object(), answer=form.cleaned_data["answer"], by=self.request.user
        )
        return self.destination()


class AssessmentFinaliseView(AssessmentCheckMixin, TemplateView):
    """Confirmation page (GET) and finalising (POST) of one assessment's checked scores."""

    permission = staticmethod(permissions.can_finalise_assessment)
    template_name = "evaluations/assessment_finalise.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lines"] = selectors.check_lines(assessment=self.assessment)
        context["undecided"] = sum(1 for line in context["lines"] if line.undecided)
        context["check_url"] = check_url(self.assessment)
        context["adjustments"] = selectors.adjustment_list(assessment=self.assessment)
        return context

    def post(self, request, *args, **kwargs):
        assessment = self.assessment
        try:
            services.assessment_finalise(assessment=assessment, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(check_url(assessment))
        messages.success(
            request,
            _("The scores of %(member)s have been finalised.")
            % {"member": assessment.membership.short_name},
        )
        return redirect(checking_url(assessment.evaluation))


class EvaluationPublishView(EvaluationFormView):
    """Confirmation page with the provisional results table and the number and date of
    the results table; publishing stores the results and tells the members."""

    permission = staticmethod(permissions.can_publish)
    template_name = "evaluations/evaluation_publish.html"
    form_class = PublishForm
    page_title = gettext_lazy("Publish the results")
    submit_label = gettext_lazy("Publish the results")
    success_message = gettext_lazy("The results have been published; the members are told.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation = self.evaluation
        rows = selectors.results_compute(evaluation=evaluation, final=True)
        context.update(
            rows=rows,
            sections=list(rows[0].subtotals) if rows else [],
            pending=[
                r.membership.short_name
                for r in sorted(rows, key=lambda r: r.membership.sort_key)
                if r.assessment.state != r.assessment.State.FINALISED
            ],
        )
        return context

    def perform(self, form):
        services.evaluation_publish(
            evaluation=self.evaluation,
            results_number=form.cleaned_data["results_number"],
            results_date=form.cleaned_data["results_date"],
            by=self.request.user,
        )
        return checking_url(self.evaluation)
