"""The plain forms built from model fields (``plans/forms/common.py``): same fields as the
model's, initial values from the edited object, and validation that writes nothing."""

import datetime

from django import forms

from plans.forms import ActivityForm, ActivityReportForm, WorkPlanForm
from plans.forms.common import ModelFieldsForm, with_model_fields
from plans.models import Activity


def test_a_model_fields_form_has_the_listed_model_fields_in_order():
    assert list(WorkPlanForm.base_fields) == [
        "number",
        "title",
        "issued_on",
        "objectives",
        "legal_references",
        "adopted_at",
    ]
    assert WorkPlanForm.base_fields["title"].max_length == 500
    assert WorkPlanForm.base_fields["title"].required


def test_a_declared_field_replaces_the_model_field_and_the_others_come_last():
    @with_model_fields(Activity, ["title", "venue"])
    class Declared(ModelFieldsForm):
        extra = forms.CharField()
        venue = forms.IntegerField()

    assert list(Declared.base_fields) == ["title", "venue", "extra"]
    assert isinstance(Declared.base_fields["venue"], forms.IntegerField)


def test_the_host_report_form_offers_exactly_the_host_fields_then_the_version(hosted):
    form = ActivityReportForm(instance=hosted)

    assert list(form.fields) == [*Activity.HOST_FIELDS, "version"]


def test_the_edited_activity_gives_the_initial_values(hosted):
    form = ActivityForm(instance=hosted)

    assert form.initial["title"] == hosted.title
    assert form.initial["host"] == hosted.host_id
    assert form.initial["starts_on"] == hosted.starts_on
    assert form.fields["version"].initial == hosted.version


def test_validating_an_activity_form_writes_nothing_on_the_activity(hosted):
    before = (hosted.title, hosted.venue, hosted.starts_on)
    data = {
        "title": "Tiêu đề khác",
        "kind": hosted.kind,
        "starts_on": "2024-03-01",
        "ends_on": "2024-03-02",
        "venue": "Nơi khác",
        "status": hosted.status,
        "progress": "10",
        "version": str(hosted.version),
    }

    form = ActivityForm(data, instance=hosted)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_on"] == datetime.date(2024, 3, 1)
    assert (hosted.title, hosted.venue, hosted.starts_on) == before
