"""Fixtures for the covenant tests: a covenant of ``world.year_a`` and its signatories.

``world.year_a`` (2024) has four members: Hà Nội (leader), Vĩnh Phúc (deputy), Hải Phòng
and Bắc Ninh. ``world`` gives only Hải Phòng a signatory; ``signatories`` adds one for each
other member, with an e-mail address so that notifications go out.

Helpers (``sign``, ``decline``, ``codes``, ``clock`` ...) are in ``tests/helpers.py``.
"""

import datetime

import pytest
from django.utils import timezone

from agreements import services
from agreements.models import Covenant
from members.models import User
from tests.factories import (
    ClusterFactory,
    DepartmentFactory,
    LegalReferenceFactory,
    UserFactory,
)
from tests.helpers import (
    COMMITMENTS,
    MEMBER_CODES,
    cluster_year_with,
    draft_covenant,
    open_covenant,
    refreshed,
    sign,
)


@pytest.fixture
def signatories(world) -> dict[str, User]:
    """One signatory per member department of year A, keyed by department code."""
    result = {"haiphong": world.signatory}
    for department in (world.hanoi, world.vinhphuc, world.bacninh):
        result[department.code] = UserFactory(
            username=f"giamdoc.{department.code}",
            role=User.Role.SIGNATORY,
            position="Giám đốc Sở",
            department=department,
        )
    return result


@pytest.fixture
def legal_basis(db):
    return LegalReferenceFactory(
        kind="Công văn",
        number="1307/BNV-VP",
        issued_on=datetime.date(2019, 3, 27),
        issuer="Bộ Nội vụ",
    )


@pytest.fixture
def draft(world, signatories, legal_basis) -> Covenant:
    """A draft with five commitments, a legal basis and a deadline in 30 days."""
    return draft_covenant(world, legal_bases=[legal_basis])


@pytest.fixture
def covenant(draft, world) -> Covenant:
    """The draft, opened for signing (version 1)."""
    return refreshed(open_covenant(draft, world.secretariat))


@pytest.fixture
def leader_last(world, signatories, legal_basis) -> Covenant:
    """An open covenant in which the leader (Hà Nội) signs last."""
    draft = draft_covenant(world, leader_signs_last=True, legal_bases=[legal_basis])
    return refreshed(open_covenant(draft, world.secretariat))


@pytest.fixture
def signed_covenant(covenant, signatories) -> Covenant:
    """The covenant signed by every member: fully signed."""
    for code in MEMBER_CODES:
        sign(covenant, signatories[code])
    return refreshed(covenant)


@pytest.fixture
def paper_media(settings, tmp_path):
    """Uploaded scans go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def former_member_signatory(world) -> User:
    """A signatory of a department that was in cluster A in 2023 but is not in 2024."""
    former = DepartmentFactory(province="Hải Dương", code="haiduong")
    cluster_year_with(world.cluster_a, 2023, leader=world.hanoi, members=[former])
    return UserFactory(username="giamdoc.haiduong", role=User.Role.SIGNATORY, department=former)


@pytest.fixture
def other_cluster_signatory(world) -> User:
    """A signatory of Quảng Ninh, a member of cluster B only."""
    return UserFactory(
        username="giamdoc.quangninh", role=User.Role.SIGNATORY, department=world.quangninh
    )


ELEVEN_YEAR = 2026


@pytest.fixture
def eleven(db):
    """A cluster year with eleven members, its covenant open, one signatory per member.

    Returns ``(covenant, signatories)``.
    """
    departments = [DepartmentFactory() for _ in range(11)]
    cluster_year = cluster_year_with(
        ClusterFactory(code="dong-bang", name="Cụm thi đua các tỉnh, thành Đồng bằng sông Hồng"),
        ELEVEN_YEAR,
        leader=departments[0],
        deputy=departments[1],
        members=departments[2:],
    )
    secretariat = UserFactory(department=departments[0])
    people = [
        UserFactory(role=User.Role.SIGNATORY, position="Giám đốc Sở", department=department)
        for department in departments
    ]
    draft = services.covenant_create(
        cluster_year=cluster_year,
        title=f"Giao ước thi đua năm {ELEVEN_YEAR}",
        deadline=timezone.now() + datetime.timedelta(days=30),
        commitments=COMMITMENTS,
        by=secretariat,
    )
    return refreshed(open_covenant(draft, secretariat)), people
