"""Issue 13, "Performance": the evaluation results page against a minimal Django view.

Run alone with ``python -m bench.results`` (prints the verdict, exit 1 below the floor), or
from ``python -m bench`` through ``in_subprocess()``: it needs its own process because it
runs on PostgreSQL while the other benchmarks use a temporary SQLite database.

A throw-away PostgreSQL database (``BENCH_RESULTS_PG_URL``, default
``postgres://postgres@127.0.0.1:5432/cp_bench_results``; dropped at the end) is migrated and
filled with two cluster years of 60 members each, both with a criteria table of 200 criteria
(four sections of 48 graded lines, a capped bonus section of 4 lines, a penalty section of 4)
and every member's 200 scores (12,000 score lines a year): one year's results published
(60 stored ``Result`` rows), the other in the checking phase. The pages are requested in
turn through Django's test client as a logged-in Ministry reviewer, so all pass the same
middleware (sessions, login, CSRF, locale...); the results page uses no cache:

* the published results page (the stored results, what members and reviewers read);
* a minimal view answering ``HttpResponse("ok")``;
* for information, the provisional results page of the year in checking (computed on each
  request from the 12,000 scores: what the secretariat and reviewers see before publication).

Floor: the published results page's throughput is at least 25% of the minimal view's.
"""

import os
import sys

from bench import process
from bench.postgres import recreate

MEMBERS, SECTIONS, LINES_PER_SECTION, BONUS_LINES, PENALTY_LINES = 60, 4, 48, 4, 4
CRITERIA = SECTIONS * LINES_PER_SECTION + BONUS_LINES + PENALTY_LINES  # 200
PUBLISHED_YEAR, CHECKING_YEAR = 2025, 2026
RUNS = 60
PROVISIONAL_RUNS = 10
FLOOR = 0.25
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cp_bench_results"
ROMAN = ["I", "II", "III", "IV", "V", "VI"]


def _table(evaluation):
    """The 200 criteria of ``evaluation``: sections I–IV of graded lines (2,50 points
    each: 120 base points), V bonus (capped at 10), VI penalties."""
    from decimal import Decimal

    from evaluations.models import Criterion

    position = 0

    def line(**fields):
        nonlocal position
        position += 1
        return Criterion(evaluation=evaluation, position=position, **fields)

    sections = []
    for index in range(SECTIONS + 2):
        code = ROMAN[index]
        cap = Decimal("10") if index == SECTIONS else None
        sections.append(line(code=code, text=f"Mục {code}", kind="section", cap=cap))
    sections = Criterion.objects.bulk_create(sections)
    leaves = []
    for section in sections:
        index = ROMAN.index(section.code)
        if index < SECTIONS:
            kind, count, maximum = "graded", LINES_PER_SECTION, Decimal("2.5")
        elif index == SECTIONS:
            kind, count, maximum = "bonus", BONUS_LINES, Decimal("5")
        else:
            kind, count, maximum = "penalty", PENALTY_LINES, Decimal("5")
        for n in range(1, count + 1):
            leaves.append(
                line(
                    parent=section,
                    code=f"{section.code}.{n}",
                    text=f"Tiêu chí {section.code}.{n}",
                    kind=kind,
                    max_points=maximum,
                )
            )
    return Criterion.objects.bulk_create(leaves)


def generate() -> None:
    """The data set, in bulk: 60 departments in one cluster, two years as described above."""
    from decimal import Decimal

    from django.utils import timezone

    from cluster_portal.collation import vi_sort_key
    from evaluations.models import Assessment, Evaluation, Result, Score
    from evaluations.selectors import results_compute
    from members.models import Cluster, ClusterYear, Department, Membership, User

    departments = Department.objects.bulk_create(
        Department(
            code=f"so-{n}",
            full_name=f"Sở Nội vụ tỉnh Thử Nghiệm {n}",
            short_name=f"SNV {n}",
            province=f"Tỉnh {n}",
            sort_key=vi_sort_key(f"Tỉnh {n}", f"Sở Nội vụ tỉnh Thử Nghiệm {n}"),
            parent_body=f"UBND TỈNH THỬ NGHIỆM {n}",
            head_name=f"Giám đốc {n}",
        )
        for n in range(MEMBERS)
    )
    cluster = Cluster.objects.create(code="cum-ket-qua", name="Cụm thi đua thử nghiệm")
    now = timezone.now()
    for year in (PUBLISHED_YEAR, CHECKING_YEAR):
        cluster_year = ClusterYear.objects.create(
            cluster=cluster, year=year, phase=ClusterYear.Phase.EVALUATION
        )
        memberships = Membership.objects.bulk_create(
            Membership(
                cluster_year=cluster_year,
                department=department,
                role=Membership.Role.LEADER if n == 0 else Membership.Role.MEMBER,
                **Membership.snapshot_of(department),
            )
            for n, department in enumerate(departments)
        )
        evaluation = Evaluation.objects.create(
            cluster_year=cluster_year,
            phase=Evaluation.Phase.CHECKING,
            table_adopted_at=now,
            results_number="05/BC-CTĐ",
        )
        evaluation.classifications.create(label="Hoàn thành xuất sắc", min_total=Decimal("100"))
        evaluation.classifications.create(label="Hoàn thành tốt", min_total=Decimal("80"))
        leaves = _table(evaluation)
        assessments = Assessment.objects.bulk_create(
            Assessment(
                evaluation=evaluation,
                membership=membership,
                state=Assessment.State.FINALISED,
                submitted_at=now,
                finalised_at=now,
            )
            for membership in memberships
        )
        scores = []
        for n, assessment in enumerate(assessments):
            for m, leaf in enumerate(leaves):
                # Varied, on the 0,25 step, within the line's maximum.
                points = leaf.max_points * Decimal((n * 7 + m * 3) % 11) / Decimal(10)
                points = (points * 4).quantize(Decimal("1")) / 4
                points = min(points, leaf.max_points)
                scores.append(
                    Score(
                        assessment=assessment,
                        criterion=leaf,
                        max_points=leaf.max_points,
                        self_points=points,
                        final_points=points,
                    )
                )
        Score.objects.bulk_create(scores, batch_size=4000)
        if year == PUBLISHED_YEAR:
            rows = results_compute(evaluation=evaluation)
            Result.objects.bulk_create(
                Result(
                    evaluation=evaluation,
                    membership=row.membership,
                    subtotals={code: f"{value:.2f}" for code, value in row.subtotals.items()},
                    base_points=row.base,
                    bonus=row.bonus,
                    penalty=row.penalty,
                    total=row.total,
                    rank=row.rank,
                    classification=row.classification,
                )
                for row in rows
            )
            Evaluation.objects.filter(pk=evaluation.pk).update(
                phase=Evaluation.Phase.PUBLISHED, published_at=now
            )
    User.objects.create(username="bench-reviewer", role=User.Role.REVIEWER)


def run() -> dict:
    """Set up Django on a fresh PostgreSQL database, generate, measure; the figures."""
    url = os.environ.get("BENCH_RESULTS_PG_URL", DEFAULT_URL)
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
        setup_test_environment()
        logging.getLogger("axes").setLevel(logging.WARNING)
        try:
            with override_settings(ROOT_URLCONF="bench.urls"):
                client = Client()
                client.force_login(User.objects.get(username="bench-reviewer"))
                published_url = f"/evaluations/cum-ket-qua/{PUBLISHED_YEAR}/results/"
                provisional_url = f"/evaluations/cum-ket-qua/{CHECKING_YEAR}/results/"

                def get(url):
                    def action():
                        response = client.get(url)
                        if response.status_code != 200:
                            raise RuntimeError(f"GET {url} answered {response.status_code}")
                        return response.content

                    return action

                rows = get(published_url)().decode().count('class="text-end fw-bold result-total')
                provisional_rows = (
                    get(provisional_url)().decode().count('class="text-end fw-bold result-total')
                )
                for _warm in range(3):
                    get("/bench-minimal/")()
                    get(published_url)()
                _ignored, provisional_timing = measure_interleaved(
                    ("minimal", get("/bench-minimal/"), 1),
                    ("provisional", get(provisional_url), 1),
                    rounds=PROVISIONAL_RUNS,
                )
                minimal_timing, published_timing = measure_interleaved(
                    ("minimal", get("/bench-minimal/"), 10),
                    ("published", get(published_url), 2),
                    rounds=RUNS // 2,
                )
        finally:
            teardown_test_environment()
            connections.close_all()
    finally:
        recreate(url, drop_only=True)
    return {
        "minimal": minimal_timing.seconds,
        "published": published_timing.seconds,
        "provisional": provisional_timing.seconds,
        "rows": rows,
        "provisional_rows": provisional_rows,
    }


def verdict_from(figures: dict):
    from bench.timing import Timing, Verdict

    minimal = Timing("minimal Django view (HttpResponse, same middleware)", figures["minimal"])
    published = Timing(
        f"results page, published ({MEMBERS} members × {CRITERIA} criteria)",
        figures["published"],
    )
    provisional = Timing(
        f"results page, provisional (computed from {MEMBERS * CRITERIA:,} scores per request)",
        figures["provisional"],
    )

    def rps(timing):
        return len(timing.seconds) / sum(timing.seconds)

    ratio = rps(published) / rps(minimal)
    provisional_ratio = rps(provisional) / rps(minimal)
    return Verdict(
        name="Evaluation results page throughput against a minimal view (PostgreSQL)",
        timings=[minimal, published, provisional],
        ratio=ratio,
        floor=FLOOR,
        at_least=True,
        ratio_label="Published results page throughput ÷ minimal view throughput",
        notes=[
            f"data set: {MEMBERS} members × {CRITERIA} criteria in each of two years; "
            f"{figures['rows']} rows on the published page, {figures['provisional_rows']} on "
            "the provisional one; the page uses no cache",
            f"throughput: published {rps(published):.1f} req/s, minimal {rps(minimal):.1f} "
            f"req/s (ratio {100 * ratio:.1f}%, floor {100 * FLOOR:.0f}%)",
            f"the provisional page (before publication, secretariat and reviewers only) "
            f"recomputes every total from the scores: {rps(provisional):.1f} req/s, "
            f"{100 * provisional_ratio:.1f}% of the minimal view; for information, not part "
            "of the floor",
        ],
    )


def in_subprocess():
    """Run this benchmark in its own process and return its verdict."""
    return process.in_subprocess("bench.results", verdict_from)


if __name__ == "__main__":
    sys.exit(process.main(run, verdict_from))
