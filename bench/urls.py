"""The benchmarks' URL configuration: the portal plus a minimal view to compare against."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

_EMPTY_PAGE = engines["django"].from_string('{% extends "base.html" %}')


def minimal(request):
    """The cheapest page a logged-in user can ask for: same middleware, no work."""
    return HttpResponse("ok")


def minimal_page(request):
    """The cheapest portal page: the base template's frame (navigation, the bell, the
    language switch, the footer) around an empty content block; what every page pays."""
    return HttpResponse(_EMPTY_PAGE.render({}, request))


urlpatterns = [
    path("bench-minimal/", minimal, name="bench-minimal"),
    path("bench-minimal-page/", minimal_page, name="bench-minimal-page"),
    path("", include("cluster_portal.urls")),
]
