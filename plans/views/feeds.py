"""Calendar feeds: the user's feed settings and tokens, and the token-protected iCalendar feeds."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from cluster_portal.permissions import ObjectPermissionMixin
from members import selectors as member_selectors
from members.models import Cluster, Department
from members.permissions import can_view_department
from members.selectors import clusters_visible_to
from plans import ical, permissions, selectors, services
from plans.forms import ConfirmForm
from plans.models import hash_feed_token
from plans.views.base import FormPageMixin

NEW_FEED_TOKEN_SESSION_KEY = "plans:new-feed-token"  # noqa: S105 (a key, not a secret)


class FeedSettingsView(TemplateView):
    """The user's calendar feed addresses, and their secret token (create, revoke)."""

    template_name = "plans/feeds/feed_settings.html"

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
        try:
            cluster = member_selectors.cluster_get(code=kwargs["code"])
        except Cluster.DoesNotExist as exc:
            raise Http404 from exc
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
        try:
            department = member_selectors.department_get(code=kwargs["code"])
        except Department.DoesNotExist as exc:
            raise Http404 from exc
        if not can_view_department(owner, department):
            raise Http404
        return self.respond(
            name=department.full_name,
            activities=selectors.activity_list_for_department_feed(
                department=department, user=owner
            ),
            filename=f"{department.code}.ics",
        )
