"""Browser tests: Playwright driving Debian's Chromium against Django's live server."""

import os

import pytest

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # A missing browser is a failure, never a skip: `make browser` installs it.
    if not os.access(CHROMIUM_PATH, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM_PATH}: run `make browser`.")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A wide desktop screen: the full menu bar shows from 1400 px (below, the menu folds).
    return {**browser_context_args, "viewport": {"width": 1440, "height": 900}}


@pytest.fixture
def demo(transactional_db):
    """The demo data, loaded into the live server's database."""
    from members import demo

    demo.load()
    return demo


@pytest.fixture
def login(page, live_server):
    """Log in through the real login form; returns the page on the dashboard."""

    def do_login(username, password="cum-thi-dua-2019"):  # noqa: S107 (demo password)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.locator("#login-form [type=submit]").click()
        return page

    return do_login
