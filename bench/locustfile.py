"""Locust users for the signing-day load run (driven by ``bench/load.py``; not run alone).

The run's parameters come from the JSON in ``BENCH_LOAD_CONFIG`` (accounts, password, the
covenant's URLs, the refusal messages); every request's name, time and outcome go to the
JSON file named by ``BENCH_LOAD_OUT`` when the run stops, for ``bench/load.py`` to compute
medians, 95th percentiles and throughput exactly as the other benchmarks do.

Users log in through the login form like a browser (CSRF token from the page, session
cookie) and then browse with a think time of one to three seconds:

* ``MinimalUser`` (the baseline phase) asks only for the minimal view;
* ``MemberUser``, ``SecretariatUser`` and ``ReviewerUser`` mix the dashboard, the covenant,
  its status board, the calendar, the reviewer overview and the minimal view;
* ``SignatoryUser``: two sessions per member department's signatory (the same person in two
  browser tabs). Each logs in, opens the signing form and waits; when every session is
  ready and every user of the run has been started, all of them submit at the same moment.
  One session per department must be recorded (a redirect to the covenant) and the other
  refused with the portal's message; anything else counts as an error. This is the burst:
  14 password checks at the same moment, half of them by a person whose other tab is
  checking the same password (one user's checks run one at a time, under a lock);
* ``SpreadSignatoryUser``: one session per department of a second covenant (its own
  cluster), each submitting once, ``spread_after_seconds`` after the burst and then one
  after another at the rate the logins arrive (``spawn_rate`` a second). Each request pays
  one password check and records one signature, like a login: the like-for-like figure.
"""

import itertools
import json
import os
import re
import time

import gevent
from gevent.event import Event
from locust import HttpUser, between, events

CONFIG = json.loads(os.environ.get("BENCH_LOAD_CONFIG", "{}"))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Every request: (name, milliseconds, failed, wall-clock end) — written out at the end.
RECORDS: list[tuple[str, float, bool, float]] = []
SIGN_OUTCOMES: dict[str, list[str]] = {}
SPREAD_OUTCOMES: dict[str, list[str]] = {}
# The burst's signing POSTs by outcome ("recorded", "refused"): milliseconds of each.
SIGN_TIMES: dict[str, list[float]] = {}
USER_ERRORS: list[str] = []
FAILURES: dict[str, int] = {}  # failure message → how many times
READY: set[int] = set()
EVERYONE_STARTED = Event()
GO = Event()
MOMENTS: dict[str, float] = {}  # wall-clock times: every user started, signatories released


@events.request.add_listener
def _record(name, response_time, exception, **_kwargs):
    RECORDS.append((name, response_time, exception is not None, time.time()))
    if exception is not None:
        message = f"{name}: {exception}"[:300]
        FAILURES[message] = FAILURES.get(message, 0) + 1


@events.user_error.add_listener
def _user_error(user_instance, exception, tb, **_kwargs):
    USER_ERRORS.append(f"{type(user_instance).__name__}: {exception!r}")


@events.spawning_complete.add_listener
def _spawned(user_count, **_kwargs):
    MOMENTS["spawned"] = time.time()
    # A few seconds at full load before the signatories submit.
    gevent.spawn_later(CONFIG.get("sign_after_seconds", 5), EVERYONE_STARTED.set)
    gevent.spawn(_release_when_ready)


def _release_when_ready():
    EVERYONE_STARTED.wait()
    expected = len(CONFIG.get("signatories", [])) * CONFIG.get("sessions_per_signatory", 0)
    while len(READY) < expected:
        gevent.sleep(0.05)
    MOMENTS["signing"] = time.time()
    GO.set()


@events.test_stop.add_listener
def _write_out(**_kwargs):
    out = os.environ.get("BENCH_LOAD_OUT")
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(
                {
                    "records": RECORDS,
                    "sign_outcomes": SIGN_OUTCOMES,
                    "spread_outcomes": SPREAD_OUTCOMES,
                    "sign_times": SIGN_TIMES,
                    "user_errors": USER_ERRORS,
                    "failures": FAILURES,
                    "moments": MOMENTS,
                },
                handle,
            )


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    accounts: itertools.cycle | None = None

    def on_start(self):
        self.username = next(self.accounts)
        self.login()

    def token(self, response) -> str:
        match = TOKEN.search(response.text)
        if match is None:
            raise RuntimeError(f"no CSRF token on {response.url}")
        return match.group(1)

    def login(self):
        page = self.client.get("/accounts/login/", name="login form")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": CONFIG["password"],
                "csrfmiddlewaretoken": self.token(page),
            },
            allow_redirects=False,
            name="login (POST)",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.username} answered {response.status_code}")

    def page(self, url: str, name: str):
        with self.client.get(url, name=name, catch_response=True) as response:
            # Followed redirects would hide a session lost to the login page.
            if response.status_code != 200 or "/accounts/login/" in response.url:
                response.failure(
                    f"{name} answered {response.status_code} at {response.url}"
                    + (f" ({response.error!r})" if response.error else "")
                )


def _page(name: str, url_key: str | None = None, url: str | None = None):
    """A task asking for one page: its URL given, or taken from CONFIG by ``url_key``."""

    def visit(user):
        user.page(url or CONFIG[url_key], name)

    visit.__name__ = name.replace(" ", "_")
    return visit


minimal = _page("minimal view", url="/bench-minimal/")
dashboard = _page("dashboard", url="/")
covenant = _page("covenant", "covenant_url")
board = _page("status board", "board_url")
calendar = _page("calendar", "calendar_url")
overview = _page("reviewer overview", "overview_url")


class MinimalUser(PortalUser):
    """Baseline: the same users, the same think time, only the minimal view."""

    accounts = itertools.cycle(CONFIG.get("reviewers", ["-"]))
    tasks = [minimal]


class BrowsingUser(PortalUser):
    """What a member (or anyone in the cluster) looks at on a signing day (task: weight)."""

    abstract = True
    tasks = {dashboard: 3, covenant: 3, board: 3, calendar: 2, minimal: 1}


class MemberUser(BrowsingUser):
    weight = 60
    accounts = itertools.cycle(CONFIG.get("members", ["-"]))


class SecretariatUser(BrowsingUser):
    weight = 6
    accounts = itertools.cycle(CONFIG.get("secretariat", ["-"]))


class ReviewerUser(PortalUser):
    """A Ministry reviewer: mostly the overview across clusters."""

    weight = 20
    accounts = itertools.cycle(CONFIG.get("reviewers", ["-"]))
    tasks = {overview: 4, dashboard: 1, covenant: 1, board: 2, minimal: 1}


class SignatoryUser(BrowsingUser):
    fixed_count = len(CONFIG.get("signatories", [])) * CONFIG.get("sessions_per_signatory", 0)
    accounts = itertools.cycle(CONFIG.get("signatories", ["-"]))
    _sessions = itertools.count()

    def on_start(self):
        super().on_start()
        self.sign()

    def sign(self):
        form = self.client.get(CONFIG["sign_url"], name="signing form")
        token = self.token(form)
        READY.add(next(self._sessions))
        GO.wait()
        started = time.perf_counter()
        with self.client.post(
            CONFIG["sign_url"],
            data={"confirm": "on", "password": CONFIG["password"], "csrfmiddlewaretoken": token},
            allow_redirects=False,
            name="sign (POST)",
            catch_response=True,
        ) as response:
            if response.status_code == 302 and response.headers.get("Location", "").endswith(
                CONFIG["covenant_url"]
            ):
                outcome = "recorded"
            elif response.status_code == 200 and any(
                message in response.text for message in CONFIG["refusals"]
            ):
                outcome = "refused"
            else:
                outcome = f"unexpected {response.status_code}"
                response.failure(f"signing by {self.username}: {outcome}")
        SIGN_TIMES.setdefault(outcome, []).append((time.perf_counter() - started) * 1000)
        SIGN_OUTCOMES.setdefault(self.username, []).append(outcome)


spread_covenant = _page("covenant", "spread_covenant_url")
spread_board = _page("status board", "spread_board_url")


class SpreadSignatoryUser(BrowsingUser):
    """Signatories of the second covenant: one session each, submitting one after another
    at the login rate, once the burst is over (see the module's docstring). They browse
    their own cluster's covenant and board (the first cluster's are not theirs to see)."""

    tasks = {dashboard: 3, spread_covenant: 3, spread_board: 3, calendar: 2, minimal: 1}
    fixed_count = len(CONFIG.get("spread_signatories", []))
    accounts = itertools.cycle(CONFIG.get("spread_signatories", ["-"]))
    _slots = itertools.count()

    def on_start(self):
        super().on_start()
        self.sign()

    def sign(self):
        form = self.client.get(CONFIG["spread_sign_url"], name="signing form, spread")
        token = self.token(form)
        slot = next(self._slots)
        GO.wait()
        gevent.sleep(CONFIG["spread_after_seconds"] + slot / CONFIG["spawn_rate"])
        with self.client.post(
            CONFIG["spread_sign_url"],
            data={"confirm": "on", "password": CONFIG["password"], "csrfmiddlewaretoken": token},
            allow_redirects=False,
            name="sign (POST), spread",
            catch_response=True,
        ) as response:
            if response.status_code == 302 and response.headers.get("Location", "").endswith(
                CONFIG["spread_covenant_url"]
            ):
                outcome = "recorded"
            else:
                outcome = f"unexpected {response.status_code}"
                response.failure(f"signing (spread) by {self.username}: {outcome}")
        SPREAD_OUTCOMES.setdefault(self.username, []).append(outcome)
