from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leonsite.lib.warmup import busiest_pages, compile_templates, warm_pages


def caches_clear():
    for cache in caches.all():
        cache.clear()


def test_every_template_is_parsed_before_the_first_request():
    directory = Path(settings.TEMPLATES[0]["DIRS"][0])
    assert compile_templates() == len(list(directory.rglob("*.html"))) > 50


# Outside a test's transaction, as a server starts: each request may close an obsolete
# connection, which would end the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_the_busiest_pages_are_served_once_before_the_first_visitor(catalogue, client):
    def queries_for_home():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx)

    caches_clear()
    cold = queries_for_home()
    caches_clear()
    assert warm_pages(busiest_pages()) == 3
    # The whole page is keyed by the address it was asked at; its fragments are not.
    assert queries_for_home() < cold / 2


@pytest.mark.django_db(transaction=True)
def test_a_page_that_fails_to_warm_up_is_logged_and_skipped(catalogue, caplog, monkeypatch):
    # The first failure ends the warm-up: the home page after it is not served.
    assert warm_pages(["/no-such-page/", "/"]) == 0
    assert "answered 404" in caplog.text

    def broken(self, request):
        raise RuntimeError("database away")

    monkeypatch.setattr(WSGIHandler, "get_response", broken)
    assert warm_pages(["/"]) == 0
    assert "warm-up of / failed" in caplog.text
