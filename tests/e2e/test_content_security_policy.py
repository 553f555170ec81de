"""The strict Content-Security-Policy breaks nothing: no violation on the portal's pages."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.e2e

# Playwright's init scripts run outside the page's policy, so this listener always works.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def full_demo(transactional_db):
    call_command("load_demo", force=True, stdout=io.StringIO())


def test_the_pages_of_the_menu_load_their_scripts_and_styles_without_violations(
    full_demo, login, page, live_server
):
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    login("secretariat")
    links = page.locator("#main-nav a[href^='/']").evaluate_all(
        "links => [...new Set(links.map(a => a.getAttribute('href')))]"
    )
    assert len(links) >= 3
    for href in ["/accounts/login/", *links]:
        page.goto(f"{live_server.url}{href}")
        page.wait_for_load_state("load")
        assert page.evaluate("window.__cspViolations") == [], href
        # The script ran: Bootstrap is there.
        assert page.evaluate("typeof window.bootstrap") == "object", href
    assert [text for text in console if "Content Security Policy" in text] == []
