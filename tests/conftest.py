"""Fixtures shared by the tests of every app.

``world`` is a small, fixed picture of the portal: two clusters in ``WORLD_YEAR``, each
with its own members, and one user per role. It is built in a dozen inserts so that any
test may use it.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser

from members.models import Cluster, ClusterYear, Department, Membership, User
from tests.factories import (
    ClusterFactory,
    ClusterYearFactory,
    DepartmentFactory,
    MembershipFactory,
    UserFactory,
)

WORLD_YEAR = 2024


def pytest_configure(config):
    # whitenoise warns once per client that STATIC_ROOT has not been collected: tests never do.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@dataclass
class World:
    """Cluster A (leader Hà Nội, deputy Vĩnh Phúc, members Hải Phòng and Bắc Ninh) and
    cluster B (Quảng Ninh leads, Lạng Sơn), with users:

    * ``secretariat``: staff of A's leader department (Hà Nội);
    * ``signatory`` and ``staff``: of Hải Phòng, an ordinary member of A;
    * ``outsider``: staff of Quảng Ninh, a member of cluster B only;
    * ``reviewer``: a Ministry reviewer (no department);
    * ``site_admin``: a superuser with no department.
    """

    cluster_a: Cluster
    year_a: ClusterYear
    hanoi: Department
    vinhphuc: Department
    haiphong: Department
    bacninh: Department
    cluster_b: Cluster
    year_b: ClusterYear
    quangninh: Department
    langson: Department
    secretariat: User
    signatory: User
    staff: User
    outsider: User
    reviewer: User
    site_admin: User

    def user(self, role: str):
        """The user playing ``role``; ``"anonymous"`` gives Django's AnonymousUser."""
        if role == "anonymous":
            return AnonymousUser()
        return getattr(self, role)


def department(province: str, code: str, kind: str = "tỉnh", **fields) -> Department:
    """A department named after a real province, e.g. ``department("Hà Nội", "hanoi")``."""
    return DepartmentFactory(province=province, code=code, kind=kind, **fields)


def cluster_year_with(cluster, year, *, leader=None, deputy=None, members=(), **fields):
    """A cluster year whose memberships are ``leader``, ``deputy`` and ``members``."""
    cluster_year = ClusterYearFactory(cluster=cluster, year=year, **fields)
    for dept, role in [
        (leader, Membership.Role.LEADER),
        (deputy, Membership.Role.DEPUTY),
        *[(m, Membership.Role.MEMBER) for m in members],
    ]:
        if dept is not None:
            MembershipFactory(cluster_year=cluster_year, department=dept, role=role)
    return cluster_year


@pytest.fixture(autouse=True)
def _temporary_media(settings, tmp_path):
    """Uploads and issued PDFs of a test go to its own folder, never the developer's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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
