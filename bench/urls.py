"""The benchmarks' URL configuration: the portal plus a minimal view to compare against."""

from django.http import HttpResponse
from django.urls import include, path


def minimal(request):
    """The cheapest page a logged-in user can ask for: same middleware, no work."""
    return HttpResponse("ok")


urlpatterns = [
    path("bench-minimal/", minimal, name="bench-minimal"),
    path("", include("cluster_portal.urls")),
]
