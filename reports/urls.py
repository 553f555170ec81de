from django.urls import path

from reports import views

app_name = "reports"

cluster_year = "clusters/<slug:code>/<int:year>/"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("overview.csv", views.OverviewExportView.as_view(file_format="csv"), name="overview-csv"),
    path(
        "overview.xlsx", views.OverviewExportView.as_view(file_format="xlsx"), name="overview-xlsx"
    ),
    path(
        "clusters/<slug:code>/history/",
        views.ClusterHistoryReportView.as_view(),
        name="cluster-history",
    ),
    path(
        "clusters/<slug:code>/history.csv",
        views.ClusterHistoryExportView.as_view(file_format="csv"),
        name="cluster-history-csv",
    ),
    path(
        "clusters/<slug:code>/history.xlsx",
        views.ClusterHistoryExportView.as_view(file_format="xlsx"),
        name="cluster-history-xlsx",
    ),
    path(cluster_year, views.ClusterYearReportView.as_view(), name="clusteryear-report"),
    path(
        f"{cluster_year}<slug:table>.csv",
        views.ClusterYearExportView.as_view(file_format="csv"),
        name="clusteryear-export-csv",
    ),
    path(
        f"{cluster_year}<slug:table>.xlsx",
        views.ClusterYearExportView.as_view(file_format="xlsx"),
        name="clusteryear-export-xlsx",
    ),
    path(f"{cluster_year}pdf/", views.ClusterYearPdfView.as_view(), name="clusteryear-pdf"),
    path(
        "departments/<slug:code>/",
        views.DepartmentHistoryView.as_view(),
        name="department-history",
    ),
]
