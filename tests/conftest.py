"""Fixtures shared by the tests of every app (helpers to import are in ``tests/helpers.py``).

``world`` is a small, fixed picture of the portal: two clusters in ``WORLD_YEAR``, each
with its own members, and one user per role. It is built in a dozen inserts so that any
test may use it.
"""

import pytest

from tests.factories import ClusterFactory, UserFactory
from tests.helpers import WORLD_YEAR, World, cluster_year_with, department


def pytest_configure(config):
    # whitenoise warns once per client that STATIC_ROOT has not been collected: tests never do.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(autouse=True)
def _temporary_media(settings, tmp_path):
    """Uploads and issued PDFs of a test go to its own folder, never the developer's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Each test starts in the default language (Vietnamese). A request of an earlier test
    leaves the language it asked for active in the thread (LocaleMiddleware activates it
    and nothing deactivates it), which made messages depend on the order of the suite."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Serve static files without the manifest that only ``collectstatic`` writes.

    With DEBUG off the settings choose whitenoise's manifest storage, whose ``{% static %}``
    fails for any file not collected yet; tests render pages without collecting.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# Fixtures that give a test the database (the shared cache is a table of it by default).
_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Each test starts and ends with an empty shared cache, whatever ran before it.

    The default cache is a table of the database (cluster_portal.cache): a test without the
    database cannot have cached anything. Transactional tests (live server) keep their rows
    after the test, hence the clearing afterwards too.
    """
    if not (
        request.node.get_closest_marker("django_db")
        or _DATABASE_FIXTURES & set(request.fixturenames)
    ):
        yield
        return
    request.getfixturevalue("db")
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cache_disabled(settings):
    """Django's dummy cache: every page is computed, as the issue's floors measure it."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def tasks_run_at_once(settings):
    """Background tasks run inside the call that queues them (the Tasks framework's
    immediate backend), for tests about something else than the tasks themselves, e.g. who
    gets which e-mail. Tests of the tasks use the database backend and ``run_worker``."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(db) -> World:
    hanoi = department("Hà Nội", "hanoi", "thành phố")
    vinhphuc = department("Vĩnh Phúc", "vinhphuc")
    haiphong = department("Hải Phòng", "haiphong", "thành phố")
    bacninh = department("Bắc Ninh", "bacninh")
    quangninh = department("Quảng Ninh", "quangninh")
    langson = department("Lạng Sơn", "langson")
    cluster_a = ClusterFactory(code="bac-bo", name="Cụm thi đua các tỉnh, thành Bắc Bộ")
    cluster_b = ClusterFactory(code="dong-bac", name="Cụm thi đua các tỉnh Đông Bắc")
    year_a = cluster_year_with(
        cluster_a, WORLD_YEAR, leader=hanoi, deputy=vinhphuc, members=[haiphong, bacninh]
    )
    year_b = cluster_year_with(cluster_b, WORLD_YEAR, leader=quangninh, members=[langson])
    return World(
        cluster_a=cluster_a,
        year_a=year_a,
        hanoi=hanoi,
        vinhphuc=vinhphuc,
        haiphong=haiphong,
        bacninh=bacninh,
        cluster_b=cluster_b,
        year_b=year_b,
        quangninh=quangninh,
        langson=langson,
        secretariat=UserFactory(username="vanphong.hanoi", department=hanoi),
        signatory=UserFactory(username="giamdoc.haiphong", department=haiphong, signatory=True),
        staff=UserFactory(username="chuyenvien.haiphong", department=haiphong),
        outsider=UserFactory(username="chuyenvien.quangninh", department=quangninh),
        reviewer=UserFactory(username="thamdinh.bonoivu", reviewer=True),
        site_admin=UserFactory(username="quantri", site_admin=True),
    )
