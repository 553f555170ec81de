"""Demo data of the members app: the Northern cluster (Cụm thi đua các tỉnh, thành Bắc Bộ).

Facts come from the seed article (29/05/2019) and the 2025 province mergers. Everything not
in those sources is marked illustrative. Loading is idempotent: rows are created when
missing and never overwritten, so a second run changes nothing.
"""

import datetime

from members.models import Cluster, ClusterYear, Department, Membership, User

DEMO_PASSWORD = "cum-thi-dua-2019"  # noqa: S105 (documented demo password)
MERGER_DAY = datetime.date(2025, 7, 1)

# code, full name, province, parent body, successor code (merged on 1 July 2025)
DEPARTMENTS = [
    ("hanoi", "Sở Nội vụ thành phố Hà Nội", "Hà Nội", "UBND THÀNH PHỐ HÀ NỘI", None),
    ("vinhphuc", "Sở Nội vụ tỉnh Vĩnh Phúc", "Vĩnh Phúc", "UBND TỈNH VĨNH PHÚC", "phutho"),
    ("haiphong", "Sở Nội vụ thành phố Hải Phòng", "Hải Phòng", "UBND THÀNH PHỐ HẢI PHÒNG", None),
    ("haiduong", "Sở Nội vụ tỉnh Hải Dương", "Hải Dương", "UBND TỈNH HẢI DƯƠNG", "haiphong"),
    ("bacninh", "Sở Nội vụ tỉnh Bắc Ninh", "Bắc Ninh", "UBND TỈNH BẮC NINH", None),
    ("hungyen", "Sở Nội vụ tỉnh Hưng Yên", "Hưng Yên", "UBND TỈNH HƯNG YÊN", None),
    ("quangninh", "Sở Nội vụ tỉnh Quảng Ninh", "Quảng Ninh", "UBND TỈNH QUẢNG NINH", None),
    ("hanam", "Sở Nội vụ tỉnh Hà Nam", "Hà Nam", "UBND TỈNH HÀ NAM", "ninhbinh"),
    ("namdinh", "Sở Nội vụ tỉnh Nam Định", "Nam Định", "UBND TỈNH NAM ĐỊNH", "ninhbinh"),
    ("thaibinh", "Sở Nội vụ tỉnh Thái Bình", "Thái Bình", "UBND TỈNH THÁI BÌNH", "hungyen"),
    ("ninhbinh", "Sở Nội vụ tỉnh Ninh Bình", "Ninh Bình", "UBND TỈNH NINH BÌNH", None),
    # Not members in 2019; they take part in the 2025 mergers.
    ("phutho", "Sở Nội vụ tỉnh Phú Thọ", "Phú Thọ", "UBND TỈNH PHÚ THỌ", None),
    ("bacgiang", "Sở Nội vụ tỉnh Bắc Giang", "Bắc Giang", "UBND TỈNH BẮC GIANG", "bacninh"),
    ("hoabinh", "Sở Nội vụ tỉnh Hòa Bình", "Hòa Bình", "UBND TỈNH HÒA BÌNH", "phutho"),
]
MEMBERS_2019 = [
    "hanoi", "vinhphuc", "haiphong", "haiduong", "bacninh", "hungyen",
    "quangninh", "hanam", "namdinh", "thaibinh", "ninhbinh",
]  # fmt: skip
MEMBERS_2026 = ["hanoi", "haiphong", "bacninh", "hungyen", "quangninh", "ninhbinh", "phutho"]
ACCOUNT_DEPARTMENTS = [*MEMBERS_2019, "phutho"]

# Named in the seed article: director of Sở Nội vụ Hà Nội and cluster leader in 2019.
# Only the 2019 snapshot carries the name; today's heads are not part of the demo.
HEADS_2019 = {"hanoi": {"head_name": "Nguyễn Tất Sáng", "head_title": "Giám đốc Sở Nội vụ"}}


def _department_defaults(full_name, province, parent_body):
    return {
        "full_name": full_name,
        "short_name": f"SNV {province}",
        "province": province,
        "parent_body": parent_body,
        "head_title": "Giám đốc Sở Nội vụ",
    }


def _year(cluster, year, members, leader, deputy, departments, snapshots=None, **defaults):
    cluster_year, _ = ClusterYear.objects.get_or_create(
        cluster=cluster, year=year, defaults=defaults
    )
    roles = {leader: Membership.Role.LEADER}
    if deputy:
        roles[deputy] = Membership.Role.DEPUTY
    for code in members:
        department = departments[code]
        Membership.objects.get_or_create(
            cluster_year=cluster_year,
            department=department,
            defaults={
                "role": roles.get(code, Membership.Role.MEMBER),
                **Membership.snapshot_of(department),
                **(snapshots or {}).get(code, {}),
            },
        )
    return cluster_year


def _user(username, **defaults):
    # Addresses under the reserved .example domain: mail to them goes nowhere.
    defaults.setdefault("email", f"{username}@thidua.example")
    user, created = User.objects.get_or_create(username=username, defaults=defaults)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def load(stdout=None):
    """Create the demo cluster, departments, 2019 and 2026 years and demo accounts."""
    cluster, _ = Cluster.objects.get_or_create(
        code="bac-bo",
        defaults={
            "name": "Cụm thi đua các tỉnh, thành Bắc Bộ",
            "description": (
                "Cụm thi đua Sở Nội vụ các tỉnh, thành Bắc Bộ do Bộ Nội vụ hướng dẫn; "
                "năm 2019 gồm 11 thành viên."
            ),
        },
    )

    departments = {}
    # Create first, then link successors, so that the order of the list does not matter.
    for code, full_name, province, parent_body, _successor in DEPARTMENTS:
        departments[code], _ = Department.objects.get_or_create(
            code=code, defaults=_department_defaults(full_name, province, parent_body)
        )

    _year(
        cluster,
        2019,
        MEMBERS_2019,
        leader="hanoi",
        deputy=None,  # the article names no deputy
        departments=departments,
        snapshots=HEADS_2019,
        theme="Đổi mới, sáng tạo, nâng cao văn hóa và đạo đức công vụ",
        motto=(
            "Tăng tốc, bứt phá, siết chặt kỷ luật, kỷ cương, đẩy mạnh truyền thông "
            "và ứng dụng công nghệ thông tin"
        ),
        phase=ClusterYear.Phase.CLOSED,
        notes=(
            "Thực hiện Công văn số 1307/BNV-VP ngày 27/3/2019 của Bộ Nội vụ. Hội nghị ký kết "
            "giao ước thi đua ngày 24/5/2019 tại Sở Nội vụ Hà Nội (Cụm trưởng)."
        ),
    )

    # The 2025 mergers: the merged-away departments stay, valid until 30 June 2025.
    for code, *_rest, successor in DEPARTMENTS:
        department = departments[code]
        if successor and department.successor_id is None:
            department.valid_to = MERGER_DAY - datetime.timedelta(days=1)
            department.successor = departments[successor]
            department.save(update_fields=["valid_to", "successor", "updated_at"])

    _year(
        cluster,
        2026,
        MEMBERS_2026,
        leader="hanoi",
        deputy="haiphong",  # illustrative: the deputy of 2026 is a demo choice
        departments=departments,
        phase=ClusterYear.Phase.EVALUATION,
        is_illustrative=True,
        notes=(
            "Dữ liệu minh họa: thành viên sau sắp xếp tỉnh, thành từ ngày 01/7/2025; "
            "Cụm phó là lựa chọn minh họa."
        ),
    )

    _user("admin", is_superuser=True, is_staff=True, first_name="Quản trị", last_name="")
    _user(
        "secretariat",
        department=departments["hanoi"],
        role=User.Role.STAFF,
        first_name="Thư ký Cụm",
        last_name="(Sở Nội vụ Hà Nội)",
        position="Chuyên viên Văn phòng Sở",
    )
    _user(
        "reviewer",
        role=User.Role.REVIEWER,
        first_name="Chuyên viên",
        last_name="Vụ Thi đua – Khen thưởng, Bộ Nội vụ",
        position="Chuyên viên Bộ Nội vụ",
    )
    for code in ACCOUNT_DEPARTMENTS:
        department = departments[code]
        _user(
            f"{code}.signer",
            department=department,
            role=User.Role.SIGNATORY,
            first_name=f"Giám đốc {department.short_name}",
            position="Giám đốc Sở Nội vụ",
        )
        _user(
            f"{code}.staff",
            department=department,
            role=User.Role.STAFF,
            first_name=f"Chuyên viên {department.short_name}",
            position="Chuyên viên",
        )
    if stdout:
        stdout.write(
            f"members: {Department.objects.count()} departments, "
            f"{ClusterYear.objects.count()} cluster years, {User.objects.count()} users"
        )
