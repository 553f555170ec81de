"""Issues 6 and 14, "Performance": the reports overview against a minimal Django view.

Run alone with ``python -m bench.overview`` (prints the verdict, exit 1 below the floor), or
from ``python -m bench`` through ``in_subprocess()``: it needs its own process because it
runs on PostgreSQL while the other benchmarks use a temporary SQLite database.

A throw-away PostgreSQL database (``BENCH_PG_URL``, default
``postgres://postgres@127.0.0.1:5432/cp_bench_overview``; dropped at the end) is migrated
and filled with a generated data set: 60 clusters, 700 departments, 10 years (memberships
with leader and deputy, a covenant each year with about two thirds signed, a work plan with
six activities). Both views are requested in turn through Django's test client as a logged-in
Ministry reviewer, so both pass the same middleware (sessions, login, CSRF, locale...):

* the overview of the latest year (60 clusters, with its charts) with the cache DISABLED
  (Django's dummy cache backend): every request computes and renders the page;
* a minimal view answering ``HttpResponse("ok")``;
* for information, the overview served from the shared cache (the database cache, the
  default), against the minimal view measured beside it.

Floor (issue 14): the uncached overview's throughput is at least 25% of the minimal view's.
"""

import os
import sys

from bench import process
from bench.postgres import recreate

CLUSTERS, DEPARTMENTS, YEARS = 60, 700, 10
FIRST_YEAR = 2017
ACTIVITIES_PER_PLAN = 6
RUNS = 60
CACHED_RUNS = 40
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
FLOOR = 0.25
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cp_bench_overview"


def generate() -> None:
    """The data set, in bulk: 60 clusters × 10 years over 700 departments."""
    import datetime

    from django.utils import timezone

    from agreements.models import Covenant, CovenantVersion, Signature
    from cluster_portal.collation import vi_sort_key
    from members.models import Cluster, ClusterYear, Department, Membership, User
    from plans.models import Activity, WorkPlan

    departments = Department.objects.bulk_create(
        Department(
            code=f"so-{n}",
            full_name=f"Sở Nội vụ tỉnh Thử Nghiệm {n}",
            short_name=f"SNV {n}",
            province=f"Tỉnh {n}",
            sort_key=vi_sort_key(f"Tỉnh {n}", f"Sở Nội vụ tỉnh Thử Nghiệm {n}"),
            parent_body=f"UBND TỈNH THỬ NGHIỆM {n}",
        )
        for n in range(DEPARTMENTS)
    )
    clusters = Cluster.objects.bulk_create(
        Cluster(code=f"cum-{n}", name=f"Cụm thi đua số {n:02d}") for n in range(CLUSTERS)
    )
    groups = [departments[n::CLUSTERS] for n in range(CLUSTERS)]
    years = ClusterYear.objects.bulk_create(
        ClusterYear(cluster=cluster, year=year, phase=ClusterYear.Phase.IN_PROGRESS)
        for cluster in clusters
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS)
    )
    by_cluster = {}
    for cluster_year in years:
        by_cluster.setdefault(cluster_year.cluster_id, []).append(cluster_year)
    memberships, covenants, plans = [], [], []
    for cluster, group in zip(clusters, groups, strict=True):
        for cluster_year in by_cluster[cluster.pk]:
            lead = (cluster_year.year - FIRST_YEAR) % len(group)
            for index, department in enumerate(group):
                role = (
                    Membership.Role.LEADER
                    if index == lead
                    else Membership.Role.DEPUTY
                    if index == (lead + 1) % len(group)
                    else Membership.Role.MEMBER
                )
                memberships.append(
                    Membership(
                        cluster_year=cluster_year,
                        department=department,
                        role=role,
                        **Membership.snapshot_of(department),
                    )
                )
            covenants.append(
                Covenant(
                    cluster_year=cluster_year,
                    title=f"Giao ước thi đua năm {cluster_year.year}",
                    state=Covenant.State.OPEN,
                    deadline=timezone.now() - datetime.timedelta(days=1),
                )
            )
            plans.append(WorkPlan(cluster_year=cluster_year, title="Kế hoạch"))
    Membership.objects.bulk_create(memberships, batch_size=2000)
    covenants = Covenant.objects.bulk_create(covenants)
    versions = CovenantVersion.objects.bulk_create(
        CovenantVersion(covenant=c, number=1, text="x", sha256="0" * 64) for c in covenants
    )
    signatures = []
    now = timezone.now()
    group_of = {c.pk: g for c, g in zip(clusters, groups, strict=True)}
    year_cluster = {cy.pk: cy.cluster_id for cy in years}
    for covenant, version in zip(covenants, versions, strict=True):
        group = group_of[year_cluster[covenant.cluster_year_id]]
        for department in group[: 2 * len(group) // 3]:
            signatures.append(
                Signature(
                    covenant=covenant,
                    version=version,
                    department=department,
                    status=Signature.Status.SIGNED,
                    method=Signature.Method.PAPER,
                    signer_name="Lãnh đạo Sở",
                    department_name=department.full_name,
                    signed_at=now,
                    text_sha256="0" * 64,
                )
            )
    Signature.objects.bulk_create(signatures, batch_size=2000)
    plans = WorkPlan.objects.bulk_create(plans)
    plan_year = {cy.pk: cy.year for cy in years}
    activities = []
    for plan in plans:
        year = plan_year[plan.cluster_year_id]
        for n in range(ACTIVITIES_PER_PLAN):
            day = datetime.date(year, 2 * n + 1, 10)
            done = n < ACTIVITIES_PER_PLAN // 2
            activities.append(
                Activity(
                    work_plan=plan,
                    title=f"Hoạt động {n + 1}",
                    starts_on=day,
                    ends_on=day,
                    status=Activity.Status.DONE if done else Activity.Status.PLANNED,
                    progress=100 if done else 0,
                )
            )
    Activity.objects.bulk_create(activities, batch_size=2000)
    User.objects.create(username="bench-reviewer", role=User.Role.REVIEWER)


def run() -> dict:
    """Set up Django on a fresh PostgreSQL database, generate, measure; the figures."""
    url = os.environ.get("BENCH_PG_URL", DEFAULT_URL)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cluster_portal.settings"
    os.environ["DEBUG"] = "1"
    os.environ["DATABASE_URL"] = url
    recreate(url)
    try:
        import logging

        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections
        from django.test import Client
        from django.test.utils import (
            override_settings,
            setup_test_environment,
            teardown_test_environment,
        )

        from bench.timing import measure_interleaved
        from members.models import User

        call_command("migrate", verbosity=0, interactive=False)
        generate()
        with connections["default"].cursor() as cursor:
            # Statistics, as autovacuum keeps them on a live database: without them the
            # planner guesses for tables just filled in bulk.
            cursor.execute("ANALYZE")
        setup_test_environment()
        logging.getLogger("axes").setLevel(logging.WARNING)
        try:
            with override_settings(ROOT_URLCONF="bench.urls"):
                client = Client()
                client.force_login(User.objects.get(username="bench-reviewer"))
                overview_url = f"/reports/?year={FIRST_YEAR + YEARS - 1}"

                def get(url):
                    def action():
                        response = client.get(url)
                        if response.status_code != 200:
                            raise RuntimeError(f"GET {url} answered {response.status_code}")
                        return response.content

                    return action

                for _warm in range(3):
                    get("/bench-minimal/")()
                    get(overview_url)()
                rows = get(overview_url)().decode().count("<tr>")
                # Alternating rounds, so that a slow moment of the machine hits both.
                with override_settings(CACHES=NO_CACHE):
                    minimal_timing, page_timing, overview_timing = measure_interleaved(
                        ("minimal", get("/bench-minimal/"), 10),
                        ("minimal page", get("/bench-minimal-page/"), 4),
                        ("overview, cache disabled", get(overview_url), 2),
                        rounds=RUNS // 2,
                    )
                get(overview_url)()  # fills the shared cache
                cached_minimal_timing, cached_timing = measure_interleaved(
                    ("minimal", get("/bench-minimal/"), 10),
                    ("overview, cached", get(overview_url), 2),
                    rounds=CACHED_RUNS // 2,
                )
        finally:
            teardown_test_environment()
            connections.close_all()
    finally:
        recreate(url, drop_only=True)
    return {
        "minimal": minimal_timing.seconds,
        "minimal_page": page_timing.seconds,
        "overview": overview_timing.seconds,
        "cached_minimal": cached_minimal_timing.seconds,
        "cached": cached_timing.seconds,
        "table_rows": rows,
    }


def verdict_from(figures: dict):
    from bench.timing import Timing, Verdict

    def rps(seconds):
        return len(seconds) / sum(seconds)

    minimal = Timing("minimal Django view (HttpResponse, same middleware)", figures["minimal"])
    overview = Timing(
        f"reports overview, {CLUSTERS} clusters of the latest year, cache disabled",
        figures["overview"],
    )
    cached = Timing(
        "reports overview, served from the shared cache (database cache)", figures["cached"]
    )
    page = Timing(
        "minimal portal page (the base template's frame, empty content), cache disabled",
        figures["minimal_page"],
    )
    # Throughput of sequential requests: requests per second over the timed runs.
    minimal_rps, overview_rps = rps(minimal.seconds), rps(overview.seconds)
    page_rps = rps(page.seconds)
    cached_ratio = rps(cached.seconds) / rps(figures["cached_minimal"])
    return Verdict(
        name="Reports overview throughput against a minimal view, cache disabled (PostgreSQL)",
        timings=[minimal, page, overview, cached],
        ratio=overview_rps / minimal_rps,
        floor=FLOOR,
        at_least=True,
        ratio_label="Uncached overview throughput ÷ minimal view throughput",
        notes=[
            f"data set: {CLUSTERS} clusters, {DEPARTMENTS} departments, {YEARS} years; "
            f"{figures['table_rows']} table rows on the page",
            f"throughput, cache disabled: overview {overview_rps:.1f} req/s, minimal "
            f"{minimal_rps:.1f} req/s (ratio {100 * overview_rps / minimal_rps:.1f}%, "
            f"floor {100 * FLOOR:.0f}%)",
            f"the yardstick proposed instead (issue 14 note): against the minimal portal page, "
            f"which pays the frame every page pays (navigation, bell, language switch), the "
            f"uncached overview runs at {100 * overview_rps / page_rps:.1f}% "
            f"({page_rps:.1f} req/s); the frame alone costs the minimal page "
            f"{100 * (1 - page_rps / minimal_rps):.0f}% of the minimal view's throughput",
            f"cached, for information: overview {rps(cached.seconds):.1f} req/s against a "
            f"minimal view at {rps(figures['cached_minimal']):.1f} req/s measured beside it "
            f"(ratio {100 * cached_ratio:.1f}%); not part of the floor",
        ],
    )


def in_subprocess():
    """Run this benchmark in its own process and return its verdict."""
    return process.in_subprocess("bench.overview", verdict_from)


if __name__ == "__main__":
    sys.exit(process.main(run, verdict_from))
