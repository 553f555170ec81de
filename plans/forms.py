"""Forms of the plans app: they validate input only; services do the rest.

File fields are checked by content here (for a clear message on the field) and again by
the services before anything is saved.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from cluster_portal import uploads
from cluster_portal.forms import ModelMultipleChoiceField
from members.forms import DepartmentChoiceField
from members.models import Department
from plans.models import (
    Activity,
    Attachment,
    Attendee,
    CharterArticle,
    CharterVersion,
    LegalReference,
    NewsPost,
    WorkPlan,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _checked_file(upload, accepted):
    if upload:
        uploads.check_upload(upload, accepted=accepted)
    return upload


class LegalReferenceForm(forms.ModelForm):
    """A document cited by plans and covenants, with an optional file."""

    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, image, Word or Excel; checked by content."),
    )

    class Meta:
        model = LegalReference
        fields = ["kind", "number", "issued_on", "issuer", "title"]
        widgets = {"issued_on": DateInput()}

    def __init__(self, *args, clusters=None, site_wide=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Creating: whose reference it is, when the user has a choice (a site admin, or a
        # secretariat of several clusters); otherwise the service takes the user's cluster.
        if clusters is not None and (site_wide or clusters.count() > 1):
            self.fields["cluster"] = forms.ModelChoiceField(
                label=_("Cluster"),
                queryset=clusters,
                required=not site_wide,
                empty_label=_("Site-wide (every cluster)") if site_wide else "---------",
                help_text=_("The cluster whose plans and covenants cite it."),
            )
            self.order_fields(["cluster"])

    def clean_upload(self):
        return _checked_file(self.cleaned_data.get("upload"), uploads.DOCUMENT_KINDS)


class WorkPlanForm(forms.ModelForm):
    """Number and symbol, title, issue date, objectives and legal bases of a plan; when
    editing, also the conference that adopted it."""

    class Meta:
        model = WorkPlan
        fields = ["number", "title", "issued_on", "objectives", "legal_references", "adopted_at"]
        field_classes = {"legal_references": ModelMultipleChoiceField}
        widgets = {
            "issued_on": DateInput(),
            "objectives": forms.Textarea(attrs={"rows": 5}),
            "legal_references": forms.CheckboxSelectMultiple,
        }

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

    def _post_clean(self):
        pass  # the service checks the conference


_ACTIVITY_WIDGETS = {
    "starts_on": DateInput(),
    "ends_on": DateInput(),
    "start_time": TimeInput(),
    "end_time": TimeInput(),
    "outcome_notes": forms.Textarea(attrs={"rows": 4}),
    "agenda": forms.Textarea(attrs={"rows": 4}),
    "minutes_text": forms.Textarea(attrs={"rows": 6}),
}


class ActivityForm(forms.ModelForm):
    """Every field of an activity (the secretariat's form).

    ``version`` is the version the editor started from: the service refuses the save if
    someone else saved in between.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    host = DepartmentChoiceField(
        label=_("Host department"), queryset=Department.objects.none(), required=False
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "kind",
            "host",
            "starts_on",
            "ends_on",
            "start_time",
            "end_time",
            "outside_plan_year",
            "venue",
            "status",
            "progress",
            "outcome_notes",
            "agenda",
            "minutes_text",
            "adopted_covenant",
        ]
        widgets = _ACTIVITY_WIDGETS

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = members if members is not None else Department.objects.none()
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100})
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self):
        # The service validates the activity as a whole (dates, plan year, host); the
        # model's own full_clean would need the work plan, which the form does not carry.
        pass


class ActivityReportForm(ActivityForm):
    """What the host department reports: dates, venue, status, progress, outcome, record."""

    class Meta(ActivityForm.Meta):
        fields = [
            "starts_on",
            "ends_on",
            "start_time",
            "end_time",
            "venue",
            "status",
            "progress",
            "outcome_notes",
            "agenda",
            "minutes_text",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("host", None)


class AttendeeForm(forms.ModelForm):
    """A member department's representative, or a guest, at a conference."""

    department = DepartmentChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )

    class Meta:
        model = Attendee
        fields = ["kind", "department", "organisation", "name", "title", "is_chair"]

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["department"].queryset = members

    def _post_clean(self):
        pass  # the service checks membership and the member/guest rules


class AttachmentForm(forms.Form):
    """A file for an activity: a document, or the scan of the signed minutes."""

    purpose = forms.ChoiceField(label=_("What is it?"), choices=Attachment.Purpose.choices)
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    file = forms.FileField(label=_("File"))

    def clean(self):
        cleaned = super().clean()
        upload, purpose = cleaned.get("file"), cleaned.get("purpose")
        if upload and purpose:
            accepted = (
                uploads.MINUTES_KINDS
                if purpose == Attachment.Purpose.MINUTES
                else uploads.DOCUMENT_KINDS
            )
            try:
                uploads.check_upload(upload, accepted=accepted)
            except forms.ValidationError as error:
                self.add_error("file", error)
        return cleaned


class PhotoForm(forms.Form):
    """A JPEG, PNG or WebP photo with its caption."""

    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP; checked by content."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=500, required=False)

    def clean_image(self):
        return _checked_file(self.cleaned_data.get("image"), uploads.PHOTO_KINDS)


class CharterVersionCreateForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        required=False,
        help_text=_("Leave empty to keep the title of the latest version."),
    )


class CharterVersionForm(forms.ModelForm):
    class Meta:
        model = CharterVersion
        fields = ["title", "preamble"]
        widgets = {"preamble": forms.Textarea(attrs={"rows": 4})}


class CharterArticleForm(forms.ModelForm):
    class Meta:
        model = CharterArticle
        fields = ["number", "heading", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def _post_clean(self):
        pass  # the service checks the number is free in this version


class CharterAdoptForm(forms.Form):
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DateInput())
    conference = forms.ModelChoiceField(
        label=_("At the conference"), queryset=Activity.objects.none(), required=False
    )

    def __init__(self, *args, conferences=None, **kwargs):
        super().__init__(*args, **kwargs)
        if conferences is not None:
            self.fields["conference"].queryset = conferences
        self.fields["conference"].label_from_instance = lambda a: (
            f"{a.starts_on:%d/%m/%Y} – {a.title}"
        )


class CharterCommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}))


class CharterAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    resolve = forms.BooleanField(label=_("Mark the comment resolved"), required=False)


class CharterCompareForm(forms.Form):
    against = forms.ModelChoiceField(
        label=_("Compare with version"),
        queryset=CharterVersion.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if versions is not None:
            self.fields["against"].queryset = versions
        self.fields["against"].label_from_instance = lambda v: (
            f"{v.number} – {v.get_state_display()}"
        )


class NewsPostForm(forms.ModelForm):
    author_department = DepartmentChoiceField(
        label=_("Author department"), queryset=Department.objects.none()
    )

    class Meta:
        model = NewsPost
        fields = ["title", "body", "author_department", "author_name", "activity"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, departments=None, activities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["author_department"].queryset = departments
        self.fields["activity"].queryset = (
            activities if activities is not None else Activity.objects.none()
        )

    def _post_clean(self):
        pass  # the service checks the author department and the activity


class NewsPublishForm(forms.Form):
    published_on = forms.DateField(
        label=_("Date"), required=False, widget=DateInput(), help_text=_("Today if empty.")
    )


class ConfirmForm(forms.Form):
    """A confirmation checkbox for actions that cannot be undone."""

    confirm = forms.BooleanField(label=_("Yes, I am sure"))


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
