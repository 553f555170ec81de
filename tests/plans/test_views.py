"""Pages of the plans app over real HTTP: who may open what, and what each action changes.

Every page is opened by every role (200, or 403; 404 for another cluster's user), and every
action is posted by every role: the allowed ones change the data and are redirected, the
others are refused (403, or 404 outside their scope) and change nothing.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils.html import escape

from members import services as member_services
from members.models import ClusterYear
from plans import services
from plans.models import (
    Activity,
    Attachment,
    Attendee,
    CharterArticle,
    CharterComment,
    CharterVersion,
    FeedToken,
    LegalReference,
    NewsPost,
    Photo,
    WorkPlan,
)
from tests.factories import (
    ActivityFactory,
    CharterArticleFactory,
    CharterVersionFactory,
    MembershipFactory,
    NewsPostFactory,
    UserFactory,
)
from tests.helpers import ROLES, WORLD_YEAR, cluster_year_with, department, jpeg, pdf

pytestmark = pytest.mark.django_db

EVERYONE = set(ROLES)
READERS = {"secretariat", "signatory", "staff", "reviewer", "site_admin"}
MANAGERS = {"secretariat", "site_admin"}
HOSTS = {"secretariat", "signatory", "staff", "site_admin"}
NOT_REVIEWERS = EVERYONE - {"reviewer"}
LEGAL_MANAGERS = {"secretariat", "outsider", "site_admin"}  # outsider leads cluster B
# ``objs.reference`` belongs to cluster A (its secretariat created it): the outsider gets 404.
D = datetime.date


@dataclass
class Objects:
    """One of everything the plans pages show, in cluster A of the world (2024)."""

    world: object
    plan: WorkPlan
    hosted: Activity
    conference: Activity
    attendee: Attendee
    attachment: Attachment
    photo: Photo
    adopted: CharterVersion
    version: CharterVersion  # open for comments
    article: CharterArticle
    spare_article: CharterArticle
    comment: CharterComment
    published: NewsPost
    draft_post: NewsPost
    news_photo: Photo
    reference: LegalReference
    next_year: ClusterYear

    def as_draft(self) -> CharterVersion:
        CharterVersion.objects.filter(pk=self.version.pk).update(state="draft")
        return self.version

    def adopt_open_version(self) -> None:
        CharterVersion.objects.filter(pk=self.version.pk).update(
            state="adopted", adopted_on=D(WORLD_YEAR, 5, 24)
        )


@pytest.fixture
def objs(world, plan, hosted, conference) -> Objects:
    by = world.secretariat
    attendee = services.attendee_add(
        activity=conference, kind="guest", name="Ông Vũ Đăng Minh", title="Chánh Văn phòng", by=by
    )
    attachment = services.attachment_add(activity=conference, upload=pdf(), title="Giấy mời", by=by)
    photo = services.photo_add(activity=conference, upload=jpeg(), caption="Toàn cảnh", by=by)
    adopted = CharterVersionFactory(
        cluster_year=world.year_a, number=1, state="adopted", adopted_on=D(2023, 5, 24)
    )
    old_article = CharterArticleFactory(version=adopted, number=1, heading="Phạm vi")
    version = CharterVersionFactory(
        cluster_year=world.year_a, number=2, state="open", based_on=adopted
    )
    article = CharterArticleFactory(
        version=version, number=1, key=old_article.key, heading="Phạm vi điều chỉnh"
    )
    spare_article = CharterArticleFactory(version=version, number=2, heading="Thành viên")
    comment = CharterComment.objects.create(article=article, author=world.staff, body="Góp ý")
    published = NewsPostFactory(
        cluster_year=world.year_a,
        author_department=world.haiphong,
        status="published",
        published_on=D(WORLD_YEAR, 5, 29),
    )
    draft_post = NewsPostFactory(cluster_year=world.year_a, author_department=world.haiphong)
    news_photo = services.photo_add(news_post=published, upload=jpeg(), caption="Ký kết", by=by)
    reference = services.legal_reference_create(
        kind="Công văn", number="1307/BNV-VP", issuer="Bộ Nội vụ", upload=pdf(), by=by
    )
    next_year = cluster_year_with(
        world.cluster_a, WORLD_YEAR + 1, leader=world.hanoi, members=[world.haiphong]
    )
    return Objects(
        world,
        plan,
        hosted,
        conference,
        attendee,
        attachment,
        photo,
        adopted,
        version,
        article,
        spare_article,
        comment,
        published,
        draft_post,
        news_photo,
        reference,
        next_year,
    )


YEAR = {"code": "bac-bo", "year": WORLD_YEAR}

# (URL name, its arguments from the objects, roles that may open it); the others get 403.
PAGES = [
    ("index", lambda o: {}, EVERYONE),
    ("workplan-detail", lambda o: YEAR, READERS),
    ("workplan-create", lambda o: {"code": "bac-bo", "year": WORLD_YEAR + 1}, MANAGERS),
    ("workplan-update", lambda o: YEAR, MANAGERS),
    ("activity-create", lambda o: YEAR, MANAGERS),
    ("activity-export-csv", lambda o: YEAR, READERS),
    ("activity-export-xlsx", lambda o: YEAR, READERS),
    ("activity-detail", lambda o: {"pk": o.conference.pk}, READERS),
    ("activity-update", lambda o: {"pk": o.hosted.pk}, HOSTS),
    ("attendee-add", lambda o: {"pk": o.conference.pk}, HOSTS),
    ("attendee-remove", lambda o: {"pk": o.attendee.pk}, HOSTS),
    ("attachment-add", lambda o: {"pk": o.hosted.pk}, HOSTS),
    ("activity-photo-add", lambda o: {"pk": o.hosted.pk}, HOSTS),
    ("attachment-file", lambda o: {"pk": o.attachment.pk}, READERS),
    ("photo-file", lambda o: {"pk": o.photo.pk}, READERS),
    ("calendar-month", lambda o: {"code": "bac-bo", "year": WORLD_YEAR, "month": 3}, READERS),
    ("calendar-feeds", lambda o: {}, EVERYONE),
    ("feedtoken-create", lambda o: {}, NOT_REVIEWERS),
    ("feedtoken-revoke", lambda o: {}, NOT_REVIEWERS),
    ("charterversion-list", lambda o: {"code": "bac-bo"}, READERS),
    ("charterversion-create", lambda o: {"code": "bac-bo"}, MANAGERS),
    ("charterversion-detail", lambda o: {"pk": o.version.pk}, READERS),
    ("charterversion-update", lambda o: {"pk": o.as_draft().pk}, MANAGERS),
    ("charterversion-open", lambda o: {"pk": o.as_draft().pk}, MANAGERS),
    ("charterversion-return-to-draft", lambda o: {"pk": o.version.pk}, MANAGERS),
    ("charterversion-adopt", lambda o: {"pk": o.version.pk}, MANAGERS),
    ("charterversion-compare", lambda o: {"pk": o.version.pk}, READERS),
    ("charterarticle-create", lambda o: {"pk": o.as_draft().pk}, MANAGERS),
    ("charterarticle-update", lambda o: {"pk": (o.as_draft(), o.spare_article)[1].pk}, MANAGERS),
    ("charterarticle-delete", lambda o: {"pk": (o.as_draft(), o.spare_article)[1].pk}, MANAGERS),
    ("chartercomment-create", lambda o: {"pk": o.article.pk}, HOSTS),
    ("chartercomment-answer", lambda o: {"pk": o.comment.pk}, MANAGERS),
    ("news-public-list", lambda o: {}, EVERYONE),
    ("news-public-detail", lambda o: {"pk": o.published.pk}, EVERYONE),
    ("news-public-photo", lambda o: {"pk": o.news_photo.pk}, EVERYONE),
    ("newspost-create", lambda o: YEAR, HOSTS),
    ("newspost-update", lambda o: {"pk": o.draft_post.pk}, HOSTS),
    ("newspost-publish", lambda o: {"pk": o.draft_post.pk}, HOSTS),
    ("newspost-withdraw", lambda o: {"pk": o.published.pk}, HOSTS),
    ("newspost-photo-add", lambda o: {"pk": o.draft_post.pk}, HOSTS),
    ("legalreference-list", lambda o: {}, EVERYONE),
    ("legalreference-detail", lambda o: {"pk": o.reference.pk}, READERS),  # cluster A's
    ("legalreference-create", lambda o: {}, LEGAL_MANAGERS),
    ("legalreference-update", lambda o: {"pk": o.reference.pk}, MANAGERS),
    ("legalreference-file", lambda o: {"pk": o.reference.pk}, READERS),
]
PUBLIC = {"news-public-list", "news-public-detail", "news-public-photo"}


# Pages about objects everyone may see (a published news post is public).
OUTSIDER_SEES = {"newspost-withdraw"}


def refusal(role: str, name: str) -> int:
    """403 for a role that sees cluster A's objects but may not do this; 404 for the
    outsider (cluster B), to whom cluster A's objects do not exist."""
    return 404 if role == "outsider" and name not in OUTSIDER_SEES else 403


def page_cases():
    for name, kwargs, allowed in PAGES:
        for role in ROLES:
            expected = 200 if role in allowed else refusal(role, name)
            yield pytest.param(name, kwargs, role, expected, id=f"{name}-{role}-{expected}")


@pytest.mark.parametrize(("name", "kwargs", "role", "expected"), list(page_cases()))
def test_each_page_opens_for_allowed_roles_and_refuses_the_others(
    client, objs, name, kwargs, role, expected
):
    client.force_login(objs.world.user(role))
    response = client.get(reverse(f"plans:{name}", kwargs=kwargs(objs)))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("name", "kwargs"), [pytest.param(n, k, id=n) for n, k, _ in PAGES if n not in PUBLIC]
)
def test_each_private_page_sends_anonymous_users_to_the_login_page(client, objs, name, kwargs):
    url = reverse(f"plans:{name}", kwargs=kwargs(objs))
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (
        302,
        f"/accounts/login/?next={quote(url)}",
    )


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_published_news_and_its_photos_are_public(client, objs, name):
    kwargs = dict(PAGES_BY_NAME[name](objs))
    assert client.get(reverse(f"plans:{name}", kwargs=kwargs)).status_code == 200


PAGES_BY_NAME = {name: kwargs for name, kwargs, _ in PAGES}


def test_a_draft_news_post_sends_anonymous_users_to_the_login_page(client, objs):
    url = objs.draft_post.get_absolute_url()
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (
        302,
        f"/accounts/login/?next={quote(url)}",
    )


def test_a_draft_news_post_is_refused_to_another_cluster(client, objs):
    client.force_login(objs.world.outsider)
    assert client.get(objs.draft_post.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("pk", ["photo", "draft_photo"])
def test_the_public_photo_address_shows_only_published_news_photos(client, objs, pk):
    draft_photo = services.photo_add(
        news_post=objs.draft_post, upload=jpeg(), by=objs.world.secretariat
    )
    target = {"photo": objs.photo, "draft_photo": draft_photo}[pk]
    response = client.get(reverse("plans:news-public-photo", kwargs={"pk": target.pk}))
    assert response.status_code == 404


def test_the_calendar_link_takes_a_member_to_its_clusters_current_month(client, objs):
    client.force_login(objs.world.staff)
    response = client.get(reverse("plans:calendar"))
    assert response.status_code == 302
    assert response["Location"].startswith("/plans/clusters/bac-bo/calendar/")


def test_the_calendar_link_explains_when_the_user_has_no_cluster(client, db):
    client.force_login(UserFactory())  # a department that is in no cluster
    response = client.get(reverse("plans:calendar"))
    assert response.status_code == 200
    assert response.templates[0].name == "plans/calendar/calendar_empty.html"


def test_a_missing_plan_is_not_found(client, objs):
    client.force_login(objs.world.reviewer)
    url = reverse("plans:workplan-detail", kwargs={"code": "bac-bo", "year": 2099})
    assert client.get(url).status_code == 404


def test_a_month_that_does_not_exist_is_not_found(client, objs):
    client.force_login(objs.world.reviewer)
    url = reverse("plans:calendar-month", kwargs={"code": "bac-bo", "year": 2024, "month": 13})
    assert client.get(url).status_code == 404


# Actions: every role posts; allowed roles change the data, others get 403 and change nothing.


def activity_data(o, **overrides):
    data = {
        "title": o.hosted.title,
        "kind": o.hosted.kind,
        "host": o.hosted.host_id,
        "starts_on": "2024-03-10",
        "ends_on": "2024-03-10",
        "venue": "Hội trường",
        "status": "in_progress",
        "progress": "40",
        "outcome_notes": "Đã tổ chức xong phần thứ nhất.",
        "version": "1",
    }
    data.update(overrides)
    return data


def live_token(o, user):
    if not user.is_reviewer:
        FeedToken.objects.get_or_create(user=user, revoked_at=None)


# (URL name, arguments, POST data, roles allowed, did it happen?, preparation)
ACTIONS = [
    (
        "workplan-create",
        lambda o: {"code": "bac-bo", "year": WORLD_YEAR + 1},
        lambda o: {"title": "Kế hoạch năm 2025", "number": "01/KH-CTĐ"},
        MANAGERS,
        lambda o: WorkPlan.objects.filter(cluster_year=o.next_year).exists(),
    ),
    (
        "workplan-update",
        lambda o: YEAR,
        lambda o: {"title": "Kế hoạch đã sửa", "number": "02/KH-CTĐ"},
        MANAGERS,
        lambda o: WorkPlan.objects.get(pk=o.plan.pk).title == "Kế hoạch đã sửa",
    ),
    (
        "activity-create",
        lambda o: YEAR,
        lambda o: activity_data(o, title="Giao lưu mới", status="planned", progress="0"),
        MANAGERS,
        lambda o: Activity.objects.filter(title="Giao lưu mới").exists(),
    ),
    (
        "activity-update",
        lambda o: {"pk": o.hosted.pk},
        activity_data,
        HOSTS,
        lambda o: Activity.objects.get(pk=o.hosted.pk).progress == 40,
    ),
    (
        "attendee-add",
        lambda o: {"pk": o.conference.pk},
        lambda o: {"kind": "guest", "name": "Ông Lại Đức Vượng", "title": "Phó Chánh Văn phòng"},
        HOSTS,
        lambda o: Attendee.objects.filter(name="Ông Lại Đức Vượng").exists(),
    ),
    (
        "attendee-remove",
        lambda o: {"pk": o.attendee.pk},
        lambda o: {"confirm": "on"},
        HOSTS,
        lambda o: not Attendee.objects.filter(pk=o.attendee.pk).exists(),
    ),
    (
        "attachment-add",
        lambda o: {"pk": o.hosted.pk},
        lambda o: {"purpose": "document", "title": "Báo cáo", "file": pdf("bao-cao.pdf")},
        HOSTS,
        lambda o: o.hosted.attachments.exists(),
    ),
    (
        "activity-photo-add",
        lambda o: {"pk": o.hosted.pk},
        lambda o: {"image": jpeg(), "caption": "Quang cảnh"},
        HOSTS,
        lambda o: o.hosted.photos.exists(),
    ),
    (
        "feedtoken-create",
        lambda o: {},
        lambda o: {"confirm": "on"},
        NOT_REVIEWERS,
        lambda o: FeedToken.objects.filter(revoked_at__isnull=True).count() == 1,
    ),
    (
        "feedtoken-revoke",
        lambda o: {},
        lambda o: {"confirm": "on"},
        NOT_REVIEWERS,
        lambda o: FeedToken.objects.filter(revoked_at__isnull=False).exists(),
        live_token,
    ),
    (
        "charterversion-create",
        lambda o: {"code": "bac-bo"},
        lambda o: {"title": ""},
        MANAGERS,
        lambda o: CharterVersion.objects.filter(number=3).exists(),
        lambda o, user: o.adopt_open_version(),
    ),
    (
        "charterversion-update",
        lambda o: {"pk": o.as_draft().pk},
        lambda o: {"title": "Quy chế sửa đổi", "preamble": "Căn cứ..."},
        MANAGERS,
        lambda o: CharterVersion.objects.get(pk=o.version.pk).title == "Quy chế sửa đổi",
    ),
    (
        "charterversion-open",
        lambda o: {"pk": o.as_draft().pk},
        lambda o: {"confirm": "on"},
        MANAGERS,
        lambda o: CharterVersion.objects.get(pk=o.version.pk).state == "open",
    ),
    (
        "charterversion-return-to-draft",
        lambda o: {"pk": o.version.pk},
        lambda o: {"confirm": "on"},
        MANAGERS,
        lambda o: CharterVersion.objects.get(pk=o.version.pk).state == "draft",
    ),
    (
        "charterversion-adopt",
        lambda o: {"pk": o.version.pk},
        lambda o: {"adopted_on": "2024-05-24"},
        MANAGERS,
        lambda o: CharterVersion.objects.get(pk=o.version.pk).state == "adopted",
    ),
    (
        "charterarticle-create",
        lambda o: {"pk": o.as_draft().pk},
        lambda o: {"number": "9", "heading": "Điều mới", "body": "Nội dung"},
        MANAGERS,
        lambda o: o.version.articles.filter(number=9).exists(),
    ),
    (
        "charterarticle-update",
        lambda o: {"pk": (o.as_draft(), o.spare_article)[1].pk},
        lambda o: {"number": "2", "heading": "Thành viên", "body": "Nội dung mới"},
        MANAGERS,
        lambda o: CharterArticle.objects.get(pk=o.spare_article.pk).body == "Nội dung mới",
    ),
    (
        "charterarticle-delete",
        lambda o: {"pk": (o.as_draft(), o.spare_article)[1].pk},
        lambda o: {"confirm": "on"},
        MANAGERS,
        lambda o: not CharterArticle.objects.filter(pk=o.spare_article.pk).exists(),
    ),
    (
        "chartercomment-create",
        lambda o: {"pk": o.article.pk},
        lambda o: {"body": "Đề nghị làm rõ phạm vi."},
        HOSTS,
        lambda o: CharterComment.objects.filter(body="Đề nghị làm rõ phạm vi.").exists(),
    ),
    (
        "chartercomment-answer",
        lambda o: {"pk": o.comment.pk},
        lambda o: {"answer": "Đã tiếp thu.", "resolve": "on"},
        MANAGERS,
        lambda o: CharterComment.objects.get(pk=o.comment.pk).status == "resolved",
    ),
    (
        "newspost-create",
        lambda o: YEAR,
        lambda o: {
            "title": "Tin mới",
            "body": "Nội dung",
            "author_department": o.world.haiphong.pk,
        },
        HOSTS,
        lambda o: NewsPost.objects.filter(title="Tin mới").exists(),
    ),
    (
        "newspost-update",
        lambda o: {"pk": o.draft_post.pk},
        lambda o: {
            "title": "Tin đã sửa",
            "body": "Nội dung",
            "author_department": o.world.haiphong.pk,
        },
        HOSTS,
        lambda o: NewsPost.objects.get(pk=o.draft_post.pk).title == "Tin đã sửa",
    ),
    (
        "newspost-publish",
        lambda o: {"pk": o.draft_post.pk},
        lambda o: {"published_on": "2024-06-01"},
        HOSTS,
        lambda o: NewsPost.objects.get(pk=o.draft_post.pk).status == "published",
    ),
    (
        "newspost-withdraw",
        lambda o: {"pk": o.published.pk},
        lambda o: {"confirm": "on"},
        HOSTS,
        lambda o: NewsPost.objects.get(pk=o.published.pk).status == "draft",
    ),
    (
        "newspost-photo-add",
        lambda o: {"pk": o.draft_post.pk},
        lambda o: {"image": jpeg(), "caption": "Ảnh"},
        HOSTS,
        lambda o: o.draft_post.photos.exists(),
    ),
    (
        "legalreference-create",
        lambda o: {},
        lambda o: {"kind": "Chỉ thị", "number": "34-CT/TW", "issuer": "Bộ Chính trị"},
        LEGAL_MANAGERS,
        lambda o: LegalReference.objects.filter(number="34-CT/TW").exists(),
    ),
    (
        "legalreference-update",
        lambda o: {"pk": o.reference.pk},
        lambda o: {"kind": "Công văn", "number": "1307/BNV-VP", "title": "Hướng dẫn thi đua"},
        MANAGERS,
        lambda o: LegalReference.objects.get(pk=o.reference.pk).title == "Hướng dẫn thi đua",
    ),
]


def action_cases():
    for name, kwargs, data, allowed, happened, *prepare in ACTIONS:
        for role in ROLES:
            ok = role in allowed
            yield pytest.param(
                name,
                kwargs,
                data,
                happened,
                prepare[0] if prepare else None,
                role,
                ok,
                id=f"{name}-{role}-{'done' if ok else refusal(role, name)}",
            )


@pytest.mark.parametrize(
    ("name", "kwargs", "data", "happened", "prepare", "role", "ok"), list(action_cases())
)
def test_each_action_is_done_by_allowed_roles_and_refused_to_the_others(
    client, objs, name, kwargs, data, happened, prepare, role, ok
):
    user = objs.world.user(role)
    if prepare:
        prepare(objs, user)
    client.force_login(user)
    response = client.post(reverse(f"plans:{name}", kwargs=kwargs(objs)), data(objs))
    if ok:
        assert response.status_code == 302, getattr(response, "context", {}) and [
            f.errors for f in [response.context.get("form")] if f
        ]
        assert happened(objs)
    else:
        assert response.status_code == refusal(role, name)
        assert not happened(objs)


# What the forms say


def test_an_activity_ending_before_it_starts_is_refused_with_a_message_on_the_field(client, objs):
    client.force_login(objs.world.secretariat)
    response = client.post(
        reverse("plans:activity-create", kwargs=YEAR),
        activity_data(objs, title="Sai ngày", starts_on="2024-06-12", ends_on="2024-06-10"),
    )
    form = response.context["form"]
    assert response.status_code == 200
    assert form.has_error("ends_on", code="end_before_start")
    assert escape(form.errors["ends_on"][0]) in response.text
    assert not Activity.objects.filter(title="Sai ngày").exists()


def test_an_activity_outside_the_plan_year_is_refused_unless_marked(client, objs):
    client.force_login(objs.world.secretariat)
    url = reverse("plans:activity-create", kwargs=YEAR)
    data = activity_data(objs, title="Năm sau", starts_on="2025-01-05", ends_on="2025-01-05")
    refused = client.post(url, data)
    assert refused.context["form"].has_error("starts_on", code="outside_plan_year")
    accepted = client.post(url, {**data, "outside_plan_year": "on"})
    assert accepted.status_code == 302
    assert Activity.objects.filter(title="Năm sau").exists()


def test_the_second_editor_is_told_of_the_conflict_and_keeps_their_input(client, objs):
    services.activity_update(
        activity=objs.hosted, version=1, changes={"progress": 10}, by=objs.world.staff
    )
    client.force_login(objs.world.secretariat)
    response = client.post(
        reverse("plans:activity-update", kwargs={"pk": objs.hosted.pk}),
        activity_data(objs, outcome_notes="Ghi chú của Văn phòng", version="1"),
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", code="conflict")
    assert "Ghi chú của Văn phòng" in response.text
    hosted = Activity.objects.get(pk=objs.hosted.pk)
    assert (hosted.progress, hosted.outcome_notes, hosted.version) == (10, "", 2)


def test_the_host_gets_the_report_form_without_title_or_host(client, objs):
    client.force_login(objs.world.staff)
    response = client.get(reverse("plans:activity-update", kwargs={"pk": objs.hosted.pk}))
    fields = set(response.context["form"].fields)
    assert {"title", "host", "kind"}.isdisjoint(fields)
    assert {"status", "progress", "outcome_notes", "version"} <= fields


def test_the_host_marks_its_activity_done_and_the_plan_shows_the_new_progress(client, objs):
    client.force_login(objs.world.staff)
    client.post(
        reverse("plans:activity-update", kwargs={"pk": objs.hosted.pk}),
        activity_data(objs, status="done", progress="10", outcome_notes="Thành công."),
    )
    response = client.get(reverse("plans:workplan-detail", kwargs=YEAR))
    assert response.context["work_plan"].progress == 50  # done (100) and the conference (0)
    assert "50%" in response.text


def test_a_missing_confirmation_revokes_nothing(client, objs):
    token = FeedToken.objects.create(user=objs.world.staff)
    client.force_login(objs.world.staff)
    response = client.post(reverse("plans:feedtoken-revoke"), {})
    assert response.status_code == 200
    assert response.context["form"].has_error("confirm")
    assert FeedToken.objects.get(pk=token.pk).revoked_at is None


def test_the_feed_page_shows_the_new_feed_addresses_once(client, objs):
    client.force_login(objs.world.staff)
    response = client.post(reverse("plans:feedtoken-create"), {"confirm": "on"}, follow=True)
    secret = response.context["secret"]
    assert f"/plans/feeds/{secret}/clusters/bac-bo.ics" in response.text
    assert f"/plans/feeds/{secret}/departments/haiphong.ics" in response.text
    again = client.get(reverse("plans:calendar-feeds"))
    assert again.context["token"] is not None
    assert secret not in again.text and "/plans/feeds/" not in again.text


def test_a_second_draft_of_the_charter_is_refused_with_a_message(client, objs):
    client.force_login(objs.world.secretariat)
    response = client.post(reverse("plans:charterversion-create", kwargs={"code": "bac-bo"}), {})
    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", code="draft_exists")


def test_the_comparison_shows_the_changed_words(client, objs):
    client.force_login(objs.world.staff)
    response = client.get(reverse("plans:charterversion-compare", kwargs={"pk": objs.version.pk}))
    assert "<ins>điều chỉnh</ins>" in response.text.replace("<ins> ", "<ins>")
    assert [c.status for c in response.context["changes"]] == ["changed", "added"]


def test_the_charter_page_offers_members_a_comment_button_on_each_article(client, objs):
    client.force_login(objs.world.staff)
    response = client.get(objs.version.get_absolute_url())
    for article in (objs.article, objs.spare_article):
        assert reverse("plans:chartercomment-create", kwargs={"pk": article.pk}) in response.text


def test_the_charter_page_offers_reviewers_no_buttons(client, objs):
    client.force_login(objs.world.reviewer)
    response = client.get(objs.version.get_absolute_url())
    assert "/comment/" not in response.text and "/answer/" not in response.text


def test_a_member_writes_news_only_for_its_own_department(client, objs):
    client.force_login(objs.world.staff)
    response = client.post(
        reverse("plans:newspost-create", kwargs=YEAR),
        {"title": "Tin", "body": "Nội dung", "author_department": objs.world.bacninh.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("author_department")
    assert not NewsPost.objects.filter(title="Tin").exists()


def test_the_dashboard_links_to_the_work_plan_with_its_progress(client, world, plan):
    ActivityFactory(work_plan=plan, progress=40)
    client.force_login(world.staff)
    response = client.get(reverse("members:dashboard"))
    assert plan.get_absolute_url() in response.text
    assert "40%" in response.text


def test_the_dashboard_asks_the_host_to_report_on_an_ended_activity(client, world, plan):
    ended = ActivityFactory(
        work_plan=plan,
        host=world.haiphong,
        title="Giao lưu đã kết thúc",
        starts_on=D(WORLD_YEAR, 1, 5),
        ends_on=D(WORLD_YEAR, 1, 5),
    )
    client.force_login(world.staff)
    response = client.get(reverse("members:dashboard"))
    assert ended.get_absolute_url() in response.text


def test_the_plan_page_is_in_vietnamese_by_default(client, objs):
    client.force_login(objs.world.staff)
    response = client.get(reverse("plans:workplan-detail", kwargs=YEAR))
    assert '<html lang="vi">' in response.text


# The attendee picker: members that exist on the day of the conference, in Vietnamese order


def attendee_choices(client, world, activity) -> list[str]:
    client.force_login(world.secretariat)
    response = client.get(reverse("plans:attendee-add", kwargs={"pk": activity.pk}))
    return [d.province for d in response.context["form"].fields["department"].queryset]


def merged_mid_year(world):
    """Hải Dương, a member of the year, merged into Hải Phòng on 1 July."""
    haiduong = department("Hải Dương", "haiduong")
    MembershipFactory(cluster_year=world.year_a, department=haiduong)
    member_services.department_merge(
        department=haiduong,
        successor=world.haiphong,
        effective=D(WORLD_YEAR, 7, 1),
        by=world.site_admin,
    )
    return haiduong


def test_the_attendee_picker_leaves_out_a_member_merged_away_before_the_conference(
    client, world, plan
):
    merged_mid_year(world)
    conference = ActivityFactory(
        work_plan=plan, kind=Activity.Kind.CLOSING_CONFERENCE, starts_on=D(WORLD_YEAR, 12, 10)
    )
    assert "Hải Dương" not in attendee_choices(client, world, conference)


def test_the_attendee_picker_offers_a_member_merged_away_after_the_conference(client, world, plan):
    merged_mid_year(world)
    conference = ActivityFactory(
        work_plan=plan, kind=Activity.Kind.CONFERENCE, starts_on=D(WORLD_YEAR, 6, 30)
    )
    assert "Hải Dương" in attendee_choices(client, world, conference)


def test_the_attendee_picker_lists_the_members_in_vietnamese_order(client, world, conference):
    assert attendee_choices(client, world, conference) == [
        "Bắc Ninh",
        "Hà Nội",
        "Hải Phòng",
        "Vĩnh Phúc",
    ]
