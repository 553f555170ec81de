"""Issue 7, "Load": a signing day on gunicorn and PostgreSQL, driven by locust.

Run alone with ``python -m bench.load`` (prints the verdict, exit 1 if a floor fails) or from
``python -m bench`` through ``in_subprocess()``. It needs the bench extras (locust), which
``make bench`` installs from ``requirements-bench.lock``.

Set-up: a throw-away PostgreSQL database (``BENCH_LOAD_PG_URL``, default
``postgres://postgres@127.0.0.1:5432/cp_bench_load``; dropped at the end) is migrated and
loaded with the demo. The demo's 2026 covenant gets a new version (which voids the three
signatures it had) and is opened for signing again, so that no member has signed. The
portal is then served by gunicorn with production settings (DEBUG off, collected static
files, JSON logs) plus the minimal view of ``bench/urls.py``.

Two locust phases against that one server, in this one run (``bench/locustfile.py``):

1. baseline: 100 users, logged in, asking only for the minimal view;
2. signing day: 100 users mixing the dashboard, the covenant, its status board, the calendar,
   the reviewer overview and the minimal view; among them two sessions for the signatory of
   every member department, which all submit the signing form at the same moment once
   every user has been started.

Floors: zero errors (no failed request, no user error, no ERROR line in the server's log);
every member department's signature recorded exactly once (one row, one audit event, one
"recorded" answer and one refusal per department); the audit chain intact afterwards; the
covenant completed and its PDF issued once.

Issue 14: one background-task worker (``manage.py db_worker``) runs beside the server, as in
production; it issues the PDF and sends the e-mail. Floor: the signing POST's median is at
most 1.5× the login POST's median in the same run (both check one password; the last
signatory no longer waits for rendering and sealing). Reported: the time from the last
signature (the covenant's completion) to its issued PDF being downloadable (one covenant
per run, so one measurement: its median and p95 are that value).
"""

import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

from bench import process
from bench.postgres import recreate

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cp_bench_load"
USERS = 100
SPAWN_RATE = 10  # users started per second (each logs in: Argon2 is meant to be slow)
BASELINE_SECONDS = 40
MIX_SECONDS = 90
SESSIONS_PER_SIGNATORY = 2
WORKERS, THREADS = 3, 4  # gunicorn, as in the README's deployment section, with threads
KEEP_ALIVE = 5  # seconds gunicorn keeps an idle connection open
CLUSTER, YEAR = "bac-bo", 2026
SIGNING_WINDOW = 10  # seconds after the signatories submit, reported on their own
NOT_PAGES = {"login form", "login (POST)", "signing form", "sign (POST)"}
SIGN_VS_LOGIN_FLOOR = 1.5  # signing POST median ÷ login POST median, at most
ISSUE_WAIT_SECONDS = 180  # how long to wait, after the load, for the worker's PDF
MIX_CLASSES = ("SignatoryUser", "MemberUser", "SecretariatUser", "ReviewerUser")


def _server_environment(url: str, tmp: Path) -> dict:
    """Production settings over plain HTTP on 127.0.0.1 (no TLS in a bench)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "WARNING",
    }


def prepare() -> dict:
    """Reopen the demo's 2026 covenant as a new version nobody has signed; the run's config."""
    from django.test.utils import override_settings
    from django.utils import translation
    from django.utils.html import escape

    from agreements import permissions, services
    from agreements.models import Covenant
    from cluster_portal.models import AuditEvent
    from members.demo import DEMO_PASSWORD
    from members.models import User

    admin = User.objects.get(username="admin")
    covenant = Covenant.objects.get(cluster_year__cluster__code=CLUSTER, cluster_year__year=YEAR)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        services.covenant_new_version(
            covenant=covenant, reason="Đo tải: mọi thành viên xác nhận lại cùng lúc.", by=admin
        )
        covenant.refresh_from_db()
        services.covenant_open_for_signing(covenant=covenant, by=admin)
    covenant.refresh_from_db()
    members = permissions.member_department_ids(covenant)
    users = User.objects.filter(department_id__in=members, is_active=True).order_by("username")
    signatories = [u.username for u in users if u.role == User.Role.SIGNATORY]
    if {u.department_id for u in users if u.role == User.Role.SIGNATORY} != members:
        raise RuntimeError("every member department needs a signatory in the demo")
    # The answers a losing session may get, as the page shows them (Vietnamese, escaped).
    with translation.override("vi"):
        refusals = [
            escape(translation.gettext("Your department has already responded to this covenant.")),
            escape(translation.gettext("The covenant is not open for signing.")),
        ]
    base = f"/covenants/{CLUSTER}/{YEAR}/"
    return {
        "password": DEMO_PASSWORD,
        "signatories": signatories,
        "sessions_per_signatory": SESSIONS_PER_SIGNATORY,
        "members": [u.username for u in users if u.role != User.Role.SIGNATORY],
        "secretariat": ["secretariat"],
        "reviewers": ["reviewer"],
        "covenant_url": base,
        "board_url": f"{base}board/",
        "sign_url": f"{base}sign/",
        "calendar_url": "/plans/calendar/",
        "overview_url": f"/reports/?year={YEAR}",
        "refusals": refusals,
        "covenant_pk": covenant.pk,
        "members_count": len(members),
        "last_event_before": AuditEvent.objects.order_by("-pk").values_list("pk", flat=True)[0],
    }


def _wait_for(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local)
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def _locust(host: str, classes, seconds: int, config: dict, out: Path, log: Path) -> dict:
    """One headless locust run; its records (see bench/locustfile.py)."""
    env = {**os.environ, "BENCH_LOAD_CONFIG": json.dumps(config), "BENCH_LOAD_OUT": str(out)}
    with log.open("w") as handle:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "--locustfile",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                host,
                "--users",
                str(USERS),
                "--spawn-rate",
                str(SPAWN_RATE),
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "30",
                "--exit-code-on-error",
                "0",
                "--only-summary",
                *classes,
            ],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            check=True,
            timeout=seconds + 120,
        )
    data = json.loads(out.read_text())
    data["seconds"] = seconds
    return data


def _server_errors(log: Path) -> list[str]:
    """ERROR and CRITICAL lines from gunicorn and the portal's JSON log."""
    errors = []
    for line in log.read_text(errors="replace").splitlines():
        try:
            level = json.loads(line).get("level", "")
        except (ValueError, AttributeError):
            level = "ERROR" if "[ERROR]" in line or "[CRITICAL]" in line else ""
        if level in ("ERROR", "CRITICAL"):
            errors.append(line[:300])
    return errors


def verify(config: dict) -> dict:
    """What the database says after the run."""
    from agreements import permissions
    from agreements.models import Covenant, CovenantDocument, Signature
    from cluster_portal.audit import audit_verify
    from cluster_portal.models import AuditEvent

    covenant = Covenant.objects.get(pk=config["covenant_pk"])
    members = permissions.member_department_ids(covenant)
    rows = Counter(
        Signature.objects.filter(
            covenant=covenant, version__number=covenant.version, voided_at__isnull=True
        ).values_list("department_id", flat=True)
    )
    events = Counter(
        AuditEvent.objects.filter(
            pk__gt=config["last_event_before"], action="signature.signed"
        ).values_list("actor__department_id", flat=True)
    )
    checked, broken = audit_verify()
    return {
        "completed": covenant.state == Covenant.State.SIGNED,
        "signature_rows_exactly_once": rows == Counter(dict.fromkeys(members, 1)),
        "audit_events_exactly_once": events == Counter(dict.fromkeys(members, 1)),
        "rows": sum(rows.values()),
        "events": sum(events.values()),
        "audit_checked": checked,
        "audit_intact": broken is None,
        "audit_break": str(broken) if broken else "",
        "documents": CovenantDocument.objects.filter(covenant=covenant).count(),
        "completion_to_pdf_seconds": _completion_to_pdf(covenant, config["last_event_before"]),
    }


def _completion_to_pdf(covenant, after_event: int) -> float | None:
    """Seconds from the covenant's completion (committed with the last signature) to its
    issued PDF (committed by the worker's task, downloadable from then on); None if not."""
    from cluster_portal.models import AuditEvent

    times = dict(
        AuditEvent.objects.filter(
            pk__gt=after_event,
            target_type="agreements.covenant",
            target_id=str(covenant.pk),
            action__in=["covenant.completed", "covenant.issued"],
        ).values_list("action", "created_at")
    )
    if len(times) != 2:
        return None
    return (times["covenant.issued"] - times["covenant.completed"]).total_seconds()


def _start_task_worker(env: dict, log) -> subprocess.Popen:
    """One background-task worker beside the server, as production runs it."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait_for_document(config: dict, seconds: float) -> None:
    from django.db import connections

    from agreements.models import CovenantDocument

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if CovenantDocument.objects.filter(covenant_id=config["covenant_pk"]).exists():
            break
        connections.close_all()
        time.sleep(1)


def run() -> dict:
    """Set up, serve, load, verify; the figures (JSON-serialisable)."""
    url = os.environ.get("BENCH_LOAD_PG_URL", DEFAULT_URL)
    with tempfile.TemporaryDirectory(prefix="cluster-portal-load-") as tmp:
        tmp = Path(tmp)
        server_env = _server_environment(url, tmp)
        os.environ.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            DEBUG="1",
            # The server's key here too: the audit chain's HMAC key and the demo seal key's
            # passphrase derive from it, and this process writes events and issues the demo
            # PDF (its task worker) that the server and its worker must verify and reuse.
            SECRET_KEY=server_env["SECRET_KEY"],
            DATABASE_URL=url,
            MEDIA_ROOT=server_env["MEDIA_ROOT"],
        )
        recreate(url)
        try:
            import django

            django.setup()
            from django.core.management import call_command
            from django.db import connections
            from django.test.utils import override_settings

            call_command("migrate", verbosity=0, interactive=False)
            with open(os.devnull, "w") as quiet:
                call_command("load_demo", stdout=quiet)
            config = prepare()
            # The demo's own queued tasks (its 2019 PDF, the e-mail of reopening) run now,
            # so that the worker of the run starts with an empty queue.
            with (
                open(os.devnull, "w") as quiet,
                override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            ):
                call_command(
                    "db_worker",
                    batch=True,
                    reload=False,
                    startup_delay=False,
                    verbosity=0,
                    stdout=quiet,
                )
            connections.close_all()
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
                cwd=ROOT,
                env=server_env,
                check=True,
            )
            port = 18000 + secrets.randbelow(1000)
            host = f"http://127.0.0.1:{port}"
            server_log = tmp / "gunicorn.log"
            worker_log = tmp / "worker.log"
            with server_log.open("w") as log_handle, worker_log.open("w") as worker_handle:
                task_worker = _start_task_worker(server_env, worker_handle)
                server = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "cluster_portal.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        str(WORKERS),
                        "--threads",
                        str(THREADS),
                        "--timeout",
                        "60",
                        # Longer than the users' think time, as behind a reverse proxy: with
                        # gunicorn's default of 2 s, a connection it closes just as the client
                        # reuses it is lost without an answer (seen here: status 0).
                        "--keep-alive",
                        str(KEEP_ALIVE),
                    ],
                    cwd=ROOT,
                    env=server_env,
                    stdout=log_handle,
                    stderr=subprocess.STDOUT,
                )
                try:
                    _wait_for(f"{host}/healthz", server)
                    baseline = _locust(
                        host,
                        ["MinimalUser"],
                        BASELINE_SECONDS,
                        {**config, "signatories": []},
                        tmp / "baseline.json",
                        tmp / "locust-baseline.log",
                    )
                    mix = _locust(
                        host,
                        MIX_CLASSES,
                        MIX_SECONDS,
                        config,
                        tmp / "mix.json",
                        tmp / "locust-mix.log",
                    )
                    _wait_for_document(config, ISSUE_WAIT_SECONDS)
                finally:
                    server.send_signal(signal.SIGTERM)
                    server.wait(timeout=60)
                    task_worker.send_signal(signal.SIGTERM)
                    task_worker.wait(timeout=60)
            state = verify(config)
            connections.close_all()
            return {
                "baseline": baseline,
                "mix": mix,
                "state": state,
                "server_errors": _server_errors(server_log) + _server_errors(worker_log),
                "config": {k: config[k] for k in ("signatories", "members_count")},
                "workers": WORKERS,
                "threads": THREADS,
            }
        finally:
            recreate(url, drop_only=True)


class LoadVerdict:
    """The load run's figures and floors, printed like the other benchmarks' verdicts."""

    name = "Signing day under load (gunicorn, PostgreSQL, locust)"

    def __init__(self, figures: dict):
        self.figures = figures
        baseline, mix, state = figures["baseline"], figures["mix"], figures["state"]
        outcomes = mix["sign_outcomes"]
        members = figures["config"]["members_count"]
        recorded = sum(o.count("recorded") for o in outcomes.values())
        refused = sum(o.count("refused") for o in outcomes.values())
        failures = sum(failed for *_, failed, _end in baseline["records"] + mix["records"])
        user_errors = baseline["user_errors"] + mix["user_errors"]
        messages = Counter(baseline["failures"]) + Counter(mix["failures"])
        self.checks = [
            (
                f"failed requests: {failures}"
                + "".join(f"; {count}× {message}" for message, count in messages.most_common(3)),
                failures == 0,
            ),
            (
                f"errors inside locust users: {len(user_errors)}"
                + (f" (first: {user_errors[0]})" if user_errors else ""),
                not user_errors,
            ),
            (
                f"server log ERROR/CRITICAL lines: {len(figures['server_errors'])}",
                not figures["server_errors"],
            ),
            (
                f"signing answers: {recorded} recorded, {refused} refused (already "
                f"responded, or no longer open), "
                f"for {members} member departments × {SESSIONS_PER_SIGNATORY} sessions",
                recorded == members and refused == members * (SESSIONS_PER_SIGNATORY - 1),
            ),
            (
                f"signature rows: {state['rows']}, exactly one per member department",
                state["signature_rows_exactly_once"],
            ),
            (
                f"'signature.signed' audit events: {state['events']}, exactly one per department",
                state["audit_events_exactly_once"],
            ),
            (
                f"audit chain: {state['audit_checked']} events checked, "
                + ("intact" if state["audit_intact"] else f"BROKEN: {state['audit_break']}"),
                state["audit_intact"],
            ),
            ("covenant completed", state["completed"]),
            (f"issued PDF documents: {state['documents']} (exactly 1)", state["documents"] == 1),
        ]
        self.sign_vs_login = self._median_ratio(mix, "sign (POST)", "login (POST)")
        self.checks.append(
            (
                f"signing POST median ÷ login POST median: {self.sign_vs_login:.2f}× "
                f"(floor ≤ {SIGN_VS_LOGIN_FLOOR}×)",
                self.sign_vs_login <= SIGN_VS_LOGIN_FLOOR,
            )
        )

    @staticmethod
    def _median_ratio(data: dict, name: str, against: str) -> float:
        from bench.timing import Timing

        def median(request: str) -> float:
            seconds = [ms / 1000 for n, ms, _failed, _end in data["records"] if n == request]
            return Timing(request, seconds).median if seconds else float("nan")

        return median(name) / median(against)

    @property
    def passed(self) -> bool:
        return all(ok for _label, ok in self.checks)

    @staticmethod
    def _rows(phase: str, data: dict) -> list[str]:
        from bench.timing import Timing

        by_name: dict[str, list] = {}
        for name, milliseconds, failed, _end in data["records"]:
            by_name.setdefault(name, []).append((milliseconds / 1000, failed))
        rows = []
        total = sum(len(v) for v in by_name.values())
        for name in sorted(by_name, key=lambda n: -len(by_name[n])):
            timing = Timing(name, [seconds for seconds, _failed in by_name[name]])
            errors = sum(failed for _seconds, failed in by_name[name])
            rows.append(
                f"| {phase} | {name} | {len(timing.seconds)} | {timing.median * 1000:.0f} ms "
                f"| {timing.p95 * 1000:.0f} ms | {len(timing.seconds) / data['seconds']:.1f} "
                f"| {errors} |"
            )
        rows.append(
            f"| {phase} | **all requests** | {total} | | | "
            f"**{total / data['seconds']:.1f}** | "
            f"{sum(failed for *_, failed, _end in data['records'])} |"
        )
        return rows

    @staticmethod
    def _window(label: str, data: dict, start: float, end: float) -> str:
        """Median, p95 and throughput of the pages (not logins or signing) in a time window."""
        from bench.timing import Timing

        seconds = [
            milliseconds / 1000
            for name, milliseconds, _failed, ended in data["records"]
            if start <= ended <= end and name not in NOT_PAGES
        ]
        if not seconds:
            return f"- {label}: no page requests"
        timing = Timing(label, seconds)
        return (
            f"- {label}: {len(seconds)} page requests, median {timing.median * 1000:.0f} ms, "
            f"p95 {timing.p95 * 1000:.0f} ms, {len(seconds) / (end - start):.1f} req/s"
        )

    def _windows(self) -> list[str]:
        baseline, mix = self.figures["baseline"], self.figures["mix"]
        lines = []
        for phase, data in (("baseline", baseline), ("signing day", mix)):
            spawned = data["moments"].get("spawned")
            if spawned is None:
                continue
            end = max(ended for *_, ended in data["records"])
            lines.append(self._window(f"{phase}, once all users are started", data, spawned, end))
        signing = mix["moments"].get("signing")
        if signing is not None:
            lines.append(
                self._window(
                    f"signing day, the {SIGNING_WINDOW} s from the signatories' submission",
                    mix,
                    signing,
                    signing + SIGNING_WINDOW,
                )
            )
        return lines

    def _completion_line(self) -> str:
        seconds = self.figures["state"].get("completion_to_pdf_seconds")
        if seconds is None:
            return "Last signature → issued PDF downloadable: not issued within the wait."
        return (
            f"Last signature → issued PDF downloadable (background task, one worker): "
            f"{seconds:.2f} s (one covenant in the run: median = p95 = {seconds:.2f} s)"
        )

    def lines(self) -> list[str]:
        figures = self.figures
        return [
            f"### {self.name}",
            "",
            f"{USERS} concurrent users (think time 1–3 s, {SPAWN_RATE} started per second) "
            f"against gunicorn ({figures['workers']} workers × {figures['threads']} threads, "
            f"keep-alive {KEEP_ALIVE} s, production settings) on PostgreSQL; "
            f"baseline {BASELINE_SECONDS} s, signing day {MIX_SECONDS} s; throughput is "
            "requests per second over the phase.",
            "",
            "| phase | request | count | median | p95 | req/s | errors |",
            "|---|---|---|---|---|---|---|",
            *self._rows("baseline", figures["baseline"]),
            *self._rows("signing day", figures["mix"]),
            "",
            "The logins at the start (Argon2, 10 a second) weigh on every p95 above; without them:",
            *self._windows(),
            "",
            self._completion_line(),
            "",
            *[f"- {'PASS' if ok else 'FAIL'}: {label}" for label, ok in self.checks],
            "",
            f"Floors (zero errors, each signature exactly once, audit chain intact, signing "
            f"POST ≤ {SIGN_VS_LOGIN_FLOOR}× login POST) → "
            f"**{'PASS' if self.passed else 'FAIL'}**",
            "",
        ]


def in_subprocess():
    """Run this benchmark in its own process and return its verdict."""
    return process.in_subprocess("bench.load", LoadVerdict)


if __name__ == "__main__":
    sys.exit(process.main(run, LoadVerdict))
