"""URLs of the award dossiers and the Ministry's decisions, under /dossiers/."""

from django.urls import path  # noqa: F401

app_name = "dossiers"

urlpatterns: list = []
