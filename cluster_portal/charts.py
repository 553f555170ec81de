"""Bar charts drawn on the server as inline SVG: no JavaScript, no CDN, no CSS.

A chart is computed here (positions and lengths in SVG user units) and drawn by
``templates/includes/_bar_chart.html`` with SVG attributes only; every chart has a table with
the same figures next to it for screen readers and for copying.
"""

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

LABEL_WIDTH = 260
BAR_AREA = 300
ROW_HEIGHT = 22
BAR_HEIGHT = 14
VALUE_GAP = 6


# SVG attributes only (the Content-Security-Policy allows no inline style). The parts that
# are the same for every bar (label column, track width, bar height) are filled in once.
BAR_SVG = (
    '<text x="0" y="{text_y}" font-size="12" fill="#212529">{label}</text>'
    '<rect x="{x}" y="{y}" width="{area}" height="{height}" fill="#e9ecef"></rect>'
    '<rect x="{x}" y="{y}" width="{length}" height="{height}" fill="#0b5ed7"></rect>'
    '<text x="{text_x}" y="{text_y}" font-size="12" fill="#212529">{text}</text>'
)
BAR_ROW = '<tr><th scope="row" class="fw-normal">{}</th><td class="text-end">{}</td></tr>'

LABEL_CHARS = 40  # longer labels are cut with "…" in the drawing (the table has them whole)


def short_label(label: str) -> str:
    """``label`` cut to ``LABEL_CHARS`` characters with "…", as ``truncatechars`` would."""
    return label if len(label) <= LABEL_CHARS else f"{label[: LABEL_CHARS - 1]}…"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    text: str  # the value as shown, e.g. "7/11" or "64%"
    y: int
    length: int
    text_x: int
    text_y: int
    short_label: str = ""  # the label as drawn

    def __getitem__(self, name):
        # Templates try a key before an attribute: answering the key spares an exception
        # per lookup, which adds up over a chart of 60 bars.
        return getattr(self, name)


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    maximum: int
    label_width: int = LABEL_WIDTH
    bar_area: int = BAR_AREA

    @property
    def width(self) -> int:
        return self.label_width + self.bar_area + 60

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW_HEIGHT + 4

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT

    @property
    def svg(self) -> SafeString:
        """The bars as SVG shapes (label, track, bar, value), escaped and safe to insert.

        Written here with ``str.format`` and ``html.escape`` (what Django's ``escape`` calls)
        rather than in a template loop or with ``format_html``: on a page of 60 bars the
        template engine cost more than the rest of the page together."""
        # The attributes common to every bar, once; then four numbers and two texts a bar.
        shape = BAR_SVG.format(
            text_y="{0}",
            label="{1}",
            x=int(self.label_width),
            y="{2}",
            area=int(self.bar_area),
            height=BAR_HEIGHT,
            length="{3}",
            text_x="{4}",
            text="{5}",
        ).format
        return mark_safe(  # noqa: S308 (labels and values escaped; the rest are integers)
            "".join(
                [
                    shape(
                        int(bar.text_y),
                        escape(bar.short_label),
                        int(bar.y),
                        int(bar.length),
                        int(bar.text_x),
                        escape(str(bar.text)),
                    )
                    for bar in self.bars
                ]
            )
        )

    @property
    def table_rows(self) -> SafeString:
        """The rows of the table that gives the same figures (label, value as shown)."""
        row = BAR_ROW.format
        return mark_safe(  # noqa: S308 (escaped)
            "".join([row(escape(bar.label), escape(str(bar.text))) for bar in self.bars])
        )


def bar_chart(title: str, items, *, maximum: int | None = None) -> BarChart:
    """A horizontal bar chart of ``items``: ``(label, value, text)`` tuples, value ≥ 0."""
    items = list(items)
    top = maximum if maximum is not None else max((value for _l, value, _t in items), default=0)
    top = max(top, 1)
    bars = []
    for index, (label, value, text) in enumerate(items):
        length = round(BAR_AREA * max(0, min(value, top)) / top)
        y = index * ROW_HEIGHT + 2
        bars.append(
            Bar(
                label=label,
                value=value,
                text=text,
                y=y,
                length=length,
                text_x=LABEL_WIDTH + length + VALUE_GAP,
                text_y=y + BAR_HEIGHT - 2,
                short_label=short_label(label),
            )
        )
    return BarChart(title=title, bars=bars, maximum=top)
