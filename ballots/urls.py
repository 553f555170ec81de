"""URLs of the ballots, under /ballots/."""

from django.urls import path

from ballots.views import setup

app_name = "ballots"

year = "<slug:code>/<int:year>/"

urlpatterns: list = [
    # Setup (S): the year's ballots, preparing, opening, paper counts.
    path(year, setup.BallotListView.as_view(), name="ballot-list"),
    path(f"{year}new/", setup.BallotCreateView.as_view(), name="ballot-create"),
    path("<int:pk>/", setup.BallotDetailView.as_view(), name="ballot-detail"),
    path("<int:pk>/edit/", setup.BallotEditView.as_view(), name="ballot-edit"),
    path("<int:pk>/open/", setup.BallotOpenView.as_view(), name="ballot-open"),
    path("<int:pk>/paper-count/", setup.PaperCountView.as_view(), name="ballot-paper-count"),
]
