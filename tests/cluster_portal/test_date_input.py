"""Dates in forms are typed and shown as dd/mm/yyyy, in Vietnamese and in English."""

import datetime

import pytest
from django import forms
from django.utils import translation

from cluster_portal.forms import DateInput, DateTimeInput


class DatesForm(forms.Form):
    day = forms.DateField(widget=DateInput())
    moment = forms.DateTimeField(widget=DateTimeInput())


@pytest.fixture(params=["vi", "en"])
def language(request):
    with translation.override(request.param):
        yield request.param


def test_a_date_typed_day_first_means_that_day(language):
    form = DatesForm({"day": "05/06/2026", "moment": "05/06/2026 14:30"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 6, 5)
    moment = form.cleaned_data["moment"]
    assert (moment.day, moment.month, moment.hour, moment.minute) == (5, 6, 14, 30)


def test_a_month_first_date_is_refused_rather_than_read_as_another_day(language):
    form = DatesForm({"day": "05/24/2019", "moment": "05/24/2019 10:00"})
    assert not form.is_valid()
    assert set(form.errors) == {"day", "moment"}


def test_an_iso_date_is_still_accepted(language):
    form = DatesForm({"day": "2019-05-24", "moment": "2019-05-24T10:00"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2019, 5, 24)


def test_the_widgets_are_text_inputs_showing_dd_mm_yyyy(language):
    form = DatesForm(
        initial={"day": datetime.date(2019, 5, 24), "moment": datetime.datetime(2019, 5, 24, 9, 5)}
    )
    day, moment = str(form["day"]), str(form["moment"])
    assert 'type="text"' in day and 'value="24/05/2019"' in day
    assert 'placeholder="dd/mm/yyyy"' in day
    assert 'type="text"' in moment and 'value="24/05/2019 09:05"' in moment
