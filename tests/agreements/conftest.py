"""Fixtures for the covenant tests: a covenant of ``world.year_a`` and its signatories.

``world.year_a`` (2024) has four members: Hà Nội (leader), Vĩnh Phúc (deputy), Hải Phòng
and Bắc Ninh. ``world`` gives only Hải Phòng a signatory; ``signatories`` adds one for each
other member, with an e-mail address so that notifications go out.

Helpers (``sign``, ``decline``, ``codes``, ``clock`` ...) are plain functions the test
modules import from here.
"""

import contextlib
import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agreements import services
from agreements.models import Covenant
from cluster_portal.audit import RequestMeta
from members.models import User
from tests.conftest import cluster_year_with
from tests.factories import (
    PASSWORD,
    ClusterFactory,
    DepartmentFactory,
    LegalReferenceFactory,
    UserFactory,
    minimal_pdf,
)

# The five key directions of the 2019 covenant, shortened.
COMMITMENTS = [
    "Thực hiện tốt nhiệm vụ chính trị được giao, hoàn thành các chỉ tiêu kế hoạch năm.",
    "Đẩy mạnh cải cách hành chính, nâng cao chất lượng đội ngũ cán bộ, công chức.",
    "Tăng cường công tác thi đua, khen thưởng; phát hiện, nhân rộng điển hình tiên tiến.",
    "Chấp hành nghiêm kỷ luật, kỷ cương hành chính và văn hóa công vụ.",
    "Phối hợp chặt chẽ giữa các thành viên trong Cụm, chia sẻ kinh nghiệm, giúp đỡ nhau.",
]
TITLE = "Giao ước thi đua năm 2024"
PREAMBLE = "Thực hiện phong trào thi đua yêu nước, các Sở Nội vụ trong Cụm thống nhất giao ước."
PLACE = "Hà Nội"
SIGNING_DATE = datetime.date(2024, 3, 5)

META = RequestMeta(ip_address="203.0.113.24", user_agent="Mozilla/5.0 (X11; Linux x86_64) Test/1.0")

MEMBER_CODES = ["hanoi", "vinhphuc", "haiphong", "bacninh"]


def refreshed(covenant: Covenant) -> Covenant:
    """The covenant as stored now (services lock and re-read their own copy)."""
    return Covenant.objects.select_related("cluster_year__cluster").get(pk=covenant.pk)


def codes(error: ValidationError) -> set[str]:
    """The codes of every message in ``error``, whether it names fields or not."""
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def sign(covenant, user, *, password=PASSWORD, confirmed=True, meta=META):
    return services.signature_record(
        covenant=refreshed(covenant), user=user, password=password, confirmed=confirmed, meta=meta
    )


def decline(covenant, user, *, reason="Chưa thống nhất chỉ tiêu số 2.", password=PASSWORD):
    return services.signature_decline(
        covenant=refreshed(covenant), user=user, password=password, reason=reason, meta=META
    )


def paper_scan(name: str = "ban-giay-da-ky.pdf", content: bytes | None = None):
    """The scan of a signed paper original as a browser uploads it (a real PDF by default)."""
    content = minimal_pdf(b"ban giay da ky") if content is None else content
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def allow_paper_recorder(covenant, user) -> None:
    """The cluster names ``user`` among those who may record paper originals."""
    covenant.cluster_year.cluster.paper_recorders.add(user)


def draft_covenant(world, **overrides) -> Covenant:
    """A draft covenant of ``world.year_a``, drafted by the secretariat."""
    arguments = {
        "cluster_year": world.year_a,
        "title": TITLE,
        "preamble": PREAMBLE,
        "place": PLACE,
        "signing_date": SIGNING_DATE,
        "deadline": timezone.now() + datetime.timedelta(days=30),
        "commitments": COMMITMENTS,
        "by": world.secretariat,
    }
    arguments.update(overrides)
    return services.covenant_create(**arguments)


def open_covenant(covenant, by) -> Covenant:
    return services.covenant_open_for_signing(covenant=refreshed(covenant), by=by)


@contextlib.contextmanager
def clock(at: datetime.datetime):
    """Stop the clock at ``at`` (timezone-aware, UTC): ``timezone.now`` and ``localdate``."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield at


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


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
