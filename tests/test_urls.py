"""Cross-cutting guarantees checked against the whole URL configuration.

The URL patterns are enumerated, so a new endpoint is covered without touching this file.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.agreements.conftest import signatories  # noqa: F401 (fixture)
from tests.helpers import WORLD_YEAR
from tests.plans.conftest import conference, hosted, plan  # noqa: F401 (fixtures)
from tests.plans.test_views import objs  # noqa: F401 (fixture)

# Pages deliberately readable without login (name → why).
PUBLIC_URL_NAMES = {
    "login": "the login page itself",
    "set_language": "the language switch works on the login page",
    "healthz": "probed by load balancers; says only ok or unavailable",
}
# Apps whose views are public by design, e.g. published news and token-protected feeds.
PUBLIC_PREFIXES = ("plans:news-public", "plans:feed-")
# POSTs that change nothing in the portal, so reviewers may make them.
READ_ONLY_ALLOWED_FOR_REVIEWERS = {
    "logout",
    "set_language",
    "password_change",
    "login",
    "agreements:pdf-verify",
    # Their own notifications (read marks) and e-mail preferences, nothing of the portal's.
    "members:notification-read",
    "members:notification-read-all",
    "members:profile",
    # The Ministry returns a dossier: the view refuses reviewers without the permission
    # (tests/dossiers/test_views.py).
    "dossiers:dossier-return",
}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin checks is_staff itself
            inner_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner_ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry, namespace


SAMPLES = {"int": "2024", "uuid": "00000000-0000-4000-8000-000000000000"}


def _sample_path(route: str) -> str:
    """The route with a plausible value for each converter (ints get a year)."""
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1), "sample"), route)


ALL_URLS = [
    (f"{ns}{pattern.name}", _sample_path(route))
    for route, pattern, ns in _walk(get_resolver().url_patterns)
    if pattern.name
]


def _is_public(name: str) -> bool:
    return name in PUBLIC_URL_NAMES or name.startswith(PUBLIC_PREFIXES)


def test_the_url_enumeration_finds_the_portal_pages():
    names = {name for name, _path in ALL_URLS}
    assert {"members:dashboard", "agreements:covenant-sign", "login"} <= names


@pytest.mark.parametrize(("name", "path"), [u for u in ALL_URLS if not _is_public(u[0])])
def test_every_non_public_url_sends_anonymous_users_to_login(client, db, name, path):
    response = client.get(path)
    assert response.status_code == 302, name
    assert response["Location"].startswith("/accounts/login/?next="), name


@pytest.mark.parametrize(
    ("name", "path"),
    [u for u in ALL_URLS if u[0] not in READ_ONLY_ALLOWED_FOR_REVIEWERS],
)
def test_every_post_endpoint_refuses_a_reviewer(client, world, name, path):
    client.force_login(world.reviewer)
    response = client.post(path, {"anything": "x"})
    assert response.status_code == 403, name


# Objects of another cluster: 404, never 403 (which would confirm that the id exists).
# ``world.outsider`` is the secretariat of cluster B; every object below is cluster A's.

# Arguments by name; ``pk`` is chosen by the route it appears in (first match).
SCOPE_ARGUMENTS = {
    "code": "bac-bo",
    "year": str(WORLD_YEAR),
    "month": "3",
    "department": "bacninh",
    "table": "members",
    "doc": "1",  # a document of the dossier named by ``pk``
}
DEPARTMENT_ROUTES = ("departments/", "reports/departments/")  # ``code`` is a department's
# Prefixes of the routes (regular expressions matched at the start, most are plain text).
PK_OBJECTS = [
    ("covenants/", "signature"),
    ("plans/activities/", "hosted"),
    ("plans/attendees/", "attendee"),
    ("plans/files/", "attachment"),
    ("plans/photos/", "photo"),
    ("plans/charter/articles/", "article"),
    ("plans/charter/comments/", "comment"),
    ("plans/charter/", "version"),
    ("plans/news/", "draft_post"),
    ("plans/legal/", "reference"),
    ("evaluations/<slug:code>/<int:year>/checking/scores/", "evaluation_score"),
    ("evaluations/<slug:code>/<int:year>/checking/adjustments/", "adjustment"),
    ("evaluations/<slug:code>/<int:year>/assessments/", "evidence"),
    (r"evaluations/.+/table/lines/", "criterion"),
    (r"evaluations/.+/table/classifications/", "classification"),
    ("tasks/", "failed_task"),
    ("dossiers/proposals/", "proposal"),
    ("ballots/", "ballot"),
    ("notifications/", "notification"),  # a cluster A user's: nobody else opens it
    ("dossiers/", "dossier"),
]
# Object pages that are not about a cluster's objects, or that answer 403 on purpose.
NOT_SCOPED = {
    "plans:newspost-withdraw": "acts on a published post, which is public: 403 is no leak",
}

SCOPED_URLS = [
    (f"{ns}{pattern.name}", route)
    for route, pattern, ns in _walk(get_resolver().url_patterns)
    if pattern.name and "<" in route and not _is_public(f"{ns}{pattern.name}")
]


def _cross_cluster_path(route: str, objects) -> str:
    def value(match):
        name = match.group(2)
        if name == "pk":
            attribute = next(attr for prefix, attr in PK_OBJECTS if re.match(prefix, route))
            return str(getattr(objects, attribute).pk)
        if name == "code" and route.startswith(DEPARTMENT_ROUTES):
            return "bacninh"
        return SCOPE_ARGUMENTS[name]

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


@pytest.fixture
def cluster_a_objects(objs, signatories):  # noqa: F811 (the imported fixtures)
    """One of everything in cluster A (the plans pages' objects) plus an open covenant
    with one signature and a failed background task."""
    from agreements.models import Signature
    from tests.helpers import draft_covenant, failed_task_for, open_covenant, sign

    covenant = open_covenant(draft_covenant(objs.world), objs.world.secretariat)
    sign(covenant, signatories["bacninh"])
    objs.signature = Signature.objects.get(covenant=covenant)
    # The year-end evaluation in checking, with one proposed adjustment (ev-check) and
    # evidence on Bắc Ninh's self-assessment (ev-assess).
    from evaluations.models import Classification, Evidence
    from evaluations.services import adjustment_propose
    from tests.helpers import assessment_of, checking_of, score_of

    evaluation = checking_of(objs.world.year_a)
    assessment = assessment_of(evaluation, objs.world.bacninh)
    objs.evaluation_score = score_of(assessment, "I.1")
    objs.adjustment = adjustment_propose(
        score=objs.evaluation_score, to_points=1, reason="Lý do.", by=objs.world.secretariat
    )
    objs.evidence = Evidence.objects.create(
        score=assessment.scores.first(), link="/plans/calendar/"
    )
    # A line and a classification of its criteria table (ev-table).
    objs.criterion = evaluation.criteria.get(code="I.1")
    objs.classification = Classification.objects.create(
        evaluation=evaluation, label="Xuất sắc", min_total=95
    )
    objs.failed_task = failed_task_for(objs.world.year_a.pk)
    # A proposal in cluster A's dossier, sent to the Ministry (the council's decision page).
    from dossiers.models import Proposal
    from tests.helpers import ministry_dossier

    objs.proposal = ministry_dossier(
        objs.world.year_a, (objs.world.bacninh, Proposal.Award.MINISTRY_FLAG, 1, "95", "75")
    ).proposals.get()
    # A notification of a cluster A signatory (the bell).
    from members.models import Notification

    objs.notification = Notification.objects.create(
        user=signatories["bacninh"],
        key="covenant-sign:x",
        kind="covenant-sign",
        message="Ký",
        url="/",
    )
    # A counted leader election of cluster A's year (ballots).
    from tests.helpers import leadership_ballot

    objs.ballot = leadership_ballot(objs.world.year_a, chosen=objs.world.haiphong)
    # The award dossier of cluster A's year: the one its proposal above belongs to (a year
    # has one dossier in progress).
    objs.dossier = objs.proposal.dossier
    return objs


def test_every_object_route_has_an_object_for_the_scope_test():
    for name, route in SCOPED_URLS:
        if "<int:pk>" in route:
            assert any(re.match(p, route) for p, _ in PK_OBJECTS), f"add {name} to PK_OBJECTS"


@pytest.mark.parametrize(("name", "route"), [u for u in SCOPED_URLS if u[0] not in NOT_SCOPED])
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_object_url_of_another_cluster_answers_404(
    client, cluster_a_objects, name, route, method
):
    client.force_login(cluster_a_objects.world.outsider)
    path = _cross_cluster_path(route, cluster_a_objects)
    response = getattr(client, method)(path, {"anything": "x"} if method == "post" else None)
    assert response.status_code == 404, (name, path, response.status_code)
