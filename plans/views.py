"""Pages of the plans app. Views are thin: read through selectors, write through one
service per action (form → service → message → redirect).

Only the published news pages (and their photos) and the token-protected iCalendar feeds
are open without logging in; they are marked ``login_not_required`` in ``plans/urls.py``.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from cluster_portal.http import download_name, file_response
from cluster_portal.pdf import render_pdf
from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.uploads import max_upload_size
from cluster_portal.views import ServiceFormMixin
from members.models import MAX_YEAR, MIN_YEAR, Cluster, ClusterYear, Department
from members.permissions import (
    can_view_cluster_year,
    can_view_department,
    is_secretariat,
    is_site_admin,
)
from members.selectors import clusters_visible_to
from plans import exports, ical, permissions, selectors, services
from plans.forms import (
    ActivityForm,
    ActivityReportForm,
    AttachmentForm,
    AttendeeForm,
    CalendarFilterForm,
    CharterAdoptForm,
    CharterAnswerForm,
    CharterArticleForm,
    CharterCommentForm,
    CharterCompareForm,
    CharterVersionCreateForm,
    CharterVersionForm,
    ConfirmForm,
    LegalReferenceForm,
    NewsPostForm,
    NewsPublishForm,
    PhotoForm,
    WorkPlanForm,
)
from plans.models import (
    Activity,
    Attachment,
    Attendee,
    CharterArticle,
    CharterComment,
    CharterVersion,
    LegalReference,
    NewsPost,
    Photo,
    WorkPlan,
    hash_feed_token,
)

# Shared pieces


class PublicObjectPermissionMixin(ObjectPermissionMixin):
    """For pages open without logging in: the predicate is checked for anonymous visitors
    too, and a visitor it refuses is sent to the login page (a member may see more)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated and not type(self).permission(
            request.user, self.get_permission_object()
        ):
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


def _loaded(loader, exception, **kwargs):
    try:
        return loader(**kwargs)
    except exception as exc:
        raise Http404 from exc


class FormPageMixin:
    """Context for the shared one-form page ``plans/form.html``."""

    template_name = "plans/form.html"
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


def _plan_crumbs(work_plan: WorkPlan):
    cluster_year = work_plan.cluster_year
    return [
        (_("Plans"), reverse("plans:index")),
        (f"{cluster_year.cluster.name} – {cluster_year.year}", work_plan.get_absolute_url()),
    ]


# Overview


class PlansIndexView(TemplateView):
    """Every year of the user's clusters with its work plan and progress; charter links."""

    template_name = "plans/index.html"

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


class ClusterYearObjectMixin(ObjectPermissionMixin):
    """The cluster year named by the URL, with its memberships."""

    view_permission = staticmethod(can_view_cluster_year)
    permission = staticmethod(permissions.can_create_work_plan)

    def get_object(self, queryset=None):
        if not hasattr(self, "_permission_object"):
            self._permission_object = _loaded(
                selectors.cluster_year_get,
                ClusterYear.DoesNotExist,
                code=self.kwargs["code"],
                year=self.kwargs["year"],
            )
        return self._permission_object


class WorkPlanMixin(ObjectPermissionMixin):
    """The work plan of the cluster year named by the URL, with its activities."""

    view_permission = staticmethod(permissions.can_view_work_plan)
    permission = staticmethod(permissions.can_view_work_plan)

    def get_object(self, queryset=None):
        if not hasattr(self, "_permission_object"):
            self._permission_object = _loaded(
                selectors.work_plan_get,
                WorkPlan.DoesNotExist,
                code=self.kwargs["code"],
                year=self.kwargs["year"],
            )
        return self._permission_object


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

    template_name = "plans/workplan_detail.html"
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
        kwargs["instance"] = WorkPlan.objects.get(pk=work_plan.pk)
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
    file_format = "csv"

    def get(self, request, *args, **kwargs):
        work_plan = self.get_object()
        activities = selectors.activity_list_for_export(work_plan=work_plan)
        cluster_year = work_plan.cluster_year
        filename = f"hoat-dong-{cluster_year.cluster.code}-{cluster_year.year}.{self.file_format}"
        if self.file_format == "csv":
            content = exports.activities_csv(activities)
            content_type = "text/csv; charset=utf-8"
        else:
            content = exports.activities_xlsx(activities, title=work_plan.title)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response


# Activities


class ActivityCreateView(WorkPlanMixin, ServiceFormMixin, FormView):
    """Add an activity to the plan (secretariat)."""

    permission = staticmethod(permissions.can_add_activity)
    template_name = "plans/activity_form.html"
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

    def get_object(self, queryset=None):
        if not hasattr(self, "_permission_object"):
            self._permission_object = _loaded(
                type(self).loader, Activity.DoesNotExist, pk=self.kwargs["pk"]
            )
        return self._permission_object

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

    template_name = "plans/activity_detail.html"
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
    template_name = "plans/activity_form.html"
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
        kwargs["members"] = selectors.member_department_list(
            cluster_year=self.get_object().work_plan.cluster_year
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

    def get_object(self, queryset=None):
        if not hasattr(self, "_permission_object"):
            attendee = get_object_or_404(
                Attendee.objects.select_related("department"), pk=self.kwargs["pk"]
            )
            attendee.activity = selectors.activity_get_for_update(pk=attendee.activity_id)
            self._permission_object = attendee
        return self._permission_object

    def get_page_title(self):
        return _("Remove the attendee %(name)s?") % {"name": self.get_object()}

    def get_cancel_url(self):
        return self.get_object().activity.get_absolute_url()

    def form_valid(self, form):
        attendee = self.get_object()
        services.attendee_remove(attendee=attendee, by=self.request.user)
        messages.success(self.request, _("The attendee has been removed."))
        return redirect(attendee.activity)


class AttachmentAddView(ActivityMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Attach a document or the scan of the signed minutes to an activity."""

    permission = staticmethod(permissions.can_add_activity_files)
    form_class = AttachmentForm
    multipart = True
    submit_label = gettext_lazy("Upload")
    success_message = gettext_lazy("The file has been attached.")

    def get_page_title(self):
        return _("Attach a file")

    @property
    def intro(self):
        return _(
            "Documents: PDF, JPEG, PNG or WebP images, Word or Excel (.docx, .xlsx). Signed "
            "minutes (conferences only): PDF or image. Files are checked by their content; "
            "the limit is %(limit)s."
        ) % {"limit": _filesize_limit()}

    def get_initial(self):
        purpose = self.request.GET.get("purpose")
        return {"purpose": purpose} if purpose in Attachment.Purpose.values else {}

    def perform(self, form):
        data = form.cleaned_data
        services.attachment_add(
            activity=self.get_object(),
            upload=data["file"],
            title=data["title"],
            purpose=data["purpose"],
            by=self.request.user,
        )
        return self.get_object()


def _filesize_limit() -> str:
    return filesizeformat(max_upload_size())


class ActivityPhotoAddView(ActivityMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Add a photo with its caption to an activity."""

    permission = staticmethod(permissions.can_add_activity_files)
    form_class = PhotoForm
    multipart = True
    submit_label = gettext_lazy("Upload")
    success_message = gettext_lazy("The photo has been added.")

    def get_page_title(self):
        return _("Add a photo")

    @property
    def intro(self):
        return _(
            "JPEG, PNG or WebP images only, checked by their content; the limit is %(limit)s."
        ) % {"limit": _filesize_limit()}

    def perform(self, form):
        services.photo_add(
            activity=self.get_object(),
            upload=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
            by=self.request.user,
        )
        return self.get_object()


class AttachmentFileView(ObjectPermissionMixin, View):
    """An attachment's file, for those who may see its activity."""

    permission = staticmethod(permissions.can_view_attachment)

    def get_object(self, queryset=None):
        if not hasattr(self, "_permission_object"):
            self._permission_object = _loaded(
                selectors.attachment_get, Attachment.DoesNotExist, pk=self.kwargs["pk"]
            )
        return self._permission_object

    def get(self, request, *args, **kwargs):
        attachment = self.get_object()
        if attachment.purpose == Attachment.Purpose.MINUTES:
            stem = f"bien-ban-hoi-nghi-{attachment.activity.title}"
        else:
            stem = f"tai-lieu-{attachment.pk}-{attachment.title or attachment.activity.title}"
        return file_response(
            attachment.file,
            content_type=attachment.content_type,
            filename=download_name(stem, attachment.content_type),
        )


class PhotoFileView(ObjectPermissionMixin, View):
    """A photo of an activity or a news post, for those who may see it."""

    permission = staticmethod(permissions.can_view_photo)

    def get_object(self, queryset=None):
        if not hasattr(self, "_permission_object"):
            self._permission_object = _loaded(
                selectors.photo_get, Photo.DoesNotExist, pk=self.kwargs["pk"]
            )
        return self._permission_object

    def get(self, request, *args, **kwargs):
        photo = self.get_object()
        return file_response(
            photo.image,
            content_type=photo.content_type,
            filename=download_name(f"anh-{photo.pk}", photo.content_type),
        )


class NewsPhotoFileView(PhotoFileView):
    """A published news post's photo: public, like the post (the URL of news pages)."""

    permission = staticmethod(permissions.can_view_news_photo)

    def dispatch(self, request, *args, **kwargs):
        # Public: refuse with 404 whatever is not a published post's photo, logged in or not.
        if not type(self).permission(request.user, self.get_object()):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


# Calendar


class CalendarHomeView(View):
    """The Calendar link: the current month of the user's cluster, or an explanation."""

    def get(self, request, *args, **kwargs):
        found = selectors.calendar_month_get_default(user=request.user)
        if found is None:
            return render(request, "plans/calendar_empty.html")
        cluster, year, month = found
        return redirect("plans:calendar-month", code=cluster.code, year=year, month=month)


class CalendarMonthView(ObjectPermissionMixin, TemplateView):
    """A month of the cluster's activities, optionally only those a department hosts."""

    permission = staticmethod(permissions.can_view_cluster_calendar)
    template_name = "plans/calendar_month.html"

    def get_object(self, queryset=None):
        if not hasattr(self, "_permission_object"):
            self._permission_object = get_object_or_404(Cluster, code=self.kwargs["code"])
        return self._permission_object

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


NEW_FEED_TOKEN_SESSION_KEY = "plans:new-feed-token"  # noqa: S105 (a key, not a secret)


class FeedSettingsView(TemplateView):
    """The user's calendar feed addresses, and their secret token (create, revoke)."""

    template_name = "plans/feed_settings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        token = selectors.feed_token_get_live_for_user(user=user)
        context["token"] = token
        context["can_manage"] = permissions.can_manage_feed_tokens(user)
        # The secret exists only in the page that follows its creation: the database keeps
        # its hash, the session hands it over once (and forgets it).
        secret = self.request.session.pop(NEW_FEED_TOKEN_SESSION_KEY, None)
        if token is not None and secret is not None:
            secret = secret if hash_feed_token(secret) == token.token_hash else None
        context["secret"] = secret
        if token is not None and secret is not None:
            context["cluster_feeds"] = [
                (
                    cluster,
                    self.request.build_absolute_uri(
                        reverse(
                            "plans:feed-cluster",
                            kwargs={"token": secret, "code": cluster.code},
                        )
                    ),
                )
                for cluster in clusters_visible_to(user=user)
            ]
            context["department_feeds"] = [
                (
                    department,
                    self.request.build_absolute_uri(
                        reverse(
                            "plans:feed-department",
                            kwargs={"token": secret, "code": department.code},
                        )
                    ),
                )
                for department in selectors.feed_department_list(user=user)
            ]
        return context


class FeedTokenCreateView(ObjectPermissionMixin, FormPageMixin, FormView):
    """Create a feed token, replacing the current one (with confirmation)."""

    view_permission = staticmethod(permissions.is_logged_in)
    permission = staticmethod(permissions.can_manage_feed_token)
    form_class = ConfirmForm
    submit_label = gettext_lazy("Create a new address")

    def get_permission_object(self):
        return self.request.user

    def get_page_title(self):
        return _("Create a calendar feed address")

    @property
    def intro(self):
        if selectors.feed_token_get_live_for_user(user=self.request.user) is not None:
            return _(
                "A new secret address replaces the current one: calendars subscribed with "
                "the current address stop receiving updates until you subscribe them again."
            )
        return _(
            "Your feed addresses contain a secret that stands for you: anyone who has them "
            "sees the activities you may see. Keep them to yourself; you can revoke them."
        )

    def get_cancel_url(self):
        return reverse("plans:calendar-feeds")

    def form_valid(self, form):
        token = services.feed_token_create(user=self.request.user, by=self.request.user)
        self.request.session[NEW_FEED_TOKEN_SESSION_KEY] = token.secret
        messages.success(
            self.request,
            _("Your calendar feed addresses are ready. Copy them now: they are shown only once."),
        )
        return redirect("plans:calendar-feeds")


class FeedTokenRevokeView(ObjectPermissionMixin, FormPageMixin, FormView):
    """Revoke the current feed token (with confirmation): its addresses answer 404."""

    view_permission = staticmethod(permissions.is_logged_in)
    permission = staticmethod(permissions.can_manage_feed_token)
    form_class = ConfirmForm
    submit_label = gettext_lazy("Revoke")
    intro = gettext_lazy(
        "Calendars subscribed with your current addresses will stop receiving updates."
    )

    def get_permission_object(self):
        return self.request.user

    def get_page_title(self):
        return _("Revoke your calendar feed addresses?")

    def get_cancel_url(self):
        return reverse("plans:calendar-feeds")

    def form_valid(self, form):
        token = selectors.feed_token_get_live_for_user(user=self.request.user)
        if token is None:
            messages.info(self.request, _("You have no calendar feed address to revoke."))
        else:
            services.feed_token_revoke(token=token, by=self.request.user)
            messages.success(self.request, _("Your calendar feed addresses have been revoked."))
        return redirect("plans:calendar-feeds")


class FeedView(View):
    """An iCalendar feed. No login (calendar applications cannot log in): the secret token
    in the URL stands for its owner. Unknown or revoked tokens, and what the owner may not
    see, answer 404."""

    def get_feed_token(self):
        token = selectors.feed_token_get_live(token=self.kwargs["token"])
        if token is None:
            raise Http404
        return token

    def respond(self, *, name, activities, filename):
        base_url = self.request.build_absolute_uri("/").rstrip("/")
        body = ical.activities_calendar(name=name, activities=activities, base_url=base_url)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(False, filename)
        response["Cache-Control"] = "private, max-age=900"
        return response


class ClusterFeedView(FeedView):
    """Every activity of a cluster."""

    def get(self, request, *args, **kwargs):
        owner = self.get_feed_token().user
        cluster = get_object_or_404(Cluster, code=kwargs["code"])
        if not permissions.can_view_cluster_calendar(owner, cluster):
            raise Http404
        return self.respond(
            name=cluster.name,
            activities=selectors.activity_list_for_cluster_feed(cluster=cluster, user=owner),
            filename=f"{cluster.code}.ics",
        )


class DepartmentFeedView(FeedView):
    """The activities a department hosts, in the clusters the token's owner sees."""

    def get(self, request, *args, **kwargs):
        owner = self.get_feed_token().user
        department = get_object_or_404(Department, code=kwargs["code"])
        if not can_view_department(owner, department):
            raise Http404
        return self.respond(
            name=department.full_name,
            activities=selectors.activity_list_for_department_feed(
                department=department, user=owner
            ),
            filename=f"{department.code}.ics",
        )


# Charter


class ClusterObjectMixin(ObjectPermissionMixin):
    view_permission = staticmethod(permissions.can_view_charter)
    permission = staticmethod(permissions.can_view_charter)

    def get_object(self, queryset=None):
        if not hasattr(self, "_permission_object"):
            self._permission_object = get_object_or_404(Cluster, code=self.kwargs["code"])
        return self._permission_object


def _latest_year(cluster) -> ClusterYear | None:
    return (
        ClusterYear.objects.filter(cluster=cluster)
        .select_related("cluster")
        .prefetch_related("memberships")
        .order_by("-year")
        .first()
    )


class CharterVersionListView(ClusterObjectMixin, TemplateView):
    """Every version of a cluster's charter; the one in force stands out."""

    template_name = "plans/charterversion_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cluster = self.get_object()
        every_version = selectors.charter_version_list(cluster=cluster)
        # Only the versions of years the user may read: a former member does not see later
        # drafts (the predicate asks the database nothing per version).
        versions = [
            v for v in every_version if permissions.can_view_charter_version(self.request.user, v)
        ]
        latest_year = _latest_year(cluster)
        context.update(
            cluster=cluster,
            versions=versions,
            in_force=selectors.charter_version_get_in_force(versions),
            can_create=latest_year is not None
            and permissions.can_create_charter_version(self.request.user, latest_year)
            and not any(not v.is_adopted for v in every_version),
        )
        return context


class CharterVersionCreateView(ObjectPermissionMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Start a new draft from the latest version (secretariat of the latest year)."""

    view_permission = staticmethod(can_view_cluster_year)
    permission = staticmethod(permissions.can_create_charter_version)
    form_class = CharterVersionCreateForm
    submit_label = gettext_lazy("Start the draft")
    intro = gettext_lazy(
        "The new draft starts as a copy of the latest version's articles; members comment "
        "once you open it for comments."
    )
    success_message = gettext_lazy("The draft has been created.")

    def get_object(self, queryset=None):
        if not hasattr(self, "_permission_object"):
            cluster = get_object_or_404(Cluster, code=self.kwargs["code"])
            latest = _latest_year(cluster)
            if latest is None:
                raise Http404
            self._permission_object = latest
        return self._permission_object

    def get_page_title(self):
        return _("New charter version")

    def get_cancel_url(self):
        return reverse("plans:charterversion-list", kwargs={"code": self.kwargs["code"]})

    def perform(self, form):
        return services.charter_version_create(
            cluster_year=self.get_object(),
            title=form.cleaned_data["title"],
            by=self.request.user,
        )


class CharterVersionMixin(ObjectPermissionMixin):
    view_permission = staticmethod(permissions.can_view_charter_version)
    permission = staticmethod(permissions.can_view_charter_version)

    def get_object(self, queryset=None):
        if not hasattr(self, "_permission_object"):
            self._permission_object = _loaded(
                selectors.charter_version_get, CharterVersion.DoesNotExist, pk=self.kwargs["pk"]
            )
        return self._permission_object

    def get_cancel_url(self):
        return self.get_object().get_absolute_url()

    def get_breadcrumbs(self):
        version = self.get_object()
        return [
            (
                _("Charter"),
                reverse("plans:charterversion-list", kwargs={"code": version.cluster.code}),
            ),
            (_("Version %(number)s") % {"number": version.number}, version.get_absolute_url()),
        ]


class CharterVersionDetailView(CharterVersionMixin, DetailView):
    """A version with its articles and, under each, the members' comments and answers."""

    template_name = "plans/charterversion_detail.html"
    context_object_name = "version"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.object
        context["cluster"] = version.cluster
        context["articles"] = version.articles.all()
        context["comment_form"] = CharterCommentForm()
        context["breadcrumbs"] = [
            (
                _("Charter"),
                reverse("plans:charterversion-list", kwargs={"code": version.cluster.code}),
            )
        ]
        return context


class CharterVersionUpdateView(CharterVersionMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Edit a draft's title and preamble (secretariat)."""

    permission = staticmethod(permissions.can_edit_charter_version)
    form_class = CharterVersionForm
    success_message = gettext_lazy("The draft has been saved.")

    def get_page_title(self):
        return _("Edit the draft")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = CharterVersion.objects.get(pk=self.get_object().pk)
        return kwargs

    def perform(self, form):
        return services.charter_version_update(
            version=self.get_object(),
            title=form.cleaned_data["title"],
            preamble=form.cleaned_data["preamble"],
            by=self.request.user,
        )


class CharterVersionActionView(CharterVersionMixin, FormPageMixin, ServiceFormMixin, FormView):
    """A confirmed state change of a version: one service, then back to the version."""

    form_class = ConfirmForm

    def change(self, version):
        raise NotImplementedError

    def perform(self, form):
        return self.change(self.get_object())


class CharterVersionOpenView(CharterVersionActionView):
    """Open a draft for the members' comments."""

    permission = staticmethod(permissions.can_open_charter_version)
    submit_label = gettext_lazy("Open for comments")
    intro = gettext_lazy(
        "Members of the cluster will be able to comment on each article. The text cannot "
        "be changed while it is open; take it back to draft to revise it."
    )
    success_message = gettext_lazy("The version is open for comments.")

    def get_page_title(self):
        return _("Open this version for comments?")

    def change(self, version):
        return services.charter_version_open(version=version, by=self.request.user)


class CharterVersionReturnToDraftView(CharterVersionActionView):
    """Take a version open for comments back to draft, to revise it."""

    permission = staticmethod(permissions.can_return_charter_version_to_draft)
    submit_label = gettext_lazy("Back to draft")
    intro = gettext_lazy("Comments are kept; members cannot add new ones until you reopen it.")
    success_message = gettext_lazy("The version is a draft again.")

    def get_page_title(self):
        return _("Take this version back to draft?")

    def change(self, version):
        return services.charter_version_return_to_draft(version=version, by=self.request.user)


class CharterVersionAdoptView(CharterVersionMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Record the conference's adoption of the version (secretariat); then read-only."""

    permission = staticmethod(permissions.can_adopt_charter_version)
    form_class = CharterAdoptForm
    submit_label = gettext_lazy("Record the adoption")
    intro = gettext_lazy(
        "Once adopted, the version is read-only for ever and in force until a newer "
        "version is adopted."
    )
    success_message = gettext_lazy("The adoption has been recorded.")

    def get_page_title(self):
        return _("Record the adoption")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["conferences"] = selectors.conference_list(cluster=self.get_object().cluster)
        return kwargs

    def perform(self, form):
        return services.charter_version_adopt(
            version=self.get_object(),
            adopted_on=form.cleaned_data["adopted_on"],
            conference=form.cleaned_data["conference"],
            by=self.request.user,
        )


class CharterVersionCompareView(CharterVersionMixin, TemplateView):
    """What changed between two versions, article by article."""

    permission = staticmethod(permissions.can_compare_charter_versions)
    template_name = "plans/charterversion_compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.get_object()
        others = CharterVersion.objects.filter(cluster=version.cluster).exclude(pk=version.pk)
        default = (
            version.based_on or others.filter(number__lt=version.number).order_by("-number").first()
        )
        form = CharterCompareForm(
            self.request.GET or None,
            versions=others.order_by("-number"),
            initial={"against": default.pk if default else None},
        )
        other = None
        if form.is_valid():
            other = form.cleaned_data["against"]
        elif not self.request.GET:
            other = default
        changes = None
        if other is not None:
            other = selectors.charter_version_get(pk=other.pk)
            old, new = sorted([version, other], key=lambda v: v.number)
            changes = selectors.charter_diff(old=old, new=new)
            context.update(old=old, new=new)
        context.update(
            version=version,
            cluster=version.cluster,
            form=form,
            changes=changes,
            breadcrumbs=self.get_breadcrumbs(),
        )
        return context


class CharterArticleCreateView(CharterVersionMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Add an article to a draft (secretariat)."""

    permission = staticmethod(permissions.can_edit_charter_version)
    form_class = CharterArticleForm
    success_message = gettext_lazy("The article has been added.")

    def get_page_title(self):
        return _("New article")

    def get_initial(self):
        return {"number": selectors.charter_article_next_number(version=self.get_object())}

    def perform(self, form):
        data = form.cleaned_data
        return services.charter_article_create(
            version=self.get_object(),
            number=data["number"],
            heading=data["heading"],
            body=data["body"],
            by=self.request.user,
        )


class CharterArticleMixin(ObjectPermissionMixin):
    view_permission = staticmethod(permissions.can_view_charter_article)

    def get_object(self, queryset=None):
        if not hasattr(self, "_permission_object"):
            self._permission_object = _loaded(
                selectors.charter_article_get, CharterArticle.DoesNotExist, pk=self.kwargs["pk"]
            )
        return self._permission_object

    def get_cancel_url(self):
        return self.get_object().get_absolute_url()


def _can_edit_article(user, article):
    return permissions.can_edit_charter_version(user, article.version)


class CharterArticleUpdateView(CharterArticleMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Change an article of a draft (secretariat)."""

    permission = staticmethod(_can_edit_article)
    form_class = CharterArticleForm
    success_message = gettext_lazy("The article has been saved.")

    def get_page_title(self):
        return _("Edit article %(number)s") % {"number": self.get_object().number}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_object()
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        return services.charter_article_update(
            article=self.get_object(),
            number=data["number"],
            heading=data["heading"],
            body=data["body"],
            by=self.request.user,
        )


class CharterArticleDeleteView(CharterArticleMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Remove an article from a draft (secretariat), with confirmation."""

    permission = staticmethod(_can_edit_article)
    form_class = ConfirmForm
    submit_label = gettext_lazy("Remove")
    success_message = gettext_lazy("The article has been removed.")

    def get_page_title(self):
        return _("Remove article %(number)s?") % {"number": self.get_object().number}

    def perform(self, form):
        article = self.get_object()
        services.charter_article_delete(article=article, by=self.request.user)
        return article.version


def _can_comment_on_article(user, article):
    return permissions.can_comment_on_charter_version(user, article.version)


class CharterCommentCreateView(CharterArticleMixin, FormPageMixin, ServiceFormMixin, FormView):
    """A member comments on one article of a version open for comments."""

    permission = staticmethod(_can_comment_on_article)
    form_class = CharterCommentForm
    submit_label = gettext_lazy("Send the comment")
    success_message = gettext_lazy("Your comment has been sent to the secretariat.")

    def get_page_title(self):
        return _("Comment on %(article)s") % {"article": self.get_object()}

    def perform(self, form):
        return services.charter_comment_create(
            article=self.get_object(), body=form.cleaned_data["body"], by=self.request.user
        )


class CharterCommentAnswerView(ObjectPermissionMixin, FormPageMixin, ServiceFormMixin, FormView):
    """The secretariat answers or resolves a comment."""

    view_permission = staticmethod(permissions.can_view_charter_comment)
    permission = staticmethod(permissions.can_answer_charter_comment)
    form_class = CharterAnswerForm
    submit_label = gettext_lazy("Save the answer")
    success_message = gettext_lazy("The answer has been recorded.")

    def get_object(self, queryset=None):
        if not hasattr(self, "_permission_object"):
            self._permission_object = _loaded(
                selectors.charter_comment_get, CharterComment.DoesNotExist, pk=self.kwargs["pk"]
            )
        return self._permission_object

    def get_page_title(self):
        return _("Answer the comment")

    @property
    def intro(self):
        comment = self.get_object()
        return f"{comment.article} – {comment.author}: “{comment.body}”"

    def get_initial(self):
        comment = self.get_object()
        return {"answer": comment.answer, "resolve": comment.status == "resolved"}

    def get_cancel_url(self):
        return self.get_object().get_absolute_url()

    def perform(self, form):
        return services.charter_comment_answer(
            comment=self.get_object(),
            answer=form.cleaned_data["answer"],
            resolve=form.cleaned_data["resolve"],
            by=self.request.user,
        )


# News


class NewsListView(ListView):
    """Published news, newest first (public); logged-in users also see drafts they may edit."""

    template_name = "plans/newspost_list.html"
    context_object_name = "posts"
    paginate_by = 20

    def get_queryset(self):
        return selectors.news_post_list_published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["drafts"] = selectors.news_post_list_drafts(user=user)
        context["writable_years"] = (
            selectors.cluster_year_list_for_news(user=user) if user.is_authenticated else []
        )
        return context


class NewsPostDetailView(PublicObjectPermissionMixin, DetailView):
    """A news post with its photos: public once published."""

    permission = staticmethod(permissions.can_view_news_post)
    template_name = "plans/newspost_detail.html"
    context_object_name = "post"

    def get_object(self, queryset=None):
        if not hasattr(self, "_permission_object"):
            self._permission_object = _loaded(
                selectors.news_post_get, NewsPost.DoesNotExist, pk=self.kwargs["pk"]
            )
        return self._permission_object


def _news_departments(user, cluster_year):
    members = selectors.member_department_list(cluster_year=cluster_year)
    if is_site_admin(user) or is_secretariat(user, cluster_year):
        return members
    return members.filter(pk=user.department_id)


def _news_activities(cluster_year):
    return Activity.objects.filter(work_plan__cluster_year=cluster_year).order_by("starts_on")


class NewsPostCreateView(ClusterYearObjectMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Write a news post (a draft) for a cluster year."""

    permission = staticmethod(permissions.can_create_news_post)
    form_class = NewsPostForm
    submit_label = gettext_lazy("Save the draft")
    intro = gettext_lazy("The post stays a draft, visible to members only, until you publish it.")
    success_message = gettext_lazy("The draft has been saved.")

    def get_page_title(self):
        cluster_year = self.get_object()
        return _("News for %(cluster)s – %(year)s") % {
            "cluster": cluster_year.cluster.name,
            "year": cluster_year.year,
        }

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        cluster_year = self.get_object()
        kwargs["departments"] = _news_departments(self.request.user, cluster_year)
        kwargs["activities"] = _news_activities(cluster_year)
        return kwargs

    def get_initial(self):
        return {"author_department": self.request.user.department_id}

    def get_cancel_url(self):
        return reverse("plans:news-public-list")

    def perform(self, form):
        data = form.cleaned_data
        return services.news_post_create(
            cluster_year=self.get_object(),
            title=data["title"],
            body=data["body"],
            author_department=data["author_department"],
            author_name=data["author_name"],
            activity=data["activity"],
            by=self.request.user,
        )


class NewsPostMixin(ObjectPermissionMixin):
    view_permission = staticmethod(permissions.can_view_news_post)
    permission = staticmethod(permissions.can_edit_news_post)

    def get_object(self, queryset=None):
        if not hasattr(self, "_permission_object"):
            self._permission_object = _loaded(
                selectors.news_post_get, NewsPost.DoesNotExist, pk=self.kwargs["pk"]
            )
        return self._permission_object

    def get_cancel_url(self):
        return self.get_object().get_absolute_url()


class NewsPostUpdateView(NewsPostMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Edit a news post."""

    form_class = NewsPostForm
    success_message = gettext_lazy("The news post has been saved.")

    def get_page_title(self):
        return _("Edit the news post")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        post = self.get_object()
        kwargs["instance"] = NewsPost.objects.get(pk=post.pk)
        kwargs["departments"] = _news_departments(self.request.user, post.cluster_year)
        kwargs["activities"] = _news_activities(post.cluster_year)
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        return services.news_post_update(
            post=self.get_object(),
            title=data["title"],
            body=data["body"],
            author_department=data["author_department"],
            author_name=data["author_name"],
            activity=data["activity"],
            by=self.request.user,
        )


class NewsPostPublishView(NewsPostMixin, FormPageMixin, FormView):
    """Publish a post: anyone can then read it without logging in."""

    form_class = NewsPublishForm
    submit_label = gettext_lazy("Publish")
    intro = gettext_lazy(
        "Once published, the post is public: anyone can read it without logging in."
    )

    def get_page_title(self):
        return _("Publish “%(title)s”?") % {"title": self.get_object().title}

    def form_valid(self, form):
        post = services.news_post_publish(
            post=self.get_object(),
            published_on=form.cleaned_data["published_on"],
            by=self.request.user,
        )
        messages.success(self.request, _("The news post has been published."))
        return redirect(post)


class NewsPostWithdrawView(NewsPostMixin, FormPageMixin, FormView):
    """Take a published post back to draft."""

    form_class = ConfirmForm
    submit_label = gettext_lazy("Withdraw")
    intro = gettext_lazy("The post will no longer be public; it becomes a draft again.")

    def get_page_title(self):
        return _("Withdraw “%(title)s”?") % {"title": self.get_object().title}

    def form_valid(self, form):
        post = services.news_post_withdraw(post=self.get_object(), by=self.request.user)
        messages.success(self.request, _("The news post has been withdrawn."))
        return redirect(post)


class NewsPhotoAddView(NewsPostMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Add a photo with its caption to a news post."""

    form_class = PhotoForm
    multipart = True
    submit_label = gettext_lazy("Upload")
    success_message = gettext_lazy("The photo has been added.")

    def get_page_title(self):
        return _("Add a photo")

    def perform(self, form):
        services.photo_add(
            news_post=self.get_object(),
            upload=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
            by=self.request.user,
        )
        return self.get_object()


# Legal references


class LegalReferenceListView(ObjectPermissionMixin, ListView):
    """The legal references the user may read: site-wide ones and their clusters'."""

    permission = staticmethod(permissions.can_view_legal_reference)
    template_name = "plans/legalreference_list.html"
    context_object_name = "references"

    def get_permission_object(self):
        return None

    def get_queryset(self):
        return selectors.legal_reference_list_visible(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = permissions.can_manage_legal_references(self.request.user)
        return context


class LegalReferenceMixin(ObjectPermissionMixin):
    """The reference named by the URL, with its cluster; 404 for another cluster's."""

    view_permission = staticmethod(permissions.can_view_legal_reference)
    permission = staticmethod(permissions.can_view_legal_reference)

    def get_object(self, queryset=None):
        if not hasattr(self, "_permission_object"):
            self._permission_object = get_object_or_404(
                LegalReference.objects.select_related("cluster"), pk=self.kwargs["pk"]
            )
        return self._permission_object


class LegalReferenceDetailView(LegalReferenceMixin, DetailView):
    """A legal reference and the plans (that the user may read) citing it."""

    template_name = "plans/legalreference_detail.html"
    context_object_name = "reference"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, reference = self.request.user, self.object
        can_edit = permissions.can_edit_legal_reference(user, reference)
        frozen = can_edit and selectors.legal_reference_is_frozen(reference=reference)
        context.update(
            citing_plans=selectors.work_plan_list_citing(reference=reference, user=user),
            can_edit=can_edit and not frozen,
            # A frozen reference is corrected by a new one, prefilled from it.
            can_copy=frozen or (not can_edit and permissions.can_manage_legal_references(user)),
            frozen=frozen,
        )
        return context


class LegalReferenceFormMixin(FormPageMixin, ServiceFormMixin):
    form_class = LegalReferenceForm
    multipart = True
    success_message = gettext_lazy("The legal reference has been saved.")

    def get_cancel_url(self):
        return reverse("plans:legalreference-list")

    def get_breadcrumbs(self):
        return [(_("Legal references"), reverse("plans:legalreference-list"))]

    def save(self, fields, data):
        raise NotImplementedError

    def perform(self, form):
        data = form.cleaned_data
        fields = {
            "kind": data["kind"],
            "number": data["number"],
            "issued_on": data["issued_on"],
            "issuer": data["issuer"],
            "title": data["title"],
            "upload": data["upload"],
            "by": self.request.user,
        }
        return self.save(fields, data)


class LegalReferenceCreateView(ObjectPermissionMixin, LegalReferenceFormMixin, FormView):
    """Add a legal reference for one's cluster (secretariats of open years) or for any
    cluster or the whole site (site admins); ``?from=<pk>`` starts from a reference the
    user may read, as a corrected copy of it."""

    view_permission = staticmethod(permissions.is_logged_in)

    @staticmethod
    def permission(user, _obj):
        return permissions.can_manage_legal_references(user)

    def get_permission_object(self):
        return None

    def get_page_title(self):
        if self.get_source() is not None:
            return _("Corrected copy of a legal reference")
        return _("New legal reference")

    def get_source(self) -> LegalReference | None:
        """The reference this one corrects (``?from=``), if the user may read it."""
        if not hasattr(self, "_source"):
            self._source = None
            pk = self.request.GET.get("from", "")
            if pk.isdigit():
                source = LegalReference.objects.select_related("cluster").filter(pk=int(pk)).first()
                if source is not None and permissions.can_view_legal_reference(
                    self.request.user, source
                ):
                    self._source = source
        return self._source

    def get_initial(self):
        source = self.get_source()
        if source is None:
            return super().get_initial()
        return {
            "kind": source.kind,
            "number": source.number,
            "issued_on": source.issued_on,
            "issuer": source.issuer,
            "title": source.title,
        }

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs["clusters"] = selectors.legal_reference_owner_list(user=user)
        kwargs["site_wide"] = is_site_admin(user)
        return kwargs

    def save(self, fields, data):
        return services.legal_reference_create(
            **fields, cluster=data.get("cluster"), corrects=self.get_source()
        )


class LegalReferenceUpdateView(LegalReferenceMixin, LegalReferenceFormMixin, FormView):
    """Correct a legal reference or replace its file (refused once it is frozen)."""

    permission = staticmethod(permissions.can_edit_legal_reference)

    def get_page_title(self):
        return _("Edit the legal reference")

    @property
    def intro(self):
        # Said up front, not only after a refused save.
        if selectors.legal_reference_is_frozen(reference=self.get_object()):
            return _(
                "A closed year or a signed covenant version cites this reference, so it no "
                "longer changes. To correct it, create a corrected copy and cite that instead."
            )
        return ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = LegalReference.objects.get(pk=self.get_object().pk)
        return kwargs

    def save(self, fields, data):
        return services.legal_reference_update(reference=self.get_object(), **fields)


class LegalReferenceFileView(LegalReferenceMixin, View):
    """A legal reference's file (whoever may read the reference)."""

    def get(self, request, *args, **kwargs):
        reference = self.get_object()
        if not reference.file:
            raise Http404
        # A file stored before types were kept and not recognised since: a plain download.
        content_type = reference.content_type or "application/octet-stream"
        return file_response(
            reference.file,
            content_type=content_type,
            filename=download_name(f"{reference.kind} {reference.number}", content_type),
        )


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


class CharterVersionPdfView(CharterVersionMixin, View):
    """A charter version as a Decree 30 PDF (watermarked "DỰ THẢO" until adopted)."""

    def get(self, request, *args, **kwargs):
        version = self.get_object()
        context = selectors.charter_pdf_context(version=version)
        suffix = "" if context["is_final"] else "-du-thao"
        filename = f"quy-che-{version.cluster.code}-v{version.number}{suffix}.pdf"
        return _pdf_response(render_pdf("pdf/charter.html", context), filename)


class WorkPlanPdfView(WorkPlanMixin, View):
    """A work plan as a Decree 30 PDF (watermarked "DỰ THẢO" until adopted)."""

    def get(self, request, *args, **kwargs):
        plan = self.get_object()
        context = selectors.work_plan_pdf_context(plan=plan)
        year = plan.cluster_year
        suffix = "" if context["is_final"] else "-du-thao"
        filename = f"ke-hoach-{year.cluster.code}-{year.year}{suffix}.pdf"
        return _pdf_response(render_pdf("pdf/workplan.html", context), filename)
