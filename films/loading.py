"""Load the catalogue from a TOML data file, idempotently.

Every row the load creates is written down in SeedRecord. A later run creates only what
was never created before, and touches nothing else: running twice changes nothing,
and a curator's edit (or deletion) of a loaded row survives every re-run.

The French texts (`synopsis_fr`, a scene's `title_fr`...: films/translation.py) follow the
same rule, each text on its own: it is written once, into a row that has no French for
that field yet, and recorded; a later run never writes it again, so a curator's French,
written before or after, stays. Rows loaded before the data file had French get it on the
next run.
"""

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import reversion
from django.conf import settings
from django.db import models, transaction
from django.utils import translation

from . import search
from .models import (
    Album,
    AlbumCertification,
    AlternativeTitle,
    Award,
    Character,
    CharacterAlias,
    Country,
    Credit,
    CriticScore,
    Cut,
    Figure,
    Film,
    FilmingLocation,
    Genre,
    Language,
    Person,
    PersonAlias,
    Quote,
    QuoteLine,
    Scene,
    SeedRecord,
    Source,
    Track,
    TrackCredit,
    Trivia,
)

DEFAULT_DATA_FILE = Path(__file__).resolve().parent / "data" / "leon.toml"


class CatalogueDataError(ValueError):
    """The data file refers to something it does not define."""


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    kept: int = 0

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


class CatalogueLoader:
    def __init__(self, data: dict):
        self.data = data
        self.report = LoadReport()
        self.recorded = set(SeedRecord.objects.values_list("key", flat=True))
        self.films: dict[str, Film | None] = {}
        self.scenes: dict[tuple[str, str], Scene | None] = {}

    # -- the one rule --------------------------------------------------------------
    def ensure(self, model, key_parts, lookup: dict, create):
        """Return the row for this seed key, creating it only on its first load."""
        key = f"{model._meta.label_lower}:" + "/".join(str(p) for p in key_parts)
        obj = model.objects.filter(**lookup).first()
        if key in self.recorded:
            self.report.kept += 1
            return obj
        if obj is None:
            obj = create()
            self.report.created[model._meta.verbose_name_plural] += 1
        SeedRecord.objects.create(key=key)
        self.recorded.add(key)
        return obj

    def ensure_simple(self, model, key_parts, lookup: dict, **values):
        return self.ensure(
            model, key_parts, lookup, lambda: model.objects.create(**lookup, **values)
        )

    def ensure_french(self, obj: models.Model | None, key_parts, item: dict, fields) -> None:
        """Give a loaded row the French of `fields` the data file has (`<field>_fr`),
        each once: only into an empty French field, and never again once recorded."""
        if obj is None:
            return  # a curator deleted the row
        written = []
        for name in fields:
            text = item.get(f"{name}_fr", "").strip()
            if not text:
                continue
            key = f"{obj._meta.label_lower}.fr:" + "/".join(str(p) for p in key_parts)
            key += f"/{name}"
            if key in self.recorded:
                self.report.kept += 1
                continue
            if not getattr(obj, f"{name}_fr"):
                setattr(obj, f"{name}_fr", text)
                written.append(f"{name}_fr")
            SeedRecord.objects.create(key=key)
            self.recorded.add(key)
        if written:
            obj.save(update_fields=written)
            self.report.created["French texts"] += len(written)

    # -- references --------------------------------------------------------------
    def ref(self, mapping: dict, key: str, what: str):
        if key not in mapping:
            raise CatalogueDataError(f"Unknown {what} {key!r} in the data file.")
        return mapping[key]

    def source(self, item: dict):
        key = item.get("source")
        return self.ref(self.sources, key, "source") if key else None

    # -- load ----------------------------------------------------------------------
    def run(self) -> LoadReport:
        # The English fields are written in English whatever language the caller has on.
        with (
            translation.override(settings.LANGUAGE_CODE),
            transaction.atomic(),
            reversion.create_revision(),
        ):
            reversion.set_comment("Catalogue load from the project's data file")
            self.load_vocabularies()
            self.load_people()
            for item in self.data.get("films", []):
                self.load_film(item)
            for item in self.data.get("albums", []):
                self.load_album(item)
            if self.report.total_created:
                search.rebuild()
        return self.report

    def load_vocabularies(self):
        self.sources = {}
        for item in self.data.get("sources", []):
            self.sources[item["key"]] = self.ensure_simple(
                Source,
                [item["key"]],
                {"key": item["key"]},
                title=item["title"],
                kind=item.get("kind", Source.Kind.CITATION),
                reference=item.get("reference", ""),
            )
        self.genres = {
            g["slug"]: self.ensure_simple(Genre, [g["slug"]], {"slug": g["slug"]}, name=g["name"])
            for g in self.data.get("genres", [])
        }
        self.countries = {
            c["code"]: self.ensure_simple(Country, [c["code"]], {"code": c["code"]}, name=c["name"])
            for c in self.data.get("countries", [])
        }
        self.languages = {
            lang["code"]: self.ensure_simple(
                Language, [lang["code"]], {"code": lang["code"]}, name=lang["name"]
            )
            for lang in self.data.get("languages", [])
        }

    def load_people(self):
        self.people = {}
        for item in self.data.get("people", []):
            person = self.ensure_simple(
                Person,
                [item["slug"]],
                {"slug": item["slug"]},
                name=item["name"],
                known_for=item.get("known_for", ""),
                biography=item.get("biography", "").strip(),
                source=self.source(item),
            )
            self.people[item["slug"]] = person
            if person is None:
                continue
            for alias in item.get("aliases", []):
                self.ensure_simple(
                    PersonAlias, [item["slug"], alias], {"person": person, "name": alias}
                )

    def load_film(self, item: dict):
        """One film and everything that hangs from it, each part in its own step."""
        slug = item["slug"]
        film = self.ensure(Film, [slug], {"slug": slug}, lambda: self.create_film(item))
        self.films[slug] = film
        if film is None:
            return  # a curator deleted it: nothing of it comes back
        self.ensure_french(film, [slug], item, ["synopsis"])
        for alt in item.get("alternative_titles", []):
            self.ensure_simple(
                AlternativeTitle,
                [slug, alt["title"]],
                {"film": film, "title": alt["title"]},
                note=alt.get("note", ""),
            )
        for cut in item.get("cuts", []):
            self.ensure_simple(
                Cut,
                [slug, cut["slug"]],
                {"film": film, "slug": cut["slug"]},
                name=cut["name"],
                runtime_minutes=cut.get("runtime_minutes"),
                position=cut.get("position", 0),
                source=self.source(cut),
            )
        characters = self.load_characters(film, item.get("characters", []))
        for credit in item.get("credits", []):
            self.load_credit(film, credit, characters)
        scenes = self.load_scenes(film, item.get("scenes", []), characters)
        for q in item.get("quotes", []):
            self.load_quote(film, q, characters, scenes)
        for t in item.get("trivia", []):
            self.load_trivia(film, t, characters, scenes)
        for a in item.get("awards", []):
            self.load_award(film, a)
        self.load_figures(film, item)

    def create_film(self, item: dict) -> Film:
        film = Film.objects.create(
            slug=item["slug"],
            title=item["title"],
            original_title=item.get("original_title", ""),
            year=item["year"],
            release_date=item.get("release_date"),
            runtime_minutes=item.get("runtime_minutes"),
            tagline=item.get("tagline", ""),
            synopsis=item.get("synopsis", "").strip(),
            plot=item.get("plot", "").strip(),
            source=self.source(item),
        )
        film.genres.set(self.ref(self.genres, g, "genre") for g in item.get("genres", []))
        film.countries.set(
            self.ref(self.countries, c, "country") for c in item.get("countries", [])
        )
        film.languages.set(
            self.ref(self.languages, lang, "language") for lang in item.get("languages", [])
        )
        return film

    def load_characters(self, film: Film, items: list) -> dict:
        characters = {}
        for c in items:
            character = self.ensure_simple(
                Character,
                [film.slug, c["slug"]],
                {"film": film, "slug": c["slug"]},
                name=c["name"],
                description=c.get("description", "").strip(),
            )
            characters[c["slug"]] = character
            if character is None:
                continue
            self.ensure_french(character, [film.slug, c["slug"]], c, ["description"])
            for alias in c.get("aliases", []):
                if alias != character.name:
                    self.ensure_simple(
                        CharacterAlias,
                        [film.slug, c["slug"], alias],
                        {"character": character, "name": alias},
                    )
        return characters

    def load_scenes(self, film: Film, items: list, characters: dict) -> dict:
        def create_scene(s: dict) -> Scene:
            scene = Scene.objects.create(
                film=film,
                slug=s["slug"],
                order=s["order"],
                title=s["title"],
                description=s.get("description", "").strip(),
                is_spoiler=s.get("is_spoiler", False),
            )
            in_scene = (self.ref(characters, k, "character") for k in s.get("characters", []))
            scene.characters.set(c for c in in_scene if c is not None)
            return scene

        scenes = {
            s["slug"]: self.ensure(
                Scene,
                [film.slug, s["slug"]],
                {"film": film, "slug": s["slug"]},
                lambda s=s: create_scene(s),
            )
            for s in items
        }
        self.scenes.update({(film.slug, k): v for k, v in scenes.items()})
        for s in items:
            self.ensure_french(
                scenes[s["slug"]], [film.slug, s["slug"]], s, ["title", "description"]
            )
        return scenes

    def load_figures(self, film: Film, item: dict) -> None:
        """Critics' scores, box-office figures and filming locations."""
        slug = film.slug
        for s in item.get("critic_scores", []):
            self.ensure_simple(
                CriticScore,
                [slug, s["outlet"]],
                {"film": film, "outlet": s["outlet"]},
                value=Decimal(str(s["value"])),
                scale=Decimal(str(s["scale"])),
                kind=s.get("kind", CriticScore.Kind.RATING),
                sample_size=s.get("sample_size"),
                sample_label=s.get("sample_label", ""),
                note=s.get("note", ""),
                source=self.source(s),
            )
        for f in item.get("figures", []):
            self.ensure_simple(
                Figure,
                [slug, f["key"]],
                {"film": film, "key": f["key"]},
                kind=f["kind"],
                region=f.get("region", "Worldwide"),
                value=f["value"],
                currency=f.get("currency", ""),
                approximate=f.get("approximate", False),
                converted_usd=f.get("converted_usd"),
                note=f.get("note", ""),
                source=self.source(f),
            )
        for loc in item.get("locations", []):
            self.ensure_simple(
                FilmingLocation,
                [slug, loc["name"]],
                {"film": film, "name": loc["name"]},
                description=loc.get("description", "").strip(),
                is_primary=loc.get("is_primary", False),
                source=self.source(loc),
            )

    def load_credit(self, film, credit, characters):
        person = self.ref(self.people, credit["person"], "person")
        character = None
        if credit.get("character"):
            character = self.ref(characters, credit["character"], "character")
            if character is None:
                return
        if person is None:
            return
        key = [film.slug, credit["person"], credit["role"], credit.get("character", "")]
        self.ensure_simple(
            Credit,
            key,
            {"film": film, "person": person, "role": credit["role"], "character": character},
            billing_order=credit.get("billing"),
            note=credit.get("note", ""),
            source=self.source(credit),
        )

    def load_quote(self, film, q, characters, scenes):
        def create():
            quote = Quote.objects.create(
                film=film,
                key=q["key"],
                scene=self.ref(scenes, q["scene"], "scene") if q.get("scene") else None,
                context=q.get("context", "").strip(),
                notes=q.get("notes", "").strip(),
                is_improvised=q.get("is_improvised", False),
                is_spoiler=q.get("is_spoiler", False),
                is_featured=q.get("is_featured", False),
                source=self.source(q),
            )
            for order, line in enumerate(q["lines"], start=1):
                speaker = line.get("character")
                QuoteLine.objects.create(
                    quote=quote,
                    order=order,
                    character=self.ref(characters, speaker, "character") if speaker else None,
                    text=line["text"],
                )
            return quote

        quote = self.ensure(Quote, [film.slug, q["key"]], {"film": film, "key": q["key"]}, create)
        self.ensure_french(quote, [film.slug, q["key"]], q, ["context"])

    def load_trivia(self, film, t, characters, scenes):
        def create():
            trivia = Trivia.objects.create(
                film=film,
                key=t["key"],
                category=t["category"],
                text=t["text"].strip(),
                is_spoiler=t.get("is_spoiler", False),
                scene=self.ref(scenes, t["scene"], "scene") if t.get("scene") else None,
                source=self.source(t),
            )
            trivia.characters.set(
                c
                for c in (self.ref(characters, k, "character") for k in t.get("characters", []))
                if c is not None
            )
            trivia.people.set(
                p
                for p in (self.ref(self.people, k, "person") for k in t.get("people", []))
                if p is not None
            )
            return trivia

        trivia = self.ensure(Trivia, [film.slug, t["key"]], {"film": film, "key": t["key"]}, create)
        self.ensure_french(trivia, [film.slug, t["key"]], t, ["text"])

    def load_award(self, film, a):
        def create():
            award = Award.objects.create(
                film=film,
                key=a["key"],
                body=a["body"],
                year=a.get("year"),
                category=a["category"],
                outcome=a["outcome"],
                source=self.source(a),
            )
            award.recipients.set(
                p
                for p in (self.ref(self.people, k, "person") for k in a.get("recipients", []))
                if p is not None
            )
            return award

        self.ensure(Award, [film.slug, a["key"]], {"film": film, "key": a["key"]}, create)

    def load_album(self, item):
        film = self.ref(self.films, item["film"], "film")
        if film is None:
            return
        composer = (
            self.ref(self.people, item["composer"], "person") if item.get("composer") else None
        )
        album = self.ensure_simple(
            Album,
            [item["slug"]],
            {"slug": item["slug"]},
            title=item["title"],
            film=film,
            composer=composer,
            release_year=item.get("release_year"),
            description=item.get("description", "").strip(),
            source=self.source(item),
        )
        if album is None:
            return
        for cert in item.get("certifications", []):
            self.ensure_simple(
                AlbumCertification,
                [item["slug"], cert["region"], cert["level"]],
                {"album": album, "region": cert["region"], "level": cert["level"]},
                year=cert.get("year"),
                note=cert.get("note", ""),
            )
        for t in item.get("tracks", []):
            scene = None
            if t.get("scene"):
                scene = self.ref(self.scenes, (film.slug, t["scene"]), "scene")
            origin = t.get("origin_artist")
            track = self.ensure_simple(
                Track,
                [item["slug"], t["position"]],
                {"album": album, "position": t["position"]},
                title=t["title"],
                duration_seconds=t.get("duration_seconds"),
                scene=scene,
                notes=t.get("notes", "").strip(),
                origin_artist=self.ref(self.people, origin, "person") if origin else None,
                origin_album=t.get("origin_album", ""),
                origin_year=t.get("origin_year"),
            )
            if track is None:
                continue
            for c in t.get("credits", []):
                person = self.ref(self.people, c["person"], "person")
                if person is None:
                    continue
                self.ensure_simple(
                    TrackCredit,
                    [item["slug"], t["position"], c["person"], c["role"]],
                    {"track": track, "person": person, "role": c["role"]},
                    note=c.get("note", ""),
                )


def load_catalogue(path: Path = DEFAULT_DATA_FILE) -> LoadReport:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    return CatalogueLoader(data).run()
