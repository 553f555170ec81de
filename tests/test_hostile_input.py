"""Hostile input thrown at every form of the portal (issue 7, item 4).

The URL configuration is walked as in ``test_urls``, so a new form is covered without
touching this file. For each URL the page is fetched as the most privileged users (the site
administrator and the cluster secretariat) to learn its form fields, then hypothesis posts
generated values for them: very long strings, odd Unicode, HTML, SQL fragments, NUL bytes,
impossible dates, negative and huge numbers, or nothing at all. The portal may refuse, but
must never answer with a server error, and every refusal must tell the user why: a form
shown again with its errors or an error message, or the portal's own 400/403/404 page.

A second test stores ``<script>`` through real forms and checks the pages showing it escape
it.

Examples of one URL share one ``world`` (hypothesis runs them inside one test function), so
state may carry over from one example to the next; what is asserted ("no 500", "a refusal
says why") holds whatever the state.
"""

import datetime
import re
import traceback
from html.parser import HTMLParser

import pytest
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements import services
from agreements.models import Covenant
from cluster_portal.audit import RequestMeta
from members.models import User
from plans.models import Activity, Attendee, CharterComment
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    CharterArticleFactory,
    CharterVersionFactory,
    LegalReferenceFactory,
    NewsPostFactory,
    UserFactory,
    WorkPlanFactory,
)
from tests.helpers import WORLD_YEAR, cluster_year_with, failed_task_for
from tests.test_urls import _walk

SCRIPT = '<script>alert("x")</script>'

HOSTILE_CONSTANTS = [
    "",
    " ",
    "\x00",
    "abc\x00def",
    "e\u0301\u0323\u0301\u0323\u0301\u0323",
    "\u202eevil\u202c",
    "\u200f\u200e\u200b\ufeff",
    "😀👩‍👩‍👧‍👦🇻🇳",
    "\ud7ff\U0010ffff",
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "'; DROP TABLE members_user; --",
    "%",
    "\\",
    "9999-99-99",
    "2024-02-30",
    "0000-00-00",
    "31/02/2024",
    "-1",
    "0",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "99999999999999999999",
    "-99999999999999999999",
    "2147483648",
    "9223372036854775808",
    "1.5",
    "on",
    "true",
    "../../../etc/passwd",
    "x" * 5000,
    "Đ" * 2000,
]

hostile_text = st.one_of(
    st.sampled_from(HOSTILE_CONSTANTS),
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=300, max_size=5000),
    st.builds(
        lambda a, b: a + b,
        st.sampled_from(HOSTILE_CONSTANTS),
        st.text(alphabet="\x00\u0301\u0323\u202e<>'\"&;-", max_size=20),
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
# None means "leave the field out".
field_value = st.one_of(st.none(), hostile_text, st.lists(hostile_text, min_size=2, max_size=3))

# Downloads (PDF, spreadsheets, files, feeds) have no form; fetching them only costs time.
DOWNLOAD_SUFFIXES = ("-pdf", "-csv", "-xlsx", "-file", "-photo")
# Forms that only a draft covenant shows: cluster B's.
DRAFT_COVENANT_NAMES = {"agreements:covenant-update", "agreements:covenant-open"}
SKIPPED_NAMES = {
    # Logging out would only end the session the next examples rely on.
    "logout",
}


class _FieldNames(HTMLParser):
    """The names of the inputs, selects and textareas of the page's own forms, in order.

    Forms posting elsewhere (the language switch in the header) are left out.
    """

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.names: list[str] = []
        self.in_own_form = False
        self.posts = False  # whether one of the page's own forms is sent by POST

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.in_own_form = attributes.get("action") in (None, "", self.path)
            if self.in_own_form and (attributes.get("method") or "").lower() == "post":
                self.posts = True
        elif tag in {"input", "select", "textarea"} and self.in_own_form:
            name = attributes.get("name")
            if (
                name
                and name != "csrfmiddlewaretoken"
                and attributes.get("type") not in {"submit", "button", "image", "reset"}
                and name not in self.names
            ):
                self.names.append(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_own_form = False


def field_names(html: str, path: str) -> tuple[list[str], bool]:
    """The page's own form fields, and whether one of its own forms is sent by POST."""
    parser = _FieldNames(path)
    parser.feed(html)
    return parser.names, parser.posts


ROUTES = {
    f"{ns}{pattern.name}": route
    for route, pattern, ns in _walk(get_resolver().url_patterns)
    if pattern.name and f"{ns}{pattern.name}" not in SKIPPED_NAMES
}


class Portal:
    """Real objects behind every URL of the portal, built on ``world``."""

    def __init__(self, world):
        self.world = world
        work_plan = WorkPlanFactory(cluster_year=world.year_a)
        self.activity = ActivityFactory(work_plan=work_plan)
        self.conference = ActivityFactory(work_plan=work_plan, kind=Activity.Kind.CONFERENCE)
        self.attendee = Attendee.objects.create(
            activity=self.conference, kind=Attendee.Kind.MEMBER, department=world.haiphong
        )
        self.charter = CharterVersionFactory(cluster_year=world.year_a)
        self.article = CharterArticleFactory(version=self.charter)
        self.comment = CharterComment.objects.create(
            article=self.article, author=world.staff, department=world.haiphong, body="Đề nghị sửa."
        )
        self.news = NewsPostFactory(cluster_year=world.year_a, author_department=world.hanoi)
        self.legal = LegalReferenceFactory()
        for department in (world.hanoi, world.vinhphuc, world.bacninh):
            UserFactory(
                username=f"giamdoc.{department.code}", signatory=True, department=department
            )
        covenant = services.covenant_create(
            cluster_year=world.year_a,
            title="Giao ước thi đua năm 2024",
            signing_date=datetime.date(WORLD_YEAR, 3, 5),
            deadline=timezone.now() + datetime.timedelta(days=30),
            commitments=["Hoàn thành các chỉ tiêu kế hoạch năm."],
            by=world.secretariat,
        )
        covenant = services.covenant_open_for_signing(
            covenant=Covenant.objects.get(pk=covenant.pk), by=world.secretariat
        )
        # Cluster B has a draft (for the edit and open forms); cluster A's 2025 has none yet.
        services.covenant_create(
            cluster_year=world.year_b,
            title="Giao ước thi đua Cụm Đông Bắc",
            commitments=["Hoàn thành các chỉ tiêu."],
            by=world.outsider,
        )
        cluster_year_with(
            world.cluster_a, WORLD_YEAR + 1, leader=world.hanoi, members=[world.haiphong]
        )
        self.failed_task = failed_task_for(world.year_a.pk)
        self.signature = services.signature_record(
            covenant=Covenant.objects.get(pk=covenant.pk),
            user=world.signatory,
            password=PASSWORD,
            confirmed=True,
            meta=RequestMeta(ip_address="203.0.113.24", user_agent="hypothesis"),
        )
        # The year-end evaluation in checking, with one proposed adjustment (ev-check), and
        # evidence on Hải Phòng's (``world.staff``) assessment (ev-assess).
        from evaluations.models import Evidence
        from evaluations.services import adjustment_propose
        from tests.helpers import assessment_of, checking_of, score_of

        evaluation = checking_of(world.year_a)
        self.assessment = assessment_of(evaluation, world.haiphong)
        self.evaluation_score = score_of(self.assessment, "I.1")
        self.adjustment = adjustment_propose(
            score=self.evaluation_score, to_points=1, reason="Lý do.", by=world.secretariat
        )
        self.evidence = Evidence.objects.create(
            score=self.assessment.scores.first(), link="/plans/calendar/"
        )
        # The award dossier of cluster A's year, a draft (its texts and attachment forms).
        from dossiers.services.dossiers import dossier_create

        self.dossier = dossier_create(cluster_year=world.year_a, by=world.secretariat)

    def pk_for(self, name: str):
        if name == "task-retry":
            return self.failed_task.pk
        if name == "evaluations:adjustment-propose":
            return self.evaluation_score.pk
        if name.startswith("evaluations:adjustment-"):
            return self.adjustment.pk
        if "comment-create" in name or "charterarticle" in name:
            return self.article.pk
        if "charter" in name:
            return self.charter.pk
        if "news" in name:
            return self.news.pk
        if "legal" in name:
            return self.legal.pk
        if "chartercomment-answer" in name:
            return self.comment.pk
        if "attendee-remove" in name:
            return self.attendee.pk
        if "attendee-add" in name:
            return self.conference.pk
        if "signature" in name:
            return self.signature.pk
        if name.startswith("evaluations:evidence"):
            return self.evidence.pk
        if name.startswith("dossiers:"):
            return self.dossier.pk
        if name.startswith("plans:") and any(
            word in name for word in ("activity", "attendee-add", "attachment-add")
        ):
            return self.activity.pk
        return 1

    def path(self, name: str) -> str:
        route = ROUTES[name]
        kwargs = {}
        for key in re.findall(r"<(?:\w+:)?(\w+)>", route):
            if key == "code" and "department" in name:
                kwargs[key] = self.world.hanoi.code
            elif key == "code" and name in DRAFT_COVENANT_NAMES:
                kwargs[key] = self.world.cluster_b.code
            elif key == "code":
                kwargs[key] = self.world.cluster_a.code
            elif key == "year" and name == "agreements:covenant-create":
                kwargs[key] = WORLD_YEAR + 1
            elif key == "year":
                kwargs[key] = WORLD_YEAR
            elif key == "month":
                kwargs[key] = 3
            elif key == "pk":
                kwargs[key] = self.pk_for(name)
            elif key == "table":
                kwargs[key] = "activities"
            elif key == "department":
                kwargs[key] = self.world.haiphong.code
            elif key == "doc":
                kwargs[key] = 1
            else:
                kwargs[key] = "sample"
        return reverse(name, kwargs=kwargs)


def _recording_errors():
    """A list that collects the traceback of every exception a view lets escape."""
    errors: list[str] = []

    def record(sender, request=None, **kwargs):
        errors.append(f"{request.method} {request.path}\n{traceback.format_exc()}")

    got_request_exception.connect(record, weak=False)
    return errors, lambda: got_request_exception.disconnect(record)


@pytest.fixture
def portal(world):
    return Portal(world)


@pytest.fixture
def errors():
    recorded, stop = _recording_errors()
    yield recorded
    stop()


def _clients(world):
    clients = []
    # The most privileged users, and an ordinary member for the forms only members see.
    for user in (world.site_admin, world.secretariat, world.staff):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    return clients


# How a page tells the user what went wrong: a field error or an alert (crispy's Bootstrap 5
# templates and includes/_messages.html).
ERROR_MARKERS = ("invalid-feedback", "is-invalid", "alert-danger", "alert-warning")
EXPLAINED_PAGES = {
    400: "400.html",
    403: "403.html",
    404: "404.html",
    429: "registration/locked_out.html",  # too many failed logins (django-axes)
}


def _error_marks(response) -> int:
    html = response.content.decode(errors="replace")
    return sum(html.count(marker) for marker in ERROR_MARKERS)


def _unexplained(response, marks_before: int) -> str | None:
    """Why ``response`` to a POST leaves the user without an explanation; None if it does not.

    A redirect is the portal accepting (or moving on); a page shown again must carry more
    errors than the same page did before the POST (``marks_before``); a refusal must be the
    portal's own page saying what happened.
    """
    status = response.status_code
    if status in (301, 302, 303):
        return None
    if status == 200:
        return None if _error_marks(response) > marks_before else "200, no error shown"
    template = EXPLAINED_PAGES.get(status)
    if template and template in [t.name for t in response.templates]:
        return None
    return f"{status} without the portal's explanation page"


def _discover_fields(clients, name, path, errors) -> tuple[list[str], bool, list[int]]:
    """The fields of the page's forms as any of ``clients`` sees it; whether one posts; how
    many error marks the page shows each client before anything is posted."""
    marks = [0] * len(clients)
    if name.endswith(DOWNLOAD_SUFFIXES) or name.startswith("plans:feed-"):
        return [], False, marks
    names: list[str] = []
    posts = False
    for index, client in enumerate(clients):
        response = client.get(path)
        assert response.status_code < 500, (name, path, errors)
        if "html" in response.get("Content-Type", ""):
            marks[index] = _error_marks(response)
            fields, page_posts = field_names(response.content.decode(), path)
            posts = posts or page_posts
            for field in fields:
                if field not in names:
                    names.append(field)
    return names, posts, marks


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_no_form_answers_hostile_input_with_a_server_error(portal, errors, name):
    world = portal.world
    clients = _clients(world)
    path = portal.path(name)
    fields, accepts_post, marks = _discover_fields(clients, name, path, errors)
    # A page without a form of its own still gets POSTs (a view may read more than its form);
    # the refusal of a method it does not take (405) needs no explanation in the page.
    fields = fields or ["next", "reason", "password", "confirm", "confirmed"]

    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(fields, field_value)))
    def post_hostile(values):
        data = {key: value for key, value in values.items() if value is not None}
        for client, marks_before in zip(clients, marks, strict=True):
            response = client.post(path, data)
            assert response.status_code < 500, (name, path, data, errors)
            if accepts_post:
                why = _unexplained(response, marks_before)
                assert why is None, (name, path, data, why)
        # Filter forms are sent by GET: the same values in the query string.
        response = clients[0].get(path, data)
        assert response.status_code < 500, (name, path, data, errors)

    post_hostile()


def _shown_escaped(response):
    html = response.content.decode()
    assert "&lt;script&gt;alert(" in html
    assert "<script>alert" not in html


def test_script_tags_stored_through_forms_are_escaped_where_shown(portal, errors):
    world = portal.world
    secretariat, site_admin = Client(), Client()
    secretariat.force_login(world.secretariat)
    site_admin.force_login(world.site_admin)
    code, year = world.cluster_a.code, WORLD_YEAR

    # The theme of a cluster year, set by the secretariat.
    response = secretariat.post(
        reverse("members:clusteryear-update", kwargs={"code": code, "year": year}),
        {"theme": SCRIPT, "motto": SCRIPT, "phase": world.year_a.phase},
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    _shown_escaped(
        secretariat.get(reverse("members:clusteryear-detail", kwargs={"code": code, "year": year}))
    )

    # The title of an activity.
    response = secretariat.post(
        reverse("plans:activity-create", kwargs={"code": code, "year": year}),
        {
            "title": SCRIPT,
            "kind": Activity.Kind.SEMINAR,
            "starts_on": f"{year}-04-02",
            "ends_on": f"{year}-04-02",
            "venue": SCRIPT,
            "status": Activity.Status.PLANNED,
            "progress": "0",
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    activity = Activity.objects.get(title=SCRIPT)
    _shown_escaped(secretariat.get(reverse("plans:activity-detail", kwargs={"pk": activity.pk})))
    _shown_escaped(
        secretariat.get(reverse("plans:workplan-detail", kwargs={"code": code, "year": year}))
    )

    # A commitment of a draft covenant (cluster B's).
    covenant_kwargs = {"code": world.cluster_b.code, "year": year}
    response = site_admin.post(
        reverse("agreements:covenant-update", kwargs=covenant_kwargs),
        {"title": SCRIPT, "commitments_text": SCRIPT, "place": SCRIPT},
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    _shown_escaped(site_admin.get(reverse("agreements:covenant-detail", kwargs=covenant_kwargs)))
    assert errors == []


@pytest.mark.parametrize("huge", ["99999999999999999999", "-99999999999999999999"])
def test_a_multiple_choice_of_an_id_beyond_64_bits_is_refused_with_a_message(portal, errors, huge):
    """SQLite used to answer ``pk__in`` with such an id by an OverflowError (a 500)."""
    client = Client(raise_request_exception=False)
    client.force_login(portal.world.secretariat)
    path = reverse(
        "plans:workplan-update", kwargs={"code": portal.world.cluster_a.code, "year": WORLD_YEAR}
    )
    response = client.post(path, {"number": "01/KH", "title": "Kế hoạch", "legal_references": huge})
    assert response.status_code == 200, errors
    assert "legal_references" in response.context["form"].errors


def test_an_over_long_user_name_is_refused_on_the_login_form_not_a_server_error(client, db):
    response = client.post("/accounts/login/", {"username": "x" * 300, "password": "p" * 20})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]


@pytest.mark.parametrize("name", ["agreements:covenant-sign", "agreements:covenant-paper"])
def test_an_empty_post_shows_the_form_with_its_errors_not_a_blank_form(portal, name):
    """These forms used to be built with ``request.POST or None``: an empty POST left them
    unbound, so the page came back as if nothing had been sent, without a word. (The
    leadership form had the same pattern; both its fields are optional, so an empty POST
    now records "no leader, no deputy yet" like the browser's empty selects.)"""
    client = Client()
    if name == "agreements:covenant-sign":  # a signatory whose department has not signed
        client.force_login(User.objects.get(username="giamdoc.bacninh"))
    else:
        client.force_login(portal.world.secretariat)
    response = client.post(portal.path(name), {})
    assert response.status_code == 200
    assert response.context["form"].is_bound
    assert _error_marks(response) > 0
