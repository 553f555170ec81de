"""Form helpers shared by every app."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    """Django's login form, refusing an over-long user name before any authentication.

    Django only sets the field's max_length after it is built, so no validator enforces it;
    an over-long name then reached the login throttle, whose attempt log has a 255-character
    column (a server error on PostgreSQL).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing ids too large for the database instead of failing.

    On SQLite, Django's ``pk__in`` lookup with an integer beyond 64 bits raises
    OverflowError (a server error); such an id is simply not a valid choice.
    """

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""}
            ) from None


def apply_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, on its fields where it names them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy, whatever the browser's language.

    A text input, not the browser's ``type=date``: that one shows its own format, chosen by
    the browser's locale (mm/dd/yyyy in an English-US browser), which the portal cannot
    set, next to pages that write every date as dd/mm/yyyy. The field reads the same format
    (``cluster_portal/formats``: DATE_INPUT_FORMATS).
    """

    input_type = "text"
    placeholder = "dd/mm/yyyy"
    date_format = "%d/%m/%Y"

    def __init__(self, attrs=None):
        attrs = {"placeholder": self.placeholder, "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs=attrs, format=self.date_format)


class DateTimeInput(forms.DateTimeInput):
    """A date and time typed as dd/mm/yyyy hh:mm (24 hours, Vietnam time), for the reason
    given on ``DateInput``: the browser's ``datetime-local`` shows its locale's format."""

    input_type = "text"
    placeholder = "dd/mm/yyyy hh:mm"
    datetime_format = "%d/%m/%Y %H:%M"

    def __init__(self, attrs=None):
        attrs = {"placeholder": self.placeholder, "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs=attrs, format=self.datetime_format)
