"""The document engine: every PDF the portal issues is rendered here.

HTML templates under ``templates/pdf/`` are rendered in Vietnamese and laid out by
WeasyPrint with the Decree 30/2020/NĐ-CP page (``templates/pdf/decree30.css``) and the
project's own fonts: Tinos (metric-compatible with Times New Roman, full Vietnamese
coverage, SIL OFL), installed from npm (``@expo-google-fonts/tinos``) and embedded in every
PDF, never whatever the server has. Fonts and stylesheets are loaded once per process.
"""

import atexit
import threading
from functools import cache

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

FONT_FAMILY = "Tinos"
FONT_DIR = settings.BASE_DIR / "node_modules" / "@expo-google-fonts" / "tinos"
FONT_FACES = [
    ("400Regular/Tinos_400Regular.ttf", "normal", 400),
    ("400Regular_Italic/Tinos_400Regular_Italic.ttf", "italic", 400),
    ("700Bold/Tinos_700Bold.ttf", "normal", 700),
    ("700Bold_Italic/Tinos_700Bold_Italic.ttf", "italic", 700),
]

# WeasyPrint's font configuration is not meant to be shared between threads.
_render_lock = threading.Lock()


class FontsMissing(RuntimeError):
    """The project's fonts are not installed (run `make install`)."""


@cache
def _engine():
    """The font configuration and the stylesheets, built once per process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    missing = [path for path, *_ in FONT_FACES if not (FONT_DIR / path).is_file()]
    if missing:
        raise FontsMissing(f"Fonts not found under {FONT_DIR}: run `make install`.")
    font_config = FontConfiguration()
    faces = "\n".join(
        f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{(FONT_DIR / path).as_uri()}');"
        f" font-style: {style}; font-weight: {weight}; }}"
        for path, style, weight in FONT_FACES
    )
    page_css = (settings.BASE_DIR / "templates" / "pdf" / "decree30.css").read_text("utf-8")
    stylesheets = [
        CSS(string=faces, font_config=font_config),
        CSS(string=page_css, font_config=font_config),
    ]
    return font_config, stylesheets


# Drop the engine before the interpreter tears modules down (WeasyPrint cleans up on delete).
atexit.register(_engine.cache_clear)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render ``templates/<template_name>`` to PDF bytes, in Vietnamese."""
    from weasyprint import HTML

    with translation.override("vi"):
        html = render_to_string(template_name, context)
    font_config, stylesheets = _engine()
    with _render_lock:
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            stylesheets=stylesheets, font_config=font_config
        )
