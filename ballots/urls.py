"""URLs of the ballots, under /ballots/."""

from django.urls import path

from ballots.views import voting

app_name = "ballots"

urlpatterns: list = [
    path("<int:pk>/vote/", voting.BallotVoteView.as_view(), name="ballot-vote"),
    path("<int:pk>/receipt/", voting.ReceiptCheckView.as_view(), name="ballot-receipt"),
]
