"""URLs of the ballots, under /ballots/."""

from django.urls import path

from ballots.views import leadership

app_name = "ballots"

urlpatterns: list = [
    path(
        "<int:pk>/confirm/",
        leadership.BallotResultConfirmView.as_view(),
        name="ballot-confirm",
    ),
]
