"""Forms for the cluster calendar."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Department


class CalendarFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Hosted by"),
        queryset=Department.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("Every department"),
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments
        self.fields["department"].label_from_instance = lambda d: d.full_name
