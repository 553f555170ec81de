"""The feed addresses shown once after creation come with a copy button and a one-click
subscribe (webcal://) link."""

import pytest
from django.urls import reverse

from cluster_portal.templatetags.portal import webcal

pytestmark = pytest.mark.django_db


def _created_page(client, user):
    client.force_login(user)
    return client.post(reverse("plans:feedtoken-create"), {"confirm": "on"}, follow=True)


def test_each_feed_address_has_a_subscribe_link_with_the_webcal_scheme(client, world):
    page = _created_page(client, world.staff)
    [url] = [u for cluster, u in page.context["cluster_feeds"] if cluster == world.cluster_a]
    assert url.startswith("http://testserver/")
    assert f'href="{webcal(url)}"' in page.text
    assert webcal(url) == "webcal://" + url.removeprefix("http://")


def test_each_feed_address_has_a_copy_button_pointing_at_it(client, world):
    page = _created_page(client, world.staff)
    target = f"feed-cluster-{world.cluster_a.code}"
    assert f'<code class="feed-url" id="{target}">' in page.text
    assert f'data-copy-target="#{target}"' in page.text
    assert "js/copy-buttons.js" in page.text


def test_the_webcal_filter_turns_https_into_webcal():
    assert webcal("https://thidua.example.gov.vn/lich/x.ics") == (
        "webcal://thidua.example.gov.vn/lich/x.ics"
    )
