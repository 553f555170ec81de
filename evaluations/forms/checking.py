"""Forms of the checking phase and of publication: they validate input only; the
services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cluster_portal.forms import DateInput
from evaluations.models import Evaluation

POINTS_WIDGET = forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"})


class CheckingModeForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Checking method"),
        choices=Evaluation.CheckingMode.choices,
        widget=forms.RadioSelect,
    )


class CheckerAssignForm(forms.Form):
    """Choose another checker for one member's assessment (memberships of the year)."""

    member = forms.ModelChoiceField(label=_("Assessment of"), queryset=None)
    checker = forms.ModelChoiceField(label=_("Checked by"), queryset=None)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("member", "checker"):
            self.fields[name].queryset = memberships
            self.fields[name].label_from_instance = lambda m: m.short_name

    def clean(self):
        cleaned = super().clean()
        member, checker = cleaned.get("member"), cleaned.get("checker")
        if member is not None and member == checker:
            raise forms.ValidationError(_("A member never checks its own assessment."), code="own")
        return cleaned


class AdjustmentProposeForm(forms.Form):
    to_points = forms.DecimalField(
        label=_("Adjusted score"), min_value=0, max_digits=7, decimal_places=2, widget=POINTS_WIDGET
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AdjustmentDecideForm(forms.Form):
    DECISIONS = [
        ("accept", _("Accept the proposed score")),
        ("override", _("Override with the secretariat's score")),
        ("reject", _("Reject: keep the current score")),
    ]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    points = forms.DecimalField(
        label=_("The secretariat's score (when overriding)"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        widget=POINTS_WIDGET,
    )
    reason = forms.CharField(
        label=_("Reason (required when overriding)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "override":
            if cleaned.get("points") is None and "points" not in self.errors:
                self.add_error(
                    "points",
                    forms.ValidationError(_("Enter the secretariat's score."), code="required"),
                )
            if not (cleaned.get("reason") or "").strip():
                self.add_error(
                    "reason",
                    forms.ValidationError(
                        _("Give the reason for overriding the proposal."), code="reason_required"
                    ),
                )
        return cleaned


class AdjustmentAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("You can answer each adjustment once."),
    )


class PublishForm(forms.Form):
    results_number = forms.CharField(
        label=_("Number and symbol of the results table"),
        max_length=50,
        help_text=_("e.g. 05/BC-CTĐ"),
    )
    results_date = forms.DateField(
        label=_("Date of the results table"),
        widget=DateInput(),
    )
