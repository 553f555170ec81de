"""URLs of the ballots, under /ballots/."""

from django.urls import path

from ballots.views import counting, leadership, setup, voting

app_name = "ballots"

year = "<slug:code>/<int:year>/"

urlpatterns: list = [
    # Setup: the year's ballots, preparing, opening, paper counts.
    path(year, setup.BallotListView.as_view(), name="ballot-list"),
    path(f"{year}new/", setup.BallotCreateView.as_view(), name="ballot-create"),
    path("<int:pk>/", setup.BallotDetailView.as_view(), name="ballot-detail"),
    path("<int:pk>/edit/", setup.BallotEditView.as_view(), name="ballot-edit"),
    path("<int:pk>/open/", setup.BallotOpenView.as_view(), name="ballot-open"),
    path("<int:pk>/paper-count/", setup.PaperCountView.as_view(), name="ballot-paper-count"),
    # Voting and receipts.
    path("<int:pk>/vote/", voting.BallotVoteView.as_view(), name="ballot-vote"),
    path("<int:pk>/receipt/", voting.ReceiptCheckView.as_view(), name="ballot-receipt"),
    # Closing and counting.
    path("<int:pk>/close/", counting.BallotCloseView.as_view(), name="ballot-close"),
    path("<int:pk>/runoff/", counting.BallotRunoffView.as_view(), name="ballot-runoff"),
    path("<int:pk>/record.pdf", counting.VoteRecordView.as_view(), name="ballot-record"),
    # Next year's leadership.
    path("<int:pk>/confirm/", leadership.BallotResultConfirmView.as_view(), name="ballot-confirm"),
]
