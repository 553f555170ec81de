"""Reads of the dossier: the links from a year's page to its dossier, per role."""

import pytest

from dossiers.selectors.dossiers import dossier_year_links
from dossiers.services import dossiers as services
from tests.helpers import dossier_draft, dossier_issued, dossier_year_ready

pytestmark = pytest.mark.django_db


def link_urls(world, user):
    return [
        item.url
        for item in dossier_year_links(user=user, cluster_years=[world.year_a]).get(
            world.year_a.pk, []
        )
    ]


def test_the_secretariat_of_a_year_without_a_dossier_is_offered_to_start_one(world):
    assert link_urls(world, world.secretariat) == ["/dossiers/bac-bo/2024/"]


def test_members_get_no_link_while_the_dossier_is_a_draft(world):
    dossier_draft(world)
    assert link_urls(world, world.staff) == []


def test_members_and_reviewers_get_the_link_once_the_dossier_is_sent(world):
    dossier_year_ready(world)
    services.dossier_send(dossier=dossier_issued(world), by=world.secretariat)
    assert link_urls(world, world.staff) == ["/dossiers/bac-bo/2024/"]
    assert link_urls(world, world.reviewer) == ["/dossiers/bac-bo/2024/"]
