"""Forms for news posts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cluster_portal import uploads
from members.forms import DepartmentChoiceField
from members.models import Department
from plans.forms.common import DateInput, ModelFieldsForm, _checked_file, with_model_fields
from plans.models import Activity, NewsPost

NEWS_POST_FIELDS = ["title", "body", "author_department", "author_name", "activity"]
NEWS_POST_WIDGETS = {"body": forms.Textarea(attrs={"rows": 12})}


@with_model_fields(NewsPost, NEWS_POST_FIELDS, widgets=NEWS_POST_WIDGETS)
class NewsPostForm(ModelFieldsForm):
    """A post's title, text, author and activity (the service checks the author department
    and the activity)."""

    author_department = DepartmentChoiceField(
        label=_("Author department"), queryset=Department.objects.none()
    )

    def __init__(self, *args, departments=None, activities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["author_department"].queryset = departments
        self.fields["activity"].queryset = (
            activities if activities is not None else Activity.objects.none()
        )


@with_model_fields(NewsPost, NEWS_POST_FIELDS, widgets=NEWS_POST_WIDGETS)
class NewsPostCreateForm(NewsPostForm):
    """A new post with, on the same page, its first photo (more can be added later)."""

    image = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("Optional. JPEG, PNG or WebP; checked by content. Shown in the news list."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Photo caption"), max_length=500, required=False)

    def clean_image(self):
        return _checked_file(self.cleaned_data.get("image"), uploads.PHOTO_KINDS)


class NewsPublishForm(forms.Form):
    published_on = forms.DateField(
        label=_("Date"), required=False, widget=DateInput(), help_text=_("Today if empty.")
    )
