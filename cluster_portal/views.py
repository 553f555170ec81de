"""View helpers shared by the apps."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy

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


class FormPageMixin:
    """Context for the shared one-form page ``form_page.html`` (title, intro, buttons, crumbs).

    Set ``page_title``, ``intro``, ``submit_label`` and ``multipart`` on the view, or
    override ``get_page_title``, ``get_cancel_url`` and ``get_breadcrumbs`` (a list of
    ``(label, url)``). An app whose form pages need their own head sets ``template_name`` to
    a template that extends ``form_page.html``.
    """

    template_name = "form_page.html"
    page_title = ""
    intro = ""
    submit_label = gettext_lazy("Save")
    multipart = False

    def get_page_title(self):
        return self.page_title

    def get_cancel_url(self):
        return None

    def get_breadcrumbs(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=self.get_page_title(),
            intro=self.intro,
            submit_label=self.submit_label,
            multipart=self.multipart,
            cancel_url=self.get_cancel_url(),
            breadcrumbs=self.get_breadcrumbs(),
        )
        return context
