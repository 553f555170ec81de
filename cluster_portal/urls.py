from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from cluster_portal.forms import LoginForm
from cluster_portal.health import healthz
from cluster_portal.task_views import TaskFailureListView, TaskRetryView
from members.views import PasswordChangeView

urlpatterns = [
    # For load balancers: no login, says only whether the database answers.
    path("healthz", healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # The language switch works on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("tasks/failed/", TaskFailureListView.as_view(), name="task-failures"),
    path("tasks/<uuid:pk>/retry/", TaskRetryView.as_view(), name="task-retry"),
    path("covenants/", include("agreements.urls")),
    path("plans/", include("plans.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("ballots/", include("ballots.urls")),
    path("dossiers/", include("dossiers.urls")),
    path("reports/", include("reports.urls")),
    path("", include("members.urls")),
]
