"""The demo's covenants as a reviewer reads them: the 2019 covenant numbered and dated as
it happened, the 2026 timeline consistent, Decree 30 punctuation, Huế after 2025."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from agreements import selectors
from agreements.demo import NUMBER_2019
from agreements.models import Covenant
from members.models import Department, Membership
from plans.demo import SIGNING_CONFERENCE_2026
from plans.models import Activity

pytestmark = pytest.mark.django_db

SIGNING_DAY_2019 = datetime.date(2019, 5, 24)


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


def covenant(year, code="bac-bo"):
    return Covenant.objects.get(cluster_year__cluster__code=code, cluster_year__year=year)


def test_the_2019_covenant_has_a_number(loaded):
    assert covenant(2019).number == NUMBER_2019 == "01/GƯ-CTĐ"


def test_the_2019_certificate_dates_each_paper_original_24_05_2019(loaded):
    context = selectors.covenant_pdf_context(covenant=covenant(2019), document=object())
    paper = [e for e in context["events"] if e.details.get("method") == "paper"]
    assert len(paper) == 11
    assert {timezone.localtime(e.occurred_at).date() for e in paper} == {SIGNING_DAY_2019}


def test_the_2019_certificate_keeps_when_the_originals_were_entered_apart(loaded):
    context = selectors.covenant_pdf_context(covenant=covenant(2019), document=object())
    paper = [e for e in context["events"] if e.details.get("method") == "paper"]
    assert all(timezone.localtime(e.created_at).date() == timezone.localdate() for e in paper)


def test_the_last_legal_basis_of_the_2019_covenant_ends_with_a_full_stop(loaded):
    text = covenant(2019).versions.get().text.splitlines()
    start = text.index("Căn cứ:") + 1
    bases = text[start : text.index("", start)]
    assert len(bases) >= 2
    assert all(line.endswith(";") for line in bases[:-1])
    assert bases[-1].endswith(".")


def test_the_2026_signing_conference_is_not_done_before_the_covenant_opened(loaded):
    opened = timezone.localtime(covenant(2026).opened_at).date()
    conference = Activity.objects.get(title=SIGNING_CONFERENCE_2026)
    assert conference.status != Activity.Status.DONE
    assert conference.starts_on >= opened
    assert conference.starts_on == timezone.localtime(covenant(2026).deadline).date()


def test_no_signing_conference_of_the_demo_is_done_before_its_covenant_opened(loaded):
    early = []
    for activity in Activity.objects.filter(
        kind=Activity.Kind.CONFERENCE, status=Activity.Status.DONE, title__contains="ký kết"
    ).select_related("work_plan__cluster_year"):
        signed = Covenant.objects.filter(cluster_year=activity.work_plan.cluster_year).first()
        if signed and activity.starts_on < timezone.localtime(signed.opened_at).date():
            early.append(activity.title)
    assert early == []


def test_thua_thien_hue_is_thanh_pho_hue_after_2025(loaded):
    hue = Department.objects.get(code="hue")
    assert hue.full_name == "Sở Nội vụ thành phố Huế"
    assert hue.valid_from == datetime.date(2025, 1, 1)
    old = Department.objects.get(code="thuathienhue")
    assert (old.valid_to, old.successor) == (datetime.date(2024, 12, 31), hue)
    names_2026 = set(
        Membership.objects.filter(cluster_year__year=2026).values_list("full_name", flat=True)
    )
    assert "Sở Nội vụ thành phố Huế" in names_2026
    assert not any("Thừa Thiên Huế" in name for name in names_2026)
