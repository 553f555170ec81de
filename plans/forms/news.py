"""Forms for news posts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.forms import DepartmentChoiceField
from members.models import Department
from plans.forms.common import DateInput, ModelFieldsForm, with_model_fields
from plans.models import Activity, NewsPost


@with_model_fields(
    NewsPost,
    ["title", "body", "author_department", "author_name", "activity"],
    widgets={"body": forms.Textarea(attrs={"rows": 12})},
)
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


class NewsPublishForm(forms.Form):
    published_on = forms.DateField(
        label=_("Date"), required=False, widget=DateInput(), help_text=_("Today if empty.")
    )
