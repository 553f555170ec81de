"""Helpers for the reports tests: covenants, signatures and plans written straight to the
database (the reports only read them; the agreements and plans tests cover their services)."""

import datetime

import pytest
from django.utils import timezone

from agreements.models import Covenant, CovenantVersion, Signature
from tests.factories import ActivityFactory, WorkPlanFactory


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


@pytest.fixture
def past():
    return timezone.now() - datetime.timedelta(days=3)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the overview's content is cached."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
