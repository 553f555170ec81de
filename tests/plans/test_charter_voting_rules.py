"""The charter's voting rules: set on a draft (service and page), shown on the version,
and the defaults of the cluster's ballots (see tests/ballots/test_setup_services.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from plans import services
from plans.models import CharterVersion
from tests.factories import CharterVersionFactory
from tests.helpers import codes, vi

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    return CharterVersionFactory(cluster_year=world.year_a)


def fresh(version):
    return CharterVersion.objects.get(pk=version.pk)


def test_the_secretariat_sets_the_voting_rules_of_a_draft(world, draft):
    services.charter_version_update(
        version=draft,
        title=draft.title,
        preamble="",
        vote_quorum_percent=Decimal("66.67"),
        vote_threshold_percent=Decimal("60"),
        vote_threshold_base="valid",
        vote_blank_invalid=True,
        by=world.secretariat,
    )
    version = fresh(draft)
    assert version.vote_quorum_percent == Decimal("66.67")
    assert version.vote_threshold_percent == Decimal("60")
    assert version.vote_threshold_base == "valid"
    assert version.vote_blank_invalid is True


def test_rules_left_out_keep_their_value(world, draft):
    CharterVersion.objects.filter(pk=draft.pk).update(vote_quorum_percent=Decimal("75"))
    services.charter_version_update(
        version=fresh(draft), title="Quy chế mới", preamble="", by=world.secretariat
    )
    assert fresh(draft).vote_quorum_percent == Decimal("75")


@pytest.mark.parametrize(
    ("rules", "code"),
    [
        ({"vote_quorum_percent": Decimal("120")}, "vote_quorum_out_of_range"),
        ({"vote_threshold_percent": Decimal("100")}, "vote_threshold_out_of_range"),
    ],
)
def test_rules_out_of_range_are_refused(world, draft, rules, code):
    with pytest.raises(ValidationError) as error:
        services.charter_version_update(
            version=draft, title=draft.title, preamble="", by=world.secretariat, **rules
        )
    assert codes(error.value) == {code}
    assert fresh(draft).vote_quorum_percent == Decimal("50")


def test_the_edit_page_saves_the_voting_rules(client, world, draft):
    client.force_login(world.secretariat)
    response = client.post(
        reverse("plans:charterversion-update", kwargs={"pk": draft.pk}),
        {
            "title": draft.title,
            "preamble": "",
            "vote_quorum_percent": "60",
            "vote_threshold_percent": "50",
            "vote_threshold_base": "present",
            "vote_blank_invalid": "on",
        },
    )
    assert response.status_code == 302
    version = fresh(draft)
    assert (version.vote_quorum_percent, version.vote_threshold_base) == (Decimal("60"), "present")
    assert version.vote_blank_invalid is True


def test_the_version_page_shows_the_voting_rules(client, world, draft):
    CharterVersion.objects.filter(pk=draft.pk).update(vote_quorum_percent=Decimal("66"))
    client.force_login(world.staff)
    page = client.get(reverse("plans:charterversion-detail", kwargs={"pk": draft.pk}))
    section = page.content.decode().split('class="charter-voting-rules')[1].split("</section>")[0]
    assert "66%" in section
    assert vi("refused: the voter corrects the choice") in section
