"""The browser named in plain words from a user-agent string (cluster_portal.useragent)."""

import pytest
from django.utils import translation

from cluster_portal.useragent import browser_label

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
IPHONE_CHROME = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1"
)
WINDOWS_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"
WINDOWS_COC_COC = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "coc_coc_browser/124.0.0 Chrome/118.0.0.0 Safari/537.36"
)


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (ANDROID_CHROME, "Chrome trên Android"),
        (IPHONE_SAFARI, "Safari trên iOS"),
        (IPHONE_CHROME, "Chrome trên iOS"),
        (WINDOWS_FIREFOX, "Firefox trên Windows"),
        (WINDOWS_COC_COC, "Coc Coc trên Windows"),
    ],
)
def test_common_browsers_are_named_with_their_system_in_vietnamese(user_agent, label):
    with translation.override("vi"):
        assert browser_label(user_agent) == label


def test_the_label_follows_the_active_language():
    with translation.override("en"):
        assert browser_label(ANDROID_CHROME) == "Chrome on Android"


def test_no_user_agent_gives_an_empty_label():
    assert browser_label("") == ""


def test_an_unrecognisable_string_is_called_unknown_not_echoed():
    with translation.override("vi"):
        assert browser_label("x") == "Trình duyệt hoặc chương trình không rõ"
