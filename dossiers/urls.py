"""URLs of the award dossiers and the Ministry's decisions, under /dossiers/."""

from django.urls import path

from dossiers.views import ministry

app_name = "dossiers"

urlpatterns: list = [
    # The Ministry's side (M): the year table across clusters, the council's decisions.
    path("ministry/<int:year>/", ministry.MinistryYearView.as_view(), name="ministry-year"),
    path(
        "proposals/<int:pk>/decision/",
        ministry.DecisionRecordView.as_view(),
        name="decision-record",
    ),
]
