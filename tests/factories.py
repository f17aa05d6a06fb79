"""Plain make_* helpers: each builds one valid row and its required parents."""

import io
import itertools
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from films.models import (
    Album,
    Award,
    Character,
    Credit,
    CriticScore,
    Figure,
    Film,
    FilmingLocation,
    Person,
    Quote,
    QuoteLine,
    Scene,
    Track,
    TrackCredit,
    Trivia,
)

_seq = itertools.count(1)


def _n():
    return next(_seq)


def make_image(name="poster.png", size=(60, 90), color=(40, 90, 60), fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def make_film(**kwargs):
    n = _n()
    defaults = {"slug": f"film-{n}", "title": f"Film {n}", "year": 1994}
    return Film.objects.create(**{**defaults, **kwargs})


def make_person(**kwargs):
    n = _n()
    defaults = {"slug": f"person-{n}", "name": f"Person {n}"}
    return Person.objects.create(**{**defaults, **kwargs})


def make_character(film=None, **kwargs):
    n = _n()
    defaults = {"slug": f"character-{n}", "name": f"Character {n}"}
    return Character.objects.create(film=film or make_film(), **{**defaults, **kwargs})


def make_cast_credit(film=None, person=None, character=None, billing_order=None, **kwargs):
    film = film or make_film()
    return Credit.objects.create(
        film=film,
        person=person or make_person(),
        role=Credit.Role.CAST,
        character=character or make_character(film),
        billing_order=billing_order,
        **kwargs,
    )


def make_crew_credit(film=None, person=None, role=Credit.Role.DIRECTOR, **kwargs):
    return Credit.objects.create(
        film=film or make_film(), person=person or make_person(), role=role, **kwargs
    )


def make_scene(film=None, **kwargs):
    n = _n()
    defaults = {"slug": f"scene-{n}", "order": n, "title": f"Scene {n}"}
    return Scene.objects.create(film=film or make_film(), **{**defaults, **kwargs})


def make_quote(film=None, lines=None, **kwargs):
    film = film or make_film()
    quote = Quote.objects.create(film=film, **kwargs)
    for order, (character, text) in enumerate(lines or [(None, f"Line {_n()}")], start=1):
        QuoteLine.objects.create(quote=quote, order=order, character=character, text=text)
    return quote


def make_album(film=None, **kwargs):
    n = _n()
    defaults = {"slug": f"album-{n}", "title": f"Album {n}"}
    return Album.objects.create(film=film or make_film(), **{**defaults, **kwargs})


def make_track(album=None, position=None, **kwargs):
    album = album or make_album()
    if position is None:
        position = album.tracks.count() + 1
    defaults = {"title": f"Track {_n()}"}
    return Track.objects.create(album=album, position=position, **{**defaults, **kwargs})


def make_track_credit(track=None, person=None, role=TrackCredit.Role.COMPOSER, **kwargs):
    return TrackCredit.objects.create(
        track=track or make_track(), person=person or make_person(), role=role, **kwargs
    )


def make_trivia(film=None, **kwargs):
    defaults = {"category": Trivia.Category.PRODUCTION, "text": f"A fact {_n()}."}
    return Trivia.objects.create(film=film or make_film(), **{**defaults, **kwargs})


def make_award(film=None, **kwargs):
    defaults = {
        "body": "Some Awards",
        "year": 1995,
        "category": f"Category {_n()}",
        "outcome": Award.Outcome.NOMINATED,
    }
    return Award.objects.create(film=film or make_film(), **{**defaults, **kwargs})


def make_score(film=None, **kwargs):
    defaults = {"outlet": f"Outlet {_n()}", "value": Decimal("3.5"), "scale": Decimal("4")}
    return CriticScore.objects.create(film=film or make_film(), **{**defaults, **kwargs})


def make_figure(film=None, **kwargs):
    defaults = {"kind": Figure.Kind.BOX_OFFICE, "value": 1_000_000, "currency": "USD"}
    return Figure.objects.create(film=film or make_film(), **{**defaults, **kwargs})


def make_location(film=None, **kwargs):
    defaults = {"name": f"Place {_n()}"}
    return FilmingLocation.objects.create(film=film or make_film(), **{**defaults, **kwargs})


def make_rich_film(scale=1):
    """A film with every kind of catalogue row, `scale` times over, for query budgets."""
    film = make_film()
    director = make_person()
    make_crew_credit(film, director, Credit.Role.DIRECTOR)
    make_crew_credit(film, director, Credit.Role.WRITER)
    album = make_album(film, composer=director)
    scenes = [make_scene(film) for _ in range(2 * scale)]
    for i in range(10 * scale):
        person = make_person()
        credit = make_cast_credit(film, person, billing_order=i + 1)
        scene = scenes[i % len(scenes)]
        scene.characters.add(credit.character)
        make_quote(film, [(credit.character, f"Line {i}")], scene=scene)
        track = make_track(album, scene=scene, origin_artist=person if i % 3 == 0 else None)
        make_track_credit(track, director)
        make_track_credit(track, person, TrackCredit.Role.PERFORMER)
        trivia = make_trivia(film, scene=scene)
        trivia.characters.add(credit.character)
        trivia.people.add(person)
        award = make_award(film)
        award.recipients.add(person)
        make_score(film)
        make_figure(film, key=f"figure-{i}")
        make_location(film)
    return film


# The community (reviews app) ------------------------------------------------------------

PASSWORD = "a-long-test-passphrase"


def make_user(username=None, **kwargs):
    from django.contrib.auth import get_user_model

    from leonsite.accounts.models import Profile
    from leonsite.lib.text import skeleton

    username = username or f"member{_n()}"
    email = kwargs.pop("email", f"{username}@example.com")
    profile_fields = {k: kwargs.pop(k) for k in ("display_name", "bio") if k in kwargs}
    user = get_user_model().objects.create_user(username, email, PASSWORD, **kwargs)
    Profile.objects.create(
        user=user,
        username_skeleton=skeleton(username),
        email_confirmed_at=user.date_joined,
        **profile_fields,
    )
    return user


def make_review(author=None, film=None, rating=8, **kwargs):
    """A review written through the service, so the film's rating statistics follow."""
    from reviews import services

    return services.review_create(
        author=author or make_user(), film=film or make_film(), rating=rating, **kwargs
    )


def make_collection(owner=None, quotes=(), **kwargs):
    from reviews import services

    defaults = {"title": f"Collection {_n()}", "visibility": "public"}
    collection = services.collection_create(owner=owner or make_user(), **{**defaults, **kwargs})
    for quote in quotes:
        services.collection_add_quote(collection=collection, quote=quote)
    collection.refresh_from_db()
    return collection


def make_comment(review=None, author=None, body="Well put.", parent=None):
    """A comment, or with `parent` a reply, written through the service."""
    from reviews import services

    review = review or (parent.review if parent is not None else make_review())
    return services.comment_create(
        author=author or make_user(), review=review, body=body, parent=parent
    )


def image_bytes(size=(64, 64), fmt="PNG", color=(200, 30, 30), **save_kwargs):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt, **save_kwargs)
    return buffer.getvalue()


# Moderation -----------------------------------------------------------------------------


def make_established_user(username=None, **kwargs):
    """A member of some standing: their reports count towards hiding an item."""
    from datetime import timedelta

    from django.utils import timezone

    return make_user(username, date_joined=timezone.now() - timedelta(days=60), **kwargs)


def make_moderator(username=None, **kwargs):
    from leonsite.lib.groups import grant_role

    user = make_user(username, **kwargs)
    return grant_role("moderator", user.username)


def make_report(item, reporter=None, reason="spam", details=""):
    """A member's report filed through the service (which may auto-hide the item)."""
    from reviews.moderation import services as moderation

    return moderation.report_create(
        reporter=reporter or make_established_user(), item=item, reason=reason, details=details
    ).report


def make_removal_reason(**kwargs):
    from reviews.moderation.models import RemovalReason

    n = _n()
    defaults = {"title": f"Reason {n}", "message": f"Removed for reason {n}."}
    return RemovalReason.objects.create(**{**defaults, **kwargs})


def make_watched_word(word, action="hold"):
    from reviews.moderation.models import WatchedWord

    return WatchedWord.objects.create(word=word, action=action)


def make_moderator_role(username):
    """An existing member made a moderator, as `manage.py grant_role moderator` does."""
    from leonsite.lib.groups import grant_role

    return grant_role("moderator", username)


def make_curator(username):
    """An existing member made a curator, as `manage.py grant_role curator` does."""
    from leonsite.lib.groups import grant_role

    return grant_role("curator", username)


def session_queries() -> int:
    """What reading a signed-in member's session costs in queries: none when sessions are
    read from the cache (with Redis), one from the database."""
    from django.conf import settings

    return 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1


def forget_members() -> None:
    """Drop this process's copies of members and of their pages: the queries counted next
    are those of the page rendered for a member read afresh, whatever came before."""
    from django.core.cache import caches

    caches["members"].clear()
    caches["member-pages"].clear()
