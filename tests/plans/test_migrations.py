"""Data migrations of the plans app, run on rows as they were before them.

The test database itself is built by running every migration, on SQLite and PostgreSQL;
these tests call each data step on rows shaped as they were before it.
"""

import importlib

from django.apps import apps

from plans.models import LegalReference
from tests.agreements.conftest import draft_covenant
from tests.factories import LegalReferenceFactory, WorkPlanFactory

legal_reference_cluster = importlib.import_module("plans.migrations.0005_legal_reference_cluster")


def test_each_reference_goes_to_the_one_cluster_citing_it_else_stays_site_wide(world):
    by_a_plan = LegalReferenceFactory(number="1/A")
    by_a_covenant = LegalReferenceFactory(number="2/A")
    by_both_clusters = LegalReferenceFactory(number="3/AB")
    LegalReferenceFactory(number="4/-")  # cited by nobody
    plan_a = WorkPlanFactory(cluster_year=world.year_a)
    plan_a.legal_references.add(by_a_plan, by_both_clusters)
    WorkPlanFactory(cluster_year=world.year_b).legal_references.add(by_both_clusters)
    draft_covenant(world, legal_bases=[by_a_covenant, by_a_plan])

    legal_reference_cluster.assign_owners(apps, None)

    owners = dict(LegalReference.objects.values_list("number", "cluster__code"))
    assert owners == {"1/A": "bac-bo", "2/A": "bac-bo", "3/AB": None, "4/-": None}
