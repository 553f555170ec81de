"""Forms of the award dossier: they validate input only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cluster_portal import uploads
from dossiers.models import Dossier


class DossierTextsForm(forms.ModelForm):
    """The texts of the draft: the body of the Tờ trình and who signs for the cluster."""

    class Meta:
        model = Dossier
        fields = ["submission_text", "signer_name", "signer_title"]
        widgets = {"submission_text": forms.Textarea(attrs={"rows": 8})}


class AttachmentForm(forms.Form):
    """An attachment: a title and the file, checked by its content."""

    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=uploads.KIND_LABELS[uploads.DOCUMENT_KINDS],
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        uploads.check_upload(file, accepted=uploads.DOCUMENT_KINDS)
        return file


class ReturnForm(forms.Form):
    """Why the Ministry returns the dossier."""

    reason = forms.CharField(
        label=_("Reason for return"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
