"""Template filters of the self-assessment pages: points as the portal writes them and
what a member entered on a line."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from evaluations import scoring
from evaluations.models import Criterion

register = template.Library()


@register.filter
def points(value) -> str:
    """Points with the Vietnamese decimal comma ("7,25"); "—" for none."""
    if not isinstance(value, Decimal | int):
        return "—"
    return scoring.points_text(value) or "—"


@register.simple_tag
def entered(score) -> str:
    """What was entered on a line, as its kind reads: points, yes/no, a count, an actual."""
    if score is None:
        return "—"
    kind = score.criterion.kind
    if kind == Criterion.Kind.PER_OCCURRENCE:
        return "—" if score.count is None else _("%(count)s times") % {"count": score.count}
    if kind == Criterion.Kind.QUANTITATIVE:
        if score.actual is None:
            return "—"
        return f"{scoring.points_text(score.actual)} {score.criterion.unit}".strip()
    if score.self_points is None:
        return "—"
    if kind == Criterion.Kind.YES_NO:
        return _("Yes") if score.self_points and score.self_points == score.max_points else _("No")
    return scoring.points_text(score.self_points)
