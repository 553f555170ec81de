"""Page templates: every data table says what it holds (``<caption>``, for screen readers)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# PDFs and e-mail lay out with tables.
NOT_PAGES = ("pdf", "agreements/email")

PAGES = sorted(
    path
    for path in TEMPLATES.rglob("*.html")
    if not path.relative_to(TEMPLATES).as_posix().startswith(NOT_PAGES)
)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(TEMPLATES).as_posix())
def test_every_table_of_a_page_has_a_caption(path):
    text = path.read_text(encoding="utf-8")
    tables = re.findall(r"<table\b[^>]*>\s*(<caption\b)?", text)
    assert all(tables), f"{path.name}: a <table> without a <caption> right after it"
