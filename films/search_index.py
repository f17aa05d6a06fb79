"""The catalogue's kinds in the site search, and the signals that keep them fresh."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.urls import reverse

from leonsite.lib.spoilers import spoiler_free

from . import search
from .models import (
    AlternativeTitle,
    Character,
    CharacterAlias,
    Credit,
    Film,
    Person,
    PersonAlias,
    Quote,
    QuoteLine,
    Track,
)


def _every_language(obj, name: str) -> str:
    """A translated text (films/translation.py) in English and in French, read from its
    columns: an entry is the same whichever language is active when it is (re)built,
    shows none of it (titles and subtitles hold no translated text), and is found by
    words of either language."""
    texts = (getattr(obj, f"{name}_{code}") for code, _label in settings.LANGUAGES)
    return " ".join(dict.fromkeys(t for t in texts if t))


def _only(queryset, ids):
    return queryset if ids is None else queryset.filter(pk__in=ids)


def build_films(ids):
    films = _only(Film.objects.prefetch_related("alternative_titles"), ids)
    for film in films:
        alternatives = " ".join(t.title for t in film.alternative_titles.all())
        yield search.Document(
            "film", film.pk, film.title, str(film.year), film.get_absolute_url(),
            f"{film.original_title} {alternatives} {film.year}",
        )  # fmt: skip


def build_people(ids):
    for person in _only(Person.objects.prefetch_related("aliases"), ids):
        aliases = " ".join(a.name for a in person.aliases.all())
        yield search.Document(
            "person", person.pk, person.name, person.known_for, person.get_absolute_url(),
            aliases,
        )  # fmt: skip


def build_characters(ids):
    characters = _only(
        Character.objects.select_related("film").prefetch_related("aliases", "credits__person"),
        ids,
    )
    for character in characters:
        aliases = " ".join(a.name for a in character.aliases.all())
        actors = ", ".join(c.person.name for c in character.credits.all())
        subtitle = f"{character.film.title}" + (f" · played by {actors}" if actors else "")
        yield search.Document(
            "character", character.pk, character.name, subtitle, character.get_absolute_url(),
            aliases,
        )  # fmt: skip


def build_quotes(ids):
    quotes = _only(Quote.objects.select_related("film").prefetch_related("lines__character"), ids)
    for quote in quotes:
        lines = list(quote.lines.all())
        if not lines:
            continue
        text = " ".join(line.text for line in lines)
        context = _every_language(quote, "context")
        speakers = ", ".join(dict.fromkeys(l.character.name for l in lines if l.character))  # noqa: E741
        subtitle = f"{speakers} · {quote.film.title}" if speakers else quote.film.title
        if quote.is_spoiler:
            # Its line is a spoiler: indexed apart, and its title says only that much.
            title = f"“{spoiler_free(text, spoiler=True)}”"
            spoiler = f"{text} {context}"
            yield search.Document(
                "quote", quote.pk, title, subtitle, quote.get_absolute_url(), speakers, spoiler
            )
            continue
        yield search.Document(
            "quote", quote.pk, f"“{text}”", subtitle, quote.get_absolute_url(),
            f"{speakers} {context}",
        )  # fmt: skip


def build_tracks(ids):
    tracks = _only(
        Track.objects.select_related("album__film", "origin_artist").prefetch_related(
            "credits__person"
        ),
        ids,
    )
    for track in tracks:
        people = " ".join(c.person.name for c in track.credits.all())
        url = reverse("films:film-soundtrack", kwargs={"slug": track.album.film.slug})
        yield search.Document(
            "track", track.pk, track.title, track.album.title, f"{url}#track-{track.position}",
            f"{people} {track.origin_album}",
        )  # fmt: skip


search.register("film", "Films", 5, build_films)
search.register("person", "People", 4, build_people)
search.register("character", "Characters", 4, build_characters)
search.register("quote", "Quotes", 3, build_quotes)
search.register("track", "Tracks", 2, build_tracks)

# What to reindex when a row changes: (kind, function giving the affected ids).
WATCHED = {
    Film: [("film", lambda o: [o.pk])],
    AlternativeTitle: [("film", lambda o: [o.film_id])],
    Person: [("person", lambda o: [o.pk])],
    PersonAlias: [("person", lambda o: [o.person_id])],
    Character: [("character", lambda o: [o.pk])],
    CharacterAlias: [("character", lambda o: [o.character_id])],
    Credit: [("character", lambda o: [o.character_id] if o.character_id else [])],
    Quote: [("quote", lambda o: [o.pk])],
    QuoteLine: [("quote", lambda o: [o.quote_id])],
    Track: [("track", lambda o: [o.pk])],
}


def _changed(sender, instance, **kwargs):
    for kind, affected in WATCHED[sender]:
        for object_id in affected(instance):
            search.schedule(kind, object_id)


def connect():
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"search-del-{model.__name__}")


# Migrations that change what the index holds, and what each needs once it has run
# forwards: 0007 moved spoiler text out of the open text (every entry is rebuilt, which
# fills the words too); 0008 added the table of words typos are corrected to (filled
# from the entries as they are, without rebuilding every review's).
AFTER_MIGRATIONS = {
    ("films", "0007_search_spoiler_text"): "rebuild",
    ("films", "0008_search_words"): "words",
}


def rebuild_after_migrate(sender, plan=None, **kwargs):
    needed = {
        AFTER_MIGRATIONS[(migration.app_label, migration.name)]
        for migration, backwards in plan or ()
        if not backwards and (migration.app_label, migration.name) in AFTER_MIGRATIONS
    }
    if "rebuild" in needed:
        search.rebuild()
    elif "words" in needed:
        search.refresh_words()
