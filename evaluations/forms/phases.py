"""Forms of the evaluation's phases and dates."""

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from cluster_portal.forms import DateInput, DateTimeInput
from evaluations.models import Evaluation

_DATETIME = DateTimeInput()
_DATE = DateInput()
_DATE_FIELDS = fields_for_model(
    Evaluation,
    fields=["self_assessment_deadline", "checking_deadline", "publication_date"],
    widgets={
        "self_assessment_deadline": _DATETIME,
        "checking_deadline": _DATETIME,
        "publication_date": _DATE,
    },
)


class EvaluationDatesForm(forms.Form):
    """The self-assessment deadline, the checking deadline and the planned publication
    date (times in Vietnam time, GMT+7)."""

    self_assessment_deadline = _DATE_FIELDS["self_assessment_deadline"]
    checking_deadline = _DATE_FIELDS["checking_deadline"]
    publication_date = _DATE_FIELDS["publication_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("self_assessment_deadline", "checking_deadline"):
            self.fields[name].help_text = _("Date and time, Vietnam time (GMT+7).")


class DeadlineExtendForm(forms.Form):
    """A later deadline for one department, and why."""

    until = forms.DateTimeField(
        label=_("New deadline"),
        widget=_DATETIME,
        help_text=_("Date and time, Vietnam time (GMT+7)."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
