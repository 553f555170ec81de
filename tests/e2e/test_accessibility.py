"""Every page of the menu passes an automated WCAG 2.1 AA scan (axe-core, from npm) with no
serious or critical violation, for each role, on a laptop (1280 px) and a phone (390 px).

axe-core is evaluated in the page through the DevTools protocol, which the portal's
Content-Security-Policy (no inline script) does not apply to, so the page is scanned exactly
as it is served.
"""

import io

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.e2e

AXE_PATH = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
# Besides the menu, the pages a year is run from: the covenant text in its web font, the
# status board, the year's plan.
PAGES = [
    "/clusters/bac-bo/2026/",
    "/covenants/bac-bo/2026/",
    "/covenants/bac-bo/2026/board/",
    "/plans/clusters/bac-bo/2026/",
]
RUN_AXE = """
async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
  });
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}
"""


@pytest.fixture
def full_demo(transactional_db):
    call_command("load_demo", force=True, stdout=io.StringIO())


def serious_violations(page, live_server, hrefs):
    axe_source = AXE_PATH.read_text(encoding="utf-8")
    found = {}
    for href in hrefs:
        response = page.goto(f"{live_server.url}{href}")
        assert response.status < 400 or response.status == 403, (href, response.status)
        page.evaluate(axe_source)
        violations = page.evaluate(RUN_AXE)
        if violations:
            found[href] = violations
    return found


def menu_links(page):
    return page.locator("#main-nav a[href^='/'], .portal-topbar a[href^='/']").evaluate_all(
        "links => [...new Set(links.map(a => a.getAttribute('href')))]"
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "username", ["secretariat", "reviewer", "ninhbinh.signer", "hungyen.staff"]
)
def test_menu_pages_have_no_serious_accessibility_violation(
    full_demo, login, page, live_server, username, width
):
    page.set_viewport_size(WIDTHS[width])
    login(username)
    menu = menu_links(page)
    assert len(menu) >= 5
    hrefs = [href for href in dict.fromkeys([*menu, *PAGES]) if "logout" not in href]
    assert serious_violations(page, live_server, hrefs) == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_have_no_serious_accessibility_violation(full_demo, page, live_server, width):
    page.set_viewport_size(WIDTHS[width])
    page.goto(f"{live_server.url}/accounts/login/")
    hrefs = ["/accounts/login/", *menu_links(page)]
    assert serious_violations(page, live_server, hrefs) == {}
