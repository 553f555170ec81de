"""Forms for covenants: they validate input only; services decide and record."""

from django import forms
from django.conf import settings
from django.forms.models import fields_for_model, model_to_dict
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from agreements.models import Covenant
from cluster_portal import uploads
from cluster_portal.forms import DateInput, DateTimeInput, ModelMultipleChoiceField
from plans.models import LegalReference

# What the secretariat writes of a covenant (the model's fields, as the services take them).
COVENANT_FIELDS = [
    "title",
    "number",
    "preamble",
    "legal_bases",
    "place",
    "signing_date",
    "deadline",
    "leader_signs_last",
    "recipients",
]
_COVENANT_FORM_FIELDS = fields_for_model(
    Covenant,
    fields=[name for name in COVENANT_FIELDS if name != "legal_bases"],
    widgets={
        "preamble": forms.Textarea(attrs={"rows": 5}),
        "recipients": forms.Textarea(attrs={"rows": 3}),
        "signing_date": DateInput(),
        "deadline": DateTimeInput(),
    },
)


class CovenantForm(forms.Form):
    """The text and settings of a draft covenant; commitments one per paragraph.

    The model's fields in a plain form: it validates input and writes nothing
    (``covenant_create`` and ``covenant_update`` do). ``covenant`` fills it for editing.
    """

    title = _COVENANT_FORM_FIELDS["title"]
    number = _COVENANT_FORM_FIELDS["number"]
    preamble = _COVENANT_FORM_FIELDS["preamble"]
    legal_bases = ModelMultipleChoiceField(
        label=_("Legal bases"),
        queryset=LegalReference.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    place = _COVENANT_FORM_FIELDS["place"]
    signing_date = _COVENANT_FORM_FIELDS["signing_date"]
    deadline = _COVENANT_FORM_FIELDS["deadline"]
    leader_signs_last = _COVENANT_FORM_FIELDS["leader_signs_last"]
    recipients = _COVENANT_FORM_FIELDS["recipients"]
    commitments_text = forms.CharField(
        label=_("Commitments"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("One commitment per paragraph (separate them with an empty line)."),
    )

    def __init__(self, *args, references=None, covenant=None, **kwargs):
        if covenant is not None:
            kwargs["initial"] = {
                **model_to_dict(covenant, fields=COVENANT_FIELDS),
                "commitments_text": "\n\n".join(c.text for c in covenant.commitments.all()),
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        if references is not None:  # what the cluster may cite: its own and site-wide ones
            self.fields["legal_bases"].queryset = references

    def clean_commitments_text(self):
        paragraphs = [
            " ".join(p.split()) for p in self.cleaned_data["commitments_text"].split("\n\n")
        ]
        commitments = [p for p in paragraphs if p]
        if not commitments:
            raise forms.ValidationError(_("Write at least one commitment."), code="no_commitments")
        return commitments

    def service_fields(self) -> dict:
        """The cleaned data as ``covenant_create`` and ``covenant_update`` take it."""
        data = self.cleaned_data
        return {
            **{name: data[name] for name in COVENANT_FIELDS},
            "commitments": data["commitments_text"],
        }


class SignForm(forms.Form):
    """Confirm on behalf of the department, re-entering the password."""

    confirm = forms.BooleanField(required=False)
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
    )

    def __init__(self, *args, department_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = _("I confirm on behalf of %(department)s") % {
            "department": department_name
        }


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class NewVersionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why must the text change?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class PaperSignatureForm(forms.Form):
    """A paper original recorded by the secretariat."""

    department = forms.ModelChoiceField(label=_("Department"), queryset=None)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=255)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=255, required=False)
    signed_at = forms.DateTimeField(
        label=_("Signed at"),
        widget=DateTimeInput(),
    )
    scan = forms.FileField(
        label=_("Scan of the signed original (PDF or image)"),
        error_messages={"required": _("Attach the scan of the signed paper original.")},
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan:
            uploads.check_upload(scan, accepted=uploads.SCAN_KINDS)
        return scan


class PdfVerifyForm(forms.Form):
    """A PDF to check; its bytes are read here, within the size limit."""

    file = forms.FileField(label=_("PDF file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.PDF_VERIFY_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)},
                code="too_large",
            )
        data = upload.read()
        if not data.lstrip()[:5] == b"%PDF-":
            raise forms.ValidationError(_("The file is not a PDF."), code="not_pdf")
        self.cleaned_data["data"] = data
        return upload
