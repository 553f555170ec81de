"""URLs of the year-end evaluation, under /evaluations/<cluster code>/<year>/."""

from django.urls import path  # noqa: F401

app_name = "evaluations"

urlpatterns: list = []
