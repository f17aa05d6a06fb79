"""schema.org JSON-LD for catalogue pages (Movie, Person, Quotation)."""

from typing import Any

from django.conf import settings

from leonsite.lib.spoilers import spoiler_free


def absolute(request, path: str) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL + path


def _person(request, person) -> dict:
    return {
        "@type": "Person",
        "name": person.name,
        "url": absolute(request, person.get_absolute_url()),
    }


def movie(request, film, cast=(), crew=()) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": film.title,
        "url": absolute(request, film.get_absolute_url()),
        "dateCreated": str(film.year),
    }
    if film.original_title and film.original_title != film.title:
        data["alternateName"] = [film.original_title] + [
            t.title for t in film.alternative_titles.all() if t.title != film.original_title
        ]
    if film.release_date:
        data["datePublished"] = film.release_date.isoformat()
    if film.runtime_minutes:
        hours, minutes = divmod(film.runtime_minutes, 60)
        data["duration"] = f"PT{hours}H{minutes}M" if hours else f"PT{minutes}M"
    if film.synopsis:
        data["description"] = film.synopsis.split("\n\n")[0]
    if film.poster:
        data["image"] = absolute(request, film.poster.url)
    genres = [g.name for g in film.genres.all()]
    if genres:
        data["genre"] = genres
    countries = [{"@type": "Country", "name": c.name} for c in film.countries.all()]
    if countries:
        data["countryOfOrigin"] = countries
    languages = [lang.name for lang in film.languages.all()]
    if languages:
        data["inLanguage"] = languages
    roles = {"director": "director", "composer": "musicBy", "producer": "producer"}
    for credit in crew:
        key = roles.get(credit.role)
        if key:
            data.setdefault(key, []).append(_person(request, credit.person))
        elif credit.role == "writer":
            data.setdefault("author", []).append(_person(request, credit.person))
    actors = [_person(request, credit.person) for credit in cast]
    if actors:
        data["actor"] = actors
    return data


def person(request, person) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person.name,
        "url": absolute(request, person.get_absolute_url()),
    }
    aliases = [a.name for a in person.aliases.all()]
    if aliases:
        data["alternateName"] = aliases
    if person.known_for:
        data["jobTitle"] = person.known_for
    if person.photo:
        data["image"] = absolute(request, person.photo.url)
    if person.biography:
        data["description"] = person.biography.split("\n\n")[0]
    return data


def quotation(request, quote, lines) -> dict:
    film = quote.film
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Quotation",
        "text": spoiler_free(" ".join(line.text for line in lines), spoiler=quote.is_spoiler),
        "url": absolute(request, quote.get_absolute_url()),
        "isPartOf": {
            "@type": "Movie",
            "name": film.title,
            "url": absolute(request, film.get_absolute_url()),
        },
    }
    speakers = []
    for line in lines:
        if line.character and line.character not in speakers:
            speakers.append(line.character)
    if speakers:
        data["spokenByCharacter"] = [
            {
                "@type": "Person",
                "name": c.name,
                "url": absolute(request, c.get_absolute_url()),
            }
            for c in speakers
        ]
    return data
