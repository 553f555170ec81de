"""Bar charts drawn on the server as inline SVG: no JavaScript, no CDN, no CSS.

A chart is computed here (positions and lengths in SVG user units) and drawn by
``templates/reports/_bar_chart.html`` with SVG attributes only; every chart has a table with
the same figures next to it for screen readers and for copying.
"""

from dataclasses import dataclass

from reports.markup import chart_svg, chart_table_rows

LABEL_WIDTH = 260
BAR_AREA = 300
ROW_HEIGHT = 22
BAR_HEIGHT = 14
VALUE_GAP = 6
LABEL_CHARS = 40


@dataclass(slots=True)  # not frozen: a frozen dataclass sets each field the slow way
class Bar:
    label: str
    value: int
    text: str  # the value as shown, e.g. "7/11" or "64%"
    y: int
    length: int
    text_x: int
    text_y: int

    @property
    def short_label(self) -> str:
        """The label cut to fit beside the bar."""
        return self.label if len(self.label) <= LABEL_CHARS else self.label[: LABEL_CHARS - 1] + "…"


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
    def svg(self):
        """The bars' SVG shapes (``reports.markup``)."""
        return chart_svg(self)

    @property
    def table_rows(self):
        """The rows of the table giving the same figures (``reports.markup``)."""
        return chart_table_rows(self)


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
            )
        )
    return BarChart(title=title, bars=bars, maximum=top)
