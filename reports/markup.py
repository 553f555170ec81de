"""Repeated parts of the overview page as HTML, written in Python rather than in templates.

Issue 14 asks the overview for 60 clusters to cost at most four times a minimal view without
a cache. Django's template engine spends microseconds on every variable, tag and loop turn,
and ``format_html`` on every argument: the table's sixty rows, the charts' bars and tables
and the cluster filter's options (some 2,000 nodes) cost more than everything else on the
page. They are written here with ``str.format`` and the standard library's ``html.escape``
(the function Django's ``escape`` calls, so the output is the same) on every text value;
numbers and the portal's own URLs are not text from users. The frames around them (table
captions and headings, the form, the figure) stay in the templates.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

NOTHING = '<span class="text-body-secondary">—</span>'

ROW = (
    '<tr><th scope="row"><a href="{report_url}">{name}</a>{badge}'
    '<span class="d-block small"><a href="{history_url}">{history}</a></span></th>'
    "<td>{leader}</td><td>{deputy}</td>"
    '<td class="text-end">{members}</td><td>{state}</td>'
    '<td class="text-end">{signed}</td><td class="text-end">{progress}</td>'
    "<td>{coming}</td><td>{warnings}</td></tr>\n"
)
COMING = '<span class="d-block small">{:%d/%m/%Y} {}</span>'
WARNING = '<span class="d-block small text-danger-emphasis report-warning">{}</span>'


def overview_rows(rows) -> SafeString:
    """The ``<tr>`` of every ``YearFigures`` of the overview, in order."""
    badge = ' <span class="badge text-bg-warning">{}</span>'.format(
        escape(_("Illustrative demo data"))
    )
    history = escape(_("History"))
    states: dict[str, str] = {}  # each label translated once
    parts = []
    for row in rows:
        cluster = row.cluster
        state = row.covenant_state
        if state not in states:
            states[state] = escape(str(row.covenant_state_label))
        parts.append(
            ROW.format(
                report_url=escape(row.report_url),
                name=escape(cluster.name),
                badge=badge if cluster.is_illustrative or row.cluster_year.is_illustrative else "",
                history_url=escape(row.history_url),
                history=history,
                leader=escape(row.leader.full_name) if row.leader else NOTHING,
                deputy=escape(row.deputy.full_name) if row.deputy else NOTHING,
                members=int(row.members),
                state=states[state],
                signed=(
                    f"{int(row.signed)}/{int(row.members)} ({int(row.share_signed)}%)"
                    if row.covenant
                    else "—"
                ),
                progress=f"{int(row.plan_progress)}%" if row.plan_progress is not None else "—",
                coming="".join(
                    COMING.format(a.starts_on, escape(a.title)) for a in row.next_activities
                )
                or NOTHING,
                warnings="".join(WARNING.format(escape(str(w))) for w in row.warnings) or NOTHING,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 (every text value escaped above)


def options(choices, selected) -> SafeString:
    """``<option>`` elements of ``(value, label)`` pairs, ``selected`` marked."""
    return mark_safe(  # noqa: S308 (escaped)
        "".join(
            '<option value="{}"{}>{}</option>'.format(
                escape(str(value)), " selected" if value == selected else "", escape(str(label))
            )
            for value, label in choices
        )
    )
