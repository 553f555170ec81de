"""The tables of the reports as rows, for CSV and Excel through ``cluster_portal.exports``.

Each function returns ``(header, rows)``; values are text, numbers or dates, never aware
datetimes (a spreadsheet has no time zone): times are written out in Vietnam time, saying so.
"""

from django.utils import timezone
from django.utils.translation import gettext as _


def _local_time(value) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") + " (GMT+7)"


def overview_table(overview):
    header = [
        _("Cluster"),
        _("Year"),
        _("Leader (Cụm trưởng)"),
        _("Deputy (Cụm phó)"),
        _("Members"),
        _("Covenant state"),
        _("Signed"),
        _("Signed (%)"),
        _("Plan progress (%)"),
        _("Next activities"),
        _("Warnings"),
        _("Illustrative"),
    ]
    rows = []
    for r in overview.rows:
        rows.append(
            [
                r.cluster.name,
                r.cluster_year.year,
                r.leader.full_name if r.leader else "",
                r.deputy.full_name if r.deputy else "",
                r.members,
                r.covenant_state_label,
                r.signed,
                r.share_signed,
                r.plan_progress if r.plan_progress is not None else "",
                "; ".join(f"{a.starts_on:%d/%m/%Y} {a.title}" for a in r.next_activities),
                " ".join(r.warnings),
                _("yes") if (r.cluster.is_illustrative or r.cluster_year.is_illustrative) else "",
            ]
        )
    return header, rows


def members_table(cluster_year):
    header = [
        _("No."),
        _("Department (as named that year)"),
        _("Role"),
        _("Parent body"),
        _("Head"),
        _("Head's title"),
    ]
    rows = [
        [n, m.full_name, m.get_role_display(), m.parent_body, m.head_name, m.head_title]
        for n, m in enumerate(cluster_year.memberships.all(), start=1)
    ]
    return header, rows


def signatures_table(board):
    header = [
        _("No."),
        _("Department"),
        _("Role"),
        _("Response"),
        _("Method"),
        _("Signer"),
        _("Signer's title"),
        _("Time"),
    ]
    rows = []
    labels = {"pending": _("Pending"), "voided": _("Pending (earlier response voided)")}
    for n, row in enumerate(board.rows if board else [], start=1):
        current = row.current
        rows.append(
            [
                n,
                row.membership.full_name,
                row.membership.get_role_display(),
                current.get_status_display() if current else labels[row.status],
                current.get_method_display() if current else "",
                current.signer_name if current else "",
                current.signer_title if current else "",
                _local_time(current.signed_at) if current else "",
            ]
        )
    return header, rows


def membership_by_year_table(history):
    years = [f.cluster_year.year for f in history.years]
    header = [_("Department"), *[str(y) for y in years]]
    rows = []
    for row in history.rows:
        cells = []
        for cell in row.cells:
            if cell is None:
                cells.append("")
            elif cell.role == cell.Role.MEMBER:
                cells.append(_("member"))
            else:
                cells.append(cell.get_role_display())
        rows.append([row.department.full_name, *cells])
    return header, rows
