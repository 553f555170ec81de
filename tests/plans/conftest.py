"""Fixtures for the plans tests: a work plan of ``world.year_a`` and its activities.

``world.year_a`` (2024) has four members: Hà Nội (leader, so ``world.secretariat`` is its
secretariat), Vĩnh Phúc (deputy), Hải Phòng (``world.staff`` and ``world.signatory``) and
Bắc Ninh. Activities hosted by Hải Phòng make staff and signatory "host users".

Uploaded files go to a temporary MEDIA_ROOT for each test. Helpers (``codes``, the file
builders) are in ``tests/helpers.py``.
"""

import pytest

from plans.models import Activity
from tests.factories import ActivityFactory, WorkPlanFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def plan(world):
    return WorkPlanFactory(cluster_year=world.year_a)


@pytest.fixture
def hosted(world, plan):
    """An activity hosted by Hải Phòng (the department of ``staff`` and ``signatory``)."""
    return ActivityFactory(work_plan=plan, host=world.haiphong, title="Hội thảo tại Hải Phòng")


@pytest.fixture
def conference(world, plan):
    """A conference hosted by Hải Phòng."""
    return ActivityFactory(
        work_plan=plan,
        host=world.haiphong,
        kind=Activity.Kind.CONFERENCE,
        title="Hội nghị sơ kết tại Hải Phòng",
    )
