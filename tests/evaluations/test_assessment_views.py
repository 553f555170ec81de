"""The self-assessment pages over HTTP: who may open each page (a test per role), what the
forms do with good and bad input, evidence files served only to those who may see them, and
the query-count guards."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from evaluations import services
from evaluations.models import Assessment, Evaluation, Evidence, Score
from tests.factories import ActivityFactory, UserFactory, WorkPlanFactory
from tests.helpers import (
    FULL_ENTRIES,
    PASSWORD,
    assert_same_count,
    assessment_of,
    assessment_url,
    cluster_year_with,
    evaluation_for,
    open_self_assessment,
    pdf,
    queries_for,
    return_assessment,
    save_lines,
    submit_assessment,
    table_of,
    upload,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "staff",
    "signatory",
    "other_member",
    "secretariat",
    "reviewer",
    "outsider",
    "site_admin",
    "anonymous",
]


@pytest.fixture
def assessment(world):
    return open_self_assessment(world)


@pytest.fixture
def people(world):
    """``world``'s users by role, plus staff of another member of the same cluster year."""
    other = UserFactory(username="chuyenvien.bacninh", department=world.bacninh)
    return {role: other if role == "other_member" else world.user(role) for role in ROLES}


def status(client, user, url, method="get", data=None):
    if user.is_authenticated:
        client.force_login(user)
    response = getattr(client, method)(url, data or {})
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return response.status_code


def fresh(assessment) -> Assessment:
    return Assessment.objects.get(pk=assessment.pk)


def score(assessment, code) -> Score:
    return Score.objects.get(assessment=assessment, criterion__code=code)


def evidence_file(assessment, user):
    score_ = Score.objects.select_related("criterion", "assessment").get(
        assessment=assessment, criterion__code="I.1"
    )
    return services.evidence_add(score=score_, by=user, upload=pdf("bien-ban.pdf"))


# Who may open each page


DETAIL = {
    "staff": 200,
    "signatory": 200,
    "other_member": 404,
    "secretariat": 200,
    "reviewer": 200,
    "outsider": 404,
    "site_admin": 200,
    "anonymous": "login",
}
EDIT = {**DETAIL, "secretariat": 403, "reviewer": 403, "site_admin": 403}
SUBMIT = {**EDIT, "staff": 403}
RETURN = {
    **DETAIL,
    "staff": 403,
    "signatory": 403,
    "reviewer": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_the_assessment_page_is_shown_to_whoever_may_see_it(client, people, assessment, role):
    assert status(client, people[role], assessment_url(assessment)) == DETAIL[role]


@pytest.mark.parametrize("role", ROLES)
def test_the_edit_page_is_for_the_departments_own_users(client, people, assessment, role):
    assert status(client, people[role], assessment_url(assessment, "assessment-edit")) == EDIT[role]


@pytest.mark.parametrize("role", ROLES)
def test_saving_is_for_the_departments_own_users(client, people, assessment, role):
    url = assessment_url(assessment, "assessment-edit")
    data = {"version": "1", f"value_{score(assessment, 'I.1').pk}": "5"}
    expected = {**EDIT, "staff": 302, "signatory": 302}[role]
    assert status(client, people[role], url, "post", data) == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_submit_page_is_for_the_signatory(client, people, assessment, role):
    url = assessment_url(assessment, "assessment-submit")
    assert status(client, people[role], url) == SUBMIT[role]


@pytest.mark.parametrize("role", ROLES)
def test_the_return_page_is_for_the_secretariat(client, people, world, assessment, role):
    save_lines(assessment, world.staff, **FULL_ENTRIES)
    submit_assessment(assessment, world.signatory)
    url = assessment_url(assessment, "assessment-return")
    assert status(client, people[role], url) == RETURN[role]


@pytest.mark.parametrize("role", ROLES)
def test_submitting_is_for_the_signatory(client, people, world, assessment, role):
    save_lines(assessment, world.staff, **FULL_ENTRIES)
    url = assessment_url(assessment, "assessment-submit")
    data = {"confirm": "on", "password": PASSWORD}
    expected = {**SUBMIT, "signatory": 302}[role]
    assert status(client, people[role], url, "post", data) == expected
    submitted = fresh(assessment).state == Assessment.State.SUBMITTED
    assert submitted == (role == "signatory")


@pytest.mark.parametrize("role", ROLES)
def test_returning_is_for_the_secretariat(client, people, world, assessment, role):
    save_lines(assessment, world.staff, **FULL_ENTRIES)
    submit_assessment(assessment, world.signatory)
    url = assessment_url(assessment, "assessment-return")
    expected = {**RETURN, "secretariat": 302, "site_admin": 302}[role]
    assert status(client, people[role], url, "post", {"reason": "Thiếu minh chứng."}) == expected
    returned = fresh(assessment).state == Assessment.State.DRAFT
    assert returned == (role in ("secretariat", "site_admin"))


@pytest.mark.parametrize("role", ROLES)
def test_adding_evidence_is_for_the_departments_own_users(client, people, assessment, role):
    url = assessment_url(assessment, "evidence-add")
    data = evidence_data(assessment, source="link", link="/plans/calendar/")
    expected = {**EDIT, "staff": 302, "signatory": 302}[role]
    assert status(client, people[role], url, "post", data) == expected
    assert Evidence.objects.exists() == (role in ("staff", "signatory"))


@pytest.mark.parametrize("role", ROLES)
def test_the_evidence_form_is_for_the_departments_own_users(client, people, assessment, role):
    url = assessment_url(assessment, "evidence-add")
    assert status(client, people[role], url) == EDIT[role]


@pytest.mark.parametrize("role", ROLES)
def test_an_evidence_file_is_served_to_whoever_may_see_the_assessment(
    client, people, world, assessment, role
):
    evidence = evidence_file(assessment, world.staff)
    url = assessment_url(assessment, "evidence-file", pk=evidence.pk)
    assert status(client, people[role], url) == DETAIL[role]


@pytest.mark.parametrize("role", ROLES)
def test_removing_evidence_is_for_the_departments_own_users(
    client, people, world, assessment, role
):
    evidence = evidence_file(assessment, world.staff)
    url = assessment_url(assessment, "evidence-remove", pk=evidence.pk)
    assert status(client, people[role], url) == EDIT[role]


def test_a_submitted_assessment_is_no_longer_editable_in_the_browser(client, world, assessment):
    save_lines(assessment, world.staff, **FULL_ENTRIES)
    submit_assessment(assessment, world.signatory)
    assert status(client, world.staff, assessment_url(assessment, "assessment-edit")) == 403


def test_after_the_deadline_the_edit_page_is_refused(client, world, assessment):
    Evaluation.objects.filter(pk=assessment.evaluation_id).update(
        self_assessment_deadline=timezone.now() - timezone.timedelta(minutes=1)
    )
    assert status(client, world.staff, assessment_url(assessment, "assessment-edit")) == 403


def test_evidence_of_another_assessment_is_not_found_under_this_one(client, world, assessment):
    other = assessment_of(assessment.evaluation, world.bacninh)
    bacninh = UserFactory(department=world.bacninh)
    evidence = evidence_file(other, bacninh)
    url = assessment_url(assessment, "evidence-file", pk=evidence.pk)
    assert status(client, world.staff, url) == 404


# The pages' content


def test_the_page_shows_sections_scores_and_the_provisional_total(client, world, assessment):
    save_lines(assessment, world.staff, **FULL_ENTRIES)
    client.force_login(world.staff)
    html = client.get(assessment_url(assessment)).content.decode()
    assert "24,50" in html  # 19.5 + bonus capped at 5
    assert "Giải trình tiêu chí I.1" in html
    assert 'id="line-II"' in html


def test_the_page_shows_the_deadline_with_its_zone(client, world, assessment):
    client.force_login(world.staff)
    html = client.get(assessment_url(assessment)).content.decode()
    deadline = timezone.localtime(assessment.evaluation.self_assessment_deadline)
    assert f"{deadline:%H:%M %d/%m/%Y} (GMT+7)" in html


def test_the_page_tells_the_department_when_the_deadline_has_passed(client, world, assessment):
    Evaluation.objects.filter(pk=assessment.evaluation_id).update(
        self_assessment_deadline=timezone.now() - timezone.timedelta(minutes=1)
    )
    client.force_login(world.signatory)
    response = client.get(assessment_url(assessment))
    assert response.context["refusal"][0] == "past_deadline"
    assert "editing-refusal" in response.content.decode()


def test_the_page_shows_who_submitted_and_the_return_reason(client, world, assessment):
    save_lines(assessment, world.staff, **FULL_ENTRIES)
    submit_assessment(assessment, world.signatory)
    return_assessment(assessment, world.secretariat, reason="Bổ sung minh chứng.")
    client.force_login(world.staff)
    html = client.get(assessment_url(assessment)).content.decode()
    assert "Bổ sung minh chứng." in html
    assert world.signatory.get_full_name() in html


# Saving in the browser


def edit_data(assessment, version=1, **values):
    data = {"version": str(version), "report": ""}
    for code, value in values.items():
        data[f"value_{score(assessment, code.replace('_', '.')).pk}"] = value
    return data


def test_saving_stores_the_lines_and_says_so(client, world, assessment):
    client.force_login(world.staff)
    url = assessment_url(assessment, "assessment-edit")
    response = client.post(url, edit_data(assessment, I_1="7,5", I_2="yes", I_3="2"), follow=True)
    assert (score(assessment, "I.1").self_points, score(assessment, "I.2").self_points) == (
        Decimal("7.50"),
        Decimal("5.00"),
    )
    assert score(assessment, "I.3").count == 2
    assert response.redirect_chain[-1][0] == url
    assert "alert-success" in response.content.decode()


def test_a_score_above_the_maximum_is_shown_on_its_line_and_nothing_saved(
    client, world, assessment
):
    client.force_login(world.staff)
    url = assessment_url(assessment, "assessment-edit")
    response = client.post(url, edit_data(assessment, I_1="12", II_1="2"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [f"value_{score(assessment, 'I.1').pk}"]
    assert (score(assessment, "II.1").self_points, fresh(assessment).version) == (None, 1)


def test_a_save_from_an_older_page_keeps_the_input_and_overwrites_nothing(
    client, world, assessment
):
    save_lines(assessment, world.signatory, I_1="5")
    client.force_login(world.staff)
    url = assessment_url(assessment, "assessment-edit")
    response = client.post(url, edit_data(assessment, version=1, I_1="9,25"))
    html = response.content.decode()
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["conflict"]
    assert 'value="9,25"' in html
    assert (score(assessment, "I.1").self_points, fresh(assessment).version) == (
        Decimal("5.00"),
        2,
    )


# Evidence in the browser


def evidence_data(assessment, **fields):
    return {"line": str(score(assessment, "I.1").pk), "title": "", **fields}


def test_uploading_a_file_adds_it_to_its_line(client, world, assessment):
    client.force_login(world.staff)
    response = client.post(
        assessment_url(assessment, "evidence-add"),
        evidence_data(assessment, source="file", file=pdf("quyet-dinh.pdf")),
    )
    assert response.status_code == 302
    assert Evidence.objects.get().score == score(assessment, "I.1")


def test_a_polyglot_upload_is_refused_on_the_form(client, world, assessment):
    client.force_login(world.staff)
    polyglot = upload("anh.jpg", b"\xff\xd8\xff\xe0<script>alert(1)</script>")
    response = client.post(
        assessment_url(assessment, "evidence-add"),
        evidence_data(assessment, source="file", file=polyglot),
    )
    assert "file" in response.context["form"].errors
    assert not Evidence.objects.exists()


def test_a_link_to_another_host_is_refused_on_the_form(client, world, assessment):
    client.force_login(world.staff)
    response = client.post(
        assessment_url(assessment, "evidence-add"),
        evidence_data(assessment, source="link", link="https://evil.example.com/"),
    )
    assert "link" in response.context["form"].errors
    assert not Evidence.objects.exists()


def test_an_activity_of_the_years_plan_is_offered_and_added(client, world, assessment):
    activity = ActivityFactory(work_plan=WorkPlanFactory(cluster_year=world.year_a))
    client.force_login(world.staff)
    url = assessment_url(assessment, "evidence-add")
    assert activity.title in client.get(url).content.decode()
    client.post(url, evidence_data(assessment, source="activity", activity=str(activity.pk)))
    assert Evidence.objects.get().activity == activity


def test_an_evidence_file_is_served_as_its_stored_type_without_sniffing(client, world, assessment):
    evidence = evidence_file(assessment, world.staff)
    client.force_login(world.secretariat)
    response = client.get(assessment_url(assessment, "evidence-file", pk=evidence.pk))
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == (
        "application/pdf",
        "nosniff",
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_removing_evidence_in_the_browser_deletes_it(client, world, assessment):
    evidence = evidence_file(assessment, world.staff)
    client.force_login(world.staff)
    response = client.post(assessment_url(assessment, "evidence-remove", pk=evidence.pk))
    assert response.status_code == 302
    assert not Evidence.objects.exists()


# Submitting and returning in the browser


def test_the_submit_page_names_the_lines_without_an_entry(client, world, assessment):
    save_lines(assessment, world.staff, I_1="5")
    client.force_login(world.signatory)
    html = client.get(assessment_url(assessment, "assessment-submit")).content.decode()
    assert re.search(r"I\.2, I\.3, I\.4, II\.1, II\.2, III\.1", html)


def test_a_wrong_password_on_the_submit_page_is_shown_and_nothing_submitted(
    client, world, assessment
):
    save_lines(assessment, world.staff, **FULL_ENTRIES)
    client.force_login(world.signatory)
    response = client.post(
        assessment_url(assessment, "assessment-submit"), {"confirm": "on", "password": "sai"}
    )
    assert "password" in response.context["form"].errors
    assert fresh(assessment).state == Assessment.State.DRAFT


def test_the_signatory_submits_with_the_password(client, world, assessment):
    save_lines(assessment, world.staff, **FULL_ENTRIES)
    client.force_login(world.signatory)
    response = client.post(
        assessment_url(assessment, "assessment-submit"), {"confirm": "on", "password": PASSWORD}
    )
    assert response["Location"] == assessment_url(assessment)
    assert fresh(assessment).state == Assessment.State.SUBMITTED


def test_the_secretariat_returns_with_a_reason_in_the_browser(client, world, assessment):
    save_lines(assessment, world.staff, **FULL_ENTRIES)
    submit_assessment(assessment, world.signatory)
    client.force_login(world.secretariat)
    url = assessment_url(assessment, "assessment-return")
    assert "reason" in client.post(url, {"reason": ""}).context["form"].errors
    client.post(url, {"reason": "Thiếu giải trình."})
    assert (fresh(assessment).state, fresh(assessment).return_reason) == (
        Assessment.State.DRAFT,
        "Thiếu giải trình.",
    )


# Query counts


def filled(world, year: int, criteria: int):
    """Hải Phòng's assessment in cluster A's ``year`` with a table of ``criteria`` lines,
    each with an entry and evidence (a portal page and an activity)."""
    cluster_year = cluster_year_with(
        world.cluster_a, year, leader=world.hanoi, members=[world.haiphong, world.bacninh]
    )
    evaluation = evaluation_for(
        cluster_year,
        table=table_of(criteria, max_points="5"),
        self_assessment_deadline=timezone.now() + timezone.timedelta(days=5),
    )
    assessment = assessment_of(evaluation, world.haiphong)
    activity = ActivityFactory(work_plan=WorkPlanFactory(cluster_year=cluster_year))
    scores = list(Score.objects.filter(assessment=assessment))
    Score.objects.filter(assessment=assessment).update(self_points=Decimal("2.5"))
    Evidence.objects.bulk_create(
        [Evidence(score=s, link="/plans/calendar/") for s in scores]
        + [Evidence(score=s, activity=activity) for s in scores]
    )
    return assessment


@pytest.mark.parametrize(
    "name", ["assessment-detail", "assessment-edit", "assessment-submit", "evidence-add"]
)
def test_an_assessment_page_costs_the_same_with_20_and_200_criteria(client, world, name):
    small = queries_for(client, world.signatory, assessment_url(filled(world, 2030, 20), name))
    large = queries_for(client, world.signatory, assessment_url(filled(world, 2031, 200), name))
    assert_same_count(small, large)


def test_the_return_page_costs_the_same_with_20_and_200_criteria(client, world):
    pages = []
    for year, criteria in [(2030, 20), (2031, 200)]:
        assessment = filled(world, year, criteria)
        Assessment.objects.filter(pk=assessment.pk).update(
            state=Assessment.State.SUBMITTED, submitted_at=timezone.now()
        )
        url = assessment_url(assessment, "assessment-return")
        pages.append(queries_for(client, world.secretariat, url))
    assert_same_count(*pages)


def test_the_evidence_removal_page_costs_the_same_with_20_and_200_criteria(client, world):
    pages = []
    for year, criteria in [(2030, 20), (2031, 200)]:
        assessment = filled(world, year, criteria)
        evidence = Evidence.objects.filter(score__assessment=assessment).first()
        url = assessment_url(assessment, "evidence-remove", pk=evidence.pk)
        pages.append(queries_for(client, world.staff, url))
    assert_same_count(*pages)
