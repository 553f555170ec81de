"""The results table of an evaluation: what the results page, its exports, its PDF and the
history pages show.

Once published the table is the stored ``Result`` rows, as published (never recomputed:
history stays true whatever happens to the scores or the departments later). Before that,
the secretariat, reviewers and admins see a provisional table computed now from the scores
(``results_compute``), marked as such. Either way the page costs a fixed number of queries
whatever the number of members and criteria.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from evaluations import permissions, scoring
from evaluations.models import Criterion, Evaluation, Result
from evaluations.selectors.common import ResultRow, results_compute

ROW_HTML = (
    '<tr><td class="text-end result-rank">{rank}{tied}</td>'
    '<th scope="row" class="fw-normal result-member">{name}</th>{cells}'
    '<td class="text-end fw-bold result-total">{total}</td><td>{classification}</td></tr>'
)


@dataclass(frozen=True)
class ResultColumn:
    """A top-level section of the table shown as a subtotal column, with its maximum."""

    code: str
    text: str
    maximum: Decimal

    @property
    def maximum_text(self) -> str:
        return scoring.points_text(self.maximum)


@dataclass(frozen=True)
class ResultLine:
    """One member's row as the page and the PDF show it: its name of that year, points
    written as the portal writes them ("95,50"), and whether its rank is shared."""

    row: ResultRow
    subtotals: list[Decimal | None]
    tied: bool
    rank: str  # as text: the page renders no number through the localisation machinery
    name: str
    short_name: str
    classification: str
    subtotal_texts: list[str]
    bonus_text: str
    penalty_text: str
    total_text: str
    points_cells: list[str]  # subtotals, then the bonus and the penalty the table has

    def __getitem__(self, name):
        # Templates try a key before an attribute: answering the key spares an exception
        # per lookup, which adds up over a table of 60 rows.
        return getattr(self, name)

    @classmethod
    def of(cls, row: ResultRow, table: ResultTable, *, tied: bool) -> ResultLine:
        subtotals = [row.subtotals.get(column.code) for column in table.columns]
        subtotal_texts = [scoring.points_text(value) for value in subtotals]
        bonus_text = scoring.points_text(row.bonus)
        penalty_text = scoring.points_text(row.penalty)
        cells = list(subtotal_texts)
        if table.has_bonus:
            cells.append(bonus_text)
        if table.has_penalty:
            # Subtracted from the total: the page shows it with a minus sign.
            cells.append(f"−{penalty_text}" if row.penalty else penalty_text)
        return cls(
            row=row,
            subtotals=subtotals,
            tied=tied,
            rank=str(row.rank),
            name=row.membership.full_name,
            short_name=row.membership.short_name,
            classification=row.classification or "—",
            subtotal_texts=subtotal_texts,
            bonus_text=bonus_text,
            penalty_text=penalty_text,
            total_text=scoring.points_text(row.total),
            points_cells=cells,
        )


@dataclass
class ResultTable:
    """The results of one evaluation: the subtotal columns, then one row per member, best
    first (ties share a rank and are ordered by name)."""

    evaluation: Evaluation
    provisional: bool
    columns: list[ResultColumn]
    bonus_maximum: Decimal
    penalty_maximum: Decimal
    has_bonus: bool
    has_penalty: bool
    rows: list[ResultRow] = field(default_factory=list)
    _lines: list[ResultLine] | None = field(default=None, repr=False, compare=False)

    @property
    def tied_ranks(self) -> set[int]:
        """The ranks that more than one member shares."""
        counts = Counter(row.rank for row in self.rows)
        return {rank for rank, count in counts.items() if count > 1}

    @property
    def bonus_maximum_text(self) -> str:
        return scoring.points_text(self.bonus_maximum)

    @property
    def penalty_maximum_text(self) -> str:
        return scoring.points_text(self.penalty_maximum)

    @property
    def maximum(self) -> Decimal:
        """The most points a member can have: the base sections' maxima and the bonus."""
        return scoring.quantize(
            sum((column.maximum for column in self.columns), scoring.ZERO) + self.bonus_maximum
        )

    def lines(self) -> list[ResultLine]:
        """The rows as the page and the PDF show them, subtotals in column order (computed
        once per table)."""
        if self._lines is None:
            tied = self.tied_ranks
            self._lines = [ResultLine.of(row, self, tied=row.rank in tied) for row in self.rows]
        return self._lines

    def body_html(self) -> SafeString:
        """The table's ``<tr>`` rows for the page, written here with ``str.format`` and
        ``html.escape`` (what Django's ``escape`` calls) instead of a template loop: on a page
        of 60 rows the template engine cost more than the rest of the page together."""
        tied_badge = ' <span class="badge text-bg-secondary">{}</span>'.format(escape(_("tied")))
        return mark_safe(  # noqa: S308 (every text value is escaped here)
            "".join(
                ROW_HTML.format(
                    rank=escape(line.rank),
                    tied=tied_badge if line.tied else "",
                    name=escape(line.name),
                    cells="".join(
                        f'<td class="text-end">{escape(text)}</td>' for text in line.points_cells
                    ),
                    total=escape(line.total_text),
                    classification=escape(line.classification),
                )
                for line in self.lines()
            )
        )

    def export_header(self) -> list[str]:
        """The header of the CSV and XLSX exports: the page's columns, in its order."""
        header = [_("Rank"), _("Member (name that year)")]
        header += [
            _("%(code)s (max. %(max)s)") % {"code": c.code, "max": scoring.points_text(c.maximum)}
            for c in self.columns
        ]
        if self.has_bonus:
            header.append(_("Bonus"))
        if self.has_penalty:
            header.append(_("Penalty"))
        header += [_("Total"), _("Classification")]
        return header

    def export_rows(self) -> list[list]:
        """The rows of the exports: numbers as numbers (``Decimal``), as on the page."""
        rows = []
        for line_ in self.lines():
            row = line_.row
            line = [row.rank, row.membership.full_name, *line_.subtotals]
            if self.has_bonus:
                line.append(row.bonus)
            if self.has_penalty:
                line.append(row.penalty)
            line += [row.total, row.classification]
            rows.append(line)
        return rows


def _columns(evaluation: Evaluation):
    """The subtotal columns and the bonus and penalty maxima, from the table (one query,
    read as plain values: the page needs no ``Criterion`` objects)."""
    fields = ("id", "code", "text", "kind", "parent_id", "max_points", "cap")
    criteria = Criterion.objects.filter(evaluation=evaluation).order_by("position")
    lines, texts = [], {}
    for pk, code, text, kind, parent_id, max_points, cap in criteria.values_list(*fields):
        lines.append(
            scoring.Line(
                id=pk, code=code, kind=kind, parent_id=parent_id, max_points=max_points, cap=cap
            )
        )
        texts[pk] = text
    maxima = scoring.section_maxima(lines)
    children: dict = {}
    for line in lines:
        children.setdefault(line.parent_id, []).append(line)
    columns, bonus, penalty = [], scoring.ZERO, scoring.ZERO
    has_bonus = has_penalty = False
    for root in children.get(None, []):
        role = scoring.section_role(root, children)
        if role == scoring.BONUS:
            bonus += maxima[root.id]
            has_bonus = True
        elif role == scoring.PENALTY:
            penalty += maxima[root.id]
            has_penalty = True
        else:
            columns.append(ResultColumn(root.code, texts[root.id], maxima[root.id]))
    return columns, scoring.quantize(bonus), scoring.quantize(penalty), has_bonus, has_penalty


@dataclass(frozen=True, slots=True)
class PublishedMember:
    """A member as a published row shows it: the names of that year (a plain record: the
    page of 60 rows needs no ``Membership`` objects, whose construction cost more than the
    rest of the query)."""

    pk: int
    cluster_year_id: int
    department_id: int
    role: str
    full_name: str
    short_name: str


def _published_rows(evaluation: Evaluation) -> list[ResultRow]:
    """The stored results, as published, with the members' names of that year: one query,
    read as plain values (the page shows 60 rows and needs no ``Result`` objects)."""
    rows = (
        Result.objects.filter(evaluation=evaluation)
        .order_by("rank", "membership__sort_key", "pk")
        .values_list(
            "membership_id",
            "membership__department_id",
            "membership__role",
            "membership__full_name",
            "membership__short_name",
            "subtotals",
            "base_points",
            "bonus",
            "penalty",
            "total",
            "rank",
            "classification",
        )
    )
    cluster_year_id = evaluation.cluster_year_id
    return [
        ResultRow(
            membership=PublishedMember(
                membership_id, cluster_year_id, department_id, role, full_name, short_name
            ),
            subtotals={code: Decimal(value) for code, value in subtotals.items()},
            base=base,
            bonus=bonus,
            penalty=penalty,
            total=total,
            rank=rank,
            classification=classification,
        )
        for (
            membership_id,
            department_id,
            role,
            full_name,
            short_name,
            subtotals,
            base,
            bonus,
            penalty,
            total,
            rank,
            classification,
        ) in rows
    ]


def evaluation_for_results(*, code: str, year: int) -> Evaluation:
    """The evaluation of cluster ``code`` in ``year`` with its cluster year and cluster, as
    the results pages need it (one query). The year's members are not loaded: the
    published page needs none, and the leader (for the secretariat's permission and the
    PDF's signature block) costs one query when asked for. Raises
    ``Evaluation.DoesNotExist``."""
    return Evaluation.objects.select_related("cluster_year__cluster").get(
        cluster_year__cluster__code=code, cluster_year__year=year
    )


def result_table(*, evaluation: Evaluation, user) -> ResultTable:
    """The results table of ``evaluation`` for ``user``: the published results, or before
    publication the provisional table computed now (secretariat, reviewers and admins only).

    Raises ``PermissionDenied`` for a user who may not see the results
    (``permissions.can_view_results``). Two queries once published, five before.
    """
    if not permissions.can_view_results(user, evaluation):
        raise PermissionDenied
    published = evaluation.phase == Evaluation.Phase.PUBLISHED
    columns, bonus, penalty, has_bonus, has_penalty = _columns(evaluation)
    if published:
        rows = _published_rows(evaluation)
    else:
        rows = results_compute(evaluation=evaluation, final=True)
    return ResultTable(
        evaluation=evaluation,
        provisional=not published,
        columns=columns,
        bonus_maximum=bonus,
        penalty_maximum=penalty,
        has_bonus=has_bonus,
        has_penalty=has_penalty,
        rows=rows,
    )


# Above this many subtotal columns the official PDF's table is set on landscape pages.
PORTRAIT_MAX_SECTIONS = 3


def results_pdf_context(*, evaluation: Evaluation, table: ResultTable) -> dict:
    """The context of the official results PDF (``pdf/results.html``): the one renderer of
    the results table, for the results page's PDF and for documents that enclose it (the
    award dossier). The leader signs for the cluster; the date is the results' date, or
    the day of publication, or today (one query: the leader)."""
    from django.utils import timezone

    from cluster_portal.documents import decree30_date

    cluster_year = evaluation.cluster_year
    leader = cluster_year.leader
    day = evaluation.results_date
    if day is None and evaluation.published_at is not None:
        day = timezone.localdate(evaluation.published_at)
    if day is None:
        day = timezone.localdate()
    place = leader.department.province if leader else ""
    return {
        "evaluation": evaluation,
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "table": table,
        "leader": leader,
        "landscape": len(table.columns) > PORTRAIT_MAX_SECTIONS,
        "place_and_date": ", ".join(part for part in (place, decree30_date(day)) if part),
        "generated_at": timezone.now(),
    }


def results_url(evaluation: Evaluation) -> str:
    cluster_year = evaluation.cluster_year
    return reverse(
        "evaluations:results-detail",
        kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year},
    )


def result_facts_for(*, user, memberships) -> dict:
    """For the history pages (``members.selectors.register_membership_fact_provider``):
    each membership's published rank and total, ``{membership.pk: [MembershipFact]}``.

    Only published results exist as ``Result`` rows, and the history pages list only the
    years the user may read, where published results are visible to all. Two queries,
    whatever the number of memberships.
    """
    from members.selectors import MembershipFact

    ids = [membership.pk for membership in memberships]
    if not ids:
        return {}
    results = list(
        Result.objects.filter(membership_id__in=ids, evaluation__phase=Evaluation.Phase.PUBLISHED)
        .select_related("evaluation__cluster_year__cluster")
        .only(
            "membership_id",
            "rank",
            "total",
            "classification",
            "evaluation__phase",
            "evaluation__cluster_year__year",
            "evaluation__cluster_year__cluster__code",
        )
    )
    counts = dict(
        Result.objects.filter(evaluation_id__in={result.evaluation_id for result in results})
        .values("evaluation_id")
        .annotate(members=Count("pk"))
        .values_list("evaluation_id", "members")
    )
    facts: dict = {}
    for result in results:
        text = _("Rank %(rank)s of %(members)s, %(total)s points") % {
            "rank": result.rank,
            "members": counts.get(result.evaluation_id, 0),
            "total": scoring.points_text(result.total),
        }
        if result.classification:
            text = f"{text} ({result.classification})"
        facts.setdefault(result.membership_id, []).append(
            MembershipFact(
                label=_("Year-end evaluation"),
                text=text,
                url=results_url(result.evaluation),
            )
        )
    return facts
