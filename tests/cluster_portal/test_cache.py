"""The shared cache: its table made by `migrate`, and the data version every app server reads."""

import importlib

import pytest
from django.conf import settings
from django.db import connection, transaction

from cluster_portal import cache
from members.models import Cluster
from tests.helpers import committed, shell_output

pytestmark = pytest.mark.django_db


def test_migrate_creates_the_cache_table_the_settings_name():
    migration = importlib.import_module("cluster_portal.migrations.0005_cache_table")
    assert migration.CACHE_TABLE == settings.CACHE_TABLE
    assert settings.CACHE_TABLE in connection.introspection.table_names()


def test_a_committed_write_gives_a_new_data_version():
    before = cache.data_version()
    committed(lambda: Cluster.objects.create(code="cum-moi", name="Cụm thi đua mới"))
    assert cache.data_version() != before


def test_a_rolled_back_write_keeps_the_data_version():
    before = cache.data_version()

    def write_then_fail():
        with transaction.atomic():
            Cluster.objects.create(code="cum-moi", name="Cụm thi đua mới")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        committed(write_then_fail)
    assert cache.data_version() == before


def test_a_lost_version_is_replaced_by_a_new_one_never_an_old_one():
    first = cache.data_version()
    committed(lambda: Cluster.objects.create(code="cum-moi", name="Cụm thi đua mới"))
    second = cache.data_version()
    from django.core.cache import cache as default_cache

    default_cache.delete(cache.VERSION_KEY)
    assert cache.data_version() not in {first, second, None}


def test_a_users_login_time_alone_keeps_the_data_version(world):
    committed(lambda: None)  # the world as set up, committed
    before = cache.data_version()
    world.staff.last_login = world.staff.date_joined
    committed(lambda: world.staff.save(update_fields=["last_login"]))
    assert cache.data_version() == before


def test_two_app_servers_see_one_data_version_through_redis(redis_url):
    url = redis_url
    read = "from cluster_portal.cache import data_version; print(data_version())"
    first = shell_output(read, REDIS_URL=url)
    assert shell_output(read, REDIS_URL=url) == first
    shell_output("from cluster_portal.cache import data_changed; data_changed()", REDIS_URL=url)
    assert shell_output(read, REDIS_URL=url) not in {first, "None"}


def test_a_transaction_replaces_the_data_version_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        Cluster.objects.create(code="cum-mot", name="Cụm thi đua một")
        Cluster.objects.create(code="cum-hai", name="Cụm thi đua hai")
    assert [c.__module__ for c in callbacks] == ["cluster_portal.cache"]


def test_writes_in_two_released_savepoints_replace_the_data_version_once(
    django_capture_on_commit_callbacks,
):
    # A service's row in one savepoint and its audit event in the next (signing does this).
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        with transaction.atomic():
            Cluster.objects.create(code="cum-mot", name="Cụm thi đua một")
        with transaction.atomic():
            Cluster.objects.create(code="cum-hai", name="Cụm thi đua hai")
    assert [c.__module__ for c in callbacks] == ["cluster_portal.cache"]


def test_a_write_in_a_rolled_back_savepoint_does_not_hide_a_later_one():
    before = cache.data_version()

    def write():
        try:
            with transaction.atomic():
                Cluster.objects.create(code="cum-mot", name="Cụm thi đua một")
                raise RuntimeError
        except RuntimeError:
            pass
        Cluster.objects.create(code="cum-hai", name="Cụm thi đua hai")

    committed(write)
    assert cache.data_version() != before
