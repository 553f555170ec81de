"""Forms for work plans, their activities and conference attendees.

The activity forms and the attendee form are plain forms over the model's fields: the
service validates the activity as a whole (dates, plan year, host, membership), which the
model's own ``full_clean`` could not do without the work plan.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from cluster_portal.forms import ModelMultipleChoiceField
from members.forms import DepartmentChoiceField
from members.models import Department
from plans.forms.common import DateInput, ModelFieldsForm, TimeInput, with_model_fields
from plans.models import Activity, Attendee, WorkPlan


@with_model_fields(
    WorkPlan,
    ["number", "title", "issued_on", "objectives", "legal_references", "adopted_at"],
    field_classes={"legal_references": ModelMultipleChoiceField},
    widgets={
        "issued_on": DateInput(),
        "objectives": forms.Textarea(attrs={"rows": 5}),
        "legal_references": forms.CheckboxSelectMultiple,
    },
)
class WorkPlanForm(ModelFieldsForm):
    """Number and symbol, title, issue date, objectives and legal bases of a plan; when
    editing, also the conference that adopted it (the service checks the conference)."""

    def __init__(self, *args, conferences=None, references=None, **kwargs):
        super().__init__(*args, **kwargs)
        if references is not None:  # what the cluster may cite: its own and site-wide ones
            self.fields["legal_references"].queryset = references
        if conferences is None:
            del self.fields["adopted_at"]  # a new plan has not been adopted yet
        else:
            self.fields["adopted_at"].queryset = conferences
            self.fields["adopted_at"].label_from_instance = lambda a: (
                f"{a.starts_on:%d/%m/%Y} – {a.title}"
            )


_ACTIVITY_WIDGETS = {
    "starts_on": DateInput(),
    "ends_on": DateInput(),
    "start_time": TimeInput(),
    "end_time": TimeInput(),
    "outcome_notes": forms.Textarea(attrs={"rows": 4}),
    "agenda": forms.Textarea(attrs={"rows": 4}),
    "minutes_text": forms.Textarea(attrs={"rows": 6}),
}


@with_model_fields(Activity, Activity.EDITABLE_FIELDS, widgets=_ACTIVITY_WIDGETS)
class ActivityForm(ModelFieldsForm):
    """Every field of an activity (the secretariat's form).

    ``version`` is the version the editor started from: the service refuses the save if
    someone else saved in between.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    host = DepartmentChoiceField(
        label=_("Host department"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = members if members is not None else Department.objects.none()
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100})
        if self.instance is not None and self.instance.pk:
            self.fields["version"].initial = self.instance.version


@with_model_fields(Activity, Activity.HOST_FIELDS, widgets=_ACTIVITY_WIDGETS)
class ActivityReportForm(ActivityForm):
    """What the host department reports: dates, venue, status, progress, outcome, record."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("host", None)


@with_model_fields(Attendee, ["kind", "department", "organisation", "name", "title", "is_chair"])
class AttendeeForm(ModelFieldsForm):
    """A member department's representative, or a guest, at a conference (the service
    checks membership and the member/guest rules)."""

    department = DepartmentChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["department"].queryset = members
