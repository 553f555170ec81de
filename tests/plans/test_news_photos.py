"""News in one page: the photo is taken with the new post, and the public list shows each
post's first photo as a thumbnail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import services
from plans.models import NewsPost, Photo
from tests.factories import NewsPostFactory
from tests.helpers import WORLD_YEAR, jpeg, pdf

pytestmark = pytest.mark.django_db

CREATE = reverse("plans:newspost-create", kwargs={"code": "bac-bo", "year": WORLD_YEAR})
LIST = reverse("plans:news-public-list")


def _post(client, world, **extra):
    client.force_login(world.staff)
    data = {
        "title": "Hội nghị sơ kết 6 tháng",
        "body": "Cụm tổ chức hội nghị sơ kết.",
        "author_department": world.haiphong.pk,
        **extra,
    }
    return client.post(CREATE, data)


def test_the_news_form_takes_the_photo_on_the_same_page(client, world):
    client.force_login(world.staff)
    page = client.get(CREATE)
    assert 'enctype="multipart/form-data"' in page.text
    assert 'name="image"' in page.text and 'name="caption"' in page.text


def test_a_new_post_keeps_the_photo_sent_with_it(client, world):
    response = _post(client, world, image=jpeg(), caption="Toàn cảnh hội nghị")
    assert response.status_code == 302
    post = NewsPost.objects.get(title="Hội nghị sơ kết 6 tháng")
    [photo] = post.photos.all()
    assert (photo.caption, photo.content_type) == ("Toàn cảnh hội nghị", "image/jpeg")


def test_a_new_post_without_a_photo_is_saved_as_before(client, world):
    response = _post(client, world)
    assert response.status_code == 302
    assert not NewsPost.objects.get(title="Hội nghị sơ kết 6 tháng").photos.exists()


def test_a_file_that_is_not_a_photo_saves_neither_the_post_nor_the_file(client, world):
    response = _post(client, world, image=pdf("anh.jpg"))
    assert response.status_code == 200
    assert response.context["form"].has_error("image")
    assert not NewsPost.objects.filter(title="Hội nghị sơ kết 6 tháng").exists()
    assert not Photo.objects.exists()


def _published(world, title, *, photo=True):
    post = NewsPostFactory(
        cluster_year=world.year_a,
        author_department=world.haiphong,
        title=title,
        status=NewsPost.Status.PUBLISHED,
        published_on=f"{WORLD_YEAR}-05-29",
    )
    if photo:
        services.photo_add(news_post=post, upload=jpeg(), caption="Ảnh", by=world.secretariat)
    return post


def test_the_public_list_shows_the_first_photo_of_a_post_as_a_thumbnail(client, world):
    post = _published(world, "Tin có ảnh")
    first = post.photos.get()
    services.photo_add(news_post=post, upload=jpeg(), by=world.secretariat)
    response = client.get(LIST)
    thumbnail = reverse("plans:news-public-photo", kwargs={"pk": first.pk})
    assert response.text.count('class="news-thumbnail"') == 1
    assert f'src="{thumbnail}"' in response.text


def test_a_post_without_a_photo_has_no_thumbnail(client, world):
    _published(world, "Tin không ảnh", photo=False)
    response = client.get(LIST)
    assert "Tin không ảnh" in response.text
    assert "news-thumbnail" not in response.text


def _list_queries(client) -> list[str]:
    client.get(LIST)
    with CaptureQueriesContext(connection) as context:
        assert client.get(LIST).status_code == 200
    return [query["sql"] for query in context.captured_queries]


def test_the_news_list_with_thumbnails_costs_the_same_with_2_and_12_posts(client, world):
    for n in range(2):
        _published(world, f"Tin {n}")
    small = _list_queries(client)
    for n in range(2, 12):
        _published(world, f"Tin {n}")
    large = _list_queries(client)
    assert len(small) == len(large), "\n".join(["small:", *small, "", "large:", *large])
