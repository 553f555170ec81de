"""Pages of work plans, their activities and conference records, and the plans overview."""

import datetime

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from cluster_portal import exports as tables
from cluster_portal.http import content_response, pdf_response
from cluster_portal.pdf import render_pdf
from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.views import ServiceFormMixin
from plans import exports, permissions, selectors, services
from plans.forms import ActivityForm, ActivityReportForm, AttendeeForm, ConfirmForm, WorkPlanForm
from plans.views.base import (
    ClusterYearObjectMixin,
    FormPageMixin,
    _plan_crumbs,
)

# Overview


class PlansIndexView(TemplateView):
    """Every year of the user's clusters with its work plan and progress; charter links."""

    template_name = "plans/work_plans/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = selectors.cluster_year_list_with_plans(user=self.request.user)
        clusters = {}
        for cluster_year in years:
            clusters.setdefault(cluster_year.cluster, []).append(cluster_year)
        today = timezone.localdate()
        context["clusters"] = [
            (cluster, cluster_years, self._calendar_url(cluster, cluster_years, today))
            for cluster, cluster_years in clusters.items()
        ]
        return context

    @staticmethod
    def _calendar_url(cluster, cluster_years, today):
        """This month if the cluster has this year, otherwise January of its latest year."""
        if any(cy.year == today.year for cy in cluster_years):
            year, month = today.year, today.month
        else:
            year, month = cluster_years[0].year, 1
        return reverse(
            "plans:calendar-month", kwargs={"code": cluster.code, "year": year, "month": month}
        )


# Work plans


class WorkPlanMixin(ObjectPermissionMixin):
    """The work plan of the cluster year named by the URL, with its activities."""

    view_permission = staticmethod(permissions.can_view_work_plan)
    permission = staticmethod(permissions.can_view_work_plan)

    def load_object(self):
        return selectors.work_plan_get(code=self.kwargs["code"], year=self.kwargs["year"])


class WorkPlanCreateView(ClusterYearObjectMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Create the year's work plan (secretariat)."""

    form_class = WorkPlanForm
    intro = gettext_lazy("One work plan per cluster year; activities are added next.")
    success_message = gettext_lazy("The work plan has been created.")

    def get_page_title(self):
        return _("New work plan for %(year)s") % {"year": self.get_object().year}

    def get_initial(self):
        return {"title": f"Kế hoạch công tác thi đua, khen thưởng năm {self.get_object().year}"}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["references"] = selectors.legal_reference_list_citable(
            cluster=self.get_object().cluster
        )
        return kwargs

    def get_cancel_url(self):
        return reverse("plans:index")

    def get_breadcrumbs(self):
        return [(_("Plans"), reverse("plans:index"))]

    def perform(self, form):
        data = form.cleaned_data
        return services.work_plan_create(
            cluster_year=self.get_object(),
            title=data["title"],
            number=data["number"],
            issued_on=data["issued_on"],
            objectives=data["objectives"],
            legal_references=data["legal_references"],
            by=self.request.user,
        )


class WorkPlanDetailView(WorkPlanMixin, DetailView):
    """The plan: number, objectives, legal bases, activities with progress; exports."""

    template_name = "plans/work_plans/workplan_detail.html"
    context_object_name = "work_plan"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        work_plan = self.object
        context["cluster_year"] = work_plan.cluster_year
        context["cluster"] = work_plan.cluster_year.cluster
        context["activities"] = work_plan.activities.all()
        context["calendar_month"] = next(
            (a.starts_on for a in work_plan.activities.all()),
            datetime.date(work_plan.cluster_year.year, 1, 1),
        )
        return context


class WorkPlanUpdateView(WorkPlanMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Edit the plan's number, title, issue date, objectives and legal bases (secretariat)."""

    permission = staticmethod(permissions.can_edit_work_plan)
    form_class = WorkPlanForm
    success_message = gettext_lazy("The work plan has been saved.")

    def get_page_title(self):
        return _("Edit the work plan")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        work_plan = self.get_object()
        kwargs["instance"] = work_plan
        kwargs["conferences"] = selectors.conference_list(cluster=work_plan.cluster_year.cluster)
        kwargs["references"] = selectors.legal_reference_list_citable(
            cluster=work_plan.cluster_year.cluster
        )
        return kwargs

    def get_cancel_url(self):
        return self.get_object().get_absolute_url()

    def get_breadcrumbs(self):
        return _plan_crumbs(self.get_object())

    def perform(self, form):
        data = form.cleaned_data
        return services.work_plan_update(
            work_plan=self.get_object(),
            title=data["title"],
            number=data["number"],
            issued_on=data["issued_on"],
            objectives=data["objectives"],
            legal_references=data["legal_references"],
            adopted_at=data["adopted_at"],
            by=self.request.user,
        )


class ActivityExportView(WorkPlanMixin, View):
    """The plan's activities as CSV (UTF-8 with BOM) or Excel."""

    permission = staticmethod(permissions.can_export_activities)
    file_format = tables.CSV

    def get(self, request, *args, **kwargs):
        work_plan = self.get_object()
        activities = selectors.activity_list_for_export(work_plan=work_plan)
        cluster_year = work_plan.cluster_year
        filename = f"hoat-dong-{cluster_year.cluster.code}-{cluster_year.year}.{self.file_format}"
        if self.file_format == tables.CSV:
            content = exports.activities_csv(activities)
        else:
            content = exports.activities_xlsx(activities, title=work_plan.title)
        return content_response(
            content, content_type=tables.CONTENT_TYPES[self.file_format], filename=filename
        )


# Activities


class ActivityCreateView(WorkPlanMixin, ServiceFormMixin, FormView):
    """Add an activity to the plan (secretariat)."""

    permission = staticmethod(permissions.can_add_activity)
    template_name = "plans/work_plans/activity_form.html"
    form_class = ActivityForm
    success_message = gettext_lazy("The activity has been added to the plan.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["members"] = selectors.member_department_list(
            cluster_year=self.get_object().cluster_year
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["work_plan"] = self.get_object()
        context["breadcrumbs"] = _plan_crumbs(self.get_object())
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        data.pop("version", None)
        return services.activity_create(work_plan=self.get_object(), by=self.request.user, **data)


class ActivityMixin(ObjectPermissionMixin):
    """The activity named by the URL, with its plan, year and memberships."""

    view_permission = staticmethod(permissions.can_view_activity)
    permission = staticmethod(permissions.can_view_activity)
    loader = staticmethod(selectors.activity_get_for_update)

    def load_object(self):
        return type(self).loader(pk=self.kwargs["pk"])

    def get_cancel_url(self):
        return self.get_object().get_absolute_url()

    def get_breadcrumbs(self):
        activity = self.get_object()
        return [
            *_plan_crumbs(activity.work_plan),
            (activity.title, activity.get_absolute_url()),
        ]


class ActivityDetailView(ActivityMixin, DetailView):
    """An activity: dates, host, status, outcome; for conferences the full record."""

    template_name = "plans/work_plans/activity_detail.html"
    context_object_name = "activity"
    loader = staticmethod(selectors.activity_get)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity = self.object
        context["work_plan"] = activity.work_plan
        context["cluster"] = activity.work_plan.cluster_year.cluster
        attachments = activity.attachments.all()
        context["minutes_files"] = [a for a in attachments if a.purpose == "minutes"]
        context["documents"] = [a for a in attachments if a.purpose != "minutes"]
        context["breadcrumbs"] = _plan_crumbs(activity.work_plan)
        return context


class ActivityUpdateView(ActivityMixin, ServiceFormMixin, FormView):
    """Edit an activity: every field for the secretariat, the report for the host."""

    permission = staticmethod(permissions.can_update_activity)
    template_name = "plans/work_plans/activity_form.html"
    success_message = gettext_lazy("The activity has been saved.")

    def _full_edit(self) -> bool:
        return permissions.can_edit_activity(self.request.user, self.get_object())

    def get_form_class(self):
        return ActivityForm if self._full_edit() else ActivityReportForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        activity = self.get_object()
        kwargs["instance"] = activity
        kwargs["members"] = selectors.member_department_list(
            cluster_year=activity.work_plan.cluster_year
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["activity"] = self.get_object()
        context["work_plan"] = self.get_object().work_plan
        context["full_edit"] = self._full_edit()
        context["breadcrumbs"] = self.get_breadcrumbs()
        return context

    def perform(self, form):
        data = form.cleaned_data
        changes = {name: data[name] for name in form.model_field_names}
        return services.activity_update(
            activity=self.get_object(),
            version=data.get("version") or 0,
            changes=changes,
            by=self.request.user,
        )


class AttendeeAddView(ActivityMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Record an attendee of a conference: a member's representative or a guest."""

    permission = staticmethod(permissions.can_record_conference)
    form_class = AttendeeForm
    submit_label = gettext_lazy("Add attendee")
    intro = gettext_lazy(
        "Member departments attend with their representative's name and title (leave "
        "them empty if not known); guests, such as Ministry officials, with their name, "
        "title and organisation."
    )
    success_message = gettext_lazy("The attendee has been recorded.")

    def get_page_title(self):
        return _("Add an attendee")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        activity = self.get_object()
        kwargs["members"] = selectors.member_department_list(
            cluster_year=activity.work_plan.cluster_year, activity=activity
        )
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        services.attendee_add(activity=self.get_object(), by=self.request.user, **data)
        return self.get_object()


class AttendeeRemoveView(ObjectPermissionMixin, FormPageMixin, FormView):
    """Remove an attendee recorded by mistake (with confirmation)."""

    view_permission = staticmethod(permissions.can_view_attendee)
    form_class = ConfirmForm
    submit_label = gettext_lazy("Remove")

    @staticmethod
    def permission(user, attendee):
        return permissions.can_record_conference(user, attendee.activity)

    def load_object(self):
        return selectors.attendee_get(pk=self.kwargs["pk"])

    def get_page_title(self):
        return _("Remove the attendee %(name)s?") % {"name": self.get_object()}

    def get_cancel_url(self):
        return self.get_object().activity.get_absolute_url()

    def form_valid(self, form):
        attendee = self.get_object()
        services.attendee_remove(attendee=attendee, by=self.request.user)
        messages.success(self.request, _("The attendee has been removed."))
        return redirect(attendee.activity)


class WorkPlanPdfView(WorkPlanMixin, View):
    """A work plan as a Decree 30 PDF (watermarked "DỰ THẢO" until adopted)."""

    def get(self, request, *args, **kwargs):
        plan = self.get_object()
        context = selectors.work_plan_pdf_context(plan=plan)
        year = plan.cluster_year
        suffix = "" if context["is_final"] else "-du-thao"
        filename = f"ke-hoach-{year.cluster.code}-{year.year}{suffix}.pdf"
        return pdf_response(render_pdf("pdf/workplan.html", context), filename=filename)
