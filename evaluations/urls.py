"""URLs of the year-end evaluation, under /evaluations/<cluster code>/<year>/."""

from django.urls import path

from cluster_portal import exports as tables
from evaluations.views import results

app_name = "evaluations"

urlpatterns: list = []

# ev-results: the results page, its exports and the official PDF.
_year = "<slug:code>/<int:year>/"
urlpatterns += [
    path(f"{_year}results/", results.ResultsDetailView.as_view(), name="results-detail"),
    path(
        f"{_year}results.csv",
        results.ResultsExportView.as_view(file_format=tables.CSV),
        name="results-csv",
    ),
    path(
        f"{_year}results.xlsx",
        results.ResultsExportView.as_view(file_format=tables.XLSX),
        name="results-xlsx",
    ),
    path(f"{_year}results.pdf", results.ResultsPdfView.as_view(), name="results-pdf"),
]
