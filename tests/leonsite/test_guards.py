"""Faults answered properly: a locked or read-only database gives a styled 503 with
Retry-After and loses nothing; an oversized body is refused before it is read;
readiness knows whether the database takes writes; uploads are served by the site."""

import re
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client

from reviews.models import Comment, Review
from tests.factories import image_bytes, make_film, make_review

pytestmark = pytest.mark.django_db
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)", re.I)


@contextmanager
def database_refusing_writes(message):
    """The database as the fault leaves it: reads work, every write fails."""

    def refuse(execute, sql, params, many, context):
        if WRITE.match(sql):
            raise OperationalError(message)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


@pytest.mark.parametrize("fault", ["database is locked", "attempt to write a readonly database"])
def test_a_write_to_a_locked_or_read_only_database_gets_a_503_and_saves_nothing(
    alice_client, fault
):
    review = make_review()
    with database_refusing_writes(fault):
        response = alice_client.post(f"/reviews/{review.pk}/comments/", {"body": "Hello."})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Back in a moment" in page and "Traceback" not in page
    assert not Comment.objects.exists()
    assert Review.objects.get(pk=review.pk).comment_count == 0


def test_readiness_needs_a_database_that_takes_writes(client):
    assert client.get("/readyz").json() == {"status": "ok", "database": "ok", "cache": "ok"}
    with database_refusing_writes("attempt to write a readonly database"):
        ready = client.get("/readyz")
        alive = client.get("/healthz")
    assert ready.status_code == 503 and ready.json()["database"] == "error"
    assert ready["Retry-After"] == "30"
    assert alive.status_code == 200  # the process itself is fine


def test_an_oversized_body_is_refused_before_it_is_read(alice_client, settings):
    film = make_film()
    response = alice_client.post(
        f"/films/{film.slug}/reviews/new/",
        {"rating": "8"},
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1),
    )
    assert response.status_code == 413
    assert "That is too large" in response.content.decode()
    assert not Review.objects.exists()


def test_curators_pages_take_a_ten_megabyte_picture_but_not_more(curator_client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # Over the site's usual cap and over the picture limit: the guard lets it through
    # to the form, which explains the limit.
    big = image_bytes() + bytes(10 * 1024 * 1024)
    assert settings.MAX_REQUEST_BYTES < len(big) < settings.LARGE_UPLOAD_MAX_REQUEST_BYTES
    response = curator_client.post(
        "/admin/films/person/add/",
        {"name": "Someone", "slug": "someone", "photo": SimpleUploadedFile("big.png", big)},
    )
    assert response.status_code == 200
    assert "a picture can be at most 10 MB" in response.content.decode()
    refused = curator_client.post(
        "/admin/films/person/add/",
        {"name": ""},
        CONTENT_LENGTH=str(settings.LARGE_UPLOAD_MAX_REQUEST_BYTES + 1),
    )
    assert refused.status_code == 413


def test_uploaded_avatars_are_served_by_the_site_with_safe_headers(alice, alice_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    avatar = SimpleUploadedFile("me.png", image_bytes((300, 300)), content_type="image/png")
    alice_client.post("/accounts/settings/", {"display_name": "", "bio": "", "avatar": avatar})
    alice.profile.refresh_from_db()
    url = alice.profile.avatar.url
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert set(response["Content-Security-Policy"].split("; ")) == {"default-src 'none'", "sandbox"}
    assert "immutable" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:4] == b"RIFF"
    for bad in ("/media/../settings.py", "/media/avatars/x.html", "/media/avatars/none.webp"):
        assert Client().get(bad).status_code == 404, bad
