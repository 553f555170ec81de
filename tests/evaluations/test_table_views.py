"""Pages of the hub, the criteria table and the phases: who may open each (a test per
role), what they show, and what posting them does."""

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations.models import Classification, Evaluation
from tests.helpers import (
    ROLES,
    cluster_year_with,
    evaluation_for,
    evaluation_page,
    table_snapshot,
    upload,
    utc,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db

ALL_ROLES = [*ROLES, "anonymous"]


def status_of(client, world, role, url, method="get", data=None):
    if role != "anonymous":
        client.force_login(world.user(role))
    response = getattr(client, method)(url, data or {})
    return response.status_code


# Who reads: the year's members, the secretariat, reviewers and admins; 404 for others.
READ = {
    "secretariat": 200,
    "signatory": 200,
    "staff": 200,
    "outsider": 404,
    "reviewer": 200,
    "site_admin": 200,
    "anonymous": 302,
}
# Who runs it: the secretariat and admins; 403 for those who see it, 404 for others.
MANAGE = {
    "secretariat": 200,
    "signatory": 403,
    "staff": 403,
    "outsider": 404,
    "reviewer": 403,
    "site_admin": 200,
    "anonymous": 302,
}


@pytest.fixture
def draft(world):
    evaluation = evaluation_for(world.year_a, adopted=False)
    Classification.objects.create(evaluation=evaluation, label="Xuất sắc", min_total=28)
    return evaluation


@pytest.fixture
def open_evaluation(world):
    return evaluation_for(world.year_a, self_assessment_deadline=utc(2099, 11, 20, 10))


READ_PAGES = ["evaluation-detail", "table-detail", "table-export"]
DRAFT_PAGES = [
    "table-line-create",
    "table-copy",
    "table-settings",
    "table-import",
    "table-adopt",
    "table-classification-create",
    "evaluation-dates",
    "phase-self-assessment",
]
LINE_PAGES = ["table-line-update", "table-line-delete"]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("page", READ_PAGES)
def test_who_reads_the_evaluation_pages(client, world, draft, page, role):
    assert status_of(client, world, role, evaluation_page(draft, page)) == READ[role]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("page", DRAFT_PAGES)
def test_who_opens_the_pages_that_prepare_the_evaluation(client, world, draft, page, role):
    assert status_of(client, world, role, evaluation_page(draft, page)) == MANAGE[role]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("page", LINE_PAGES)
def test_who_opens_the_pages_of_a_line(client, world, draft, page, role):
    url = evaluation_page(draft, page, pk=draft.criteria.get(code="I.2").pk)
    assert status_of(client, world, role, url) == MANAGE[role]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_removes_a_classification(client, world, draft, role):
    url = evaluation_page(draft, "table-classification-delete", pk=draft.classifications.get().pk)
    assert status_of(client, world, role, url) == MANAGE[role]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("page", ["phase-checking", "deadline-extend"])
def test_who_opens_the_pages_of_an_open_self_assessment(client, world, open_evaluation, page, role):
    extra = {"department": "haiphong"} if page == "deadline-extend" else {}
    url = evaluation_page(open_evaluation, page, **extra)
    assert status_of(client, world, role, url) == MANAGE[role]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_moves_a_line(client, world, draft, role):
    url = evaluation_page(draft, "table-line-move", pk=draft.criteria.get(code="I.2").pk)
    expected = {**MANAGE, "secretariat": 302, "site_admin": 302}[role]
    assert status_of(client, world, role, url, "post", {"direction": "up"}) == expected


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_starts_an_evaluation(client, world, role):
    url = reverse(
        "evaluations:evaluation-start", kwargs={"code": "bac-bo", "year": world.year_a.year}
    )
    assert status_of(client, world, role, url) == MANAGE[role]


def test_a_line_of_another_evaluation_is_not_found(client, world, draft):
    other = evaluation_for(world.year_b, adopted=False)
    client.force_login(world.secretariat)
    url = evaluation_page(draft, "table-line-update", pk=other.criteria.first().pk)
    assert client.get(url).status_code == 404


def test_a_year_without_an_evaluation_has_no_hub(client, world):
    client.force_login(world.secretariat)
    url = reverse("evaluations:evaluation-detail", kwargs={"code": "bac-bo", "year": 2024})
    assert client.get(url).status_code == 404


# Starting


def test_the_secretariat_starts_the_evaluation_from_the_year_page(client, world):
    client.force_login(world.secretariat)
    page = client.get(world.year_a.get_absolute_url()).content.decode()
    start = reverse("evaluations:evaluation-start", kwargs={"code": "bac-bo", "year": 2024})
    assert start in page
    response = client.post(start)
    evaluation = Evaluation.objects.get(cluster_year=world.year_a)
    assert (response.status_code, response.url, evaluation.phase) == (
        302,
        evaluation.get_absolute_url(),
        Evaluation.Phase.DRAFT,
    )


def test_a_member_sees_no_start_link_on_the_year_page(client, world):
    client.force_login(world.staff)
    page = client.get(world.year_a.get_absolute_url()).content.decode()
    assert "/evaluations/" not in page


def test_the_year_page_links_to_the_hub_once_started(client, world, draft):
    client.force_login(world.staff)
    page = client.get(world.year_a.get_absolute_url()).content.decode()
    assert draft.get_absolute_url() in page


# The hub


def test_the_hub_lists_every_members_assessment_for_the_secretariat(client, world, open_evaluation):
    client.force_login(world.secretariat)
    page = client.get(open_evaluation.get_absolute_url()).content.decode()
    assert (
        all(m.short_name in page for m in world.year_a.memberships.all()) and "Đã nộp 0/4." in page
    )


def test_the_hub_lists_only_its_own_assessment_for_a_member(client, world, open_evaluation):
    client.force_login(world.staff)
    page = client.get(open_evaluation.get_absolute_url()).content.decode()
    names = {m.department.code: m.short_name for m in world.year_a.memberships.all()}
    assert (names["haiphong"] in page, names["bacninh"] in page) == (True, False)


def test_the_hub_shows_the_deadline_with_its_zone(client, world, open_evaluation):
    client.force_login(world.staff)
    page = client.get(open_evaluation.get_absolute_url()).content.decode()
    assert "17:00 20/11/2099 (GMT+7)" in page


def test_the_hub_shows_the_maximum_of_each_section(client, world, draft):
    client.force_login(world.staff)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Tiêu chí II" in page and ">30<" in page.replace(" ", "")


def test_the_hub_offers_the_phase_actions_to_the_secretariat_only(client, world, draft):
    url = evaluation_page(draft, "phase-self-assessment")
    client.force_login(world.secretariat)
    assert url in client.get(draft.get_absolute_url()).content.decode()
    client.force_login(world.reviewer)
    assert url not in client.get(draft.get_absolute_url()).content.decode()


# The table page


def test_the_table_page_shows_every_line_with_its_kind_and_maximum(client, world, draft):
    client.force_login(world.staff)
    page = client.get(evaluation_page(draft, "table-detail")).content.decode()
    assert all(f"Tiêu chí {c.code}" in page for c in draft.criteria.all())


def test_the_table_page_offers_editing_to_the_secretariat_while_in_draft(client, world, draft):
    client.force_login(world.secretariat)
    page = client.get(evaluation_page(draft, "table-detail")).content.decode()
    assert evaluation_page(draft, "table-line-create") in page


def test_the_adopted_table_page_offers_no_editing(client, world, open_evaluation):
    client.force_login(world.secretariat)
    page = client.get(evaluation_page(open_evaluation, "table-detail")).content.decode()
    assert evaluation_page(open_evaluation, "table-line-create") not in page


def test_an_edit_page_of_an_adopted_table_sends_back_to_the_table_with_the_reason(
    client, world, open_evaluation
):
    client.force_login(world.secretariat)
    response = client.get(evaluation_page(open_evaluation, "table-line-create"), follow=True)
    assert response.redirect_chain[-1][0] == evaluation_page(open_evaluation, "table-detail")
    assert "không thể thay đổi nữa" in response.content.decode()


def test_adding_a_line_through_the_form(client, world, draft):
    client.force_login(world.secretariat)
    response = client.post(
        evaluation_page(draft, "table-line-create"),
        {
            "parent": draft.criteria.get(code="I").pk,
            "code": "I.5",
            "text": "Cải cách hành chính",
            "kind": "graded",
            "max_points": "5",
            "below_target_factor": "0.5",
            "at_target_factor": "0.5",
        },
    )
    assert response.status_code == 302
    assert draft.criteria.get(code="I.5").max_points == Decimal("5.00")


def test_a_refused_line_is_shown_on_the_form_with_nothing_lost(client, world, draft):
    client.force_login(world.secretariat)
    response = client.post(
        evaluation_page(draft, "table-line-create"),
        {
            "parent": draft.criteria.get(code="I").pk,
            "code": "I.1",
            "text": "Trùng mã",
            "kind": "graded",
            "max_points": "5",
            "below_target_factor": "0.5",
            "at_target_factor": "0.5",
        },
    )
    page = response.content.decode()
    assert (response.status_code, "Một dòng khác của bảng đã dùng mã I.1." in page) == (
        200,
        True,
    ) and "Trùng mã" in page


def test_moving_a_line_through_the_page(client, world, draft):
    client.force_login(world.secretariat)
    client.post(
        evaluation_page(draft, "table-line-move", pk=draft.criteria.get(code="I.2").pk),
        {"direction": "up"},
    )
    assert [row[1] for row in table_snapshot(draft)][1:3] == ["I.2", "I.1"]


def test_the_export_is_an_excel_download(client, world, draft):
    client.force_login(world.staff)
    response = client.get(evaluation_page(draft, "table-export"))
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        'attachment; filename="bang-tieu-chi-bac-bo-2024.xlsx"',
    )


def test_a_refused_import_names_the_rows_on_the_page(client, world, draft):
    client.force_login(world.secretariat)
    before = table_snapshot(draft)
    response = client.post(
        evaluation_page(draft, "table-import"),
        {"file": xlsx_upload([["I", "Phần I", "Mục"], ["I.1", "Tiêu chí", "Lạ", 5]])},
    )
    assert "Dòng 4 (I.1): loại “Lạ” không hợp lệ" in response.content.decode()
    assert table_snapshot(draft) == before


def test_an_import_through_the_page_replaces_the_table(client, world, draft):
    client.force_login(world.secretariat)
    client.post(
        evaluation_page(draft, "table-import"),
        {"file": xlsx_upload([["A", "Phần A", "Mục"], ["A.1", "Tiêu chí", "Có/Không", 5]])},
    )
    assert [row[1] for row in table_snapshot(draft)] == ["A", "A.1"]


def test_the_adoption_page_lists_what_stops_it(client, world):
    evaluation = evaluation_for(
        world.year_a, table=[("I", None, "section", None, {})], adopted=False
    )
    client.force_login(world.secretariat)
    page = client.get(evaluation_page(evaluation, "table-adopt")).content.decode()
    assert "Mục I chưa có tiêu chí nào." in page


def test_adopting_through_the_page(client, world, draft):
    client.force_login(world.secretariat)
    client.post(evaluation_page(draft, "table-adopt"))
    draft.refresh_from_db()
    assert draft.table_is_frozen


# Phases through the pages


def test_opening_self_assessment_through_the_page(client, world):
    evaluation = evaluation_for(
        world.year_a,
        phase=Evaluation.Phase.DRAFT,
        self_assessment_deadline=utc(2099, 11, 20, 10),
    )
    client.force_login(world.secretariat)
    client.post(evaluation_page(evaluation, "phase-self-assessment"))
    evaluation.refresh_from_db()
    assert evaluation.phase == Evaluation.Phase.SELF_ASSESSMENT


def test_opening_without_a_deadline_shows_the_reason(client, world):
    evaluation = evaluation_for(world.year_a, phase=Evaluation.Phase.DRAFT)
    client.force_login(world.secretariat)
    response = client.post(evaluation_page(evaluation, "phase-self-assessment"))
    assert "Hãy đặt hạn nộp bản tự chấm điểm" in response.content.decode()


def test_setting_the_dates_through_the_form_reads_vietnam_time(client, world, draft):
    client.force_login(world.secretariat)
    client.post(
        evaluation_page(draft, "evaluation-dates"),
        {
            "self_assessment_deadline": "2099-11-20T17:00",
            "checking_deadline": "2099-11-30T17:00",
            "publication_date": "2099-12-15",
        },
    )
    draft.refresh_from_db()
    assert draft.self_assessment_deadline == utc(2099, 11, 20, 10)


def test_moving_to_checking_through_the_page(client, world, open_evaluation):
    client.force_login(world.secretariat)
    client.post(evaluation_page(open_evaluation, "phase-checking"))
    open_evaluation.refresh_from_db()
    assert open_evaluation.phase == Evaluation.Phase.CHECKING


def test_extending_a_deadline_through_the_form(client, world, open_evaluation):
    client.force_login(world.secretariat)
    client.post(
        evaluation_page(open_evaluation, "deadline-extend", department="haiphong"),
        {"until": "2099-11-25T17:00", "reason": "Sáp nhập đơn vị"},
    )
    assessment = open_evaluation.assessments.get(membership__department=world.haiphong)
    assert assessment.deadline_extended_to == utc(2099, 11, 25, 10)


def test_extending_the_deadline_of_a_non_member_is_not_found(client, world, open_evaluation):
    client.force_login(world.secretariat)
    url = evaluation_page(open_evaluation, "deadline-extend", department="quangninh")
    assert client.get(url).status_code == 404


def test_the_extension_shows_on_the_hub(client, world, open_evaluation):
    open_evaluation.assessments.filter(membership__department=world.haiphong).update(
        deadline_extended_to=utc(2099, 11, 25, 10)
    )
    client.force_login(world.staff)
    page = client.get(open_evaluation.get_absolute_url()).content.decode()
    assert "17:00 25/11/2099 (GMT+7)" in page


@pytest.fixture
def last_year(world):
    previous = cluster_year_with(
        world.cluster_a, world.year_a.year - 1, leader=world.hanoi, members=[world.haiphong]
    )
    return evaluation_for(previous, phase=Evaluation.Phase.PUBLISHED)


def test_the_copy_page_names_the_year_it_copies_from(client, world, draft, last_year):
    client.force_login(world.secretariat)
    page = client.get(evaluation_page(draft, "table-copy")).content.decode()
    assert "Bảng năm 2023, cùng các mức xếp loại và thiết lập" in page


def test_copying_over_a_table_without_ticking_the_box_says_so(client, world, draft, last_year):
    client.force_login(world.secretariat)
    response = client.post(evaluation_page(draft, "table-copy"))
    assert "hãy xác nhận để bản sao thay thế chúng" in response.content.decode()


def test_copying_with_the_box_ticked_replaces_the_table(client, world, draft, last_year):
    draft.criteria.filter(code="III.1").delete()
    client.force_login(world.secretariat)
    client.post(evaluation_page(draft, "table-copy"), {"replace": "on"})
    assert table_snapshot(draft) == table_snapshot(last_year)


def test_the_downloaded_export_imported_through_the_page_gives_the_same_table(client, world, draft):
    other = evaluation_for(world.year_b, table=[], adopted=False)
    client.force_login(world.staff)
    content = client.get(evaluation_page(draft, "table-export")).content
    client.force_login(world.outsider)  # staff of Quảng Ninh, which leads cluster B
    client.post(
        evaluation_page(other, "table-import"),
        {"file": upload("bang-tieu-chi.xlsx", content)},
    )
    assert table_snapshot(other) == table_snapshot(draft)


@pytest.mark.parametrize("role", ["signatory", "staff", "reviewer"])
def test_the_draft_table_page_offers_no_editing_to_readers(client, world, draft, role):
    client.force_login(world.user(role))
    page = client.get(evaluation_page(draft, "table-detail")).content.decode()
    assert evaluation_page(draft, "table-line-create") not in page
