"""Demo covenants: 2019 as the seed article tells it, and an illustrative 2026 one.

2019: the five key directions of the article, signed on paper by all 11 members at the
conference of 24/5/2019 and recorded by the secretariat. The article does not name the
other directors, so their signature records say only that a paper original exists; each
carries an illustrative scan (a one-page PDF saying it stands in for the real one). The
2019 year is closed, so the site admin records them: the demo cluster lists the admin and
Hà Nội's director (the leader's signatory, who records 2026's) as paper recorders.
2026 (illustrative): open for signing, three members signed, the others (among them Ninh
Bình) pending, so a visitor can sign as ``ninhbinh.signer``.

Created through the services, so the audit trail is complete; skipped if already there.
"""

import datetime
import functools
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agreements import services
from agreements.models import Covenant
from cluster_portal.audit import RequestMeta
from cluster_portal.pdf import render_pdf
from members.demo import DEMO_PASSWORD
from members.models import ClusterYear, User
from plans.demo import LEGAL_REFERENCES, signing_day_2026
from plans.models import LegalReference

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# The covenant's legal bases: the numbered documents the article cites (plans' demo data).
LEGAL_BASES_2019 = [row for row in LEGAL_REFERENCES if row[1]]

PREAMBLE_2019 = (
    "Năm 2019 là năm tăng tốc thực hiện, có ý nghĩa quyết định việc hoàn thành toàn diện chỉ "
    "tiêu kinh tế - xã hội nhiệm kỳ 5 năm 2016-2020. Trên cơ sở kết quả đã đạt được, đánh giá "
    'những thuận lợi, hạn chế tồn tại, thực hiện phương châm hành động "Tăng tốc, bứt phá, '
    'siết chặt kỷ luật, kỷ cương, đẩy mạnh truyền thông và ứng dụng công nghệ thông tin" và '
    'chủ đề thi đua "Đổi mới, sáng tạo, nâng cao văn hóa và đạo đức công vụ" do Bộ Nội vụ '
    "phát động năm 2019;\n\n"
    "Với quyết tâm phấn đấu hoàn thành xuất sắc các chỉ tiêu, nhiệm vụ công tác đề ra, Cụm "
    "Thi đua các tỉnh, thành Bắc Bộ ký kết giao ước thi đua năm 2019 với phương hướng, nhiệm "
    "vụ trọng tâm như sau:"
)

# The five key directions, as the article gives them.
COMMITMENTS_2019 = [
    "Bám sát mục tiêu, nhiệm vụ, phương châm hành động và chủ đề thi đua năm 2019 do Bộ Nội "
    "vụ phát động, Sở Nội vụ các tỉnh, thành trong Cụm xác định phương châm hành động, chủ đề "
    "thi đua của đơn vị cho phù hợp với tình hình, điều kiện thực tế và gắn với việc thực hiện "
    "tốt nhiệm vụ chính trị của từng đơn vị, địa phương. Chủ động phát động phong trào thi "
    "đua, đảm bảo thường xuyên, liên tục, thiết thực, hiệu quả, không phô trương, tránh hình "
    "thức, thực hành tiết kiệm, chống lãng phí, tăng cường kỷ cương, kỷ luật hành chính, thực "
    "hiện tốt văn hóa công sở, đạo đức công vụ; thi đua lao động sáng tạo, nâng cao chất "
    "lượng, hiệu quả tổ chức thực hiện công tác quản lý nhà nước về lĩnh vực Nội vụ trên địa "
    "bàn, phấn đấu hoàn thành xuất sắc, vượt chỉ tiêu về tiến độ, đảm bảo chất lượng, hiệu "
    "quả các nhiệm vụ chính trị được giao, góp phần thực hiện thắng lợi các mục tiêu phát "
    "triển kinh tế - xã hội của tỉnh, thành phố và nhiệm vụ trọng tâm của ngành.",
    "Tập trung tuyên truyền, quán triệt sâu sắc, đầy đủ đường lối, chủ trương của Đảng, tư "
    "tưởng của Chủ tịch Hồ Chí Minh về thi đua ái quốc; đẩy mạnh thực hiện Chỉ thị số "
    "34-CT/TW ngày 07 tháng 4 năm 2014 của Bộ Chính trị về tiếp tục đổi mới công tác thi đua "
    "khen thưởng; Chỉ thị số 07/CT-TTg ngày 19 tháng 3 năm 2014 của Thủ tướng Chính phủ về "
    "phòng chống tiêu cực trong quản lý cán bộ, công chức và thi đua, khen thưởng và Chỉ thị "
    "số 26-CT/TTg ngày 05 tháng 9 năm 2016 của Thủ tướng Chính phủ về tăng cường kỷ luật, kỷ "
    "cương trong các cơ quan hành chính nhà nước các cấp.",
    "Triển khai phát động và tổ chức thực hiện có hiệu quả các phong trào thi đua lập thành "
    "tích chào mừng các ngày lễ lớn, ngày kỷ niệm của đất nước, dân tộc trong năm 2019, kỷ "
    "niệm 74 năm ngày truyền thống ngành Tổ chức nhà nước (28/8/1945 - 28/8/2019), 71 năm "
    "ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc - Ngày truyền thống thi đua yêu "
    "nước (11/6/1948 - 11/6/2013), thiết thực kỷ niệm 50 năm thực hiện di chúc của Chủ tịch "
    "Hồ Chí Minh (1969 - 2019).",
    "Thi đua xây dựng tổ chức Đảng, chính quyền, đoàn thể trong sạch, vững mạnh, hoạt động "
    'hiệu quả; tiếp tục thực hiện Nghị quyết Trung ương 4 khóa XII về "Tăng cường xây dựng, '
    "chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy thoái về tư tưởng chính trị, đạo đức, lối "
    'sống, biểu hiện "tự diễn biến", "tự chuyển hóa" trong nội bộ"; đẩy mạnh thực hiện '
    'Chỉ thị 05-CT/TW ngày 15 tháng 5 năm 2016 của Bộ Chính trị về "Đẩy mạnh học tập và làm '
    'theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", tập trung chuyên đề năm 2019 "Xây '
    "dựng ý thức tôn trọng Nhân dân, phát huy dân chủ, chăm lo đời sống Nhân dân theo tư "
    'tưởng, đạo đức, phong cách Hồ Chí Minh" với các nội dung, tiêu chí phù hợp với đặc điểm '
    "cụ thể của từng cơ quan, đơn vị; Nghị quyết Hội nghị Trung ương 7 (khóa XII) về tập "
    "trung xây dựng đội ngũ cán bộ các cấp, Nghị quyết Trung ương 8 (khóa XII) quy định về "
    "trách nhiệm nêu gương của cán bộ, đảng viên.",
    "Tổ chức triển khai, thực hiện có hiệu quả Kế hoạch, Chương trình công tác và các hoạt "
    "động năm 2019 của Cụm. Tăng cường sự lãnh đạo, chỉ đạo đối với phong trào thi đua, khen "
    'thưởng; chú trọng xây dựng, phát triển Điển hình tiên tiến, "Người tốt, việc tốt" để '
    "biểu dương, khen thưởng kịp thời và phổ biến, tuyên truyền, nhân rộng tạo sự lan tỏa "
    "trong toàn ngành Nội vụ; đảm bảo cho hoạt động thi đua, khen thưởng thực sự là động lực "
    "phát triển, biện pháp quan trọng góp phần tích cực vào việc thực hiện thắng lợi nhiệm vụ "
    "công tác năm 2019 và các năm tiếp theo.",
]

COMMITMENTS_2026 = [
    "(Minh họa) Bám sát chủ đề thi đua và phương châm hành động năm 2026 do Bộ Nội vụ phát "
    "động; mỗi Sở Nội vụ trong Cụm xác định chủ đề thi đua của đơn vị phù hợp với tổ chức bộ "
    "máy sau sắp xếp đơn vị hành chính.",
    "(Minh họa) Hoàn thành đúng tiến độ, chất lượng các nhiệm vụ về tổ chức bộ máy, chính "
    "quyền địa phương hai cấp và quản lý cán bộ, công chức, viên chức sau sắp xếp.",
    "(Minh họa) Tổ chức hiệu quả các hoạt động của Cụm theo Kế hoạch năm 2026; phát hiện, "
    "bồi dưỡng và nhân rộng điển hình tiên tiến.",
]

SIGNED_2026 = ["haiphong", "quangninh", "bacninh"]
NUMBER_2019 = "01/GƯ-CTĐ"


def _legal_reference(kind, number, issued_on, issuer, title):
    reference, _ = LegalReference.objects.get_or_create(
        kind=kind, number=number, issuer=issuer, defaults={"issued_on": issued_on, "title": title}
    )
    return reference


@functools.lru_cache(maxsize=16)
def _illustrative_scan_pdf(title: str, signed_on: str, place: str) -> bytes:
    return render_pdf(
        "pdf/illustrative_scan.html", {"title": title, "signed_on": signed_on, "place": place}
    )


def illustrative_scan(covenant, signed_at, department) -> SimpleUploadedFile:
    """A one-page PDF standing in for the scan of a paper original (demo data only)."""
    content = _illustrative_scan_pdf(
        covenant.title, f"{timezone.localtime(signed_at):%d/%m/%Y}", covenant.place
    )
    return SimpleUploadedFile(
        f"ban-quet-minh-hoa-{department.code}.pdf", content, content_type="application/pdf"
    )


def _load_2019(admin):
    cluster_year = ClusterYear.objects.get(cluster__code="bac-bo", year=2019)
    cluster_year.cluster.paper_recorders.add(admin, User.objects.get(username="hanoi.signer"))
    if Covenant.objects.filter(cluster_year=cluster_year).exists():
        return
    bases = [_legal_reference(*row) for row in LEGAL_BASES_2019]
    covenant = services.covenant_create(
        cluster_year=cluster_year,
        title="Giao ước thi đua năm 2019",
        # The article gives no number: an illustrative one in the Decree 30 form, as every
        # issued document has one.
        number=NUMBER_2019,
        preamble=PREAMBLE_2019,
        place="Hà Nội",
        signing_date=datetime.date(2019, 5, 24),
        legal_bases=bases,
        commitments=COMMITMENTS_2019,
        by=admin,
    )
    services.covenant_open_for_signing(covenant=covenant, by=admin)
    signed_at = datetime.datetime(2019, 5, 24, 10, 0, tzinfo=VN)
    # Opened at the conference itself, so the paper originals of that day are within it.
    Covenant.objects.filter(pk=covenant.pk).update(opened_at=signed_at)
    for membership in cluster_year.memberships.select_related("department"):
        services.signature_record_paper(
            covenant=covenant,
            department=membership.department,
            signer_name=membership.head_name or "Lãnh đạo Sở (theo bản giấy)",
            signer_title=membership.head_title or "Giám đốc Sở Nội vụ",
            signed_at=signed_at,
            scan=illustrative_scan(covenant, signed_at, membership.department),
            by=admin,
        )
    covenant.refresh_from_db()
    services.covenant_close(covenant=covenant, by=admin)
    # The paper covenant was opened, completed and closed at the conference itself; the
    # audit trail keeps the true time at which the secretariat recorded it in the portal.
    Covenant.objects.filter(pk=covenant.pk).update(
        opened_at=signed_at, completed_at=signed_at, closed_at=signed_at
    )
    covenant.versions.update(created_at=signed_at)


def _load_2026(admin):
    cluster_year = ClusterYear.objects.get(cluster__code="bac-bo", year=2026)
    if Covenant.objects.filter(cluster_year=cluster_year).exists():
        return
    # The deadline follows the day the demo is loaded, so the demo stays signable: the
    # afternoon of the signing conference (plans' demo), still to come.
    deadline = datetime.datetime.combine(signing_day_2026(), datetime.time(17, 0), tzinfo=VN)
    covenant = services.covenant_create(
        cluster_year=cluster_year,
        title="Giao ước thi đua năm 2026",
        preamble=(
            "(Dữ liệu minh họa) Cụm thi đua các tỉnh, thành Bắc Bộ ký kết giao ước thi đua năm "
            "2026 với phương hướng, nhiệm vụ trọng tâm như sau:"
        ),
        place="Hà Nội",
        deadline=deadline,
        commitments=COMMITMENTS_2026,
        by=admin,
    )
    services.covenant_open_for_signing(covenant=covenant, by=admin)
    meta = RequestMeta(ip_address="127.0.0.1", user_agent="load_demo")
    for code in SIGNED_2026:
        signer = User.objects.get(username=f"{code}.signer")
        covenant.refresh_from_db()
        services.signature_record(
            covenant=covenant, user=signer, password=DEMO_PASSWORD, confirmed=True, meta=meta
        )


def load(stdout=None):
    admin = User.objects.get(username="admin")
    _load_2019(admin)
    _load_2026(admin)
    if stdout:
        stdout.write(f"agreements: {Covenant.objects.count()} covenants")
