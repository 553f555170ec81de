"""Demo data of the plans app, from the seed article (Sở Nội vụ tỉnh Vĩnh Phúc, 29/05/2019).

Real, as the article tells it:
- the legal references it cites;
- the 2019 charter, adopted at the conference of 24/5/2019 (the fact of adoption is real;
  the article does not give the charter's wording, so every article text is illustrative
  and flagged as such);
- the 2019 work plan, adopted at the same conference, and the conference itself: venue Sở
  Nội vụ Hà Nội, chaired by ông Nguyễn Tất Sáng, the two Ministry guests, all 11 members;
- the article as a published news post by Sở Nội vụ tỉnh Vĩnh Phúc (Lại Quang Huy).

Illustrative (``is_illustrative``, shown with a notice): the further 2019 activities, the
2026 work plan and its activities, and a 2026 charter draft open for comments. The 2026
covenant is open for signing from the day the demo is loaded (agreements' demo), so the 2026
signing conference is still to come: planned on the covenant's signing deadline
(``signing_day_2026``), never "done" before the covenant opened.

Idempotent: rows are created when missing (get_or_create on natural keys) and never
overwritten, so a second run changes nothing.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from members.models import Cluster, ClusterYear, Department, User
from plans.models import (
    Activity,
    Attendee,
    CharterArticle,
    CharterComment,
    CharterVersion,
    LegalReference,
    NewsPost,
    WorkPlan,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CONFERENCE_DAY = datetime.date(2019, 5, 24)

# kind, number, issued on, issuer, title: the documents the article cites. The resolutions
# of the Central Committee are cited without number or date, and are kept that way.
LEGAL_REFERENCES = [
    (
        "Công văn",
        "1307/BNV-VP",
        datetime.date(2019, 3, 27),
        "Bộ Nội vụ",
        "Hướng dẫn và phát động phong trào thi đua năm 2019",
    ),
    (
        "Chỉ thị",
        "34-CT/TW",
        datetime.date(2014, 4, 7),
        "Bộ Chính trị",
        "Về tiếp tục đổi mới công tác thi đua, khen thưởng",
    ),
    (
        "Chỉ thị",
        "07/CT-TTg",
        datetime.date(2014, 3, 19),
        "Thủ tướng Chính phủ",
        "Về phòng chống tiêu cực trong quản lý cán bộ, công chức và thi đua, khen thưởng",
    ),
    (
        "Chỉ thị",
        "26/CT-TTg",
        datetime.date(2016, 9, 5),
        "Thủ tướng Chính phủ",
        "Về tăng cường kỷ luật, kỷ cương trong các cơ quan hành chính nhà nước các cấp",
    ),
    (
        "Chỉ thị",
        "05-CT/TW",
        datetime.date(2016, 5, 15),
        "Bộ Chính trị",
        "Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    ),
    (
        "Nghị quyết Trung ương 4 khóa XII",
        "",
        None,
        "",
        "Về tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy thoái về tư tưởng "
        'chính trị, đạo đức, lối sống, biểu hiện "tự diễn biến", "tự chuyển hóa" trong nội bộ',
    ),
    (
        "Nghị quyết Trung ương 7 khóa XII",
        "",
        None,
        "",
        "Về tập trung xây dựng đội ngũ cán bộ các cấp",
    ),
    (
        "Nghị quyết Trung ương 8 khóa XII",
        "",
        None,
        "",
        "Quy định về trách nhiệm nêu gương của cán bộ, đảng viên",
    ),
]

CHARTER_TITLE = "Quy chế tổ chức và hoạt động của Cụm thi đua các tỉnh, thành Bắc Bộ"

# The 2019 charter's articles: the article says the charter was adopted, not what it says;
# these short texts are illustrative (flagged on each article).
CHARTER_2019 = [
    (
        "Phạm vi điều chỉnh và đối tượng áp dụng",
        "Quy chế này quy định về tổ chức, nguyên tắc và nội dung hoạt động của Cụm thi đua "
        "các tỉnh, thành Bắc Bộ; áp dụng đối với Sở Nội vụ các tỉnh, thành phố là thành viên "
        "của Cụm.",
    ),
    (
        "Thành viên của Cụm",
        "Cụm gồm 11 thành viên: Sở Nội vụ Hà Nội, Vĩnh Phúc, Hải Phòng, Hải Dương, Bắc Ninh, "
        "Hưng Yên, Quảng Ninh, Hà Nam, Nam Định, Thái Bình, Ninh Bình.",
    ),
    (
        "Cụm trưởng, Cụm phó",
        "Cụm trưởng, Cụm phó do các thành viên bầu luân phiên hằng năm tại hội nghị tổng kết "
        "công tác thi đua, khen thưởng của Cụm.",
    ),
    (
        "Nhiệm vụ của đơn vị Cụm trưởng",
        "Đơn vị Cụm trưởng xây dựng Quy chế, Kế hoạch công tác năm và nội dung ký giao ước "
        "thi đua; chủ trì các hội nghị của Cụm; tổng hợp kết quả và báo cáo Bộ Nội vụ.",
    ),
    (
        "Chế độ hội nghị",
        "Cụm tổ chức hội nghị ký kết giao ước thi đua đầu năm, hội nghị sơ kết 6 tháng và "
        "hội nghị tổng kết cuối năm; các hoạt động khác theo Kế hoạch năm của Cụm.",
    ),
    (
        "Bình xét thi đua",
        "Việc bình xét, suy tôn đơn vị dẫn đầu được thực hiện bằng bỏ phiếu kín tại hội nghị "
        "tổng kết; đơn vị được đề nghị phải đạt trên 50% số phiếu của thành viên có mặt.",
    ),
    (
        "Hiệu lực thi hành",
        "Quy chế có hiệu lực kể từ ngày được Hội nghị của Cụm thông qua; việc sửa đổi, bổ "
        "sung do Hội nghị của Cụm quyết định.",
    ),
]

# The 2026 draft (illustrative): the members after the 2025 mergers, cross-checking of
# scores, and the portal.
CHARTER_2026_CHANGES = {
    2: (
        "Thành viên của Cụm",
        "Từ ngày 01/7/2025, sau sắp xếp đơn vị hành chính cấp tỉnh, Cụm gồm 7 thành viên: Sở "
        "Nội vụ Hà Nội, Hải Phòng, Bắc Ninh, Hưng Yên, Quảng Ninh, Ninh Bình, Phú Thọ.",
    ),
    6: (
        "Bình xét thi đua",
        "Các thành viên tự chấm điểm theo bảng tiêu chí của Cụm, sau đó chấm chéo; việc bình "
        "xét, suy tôn đơn vị dẫn đầu được thực hiện bằng bỏ phiếu kín tại hội nghị tổng kết; "
        "đơn vị được đề nghị phải đạt trên 50% số phiếu của thành viên có mặt.",
    ),
}
CHARTER_2026_NEW = (
    "Ứng dụng công nghệ thông tin",
    "Quy chế, Kế hoạch, giao ước thi đua, biên bản và tin bài của Cụm được đăng tải, góp ý và "
    "lưu trữ trên Cổng thông tin của Cụm; xác nhận trên hệ thống không thay thế chữ ký số.",
)

PLAN_2019_OBJECTIVES = (
    "Thực hiện Công văn số 1307/BNV-VP ngày 27/3/2019 của Bộ Nội vụ về việc hướng dẫn và "
    'phát động phong trào thi đua năm 2019; thực hiện phương châm hành động "Tăng tốc, bứt '
    'phá, siết chặt kỷ luật, kỷ cương, đẩy mạnh truyền thông và ứng dụng công nghệ thông tin" '
    'và chủ đề thi đua "Đổi mới, sáng tạo, nâng cao văn hóa và đạo đức công vụ" do Bộ Nội vụ '
    "phát động năm 2019.\n\n"
    "Tổ chức triển khai, thực hiện có hiệu quả Kế hoạch, Chương trình công tác và các hoạt "
    "động năm 2019 của Cụm; để các tỉnh, thành trong Cụm có điều kiện giao lưu, học hỏi kinh "
    "nghiệm lẫn nhau nhằm hoàn thành tốt nhiệm vụ chính trị của ngành Nội vụ và của địa "
    "phương."
)

CONFERENCE_TITLE = (
    "Hội nghị ký kết giao ước thi đua và triển khai Chương trình, Kế hoạch hoạt động của Cụm "
    "năm 2019"
)
CONFERENCE_AGENDA = (
    "1. Thông qua Quy chế tổ chức và hoạt động của Cụm.\n"
    "2. Thông qua Kế hoạch công tác thi đua, khen thưởng năm 2019 của Cụm.\n"
    "3. Thông qua Nội dung ký giao ước thi đua năm 2019 của Cụm.\n"
    "4. Các đơn vị thành viên đóng góp ý kiến.\n"
    "5. Ký kết giao ước thi đua năm 2019."
)
CONFERENCE_OUTCOME = (
    "Đơn vị Cụm trưởng – Sở Nội vụ Hà Nội đại diện thông qua Quy chế tổ chức và hoạt động "
    "của Cụm; Kế hoạch công tác thi đua, khen thưởng năm 2019 của Cụm; Nội dung ký giao ước "
    "thi đua năm 2019 của Cụm. Các đơn vị thành viên trong cụm đã nhiệt tình tham gia đóng "
    "góp ý kiến; các đơn vị thành viên trong Cụm đã thống nhất các nội dung ký giao ước thi "
    "đua và cùng nhau tiến hành thực hiện ký kết giao ước thi đua năm 2019."
)
# (name, title, organisation): the Ministry's guests, as the article names them.
GUESTS_2019 = [
    (
        "Ông Vũ Đăng Minh",
        "Chánh Văn phòng, Phó Chủ tịch Hội đồng Thi đua – Khen thưởng Bộ Nội vụ",
        "Bộ Nội vụ",
    ),
    ("Ông Lại Đức Vượng", "Phó Chánh Văn phòng Bộ Nội vụ", "Bộ Nội vụ"),
]
CHAIR_2019 = (
    "Ông Nguyễn Tất Sáng",
    "Giám đốc Sở Nội vụ Hà Nội, Cụm trưởng Cụm thi đua các tỉnh, thành Bắc Bộ",
)

# title, kind, host, start, end, venue: further 2019 activities, illustrative.
ACTIVITIES_2019 = [
    (
        "Hội nghị sơ kết công tác thi đua, khen thưởng 6 tháng đầu năm 2019 của Cụm",
        Activity.Kind.MID_YEAR_REVIEW,
        "haiphong",
        datetime.date(2019, 7, 12),
        datetime.date(2019, 7, 12),
        "Sở Nội vụ thành phố Hải Phòng",
    ),
    (
        "Hội thảo chuyên đề: Đổi mới công tác thi đua, khen thưởng theo Chỉ thị 34-CT/TW",
        Activity.Kind.SEMINAR,
        "vinhphuc",
        datetime.date(2019, 8, 15),
        datetime.date(2019, 8, 16),
        "Sở Nội vụ tỉnh Vĩnh Phúc",
    ),
    (
        "Giao lưu, học tập kinh nghiệm xây dựng văn hóa công sở",
        Activity.Kind.EXCHANGE_VISIT,
        "quangninh",
        datetime.date(2019, 10, 10),
        datetime.date(2019, 10, 11),
        "Sở Nội vụ tỉnh Quảng Ninh",
    ),
    (
        "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2019 của Cụm",
        Activity.Kind.CLOSING_CONFERENCE,
        "hanoi",
        datetime.date(2019, 12, 13),
        datetime.date(2019, 12, 13),
        "Sở Nội vụ thành phố Hà Nội",
    ),
]

# The 2026 covenant's signing deadline is this many days after the demo is loaded; the
# signing conference is held that day (agreements' demo reads both from here).
SIGNING_DAYS_2026 = 30
SIGNING_CONFERENCE_2026 = "Hội nghị ký kết giao ước thi đua năm 2026 của Cụm"


def signing_day_2026() -> datetime.date:
    """The day of the 2026 signing conference and of the covenant's deadline."""
    return timezone.localdate() + datetime.timedelta(days=SIGNING_DAYS_2026)


# title, kind, host, start, end, start time, end time, venue, status, progress: 2026,
# illustrative (the signing conference is added by ``load``: its day follows the load day).
ACTIVITIES_2026 = [
    (
        "Hội thảo chuyên đề: Ứng dụng công nghệ thông tin trong công tác thi đua, khen thưởng",
        Activity.Kind.SEMINAR,
        "phutho",
        datetime.date(2026, 6, 18),
        datetime.date(2026, 6, 19),
        None,
        None,
        "Sở Nội vụ tỉnh Phú Thọ",
        Activity.Status.DONE,
        100,
    ),
    (
        "Hội nghị sơ kết công tác thi đua, khen thưởng 6 tháng đầu năm 2026 của Cụm",
        Activity.Kind.MID_YEAR_REVIEW,
        "quangninh",
        datetime.date(2026, 7, 10),
        datetime.date(2026, 7, 10),
        datetime.time(8, 30),
        datetime.time(11, 30),
        "Sở Nội vụ tỉnh Quảng Ninh",
        Activity.Status.DONE,
        100,
    ),
    (
        "Giao lưu, học tập kinh nghiệm tổ chức chính quyền địa phương hai cấp",
        Activity.Kind.EXCHANGE_VISIT,
        "ninhbinh",
        datetime.date(2026, 10, 15),
        datetime.date(2026, 10, 16),
        None,
        None,
        "Sở Nội vụ tỉnh Ninh Bình",
        Activity.Status.IN_PROGRESS,
        60,
    ),
    (
        "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2026 của Cụm",
        Activity.Kind.CLOSING_CONFERENCE,
        "haiphong",
        datetime.date(2026, 12, 11),
        datetime.date(2026, 12, 11),
        datetime.time(8, 0),
        datetime.time(11, 30),
        "Sở Nội vụ thành phố Hải Phòng",
        Activity.Status.PLANNED,
        0,
    ),
]

NEWS_TITLE = (
    "Cụm thi đua các tỉnh, thành Bắc Bộ ký kết giao ước thi đua và triển khai Chương trình, "
    "Kế hoạch hoạt động của cụm năm 2019"
)
# The article's text as published on 29/05/2019 (its photo captions, whose photos the
# portal does not have, are left out).
NEWS_BODY = """Thực hiện Công văn số 1307/BNV-VP ngày 27/3/2019 của Bộ Nội vụ về việc hướng dẫn và phát động phong trào thi đua năm 2019. Ngày 24/5/2019, tại đơn vị Cụm trưởng Cụm thi đua các tỉnh, thành Bắc Bộ - Sở Nội vụ Hà Nội, tổ chức Hội nghị ký kết giao ước thi đua và triển khai Chương trình, Kế hoạch hoạt động của cụm năm 2019.

Đến dự và chỉ đạo Hội nghị, về phía Bộ Nội vụ có ông Vũ Đăng Minh – Chánh Văn phòng, Phó Chủ tịch Hội đồng TĐKT Bộ Nội vụ; Ông Lại Đức Vượng – Phó Chánh Văn phòng Bộ Nội vụ. Đến dự Hội nghị còn có đông đủ Lãnh đạo đại diện cho 11 thành viên Cụm thi đua Sở Nội vụ các tỉnh, thành Bắc Bộ: Hà Nội, Vĩnh Phúc, Hải Phòng, Hải Dương, Bắc Ninh, Hưng Yên, Quảng Ninh, Hà Nam, Nam Định, Thái Bình, Ninh Bình.

Tại Hội nghị, đơn vị Cụm trưởng – Sở Nội vụ Hà Nội đại diện thông qua Quy chế tổ chức và hoạt động của Cụm; Kế hoạch công tác thi đua, khen thưởng năm 2019 của Cụm; Nội dung ký giao ước thi đua năm 2019 của Cụm. Các đơn vị thành viên trong cụm đã nhiệt tình tham gia đóng góp ý kiến để làm sao cho hoạt động của Cụm có hiệu quả, các tỉnh, thành trong Cụm có điều kiện để giao lưu, học hỏi kinh nghiệm lẫn nhau nhằm hoàn thành tốt nhiệm vụ chính trị của ngành Nội vụ và của địa phương. Các đơn vị thành viên trong Cụm đã thống nhất các nội dung ký giao ước thi đua và cùng nhau tiến hành thực hiện ký kết giao ước thi đua năm 2019.

Năm 2019 là năm tăng tốc thực hiện, có ý nghĩa quyết định việc hoàn thành toàn diện chỉ tiêu kinh tế - xã hội nhiệm kỳ 5 năm 2016-2020. Trên cơ sở kết quả đã đạt được, đánh giá những thuận lợi, hạn chế tồn tại, thực hiện phương châm hành động "Tăng tốc, bứt phá, siết chặt kỷ luật, kỷ cương, đẩy mạnh truyền thông và ứng dụng công nghệ thông tin" và chủ đề thi đua "Đổi mới, sáng tạo, nâng cao văn hóa và đạo đức công vụ" do Bộ Nội vụ phát động năm 2019;

Với quyết tâm phấn đấu hoàn thành xuất sắc các chỉ tiêu, nhiệm vụ công tác đề ra, Cụm Thi đua các tỉnh, thành Bắc Bộ ký kết giao ước thi đua năm 2019 với phương hướng, nhiệm vụ trọng tâm như sau:

1. Bám sát mục tiêu, nhiệm vụ, phương châm hành động và chủ đề thi đua năm 2019 do Bộ Nội vụ phát động, Sở Nội vụ các tỉnh, thành trong Cụm xác định phương châm hành động, chủ đề thi đua của đơn vị cho phù hợp với tình hình, điều kiện thực tế và gắn với việc thực hiện tốt nhiệm vụ chính trị của từng đơn vị, địa phương. Chủ động phát động phong trào thi đua, đảm bảo thường xuyên, liên tục, thiết thực, hiệu quả, không phô trương, tránh hình thức, thực hành tiết kiệm, chống lãng phí, tăng cường kỷ cương, kỷ luật hành chính, thực hiện tốt văn hóa công sở, đạo đức công vụ; thi đua lao động sáng tạo, nâng cao chất lượng, hiệu quả tổ chức thực hiện công tác quản lý nhà nước về lĩnh vực Nội vụ trên địa bàn, phấn đấu hoàn thành xuất sắc, vượt chỉ tiêu về tiến độ, đảm bảo chất lượng, hiệu quả các nhiệm vụ chính trị được giao, góp phần thực hiện thắng lợi các mục tiêu phát triển kinh tế - xã hội của tỉnh, thành phố và nhiệm vụ trọng tâm của ngành

2. Tập trung tuyên truyền, quán triệt sâu sắc, đầy đủ đường lối, chủ trương của Đảng, tư tưởng của Chủ tịch Hồ Chí Minh về thi đua ái quốc; đẩy mạnh thực hiện Chỉ thị số 34-CT/TW ngày 07 tháng 4 năm 2014 của Bộ Chính trị về tiếp tục đổi mới công tác thi đua khen thưởng; Chỉ thị số 07/CT-TTg ngày 19 tháng 3 năm 2014 của Thủ tướng Chính phủ về phòng chống tiêu cực trong quản lý cán bộ, công chức và thi đua, khen thưởng và Chỉ thị số 26-CT/TTg ngày 05 tháng 9 năm 2016 của Thủ tướng Chính phủ về tăng cường kỷ luật, kỷ cương trong các cơ quan hành chính nhà nước các cấp.

3. Triển khai phát động và tổ chức thực hiện có hiệu quả các phong trào thi đua lập thành tích chào mừng các ngày lễ lớn, ngày kỷ niệm của đất nước, dân tộc trong năm 2019, kỷ niệm 74 năm ngày truyền thống ngành Tổ chức nhà nước (28/8/1945 - 28/8/2019), 71 năm ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc - Ngày truyền thống thi đua yêu nước (11/6/1948 - 11/6/2013), thiết thực kỷ niệm 50 năm thực hiện di chúc của Chủ tịch Hồ Chí Minh (1969 - 2019).

4. Thi đua xây dựng tổ chức Đảng, chính quyền, đoàn thể trong sạch, vững mạnh, hoạt động hiệu quả; tiếp tục thực hiện Nghị quyết Trung ương 4 khóa XII về "Tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy thoái về tư tưởng chính trị, đạo đức, lối sống, biểu hiện "tự diễn biến", "tự chuyển hóa" trong nội bộ"; đẩy mạnh thực hiện Chỉ thị 05-CT/TW ngày 15 tháng 5 năm 2016 của Bộ Chính trị về "Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", tập trung chuyên đề năm 2019 "Xây dựng ý thức tôn trọng Nhân dân, phát huy dân chủ, chăm lo đời sống Nhân dân theo tư tưởng, đạo đức, phong cách Hồ Chí Minh" với các nội dung, tiêu chí phù hợp với đặc điểm cụ thể của từng cơ quan, đơn vị; Nghị quyết Hội nghị Trung ương 7 (khóa XII) về tập trung xây dựng đội ngũ cán bộ các cấp, Nghị quyết Trung ương 8 (khóa XII) quy định về trách nhiệm nêu gương của cán bộ, đảng viên.

5. Tổ chức triển khai, thực hiện có hiệu quả Kế hoạch, Chương trình công tác và các hoạt động năm 2019 của Cụm. Tăng cường sự lãnh đạo, chỉ đạo đối với phong trào thi đua, khen thưởng; chú trọng xây dựng, phát triển Điển hình tiên tiến, "Người tốt, việc tốt" để biểu dương, khen thưởng kịp thời và phổ biến, tuyên truyền, nhân rộng tạo sự lan tỏa trong toàn ngành Nội vụ; đảm bảo cho hoạt động thi đua, khen thưởng thực sự là động lực phát triển, biện pháp quan trọng góp phần tích cực vào việc thực hiện thắng lợi nhiệm vụ công tác năm 2019 và các năm tiếp theo."""  # noqa: E501 (the article's paragraphs, verbatim)


def _legal_references() -> list[LegalReference]:
    references = []
    for kind, number, issued_on, issuer, title in LEGAL_REFERENCES:
        reference, _ = LegalReference.objects.get_or_create(
            kind=kind,
            number=number,
            issuer=issuer,
            defaults={"issued_on": issued_on, "title": title},
        )
        references.append(reference)
    return references


def _work_plan(cluster_year, *, title, objectives="", is_illustrative=False, references=()):
    work_plan, created = WorkPlan.objects.get_or_create(
        cluster_year=cluster_year,
        defaults={"title": title, "objectives": objectives, "is_illustrative": is_illustrative},
    )
    if created and references:
        work_plan.legal_references.set(references)
    return work_plan, created


def _activity(work_plan, title, **defaults):
    activity, _ = Activity.objects.get_or_create(
        work_plan=work_plan, title=title, defaults=defaults
    )
    return activity


def _conference_2019(work_plan, departments) -> Activity:
    conference = _activity(
        work_plan,
        CONFERENCE_TITLE,
        kind=Activity.Kind.CONFERENCE,
        host=departments["hanoi"],
        starts_on=CONFERENCE_DAY,
        ends_on=CONFERENCE_DAY,
        venue="Sở Nội vụ thành phố Hà Nội (đơn vị Cụm trưởng)",
        status=Activity.Status.DONE,
        progress=100,
        agenda=CONFERENCE_AGENDA,
        outcome_notes=CONFERENCE_OUTCOME,
        adopted_covenant=True,
    )
    name, title = CHAIR_2019
    Attendee.objects.get_or_create(
        activity=conference,
        kind=Attendee.Kind.MEMBER,
        department=departments["hanoi"],
        defaults={"name": name, "title": title, "is_chair": True},
    )
    for code in (m.department.code for m in work_plan.cluster_year.memberships.all()):
        # The article names no other representative: "Lãnh đạo đại diện" of each member.
        Attendee.objects.get_or_create(
            activity=conference,
            kind=Attendee.Kind.MEMBER,
            department=departments[code],
            defaults={"title": "Lãnh đạo đại diện"},
        )
    for name, title, organisation in GUESTS_2019:
        Attendee.objects.get_or_create(
            activity=conference,
            kind=Attendee.Kind.GUEST,
            name=name,
            defaults={"title": title, "organisation": organisation},
        )
    return conference


def _charter(cluster, year_2019, year_2026, conference) -> None:
    adopted, created = CharterVersion.objects.get_or_create(
        cluster=cluster,
        number=1,
        defaults={
            "cluster_year": year_2019,
            "title": CHARTER_TITLE,
            "state": CharterVersion.State.ADOPTED,
            "adopted_on": CONFERENCE_DAY,
            "adopted_at": conference,
        },
    )
    if created:
        for number, (heading, body) in enumerate(CHARTER_2019, start=1):
            CharterArticle.objects.create(
                version=adopted, number=number, heading=heading, body=body, is_illustrative=True
            )
    if year_2026 is None:
        return
    draft, created = CharterVersion.objects.get_or_create(
        cluster=cluster,
        number=2,
        defaults={
            "cluster_year": year_2026,
            "title": CHARTER_TITLE,
            "preamble": "Dự thảo sửa đổi, bổ sung (dữ liệu minh họa).",
            "state": CharterVersion.State.OPEN,
            "based_on": adopted,
            "opened_at": datetime.datetime(2026, 1, 15, 8, 0, tzinfo=VN),
            "is_illustrative": True,
        },
    )
    if created:
        for article in adopted.articles.all():
            heading, body = CHARTER_2026_CHANGES.get(
                article.number, (article.heading, article.body)
            )
            CharterArticle.objects.create(
                version=draft,
                key=article.key,
                number=article.number,
                heading=heading,
                body=body,
                is_illustrative=True,
            )
        heading, body = CHARTER_2026_NEW
        CharterArticle.objects.create(
            version=draft,
            number=adopted.articles.count() + 1,
            heading=heading,
            body=body,
            is_illustrative=True,
        )
    commenter = User.objects.filter(username="haiphong.staff").first()
    article = draft.articles.filter(number=6).first()
    if commenter is not None and article is not None:
        CharterComment.objects.get_or_create(
            article=article,
            author=commenter,
            body=(
                "Đề nghị quy định rõ thời hạn gửi kết quả chấm chéo cho đơn vị Cụm trưởng "
                "(góp ý minh họa)."
            ),
            defaults={"department": commenter.department},
        )


def load(stdout=None):
    """Create the 2019 charter, plan, conference and news post, and the illustrative rest."""
    cluster = Cluster.objects.filter(code="bac-bo").first()
    if cluster is None:
        return
    departments = {d.code: d for d in Department.objects.all()}
    years = {
        cy.year: cy
        for cy in ClusterYear.objects.filter(cluster=cluster).prefetch_related(
            "memberships__department"
        )
    }
    references = _legal_references()
    year_2019, year_2026 = years.get(2019), years.get(2026)

    if year_2019 is not None:
        plan_2019, created = _work_plan(
            year_2019,
            title="Kế hoạch công tác thi đua, khen thưởng năm 2019 của Cụm thi đua các tỉnh, "
            "thành Bắc Bộ",
            objectives=PLAN_2019_OBJECTIVES,
            references=references,
        )
        conference = _conference_2019(plan_2019, departments)
        if created:
            # Adopted at the conference that is one of its own activities: set afterwards.
            WorkPlan.objects.filter(pk=plan_2019.pk).update(adopted_at=conference)
        for title, kind, host, starts_on, ends_on, venue in ACTIVITIES_2019:
            _activity(
                plan_2019,
                title,
                kind=kind,
                host=departments[host],
                starts_on=starts_on,
                ends_on=ends_on,
                venue=venue,
                status=Activity.Status.DONE,
                progress=100,
                outcome_notes="Dữ liệu minh họa: hoạt động không được nêu trong tin bài.",
                is_illustrative=True,
            )
        _charter(cluster, year_2019, year_2026, conference)
        NewsPost.objects.get_or_create(
            cluster_year=year_2019,
            title=NEWS_TITLE,
            defaults={
                "body": NEWS_BODY,
                "author_department": departments["vinhphuc"],
                "author_name": "Lại Quang Huy",
                "published_on": datetime.date(2019, 5, 29),
                "status": NewsPost.Status.PUBLISHED,
                "activity": conference,
            },
        )

    if year_2026 is not None:
        plan_2026, _created = _work_plan(
            year_2026,
            title="Kế hoạch công tác thi đua, khen thưởng năm 2026 của Cụm thi đua các tỉnh, "
            "thành Bắc Bộ (minh họa)",
            objectives="Dữ liệu minh họa: kế hoạch năm 2026 sau sắp xếp đơn vị hành chính.",
            is_illustrative=True,
        )
        signing_day = signing_day_2026()
        signing_conference = (
            SIGNING_CONFERENCE_2026,
            Activity.Kind.CONFERENCE,
            "hanoi",
            signing_day,
            signing_day,
            datetime.time(8, 0),
            datetime.time(11, 30),
            "Sở Nội vụ thành phố Hà Nội",
            Activity.Status.PLANNED,
            0,
        )
        for row in [signing_conference, *ACTIVITIES_2026]:
            title, kind, host, starts_on, ends_on, start_time, end_time, venue, status, pct = row
            _activity(
                plan_2026,
                title,
                kind=kind,
                host=departments[host],
                starts_on=starts_on,
                ends_on=ends_on,
                start_time=start_time,
                end_time=end_time,
                venue=venue,
                status=status,
                progress=pct,
                # Loaded late in the year, the conference 30 days on may fall in the next.
                outside_plan_year=starts_on.year != year_2026.year,
                is_illustrative=True,
            )

    if stdout:
        stdout.write(
            f"plans: {WorkPlan.objects.count()} work plans, {Activity.objects.count()} "
            f"activities, {CharterVersion.objects.count()} charter versions, "
            f"{NewsPost.objects.count()} news posts, {LegalReference.objects.count()} legal "
            "references"
        )
