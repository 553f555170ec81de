"""The demo's 2019 award dossier: issued and sent in December 2019 with its numbered
documents, the Ministry's decisions recorded; loading twice changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from dossiers.models import AwardDecision, Dossier

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """``load_demo`` once for the module (it renders and seals the demo's documents, which
    takes seconds), rolled back at the end."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")),
        transaction.atomic(),
    ):
        call_command("load_demo", force=True, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def dossier_2019():
    return Dossier.objects.get(cluster_year__cluster__code="bac-bo", cluster_year__year=2019)


def test_the_2019_dossier_was_sent_in_december_2019(loaded):
    dossier = dossier_2019()
    assert dossier.state == "sent"
    assert (dossier.sent_at.year, dossier.sent_at.month) == (2019, 12)


def test_the_2019_submission_is_numbered_in_the_cluster_s_2019_sequence(loaded):
    number = dossier_2019().documents.get(kind="submission").number
    assert number.endswith("/TTr-CTĐ")


def test_every_2019_proposal_has_the_ministry_s_decision(loaded):
    dossier = dossier_2019()
    assert dossier.proposals.exists()
    assert AwardDecision.objects.filter(proposal__dossier=dossier).count() == (
        dossier.proposals.count()
    )


def test_loading_the_demo_twice_keeps_one_2019_dossier(loaded):
    call_command("load_demo", force=True, stdout=io.StringIO())
    assert Dossier.objects.filter(cluster_year__year=2019).count() == 1
