"""The vote form and the receipt check form: input only; the service judges the vote."""

from django import forms
from django.utils.translation import gettext_lazy as _


class VoteForm(forms.Form):
    """The candidates (radio buttons when one may be chosen, else check boxes), the
    confirmation and the password. The number of choices is the service's to judge (a blank
    or over-filled paper is refused or counted invalid, as the ballot says)."""

    confirm = forms.BooleanField(required=False)
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
    )

    def __init__(self, *args, ballot, candidates, department_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        options = [(candidate.pk, candidate.membership.full_name) for candidate in candidates]
        if ballot.max_choices == 1:
            field = forms.TypedChoiceField(
                choices=options,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )
        else:
            field = forms.TypedMultipleChoiceField(
                choices=options, coerce=int, required=False, widget=forms.CheckboxSelectMultiple
            )
        field.label = _("Your choice")
        self.fields = {"choices": field, **self.fields}
        self.fields["confirm"].label = _(
            "I cast this secret ballot on behalf of %(department)s; it cannot be changed."
        ) % {"department": department_name}

    def chosen(self) -> list[int]:
        """The chosen candidate ids, as a list whatever the widget."""
        value = self.cleaned_data.get("choices")
        if value is None or value == "":
            return []
        return list(value) if isinstance(value, list) else [value]


class ReceiptCheckForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        help_text=_("As shown when you voted, e.g. 7KQM-3WXD-PA9T."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
