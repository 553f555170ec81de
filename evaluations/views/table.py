"""Pages of the criteria table: read, print, export; while in draft, edit lines, order,
classifications and settings, copy last year's table, import it from Excel, adopt it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from cluster_portal import exports
from cluster_portal.http import content_response
from cluster_portal.views import ServiceFormMixin
from evaluations import scoring, selectors, services, table_file
from evaluations.forms import (
    ClassificationForm,
    CriterionForm,
    TableCopyForm,
    TableImportForm,
    TableSettingsForm,
)
from evaluations.models import Classification, Criterion
from evaluations.views.base import (
    EvaluationFormPageMixin,
    EvaluationMixin,
    TableEditMixin,
    evaluation_url,
)


class TableDetailView(EvaluationMixin, TemplateView):
    """The table as a tree: codes, text, kind, maximum, guidance, evidence required, the
    sections' maxima, classifications and settings; printable. Whoever sees the year."""

    template_name = "evaluations/table_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation = self.get_object()
        rows = selectors.table_rows(evaluation=evaluation)
        context["rows"] = rows
        context["summary"] = selectors.table_summary(rows=rows)
        context["classifications"] = list(evaluation.classifications.all())
        return context


class TableExportView(EvaluationMixin, View):
    """The table as an Excel workbook in the clusters' columns (whoever sees the year)."""

    def get(self, request, *args, **kwargs):
        evaluation = self.get_object()
        cluster_year = evaluation.cluster_year
        content = table_file.table_xlsx(
            selectors.criterion_list(evaluation=evaluation),
            title=f"Bảng tiêu chí chấm điểm thi đua năm {cluster_year.year} – "
            f"{cluster_year.cluster.name}",
        )
        return content_response(
            content,
            content_type=exports.CONTENT_TYPES[exports.XLSX],
            filename=f"bang-tieu-chi-{cluster_year.cluster.code}-{cluster_year.year}.xlsx",
        )


def _line_data(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("parent", None)
    data.pop("code", None)
    return data


class CriterionCreateView(TableEditMixin, EvaluationFormPageMixin, ServiceFormMixin, FormView):
    """Add a line to the table (secretariat, draft)."""

    form_class = CriterionForm
    success_message = gettext_lazy("The line has been added to the table.")
    intro = gettext_lazy(
        "A section's maximum is the sum of its lines' unless it has a cap. A line's code "
        "starts with its section's: I.1 in I, I.1.a in I.1."
    )

    def get_page_title(self):
        return _("Add a line to the criteria table")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["sections"] = selectors.table_sections(evaluation=self.evaluation)
        parent = self.request.GET.get("parent")
        if parent and parent.isdigit() and self.request.method == "GET":
            kwargs["initial"] = {"parent": int(parent)}
        return kwargs

    def perform(self, form):
        services.criterion_create(
            evaluation=self.evaluation,
            parent=form.cleaned_data["parent"],
            code=form.cleaned_data["code"],
            by=self.request.user,
            **_line_data(form),
        )
        return evaluation_url(self.evaluation, "table-detail")


class CriterionObjectMixin:
    """The line named by the URL, within this evaluation's table (404 otherwise)."""

    def get_criterion(self) -> Criterion:
        if not hasattr(self, "_criterion"):
            try:
                self._criterion = selectors.criterion_get(
                    evaluation=self.evaluation, pk=self.kwargs["pk"]
                )
            except Criterion.DoesNotExist as exc:
                raise Http404 from exc
        return self._criterion


class CriterionUpdateView(
    TableEditMixin, CriterionObjectMixin, EvaluationFormPageMixin, ServiceFormMixin, FormView
):
    """Change a line of the table (secretariat, draft)."""

    form_class = CriterionForm
    success_message = gettext_lazy("The line has been saved.")

    def get_page_title(self):
        return _("Edit line %(code)s") % {"code": self.get_criterion().code}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["sections"] = selectors.table_sections(evaluation=self.evaluation).exclude(
            pk=self.get_criterion().pk
        )
        kwargs["instance"] = self.get_criterion()
        return kwargs

    def perform(self, form):
        services.criterion_update(
            criterion=self.get_criterion(),
            parent=form.cleaned_data["parent"],
            code=form.cleaned_data["code"],
            by=self.request.user,
            **_line_data(form),
        )
        return evaluation_url(self.evaluation, "table-detail")


class ConfirmPageMixin(EvaluationFormPageMixin, ServiceFormMixin):
    """A confirmation page (``confirm_page.html``) whose form may be empty."""

    template_name = "confirm_page.html"
    form_class = forms.Form
    danger = False

    def get_notes(self):
        """Lines listed above the buttons (e.g. what stops the action)."""
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notes"] = self.get_notes()
        context["danger"] = self.danger
        return context


class CriterionDeleteView(TableEditMixin, CriterionObjectMixin, ConfirmPageMixin, FormView):
    """Delete a line after confirmation (secretariat, draft)."""

    submit_label = gettext_lazy("Delete the line")
    success_message = gettext_lazy("The line has been deleted.")
    danger = True

    def get_page_title(self):
        criterion = self.get_criterion()
        return _("Delete line %(code)s") % {"code": criterion.code}

    def get_notes(self):
        return [str(self.get_criterion())]

    def perform(self, form):
        services.criterion_delete(criterion=self.get_criterion(), by=self.request.user)
        return evaluation_url(self.evaluation, "table-detail")


class CriterionMoveView(TableEditMixin, CriterionObjectMixin, View):
    """Move a line up or down within its section (POST, secretariat, draft)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        up = request.POST.get("direction") != "down"
        try:
            services.criterion_move(criterion=self.get_criterion(), up=up, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect(
            evaluation_url(self.evaluation, "table-detail") + f"#line-{self.get_criterion().pk}"
        )


class ClassificationCreateView(TableEditMixin, EvaluationFormPageMixin, ServiceFormMixin, FormView):
    """Add a classification of the results with its threshold (secretariat, draft)."""

    form_class = ClassificationForm
    success_message = gettext_lazy("The classification has been added.")
    intro = gettext_lazy(
        "A member gets the highest classification whose threshold its total reaches, e.g. "
        "“Hoàn thành xuất sắc” from 95 points."
    )

    def get_page_title(self):
        return _("Add a classification")

    def perform(self, form):
        services.classification_create(
            evaluation=self.evaluation,
            label=form.cleaned_data["label"],
            min_total=form.cleaned_data["min_total"],
            by=self.request.user,
        )
        return evaluation_url(self.evaluation, "table-detail")


class ClassificationDeleteView(TableEditMixin, ConfirmPageMixin, FormView):
    """Remove a classification after confirmation (secretariat, draft)."""

    submit_label = gettext_lazy("Remove the classification")
    success_message = gettext_lazy("The classification has been removed.")
    danger = True

    def get_classification(self) -> Classification:
        try:
            return self.evaluation.classifications.get(pk=self.kwargs["pk"])
        except Classification.DoesNotExist as exc:
            raise Http404 from exc

    def get_page_title(self):
        return _("Remove the classification")

    def get_notes(self):
        return [str(self.get_classification())]

    def perform(self, form):
        services.classification_delete(
            classification=self.get_classification(), by=self.request.user
        )
        return evaluation_url(self.evaluation, "table-detail")


class TableSettingsView(TableEditMixin, EvaluationFormPageMixin, ServiceFormMixin, FormView):
    """The table's scoring step and tie-break rule (secretariat, draft)."""

    form_class = TableSettingsForm
    success_message = gettext_lazy("The settings of the table have been saved.")

    def get_page_title(self):
        return _("Settings of the criteria table")

    def get_initial(self):
        return {"step": self.evaluation.step, "tie_break": self.evaluation.tie_break}

    def perform(self, form):
        services.table_settings_update(
            evaluation=self.evaluation,
            step=form.cleaned_data["step"],
            tie_break=form.cleaned_data["tie_break"],
            by=self.request.user,
        )
        return evaluation_url(self.evaluation, "table-detail")


class TableCopyView(TableEditMixin, ConfirmPageMixin, FormView):
    """Copy last year's table, its classifications and settings (secretariat, draft);
    replacing lines already there needs the box ticked."""

    form_class = TableCopyForm
    submit_label = gettext_lazy("Copy the table")

    def get_page_title(self):
        return _("Copy last year's criteria table")

    def get_notes(self):
        year = selectors.previous_table_year(evaluation=self.evaluation)
        if year is None:
            return [_("No earlier year of this cluster has a criteria table to copy.")]
        return [
            _(
                "The table of %(year)s, with its classifications and settings, is copied "
                "into %(this)s."
            )
            % {"year": year, "this": self.evaluation.cluster_year.year}
        ]

    def get_success_message(self, target):
        return ngettext(
            "%(count)s line has been copied.", "%(count)s lines have been copied.", self._count
        ) % {"count": self._count}

    def perform(self, form):
        self._count = services.table_copy_previous(
            evaluation=self.evaluation, by=self.request.user, replace=form.cleaned_data["replace"]
        )
        return evaluation_url(self.evaluation, "table-detail")


class TableImportView(TableEditMixin, EvaluationFormPageMixin, ServiceFormMixin, FormView):
    """Replace the draft table with an Excel workbook, all or nothing (secretariat)."""

    form_class = TableImportForm
    multipart = True
    submit_label = gettext_lazy("Import")

    def get_page_title(self):
        return _("Import the criteria table from Excel")

    def get_success_message(self, target):
        return ngettext(
            "%(count)s line has been imported.", "%(count)s lines have been imported.", self._count
        ) % {"count": self._count}

    def perform(self, form):
        self._count = services.table_import(
            evaluation=self.evaluation, upload=form.cleaned_data["file"], by=self.request.user
        )
        return evaluation_url(self.evaluation, "table-detail")


class TableAdoptView(TableEditMixin, ConfirmPageMixin, FormView):
    """Adopt the table after confirmation (secretariat): from then on it is read-only."""

    submit_label = gettext_lazy("Adopt the table")
    success_message = gettext_lazy("The criteria table has been adopted: it is now read-only.")
    intro = gettext_lazy(
        "Once adopted, the table no longer changes: every score refers to it. Check the "
        "codes, maxima and guidance first."
    )

    def get_page_title(self):
        return _("Adopt the criteria table")

    def get_notes(self):
        rows = selectors.table_rows(evaluation=self.evaluation)
        summary = selectors.table_summary(rows=rows)
        if summary.problems:
            return summary.problems
        notes = [
            f"{row.criterion.code}. {row.criterion.text}: {scoring.points_text(row.maximum)}"
            for row in summary.sections
        ]
        return notes

    def perform(self, form):
        services.table_adopt(evaluation=self.evaluation, by=self.request.user)
        return evaluation_url(self.evaluation, "table-detail")
