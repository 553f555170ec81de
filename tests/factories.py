"""factory_boy factories shared by every app's tests.

Departments get unique codes and Vietnamese names with diacritics; memberships copy their
snapshot (names, parent body, head) from the department with ``Membership.snapshot_of``,
as the services do; users get the known password ``PASSWORD``.
"""

import functools

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from members.models import Cluster, ClusterYear, Department, Membership, User

PASSWORD = "cum-thi-dua-2019"

# (province, code stem, kind): cities under central authority are "thành phố".
PROVINCES = [
    ("Hà Nội", "hanoi", "thành phố"),
    ("Vĩnh Phúc", "vinhphuc", "tỉnh"),
    ("Hải Phòng", "haiphong", "thành phố"),
    ("Hải Dương", "haiduong", "tỉnh"),
    ("Bắc Ninh", "bacninh", "tỉnh"),
    ("Hưng Yên", "hungyen", "tỉnh"),
    ("Quảng Ninh", "quangninh", "tỉnh"),
    ("Hà Nam", "hanam", "tỉnh"),
    ("Nam Định", "namdinh", "tỉnh"),
    ("Thái Bình", "thaibinh", "tỉnh"),
    ("Ninh Bình", "ninhbinh", "tỉnh"),
    ("Phú Thọ", "phutho", "tỉnh"),
    ("Bắc Giang", "bacgiang", "tỉnh"),
    ("Hòa Bình", "hoabinh", "tỉnh"),
    ("Lạng Sơn", "langson", "tỉnh"),
    ("Thái Nguyên", "thainguyen", "tỉnh"),
    ("Tuyên Quang", "tuyenquang", "tỉnh"),
    ("Điện Biên", "dienbien", "tỉnh"),
    ("Đà Nẵng", "danang", "thành phố"),
    ("Thừa Thiên Huế", "thuathienhue", "tỉnh"),
]


def _province(n: int) -> tuple[str, str, str]:
    return PROVINCES[n % len(PROVINCES)]


@functools.cache
def known_password_hash() -> str:
    """One hash of ``PASSWORD`` for every user: Argon2 is slow on purpose, tests need not be."""
    return make_password(PASSWORD)


class ClusterFactory(DjangoModelFactory):
    class Meta:
        model = Cluster

    code = factory.Sequence(lambda n: f"cum-{n}")
    name = factory.Sequence(lambda n: f"Cụm thi đua số {n}")
    description = "Cụm thi đua các Sở Nội vụ (dữ liệu kiểm thử)."


class DepartmentFactory(DjangoModelFactory):
    """A Sở Nội vụ; pass ``province=``/``kind=`` to name it after a given province."""

    class Meta:
        model = Department

    class Params:
        kind = factory.Sequence(lambda n: _province(n)[2])

    province = factory.Sequence(lambda n: _province(n)[0])
    code = factory.Sequence(lambda n: f"{_province(n)[1]}-{n}")
    full_name = factory.LazyAttribute(lambda o: f"Sở Nội vụ {o.kind} {o.province}")
    short_name = factory.LazyAttribute(lambda o: f"SNV {o.province}")
    parent_body = factory.LazyAttribute(lambda o: f"UBND {o.kind} {o.province}".upper())
    head_name = "Nguyễn Văn Hùng"
    head_title = "Giám đốc Sở Nội vụ"


class ClusterYearFactory(DjangoModelFactory):
    class Meta:
        model = ClusterYear

    cluster = factory.SubFactory(ClusterFactory)
    year = 2024
    theme = "Đổi mới, sáng tạo, nâng cao văn hóa và đạo đức công vụ"
    motto = "Tăng tốc, bứt phá, siết chặt kỷ luật, kỷ cương"


class MembershipFactory(DjangoModelFactory):
    """A membership whose snapshot is copied from its department, unless given."""

    class Meta:
        model = Membership

    cluster_year = factory.SubFactory(ClusterYearFactory)
    department = factory.SubFactory(DepartmentFactory)
    role = Membership.Role.MEMBER

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        for field, value in Membership.snapshot_of(kwargs["department"]).items():
            kwargs.setdefault(field, value)
        return kwargs


class UserFactory(DjangoModelFactory):
    """Department staff by default; traits ``signatory``, ``reviewer`` and ``site_admin``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        signatory = factory.Trait(role=User.Role.SIGNATORY, position="Giám đốc Sở")
        reviewer = factory.Trait(role=User.Role.REVIEWER, department=None)
        site_admin = factory.Trait(is_superuser=True, is_staff=True, department=None)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "An"
    last_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.gov.vn")
    password = factory.LazyFunction(known_password_hash)
    role = User.Role.STAFF
    department = factory.SubFactory(DepartmentFactory)


# Plans and agreements (appended for the covenant tests)

import datetime  # noqa: E402

from plans.models import LegalReference  # noqa: E402


class LegalReferenceFactory(DjangoModelFactory):
    """A legal basis the covenant cites, e.g. "Công văn số 1307/BNV-VP ngày 27/3/2019 …"."""

    class Meta:
        model = LegalReference

    kind = "Công văn"
    number = factory.Sequence(lambda n: f"{1307 + n}/BNV-VP")
    issued_on = factory.Sequence(lambda n: datetime.date(2019, 3, 1) + datetime.timedelta(days=n))
    issuer = "Bộ Nội vụ"
    title = "Hướng dẫn công tác thi đua, khen thưởng"


# Plans (appended for the plans tests)

from plans.models import (  # noqa: E402
    Activity,
    CharterArticle,
    CharterVersion,
    NewsPost,
    WorkPlan,
)


class WorkPlanFactory(DjangoModelFactory):
    """The work plan of a cluster year."""

    class Meta:
        model = WorkPlan

    cluster_year = factory.SubFactory(ClusterYearFactory)
    number = factory.Sequence(lambda n: f"{n + 1:02d}/KH-CTĐ")
    title = factory.LazyAttribute(
        lambda o: f"Kế hoạch công tác thi đua, khen thưởng năm {o.cluster_year.year}"
    )
    objectives = "Hoàn thành xuất sắc các nhiệm vụ công tác năm."


class ActivityFactory(DjangoModelFactory):
    """A one-day activity in March of its plan's year, planned, with no host."""

    class Meta:
        model = Activity

    work_plan = factory.SubFactory(WorkPlanFactory)
    title = factory.Sequence(lambda n: f"Hội thảo chuyên đề số {n}")
    kind = Activity.Kind.SEMINAR
    starts_on = factory.LazyAttribute(lambda o: datetime.date(o.work_plan.cluster_year.year, 3, 10))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on)
    venue = "Hội trường Sở Nội vụ"


class CharterVersionFactory(DjangoModelFactory):
    """A charter version (a draft unless told) of its cluster year's cluster."""

    class Meta:
        model = CharterVersion

    cluster_year = factory.SubFactory(ClusterYearFactory)
    cluster = factory.LazyAttribute(lambda o: o.cluster_year.cluster)
    number = factory.Sequence(lambda n: n + 1)
    title = "Quy chế tổ chức và hoạt động của Cụm"


class CharterArticleFactory(DjangoModelFactory):
    class Meta:
        model = CharterArticle

    version = factory.SubFactory(CharterVersionFactory)
    number = factory.Sequence(lambda n: n + 1)
    heading = factory.Sequence(lambda n: f"Điều khoản số {n}")
    body = "Các thành viên của Cụm thực hiện nghiêm các quy định của Quy chế này."


class NewsPostFactory(DjangoModelFactory):
    """A draft news post; pass ``status=NewsPost.Status.PUBLISHED`` and a date to publish."""

    class Meta:
        model = NewsPost

    cluster_year = factory.SubFactory(ClusterYearFactory)
    title = factory.Sequence(lambda n: f"Tin hoạt động của Cụm số {n}")
    body = "Ngày 24/5/2019, Cụm tổ chức Hội nghị ký kết giao ước thi đua."
    author_department = factory.SubFactory(DepartmentFactory)
    author_name = "Lại Quang Huy"


def minimal_pdf(note: bytes = b"") -> bytes:
    """A small PDF that a PDF reader opens (catalogue, page tree, cross-reference table).

    ``note`` is kept in a comment, so that two files can differ.
    """
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%" + note.replace(b"\n", b" ") + b"\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
