"""Helpers the tests import: plain functions and constants, no fixtures (those are in the
``conftest.py`` files).

* the ``world`` picture: ``WORLD_YEAR``, ``World``, ``department``, ``cluster_year_with``;
* covenants through the services: ``draft_covenant``, ``open_covenant``, ``sign``,
  ``decline``, ``codes``, ``clock`` ...;
* covenants and plans written straight to the database for the read-only reports:
  ``covenant_for``, ``plan_for``;
* uploads as a browser sends them: ``upload``, ``jpeg``, ``png``, ``webp``, ``pdf`` ...
* settings as a fresh process sees them: ``setting_in_process``.

* uploads as a browser sends them: ``upload``, ``jpeg``, ``png``, ``webp``, ``pdf`` ...;
* background tasks: ``run_worker`` runs the real database worker until the queue is empty.
"""

import contextlib
import datetime
import io
import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from django import forms
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


# Year-end evaluation, written straight to the database (the services have their own tests)

# (code, parent code, kind, max, extra fields) of a small table with every kind of line:
# base 30 (I), bonus capped at 5 (II), penalties (III).
SMALL_TABLE = [
    ("I", None, "section", None, {}),
    ("I.1", "I", "graded", "10", {}),
    ("I.2", "I", "yes_no", "5", {}),
    ("I.3", "I", "per_occurrence", "5", {"points_per_occurrence": "1"}),
    ("I.4", "I", "quantitative", "10", {"target": "100"}),
    ("II", None, "section", None, {"cap": "5"}),
    ("II.1", "II", "bonus", "3", {}),
    ("II.2", "II", "bonus", "4", {}),
    ("III", None, "section", None, {}),
    ("III.1", "III", "penalty", "5", {}),
]


def evaluation_for(cluster_year, *, table=SMALL_TABLE, adopted=True, phase=None, **fields):
    """The evaluation of ``cluster_year`` with ``table`` (rows as in ``SMALL_TABLE``),
    adopted unless ``adopted=False``; in ``phase`` (default: self-assessment when adopted,
    draft otherwise), with every member's draft assessment once the table is adopted."""
    from decimal import Decimal

    from evaluations.models import Criterion, Evaluation
    from evaluations.services import assessments_create

    if phase is None:
        phase = Evaluation.Phase.SELF_ASSESSMENT if adopted else Evaluation.Phase.DRAFT
    evaluation = Evaluation.objects.create(
        cluster_year=cluster_year,
        phase=phase,
        table_adopted_at=timezone.now() if adopted else None,
        **fields,
    )
    by_code = {}
    for position, (code, parent, kind, maximum, extra) in enumerate(table, start=1):
        by_code[code] = Criterion.objects.create(
            evaluation=evaluation,
            parent=by_code.get(parent),
            position=position,
            code=code,
            text=f"Tiêu chí {code}",
            kind=kind,
            max_points=None if maximum is None else Decimal(maximum),
            **{key: Decimal(value) for key, value in extra.items()},
        )
    if adopted:
        assessments_create(evaluation=evaluation)
    return evaluation


def assessment_of(evaluation, department):
    """The assessment of ``department`` in ``evaluation``."""
    return evaluation.assessments.get(membership__department=department)


def score_lines(assessment, **entries):
    """Write entries straight to an assessment's score lines: ``I_1="7.5"`` sets the own
    points of I.1, ``I_3=("count", 3)`` a count, ``I_4=("actual", "120")`` an actual."""
    from decimal import Decimal

    for key, value in entries.items():
        score = assessment.scores.get(criterion__code=key.replace("_", "."))
        if isinstance(value, tuple):
            field_name, entered = value
            setattr(score, field_name, entered if field_name == "count" else Decimal(entered))
        else:
            score.self_points = Decimal(value)
        score.save()
    return assessment


# Settings


def setting_in_process(module: str, name: str, **env):
    """The value of setting ``name`` (JSON) in a fresh process on settings ``module``, with
    ``env`` over a production-like environment (DEBUG off, a random SECRET_KEY)."""
    from django.utils.crypto import get_random_string

    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": module,
        "DEBUG": "0",
        "SECRET_KEY": get_random_string(60),
        **env,
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, django; django.setup(); from django.conf import settings; "
            f"print(json.dumps(getattr(settings, {name!r}), default=str))",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# Checking, adjustments and publication (ev-check)


def submit_all(evaluation, *, except_=()):
    """Mark every assessment of ``evaluation`` submitted (straight to the database), but
    those of the departments in ``except_``; returns the evaluation."""
    from evaluations.models import Assessment

    evaluation.assessments.exclude(membership__department__in=except_).update(
        state=Assessment.State.SUBMITTED, submitted_at=timezone.now()
    )
    return evaluation


def checking_of(cluster_year, **fields):
    """The evaluation of ``cluster_year`` (``SMALL_TABLE``) in the checking phase, with
    every member's assessment submitted."""
    from evaluations.models import Evaluation

    return submit_all(evaluation_for(cluster_year, phase=Evaluation.Phase.CHECKING, **fields))


def set_checker(evaluation, member, checker):
    """``checker``'s department cross-checks ``member``'s assessment (both Departments)."""
    from evaluations.models import Evaluation

    Evaluation.objects.filter(pk=evaluation.pk).update(checking_mode=Evaluation.CheckingMode.CROSS)
    evaluation.checking_mode = Evaluation.CheckingMode.CROSS
    assessment = assessment_of(evaluation, member)
    assessment.checker = evaluation.cluster_year.memberships.get(department=checker)
    assessment.save()
    return assessment


def score_of(assessment, code):
    """The score line of criterion ``code`` in ``assessment``, with what services read."""
    return assessment.scores.select_related(
        "criterion",
        "assessment__evaluation__cluster_year__cluster",
        "assessment__membership__department",
        "assessment__checker__department",
    ).get(criterion__code=code)


def members_year(members: int):
    """A cluster year of ``members`` departments (the first leads) and a user of the
    leader (the secretariat)."""
    from tests.factories import ClusterFactory, UserFactory

    departments = [DepartmentFactory() for _ in range(members)]
    cluster_year = cluster_year_with(
        ClusterFactory(),
        WORLD_YEAR,
        leader=departments[0],
        deputy=departments[1],
        members=departments[2:],
    )
    return cluster_year, departments, UserFactory(department=departments[0])


def queries_for(client, user, url) -> list[str]:
    """The SQL of one GET of ``url`` by ``user`` (status 200), after a first GET warmed any
    cache: what a page costs, for the query-count guards."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in context.captured_queries]


def assert_same_count(small: list[str], large: list[str]):
    """Two pages cost the same number of queries (both lists printed when not)."""
    assert len(small) == len(large), "\n".join(["small:", *small, "", "large:", *large])


# Self-assessments through the services (ev-assess)

# A complete, valid entry for every line of SMALL_TABLE.
FULL_ENTRIES = {
    "I_1": "7.5",
    "I_2": "5",
    "I_3": ("count", 3),
    "I_4": ("actual", "80"),
    "II_1": "3",
    "II_2": "2.5",
    "III_1": "0",
}


def line_entries(assessment, **entries):
    """``services.assessment_save`` entries by score id: ``I_1="7.5"`` points, ``I_3=("count",
    3)`` a count, ``I_4=("actual", "120")`` an actual; ``None`` empties a line."""
    from decimal import Decimal

    from evaluations.services import LineEntry

    scores = {s.criterion.code: s for s in assessment.scores.select_related("criterion")}
    result = {}
    for key, value in entries.items():
        score = scores[key.replace("_", ".")]
        explanation = f"Giải trình tiêu chí {score.criterion.code}"
        if isinstance(value, tuple):
            field_name, entered = value
            entered = entered if field_name == "count" else Decimal(entered)
            result[score.pk] = LineEntry(**{field_name: entered}, explanation=explanation)
        else:
            points = None if value is None else Decimal(value)
            result[score.pk] = LineEntry(points=points, explanation=explanation)
    return result


def save_lines(assessment, user, *, version=None, report=None, **entries):
    """Save ``entries`` (as ``line_entries``) as ``user``, from the stored version unless
    ``version`` is given."""
    from evaluations.models import Assessment
    from evaluations.services import assessment_save

    assessment = Assessment.objects.get(pk=assessment.pk)
    return assessment_save(
        assessment=assessment,
        version=assessment.version if version is None else version,
        entries=line_entries(assessment, **entries),
        report=report,
        by=user,
    )


def submit_assessment(assessment, user, *, password=PASSWORD, confirmed=True):
    from evaluations.models import Assessment
    from evaluations.services import assessment_submit

    return assessment_submit(
        assessment=Assessment.objects.get(pk=assessment.pk),
        by=user,
        password=password,
        confirmed=confirmed,
        meta=META,
    )


def return_assessment(assessment, user, *, reason="Thiếu minh chứng cho tiêu chí I.1."):
    from evaluations.models import Assessment
    from evaluations.services import assessment_return

    return assessment_return(
        assessment=Assessment.objects.get(pk=assessment.pk), by=user, reason=reason, meta=META
    )


def open_self_assessment(world, *, table=SMALL_TABLE, evidence_required=(), **fields):
    """``world.year_a``'s evaluation with self-assessment open (deadline in 30 days unless
    given) and the lines ``evidence_required`` (codes) requiring evidence; returns Hải
    Phòng's assessment (``world.staff`` and ``world.signatory``)."""
    from evaluations.models import Criterion

    fields.setdefault("self_assessment_deadline", timezone.now() + datetime.timedelta(days=30))
    evaluation = evaluation_for(world.year_a, table=table, **fields)
    Criterion.objects.filter(evaluation=evaluation, code__in=evidence_required).update(
        evidence_required=True
    )
    return assessment_of(evaluation, world.haiphong)


# ev-table: the criteria table's pages, workbooks and snapshots


def evaluation_page(evaluation, name: str, **extra) -> str:
    """The URL of the evaluation page ``name`` (e.g. ``"table-detail"``)."""
    from django.urls import reverse

    cluster_year = evaluation.cluster_year
    return reverse(
        f"evaluations:{name}",
        kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year, **extra},
    )


def table_snapshot(evaluation) -> list[tuple]:
    """Every field of every line of ``evaluation``'s table, in order, with the parent's
    code instead of its id: two tables are the same when their snapshots are."""
    from evaluations.models import Criterion

    return [
        (
            c.position,
            c.code,
            c.parent.code if c.parent_id else None,
            c.text,
            c.kind,
            c.max_points,
            c.cap,
            c.step,
            c.points_per_occurrence,
            c.target,
            c.unit,
            c.below_target_factor,
            c.at_target_factor,
            c.guidance,
            c.evidence_required,
        )
        for c in Criterion.objects.filter(evaluation=evaluation)
        .select_related("parent")
        .order_by("position")
    ]


def xlsx_upload(rows, *, header=None, name="bang-tieu-chi.xlsx", title="Bảng tiêu chí"):
    """A workbook as a browser uploads it: a title row, ``header`` (the table's columns by
    default), then ``rows`` (lists of cell values)."""
    from openpyxl import Workbook

    from evaluations.table_file import HEADER

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([title])
    sheet.append(list(header or HEADER))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return upload(name, buffer.getvalue(), "application/vnd.ms-excel")


def line_fields(**overrides) -> dict:
    """The keyword arguments of ``criterion_create`` for a graded line (10 points)."""
    from decimal import Decimal

    fields = {"text": "Tiêu chí mới", "kind": "graded", "max_points": Decimal("10")}
    fields.update(overrides)
    return fields


def table_of(criteria: int, *, max_points: str = "1") -> list[tuple]:
    """A table (rows as in ``SMALL_TABLE``) of ``criteria`` graded criteria of
    ``max_points`` each, in sections of ten (for the query-count guards)."""
    rows = []
    for index in range(criteria):
        section = f"S{index // 10 + 1}"
        if index % 10 == 0:
            rows.append((section, None, "section", None, {}))
        rows.append((f"{section}.{index % 10 + 1}", section, "graded", max_points, {}))
    return rows


def assessment_url(assessment, name="assessment-detail", **extra):
    """The address of one of an assessment's pages (``evaluations:<name>``)."""
    from django.urls import reverse

    cluster_year = assessment.evaluation.cluster_year
    return reverse(
        f"evaluations:{name}",
        kwargs={
            "code": cluster_year.cluster.code,
            "year": cluster_year.year,
            "department": assessment.membership.department.code,
            **extra,
        },
    )


# ev-results: published results, written straight to the database (the publication service
# is ev-check's and has its own tests)


def results_published(evaluation, **fields):
    """Publish ``evaluation``'s results as computed now from its scores: one ``Result`` row
    per member, the evaluation in the published phase. Returns the evaluation."""
    from evaluations.models import Evaluation, Result
    from evaluations.selectors import results_compute

    rows = results_compute(evaluation=evaluation, final=True)
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
        for row in rows
    )
    fields.setdefault("published_at", timezone.now())
    Evaluation.objects.filter(pk=evaluation.pk).update(phase=Evaluation.Phase.PUBLISHED, **fields)
    evaluation.refresh_from_db()
    return evaluation


def results_url(evaluation, name="results-detail") -> str:
    """The URL of one of the results pages (``results-detail``, ``-csv``, ``-xlsx``,
    ``-pdf``) of ``evaluation``."""
    from django.urls import reverse

    cluster_year = evaluation.cluster_year
    return reverse(
        f"evaluations:{name}",
        kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year},
    )


# The Django admin as a browser uses it


def form_data(form) -> dict:
    """What a browser would post back for ``form`` unchanged."""
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        key, value = form.add_prefix(name), form[name].value()
        if isinstance(field.widget, forms.MultiWidget):
            parts = field.widget.decompress(value)
            for index, part in enumerate(parts):
                if isinstance(part, datetime.date | datetime.time):
                    part = part.isoformat()
                data[f"{key}_{index}"] = "" if part is None else part
        elif isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [getattr(v, "pk", v) for v in value]
        else:
            data[key] = "" if value is None else getattr(value, "pk", value)
    return data


def change_page_data(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    data = form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_data(formset.management_form))
        for form in formset.forms:
            data.update(form_data(form))
    return data


def committed(write):
    """Call ``write()`` and then what waits for its transaction's commit (the cache's new data
    version, e-mail), as when the request's transaction commits. The test's own transaction
    never commits, so without this nothing registered with ``on_commit`` would run.

    What the test wrote before is taken as committed before: its waiting callbacks run first
    and leave the queue, as a real commit would leave it (the data version is replaced once
    per transaction, so a callback still waiting from the set-up would stand for this write's).
    """
    from django.db import transaction
    from django.test import TestCase

    connection = transaction.get_connection()
    earlier, connection.run_on_commit = connection.run_on_commit, []
    for _savepoints, callback, _robust in earlier:
        callback()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return write()


def shell_output(code: str, **env) -> str:
    """The last line printed by ``code`` run in a fresh ``manage.py shell`` (another process,
    as another app server would be), with ``env`` added to the environment."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": "sqlite://",
        **env,
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


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


# "Việc của tôi" and notifications


def todo_of(user) -> list:
    """The items of the user's to-do list, as the dashboard computes them."""
    from members import selectors as member_selectors

    years = member_selectors.todo_cluster_years_for(user=user)
    attention = member_selectors.attention_items_for(user=user, cluster_years=years)
    return [
        entry.item
        for entry in member_selectors.todo_entries(cluster_years=years, attention=attention)
    ]


def todo_kinds(user) -> list[str]:
    """The kinds of the user's to-do items, in order (status lines have no kind)."""
    return [item.kind for item in todo_of(user) if item.kind]


def charter_open_for_comments(world):
    """A charter version of ``world.year_a`` with one article, open for comments."""
    from plans import services as plan_services

    version = plan_services.charter_version_create(
        cluster_year=world.year_a,
        title="Quy chế tổ chức và hoạt động của Cụm",
        by=world.secretariat,
    )
    plan_services.charter_article_create(
        version=version,
        number=1,
        heading="Phạm vi",
        body="Quy chế này quy định…",
        by=world.secretariat,
    )
    return plan_services.charter_version_open(version=version, by=world.secretariat)


# Ballots: closing and counting (part C). Ballots and votes are written straight to the
# database here, as the setup and voting services (parts S and V) write them.


def counting_ballot_for(
    cluster_year, *, by, state="open", method="electronic", candidates=None, **fields
):
    """A ballot of ``cluster_year``'s closing conference (13 December), in ``state``, with
    ``candidates`` (departments, in order; default every member in the year's order)."""
    from ballots.models import Ballot, Candidate
    from plans.models import Activity, WorkPlan

    plan = WorkPlan.objects.filter(cluster_year=cluster_year).first() or WorkPlanFactory(
        cluster_year=cluster_year
    )
    conference = ActivityFactory(
        work_plan=plan,
        kind=Activity.Kind.CLOSING_CONFERENCE,
        title=f"Hội nghị tổng kết công tác thi đua, khen thưởng năm {cluster_year.year}",
        starts_on=datetime.date(cluster_year.year, 12, 13),
    )
    fields.setdefault("question", f"Bầu Cụm trưởng năm {cluster_year.year + 1}")
    ballot = Ballot.objects.create(
        conference=conference,
        cluster_year=cluster_year,
        method=method,
        state=state,
        created_by=by,
        opened_at=None if state == "draft" else timezone.now(),
        **fields,
    )
    memberships = list(cluster_year.memberships.order_by("sort_key"))
    if candidates is not None:
        by_department = {m.department_id: m for m in memberships}
        memberships = [by_department[d.pk] for d in candidates]
    Candidate.objects.bulk_create(
        Candidate(ballot=ballot, membership=m, position=i)
        for i, m in enumerate(memberships, start=1)
    )
    return ballot


def counting_candidate(ballot, department):
    """The candidate of ``ballot`` that is ``department``."""
    return ballot.candidates.get(membership__department=department)


def counting_attend(ballot, *departments) -> None:
    """Record ``departments`` as attending the ballot's conference."""
    from plans.models import Attendee

    for dept in departments:
        Attendee.objects.create(
            activity=ballot.conference, kind=Attendee.Kind.MEMBER, department=dept
        )


def counting_papers_cast(ballot, *papers) -> list[str]:
    """Papers cast as the voting service leaves them: one voter-roll row per paper (the
    year's members in order) and one sealed paper per list of chosen departments (a list
    may name a non-candidate id as an int, or be empty: an invalid paper). Returns the
    receipt codes."""
    from ballots.crypto import paper_seal, receipt_code_new, receipt_digest
    from ballots.models import BallotPaper, BallotVoter

    ids = {c.membership.department_id: c.pk for c in ballot.candidates.select_related("membership")}
    memberships = list(ballot.cluster_year.memberships.order_by("sort_key"))
    codes = []
    for membership, chosen in zip(memberships, papers, strict=False):
        BallotVoter.objects.create(ballot=ballot, membership=membership, cast_by=ballot.created_by)
        choices = [c if isinstance(c, int) else ids[c.pk] for c in chosen]
        code = receipt_code_new()
        BallotPaper.objects.create(
            ballot=ballot,
            sealed=paper_seal(ballot_id=ballot.pk, choices=choices),
            receipt_digest=receipt_digest(ballot_id=ballot.pk, code=code),
        )
        codes.append(code)
    assert len(codes) == len(papers), "more papers than members"
    return codes


def counting_paper_figures(ballot, *, issued, returned, valid, invalid, votes, by) -> None:
    """The count committee's figures of a paper ballot, and ``votes`` (department → votes)
    on its candidates, as the secretariat enters them."""
    from ballots.models import PaperCount

    PaperCount.objects.create(
        ballot=ballot,
        committee="Ông Nguyễn Văn An - Trưởng ban\nBà Trần Thị Bình - Ủy viên",
        issued=issued,
        returned=returned,
        valid=valid,
        invalid=invalid,
        entered_by=by,
        entered_at=timezone.now(),
    )
    for dept, count in votes.items():
        ballot.candidates.filter(membership__department=dept).update(votes=count)


# The Ministry's side of the award dossiers (i15 part M). Dossiers and proposals are written
# straight to the database: assembling and sending them is the dossier services' work, with
# tests of their own.


def ministry_dossier(cluster_year, *proposals, state="sent", version=1, **fields):
    """A dossier of ``cluster_year`` in ``state`` (``"sent"`` by default, sent on 10/12 of
    its year) with one proposal per ``(department, award, rank, total, vote_share)``;
    ``award`` is a ``Proposal.Award`` value. Returns the dossier."""
    from decimal import Decimal

    from dossiers.models import Dossier, Proposal

    if state != Dossier.State.DRAFT:
        moment = timezone.make_aware(datetime.datetime(cluster_year.year, 12, 10, 9, 0))
        fields.setdefault("issued_at", moment)
        if state in (Dossier.State.SENT, Dossier.State.RETURNED):
            fields.setdefault("sent_at", moment)
    if state == Dossier.State.RETURNED:
        fields.setdefault("return_reason", "Thiếu biên bản kiểm phiếu.")
        fields.setdefault("returned_at", fields["sent_at"] + datetime.timedelta(days=5))
    dossier = Dossier.objects.create(
        cluster_year=cluster_year, state=state, version=version, **fields
    )
    for dept, award, rank, total, share in proposals:
        Proposal.objects.create(
            dossier=dossier,
            membership=cluster_year.memberships.get(department=dept),
            award=award,
            rank=rank,
            total=None if total is None else Decimal(str(total)),
            vote_share=None if share is None else Decimal(str(share)),
        )
    return dossier


def ministry_may_decide(user):
    """Grant ``user`` the permission to record the Ministry council's award decisions;
    returns the user fetched again (Django caches permissions on the object)."""
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="dossiers", codename="record_award_decision")
    )
    return User.objects.get(pk=user.pk)


def ministry_clusters(count: int, year: int = WORLD_YEAR) -> list:
    """``count`` cluster years of ``year``, each of a leader and two members, every one
    with a sent dossier proposing its leader for the Government's flag (rank 1) and a
    member for the Ministry's flag (rank 2). Returns the cluster years."""
    from dossiers.models import Proposal
    from tests.factories import ClusterFactory

    years = []
    for _ in range(count):
        departments = [DepartmentFactory() for _ in range(3)]
        cluster_year = cluster_year_with(
            ClusterFactory(), year, leader=departments[0], members=departments[1:]
        )
        ministry_dossier(
            cluster_year,
            (departments[0], Proposal.Award.GOVERNMENT_FLAG, 1, "98.5", "90.91"),
            (departments[1], Proposal.Award.MINISTRY_FLAG, 2, "96", "72.73"),
        )
        years.append(cluster_year)
    return years


# Ballots: next year's leadership (L)


def leadership_ballot(
    cluster_year,
    *,
    chosen,
    others=(),
    kind="leader",
    state="counted",
    has_tie=False,
    quorum_met=True,
    by=None,
):
    """A leader (or ``kind="deputy"``) election at ``cluster_year``'s closing conference,
    written straight to the database as counted (unless ``state`` says otherwise):
    ``chosen`` (a department, or None) won with all votes but one for each of ``others``.
    For tests of what the confirmed result does; the count itself is the counting's."""
    from ballots.models import Ballot, Candidate
    from tests.factories import UserFactory

    memberships = {m.department_id: m for m in cluster_year.memberships.all()}
    from plans.models import WorkPlan

    work_plan = WorkPlan.objects.filter(cluster_year=cluster_year).first()
    conference = ActivityFactory(
        work_plan=work_plan or WorkPlanFactory(cluster_year=cluster_year),
        kind="closing_conference",
        title=f"Hội nghị tổng kết năm {cluster_year.year}",
        starts_on=datetime.date(cluster_year.year, 12, 12),
    )
    counted = state == "counted"
    eligible = len(memberships)
    ballot = Ballot.objects.create(
        conference=conference,
        cluster_year=cluster_year,
        kind=kind,
        question=f"Bầu Cụm {'trưởng' if kind == 'leader' else 'phó'} năm {cluster_year.year + 1}",
        state=state,
        created_by=by or UserFactory(site_admin=True),
        eligible=eligible if counted else None,
        present=eligible if counted else None,
        issued=eligible if counted else None,
        cast=eligible if counted else None,
        valid=eligible if counted else None,
        invalid=0 if counted else None,
        quorum_met=quorum_met if counted else None,
        has_tie=has_tie,
    )
    departments = [d for d in [chosen, *others] if d is not None]
    for position, department in enumerate(departments, start=1):
        is_chosen = chosen is not None and department.pk == chosen.pk
        votes = eligible - len(others) if is_chosen else 1
        Candidate.objects.create(
            ballot=ballot,
            membership=memberships[department.pk],
            position=position,
            votes=votes if counted else None,
            chosen=counted and is_chosen,
        )
    return ballot


# Ballots: setup (i15-setup), through the services of ballots.services.setup


def ballot_setup_conference(cluster_year, **fields):
    """The closing conference of ``cluster_year`` (13 December, unless ``fields`` say
    otherwise), in the year's work plan (created if the year has none)."""
    from plans.models import Activity, WorkPlan

    plan = WorkPlan.objects.filter(cluster_year=cluster_year).first()
    if plan is None:
        plan = WorkPlanFactory(cluster_year=cluster_year)
    fields.setdefault("starts_on", datetime.date(cluster_year.year, 12, 13))
    fields.setdefault("title", f"Hội nghị tổng kết công tác thi đua năm {cluster_year.year}")
    fields.setdefault("kind", Activity.Kind.CLOSING_CONFERENCE)
    return ActivityFactory(work_plan=plan, **fields)


def ballot_setup_draft(cluster_year, by, *, conference=None, candidates=None, **fields):
    """A draft ballot of the year's closing conference, prepared by ``by``: every member a
    candidate unless ``candidates`` says, one choice, electronic, the charter's rules."""
    from ballots.models import Ballot
    from ballots.services.setup import ballot_create

    if conference is None:
        conference = ballot_setup_conference(cluster_year)
    if candidates is None:
        candidates = list(cluster_year.memberships.all())
    fields.setdefault("kind", Ballot.Kind.GOVERNMENT_FLAG)
    fields.setdefault("question", "Suy tôn đơn vị dẫn đầu Cụm đề nghị Cờ thi đua của Chính phủ")
    fields.setdefault("min_choices", 1)
    fields.setdefault("max_choices", 1)
    fields.setdefault("method", Ballot.Method.ELECTRONIC)
    return ballot_create(conference=conference, candidates=candidates, by=by, **fields)


def ballot_setup_opened(cluster_year, by, **fields):
    """A ballot prepared as ``ballot_setup_draft`` and opened by ``by``."""
    from ballots.services.setup import ballot_open

    return ballot_open(ballot=ballot_setup_draft(cluster_year, by, **fields), by=by)


# Ballots: voting (i15-voting)


def ballot_open_for(
    cluster_year, *, created_by, present=None, candidates=None, state="open", **fields
):
    """An electronic ballot of ``cluster_year``'s closing conference, open unless told,
    written straight to the database: ``present`` are the departments recorded as
    attending (every member by default), ``candidates`` the departments on the ballot
    (every member by default, in membership order)."""
    from ballots.models import Ballot, Candidate
    from plans.models import Activity, Attendee, WorkPlan

    memberships = list(cluster_year.memberships.order_by("sort_key", "id"))
    plan = WorkPlan.objects.filter(cluster_year=cluster_year).first()
    conference = ActivityFactory(
        work_plan=plan or WorkPlanFactory(cluster_year=cluster_year),
        kind=Activity.Kind.CLOSING_CONFERENCE,
        title=f"Hội nghị tổng kết công tác thi đua năm {cluster_year.year}",
    )
    attending = [m.department for m in memberships] if present is None else present
    for dept in attending:
        Attendee.objects.create(activity=conference, kind=Attendee.Kind.MEMBER, department=dept)
    ballot = Ballot.objects.create(
        conference=conference,
        cluster_year=cluster_year,
        kind=fields.pop("kind", Ballot.Kind.LEADER),
        question=fields.pop("question", f"Bầu Cụm trưởng năm {cluster_year.year + 1}"),
        state=state,
        created_by=created_by,
        opened_at=timezone.now() if state != "draft" else None,
        **fields,
    )
    on_ballot = (
        memberships
        if candidates is None
        else [m for m in memberships if m.department in set(candidates)]
    )
    for position, membership in enumerate(on_ballot, start=1):
        Candidate.objects.create(ballot=ballot, membership=membership, position=position)
    return ballot


def ballot_candidate(ballot, dept):
    """The candidate of ``ballot`` that is ``dept``."""
    return ballot.candidates.get(membership__department=dept)


def ballot_vote_as(ballot, user, *choices, password=PASSWORD, confirmed=True, meta=META):
    """``user`` votes on ``ballot`` for the departments ``choices`` through the service;
    returns the receipt code."""
    from ballots.services.voting import ballot_vote

    return ballot_vote(
        ballot=ballot,
        user=user,
        choices=[ballot_candidate(ballot, dept).pk for dept in choices],
        password=password,
        confirmed=confirmed,
        meta=meta,
    )


# Award dossiers (issue 15, D): a year ready for its dossier, written straight to the
# database (the ballots and the evaluation have their own services and tests)


def dossier_year_ready(world, *, chosen=("haiphong",)):
    """``world.year_a`` with what its dossier needs: a closing conference with attendees,
    published results, a counted award ballot choosing ``chosen`` (department codes) with
    its vote record. Returns the ballot."""
    from decimal import Decimal

    from django.core.files.base import ContentFile

    from ballots.models import Ballot, Candidate, VoteRecord
    from plans.models import Activity, Attendee

    year = world.year_a
    conference = ActivityFactory(
        work_plan=WorkPlanFactory(cluster_year=year),
        kind=Activity.Kind.CLOSING_CONFERENCE,
        title=f"Hội nghị tổng kết công tác thi đua năm {year.year}",
        starts_on=datetime.date(year.year, 12, 13),
        ends_on=datetime.date(year.year, 12, 13),
        venue="Hội trường Sở Nội vụ thành phố Hà Nội",
        agenda="Tổng kết công tác thi đua năm; bỏ phiếu kín đề nghị khen thưởng.",
        minutes_text="Hội nghị thống nhất thông qua báo cáo tổng kết.",
    )
    for dept in (world.hanoi, world.vinhphuc, world.haiphong, world.bacninh):
        Attendee.objects.create(
            activity=conference, kind="member", department=dept, is_chair=dept == world.hanoi
        )
    Attendee.objects.create(
        activity=conference, kind="guest", name="Trần Văn Khách", organisation="Bộ Nội vụ"
    )
    results_published(evaluation_for(year, phase="checking"), results_number="07/BC-CTĐ")
    ballot = Ballot.objects.create(
        conference=conference,
        cluster_year=year,
        kind=Ballot.Kind.MINISTRY_FLAG,
        question="Đề nghị tặng Cờ thi đua của Bộ Nội vụ",
        method=Ballot.Method.PAPER,
        state=Ballot.State.COUNTED,
        created_by=world.secretariat,
        eligible=4,
        present=4,
        issued=4,
        cast=4,
        valid=4,
        invalid=0,
        quorum_met=True,
    )
    memberships = {m.department.code: m for m in year.memberships.select_related("department")}
    for position, code in enumerate(["haiphong", "bacninh"], start=1):
        Candidate.objects.create(
            ballot=ballot,
            membership=memberships[code],
            position=position,
            rank=position,
            total=Decimal("95.50") - position,
            votes=3 if code in chosen else 1,
            share=Decimal("75.00") if code in chosen else Decimal("25.00"),
            reached_threshold=code in chosen,
            chosen=code in chosen,
        )
    record = VoteRecord(
        ballot=ballot, number="01/BB-CTĐ", sha256="0" * 64, size=1, issued_at=timezone.now()
    )
    record.file.save("record.pdf", ContentFile(minimal_pdf(b"vote record")), save=False)
    record.save()
    return ballot


def dossier_draft(world, **texts):
    """The draft dossier of ``world.year_a`` (``dossier_year_ready`` first), with its texts."""
    from dossiers.services.dossiers import dossier_create, dossier_update

    dossier = dossier_create(cluster_year=world.year_a, by=world.secretariat)
    return dossier_update(
        dossier=dossier,
        submission_text=texts.get(
            "submission_text",
            "Căn cứ kết quả chấm điểm và bỏ phiếu kín tại hội nghị tổng kết năm 2024.",
        ),
        signer_name=texts.get("signer_name", "Nguyễn Tất Sáng"),
        signer_title=texts.get("signer_title", "Cụm trưởng"),
        by=world.secretariat,
    )


def dossier_issued(world, dossier=None):
    """``dossier`` (or a new draft) issued at once, as the task does. Returns it, fresh."""
    from dossiers.models import Dossier
    from dossiers.services.issuing import dossier_assemble_run

    dossier = dossier or dossier_draft(world)
    dossier_assemble_run(dossier_id=dossier.pk, by_id=world.secretariat.pk)
    return Dossier.objects.get(pk=dossier.pk)
