"""Forms for files: attachments of activities and photos.

File fields are checked by content here (for a clear message on the field) and again by
the services before anything is saved.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from cluster_portal import uploads
from plans.forms.common import _checked_file
from plans.models import Attachment


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
