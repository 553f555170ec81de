"""The favicon and the covenant's web font are served from the portal itself."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

CSS = finders.find("css/portal.css")


def test_the_covenant_text_uses_the_bundled_tinos_web_font():
    css = Path(CSS).read_text(encoding="utf-8")
    block = css[css.index(".covenant-document {") :]
    assert block.split("}")[0].count('font-family: "Portal Tinos", serif;') == 1


def test_every_font_face_of_the_stylesheet_is_a_served_static_file():
    css = Path(CSS).read_text(encoding="utf-8")
    urls = re.findall(r'url\("\.\./(vendor/tinos/[^"]+)"\)', css)
    assert len(urls) == 4  # regular, italic, bold, bold italic
    assert all(finders.find(url) for url in urls), urls


@pytest.mark.django_db
def test_every_page_links_the_favicon(client):
    response = client.get(reverse("login"))
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in response.text
    assert finders.find("img/favicon.svg")
