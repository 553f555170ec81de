"""The data migration that gives departments and memberships recorded before it their
Vietnamese sort keys."""

import importlib

import pytest
from django.apps import apps

from members.models import Department, Membership
from tests.factories import ClusterFactory
from tests.helpers import cluster_year_with, department

pytestmark = pytest.mark.django_db

migration = importlib.import_module("members.migrations.0005_sort_keys")


def test_rows_recorded_before_the_keys_get_them_and_sort_in_vietnamese_order():
    # Codes and insertion order both put Hưng Yên first.
    hungyen, haiduong = department("Hưng Yên", "hungyen"), department("Hải Dương", "tinh-haiduong")
    cluster_year = cluster_year_with(ClusterFactory(), 2019, members=[hungyen, haiduong])
    Department.objects.update(sort_key="")
    Membership.objects.update(sort_key="")
    migration.fill_sort_keys(apps, None)
    assert [d.code for d in Department.objects.all()] == ["tinh-haiduong", "hungyen"]
    members = Membership.objects.filter(cluster_year=cluster_year)
    assert [m.department.code for m in members] == ["tinh-haiduong", "hungyen"]
    assert all(m.sort_key == m.department.sort_key for m in members)
