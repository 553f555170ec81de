"""The shared view helpers (``cluster_portal.views``): the one-form page."""

import pytest
from django import forms
from django.views.generic import FormView

from cluster_portal.views import FormPageMixin

pytestmark = pytest.mark.django_db


class NameForm(forms.Form):
    name = forms.CharField()


class NamePage(FormPageMixin, FormView):
    form_class = NameForm
    page_title = "Đặt tên"
    intro = "Tên mới của cụm."
    multipart = True

    def get_breadcrumbs(self):
        return [("Cụm", "/cum/")]

    def get_cancel_url(self):
        return "/cum/"


def test_the_form_page_shows_title_intro_breadcrumbs_and_a_multipart_form(rf, world):
    request = rf.get("/")
    request.user = world.reviewer
    response = NamePage.as_view()(request)
    response.render()
    page = response.content.decode()
    assert response.template_name == ["form_page.html"]
    assert '<h1 class="h3 mb-3">Đặt tên</h1>' in page
    assert "Tên mới của cụm." in page
    assert '<a href="/cum/">Cụm</a>' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'name="name"' in page
