"""Forms for legal references."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cluster_portal import uploads
from plans.forms.common import DateInput, _checked_file
from plans.models import LegalReference


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
