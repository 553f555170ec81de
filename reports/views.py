"""Pages and exports of the reports: read-only (GET only), thin, reading through selectors."""

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from cluster_portal import exports as tables
from cluster_portal.cache import cache_get, cache_set, data_version
from cluster_portal.documents import decree30_date
from cluster_portal.http import content_response, pdf_response
from cluster_portal.pdf import render_pdf
from cluster_portal.permissions import ObjectPermissionMixin
from members import permissions
from members.views import ClusterMixin, ClusterYearMixin
from plans import exports as plan_exports
from reports import exports, markup, selectors
from reports.forms import OverviewFilterForm, state_choices


class ReadOnlyMixin:
    """Reports change nothing: any other method than GET is not allowed."""

    http_method_names = ["get", "head", "options"]


class FileMixin:
    file_format = tables.CSV

    def file_response(self, content: bytes, filename: str) -> HttpResponse:
        return content_response(
            content, content_type=tables.CONTENT_TYPES[self.file_format], filename=filename
        )


class OverviewMixin(ReadOnlyMixin):
    def get_overview(self):
        if not hasattr(self, "_overview"):
            if not hasattr(self, "form"):
                self.form = OverviewFilterForm(self.request.GET or None)
            self._overview = selectors.overview(user=self.request.user, **self.form.filters())
        return self._overview


class OverviewView(OverviewMixin, TemplateView):
    """Every cluster the user sees in a year: leadership, covenant, plan, warnings, charts.

    Fast without a cache (the selector counts in the database); the rendered content is also
    kept in the shared cache under a key of the data's version
    (``selectors.overview_cache_key``), so a cached page is never out of date.
    """

    template_name = "reports/overview.html"
    body_template_name = "reports/_overview_body.html"
    cache_seconds = 300

    def render_body(self, filters):
        overview = self.get_overview()
        body = render_to_string(
            self.body_template_name,
            {
                "overview": overview,
                "rows_html": markup.overview_rows(overview.rows),
                # The filters' options written in Python, as the rows are (markup.py).
                "year_options": markup.options(
                    [(year, year) for year in overview.years], overview.year
                ),
                "cluster_options": markup.options(overview.clusters, filters["cluster_code"]),
                "state_options": markup.options(state_choices(), filters["state"]),
                "filters": filters,
                "export_query": self.request.GET.urlencode(),
            },
        )
        return overview.year, body, overview.valid_until

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.form = OverviewFilterForm(self.request.GET or None)
        filters = self.form.filters()
        version = data_version()
        if version is None:  # no working cache
            cached = self.render_body(filters)
        else:
            key = selectors.overview_cache_key(user=self.request.user, version=version, **filters)
            cached = cache_get(key)
            # A signing deadline passing changes the page without any write.
            if cached is None or (cached[2] is not None and cached[2] <= timezone.now()):
                cached = self.render_body(filters)
                cache_set(key, cached, self.cache_seconds)
        context["year"], body, _valid_until = cached
        context["body"] = mark_safe(body)  # noqa: S308 (our own template's output)
        return context


class OverviewExportView(OverviewMixin, FileMixin, View):
    """The overview table as CSV or Excel, with the page's filters."""

    def get(self, request, *args, **kwargs):
        overview = self.get_overview()
        header, rows = exports.overview_table(overview)
        title = _("Clusters in %(year)s") % {"year": overview.year}
        content = tables.table_render(
            header, rows, file_format=self.file_format, title=title, sheet_title=_("Overview")
        )
        return self.file_response(
            content, f"tong-hop-cum-thi-dua-{overview.year}.{self.file_format}"
        )


class ClusterYearReportMixin(ReadOnlyMixin, ClusterYearMixin):
    def load_object(self):
        # The members loader's year, with everything the report shows.
        return selectors.cluster_year_get(code=self.kwargs["code"], year=self.kwargs["year"])

    def get_report(self):
        return selectors.cluster_year_report(cluster_year=self.get_object())


class ClusterYearReportView(ClusterYearReportMixin, TemplateView):
    """A cluster year: covenant and signatories, activities, conferences, documents, changes."""

    template_name = "reports/clusteryear_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.get_report()
        context["report"] = report
        context["cluster_year"] = report.cluster_year
        context["cluster"] = report.cluster_year.cluster
        context["tables"] = ["members", "signatures", "activities"]
        return context


class ClusterYearExportView(ClusterYearReportMixin, FileMixin, View):
    """One table of the cluster-year report (members, signatures, activities) as a file."""

    TABLES = ("members", "signatures", "activities")

    def get(self, request, *args, **kwargs):
        table = kwargs["table"]
        if table not in self.TABLES:
            raise Http404
        cluster_year = self.get_object()
        filename = f"{table}-{cluster_year.cluster.code}-{cluster_year.year}.{self.file_format}"
        title = f"{cluster_year.cluster.name} – {cluster_year.year}"
        if table == "activities":
            plan = getattr(cluster_year, "work_plan", None)
            activities = list(plan.activities.all()) if plan else []
            if self.file_format == tables.CSV:
                content = plan_exports.activities_csv(activities)
            else:
                content = plan_exports.activities_xlsx(activities, title=title)
            return self.file_response(content, filename)
        if table == "members":
            header, rows = exports.members_table(cluster_year)
            sheet = _("Members")
        else:
            header, rows = exports.signatures_table(self.get_report().board)
            sheet = _("Signatures")
        content = tables.table_render(
            header, rows, file_format=self.file_format, title=title, sheet_title=sheet
        )
        return self.file_response(content, filename)


class ClusterYearPdfView(ClusterYearReportMixin, View):
    """The cluster-year report as a Decree 30 "BÁO CÁO" PDF, through the document engine.

    Rendered on request from the current figures (not an issued document: nothing is kept).
    """

    def get(self, request, *args, **kwargs):
        with translation.override("vi"):  # the document is in Vietnamese, warnings too
            report = self.get_report()
        cluster_year = report.cluster_year
        now = timezone.now()
        leader = report.figures.leader
        place = leader.department.province if leader else ""
        content = render_pdf(
            "pdf/report.html",
            {
                "report": report,
                "cluster_year": cluster_year,
                "cluster": cluster_year.cluster,
                "place_and_date": ", ".join(
                    part for part in (place, decree30_date(timezone.localdate(now))) if part
                ),
                "generated_at": now,
            },
        )
        return pdf_response(
            content, filename=f"bao-cao-{cluster_year.cluster.code}-{cluster_year.year}.pdf"
        )


class ClusterReportMixin(ReadOnlyMixin, ClusterMixin):
    pass


class ClusterHistoryReportView(ClusterReportMixin, TemplateView):
    """A cluster across years: leaders, deputies, members, covenants and plans."""

    template_name = "reports/cluster_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cluster"] = self.get_object()
        context["history"] = selectors.cluster_history(
            cluster=self.get_object(), user=self.request.user
        )
        return context


class ClusterHistoryExportView(ClusterReportMixin, FileMixin, View):
    """The membership-by-year table of a cluster as a file."""

    def get(self, request, *args, **kwargs):
        cluster = self.get_object()
        history = selectors.cluster_history(cluster=cluster, user=self.request.user)
        header, rows = exports.membership_by_year_table(history)
        content = tables.table_render(
            header,
            rows,
            file_format=self.file_format,
            title=cluster.name,
            sheet_title=_("Members by year"),
        )
        return self.file_response(content, f"thanh-vien-{cluster.code}.{self.file_format}")


class DepartmentHistoryView(ReadOnlyMixin, ObjectPermissionMixin, TemplateView):
    """A department's record across years: clusters, roles, names and covenant responses."""

    permission = staticmethod(permissions.can_view_department)
    template_name = "reports/department_history.html"

    def load_object(self):
        return selectors.department_get(code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        department = self.get_object()
        context["department"] = department
        context["record"] = selectors.department_history(
            department=department, user=self.request.user
        )
        return context
