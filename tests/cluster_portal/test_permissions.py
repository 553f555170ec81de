"""The permission mixin's object-loading hook and the registry of template predicates."""

import pytest
from django.http import Http404
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.views.generic import TemplateView

from cluster_portal.permissions import (
    ObjectPermissionMixin,
    check_template_predicates,
    predicate,
)
from members import permissions as member_permissions
from members.models import Cluster
from members.selectors import cluster_get

pytestmark = pytest.mark.django_db


class ClusterPage(ObjectPermissionMixin, TemplateView):
    template_name = "base.html"
    permission = staticmethod(member_permissions.can_view_cluster)
    loads = 0

    def load_object(self):
        type(self).loads += 1
        return cluster_get(code=self.kwargs["code"])


def _get(user, code):
    request = RequestFactory().get("/")
    request.user = user
    return ClusterPage.as_view()(request, code=code)


def test_the_object_is_loaded_once_per_request(world):
    ClusterPage.loads = 0
    view = ClusterPage()
    view.setup(RequestFactory().get("/"), code=world.cluster_a.code)
    assert view.get_object() is view.get_object()
    assert ClusterPage.loads == 1


def test_an_object_the_loader_does_not_find_is_a_404(world):
    with pytest.raises(Http404):
        _get(world.reviewer, "khong-co")


def test_another_cluster_s_object_is_a_404_as_if_it_did_not_exist(world):
    assert not member_permissions.can_view_cluster(world.outsider, world.cluster_a)
    with pytest.raises(Http404):
        _get(world.outsider, world.cluster_a.code)
    assert Cluster.objects.filter(code=world.cluster_a.code).exists()


def test_every_predicate_the_templates_name_is_registered():
    assert check_template_predicates() == []
    assert predicate("can_view_cluster_year") is member_permissions.can_view_cluster_year


def test_a_template_naming_an_unknown_predicate_fails_the_start_up_check(settings, tmp_path):
    (tmp_path / "typo.html").write_text(
        '{% load portal %}{% allowed "can_veiw_cluster" cluster as ok %}', encoding="utf-8"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    errors = check_template_predicates()
    assert [error.id for error in errors] == ["cluster_portal.E010"]
    assert "can_veiw_cluster" in errors[0].msg


def test_rendering_an_unknown_predicate_is_refused(rf, world):
    request = rf.get("/")
    request.user = world.reviewer
    template = Template('{% load portal %}{% allowed "can_veiw_cluster" c as ok %}')
    with pytest.raises(TemplateSyntaxError):
        template.render(Context({"request": request, "c": world.cluster_a}))


def test_the_registry_holds_only_the_apps_predicates():
    with pytest.raises(KeyError):
        predicate("register_predicates")
    assert predicate("can_view_covenant").__module__ == "agreements.permissions"
