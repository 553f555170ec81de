"""URLs of the ballots, under /ballots/."""

from django.urls import path

from ballots.views import counting as counting_views
from ballots.views import leadership

app_name = "ballots"

urlpatterns: list = [
    path("<int:pk>/close/", counting_views.BallotCloseView.as_view(), name="ballot-close"),
    path("<int:pk>/runoff/", counting_views.BallotRunoffView.as_view(), name="ballot-runoff"),
    path("<int:pk>/record.pdf", counting_views.VoteRecordView.as_view(), name="ballot-record"),
    path(
        "<int:pk>/confirm/",
        leadership.BallotResultConfirmView.as_view(),
        name="ballot-confirm",
    ),
]
