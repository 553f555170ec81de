from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("clusters/", views.ClusterListView.as_view(), name="cluster-list"),
    path("clusters/<slug:code>/", views.ClusterDetailView.as_view(), name="cluster-detail"),
    path(
        "clusters/<slug:code>/history/",
        views.ClusterHistoryView.as_view(),
        name="cluster-history",
    ),
    path(
        "clusters/<slug:code>/years/new/",
        views.ClusterYearStartView.as_view(),
        name="clusteryear-start",
    ),
    path(
        "clusters/<slug:code>/<int:year>/",
        views.ClusterYearDetailView.as_view(),
        name="clusteryear-detail",
    ),
    path(
        "clusters/<slug:code>/<int:year>/edit/",
        views.ClusterYearUpdateView.as_view(),
        name="clusteryear-update",
    ),
    path(
        "clusters/<slug:code>/<int:year>/leadership/",
        views.ClusterYearLeadershipView.as_view(),
        name="clusteryear-leadership",
    ),
    path(
        "clusters/<slug:code>/<int:year>/members/add/",
        views.MembershipAddView.as_view(),
        name="membership-add",
    ),
    path(
        "clusters/<slug:code>/<int:year>/members/<slug:department>/remove/",
        views.MembershipRemoveView.as_view(),
        name="membership-remove",
    ),
    path("audit/", views.AuditLogView.as_view(), name="audit-log"),
    path("notifications/", views.NotificationListView.as_view(), name="notification-list"),
    path(
        "notifications/<int:pk>/read/",
        views.NotificationReadView.as_view(),
        name="notification-read",
    ),
    path(
        "notifications/read-all/",
        views.NotificationReadAllView.as_view(),
        name="notification-read-all",
    ),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("departments/", views.DepartmentListView.as_view(), name="department-list"),
    path(
        "departments/<slug:code>/",
        views.DepartmentDetailView.as_view(),
        name="department-detail",
    ),
]
