"""The object-loading hook of ObjectPermissionMixin as the plans views use it: one load per
request, and a missing object is a 404."""

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.views import View

from cluster_portal.permissions import ObjectPermissionMixin
from plans.models import WorkPlan
from tests.factories import UserFactory


class CountingView(ObjectPermissionMixin, View):
    permission = staticmethod(lambda user, obj: True)
    loads = 0

    def load_object(self):
        type(self).loads += 1
        if self.kwargs["pk"] == 0:
            raise WorkPlan.DoesNotExist
        return f"object {self.kwargs['pk']}"

    def get(self, request, *args, **kwargs):
        return HttpResponse(f"{self.get_object()} / {self.get_object()}")


def _request():
    request = RequestFactory().get("/")
    request.user = UserFactory()
    return request


@pytest.mark.django_db
def test_the_object_is_loaded_once_per_request():
    CountingView.loads = 0

    response = CountingView.as_view()(_request(), pk=7)

    assert response.content == b"object 7 / object 7"
    assert CountingView.loads == 1


@pytest.mark.django_db
def test_an_object_the_loader_does_not_find_is_not_found():
    with pytest.raises(Http404):
        CountingView.as_view()(_request(), pk=0)
