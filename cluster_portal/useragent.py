"""The browser and system named in plain words ("Chrome on Android") from a user-agent string.

Audit pages show this instead of the raw string (which stays available, folded away, as
evidence). Parsing uses ua-parser's maintained rules rather than home-made regular
expressions; each distinct string is parsed once per process.
"""

from functools import lru_cache

from django.utils.translation import gettext as _

# ua-parser names mobile builds apart ("Chrome Mobile", "Mobile Safari"); people know them by
# the browser's name, and the system already says it is a phone.
_MOBILE_WORDS = ("Mobile ", " Mobile", " Mobile WebView", " WebView", " iOS")


def _plain_family(family: str) -> str:
    """ "Chrome Mobile iOS" -> "Chrome", "Mobile Safari" -> "Safari"."""
    plain = None
    while plain != family:
        plain = family
        for word in _MOBILE_WORDS:
            family = family.removesuffix(word).removeprefix(word).strip() or family
    return family


@lru_cache(maxsize=1024)
def _parse(user_agent: str) -> tuple[str, str]:
    """(browser family, operating system family); "" for what the rules do not know."""
    import ua_parser

    result = ua_parser.parse(user_agent)
    browser = result.user_agent.family if result.user_agent else ""
    system = result.os.family if result.os else ""
    if browser == "Other":
        browser = ""
    if system == "Other":
        system = ""
    return _plain_family(browser), system


def browser_label(user_agent: str) -> str:
    """ "Chrome on Android", "Firefox on Windows", in the active language; "" for no string."""
    user_agent = (user_agent or "").strip()
    if not user_agent:
        return ""
    browser, system = _parse(user_agent[:500])
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    if browser:
        return browser
    if system:
        return _("A browser on %(system)s") % {"system": system}
    return _("An unknown browser or program")
