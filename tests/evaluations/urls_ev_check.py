"""The portal's URLs with a stand-in for the evaluation hub (``evaluations:evaluation-detail``,
ev-table's page), whose name the phase-change e-mail of publishing links to. Once the hub is
merged its own pattern comes first and this stand-in is never reached; the file can go."""

from django.urls import include, path
from django.views.generic import RedirectView

from cluster_portal.urls import urlpatterns as portal
from evaluations.urls import urlpatterns as evaluations

STAND_IN = [
    path("<slug:code>/<int:year>/", RedirectView.as_view(url="/"), name="evaluation-detail"),
]

urlpatterns = [path("evaluations/", include((evaluations + STAND_IN, "evaluations"))), *portal]
