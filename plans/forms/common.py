"""Widgets and helpers shared by the plans forms.

Forms validate input only. Where a form edits a model's fields but the service validates
the object as a whole (dates against the plan year, membership of the host, a free article
number), it is a plain ``Form`` whose fields come from the model (``with_model_fields``), so
the model's own ``full_clean`` never runs half-informed and no private hook of ``ModelForm``
needs switching off.
"""

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from cluster_portal import uploads
from cluster_portal.forms import DateInput  # noqa: F401 (re-exported for the plans forms)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _checked_file(upload, accepted):
    if upload:
        uploads.check_upload(upload, accepted=accepted)
    return upload


def with_model_fields(model, fields, *, widgets=None, field_classes=None):
    """Class decorator: give a ``ModelFieldsForm`` the form fields of ``model`` named in
    ``fields``, in that order (``fields_for_model``); a field the form declares itself wins,
    and declared fields not in ``fields`` come after, as on a ``ModelForm``."""

    def decorate(form_class):
        generated = fields_for_model(
            model,
            fields,
            widgets=widgets,
            field_classes=field_classes,
            apply_limit_choices_to=False,
        )
        declared = form_class.declared_fields
        base_fields = {name: declared.get(name, generated[name]) for name in fields}
        base_fields.update({name: f for name, f in declared.items() if name not in base_fields})
        form_class.base_fields = base_fields
        form_class.model_field_names = tuple(fields)
        return form_class

    return decorate


class ModelFieldsForm(forms.Form):
    """A plain form over some of a model's fields: ``instance`` (the object being edited,
    or None) gives the initial values, as a ``ModelForm``'s would; nothing is saved."""

    model_field_names: tuple[str, ...] = ()

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs["initial"] = {
                **model_to_dict(instance, self.model_field_names),
                **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)


class ConfirmForm(forms.Form):
    """A confirmation checkbox for actions that cannot be undone."""

    confirm = forms.BooleanField(label=_("Yes, I am sure"))
