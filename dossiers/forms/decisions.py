"""The form of the Ministry council's decision on one proposal."""

from django import forms
from django.forms.models import fields_for_model

from cluster_portal.forms import DateInput
from dossiers.models import AwardDecision

_FIELDS = fields_for_model(
    AwardDecision,
    fields=["decision", "reference", "decided_on", "note"],
    widgets={"decided_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})},
)


class AwardDecisionForm(forms.Form):
    """The council's decision, its number (e.g. 123/QĐ-BNV), its date and a note."""

    decision = _FIELDS["decision"]
    reference = _FIELDS["reference"]
    decided_on = _FIELDS["decided_on"]
    note = _FIELDS["note"]
