"""The like button and the report link each item of a list carries: built by template
tags, for the member reading (never for the item's author, nor for a visitor)."""

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from tests.factories import make_user

pytestmark = pytest.mark.django_db

TAGS = Template(
    "{% load community moderation %}"
    '{% like_button "/reviews/7/like/" liked=liked count=count owner_id=owner '
    'what="this review" anchor="review-7" %}'
    '{% report_link "review" 7 owner %}'
)


class Parsed(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.tags, self.text = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def render(viewer, *, owner, liked=False, count=1):
    request = RequestFactory().get("/films/leon/reviews/?sort=highest&page=2")
    request.user = viewer
    context = {"user": viewer, "request": request, "csrf_token": "tok3n", "owner": owner.pk,
               "liked": liked, "count": count}  # fmt: skip
    return Parsed(TAGS.render(Context(context)))


def test_another_member_gets_the_form_and_the_link(alice, bob):
    html = render(alice, owner=bob, liked=True, count=2)
    forms = [attrs for tag, attrs in html.tags if tag == "form"]
    assert forms == [{"class": "like-form", "method": "post", "action": "/reviews/7/like/"}]
    inputs = {attrs["name"]: attrs["value"] for tag, attrs in html.tags if tag == "input"}
    assert inputs == {
        "csrfmiddlewaretoken": "tok3n",
        "action": "unlike",
        "next": "/films/leon/reviews/?sort=highest&page=2#review-7",
    }
    button = next(attrs for tag, attrs in html.tags if tag == "button")
    assert button["aria-pressed"] == "true" and "is-liked" in button["class"]
    link = next(attrs for tag, attrs in html.tags if tag == "a")
    report = reverse("moderation:report", args=["review", 7])
    assert link["href"] == f"{report}?next=/films/leon/reviews/%3Fsort%3Dhighest%26page%3D2"
    text = " ".join("".join(html.text).split())
    assert "Liked this review" in text and "2 likes" in text and "Report this review" in text


def test_the_author_and_visitors_get_the_count_alone(alice):
    from django.contrib.auth.models import AnonymousUser

    for viewer in (alice, AnonymousUser()):
        html = render(viewer, owner=alice, count=1)
        assert not [tag for tag, _ in html.tags if tag in ("form", "a", "input")]
        assert " ".join("".join(html.text).split()) == "♥ 1 like"


def test_the_words_follow_the_language(alice):
    with translation.override("fr"):
        html = render(alice, owner=make_user(), count=3)
    text = " ".join("".join(html.text).split())
    assert "3 likes" not in text and "Signaler" in text
