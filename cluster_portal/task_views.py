"""The failed background tasks of the user's cluster years, and the retry button."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.tasks import (
    can_see_task_failures,
    task_failure_get,
    task_failure_list,
    task_retry,
)


class TaskFailureListView(ObjectPermissionMixin, TemplateView):
    """Tasks that failed after every attempt: the secretariat's cluster years, or all for
    site admins; 404 for everyone else."""

    template_name = "cluster_portal/task_failures.html"
    permission = staticmethod(can_see_task_failures)

    def load_object(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["failures"] = task_failure_list(user=self.request.user)
        return context


class TaskRetryView(ObjectPermissionMixin, TemplateView):
    """Confirm (GET) and queue again (POST) one failed task the user sees; 404 otherwise."""

    template_name = "cluster_portal/task_retry_confirm.html"
    permission = staticmethod(can_see_task_failures)

    def load_object(self):
        return task_failure_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["failure"] = self.get_object()
        context["breadcrumbs"] = [(_("Failed background tasks"), reverse("task-failures"))]
        return context

    def post(self, request, *args, **kwargs):
        try:
            task_retry(failure=self.get_object(), by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The task has been queued again."))
        return redirect("task-failures")
