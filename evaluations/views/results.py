"""The results of the year-end evaluation: the page with its chart, the CSV and XLSX
exports and the official PDF ("Bảng tổng hợp kết quả chấm điểm thi đua năm …").

Read-only (GET only). Members see the results once published; the secretariat, reviewers
and admins also before, as a provisional table (``evaluations.permissions.can_view_results``).
"""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from cluster_portal import exports as tables
from cluster_portal.charts import bar_chart
from cluster_portal.http import content_response, pdf_response
from cluster_portal.pdf import render_pdf
from cluster_portal.permissions import ObjectPermissionMixin
from evaluations import permissions, scoring
from evaluations.selectors import evaluation_for_results, result_table, results_pdf_context


class ResultsMixin(ObjectPermissionMixin):
    """Loads the evaluation named by the URL (``code``, ``year``): 404 for a user who may
    not see the cluster year, 403 for one who may not see its results yet."""

    http_method_names = ["get", "head", "options"]
    view_permission = staticmethod(permissions.can_view_evaluation)
    permission = staticmethod(permissions.can_view_results)

    def load_object(self):
        return evaluation_for_results(code=self.kwargs["code"], year=self.kwargs["year"])

    def get_table(self):
        if not hasattr(self, "_table"):
            self._table = result_table(evaluation=self.get_object(), user=self.request.user)
        return self._table

    def file_stem(self) -> str:
        cluster_year = self.get_object().cluster_year
        stem = f"ket-qua-cham-diem-{cluster_year.cluster.code}-{cluster_year.year}"
        return f"{stem}-tam-tinh" if self.get_table().provisional else stem


class ResultsDetailView(ResultsMixin, TemplateView):
    """The results table with its bar chart, printable and readable on a phone."""

    template_name = "evaluations/results_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation = self.get_object()
        table = self.get_table()
        context.update(
            evaluation=evaluation,
            cluster_year=evaluation.cluster_year,
            cluster=evaluation.cluster_year.cluster,
            table=table,
            chart=bar_chart(
                _("Total points"),
                [
                    (row.membership.short_name, row.total, scoring.points_text(row.total))
                    for row in table.rows
                ],
                maximum=table.maximum,
            ),
        )
        return context


class ResultsExportView(ResultsMixin, View):
    """The results table as CSV or Excel: the page's columns and numbers."""

    file_format = tables.CSV

    def get(self, request, *args, **kwargs):
        table = self.get_table()
        cluster_year = self.get_object().cluster_year
        title = _("Results of the year-end evaluation %(year)s – %(cluster)s") % {
            "year": cluster_year.year,
            "cluster": cluster_year.cluster.name,
        }
        if table.provisional:
            title = _("%(title)s (provisional)") % {"title": title}
        content = tables.table_render(
            table.export_header(),
            table.export_rows(),
            file_format=self.file_format,
            title=title,
            sheet_title=_("Results"),
        )
        return content_response(
            content,
            content_type=tables.CONTENT_TYPES[self.file_format],
            filename=f"{self.file_stem()}.{self.file_format}",
        )


class ResultsPdfView(ResultsMixin, View):
    """The official results table as a Decree 30 PDF, signed for the cluster by the leader
    ("TM. CỤM THI ĐUA / CỤM TRƯỞNG"). Before publication (secretariat, reviewers) it is a
    provisional document: "TẠM TÍNH" across every page and in its title.

    Rendered on request from the stored results, which never change once published.
    """

    def get(self, request, *args, **kwargs) -> HttpResponse:
        content = render_pdf(
            "pdf/results.html",
            results_pdf_context(evaluation=self.get_object(), table=self.get_table()),
        )
        return pdf_response(content, filename=f"{self.file_stem()}.pdf")
