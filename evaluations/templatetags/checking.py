"""Template filters of the checking pages."""

from django import template

from evaluations import scoring

register = template.Library()


@register.filter
def points(value):
    """Points as the portal writes them ("7,25"), through ``scoring.points_text``."""
    return scoring.points_text(value)
