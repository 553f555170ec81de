"""Filters of the reports: they validate input only; bad values fall back to the defaults."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Covenant
from members.models import MAX_YEAR, MIN_YEAR
from reports.selectors import NO_COVENANT


def state_choices():
    return [("", _("Any state")), *Covenant.State.choices, (NO_COVENANT, _("No covenant"))]


class OverviewFilterForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    cluster = forms.SlugField(label=_("Cluster"), required=False, max_length=50)
    state = forms.ChoiceField(label=_("Covenant state"), required=False, choices=state_choices)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def filters(self) -> dict:
        """The selector's keyword arguments; an invalid field is ignored, never an error."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "year": data.get("year"),
            "cluster_code": data.get("cluster") or "",
            "state": data.get("state") or "",
            "query": data.get("q") or "",
        }
