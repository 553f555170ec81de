"""Demo data of the year-end evaluation (issue 13, item 7). Every figure is invented.

* 2019: an illustrative criteria table (base 100: I. professional tasks 60, II. emulation
  movements and cluster activities 20, III. building the agency 20; IV. bonus capped at
  +10; V. penalties), the 11 members' self-assessments submitted, cross-checked (each
  member checks the next one in a ring: never its own, no pair checking each other, one
  each), a few adjustments decided (some answered by the member), finalised, and the
  results published as at the closing conference of 13/12/2019.
* 2026: the same table adopted and self-assessment open until two weeks after the day
  the demo is loaded; Hải Phòng, Quảng Ninh and Bắc Ninh have submitted, Hà Nội, Ninh Bình
  and Phú Thọ have drafts with some lines filled, and Hưng Yên's draft is empty, so that
  ``hungyen.staff`` can fill it and ``hungyen.signer`` submit it.

The services of the phases are written with the ORM here, setting the fields and recording
the audit events as those services do (the audit trail keeps the real time at which the
demo was recorded; the dates in the rows tell the illustrative story). The evaluations are
``is_illustrative`` and every text a reader sees says "minh họa". Deterministic: the same
rows on every load. Idempotent: a year that already has an evaluation is left as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from agreements.models import Covenant
from cluster_portal.audit import audit_record
from evaluations import scoring
from evaluations.audit import EvaluationAction
from evaluations.models import (
    Adjustment,
    Assessment,
    Classification,
    Criterion,
    Evaluation,
    Evidence,
    Result,
    Score,
)
from evaluations.selectors import evaluation_lines, results_compute
from evaluations.services import assessments_create, evaluation_create
from members.models import ClusterYear, User
from plans.models import Activity

VN = ZoneInfo("Asia/Ho_Chi_Minh")
D = Decimal
NOTE = "Điểm tối đa và cách chấm là số liệu minh họa, không phải bảng tiêu chí chính thức."
ILLUSTRATIVE = " (minh họa)"

# code, parent, kind, maximum, settings, text, guidance, evidence required.
TABLE = [
    ("I", None, "section", None, {}, "Thực hiện nhiệm vụ chuyên môn của Sở Nội vụ", "", False),
    ("I.1", "I", "section", None, {}, "Công tác tổ chức bộ máy, biên chế", "", False),
    ("I.1.a", "I.1", "graded", "4", {},
     "Tham mưu sắp xếp, kiện toàn tổ chức bộ máy các cơ quan chuyên môn, đơn vị sự nghiệp",
     "Chấm theo mức độ hoàn thành, bước 0,25 điểm.", False),
    ("I.1.b", "I.1", "graded", "4", {},
     "Quản lý biên chế công chức, số lượng người làm việc đúng quy định",
     "Chấm theo mức độ hoàn thành, bước 0,25 điểm.", False),
    ("I.2", "I", "quantitative", "8", {"target": "80", "unit": "%"},
     "Chỉ số cải cách hành chính (PAR Index) của tỉnh, thành phố",
     "Chỉ tiêu 80%: dưới chỉ tiêu được 8 × 0,5 × thực hiện / chỉ tiêu; đạt chỉ tiêu được 4 "
     "điểm; vượt chỉ tiêu tính tỷ lệ đến 8 điểm cho đơn vị cao nhất.", False),
    ("I.3", "I", "graded", "8", {},
     "Công tác cán bộ, công chức, viên chức: tuyển dụng, đánh giá, đào tạo, bồi dưỡng",
     "Chấm theo mức độ hoàn thành, bước 0,25 điểm.", False),
    ("I.4", "I", "graded", "6", {},
     "Xây dựng chính quyền địa phương, địa giới và sắp xếp đơn vị hành chính",
     "Chấm theo mức độ hoàn thành, bước 0,25 điểm.", False),
    ("I.5", "I", "graded", "8", {}, "Công tác thi đua, khen thưởng",
     "Chấm theo mức độ hoàn thành, bước 0,25 điểm.", False),
    ("I.6", "I", "graded", "6", {}, "Công tác văn thư, lưu trữ",
     "Chấm theo mức độ hoàn thành, bước 0,25 điểm.", False),
    ("I.7", "I", "graded", "5", {}, "Công tác tín ngưỡng, tôn giáo",
     "Chấm theo mức độ hoàn thành, bước 0,25 điểm.", False),
    ("I.8", "I", "graded", "4", {}, "Công tác thanh niên",
     "Chấm theo mức độ hoàn thành, bước 0,25 điểm.", False),
    ("I.9", "I", "yes_no", "3", {},
     "Gửi đầy đủ, đúng hạn báo cáo định kỳ về Bộ Nội vụ và đơn vị Cụm trưởng",
     "Đạt: 3 điểm; có báo cáo chậm: 0 điểm.", False),
    ("I.10", "I", "graded", "4", {},
     "Thanh tra, giải quyết khiếu nại, tố cáo trong lĩnh vực Nội vụ",
     "Chấm theo mức độ hoàn thành, bước 0,25 điểm.", False),
    ("II", None, "section", None, {}, "Thực hiện phong trào thi đua và hoạt động của Cụm", "",
     False),
    ("II.1", "II", "graded", "6", {},
     "Phát động, tổ chức phong trào thi đua của đơn vị theo chủ đề thi đua năm",
     "Chấm theo mức độ hoàn thành, bước 0,25 điểm.", False),
    ("II.2", "II", "per_occurrence", "6", {"points_per_occurrence": "1.5"},
     "Tham gia hội nghị, hoạt động của Cụm",
     "1,5 điểm mỗi hội nghị, hoạt động tham gia; tối đa 6 điểm.", False),
    ("II.3", "II", "yes_no", "3", {}, "Ký kết và thực hiện giao ước thi đua của Cụm",
     "Đạt: 3 điểm. Minh chứng: giao ước thi đua trên Cổng.", True),
    ("II.4", "II", "per_occurrence", "3", {"points_per_occurrence": "1"},
     'Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến, "Người tốt, việc tốt"',
     "1 điểm mỗi điển hình được biểu dương; tối đa 3 điểm.", False),
    ("II.5", "II", "per_occurrence", "2", {"points_per_occurrence": "0.5"},
     "Tin, bài tuyên truyền về hoạt động của Cụm",
     "0,5 điểm mỗi tin, bài; tối đa 2 điểm.", False),
    ("III", None, "section", None, {}, "Xây dựng cơ quan, đơn vị", "", False),
    ("III.1", "III", "graded", "5", {},
     "Xây dựng tổ chức Đảng, đoàn thể trong sạch, vững mạnh",
     "Chấm theo mức độ hoàn thành, bước 0,25 điểm.", False),
    ("III.2", "III", "graded", "5", {},
     "Thực hiện văn hóa công sở, kỷ luật, kỷ cương hành chính",
     "Chấm theo mức độ hoàn thành, bước 0,25 điểm.", False),
    ("III.3", "III", "graded", "5", {},
     "Ứng dụng công nghệ thông tin, chuyển đổi số trong hoạt động của Sở",
     "Chấm theo mức độ hoàn thành, bước 0,25 điểm.", False),
    ("III.4", "III", "graded", "5", {},
     "Thực hành tiết kiệm, chống lãng phí; phòng, chống tham nhũng",
     "Chấm theo mức độ hoàn thành, bước 0,25 điểm.", False),
    ("IV", None, "section", None, {"cap": "10"}, "Điểm thưởng",
     "Tổng điểm thưởng không quá 10 điểm.", False),
    ("IV.1", "IV", "bonus", "5", {}, "Được tặng Cờ thi đua của Chính phủ năm trước",
     "5 điểm.", False),
    ("IV.2", "IV", "bonus", "3", {}, "Được tặng Cờ thi đua của Bộ Nội vụ năm trước",
     "3 điểm.", False),
    ("IV.3", "IV", "bonus", "4", {},
     "Có sáng kiến, mô hình mới được cấp có thẩm quyền công nhận",
     "Tối đa 4 điểm.", False),
    ("IV.4", "IV", "bonus", "2", {}, "Đăng cai tổ chức hội nghị, hoạt động của Cụm",
     "2 điểm. Minh chứng: hoạt động trong Kế hoạch của Cụm.", True),
    ("V", None, "section", None, {}, "Điểm trừ", "", False),
    ("V.1", "V", "penalty", "3", {},
     "Chậm gửi báo cáo, hồ sơ theo yêu cầu của đơn vị Cụm trưởng",
     "Trừ 0,5 điểm mỗi lần; tối đa 3 điểm.", False),
    ("V.2", "V", "penalty", "5", {}, "Có cán bộ, công chức bị kỷ luật trong năm",
     "Trừ 1 điểm mỗi trường hợp; tối đa 5 điểm.", False),
    ("V.3", "V", "penalty", "2", {}, "Không tham gia hoạt động của Cụm không có lý do",
     "Trừ 1 điểm mỗi lần; tối đa 2 điểm.", False),
]  # fmt: skip

CLASSIFICATIONS = [
    ("Hoàn thành xuất sắc nhiệm vụ (minh họa)", D("95")),
    ("Hoàn thành tốt nhiệm vụ (minh họa)", D("80")),
    ("Hoàn thành nhiệm vụ (minh họa)", D("65")),
]

# What a member writes on a line: {year}, {previous}, {count} and {actual} are filled in;
# bonus and penalty lines have a second text for zero points.
EXPLANATIONS = {
    "I.1.a": "Tham mưu UBND sắp xếp, kiện toàn các cơ quan chuyên môn đúng tiến độ",
    "I.1.b": "Quản lý biên chế, số lượng người làm việc trong chỉ tiêu được giao",
    "I.2": "Chỉ số cải cách hành chính năm {previous} của tỉnh, thành phố đạt {actual}%",
    "I.3": "Hoàn thành kế hoạch tuyển dụng, đánh giá, đào tạo, bồi dưỡng công chức, viên chức",
    "I.4": "Tham mưu sắp xếp đơn vị hành chính cấp xã và kiện toàn chính quyền địa phương",
    "I.5": "Tham mưu phát động các phong trào thi đua, xét khen thưởng đúng quy định",
    "I.6": "Hướng dẫn, kiểm tra công tác văn thư, lưu trữ; chỉnh lý tài liệu tồn đọng",
    "I.7": "Quản lý nhà nước về tín ngưỡng, tôn giáo ổn định, không phát sinh điểm nóng",
    "I.8": "Triển khai Chiến lược phát triển thanh niên, báo cáo đúng hạn",
    "I.9": ("Gửi đầy đủ, đúng hạn các báo cáo định kỳ", "Có báo cáo 6 tháng gửi chậm"),
    "I.10": "Giải quyết đơn thư khiếu nại, tố cáo thuộc thẩm quyền đúng thời hạn",
    "II.1": "Ban hành kế hoạch phát động thi đua theo chủ đề năm {year}",
    "II.2": "Tham gia {count} hội nghị, hoạt động của Cụm",
    "II.3": "Ký kết giao ước thi đua năm {year} của Cụm",
    "II.4": "Phát hiện, biểu dương {count} điển hình tiên tiến",
    "II.5": "Đăng {count} tin, bài về hoạt động của Cụm trên Cổng thông tin của Sở",
    "III.1": "Chi bộ, cơ quan được đánh giá trong sạch, vững mạnh",
    "III.2": "Thực hiện nghiêm quy chế văn hóa công sở, kỷ luật, kỷ cương hành chính",
    "III.3": "Sử dụng phần mềm quản lý văn bản và chữ ký số trong gửi, nhận văn bản",
    "III.4": "Thực hiện tiết kiệm dự toán chi thường xuyên; không có vụ việc tham nhũng",
    "IV.1": ("Được tặng Cờ thi đua của Chính phủ năm {previous}", "Không thuộc diện cộng điểm"),
    "IV.2": ("Được tặng Cờ thi đua của Bộ Nội vụ năm {previous}", "Không thuộc diện cộng điểm"),
    "IV.3": ("Có sáng kiến cải cách hành chính được UBND công nhận", "Không có sáng kiến"),
    "IV.4": ("Đăng cai tổ chức hoạt động của Cụm năm {year}", "Không đăng cai hoạt động"),
    "V.1": ("Chậm gửi báo cáo tổng kết cho đơn vị Cụm trưởng", "Không vi phạm"),
    "V.2": ("Có 01 công chức bị kỷ luật khiển trách", "Không có trường hợp bị kỷ luật"),
    "V.3": ("Vắng một hoạt động của Cụm không có lý do", "Không vi phạm"),
}

# How well each member did, in percent of the graded maxima (illustrative), and small
# deterministic variations per line so that no two rows look alike.
STRENGTH = {
    2019: {
        "hanoi": 96, "quangninh": 95, "haiphong": 93, "bacninh": 92, "vinhphuc": 90,
        "ninhbinh": 89, "hungyen": 88, "haiduong": 86, "namdinh": 84, "thaibinh": 82,
        "hanam": 79,
    },
    2026: {
        "hanoi": 95, "quangninh": 94, "haiphong": 93, "bacninh": 91, "phutho": 88,
        "hungyen": 90, "ninhbinh": 89,
    },
}  # fmt: skip
VARIATION = (0, -3, 2, -5, 1, -2, 3)

# What the members entered on the lines that are not graded (illustrative figures).
ENTRIES = {
    2019: {
        # PAR Index (%), activities attended, advanced models, news posts
        "I.2": {"hanoi": "87.10", "quangninh": "91.50", "haiphong": "86.30", "bacninh": "85.60",
                "vinhphuc": "84.90", "ninhbinh": "83.20", "hungyen": "82.40",
                "haiduong": "81.70", "namdinh": "80.00", "thaibinh": "79.30", "hanam": "78.60"},
        "II.2": {"thaibinh": 3, "hanam": 3, "*": 4},
        "II.4": {"hanoi": 3, "quangninh": 3, "haiphong": 2, "bacninh": 2, "vinhphuc": 2, "*": 1},
        "II.5": {"vinhphuc": 5, "hanoi": 4, "haiphong": 4, "quangninh": 3, "bacninh": 3,
                 "hanam": 1, "*": 2},
        "I.9": {"thaibinh": "0", "hanam": "0", "*": "3"},
        "II.3": {"*": "3"},
        "IV.1": {"quangninh": "5", "*": "0"},
        "IV.2": {"hanoi": "3", "haiphong": "3", "bacninh": "3", "*": "0"},
        "IV.3": {"hanoi": "4", "quangninh": "3", "vinhphuc": "1", "thaibinh": "2", "*": "0"},
        "IV.4": {"hanoi": "2", "haiphong": "2", "vinhphuc": "2", "quangninh": "2", "*": "0"},
        "V.1": {"thaibinh": "1", "hanam": "1.5", "*": "0"},
        "V.2": {"namdinh": "1", "*": "0"},
        "V.3": {"*": "0"},
    },
    2026: {
        "I.2": {"hanoi": "88.40", "quangninh": "92.10", "haiphong": "89.20", "bacninh": "87.50",
                "ninhbinh": "85.30", "phutho": "83.80", "hungyen": "84.60"},
        "II.2": {"*": 3},
        "II.4": {"hanoi": 2, "quangninh": 2, "*": 1},
        "II.5": {"quangninh": 4, "haiphong": 3, "*": 2},
        "I.9": {"*": "3"},
        "II.3": {"haiphong": "3", "quangninh": "3", "bacninh": "3", "*": "0"},
        "IV.1": {"*": "0"},
        "IV.2": {"quangninh": "3", "hanoi": "3", "*": "0"},
        "IV.3": {"quangninh": "2", "haiphong": "1.5", "*": "0"},
        "IV.4": {"hanoi": "2", "quangninh": "2", "*": "0"},
        "V.1": {"*": "0"},
        "V.2": {"*": "0"},
        "V.3": {"*": "0"},
    },
}  # fmt: skip

# 2019 adjustments: (member, line, own points, proposed, reason, member's answer or "",
# decision ("accepted", "overridden" or "rejected"), decided points, decision reason).
ADJUSTMENTS_2019 = [
    ("haiduong", "I.5", "7.5", "6.5",
     "Chưa gửi báo cáo sơ kết phong trào thi đua chuyên đề; đề nghị giảm 1 điểm",
     "Đơn vị đã gửi báo cáo ngày 20/11/2019 qua đường công văn, đề nghị xem xét",
     "accepted", "6.5", ""),
    ("namdinh", "III.3", "4.75", "4",
     "Chưa triển khai chữ ký số đến các phòng chuyên môn; đề nghị giảm 0,75 điểm",
     "", "accepted", "4", ""),
    ("thaibinh", "IV.3", "2", "0",
     "Sáng kiến chưa được cấp có thẩm quyền công nhận trong năm 2019",
     "Sáng kiến đã được Hội đồng sáng kiến tỉnh công nhận tháng 12/2019, có quyết định kèm theo",
     "overridden", "1",
     "Sáng kiến được công nhận sau thời điểm chấm; Thư ký Cụm tính một nửa số điểm"),
    ("bacninh", "I.6", "5.5", "5",
     "Hồ sơ chỉnh lý tài liệu tồn đọng chưa đầy đủ",
     "Hồ sơ chỉnh lý đã đầy đủ, lưu tại Trung tâm Lưu trữ lịch sử tỉnh",
     "rejected", "5.5", ""),
    ("hungyen", "II.1", "5.25", "5",
     "Kế hoạch phát động thi đua ban hành muộn so với hướng dẫn của Cụm",
     "", "accepted", "5", ""),
]  # fmt: skip

SUBMITTED_2026 = ["haiphong", "quangninh", "bacninh"]
# Drafts of 2026: which top-level sections (or lines) they have filled so far.
DRAFTS_2026 = {"hanoi": ("I", "II"), "ninhbinh": ("I",), "phutho": ("I.1.a", "I.1.b")}
EMPTY_2026 = "hungyen"


def at(*args) -> datetime.datetime:
    """A time in Vietnam (the illustrative story's dates)."""
    return datetime.datetime(*args, tzinfo=VN)


def _step_down(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).to_integral_value(rounding=ROUND_FLOOR) * step


def _entry(year: int, code: str, department: str):
    table = ENTRIES[year][code]
    return table.get(department, table.get("*"))


def _explanation(code: str, *, year: int, points: Decimal | None, count=None, actual=None):
    text = EXPLANATIONS[code]
    if isinstance(text, tuple):
        text = text[0] if points else text[1]
    actual_text = "" if actual is None else f"{actual:.2f}".replace(".", ",")
    return text.format(year=year, previous=year - 1, count=count, actual=actual_text) + ILLUSTRATIVE


@dataclass
class Entered:
    """What a member entered on one line."""

    self_points: Decimal | None = None
    count: int | None = None
    actual: Decimal | None = None
    explanation: str = ""


def _entered(year: int, line: scoring.Line, department: str, index: int) -> Entered:
    """The member's illustrative entry on ``line`` (the ``index``-th leaf)."""
    code = line.code
    if line.kind == scoring.QUANTITATIVE:
        actual = D(_entry(year, code, department))
        points = scoring.line_points(line, actual=actual)  # as saved: the unit alone
        return Entered(
            points, None, actual, _explanation(code, year=year, points=points, actual=actual)
        )
    if line.kind == scoring.PER_OCCURRENCE:
        count = _entry(year, code, department)
        points = scoring.line_points(line, count=count)
        return Entered(
            points, count, None, _explanation(code, year=year, points=points, count=count)
        )
    if line.kind == scoring.GRADED:
        members = list(STRENGTH[year])
        percent = (
            STRENGTH[year][department]
            + VARIATION[(members.index(department) + index) % len(VARIATION)]
        )
        points = min(_step_down(line.max_points * percent / 100, D("0.25")), line.max_points)
    else:
        points = D(_entry(year, code, department))
    points = scoring.check_points(line, points, table_step=D("0.25"))
    return Entered(points, None, None, _explanation(code, year=year, points=points))


def _users() -> dict[str, User]:
    return {user.username: user for user in User.objects.filter(is_active=True)}


def _record(actor, action, target, **details):
    audit_record(actor=actor, action=action, target=target, details={"demo": True, **details})


def _create(cluster_year: ClusterYear, *, by: User, adopted_at) -> Evaluation:
    """The evaluation with the illustrative table, adopted, and every member's draft."""
    evaluation = evaluation_create(cluster_year=cluster_year, by=by)
    evaluation.is_illustrative = True
    evaluation.save(update_fields=["is_illustrative", "updated_at"])
    by_code: dict[str, Criterion] = {}
    # Parents before children: one insert per depth of the tree.
    rows = list(enumerate(TABLE, start=1))
    for depth in range(3):
        level = [row for row in rows if row[1][0].count(".") == depth]
        created = Criterion.objects.bulk_create(
            [
                Criterion(
                    evaluation=evaluation,
                    parent=by_code.get(parent),
                    position=position,
                    code=code,
                    text=text,
                    kind=kind,
                    max_points=None if maximum is None else D(maximum),
                    cap=D(extra["cap"]) if "cap" in extra else None,
                    points_per_occurrence=(
                        D(extra["points_per_occurrence"])
                        if "points_per_occurrence" in extra
                        else None
                    ),
                    target=D(extra["target"]) if "target" in extra else None,
                    unit=extra.get("unit", ""),
                    guidance=f"{guidance} {NOTE}".strip(),
                    evidence_required=evidence,
                )
                for position, (
                    code,
                    parent,
                    kind,
                    maximum,
                    extra,
                    text,
                    guidance,
                    evidence,
                ) in level
            ]
        )
        by_code.update({criterion.code: criterion for criterion in created})
    Classification.objects.bulk_create(
        Classification(evaluation=evaluation, label=label, min_total=minimum)
        for label, minimum in CLASSIFICATIONS
    )
    _record(by, EvaluationAction.TABLE_EDITED, evaluation, criteria=len(TABLE))
    Evaluation.objects.filter(pk=evaluation.pk).update(
        table_adopted_at=adopted_at, table_adopted_by=by
    )
    evaluation.refresh_from_db()
    _record(by, EvaluationAction.TABLE_ADOPTED, evaluation)
    return evaluation


def _open(evaluation: Evaluation, *, by: User, deadline) -> dict[str, Assessment]:
    """Self-assessment opens: the deadline, the phase, one draft per member."""
    Evaluation.objects.filter(pk=evaluation.pk).update(
        phase=Evaluation.Phase.SELF_ASSESSMENT, self_assessment_deadline=deadline
    )
    evaluation.refresh_from_db()
    _record(by, EvaluationAction.EVALUATION_DATES_CHANGED, evaluation, deadline=deadline)
    assessments_create(evaluation=evaluation)
    _record(
        by,
        EvaluationAction.EVALUATION_PHASE_CHANGED,
        evaluation,
        **{"from": Evaluation.Phase.DRAFT, "to": Evaluation.Phase.SELF_ASSESSMENT},
    )
    return {
        a.membership.department.code: a
        for a in evaluation.assessments.select_related("membership__department", "evaluation")
    }


def _fill(evaluation, assessments, *, year, only=None) -> dict[str, dict[str, Score]]:
    """Write the members' entries (``only``: department → codes or section codes)."""
    lines = evaluation_lines(evaluation=evaluation)
    parents = {line.id: line for line in lines}
    leaves = [line for line in lines if not line.is_section]

    def section_codes(line):
        codes = {line.code}
        parent = parents.get(line.parent_id)
        while parent is not None:
            codes.add(parent.code)
            parent = parents.get(parent.parent_id)
        return codes

    scores = {}
    changed = []
    for department, assessment in assessments.items():
        by_criterion = {score.criterion_id: score for score in assessment.scores.all()}
        scores[department] = {}
        for index, line in enumerate(leaves):
            score = by_criterion[line.id]
            scores[department][line.code] = score
            if only is not None and not section_codes(line) & set(only.get(department, ())):
                continue
            entered = _entered(year, line, department, index)
            score.self_points = entered.self_points
            score.count = entered.count
            score.actual = entered.actual
            score.explanation = entered.explanation
            changed.append(score)
    Score.objects.bulk_update(changed, ["self_points", "count", "actual", "explanation"])
    return scores


def _evidence(evaluation, scores, users, *, departments):
    """Evidence on the lines that require it: the covenant page, the hosted activity."""
    cluster_year = evaluation.cluster_year
    covenant = Covenant.objects.filter(cluster_year=cluster_year).first()
    hosted = {}
    for activity in Activity.objects.filter(
        work_plan__cluster_year=cluster_year, status=Activity.Status.DONE
    ).order_by("starts_on", "pk"):
        hosted.setdefault(activity.host_id, activity)
    rows = []
    for department in departments:
        assessment_scores = scores[department]
        staff = users.get(f"{department}.staff")
        signed = assessment_scores["II.3"]
        if covenant is not None and signed.self_points:
            rows.append(
                Evidence(
                    score=signed,
                    title=f"{covenant.title} (minh chứng minh họa)",
                    link=covenant.get_absolute_url(),
                    added_by=staff,
                )
            )
        host = assessment_scores["IV.4"]
        activity = hosted.get(host.assessment.membership.department_id)
        if activity is not None and host.self_points:
            rows.append(
                Evidence(
                    score=host,
                    title=f"{activity.title} (minh chứng minh họa)",
                    activity=activity,
                    added_by=staff,
                )
            )
    created = Evidence.objects.bulk_create(rows)
    for evidence in created:
        _record(
            evidence.added_by,
            EvaluationAction.EVIDENCE_ADDED,
            evidence.score.assessment,
            line=evidence.score.criterion.code,
            evidence=evidence.title,
        )
    return created


def _submit(assessments, users, *, departments, when, versions=2):
    for offset, department in enumerate(departments):
        assessment = assessments[department]
        assessment.state = Assessment.State.SUBMITTED
        assessment.submitted_at = when(offset)
        assessment.submitted_by = users.get(f"{department}.signer")
        assessment.version = versions
        assessment.report = (
            f"Dữ liệu minh họa: báo cáo tổng kết công tác năm "
            f"{assessment.evaluation.cluster_year.year} của {assessment.membership.full_name}."
        )
    chosen = [assessments[d] for d in departments]
    Assessment.objects.bulk_update(
        chosen, ["state", "submitted_at", "submitted_by", "version", "report"]
    )
    for assessment in chosen:
        _record(
            assessment.submitted_by,
            EvaluationAction.ASSESSMENT_SUBMITTED,
            assessment,
            version=assessment.version,
        )


def _load_2019(cluster_year: ClusterYear, admin: User, users: dict[str, User]) -> None:
    evaluation = _create(cluster_year, by=admin, adopted_at=at(2019, 10, 1, 9, 0))
    assessments = _open(evaluation, by=admin, deadline=at(2019, 11, 15, 17, 0))
    scores = _fill(evaluation, assessments, year=2019)
    for department, code, own, *_rest in ADJUSTMENTS_2019:
        score = scores[department][code]
        score.self_points = D(own)
        score.explanation = _explanation(code, year=2019, points=D(own))
    Score.objects.bulk_update(
        [scores[d][c] for d, c, *_r in ADJUSTMENTS_2019], ["self_points", "explanation"]
    )
    order = list(STRENGTH[2019])
    _evidence(evaluation, scores, users, departments=order)
    _submit(
        assessments,
        users,
        departments=order,
        when=lambda offset: at(2019, 11, 8 + offset % 7, 10, 30),
    )

    # Checking: cross-checking in a ring of the members by name, so nobody checks itself,
    # no two members check each other and everyone checks exactly one assessment.
    Evaluation.objects.filter(pk=evaluation.pk).update(
        checking_mode=Evaluation.CheckingMode.CROSS,
        checking_deadline=at(2019, 12, 5, 17, 0),
        publication_date=datetime.date(2019, 12, 13),
    )
    evaluation.refresh_from_db()
    _record(admin, EvaluationAction.EVALUATION_CHECKING_MODE_SET, evaluation, mode="cross")
    Evaluation.objects.filter(pk=evaluation.pk).update(phase=Evaluation.Phase.CHECKING)
    _record(
        admin,
        EvaluationAction.EVALUATION_PHASE_CHANGED,
        evaluation,
        **{"from": Evaluation.Phase.SELF_ASSESSMENT, "to": Evaluation.Phase.CHECKING},
    )
    ring = sorted(assessments.values(), key=lambda a: a.membership.short_name)
    for position, assessment in enumerate(ring):
        assessment.checker = ring[(position + 1) % len(ring)].membership
    Assessment.objects.bulk_update(ring, ["checker"])
    _record(
        admin,
        EvaluationAction.CHECKERS_ASSIGNED,
        evaluation,
        assignment={a.membership.department.code: a.checker.department.code for a in ring},
    )

    adjustments = []
    for department, code, own, proposed, reason, answer, status, decided, why in ADJUSTMENTS_2019:
        assessment = assessments[department]
        checker = assessment.checker.department.code
        adjustments.append(
            Adjustment(
                score=scores[department][code],
                proposed_by=users.get(f"{checker}.staff"),
                checker=assessment.checker,
                proposed_at=at(2019, 11, 26, 9, 0),
                from_points=D(own),
                to_points=D(proposed),
                reason=reason + ILLUSTRATIVE,
                status=status,
                decided_by=admin,
                decided_at=at(2019, 12, 3, 15, 0),
                decided_points=D(decided),
                decision_reason=why + ILLUSTRATIVE if why else "",
                answer=answer + ILLUSTRATIVE if answer else "",
                answered_by=users.get(f"{department}.signer") if answer else None,
                answered_at=at(2019, 11, 28, 14, 0) if answer else None,
            )
        )
    Adjustment.objects.bulk_create(adjustments)
    for adjustment in adjustments:
        _record(
            adjustment.proposed_by,
            EvaluationAction.ADJUSTMENT_PROPOSED,
            adjustment,
            **{"from": adjustment.from_points, "to": adjustment.to_points},
        )
        if adjustment.answer:
            _record(adjustment.answered_by, EvaluationAction.ADJUSTMENT_ANSWERED, adjustment)
    for adjustment in adjustments:
        _record(
            admin,
            EvaluationAction.ADJUSTMENT_DECIDED,
            adjustment,
            status=adjustment.status,
            points=adjustment.decided_points,
        )

    # Finalised: every line's final score is the decided one where an adjustment changed
    # it, the quantitative lines scored against the best unit, the others as entered.
    decided = {a.score_id: a.decided_points for a in adjustments}
    final_scores = []
    lines = {line.id: line for line in evaluation_lines(evaluation=evaluation)}
    best = scoring.best_actuals(
        lines.values(),
        [{s.criterion_id: s.actual for s in by_code.values()} for by_code in scores.values()],
    )
    for by_code in scores.values():
        for score in by_code.values():
            line = lines[score.criterion_id]
            if score.pk in decided:
                score.final_points = decided[score.pk]
            elif line.kind == scoring.QUANTITATIVE:
                score.final_points = scoring.line_points(
                    line, actual=score.actual, best=best.get(line.id)
                )
            else:
                score.final_points = score.self_points
            final_scores.append(score)
    Score.objects.bulk_update(final_scores, ["final_points"])
    finalised_at = at(2019, 12, 5, 16, 0)
    for assessment in assessments.values():
        assessment.state = Assessment.State.FINALISED
        assessment.finalised_at = finalised_at
        assessment.finalised_by = admin
        assessment.version = 3
    Assessment.objects.bulk_update(
        list(assessments.values()), ["state", "finalised_at", "finalised_by", "version"]
    )
    for assessment in ring:
        _record(admin, EvaluationAction.ASSESSMENT_FINALISED, assessment)

    # Published at the closing conference (plans' demo: 13/12/2019 at Sở Nội vụ Hà Nội).
    published = results_compute(evaluation=evaluation, final=True)
    Result.objects.bulk_create(
        Result(
            evaluation=evaluation,
            membership=row.membership,
            subtotals={code: f"{value:.2f}" for code, value in row.subtotals.items()},
            base_points=row.base,
            bonus=row.bonus,
            penalty=row.penalty,
            total=row.total,
            rank=row.rank,
            classification=row.classification,
        )
        for row in published
    )
    Evaluation.objects.filter(pk=evaluation.pk).update(
        phase=Evaluation.Phase.PUBLISHED,
        published_at=at(2019, 12, 13, 11, 0),
        results_number="15/BC-CTĐ",
        results_date=datetime.date(2019, 12, 13),
    )
    evaluation.refresh_from_db()
    _record(
        admin,
        EvaluationAction.EVALUATION_PHASE_CHANGED,
        evaluation,
        **{"from": Evaluation.Phase.CHECKING, "to": Evaluation.Phase.PUBLISHED},
    )
    _record(
        admin,
        EvaluationAction.EVALUATION_PUBLISHED,
        evaluation,
        number=evaluation.results_number,
        results=len(published),
    )


def _load_2026(cluster_year: ClusterYear, admin: User, users: dict[str, User]) -> None:
    secretariat = users.get("secretariat", admin)
    now = timezone.now()
    today = timezone.localdate()
    # The deadline follows the day the demo is loaded, so that the demo stays open.
    deadline = datetime.datetime.combine(
        today + datetime.timedelta(days=14), datetime.time(17, 0), tzinfo=VN
    )
    evaluation = _create(cluster_year, by=secretariat, adopted_at=now - datetime.timedelta(days=16))
    Evaluation.objects.filter(pk=evaluation.pk).update(
        checking_deadline=deadline + datetime.timedelta(days=10)
    )
    assessments = _open(evaluation, by=secretariat, deadline=deadline)
    only = dict.fromkeys(SUBMITTED_2026, ("I", "II", "III", "IV", "V"))
    only.update(DRAFTS_2026)
    scores = _fill(evaluation, assessments, year=2026, only=only)
    drafts = [assessments[d] for d in DRAFTS_2026]
    for assessment in drafts:
        assessment.version = 2
    Assessment.objects.bulk_update(drafts, ["version"])
    for department, assessment in assessments.items():
        if department in only:
            _record(
                users.get(f"{department}.staff"),
                EvaluationAction.ASSESSMENT_SAVED,
                assessment,
                version=1,
            )
    _evidence(evaluation, scores, users, departments=SUBMITTED_2026)
    _submit(
        assessments,
        users,
        departments=SUBMITTED_2026,
        when=lambda offset: now - datetime.timedelta(days=5 - 2 * offset, hours=3),
    )


def load(stdout=None):
    """The 2019 and 2026 evaluations of the demo cluster, unless they exist already."""
    years = {
        cy.year: cy
        for cy in ClusterYear.objects.filter(cluster__code="bac-bo", year__in=(2019, 2026))
        .select_related("cluster")
        .prefetch_related("memberships__department")
    }
    users = _users()
    admin = users.get("admin")
    if admin is None:
        return
    existing = set(
        Evaluation.objects.filter(cluster_year__in=years.values()).values_list(
            "cluster_year__year", flat=True
        )
    )
    if 2019 in years and 2019 not in existing:
        _load_2019(years[2019], admin, users)
    if 2026 in years and 2026 not in existing:
        _load_2026(years[2026], admin, users)
    if stdout:
        stdout.write(
            f"evaluations: {Evaluation.objects.count()} evaluations, "
            f"{Assessment.objects.count()} self-assessments, {Result.objects.count()} results"
        )
