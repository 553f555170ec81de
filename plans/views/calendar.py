"""The cluster calendar pages."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cluster_portal.permissions import ObjectPermissionMixin
from members import selectors as member_selectors
from members.models import MAX_YEAR, MIN_YEAR
from plans import permissions, selectors
from plans.forms import CalendarFilterForm

# Calendar


class CalendarHomeView(View):
    """The Calendar link: the current month of the user's cluster, or an explanation."""

    def get(self, request, *args, **kwargs):
        found = selectors.calendar_month_get_default(user=request.user)
        if found is None:
            return render(request, "plans/calendar/calendar_empty.html")
        cluster, year, month = found
        return redirect("plans:calendar-month", code=cluster.code, year=year, month=month)


class CalendarMonthView(ObjectPermissionMixin, TemplateView):
    """A month of the cluster's activities, optionally only those a department hosts."""

    permission = staticmethod(permissions.can_view_cluster_calendar)
    template_name = "plans/calendar/calendar_month.html"

    def load_object(self):
        return member_selectors.cluster_get(code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, month = self.kwargs["year"], self.kwargs["month"]
        if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
            raise Http404
        cluster = self.get_object()
        form = CalendarFilterForm(
            self.request.GET or None,
            departments=selectors.calendar_department_list(cluster=cluster, year=year),
        )
        department = form.cleaned_data["department"] if form.is_valid() else None
        month_grid = selectors.calendar_month_get(
            cluster=cluster, year=year, month=month, department=department, user=self.request.user
        )
        query = f"?department={department.code}" if department else ""
        context.update(
            cluster=cluster,
            form=form,
            department=department,
            month=month_grid,
            previous_url=self._month_url(cluster, month_grid.previous) + query,
            next_url=self._month_url(cluster, month_grid.next) + query,
            today_url=self._month_url(cluster, timezone.localdate()) + query,
            breadcrumbs=[(_("Calendar"), reverse("plans:calendar"))],
        )
        return context

    @staticmethod
    def _month_url(cluster, day):
        return reverse(
            "plans:calendar-month",
            kwargs={"code": cluster.code, "year": day.year, "month": day.month},
        )
