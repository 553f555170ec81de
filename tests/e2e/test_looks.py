"""Looks in a real browser: the covenant text in the bundled Tinos, button labels on one line
on a laptop, feed addresses copied with one click, wide tables reachable by keyboard."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Visible buttons whose label runs over more than one line.
WRAPPED_BUTTONS = """
() => [...document.querySelectorAll(".btn")]
  .filter(b => b.offsetParent !== null)
  .filter(b => {
    // The lines of the label as seen: text inside .visually-hidden (for screen readers) is
    // clipped and left out.
    const walker = document.createTreeWalker(b, NodeFilter.SHOW_TEXT);
    const tops = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim() || node.parentElement.closest(".visually-hidden")) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    }
    return tops.size > 1;
  })
  .map(b => (b.value || b.textContent).trim().slice(0, 60))
"""


@pytest.fixture
def full_demo(transactional_db):
    call_command("load_demo", force=True, stdout=io.StringIO())


def test_the_covenant_text_is_set_in_the_bundled_tinos(full_demo, login, page, live_server):
    login("ninhbinh.signer")
    page.goto(f"{live_server.url}/covenants/bac-bo/2026/")
    family = page.locator(".covenant-document").evaluate("e => getComputedStyle(e).fontFamily")
    assert family.startswith('"Portal Tinos"')
    loaded = page.evaluate(
        """async () => {
          await document.fonts.ready;
          return [...document.fonts]
            .filter(f => f.family.replace(/"/g, "") === "Portal Tinos" && f.status === "loaded")
            .map(f => f.style + " " + f.weight);
        }"""
    )
    assert "normal 400" in loaded  # the body text's face came from the portal, not the system


@pytest.mark.parametrize("username", ["secretariat", "ninhbinh.signer"])
def test_no_button_label_wraps_on_a_laptop(full_demo, login, page, live_server, username):
    page.set_viewport_size(LAPTOP)
    login(username)
    menu = page.locator("#main-nav a[href^='/']").evaluate_all(
        "links => [...new Set(links.map(a => a.getAttribute('href')))]"
    )
    pages = [
        *menu,
        "/covenants/bac-bo/2026/",
        "/covenants/bac-bo/2026/board/",
        "/plans/clusters/bac-bo/2026/",
    ]
    wrapped = {}
    for href in dict.fromkeys(pages):
        page.goto(f"{live_server.url}{href}")
        labels = page.evaluate(WRAPPED_BUTTONS)
        if labels:
            wrapped[href] = labels
    assert wrapped == {}


def test_a_feed_address_is_copied_with_one_click(full_demo, login, page, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    login("ninhbinh.staff")
    page.goto(f"{live_server.url}/plans/calendar/feeds/new/")
    page.locator("#id_confirm").check()
    page.locator("main form [type=submit]").click()
    address = page.locator(".feed-url").first
    button = page.locator("button[data-copy-target]").first
    button.wait_for(state="visible")  # shown by the script; hidden without JavaScript
    button.click()
    status = page.locator(f"#{address.get_attribute('id')}-status")
    status.wait_for(state="visible")
    assert status.text_content() == "Đã sao chép địa chỉ."
    assert page.evaluate("navigator.clipboard.readText()") == address.text_content().strip()
    subscribe = page.locator("a[href^='webcal://']").first
    assert (
        subscribe.get_attribute("href")
        == "webcal://" + address.text_content().strip().split("://", 1)[1]
    )


def test_a_wide_table_on_a_phone_is_reachable_by_keyboard(full_demo, login, page, live_server):
    page.set_viewport_size(PHONE)
    login("secretariat")
    page.goto(f"{live_server.url}/covenants/bac-bo/2026/board/")
    box = page.locator(".table-responsive").first
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    assert box.get_attribute("tabindex") == "0"
    caption = box.locator("caption")
    assert box.get_attribute("aria-labelledby") == caption.get_attribute("id")
    box.focus()
    for _attempt in range(20):  # scrolling may be smooth: give it a moment
        page.keyboard.press("ArrowRight")
        if box.evaluate("e => e.scrollLeft") > 0:
            break
        page.wait_for_timeout(50)
    assert box.evaluate("e => e.scrollLeft") > 0
