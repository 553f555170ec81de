"""Forms for the cluster charter: versions, articles, adoption, comments and comparison."""

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.forms.common import DateInput, ModelFieldsForm, with_model_fields
from plans.models import Activity, CharterArticle, CharterVersion


class CharterVersionCreateForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        required=False,
        help_text=_("Leave empty to keep the title of the latest version."),
    )


class CharterVersionForm(forms.ModelForm):
    """A draft's title, preamble and voting rules (the defaults of the cluster's ballots
    while the version is in force); a rule left empty keeps its value."""

    VOTING_RULES = (
        "vote_quorum_percent",
        "vote_threshold_percent",
        "vote_threshold_base",
        "vote_blank_invalid",
    )

    class Meta:
        model = CharterVersion
        fields = [
            "title",
            "preamble",
            "vote_quorum_percent",
            "vote_threshold_percent",
            "vote_threshold_base",
            "vote_blank_invalid",
        ]
        widgets = {"preamble": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("vote_quorum_percent", "vote_threshold_percent", "vote_threshold_base"):
            self.fields[name].required = False


@with_model_fields(
    CharterArticle,
    ["number", "heading", "body"],
    widgets={"body": forms.Textarea(attrs={"rows": 8})},
)
class CharterArticleForm(ModelFieldsForm):
    """An article's number, heading and text (the service checks the number is free in
    this version)."""


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
