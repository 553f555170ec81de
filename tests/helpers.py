"""Helpers the tests import: plain functions and constants, no fixtures (those are in the
``conftest.py`` files).

* the ``world`` picture: ``WORLD_YEAR``, ``World``, ``department``, ``cluster_year_with``;
* covenants through the services: ``draft_covenant``, ``open_covenant``, ``sign``,
  ``decline``, ``codes``, ``clock`` ...;
* covenants and plans written straight to the database for the read-only reports:
  ``covenant_for``, ``plan_for``;
* uploads as a browser sends them: ``upload``, ``jpeg``, ``png``, ``webp``, ``pdf`` ...;
* background tasks: ``run_worker`` runs the real database worker until the queue is empty.
"""

import contextlib
import datetime
import io
import zipfile
from dataclasses import dataclass
from unittest import mock

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from PIL import Image

from agreements import services
from agreements.models import Covenant, CovenantVersion, Signature
from cluster_portal.audit import RequestMeta
from members.models import Cluster, ClusterYear, Department, Membership, User
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    ClusterYearFactory,
    DepartmentFactory,
    MembershipFactory,
    WorkPlanFactory,
    minimal_pdf,
)

# The world

WORLD_YEAR = 2024


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


# Covenants through the services

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


# Covenants and plans written straight to the database (the reports only read them)


def covenant_for(cluster_year, *, state=Covenant.State.OPEN, deadline=None, signed=()):
    """A covenant of ``cluster_year`` in ``state`` signed (on paper) by ``signed``."""
    covenant = Covenant.objects.create(
        cluster_year=cluster_year,
        title=f"Giao ước thi đua năm {cluster_year.year}",
        state=state,
        deadline=deadline,
    )
    version = CovenantVersion.objects.create(
        covenant=covenant, number=1, text="Giao ước", sha256=CovenantVersion.hash_text("Giao ước")
    )
    for department in signed:
        Signature.objects.create(
            covenant=covenant,
            version=version,
            department=department,
            status=Signature.Status.SIGNED,
            method=Signature.Method.PAPER,
            signer_name="Nguyễn Văn Hùng",
            signer_title="Giám đốc Sở Nội vụ",
            department_name=department.full_name,
            signed_at=timezone.now(),
            text_sha256=version.sha256,
        )
    return covenant


def plan_for(cluster_year, *activities):
    """A work plan with activities given as ``(status, progress, ends_on)`` tuples."""
    plan = WorkPlanFactory(cluster_year=cluster_year)
    for status, progress, ends_on in activities:
        ActivityFactory(
            work_plan=plan, status=status, progress=progress, starts_on=ends_on, ends_on=ends_on
        )
    return plan


# Uploads as a browser sends them


def image_bytes(image_format: str, size=(8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 61, 128)).save(buffer, format=image_format)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return minimal_pdf()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    """An uploaded file as a browser sends it: the name and type are whatever it claims."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg(name="anh-hoi-nghi.jpg"):
    return upload(name, image_bytes("JPEG"), "image/jpeg")


def png(name="anh.png"):
    return upload(name, image_bytes("PNG"), "image/png")


def webp(name="anh.webp"):
    return upload(name, image_bytes("WEBP"), "image/webp")


def pdf(name="bien-ban.pdf"):
    return upload(name, pdf_bytes(), "application/pdf")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


# The roles the per-role page tests walk through.
ROLES = ["secretariat", "signatory", "staff", "outsider", "reviewer", "site_admin"]


# Pages


def vi(message: str) -> str:
    """``message`` as the Vietnamese page shows it, HTML-escaped."""
    with translation.override("vi"):
        return escape(gettext(message))


# Background tasks


def failed_task_for(cluster_year_id):
    """A mail task that failed for good, of ``cluster_year_id``, written straight to the queue
    table (for tests of who sees it; the tasks' own tests make tasks fail through the worker)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    return DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED,
        args_kwargs={"args": [], "kwargs": {"key": "x", "cluster_year_id": cluster_year_id}},
        task_path="cluster_portal.tasks.mail_deliver",
        backend_name="default",
        run_after=now,
        enqueued_at=now,
        finished_at=now,
        exception_class_path="smtplib.SMTPException",
        traceback="smtplib.SMTPException: down",
    )


def run_worker() -> None:
    """Run the database backend's worker (``manage.py db_worker``) until no task is ready.

    The worker is the real one: it takes each ready task from the queue table as a worker
    process does, runs it and records its result (tasks queued for later, such as retries
    after back-off, wait; move the clock to run them). Mail sent by the tasks lands in
    Django's locmem outbox, as in every test.
    """
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
    )
