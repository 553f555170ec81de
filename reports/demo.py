"""Demo data for the reports: two more clusters, entirely illustrative, so the overview
compares clusters in a mix of states.

* Miền Trung (illustrative): 2019 covenant fully signed on paper and closed, plan done;
  2026 covenant open with its deadline passed and signatures missing, one activity overdue,
  and Quảng Nam merged into Đà Nẵng on 1 July 2025; Thừa Thiên Huế became thành phố Huế
  on 1 January 2025, so its department is Sở Nội vụ thành phố Huế from then on.
* Tây Bắc (illustrative): 2019 covenant left open past its deadline with two signatures
  missing and activities never reported; 2026 just started: no covenant yet.

Every cluster and year is ``is_illustrative``; names of people are invented. Covenants are
created through the agreements services (audit trail complete); idempotent.
"""

import datetime
from zoneinfo import ZoneInfo

from agreements import services
from agreements.demo import illustrative_scan
from agreements.models import Covenant
from members.demo import MERGER_DAY
from members.models import Cluster, ClusterYear, Department, Membership, User
from plans.models import Activity, WorkPlan

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOTE = "Dữ liệu minh họa cho trang báo cáo: không phải hồ sơ chính thức."

# code, province, kind, successor code (merged on 1 July 2025)
DEPARTMENTS = [
    ("danang", "Đà Nẵng", "thành phố", None),
    ("thuathienhue", "Thừa Thiên Huế", "tỉnh", None),
    ("hue", "Huế", "thành phố", None),
    ("quangnam", "Quảng Nam", "tỉnh", "danang"),
    ("quangngai", "Quảng Ngãi", "tỉnh", None),
    ("quangtri", "Quảng Trị", "tỉnh", None),
    ("dienbien", "Điện Biên", "tỉnh", None),
    ("laichau", "Lai Châu", "tỉnh", None),
    ("sonla", "Sơn La", "tỉnh", None),
    ("laocai", "Lào Cai", "tỉnh", None),
    ("yenbai", "Yên Bái", "tỉnh", "laocai"),
]

# Thừa Thiên Huế became the centrally governed city of Huế on 1 January 2025 (Resolution
# 1314/NQ-UBTVQH15): its department's last day as the province's, and its successor.
HUE_CITY_DAY = datetime.date(2025, 1, 1)
RENAMED = [("thuathienhue", "hue", HUE_CITY_DAY)]

CLUSTERS = {
    "mien-trung": {
        "name": "Cụm thi đua các tỉnh, thành miền Trung (minh họa)",
        "years": {
            2019: {
                "members": ["danang", "thuathienhue", "quangnam", "quangngai", "quangtri"],
                "leader": "danang",
                "deputy": "thuathienhue",
                "phase": ClusterYear.Phase.CLOSED,
            },
            2026: {
                "members": ["danang", "hue", "quangngai", "quangtri"],
                "leader": "hue",
                "deputy": "quangngai",
                "phase": ClusterYear.Phase.IN_PROGRESS,
            },
        },
    },
    "tay-bac": {
        "name": "Cụm thi đua các tỉnh Tây Bắc (minh họa)",
        "years": {
            2019: {
                "members": ["sonla", "dienbien", "laichau", "laocai", "yenbai"],
                "leader": "sonla",
                "deputy": "dienbien",
                "phase": ClusterYear.Phase.CLOSED,
            },
            2026: {
                "members": ["sonla", "dienbien", "laichau", "laocai"],
                "leader": "laocai",
                "deputy": None,
                "phase": ClusterYear.Phase.PLANNING,
            },
        },
    },
}

COMMITMENTS = [
    "(Minh họa) Thực hiện tốt nhiệm vụ chính trị được giao, hoàn thành các chỉ tiêu công tác "
    "năm của ngành Nội vụ.",
    "(Minh họa) Tổ chức các hoạt động trao đổi kinh nghiệm giữa các thành viên Cụm.",
]

# cluster, year, title, kind, host, start, end, status, progress
ACTIVITIES = [
    ("mien-trung", 2019, "Hội nghị ký kết giao ước thi đua năm 2019 (minh họa)",
     Activity.Kind.CONFERENCE, "danang", (2019, 4, 12), (2019, 4, 12), "done", 100),
    ("mien-trung", 2019, "Hội thảo chuyên đề cải cách hành chính (minh họa)",
     Activity.Kind.SEMINAR, "quangnam", (2019, 8, 22), (2019, 8, 23), "done", 100),
    ("mien-trung", 2019, "Hội nghị tổng kết năm 2019 (minh họa)",
     Activity.Kind.CLOSING_CONFERENCE, "danang", (2019, 12, 10), (2019, 12, 10), "done", 100),
    # Held on the day the covenant was opened and the first original signed (``_covenant``).
    ("mien-trung", 2026, "Hội nghị ký kết giao ước thi đua năm 2026 (minh họa)",
     Activity.Kind.CONFERENCE, "hue", (2026, 4, 12), (2026, 4, 12), "done", 100),
    ("mien-trung", 2026, "Trao đổi kinh nghiệm chuyển đổi số (minh họa)",
     Activity.Kind.EXCHANGE_VISIT, "quangngai", (2026, 6, 15), (2026, 6, 17), "in_progress", 60),
    ("mien-trung", 2026, "Hội nghị tổng kết năm 2026 (minh họa)",
     Activity.Kind.CLOSING_CONFERENCE, "hue", (2026, 12, 15), (2026, 12, 15),
     "planned", 0),
    ("tay-bac", 2019, "Hội nghị ký kết giao ước thi đua năm 2019 (minh họa)",
     Activity.Kind.CONFERENCE, "sonla", (2019, 4, 12), (2019, 4, 12), "done", 100),
    ("tay-bac", 2019, "Hội thảo công tác thi đua vùng cao (minh họa)",
     Activity.Kind.SEMINAR, "laichau", (2019, 9, 5), (2019, 9, 5), "planned", 0),
    ("tay-bac", 2019, "Sơ kết 6 tháng (minh họa)",
     Activity.Kind.MID_YEAR_REVIEW, "dienbien", (2019, 7, 2), (2019, 7, 2), "in_progress", 40),
    ("tay-bac", 2026, "Hội nghị triển khai nhiệm vụ năm 2026 (minh họa)",
     Activity.Kind.CONFERENCE, "laocai", (2026, 12, 18), (2026, 12, 18), "planned", 0),
]  # fmt: skip


def _departments() -> dict[str, Department]:
    departments = {}
    for code, province, kind, _successor in DEPARTMENTS:
        departments[code], _ = Department.objects.get_or_create(
            code=code,
            defaults={
                "full_name": f"Sở Nội vụ {kind} {province}",
                "short_name": f"SNV {province}",
                "province": province,
                "parent_body": f"UBND {kind} {province}".upper(),
                "head_title": "Giám đốc Sở Nội vụ",
            },
        )
    for code, *_rest, successor in DEPARTMENTS:
        department = departments[code]
        if successor and department.successor_id is None:
            department.valid_to = MERGER_DAY - datetime.timedelta(days=1)
            department.successor = departments[successor]
            department.save(update_fields=["valid_to", "successor", "updated_at"])
    for code, successor, first_day in RENAMED:
        department, renamed = departments[code], departments[successor]
        if renamed.valid_from != first_day:
            renamed.valid_from = first_day
            renamed.save(update_fields=["valid_from", "updated_at"])
        if department.successor_id is None:
            department.valid_to = first_day - datetime.timedelta(days=1)
            department.successor = renamed
            department.save(update_fields=["valid_to", "successor", "updated_at"])
    return departments


def _year(cluster, year, spec, departments) -> ClusterYear:
    cluster_year, _ = ClusterYear.objects.get_or_create(
        cluster=cluster,
        year=year,
        defaults={"phase": spec["phase"], "is_illustrative": True, "notes": NOTE},
    )
    roles = {spec["leader"]: Membership.Role.LEADER}
    if spec["deputy"]:
        roles[spec["deputy"]] = Membership.Role.DEPUTY
    for code in spec["members"]:
        Membership.objects.get_or_create(
            cluster_year=cluster_year,
            department=departments[code],
            defaults={
                "role": roles.get(code, Membership.Role.MEMBER),
                **Membership.snapshot_of(departments[code]),
            },
        )
    return cluster_year


def _covenant(cluster_year, admin, *, signed: int, deadline, close: bool) -> None:
    """Open a covenant, record ``signed`` paper signatures, then set its (past) deadline."""
    if Covenant.objects.filter(cluster_year=cluster_year).exists():
        return
    covenant = services.covenant_create(
        cluster_year=cluster_year,
        title=f"Giao ước thi đua năm {cluster_year.year} (minh họa)",
        preamble="(Dữ liệu minh họa) Các thành viên Cụm ký kết giao ước thi đua.",
        place=cluster_year.leader.department.province if cluster_year.leader else "",
        commitments=COMMITMENTS,
        by=admin,
    )
    services.covenant_open_for_signing(covenant=covenant, by=admin)
    signed_at = datetime.datetime(cluster_year.year, 4, 12, 9, 0, tzinfo=VN)
    # Illustrative history: opened on the day of signing (the service opens it today), and
    # recorded by the admin, whom the illustrative cluster allows to record paper originals.
    Covenant.objects.filter(pk=covenant.pk).update(opened_at=signed_at)
    cluster_year.cluster.paper_recorders.add(admin)
    memberships = list(cluster_year.memberships.select_related("department").order_by("pk"))
    for membership in memberships[:signed]:
        covenant.refresh_from_db()
        services.signature_record_paper(
            covenant=covenant,
            department=membership.department,
            signer_name="Lãnh đạo Sở (minh họa)",
            signer_title="Giám đốc Sở Nội vụ",
            signed_at=signed_at,
            scan=illustrative_scan(covenant, signed_at, membership.department),
            by=admin,
        )
    covenant.refresh_from_db()
    if close:
        services.covenant_close(covenant=covenant, by=admin)
    # Illustrative history: the deadline lies in the past, which the service never accepts
    # when opening, so it is set afterwards.
    Covenant.objects.filter(pk=covenant.pk).update(deadline=deadline)


def _activities(years, departments) -> None:
    for code, year, title, kind, host, start, end, status, progress in ACTIVITIES:
        cluster_year = years[(code, year)]
        plan, _ = WorkPlan.objects.get_or_create(
            cluster_year=cluster_year,
            defaults={
                "title": f"Kế hoạch công tác thi đua, khen thưởng năm {year} (minh họa)",
                "is_illustrative": True,
            },
        )
        Activity.objects.get_or_create(
            work_plan=plan,
            title=title,
            defaults={
                "kind": kind,
                "host": departments[host],
                "starts_on": datetime.date(*start),
                "ends_on": datetime.date(*end),
                "status": status,
                "progress": progress,
                "is_illustrative": True,
                "outcome_notes": "Dữ liệu minh họa." if status == "done" else "",
            },
        )


def load(stdout=None):
    """Create the two illustrative clusters, their years, covenants and plans."""
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return
    departments = _departments()
    years = {}
    for code, spec in CLUSTERS.items():
        cluster, _ = Cluster.objects.get_or_create(
            code=code,
            defaults={"name": spec["name"], "description": NOTE, "is_illustrative": True},
        )
        for year, year_spec in spec["years"].items():
            years[(code, year)] = _year(cluster, year, year_spec, departments)
    _activities(years, departments)
    _covenant(
        years[("mien-trung", 2019)],
        admin,
        signed=5,
        deadline=datetime.datetime(2019, 4, 30, 17, 0, tzinfo=VN),
        close=True,
    )
    _covenant(
        years[("mien-trung", 2026)],
        admin,
        signed=1,
        deadline=datetime.datetime(2026, 4, 30, 17, 0, tzinfo=VN),
        close=False,
    )
    _covenant(
        years[("tay-bac", 2019)],
        admin,
        signed=3,
        deadline=datetime.datetime(2019, 5, 31, 17, 0, tzinfo=VN),
        close=False,
    )
    if stdout:
        stdout.write(
            f"reports: {Cluster.objects.filter(is_illustrative=True).count()} illustrative clusters"
        )
