"""Forms of the criteria table: a line, a classification, the table's settings, the copy of
last year's table and the XLSX import. They validate input only; the services check the
table as a whole (codes, sections, phase)."""

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from cluster_portal import uploads
from evaluations.models import Classification, Criterion, Evaluation

_LINE_FIELDS = fields_for_model(
    Criterion,
    fields=[
        "code",
        "text",
        "kind",
        "max_points",
        "cap",
        "step",
        "points_per_occurrence",
        "target",
        "unit",
        "below_target_factor",
        "at_target_factor",
        "guidance",
        "evidence_required",
    ],
    widgets={
        "text": forms.Textarea(attrs={"rows": 3}),
        "guidance": forms.Textarea(attrs={"rows": 3}),
    },
)


class CriterionForm(forms.Form):
    """One line of the table: its section, code, text, kind and scoring settings."""

    parent = forms.ModelChoiceField(
        label=_("Section"),
        queryset=Criterion.objects.none(),
        required=False,
        empty_label=_("(top level)"),
        help_text=_("The section this line belongs to; its code starts with the section's."),
    )
    code = _LINE_FIELDS["code"]
    text = _LINE_FIELDS["text"]
    kind = _LINE_FIELDS["kind"]
    max_points = _LINE_FIELDS["max_points"]
    cap = _LINE_FIELDS["cap"]
    step = _LINE_FIELDS["step"]
    points_per_occurrence = _LINE_FIELDS["points_per_occurrence"]
    target = _LINE_FIELDS["target"]
    unit = _LINE_FIELDS["unit"]
    below_target_factor = _LINE_FIELDS["below_target_factor"]
    at_target_factor = _LINE_FIELDS["at_target_factor"]
    guidance = _LINE_FIELDS["guidance"]
    evidence_required = _LINE_FIELDS["evidence_required"]

    def __init__(self, *args, sections=None, instance: Criterion | None = None, **kwargs):
        if instance is not None:
            initial = {
                name: getattr(instance, name) for name in self.base_fields if name != "parent"
            }
            initial["parent"] = instance.parent_id
            kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            sections if sections is not None else Criterion.objects.none()
        )
        self.fields["parent"].label_from_instance = lambda c: f"{c.code}. {c.text[:80]}"
        for name in ("max_points", "cap", "step", "points_per_occurrence", "target"):
            self.fields[name].min_value = 0
            self.fields[name].widget.attrs["min"] = "0"


class ClassificationForm(forms.Form):
    """A classification of the results and the total it starts from."""

    label = fields_for_model(Classification, fields=["label"])["label"]
    min_total = fields_for_model(Classification, fields=["min_total"])["min_total"]


class TableSettingsForm(forms.Form):
    """The table's scoring step and tie-break rule."""

    step = fields_for_model(Evaluation, fields=["step"])["step"]
    tie_break = fields_for_model(Evaluation, fields=["tie_break"])["tie_break"]


class TableCopyForm(forms.Form):
    """Copy last year's table; when this year's has lines, the copy must be confirmed."""

    replace = forms.BooleanField(
        label=_("Replace this year's lines, classifications and settings with the copy"),
        required=False,
    )


class TableImportForm(forms.Form):
    """An Excel workbook (.xlsx) with the table, one row per line."""

    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        help_text=_(
            "One sheet with the columns Mã, Nội dung, Loại, Điểm tối đa, Mức trần, Bước điểm, "
            "Điểm mỗi lần, Chỉ tiêu, Hướng dẫn, Yêu cầu minh chứng (Có/Không). The import "
            "replaces the whole draft table, or changes nothing if any row is wrong."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        uploads.check_upload(upload, accepted=(uploads.XLSX,))
        return upload
