"""Forms of the members app: they validate input only; services do the rest."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from cluster_portal.forms import ModelMultipleChoiceField
from members.models import MAX_YEAR, MIN_YEAR, ClusterYear, Department


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class DepartmentMultipleChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


_YEAR_FIELDS = fields_for_model(
    ClusterYear,
    fields=["theme", "motto", "phase"],
    widgets={
        "theme": forms.Textarea(attrs={"rows": 2}),
        "motto": forms.Textarea(attrs={"rows": 2}),
    },
)


class ClusterYearForm(forms.Form):
    """Theme, motto and phase of a cluster year: the model's fields in a plain form, which
    validates input and writes nothing (``cluster_year_update`` does)."""

    theme = _YEAR_FIELDS["theme"]
    motto = _YEAR_FIELDS["motto"]
    phase = _YEAR_FIELDS["phase"]


class LeadershipForm(forms.Form):
    """The election result: leader (Cụm trưởng) and deputy (Cụm phó) among the members.

    Whether the two may hold those roles is the service's rule (``_check_leadership`` in
    ``members.services``); the view shows its error on these fields.
    """

    leader = DepartmentChoiceField(
        label=_("Leader (Cụm trưởng)"), queryset=Department.objects.none(), required=False
    )
    deputy = DepartmentChoiceField(
        label=_("Deputy (Cụm phó)"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args, cluster_year, **kwargs):
        super().__init__(*args, **kwargs)
        members = Department.objects.filter(memberships__cluster_year=cluster_year).order_by(
            "sort_key"
        )
        self.fields["leader"].queryset = members
        self.fields["deputy"].queryset = members


class ClusterYearStartForm(forms.Form):
    """Start a new year: members (proposed from the previous year), leader and deputy.

    The departments offered are those that exist in ``year`` (the one being started, as the
    view reads it from the request). The leader and deputy rule is the service's; its errors
    are shown on these fields.
    """

    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    members = DepartmentMultipleChoiceField(
        label=_("Members"),
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    leader = DepartmentChoiceField(
        label=_("Leader (Cụm trưởng)"), queryset=Department.objects.none(), required=False
    )
    deputy = DepartmentChoiceField(
        label=_("Deputy (Cụm phó)"), queryset=Department.objects.none(), required=False
    )
    theme = forms.CharField(
        label=_("Emulation theme"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    motto = forms.CharField(
        label=_("Motto of the year"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, year: int, copies=(), **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.valid_in_year(year).order_by("sort_key")
        for name in ("members", "leader", "deputy"):
            self.fields[name].queryset = departments
        # What the new year may take over from the previous one (registered by other apps).
        for copy in copies:
            self.fields[f"copy_{copy.code}"] = forms.BooleanField(label=copy.label, required=False)

    def copy_codes(self) -> list[str]:
        """The codes of what the user chose to copy from the previous year."""
        return [
            name.removeprefix("copy_")
            for name, value in self.cleaned_data.items()
            if name.startswith("copy_") and value
        ]


class DepartmentSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class MembershipAddForm(forms.Form):
    """A department joining a year: those that exist that year and are not members yet."""

    department = DepartmentChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        help_text=_(
            "Departments that exist in that year and are not members yet. Its names and parent "
            "body are recorded as they are today."
        ),
    )

    def __init__(self, *args, cluster_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = (
            Department.objects.valid_in_year(cluster_year.year)
            .exclude(memberships__cluster_year=cluster_year)
            .order_by("sort_key")
        )


class MembershipRemoveForm(forms.Form):
    """Confirmation only: the department is named by the URL."""


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, validating the new password only: the current one is checked by
    ``user_password_change``, throttled and recorded."""

    def clean_old_password(self):
        return self.cleaned_data["old_password"]


class AuditLogFilterForm(forms.Form):
    """The audit log's filters (GET); every one optional. Choices come from the view, already
    scoped to what the user may read, so a value outside them is refused, not applied."""

    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=None, required=False, to_field_name="code"
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    department = forms.ModelChoiceField(
        label=_("Department that acted"),
        queryset=None,
        required=False,
        to_field_name="code",
    )
    action = forms.ChoiceField(label=_("Kind of event"), required=False)

    def __init__(self, *args, clusters, years, departments, actions, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["cluster"].queryset = clusters
        self.fields["cluster"].empty_label = _("All")
        self.fields["year"].choices = everything + [(year, str(year)) for year in years]
        self.fields["department"].queryset = departments
        self.fields["department"].empty_label = _("All")
        self.fields["department"].label_from_instance = lambda obj: obj.short_name
        self.fields["action"].choices = everything + list(actions)


class MailPreferencesForm(forms.Form):
    """Which kinds of to-do items reach the user by e-mail (ticked: e-mail on)."""

    kinds = forms.MultipleChoiceField(
        label=_("E-mail me about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Untick a kind to stop its e-mails. New items of every kind still appear under "
            "the bell and in My to-do."
        ),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = kinds
