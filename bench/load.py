"""Issue 7, "Load", and issue 14, "Scale-out proved": a signing day on two app servers.

Run alone with ``python -m bench.load`` (prints the verdict, exit 1 if a floor fails) or from
``python -m bench`` through ``in_subprocess()``. It needs the bench extras (locust), which
``make bench`` installs from ``requirements-bench.lock``.

Set-up: a throw-away PostgreSQL database (``BENCH_LOAD_PG_URL``, default
``postgres://postgres@127.0.0.1:5432/cp_bench_load``; dropped at the end) is migrated and
loaded with the demo. The demo's 2026 covenant gets a new version (which voids the three
signatures it had) and is opened for signing again, so that no member has signed. The
portal is then served as it is scaled out (``bench/scaleout.py``): two gunicorn app servers
with production settings (DEBUG off, collected static files, JSON logs) plus the minimal view
of ``bench/urls.py``, behind nginx (round robin), sharing the database, one Redis cache and
one S3-compatible media store (moto's server), plus a task worker when the portal has one.
The database and media store are filled through the same settings before the servers start.

Two locust phases against nginx's address, in this one run (``bench/locustfile.py``):

1. baseline: 100 users, logged in, asking only for the minimal view;
2. signing day: 100 users mixing the dashboard, the covenant, its status board, the calendar,
   the reviewer overview and the minimal view; among them two sessions for the signatory of
   every member department, which all submit the signing form at the same moment once
   every user has been started (the burst); and, ``SPREAD_AFTER`` seconds later, the
   signatories of a second covenant (its own cluster of ``SPREAD_DEPARTMENTS`` departments,
   one session each), submitting one after another at the rate the logins arrive. The burst
   measures the worst moment of a signing conference (everyone clicks together, half of the
   sessions are a second tab of the same person, whose password checks run one at a time);
   the spread requests are the like-for-like comparison with a login: one password check
   each, arriving as the logins do.

Floors: zero errors (no failed request, no user error, no ERROR line in the server's log);
every member department's signature recorded exactly once (one row, one audit event, one
"recorded" answer and one refusal per department); the audit chain intact afterwards; the
covenant completed and its PDF issued once. Across servers: both app servers served the
users; nothing answered 5xx at the proxy; the cluster year's motto changed through server A's
form shows on server B's page at once; the issued PDF downloads byte-identical from each
server, equal to the object in the store and to the SHA-256 recorded when it was issued; no
media file was written to the local folder. Issue 14: one background-task worker
(``manage.py db_worker``) issues the PDF and sends the e-mail; floor: the signing POST's
median is at most 1.5× the login POST's median in the same run (both check one password),
for the burst and for the spread signing POSTs alike. Reported: the time from the last
signature to the issued PDF.
"""

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench import process, scaleout
from bench.postgres import recreate

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cp_bench_load"
USERS = 100
SPAWN_RATE = 10  # users started per second (each logs in: Argon2 is meant to be slow)
BASELINE_SECONDS = 40
MIX_SECONDS = 90
SESSIONS_PER_SIGNATORY = 2
CLUSTER, YEAR = "bac-bo", 2026
SIGNING_WINDOW = 10  # seconds after the signatories submit, reported on their own
NOT_PAGES = {
    "login form",
    "login (POST)",
    "signing form",
    "sign (POST)",
    "signing form, spread",
    "sign (POST), spread",
}
MIX_CLASSES = (
    "SignatoryUser",
    "SpreadSignatoryUser",
    "MemberUser",
    "SecretariatUser",
    "ReviewerUser",
)
DOCUMENT_WAIT = 120  # seconds the issued PDF may take after the run (a task, later)
SIGN_VS_LOGIN_FLOOR = 1.5  # signing POST median ÷ login POST median, at most (issue 14)
# The second covenant, signed at the login rate (one session per department).
SPREAD_CLUSTER = "bench-spread"
SPREAD_DEPARTMENTS = 14  # signing; one more member never signs, so it stays open (no PDF)
SPREAD_AFTER = 25  # seconds after the burst: its requests and PDF task are over by then


def _server_environment(url: str, tmp: Path, shared: dict) -> dict:
    """Production settings over plain HTTP on 127.0.0.1 (no TLS in a bench), the same on
    every app server and the worker; ``shared`` points them at the cache and media store."""
    return {
        **os.environ,
        **shared,
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


def prepare_spread(admin, year: int) -> dict:
    """A second cluster with its own open covenant for the spread signing: one signatory per
    department (the demo password), and one member that never signs, so that the covenant
    stays open and no second PDF is rendered during the run."""
    from django.contrib.auth.hashers import make_password

    from agreements import services
    from members.demo import DEMO_PASSWORD
    from members.models import Cluster, ClusterYear, Department, Membership, User

    cluster = Cluster.objects.create(
        code=SPREAD_CLUSTER, name="Cụm thi đua đo tải (ký rải đều)", is_illustrative=True
    )
    cluster_year = ClusterYear.objects.create(cluster=cluster, year=year, is_illustrative=True)
    password = make_password(DEMO_PASSWORD)  # one Argon2 hash for every account
    signatories = []
    for number in range(SPREAD_DEPARTMENTS + 1):
        department = Department.objects.create(
            code=f"do-tai-{number:02d}",
            full_name=f"Sở Nội vụ đo tải số {number:02d}",
            short_name=f"SNV đo tải {number:02d}",
            province=f"Tỉnh đo tải {number:02d}",
            parent_body=f"UBND TỈNH ĐO TẢI {number:02d}",
        )
        Membership.objects.create(
            cluster_year=cluster_year,
            department=department,
            role=Membership.Role.LEADER if number == 0 else Membership.Role.MEMBER,
            **Membership.snapshot_of(department),
        )
        user = User.objects.create(
            username=f"do-tai-{number:02d}.signer",
            password=password,
            department=department,
            role=User.Role.SIGNATORY,
            first_name=f"Giám đốc SNV đo tải {number:02d}",
            position="Giám đốc Sở Nội vụ",
            email=f"do-tai-{number:02d}.signer@thidua.example",
        )
        if number:  # the leader's signatory (number 0) never signs
            signatories.append(user.username)
    covenant = services.covenant_create(
        cluster_year=cluster_year,
        title=f"Giao ước thi đua năm {year} (đo tải)",
        preamble="Giao ước dùng cho phép đo tải: các thành viên ký lần lượt.",
        place="Hà Nội",
        deadline=None,
        commitments=["Cam kết thứ nhất của phép đo tải.", "Cam kết thứ hai của phép đo tải."],
        by=admin,
    )
    services.covenant_open_for_signing(covenant=covenant, by=admin)
    base = f"/covenants/{SPREAD_CLUSTER}/{year}/"
    return {
        "spread_signatories": signatories,
        "spread_covenant_url": base,
        "spread_sign_url": f"{base}sign/",
        "spread_board_url": f"{base}board/",
        "spread_covenant_pk": covenant.pk,
        "spread_after_seconds": SPREAD_AFTER,
        "spawn_rate": SPAWN_RATE,
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
    covenant = Covenant.objects.select_related("cluster_year").get(
        cluster_year__cluster__code=CLUSTER, cluster_year__year=YEAR
    )
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        services.covenant_new_version(
            covenant=covenant, reason="Đo tải: mọi thành viên xác nhận lại cùng lúc.", by=admin
        )
        covenant.refresh_from_db()
        services.covenant_open_for_signing(covenant=covenant, by=admin)
    covenant.refresh_from_db()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        spread = prepare_spread(admin, YEAR)
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
        "pdf_url": f"{base}pdf/",
        "year_url": f"/clusters/{CLUSTER}/{YEAR}/",
        "theme": covenant.cluster_year.theme,
        "phase": covenant.cluster_year.phase,
        "calendar_url": "/plans/calendar/",
        "overview_url": f"/reports/?year={YEAR}",
        "refusals": refusals,
        "covenant_pk": covenant.pk,
        "members_count": len(members),
        "last_event_before": AuditEvent.objects.order_by("-pk").values_list("pk", flat=True)[0],
        **spread,
    }


def _locust(
    host: str, classes, seconds: int, config: dict, out: Path, log: Path, users: int = USERS
) -> dict:
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
                str(users),
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


def verify(config: dict) -> dict:
    """What the database says after the run."""
    from agreements import permissions
    from agreements.models import Covenant, CovenantDocument, Signature
    from cluster_portal.audit import audit_verify
    from cluster_portal.models import AuditEvent
    from members.models import Department

    covenant = Covenant.objects.get(pk=config["covenant_pk"])
    members = permissions.member_department_ids(covenant)
    rows = Counter(
        Signature.objects.filter(
            covenant=covenant, version__number=covenant.version, voided_at__isnull=True
        ).values_list("department_id", flat=True)
    )

    def signed_events(covenant_pk: int) -> Counter:
        return Counter(
            AuditEvent.objects.filter(
                pk__gt=config["last_event_before"],
                action="signature.signed",
                target_type="agreements.covenant",
                target_id=str(covenant_pk),
            ).values_list("actor__department_id", flat=True)
        )

    events = signed_events(covenant.pk)
    spread = Covenant.objects.get(pk=config["spread_covenant_pk"])
    spread_rows = Counter(
        Signature.objects.filter(covenant=spread, voided_at__isnull=True).values_list(
            "department_id", flat=True
        )
    )
    spread_events = signed_events(spread.pk)
    spread_signers = set(
        Department.objects.filter(users__username__in=config["spread_signatories"]).values_list(
            "pk", flat=True
        )
    )
    checked, broken = audit_verify()
    document = CovenantDocument.objects.filter(covenant=covenant).first()
    last_signed = (
        Signature.objects.filter(covenant=covenant, version__number=covenant.version)
        .order_by("-signed_at")
        .values_list("signed_at", flat=True)
        .first()
    )
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
        "spread_rows": sum(spread_rows.values()),
        "spread_exactly_once": spread_rows == Counter(dict.fromkeys(spread_signers, 1))
        and spread_events == spread_rows,
        "spread_open": spread.state == Covenant.State.OPEN,
        "issued_after_last_signature_s": (document.issued_at - last_signed).total_seconds()
        if document and last_signed
        else None,
    }


def _wait_for_document(covenant_pk: int) -> None:
    """Until the covenant's PDF is issued (by the last signing request, or by a task)."""
    from agreements.models import CovenantDocument

    deadline = time.monotonic() + DOCUMENT_WAIT
    while time.monotonic() < deadline:
        if CovenantDocument.objects.filter(covenant_id=covenant_pk).exists():
            return
        time.sleep(0.5)


def _document(covenant_pk: int) -> dict | None:
    """The issued PDF's storage name and recorded SHA-256."""
    from agreements.models import CovenantDocument

    document = CovenantDocument.objects.filter(covenant_id=covenant_pk).first()
    return {"name": document.file.name, "sha256": document.sha256} if document else None


def _across_servers(stack: scaleout.ScaleOut, config: dict, media_root: Path) -> dict:
    """What only several servers can show: shared state, the proxy's spread, no local media."""
    _wait_for_document(config["covenant_pk"])
    document = _document(config["covenant_pk"])
    by_server, proxy_5xx = stack.upstream_counts()
    return {
        "pdf": scaleout.pdf_on_every_server(stack, config, document) if document else None,
        "change": scaleout.change_on_one_read_on_other(stack, config),
        "by_server": dict(by_server),
        "proxy_5xx": proxy_5xx,
        "redis": stack.redis_info(),
        "s3_objects": stack.s3_count(),
        "local_media_files": sum(1 for f in media_root.rglob("*") if f.is_file()),
        "exited": stack.exited(),
        "worker": stack.worker,
    }


def run() -> dict:
    """Set up, serve, load, verify; the figures (JSON-serialisable)."""
    url = os.environ.get("BENCH_LOAD_PG_URL", DEFAULT_URL)
    with (
        tempfile.TemporaryDirectory(prefix="cluster-portal-load-") as tmp,
        scaleout.ScaleOut(Path(tmp)) as stack,
    ):
        tmp = Path(tmp)
        server_env = _server_environment(url, tmp, stack.start_services())
        # This process fills the same database and media store, with the servers' keys (the
        # audit chain's HMAC and the demo seal's passphrase derive from SECRET_KEY).
        os.environ.update(
            {
                name: server_env[name]
                for name in ("SECRET_KEY", "DATABASE_URL", "MEDIA_ROOT", "REDIS_URL")
            },
            **{name: server_env[name] for name in server_env if name.startswith("AWS_")},
            DJANGO_SETTINGS_MODULE="bench.settings",
            DEBUG="1",
            MEDIA_STORAGE="s3",
        )
        recreate(url)
        try:
            import django

            django.setup()
            from django.core.management import call_command
            from django.db import connections

            call_command("migrate", verbosity=0, interactive=False)
            with open(os.devnull, "w") as quiet:
                call_command("load_demo", stdout=quiet)
            config = prepare()
            connections.close_all()
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
                cwd=ROOT,
                env=server_env,
                check=True,
            )
            stack.start_portal(server_env)
            baseline = _locust(
                stack.proxy,
                ["MinimalUser"],
                BASELINE_SECONDS,
                {**config, "signatories": [], "spread_signatories": []},
                tmp / "baseline.json",
                tmp / "locust-baseline.log",
            )
            mix = _locust(
                stack.proxy,
                MIX_CLASSES,
                MIX_SECONDS,
                config,
                tmp / "mix.json",
                tmp / "locust-mix.log",
                # The spread signatories come on top of the 100, so that the browsing load
                # and the burst stay as they were before they were added.
                users=USERS + len(config["spread_signatories"]),
            )
            across = _across_servers(stack, config, Path(server_env["MEDIA_ROOT"]))
            logs = stack.logs()
            stack.stop()
            state = verify(config)
            connections.close_all()
            return {
                "baseline": baseline,
                "mix": mix,
                "state": state,
                "across": across,
                "server_errors": [e for log in logs for e in scaleout.log_errors(log)],
                "config": {
                    k: config[k] for k in ("signatories", "members_count", "spread_signatories")
                },
                "servers": scaleout.SERVERS,
                "workers": scaleout.WORKERS,
                "threads": scaleout.THREADS,
            }
        finally:
            recreate(url, drop_only=True)


class LoadVerdict:
    """The load run's figures and floors, printed like the other benchmarks' verdicts."""

    name = (
        "Signing day under load, scaled out (nginx, two gunicorn servers, PostgreSQL, Redis, "
        "S3 media; locust)"
    )

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
        spread_outcomes = mix.get("spread_outcomes", {})
        spread_recorded = sum(o.count("recorded") for o in spread_outcomes.values())
        spread_sessions = len(figures["config"].get("spread_signatories", []))
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
            (
                f"spread signing: {spread_recorded} recorded of {spread_sessions} sessions; "
                f"{state['spread_rows']} signature rows and as many 'signature.signed' events, "
                "one per department; the second covenant still open (one member never signs)",
                spread_recorded == spread_sessions
                and state["spread_exactly_once"]
                and state["spread_open"],
            ),
            (f"issued PDF documents: {state['documents']} (exactly 1)", state["documents"] == 1),
            *self._across_checks(figures["across"]),
        ]
        # Issue 14: the last signatory no longer waits for rendering and sealing (a task
        # does it), so signing costs about what a login does: one password check.
        self.sign_vs_login = self._median_ratio(mix, "sign (POST)", "login (POST)")
        self.spread_vs_login = self._median_ratio(mix, "sign (POST), spread", "login (POST)")
        self.checks += [
            (
                f"signing POST median ÷ login POST median, the burst (every signatory at the "
                f"same moment, two tabs each): {self.sign_vs_login:.2f}× "
                f"(floor ≤ {SIGN_VS_LOGIN_FLOOR}×)",
                self.sign_vs_login <= SIGN_VS_LOGIN_FLOOR,
            ),
            (
                f"signing POST median ÷ login POST median, spread (one session per department, "
                f"{SPAWN_RATE} a second like the logins): {self.spread_vs_login:.2f}× "
                f"(floor ≤ {SIGN_VS_LOGIN_FLOOR}×)",
                self.spread_vs_login <= SIGN_VS_LOGIN_FLOOR,
            ),
        ]

    @staticmethod
    def _median_ratio(data: dict, name: str, against: str) -> float:
        from bench.timing import Timing

        def median(request: str) -> float:
            seconds = [ms / 1000 for n, ms, _failed, _end in data["records"] if n == request]
            return Timing(request, seconds).median if seconds else float("nan")

        return median(name) / median(against)

    @staticmethod
    def _across_checks(across: dict) -> list[tuple[str, bool]]:
        """What the second server, the proxy and the shared stores must show."""
        by_server = across["by_server"]
        total = sum(by_server.values())
        change, pdf = across["change"], across["pdf"]
        change_ok = all(
            change[k] for k in ("before_on_b", "saved_on_a", "shown_on_b", "shown_through_proxy")
        )
        return [
            (
                "requests through nginx per app server: "
                + ", ".join(f"{server}: {count}" for server, count in sorted(by_server.items()))
                + " (each at least half of an even share)",
                len(by_server) == scaleout.SERVERS
                and min(by_server.values()) >= total / (2 * scaleout.SERVERS),
            ),
            (f"answers 5xx at the proxy: {across['proxy_5xx']}", across["proxy_5xx"] == 0),
            (
                "the cluster year's motto saved through server 1's form "
                f"({'saved' if change['saved_on_a'] else 'NOT saved'}) shows on server 2's page "
                f"read {change['read_after_ms']:.0f} ms later "
                f"({'shown' if change['shown_on_b'] else 'NOT shown'}) and through nginx on "
                f"every server ({'shown' if change['shown_through_proxy'] else 'NOT shown'})",
                change_ok,
            ),
            (
                "the issued PDF downloads byte-identical from every app server and equals the "
                "S3 object and the SHA-256 recorded at issue"
                + (
                    f" ({pdf['recorded'][:16]}…)"
                    if pdf and pdf["identical"]
                    else f": {pdf['digests'] if pdf else 'no PDF issued'}"
                ),
                bool(pdf and pdf["identical"]),
            ),
            (
                f"media: {across['s3_objects']} objects in the S3 store, "
                f"{across['local_media_files']} files in the local MEDIA_ROOT",
                across["s3_objects"] >= 1 and across["local_media_files"] == 0,
            ),
            (
                "processes stopped during the run: "
                + (", ".join(across["exited"]) if across["exited"] else "none"),
                not across["exited"],
            ),
        ]

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
            spread = signing + SPREAD_AFTER
            lines.append(
                self._window(
                    f"signing day, the {SIGNING_WINDOW} s from the first spread submission",
                    mix,
                    spread,
                    spread + SIGNING_WINDOW,
                )
            )
        return lines

    def _burst_by_outcome(self) -> list[str]:
        """The burst's signing POSTs split by answer: the recorded ones are each
        department's first session; the refused ones mostly waited for the other tab's
        password check (one user's checks run one at a time) before their own."""
        from bench.timing import Timing

        lines = []
        for outcome, milliseconds in sorted(self.figures["mix"].get("sign_times", {}).items()):
            timing = Timing(outcome, [ms / 1000 for ms in milliseconds])
            lines.append(
                f"- the burst's sign (POST), {outcome}: {len(milliseconds)} requests, median "
                f"{timing.median * 1000:.0f} ms, p95 {timing.p95 * 1000:.0f} ms"
            )
        return lines

    def lines(self) -> list[str]:
        figures = self.figures
        across, state = figures["across"], figures["state"]
        redis = across["redis"]
        issued = state.get("issued_after_last_signature_s")
        return [
            f"### {self.name}",
            "",
            f"{USERS} concurrent users (think time 1–3 s, {SPAWN_RATE} started per second) "
            f"against nginx (round robin, `PROXY_COUNT=1`) in front of {figures['servers']} "
            f"gunicorn app servers ({figures['workers']} workers × {figures['threads']} threads "
            f"each, keep-alive {scaleout.KEEP_ALIVE} s, production settings), sharing one "
            "PostgreSQL, one Redis cache (`REDIS_URL`) and one S3 media store (moto's server, "
            f"`MEDIA_STORAGE=s3`), all on this machine; baseline {BASELINE_SECONDS} s, signing "
            f"day {MIX_SECONDS} s; throughput is requests per second over the phase.",
            "",
            "- task worker: "
            + (
                "`manage.py db_worker`, one process beside the servers"
                if across["worker"]
                else "none (this portal has no `db_worker` command: the last signing "
                "request issues the PDF)"
            ),
            f"- shared Redis cache afterwards: {redis['keys']} keys, {redis['hits']} hits, "
            f"{redis['misses']} misses",
            "- the issued PDF's time after the last signature: "
            + (f"{issued:.2f} s" if issued is not None else "not issued"),
            "",
            "| phase | request | count | median | p95 | req/s | errors |",
            "|---|---|---|---|---|---|---|",
            *self._rows("baseline", figures["baseline"]),
            *self._rows("signing day", figures["mix"]),
            "",
            "The logins at the start (Argon2, 10 a second) weigh on every p95 above; without them:",
            *self._windows(),
            "",
            f"Signing: `sign (POST)` is the burst ({len(figures['config']['signatories'])} "
            f"signatories × {SESSIONS_PER_SIGNATORY} sessions, all at the same moment); "
            f"`sign (POST), spread` is {len(figures['config'].get('spread_signatories', []))} "
            f"signatories of a second covenant, one session each, {SPREAD_AFTER} s later, "
            f"{SPAWN_RATE} a second like the logins ({USERS} users plus these).",
            *self._burst_by_outcome(),
            "",
            *[f"- {'PASS' if ok else 'FAIL'}: {label}" for label, ok in self.checks],
            "",
            "Floors (zero errors, each signature exactly once, audit chain intact; both "
            "servers used, a change on one shown on the other at once, the PDF identical "
            "from each, no local media; each signing POST median ≤ "
            f"{SIGN_VS_LOGIN_FLOOR}× the login POST's, burst and spread) → "
            f"**{'PASS' if self.passed else 'FAIL'}**",
            "",
        ]


def in_subprocess():
    """Run this benchmark in its own process and return its verdict."""
    return process.in_subprocess("bench.load", LoadVerdict)


def main() -> int:
    """Alone (``make bench-load``): print the verdict and append it to bench/RESULTS.md;
    with ``--json`` (from ``python -m bench``) only the figures."""
    if "--json" in sys.argv:
        return process.main(run, LoadVerdict)
    import platform

    from bench.__main__ import heading, record

    started = time.perf_counter()
    verdict = LoadVerdict(run())
    versions = f"Python {platform.python_version()}; load run only (`make bench-load`)"
    text = "\n".join(heading(time.perf_counter() - started, versions) + verdict.lines()) + "\n"
    print(text)
    record(text)
    return 0 if verdict.passed else 1


if __name__ == "__main__":
    sys.exit(main())
