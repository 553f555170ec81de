"""The Ministry's pages (dossiers.views.ministry): the year table, recording the council's
decisions, the reviewers' write allow-list, and the decisions on the history pages."""

import datetime

import pytest
from django.urls import reverse

from cluster_portal.middleware import ReviewerReadOnlyMiddleware
from dossiers.models import AwardDecision, Proposal
from tests.helpers import (
    WORLD_YEAR,
    assert_same_count,
    ministry_clusters,
    ministry_dossier,
    ministry_may_decide,
    queries_for,
)

Award = Proposal.Award
Decision = AwardDecision.Decision
YEAR_URL = reverse("dossiers:ministry-year", kwargs={"year": WORLD_YEAR})


def decision_url(proposal) -> str:
    return reverse("dossiers:decision-record", kwargs={"pk": proposal.pk})


def form(**overrides) -> dict:
    data = {
        "decision": Decision.MINISTRY_FLAG,
        "reference": "123/QĐ-BNV",
        "decided_on": "20/01/2025",
        "note": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def proposal(world):
    """Hải Phòng, proposed by cluster A for the Ministry's flag in a sent dossier."""
    dossier = ministry_dossier(
        world.year_a,
        (world.hanoi, Award.GOVERNMENT_FLAG, 1, "98.5", "100"),
        (world.haiphong, Award.MINISTRY_FLAG, 2, "95.25", "75"),
    )
    return dossier.proposals.get(award=Award.MINISTRY_FLAG)


# The year table


def test_a_reviewer_reads_every_clusters_proposals_with_rank_total_and_share(
    client, world, proposal
):
    client.force_login(world.reviewer)
    response = client.get(YEAR_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert world.cluster_a.name in page and world.cluster_b.name in page
    assert proposal.membership.short_name in page
    assert "95,25" in page or "95.25" in page
    assert "75,00%" in page or "75.00%" in page
    assert 'class="dossier-state no-dossier' in page  # cluster B has none


def test_the_table_shows_the_count_against_the_cap(client, world, proposal):
    client.force_login(world.reviewer)
    count = client.get(YEAR_URL).context["table"].count
    assert (count.leading_units, count.cap, count.proposed) == (2, 0, 1)
    assert "cap-over" in client.get(YEAR_URL).content.decode()


def test_a_reviewer_without_the_permission_sees_no_record_links(client, world, proposal):
    client.force_login(world.reviewer)
    assert decision_url(proposal) not in client.get(YEAR_URL).content.decode()


def test_a_reviewer_with_the_permission_sees_a_record_link_per_proposal(client, world, proposal):
    client.force_login(ministry_may_decide(world.reviewer))
    assert decision_url(proposal) in client.get(YEAR_URL).content.decode()


@pytest.mark.parametrize("role", ["secretariat", "signatory", "staff", "outsider"])
def test_the_year_table_does_not_exist_for_members(client, world, role):
    client.force_login(world.user(role))
    assert client.get(YEAR_URL).status_code == 404


def test_a_site_admin_reads_the_year_table(client, world, proposal):
    client.force_login(world.site_admin)
    assert client.get(YEAR_URL).status_code == 200


def test_the_year_table_costs_the_same_queries_for_one_and_ten_clusters(client, world):
    reviewer = ministry_may_decide(world.reviewer)
    for years in (ministry_clusters(1, 2030), ministry_clusters(10, 2031)):
        for cluster_year in years:
            decided = cluster_year.dossiers.get().proposals.first()
            AwardDecision.objects.create(
                proposal=decided,
                decision=Decision.GOVERNMENT_FLAG_PROPOSED,
                decided_on=datetime.date(2031, 1, 20),
                recorded_by=reviewer,
            )
    small = queries_for(client, reviewer, reverse("dossiers:ministry-year", args=[2030]))
    large = queries_for(client, reviewer, reverse("dossiers:ministry-year", args=[2031]))
    assert_same_count(small, large)


def test_the_reports_overview_links_reviewers_to_the_year_table(client, world):
    client.force_login(world.reviewer)
    page = client.get(reverse("reports:overview")).content.decode()
    assert "/dossiers/ministry/" in page


def test_the_reports_overview_has_no_such_link_for_members(client, world):
    client.force_login(world.secretariat)
    page = client.get(reverse("reports:overview")).content.decode()
    assert "/dossiers/ministry/" not in page


# Recording a decision


def test_a_reviewer_with_the_permission_records_a_decision(client, world, proposal):
    client.force_login(ministry_may_decide(world.reviewer))
    response = client.post(decision_url(proposal), form())
    assert response.status_code == 302
    assert response["Location"] == f"{YEAR_URL}#cluster-{world.cluster_a.code}"
    decision = AwardDecision.objects.get(proposal=proposal)
    assert (decision.decision, decision.reference, decision.decided_on) == (
        Decision.MINISTRY_FLAG,
        "123/QĐ-BNV",
        datetime.date(2025, 1, 20),
    )


def test_the_form_shows_the_current_decision_for_a_correction(client, world, proposal):
    reviewer = ministry_may_decide(world.reviewer)
    AwardDecision.objects.create(
        proposal=proposal,
        decision=Decision.MINISTER_MERIT,
        reference="9/QĐ-BNV",
        decided_on=datetime.date(2025, 1, 2),
        recorded_by=reviewer,
    )
    client.force_login(reviewer)
    initial = client.get(decision_url(proposal)).context["form"].initial
    assert (initial["decision"], initial["reference"]) == (Decision.MINISTER_MERIT, "9/QĐ-BNV")


def test_a_refused_decision_is_shown_on_the_form_and_nothing_stored(client, world, proposal):
    client.force_login(ministry_may_decide(world.reviewer))
    response = client.post(decision_url(proposal), form(decided_on="01/12/2024"))
    assert response.status_code == 200
    assert response.context["form"].has_error("decided_on", "decided_before_sent")
    assert not AwardDecision.objects.exists()


def test_a_site_admin_records_a_decision(client, world, proposal):
    client.force_login(world.site_admin)
    assert client.post(decision_url(proposal), form()).status_code == 302
    assert AwardDecision.objects.filter(proposal=proposal).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_reviewer_without_the_permission_is_refused(client, world, proposal, method):
    client.force_login(world.reviewer)
    response = getattr(client, method)(decision_url(proposal), form())
    assert response.status_code == 403
    assert not AwardDecision.objects.exists()


@pytest.mark.parametrize("role", ["secretariat", "signatory", "staff"])
def test_members_of_the_cluster_are_refused(client, world, proposal, role):
    client.force_login(world.user(role))
    assert client.post(decision_url(proposal), form()).status_code == 403
    assert not AwardDecision.objects.exists()


def test_another_clusters_member_finds_no_such_page(client, world, proposal):
    client.force_login(world.outsider)
    assert client.post(decision_url(proposal), form()).status_code == 404


def test_the_decision_page_costs_the_same_queries_for_one_and_ten_clusters(client, world):
    reviewer = ministry_may_decide(world.reviewer)
    small = ministry_clusters(1, 2030)[0].dossiers.get().proposals.first()
    large = ministry_clusters(10, 2031)[0].dossiers.get().proposals.first()
    assert_same_count(
        queries_for(client, reviewer, decision_url(small)),
        queries_for(client, reviewer, decision_url(large)),
    )


# The reviewers' allow-list


def test_the_decision_page_is_the_reviewers_one_allowed_write_of_the_dossiers():
    allowed = ReviewerReadOnlyMiddleware.ALLOWED_VIEW_NAMES
    assert "dossiers:decision-record" in allowed


def test_a_reviewer_without_the_permission_is_refused_for_any_proposal_id(client, world):
    client.force_login(world.reviewer)
    response = client.post(reverse("dossiers:decision-record", args=[999999]), form())
    assert response.status_code == 403


def test_the_permission_opens_no_other_post_to_a_reviewer(client, world, proposal):
    client.force_login(ministry_may_decide(world.reviewer))
    response = client.post(
        reverse(
            "members:clusteryear-update",
            kwargs={"code": world.cluster_a.code, "year": WORLD_YEAR},
        ),
        {"theme": "x"},
    )
    assert response.status_code == 403


# The history pages


@pytest.fixture
def decided(world, proposal):
    AwardDecision.objects.create(
        proposal=proposal,
        decision=Decision.MINISTRY_FLAG,
        reference="123/QĐ-BNV",
        decided_on=datetime.date(2025, 1, 20),
        recorded_by=world.reviewer,
    )
    return proposal


def test_the_clusters_history_page_shows_the_decision(client, world, decided):
    client.force_login(world.staff)
    url = reverse("members:cluster-history", kwargs={"code": world.cluster_a.code})
    page = client.get(url).content.decode()
    assert "123/QĐ-BNV" in page


def test_the_departments_page_shows_the_decision(client, world, decided):
    client.force_login(world.staff)
    url = reverse("members:department-detail", kwargs={"code": world.haiphong.code})
    page = client.get(url).content.decode()
    assert "123/QĐ-BNV" in page


def test_the_decision_page_warns_when_passing_one_more_on_goes_over_the_cap(client, world):
    # Two clusters: 20% of 2 leading units is 0, so any Government flag goes over.
    dossier = ministry_dossier(world.year_a, (world.hanoi, Award.GOVERNMENT_FLAG, 1, "98", "100"))
    client.force_login(ministry_may_decide(world.reviewer))
    response = client.get(decision_url(dossier.proposals.get()))
    assert response.context["one_more_over_cap"]
    assert "decision-cap" in response.content.decode()


def test_the_year_table_speaks_vietnamese_by_default(client, world, proposal):
    client.force_login(world.reviewer)
    page = client.get(YEAR_URL).content.decode()
    assert f"Đề nghị khen thưởng của các Cụm thi đua năm {WORLD_YEAR}" in page
    assert "Cờ thi đua của Chính phủ: quy định 20%" in page
    assert "Cờ thi đua của Bộ Nội vụ" in page  # Hải Phòng's proposal
    assert "Đã gửi Bộ Nội vụ" in page
