"""On a phone (390 px wide) no page of the portal scrolls sideways: wide tables scroll
inside their own box, long names wrap, the menu folds.

Every page of the menu is visited, and the pages a year is run from (the year, its
covenant and status board, its plan, the reports), as the secretariat, a Ministry reviewer
and a member's signatory of the full demo.
"""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
PAGES = [
    "/",
    "/clusters/bac-bo/",
    "/clusters/bac-bo/history/",
    "/clusters/bac-bo/2019/",
    "/clusters/bac-bo/2026/",
    "/covenants/bac-bo/2019/",
    "/covenants/bac-bo/2026/",
    "/covenants/bac-bo/2026/board/",
    "/plans/clusters/bac-bo/2026/",
    "/reports/?year=2019",
    "/reports/clusters/bac-bo/2019/",
]


@pytest.fixture
def full_demo(transactional_db):
    call_command("load_demo", force=True, stdout=io.StringIO())


# What stands out past the right edge, for the failure message.
WIDE_ELEMENTS = """
() => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 3)
  .map(e => e.tagName.toLowerCase() + "." + [...e.classList].join("."))
"""


@pytest.mark.parametrize("username", ["secretariat", "reviewer", "ninhbinh.signer"])
def test_no_page_scrolls_sideways_on_a_phone(full_demo, login, page, live_server, username):
    login(username)
    page.set_viewport_size(PHONE)
    menu = page.locator("#main-nav a[href^='/']").evaluate_all(
        "links => [...new Set(links.map(a => a.getAttribute('href')))]"
    )
    assert len(menu) >= 3
    wide = {}
    for href in dict.fromkeys([*menu, *PAGES]):
        response = page.goto(f"{live_server.url}{href}")
        assert response.status < 400 or response.status == 403, (href, response.status)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[href] = (width, page.evaluate(WIDE_ELEMENTS))
    assert wide == {}
