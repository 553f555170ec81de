"""The project's URLs for the counting tests, with a stand-in ballot page while the real
one (part S, ``ballots:ballot-detail``) is not in the tree: the stand-in shows the count
panel as the real page includes it, for the same users. Once the real page exists these
are the project's URLs unchanged and the tests run against it."""

from django.http import HttpResponse
from django.template import engines
from django.urls import URLResolver, include, path
from django.views import View

from ballots import urls as ballot_urls
from ballots.selectors.counting import count_detail_context
from ballots.views.counting import BallotMixin
from cluster_portal import urls as project_urls

PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<h1>{{ ballot.question }}</h1>'
    '{% include "ballots/includes/_count.html" %}{% endblock %}'
)


class StandInBallotPage(BallotMixin, View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        ballot = self.ballot
        context = {"ballot": ballot, **count_detail_context(ballot=ballot, user=request.user)}
        return HttpResponse(PAGE.render(context, request))


def _is_ballots(pattern) -> bool:
    return isinstance(pattern, URLResolver) and pattern.app_name == "ballots"


if any(getattr(p, "name", None) == "ballot-detail" for p in ballot_urls.urlpatterns):
    urlpatterns = project_urls.urlpatterns
else:
    ballot_patterns = [
        *ballot_urls.urlpatterns,
        path("<int:pk>/", StandInBallotPage.as_view(), name="ballot-detail"),
    ]
    urlpatterns = [
        path("ballots/", include((ballot_patterns, "ballots"))),
        *[p for p in project_urls.urlpatterns if not _is_ballots(p)],
    ]
