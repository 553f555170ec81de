"""View helpers shared by the apps."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from cluster_portal.forms import apply_service_errors


class ServiceFormMixin:
    """A form view whose work is one service call (put it before ``FormView``).

    ``perform(form)`` calls the service and returns where to go next (a model, a URL or a
    view name, as for ``redirect``). A ``ValidationError`` it raises is shown on the form,
    on the fields it names, and the form is shown again; otherwise ``success_message`` is
    shown at ``message_level`` on the next page.
    """

    success_message = ""
    message_level = messages.SUCCESS

    def perform(self, form):
        raise NotImplementedError

    def get_success_message(self, target):
        """The message after ``perform`` succeeded, given what it returned."""
        return self.success_message

    def form_valid(self, form):
        try:
            target = self.perform(form)
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        message = self.get_success_message(target)
        if message:
            messages.add_message(self.request, self.message_level, message)
        return redirect(target)
