"""The read API over HTTP: conditional GETs answered before any query, caching headers,
CORS for any origin on /api/ only, and the per-address rate limit."""

import time

import pytest
from django.utils.http import http_date

from tests import factories
from tests.api.conftest import API

pytestmark = pytest.mark.django_db


def test_a_matching_etag_is_a_304_without_a_query(client, film, django_assert_num_queries):
    url = f"{API}/films/{film.slug}/"
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=60"
    etag = first["ETag"]
    with django_assert_num_queries(0):
        again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Cache-Control"] == "public, max-age=60"
    assert client.head(url, headers={"if-none-match": etag}).status_code == 304
    # Another query string is another response.
    other = client.get(url, {"spoilers": "include"})
    assert other.status_code == 200 and other["ETag"] != etag


def test_a_change_to_the_catalogue_changes_the_etag(client, film):
    url = f"{API}/films/{film.slug}/"
    etag = client.get(url)["ETag"]
    film.tagline = "If you want the job done well, hire a professional."
    film.save()
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["tagline"].startswith("If you want")


def test_a_review_changes_the_communitys_etags_and_not_the_catalogues(client, film):
    reviews, films = f"{API}/reviews/", f"{API}/films/{film.slug}/"
    etags = {url: client.get(url)["ETag"] for url in (reviews, films)}
    factories.make_review(film=film, body="A new one.")
    assert client.get(reviews, headers={"if-none-match": etags[reviews]}).status_code == 200
    assert client.get(films, headers={"if-none-match": etags[films]}).status_code == 304


def test_last_modified_answers_if_modified_since(client, film):
    url = f"{API}/films/{film.slug}/"
    # Only once the second the data was first seen in is over (a write in the same
    # second could otherwise go unnoticed).
    assert "Last-Modified" not in client.get(url)
    time.sleep(1.1)
    response = client.get(url)
    modified = response["Last-Modified"]
    assert client.get(url, headers={"if-modified-since": modified}).status_code == 304
    earlier = http_date(time.time() - 3600)
    assert client.get(url, headers={"if-modified-since": earlier}).status_code == 200
    film.title = "Léon"
    film.save()
    changed = client.get(url, headers={"if-modified-since": modified})
    assert changed.status_code == 200 and changed.json()["title"] == "Léon"


def test_any_origin_may_read_the_api_and_only_the_api(client, film):
    origin = {"origin": "https://fans.example"}
    response = client.get(f"{API}/films/", headers=origin)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        f"{API}/films/",
        headers={**origin, "access-control-request-method": "GET",
                 "access-control-request-headers": "if-none-match"},
    )  # fmt: skip
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]
    page = client.get(f"/films/{film.slug}/", headers=origin)
    assert "Access-Control-Allow-Origin" not in page


def test_too_many_requests_from_one_address_get_a_429_with_retry_after(client, settings, film):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": {"ip": ["3/m"]}}
    for _ in range(3):
        assert client.get(f"{API}/films/").status_code == 200
    refused = client.get(f"{API}/films/", headers={"x-forwarded-for": "203.0.113.9"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"]
    # Another address has its own count.
    assert client.get(f"{API}/films/", REMOTE_ADDR="198.51.100.7").status_code == 200


def test_the_schema_is_openapi_3_1_and_the_docs_page_keeps_the_csp(client):
    schema = client.get(f"{API}/schema/", {"format": "json"})
    assert schema.status_code == 200 and schema.json()["openapi"] == "3.1.0"
    docs = client.get(f"{API}/docs/")
    assert docs.status_code == 200
    policy = docs["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert b"<script>" not in docs.content and b"<style" not in docs.content
    assert "Cross-Origin-Opener-Policy" not in docs or docs["Cross-Origin-Opener-Policy"] == (
        "same-origin"
    )
