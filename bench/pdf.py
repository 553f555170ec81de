"""Issue 5, "Performance": the covenant PDF.

* Serving an issued PDF is at least 20 times faster than rendering it: a GET of the demo's
  issued 2019 covenant through Django's test client (logged in as a demo signatory, every
  byte read) against rendering the same covenant, certificate page included, with
  ``render_pdf`` (context built from the database each time, as a re-render would; no seal).
* The portal's own overhead when rendering the covenant is at most 15% (issue 14): the
  whole ``render_pdf`` of the 11-member signed covenant (context from the database,
  template, WeasyPrint) against WeasyPrint alone rendering the same HTML string with the
  same stylesheets and fonts in the same process. (The earlier floor, 4 times a
  near-empty page, measured WeasyPrint's cost per page, not the portal's.)
* Fonts and stylesheets are loaded once per process (the engine is built once).
"""

from bench.timing import Verdict, measure_interleaved

ROUNDS = 8  # alternating rounds; per round:
SERVES, RENDERS = 5, 1
CODE, YEAR = "bac-bo", 2019
OVERHEAD_FLOOR = 1.15  # the portal's render ÷ WeasyPrint's alone: overhead at most 15%


def _page_count(data: bytes) -> int:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(io.BytesIO(data)).root["/Pages"]["/Count"])


def _covenant_renderer():
    from agreements import selectors
    from agreements.models import CovenantDocument
    from cluster_portal.pdf import render_pdf

    def render() -> bytes:
        covenant = selectors.covenant_get(code=CODE, year=YEAR)
        document = CovenantDocument.objects.get(covenant=covenant)
        context = selectors.covenant_pdf_context(covenant=covenant, document=document)
        return render_pdf("pdf/covenant.html", context)

    return render


def serving_vs_rendering() -> Verdict:
    from django.test import Client
    from django.urls import reverse

    from agreements.models import CovenantDocument
    from members.models import User

    client = Client()
    client.force_login(User.objects.get(username="hanoi.signer"))
    url = reverse("agreements:covenant-pdf", kwargs={"code": CODE, "year": YEAR})

    def serve() -> bytes:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        data = b"".join(response.streaming_content)
        response.close()
        return data

    served = serve()  # issues the document if the demo's on-commit issuance did not
    document = CovenantDocument.objects.get(
        covenant__cluster_year__cluster__code=CODE, covenant__cluster_year__year=YEAR
    )
    with document.file.open("rb") as handle:
        stored = handle.read()
    pages = _page_count(_covenant_renderer()())
    serving, rendering = measure_interleaved(
        ("GET issued PDF (test client)", serve, SERVES),
        ("render_pdf, same covenant", _covenant_renderer(), RENDERS),
        rounds=ROUNDS,
    )
    return Verdict(
        name="Issued PDF: serving vs rendering",
        timings=[serving, rendering],
        ratio=rendering.median / serving.median,
        floor=20,
        at_least=True,
        ratio_label="rendering median ÷ serving median",
        notes=[
            f"issued file {len(served):,} bytes, identical to the stored one: {served == stored}",
            f"rendered covenant: {pages} pages (11 members, certificate page)",
        ],
    )


def covenant_render_overhead() -> Verdict:
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML

    from agreements import selectors
    from agreements.models import CovenantDocument
    from cluster_portal import pdf

    # The exact HTML string that render_pdf gives WeasyPrint for this covenant.
    covenant = selectors.covenant_get(code=CODE, year=YEAR)
    document = CovenantDocument.objects.get(covenant=covenant)
    with translation.override("vi"):
        html = render_to_string(
            "pdf/covenant.html",
            selectors.covenant_pdf_context(covenant=covenant, document=document),
        )
    font_config, stylesheets = pdf._engine()

    def weasyprint_alone() -> bytes:
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            stylesheets=stylesheets, font_config=font_config
        )

    weasy, portal = measure_interleaved(
        ("WeasyPrint alone, same HTML string", weasyprint_alone, RENDERS),
        ("render_pdf (context, template, WeasyPrint)", _covenant_renderer(), RENDERS),
        rounds=ROUNDS * 2,
    )
    ratio = portal.median / weasy.median
    engine = pdf._engine.cache_info()
    return Verdict(
        name="Covenant rendering: the portal's overhead over WeasyPrint",
        timings=[weasy, portal],
        ratio=ratio,
        floor=OVERHEAD_FLOOR,
        at_least=False,
        ratio_label="render_pdf median ÷ WeasyPrint-alone median",
        notes=[
            f"overhead {100 * (ratio - 1):+.1f}% (floor: at most "
            f"{100 * (OVERHEAD_FLOOR - 1):.0f}%); the HTML string: {len(html):,} characters, "
            f"{_page_count(weasyprint_alone())} pages",
            f"engine (fonts, stylesheets) built {engine.misses} time(s) in "
            f"{engine.hits + engine.misses} look-ups: "
            f"{'PASS' if engine.misses == 1 else 'FAIL'} (once per process)",
        ],
    )


def engine_built_once() -> bool:
    from cluster_portal import pdf

    return pdf._engine.cache_info().misses == 1


BENCHMARKS = [serving_vs_rendering, covenant_render_overhead]
