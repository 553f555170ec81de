"""Pages of the members app. Views are thin: read through selectors, write through services."""

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from cluster_portal.audit import RequestMeta, registered_actions
from cluster_portal.forms import apply_service_errors
from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.views import ServiceFormMixin
from members import notifications, permissions, selectors, services
from members.forms import (
    AuditLogFilterForm,
    ClusterYearForm,
    ClusterYearStartForm,
    DepartmentSearchForm,
    LeadershipForm,
    MailPreferencesForm,
    MembershipAddForm,
    MembershipRemoveForm,
    PasswordChangeForm,
)
from members.models import MAX_YEAR, MIN_YEAR, ClusterYear, Notification


class DashboardView(TemplateView):
    """The logged-in user's cluster years: leader, deputy, members, phase, what to do."""

    template_name = "members/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # The current year of each cluster, and any later year already started (where the
        # incoming leader sets up the covenant and plan): all feed "Việc của tôi"; the
        # panels show each cluster's current year, the earliest of these.
        todo_years = selectors.todo_cluster_years_for(user=user)
        attention = selectors.attention_items_for(user=user, cluster_years=todo_years)
        current: dict[int, ClusterYear] = {}
        for cluster_year in todo_years:
            current.setdefault(cluster_year.cluster_id, cluster_year)
        cluster_years = list(current.values())  # in the database's order of cluster names
        links = selectors.year_links_for(user=user, cluster_years=cluster_years)
        context["todo"] = selectors.todo_entries(cluster_years=todo_years, attention=attention)
        context["panels"] = [
            {
                "cluster_year": cy,
                "links": links[cy.pk],
                "is_secretariat": permissions.is_secretariat(user, cy),
            }
            for cy in cluster_years
        ]
        return context


class ClusterListView(ListView):
    """Clusters the user may see."""

    template_name = "members/cluster_list.html"
    context_object_name = "clusters"

    def get_queryset(self):
        return selectors.clusters_visible_to(user=self.request.user)


class ClusterMixin(ObjectPermissionMixin):
    """Loads the cluster named by the URL (``code``); 404 for a user who may not see it."""

    view_permission = staticmethod(permissions.can_view_cluster)
    permission = staticmethod(permissions.can_view_cluster)

    def load_object(self):
        return selectors.cluster_get(code=self.kwargs["code"])

    def visible_years(self) -> list[ClusterYear]:
        """The cluster's years, newest first, that the user may read (no further query)."""
        return [
            cluster_year
            for cluster_year in selectors.cluster_years_with_members(cluster=self.get_object())
            if permissions.can_view_cluster_year(self.request.user, cluster_year)
        ]


class ClusterDetailView(ClusterMixin, DetailView):
    """A cluster: every year with its leader, deputy, phase and number of members."""

    template_name = "members/cluster_detail.html"
    context_object_name = "cluster"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["years"] = self.visible_years()
        return context


class ClusterHistoryView(ClusterMixin, DetailView):
    """Rotation history: leaders and deputies by year, and membership by year."""

    template_name = "members/cluster_history.html"
    context_object_name = "cluster"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = self.visible_years()
        years.reverse()  # oldest first reads as a timeline
        context["years"] = years
        context["rows"] = selectors.membership_table(years=years)
        # Each year's facts from other apps (the evaluation's rank and total), per cell.
        selectors.membership_facts_attach(
            user=self.request.user,
            memberships=[m for cluster_year in years for m in cluster_year.memberships.all()],
        )
        return context


class ClusterYearMixin(ObjectPermissionMixin):
    """Loads the cluster year named by the URL (``code``, ``year``), with its memberships.

    The one way to load "the cluster year from the URL": views of other apps use it too,
    naming in ``cluster_year_related`` any further one-to-one relation their predicate reads.
    """

    view_permission = staticmethod(permissions.can_view_cluster_year)
    permission = staticmethod(permissions.can_view_cluster_year)
    cluster_year_related: tuple[str, ...] = ()

    def load_object(self):
        return selectors.cluster_year_get(
            code=self.kwargs["code"], year=self.kwargs["year"], related=self.cluster_year_related
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cluster_year"] = self.get_object()
        context["cluster"] = context["cluster_year"].cluster
        return context


class ClusterYearDetailView(ClusterYearMixin, DetailView):
    """A cluster year: theme, motto, phase, leader, deputy and the members as of that year."""

    template_name = "members/clusteryear_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["links"] = selectors.year_links_for(
            user=self.request.user, cluster_years=[self.object]
        )[self.object.pk]
        return context


class ClusterYearUpdateView(ClusterYearMixin, ServiceFormMixin, FormView):
    """Edit a year's theme, motto and phase (secretariat)."""

    permission = staticmethod(permissions.can_manage_cluster_year)
    template_name = "members/clusteryear_form.html"
    form_class = ClusterYearForm
    success_message = gettext_lazy("The year has been saved.")

    def get_initial(self):
        cluster_year = self.get_object()
        return {
            "theme": cluster_year.theme,
            "motto": cluster_year.motto,
            "phase": cluster_year.phase,
        }

    def perform(self, form):
        cluster_year = self.get_object()
        services.cluster_year_update(
            cluster_year=cluster_year,
            theme=form.cleaned_data["theme"],
            motto=form.cleaned_data["motto"],
            phase=form.cleaned_data["phase"],
            by=self.request.user,
        )
        return cluster_year


class ClusterYearLeadershipView(ClusterYearMixin, ServiceFormMixin, FormView):
    """Record the year's leader and deputy (the election result) (secretariat)."""

    permission = staticmethod(permissions.can_manage_cluster_year)
    template_name = "members/clusteryear_leadership.html"
    success_message = gettext_lazy("The leader and deputy have been recorded.")

    def get_initial(self):
        cluster_year = self.get_object()
        return {
            "leader": cluster_year.leader.department if cluster_year.leader else None,
            "deputy": cluster_year.deputy.department if cluster_year.deputy else None,
        }

    def get_form(self, form_class=None):
        # Bound on every POST, even an empty one (``request.POST or None`` would not be).
        return LeadershipForm(**self.get_form_kwargs(), cluster_year=self.get_object())

    def perform(self, form):
        cluster_year = self.get_object()
        services.cluster_year_set_leadership(
            cluster_year=cluster_year,
            leader=form.cleaned_data["leader"],
            deputy=form.cleaned_data["deputy"],
            by=self.request.user,
        )
        return cluster_year


class MembershipAddView(ClusterYearMixin, ServiceFormMixin, FormView):
    """Add a department to a year, e.g. one that joins mid-year (secretariat)."""

    permission = staticmethod(permissions.can_manage_cluster_year)
    template_name = "members/membership_add.html"

    def get_form(self, form_class=None):
        return MembershipAddForm(**self.get_form_kwargs(), cluster_year=self.get_object())

    def perform(self, form):
        cluster_year = self.get_object()
        department = form.cleaned_data["department"]
        services.membership_add(
            cluster_year=cluster_year, department=department, by=self.request.user
        )
        self.success_message = _("%(department)s is a member in %(year)s.") % {
            "department": department.full_name,
            "year": cluster_year.year,
        }
        return cluster_year


class MembershipRemoveView(ClusterYearMixin, ServiceFormMixin, FormView):
    """Remove a member from a year, with confirmation; refused (and said so up front) when
    the year's records name the department (secretariat)."""

    permission = staticmethod(permissions.can_manage_cluster_year)
    template_name = "members/membership_remove.html"
    form_class = MembershipRemoveForm

    def get_membership(self):
        membership = next(
            (
                m
                for m in self.get_object().memberships.all()
                if m.department.code == self.kwargs["department"]
            ),
            None,
        )
        if membership is None:
            raise Http404
        return membership

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        membership = self.get_membership()
        context["membership"] = membership
        context["refusal"] = services.membership_change_refusal(
            cluster_year=self.get_object(), department=membership.department, change="remove"
        )
        return context

    def get_success_message(self, target):
        return _("%(department)s is no longer a member in %(year)s.") % {
            "department": self.get_membership().full_name,
            "year": self.get_object().year,
        }

    def perform(self, form):
        services.membership_remove(membership=self.get_membership(), by=self.request.user)
        return self.get_object()


class ClusterYearStartView(ClusterMixin, ServiceFormMixin, FormView):
    """Start a new year: members proposed from the previous year, successors offered."""

    permission = staticmethod(permissions.can_start_year)
    template_name = "members/clusteryear_start.html"
    form_class = ClusterYearStartForm

    def _next_year(self) -> int:
        latest = selectors.cluster_year_latest(cluster=self.get_object())
        return (latest + 1) if latest else timezone.localdate().year

    def _year(self) -> int:
        if not hasattr(self, "_chosen_year"):
            raw = self.request.POST.get("year") or self.request.GET.get("year")
            try:
                year = int(raw)
            except (TypeError, ValueError):
                year = None
            if year is None or not MIN_YEAR <= year <= MAX_YEAR:
                year = self._next_year()  # the form reports an out-of-range year itself
            self._chosen_year = year
        return self._chosen_year

    def _proposed(self):
        if not hasattr(self, "_proposed_members"):
            self._proposed_members = selectors.proposed_members_for(
                cluster=self.get_object(), year=self._year()
            )
        return self._proposed_members

    def get_initial(self):
        year = self._year()
        previous = self._previous()
        initial = {
            "year": year,
            "members": [p.department for p in self._proposed() if p.checked],
        }
        if previous is not None:
            initial["theme"] = previous.theme
            initial["motto"] = previous.motto
            # Offered ticked: the new leader starts from last year's texts as drafts.
            for copy in services.year_start_copies():
                initial[f"copy_{copy.code}"] = True
        return initial

    def _previous(self):
        if not hasattr(self, "_previous_year"):
            self._previous_year = selectors.cluster_year_before(
                cluster=self.get_object(), year=self._year()
            )
        return self._previous_year

    def get_form_kwargs(self):
        # Copying is offered only when there is a year to copy from.
        copies = services.year_start_copies() if self._previous() is not None else ()
        return {**super().get_form_kwargs(), "year": self._year(), "copies": copies}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cluster = self.get_object()
        context["cluster"] = cluster
        context["proposed"] = self._proposed()
        return context

    def get_success_message(self, target):
        return _("The year %(year)s has been started.") % {"year": target.year}

    def perform(self, form):
        data = form.cleaned_data
        return services.cluster_year_start(
            cluster=self.get_object(),
            year=data["year"],
            members=list(data["members"]),
            leader=data["leader"],
            deputy=data["deputy"],
            theme=data["theme"],
            motto=data["motto"],
            copy=form.copy_codes(),
            by=self.request.user,
        )


class DepartmentListView(TemplateView):
    """The department directory, searchable without regard to case or diacritics."""

    template_name = "members/department_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = DepartmentSearchForm(self.request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        context["form"] = form
        context["query"] = query
        context["departments"] = selectors.departments_visible_to(
            user=self.request.user, query=query
        )
        return context


class DepartmentDetailView(ObjectPermissionMixin, DetailView):
    """A department: contact details, validity, predecessors and successor, record by year."""

    permission = staticmethod(permissions.can_view_department)
    template_name = "members/department_detail.html"
    context_object_name = "department"

    def load_object(self):
        return selectors.department_get(code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record"] = selectors.department_record(
            department=self.object, user=self.request.user
        )
        selectors.membership_facts_attach(user=self.request.user, memberships=context["record"])
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """The user changes their own password, re-entering the current one (throttled)."""

    form_class = PasswordChangeForm

    def form_valid(self, form):
        try:
            services.user_password_change(
                user=self.request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                meta=RequestMeta.from_request(self.request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        # The session stays valid with the new password hash.
        update_session_auth_hash(self.request, self.request.user)
        return HttpResponseRedirect(self.get_success_url())


class AuditLogView(TemplateView):
    """The portal-wide audit log, read-only: every event for site admins and reviewers, the
    events of its clusters for the secretariat; filtered by cluster, year, department and
    kind of event, 50 to a page. Anyone else gets 404, as for a page that is not there."""

    template_name = "members/audit_log.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.can_view_audit_log(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        choices = selectors.audit_log_filter_choices(user=user)
        data = self.request.GET.copy()
        data.pop("page", None)  # turning pages is not filtering
        form = AuditLogFilterForm(
            data or None,
            clusters=choices["clusters"],
            years=choices["years"],
            departments=choices["departments"],
            actions=registered_actions(),
        )
        # Invalid values (a cluster outside the user's scope) are reported and not applied.
        filters = {}
        if form.is_bound:
            form.is_valid()
            filters = form.cleaned_data
        events = selectors.audit_event_list(
            user=user,
            cluster=filters.get("cluster"),
            year=filters.get("year"),
            department=filters.get("department"),
            action=filters.get("action") or None,
        )
        page = Paginator(events, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(
            form=form,
            page_obj=page,
            events=page.object_list,
            sees_everything=selectors.audit_log_scope(user=user) is None,
        )
        return context


class NotificationListView(TemplateView):
    """The user's notifications (the bell's page): newest first, unread marked."""

    template_name = "members/notification_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notifications"] = notifications.notification_list(user=self.request.user)
        return context


class NotificationReadView(View):
    """Open one of the user's notifications: mark it read and go where it is done (POST; a
    GET only shows the list)."""

    def _notification(self, request, pk) -> Notification:
        try:
            return notifications.notification_get(pk=pk, user=request.user)
        except Notification.DoesNotExist:
            raise Http404 from None  # someone else's: not even whether it exists

    def get(self, request, pk):
        self._notification(request, pk)
        return redirect("members:notification-list")

    def post(self, request, pk):
        notification = self._notification(request, pk)
        notifications.notification_mark_read(notification=notification, by=request.user)
        if request.POST.get("next") == "list":
            return redirect("members:notification-list")
        return HttpResponseRedirect(notification.url)


class NotificationReadAllView(View):
    """Mark every notification of the user read (POST)."""

    def post(self, request):
        notifications.notifications_mark_all_read(by=request.user)
        return redirect("members:notification-list")


class ProfileView(ServiceFormMixin, FormView):
    """The user's profile: who they are, and which kinds of to-do items they get e-mail for."""

    template_name = "members/profile.html"
    form_class = MailPreferencesForm
    success_message = gettext_lazy("Your e-mail preferences have been saved.")

    def _kinds(self):
        return [(code, label) for code, label in selectors.attention_kinds()]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kinds": self._kinds()}

    def get_initial(self):
        off = notifications.mail_kinds_off(user=self.request.user)
        return {"kinds": [code for code, _label in self._kinds() if code not in off]}

    def perform(self, form):
        on = set(form.cleaned_data["kinds"])
        notifications.mail_preferences_set(
            user=self.request.user,
            kinds_off={code for code, _label in self._kinds() if code not in on},
        )
        return "members:profile"
