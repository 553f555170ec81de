"""The award dossier on a phone (390 px wide): the year's page and the 2019 dossier of the
full demo do not scroll sideways, for the secretariat, a Ministry reviewer and a member."""

import io

import pytest
from django.core.management import call_command

from dossiers.models import Dossier

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def full_demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", force=True, stdout=io.StringIO())


@pytest.mark.parametrize("username", ["secretariat", "reviewer", "ninhbinh.signer"])
def test_the_dossier_pages_do_not_scroll_sideways_on_a_phone(
    full_demo, login, page, live_server, username
):
    dossier = Dossier.objects.get(cluster_year__year=2019)
    login(username)
    page.set_viewport_size(PHONE)
    for href in ("/dossiers/bac-bo/2019/", dossier.get_absolute_url()):
        response = page.goto(f"{live_server.url}{href}")
        assert response.status == 200, href
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], href
