from django.contrib.auth.decorators import login_not_required
from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("", views.PlansIndexView.as_view(), name="index"),
    # Work plans and activities
    path(
        "clusters/<slug:code>/<int:year>/",
        views.WorkPlanDetailView.as_view(),
        name="workplan-detail",
    ),
    path(
        "clusters/<slug:code>/<int:year>/pdf/",
        views.WorkPlanPdfView.as_view(),
        name="workplan-pdf",
    ),
    path(
        "clusters/<slug:code>/<int:year>/new/",
        views.WorkPlanCreateView.as_view(),
        name="workplan-create",
    ),
    path(
        "clusters/<slug:code>/<int:year>/edit/",
        views.WorkPlanUpdateView.as_view(),
        name="workplan-update",
    ),
    path(
        "clusters/<slug:code>/<int:year>/activities/new/",
        views.ActivityCreateView.as_view(),
        name="activity-create",
    ),
    path(
        "clusters/<slug:code>/<int:year>/activities.csv",
        views.ActivityExportView.as_view(file_format="csv"),
        name="activity-export-csv",
    ),
    path(
        "clusters/<slug:code>/<int:year>/activities.xlsx",
        views.ActivityExportView.as_view(file_format="xlsx"),
        name="activity-export-xlsx",
    ),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity-detail"),
    path("activities/<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="activity-update"),
    path(
        "activities/<int:pk>/attendees/new/",
        views.AttendeeAddView.as_view(),
        name="attendee-add",
    ),
    path("attendees/<int:pk>/remove/", views.AttendeeRemoveView.as_view(), name="attendee-remove"),
    path(
        "activities/<int:pk>/files/new/",
        views.AttachmentAddView.as_view(),
        name="attachment-add",
    ),
    path(
        "activities/<int:pk>/photos/new/",
        views.ActivityPhotoAddView.as_view(),
        name="activity-photo-add",
    ),
    path("files/<int:pk>/", views.AttachmentFileView.as_view(), name="attachment-file"),
    path("photos/<int:pk>/", views.PhotoFileView.as_view(), name="photo-file"),
    # Calendar and feeds
    path("calendar/", views.CalendarHomeView.as_view(), name="calendar"),
    path(
        "clusters/<slug:code>/calendar/<int:year>/<int:month>/",
        views.CalendarMonthView.as_view(),
        name="calendar-month",
    ),
    path("calendar/feeds/", views.FeedSettingsView.as_view(), name="calendar-feeds"),
    path("calendar/feeds/new/", views.FeedTokenCreateView.as_view(), name="feedtoken-create"),
    path("calendar/feeds/revoke/", views.FeedTokenRevokeView.as_view(), name="feedtoken-revoke"),
    # Public: calendar applications cannot log in; the secret token stands for its owner.
    path(
        "feeds/<str:token>/clusters/<slug:code>.ics",
        login_not_required(views.ClusterFeedView.as_view()),
        name="feed-cluster",
    ),
    path(
        "feeds/<str:token>/departments/<slug:code>.ics",
        login_not_required(views.DepartmentFeedView.as_view()),
        name="feed-department",
    ),
    # Charter
    path(
        "clusters/<slug:code>/charter/",
        views.CharterVersionListView.as_view(),
        name="charterversion-list",
    ),
    path(
        "clusters/<slug:code>/charter/new/",
        views.CharterVersionCreateView.as_view(),
        name="charterversion-create",
    ),
    path(
        "charter/<int:pk>/",
        views.CharterVersionDetailView.as_view(),
        name="charterversion-detail",
    ),
    path(
        "charter/<int:pk>/pdf/",
        views.CharterVersionPdfView.as_view(),
        name="charterversion-pdf",
    ),
    path(
        "charter/<int:pk>/edit/",
        views.CharterVersionUpdateView.as_view(),
        name="charterversion-update",
    ),
    path(
        "charter/<int:pk>/open/",
        views.CharterVersionOpenView.as_view(),
        name="charterversion-open",
    ),
    path(
        "charter/<int:pk>/return-to-draft/",
        views.CharterVersionReturnToDraftView.as_view(),
        name="charterversion-return-to-draft",
    ),
    path(
        "charter/<int:pk>/adopt/",
        views.CharterVersionAdoptView.as_view(),
        name="charterversion-adopt",
    ),
    path(
        "charter/<int:pk>/compare/",
        views.CharterVersionCompareView.as_view(),
        name="charterversion-compare",
    ),
    path(
        "charter/<int:pk>/articles/new/",
        views.CharterArticleCreateView.as_view(),
        name="charterarticle-create",
    ),
    path(
        "charter/articles/<int:pk>/edit/",
        views.CharterArticleUpdateView.as_view(),
        name="charterarticle-update",
    ),
    path(
        "charter/articles/<int:pk>/delete/",
        views.CharterArticleDeleteView.as_view(),
        name="charterarticle-delete",
    ),
    path(
        "charter/articles/<int:pk>/comment/",
        views.CharterCommentCreateView.as_view(),
        name="chartercomment-create",
    ),
    path(
        "charter/comments/<int:pk>/answer/",
        views.CharterCommentAnswerView.as_view(),
        name="chartercomment-answer",
    ),
    # News: the list, published posts and their photos are public (names "news-public-…").
    path("news/", login_not_required(views.NewsListView.as_view()), name="news-public-list"),
    path(
        "news/<int:pk>/",
        login_not_required(views.NewsPostDetailView.as_view()),
        name="news-public-detail",
    ),
    path(
        "news/photos/<int:pk>/",
        login_not_required(views.NewsPhotoFileView.as_view()),
        name="news-public-photo",
    ),
    path(
        "clusters/<slug:code>/<int:year>/news/new/",
        views.NewsPostCreateView.as_view(),
        name="newspost-create",
    ),
    path("news/<int:pk>/edit/", views.NewsPostUpdateView.as_view(), name="newspost-update"),
    path("news/<int:pk>/publish/", views.NewsPostPublishView.as_view(), name="newspost-publish"),
    path("news/<int:pk>/withdraw/", views.NewsPostWithdrawView.as_view(), name="newspost-withdraw"),
    path("news/<int:pk>/photos/new/", views.NewsPhotoAddView.as_view(), name="newspost-photo-add"),
    # Legal references
    path("legal/", views.LegalReferenceListView.as_view(), name="legalreference-list"),
    path("legal/new/", views.LegalReferenceCreateView.as_view(), name="legalreference-create"),
    path("legal/<int:pk>/", views.LegalReferenceDetailView.as_view(), name="legalreference-detail"),
    path(
        "legal/<int:pk>/edit/",
        views.LegalReferenceUpdateView.as_view(),
        name="legalreference-update",
    ),
    path(
        "legal/<int:pk>/file/",
        views.LegalReferenceFileView.as_view(),
        name="legalreference-file",
    ),
]
