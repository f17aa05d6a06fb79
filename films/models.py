"""The catalogue: films, people, credits, characters, scenes, soundtrack, quotes and facts.

Modelled the way IMDb and TMDB structure a title: every fact is a row with its own
fields, and every fact can name the source it came from.
"""

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.manager import MultilingualManager

from leonsite.lib.caching import WatchedQuerySet
from leonsite.lib.moderated import Moderatable


def _random_name(folder, filename):
    # Never trust an uploaded file name: keep only its extension.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


def poster_upload_to(instance, filename):
    return _random_name("posters", filename)


def photo_upload_to(instance, filename):
    return _random_name("people", filename)


def cover_upload_to(instance, filename):
    return _random_name("covers", filename)


def character_upload_to(instance, filename):
    return _random_name("characters", filename)


def location_upload_to(instance, filename):
    return _random_name("locations", filename)


def still_upload_to(instance, filename):
    return _random_name("stills", filename)


def _dimension(label):
    # Filled by the ImageField on save: pages size an image without opening its file.
    return models.PositiveIntegerField(null=True, blank=True, editable=False, verbose_name=label)


class Source(models.Model):
    class Kind(models.TextChoices):
        SEED = "seed", _("Seed document")
        CITATION = "citation", _("Curator's citation")

    key = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CITATION)
    reference = models.CharField(
        max_length=500, blank=True, help_text=_("A file path, a bibliographic reference or a URL.")
    )

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Genre(models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Country(models.Model):
    code = models.CharField(max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2 code."))
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name


class Language(models.Model):
    code = models.CharField(max_length=8, unique=True, help_text=_("ISO 639 code."))
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Person(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=150)
    known_for = models.CharField(
        max_length=60, blank=True, help_text=_("Department a fan knows them for, e.g. Actor.")
    )
    biography = models.TextField(blank=True)
    photo = models.ImageField(
        upload_to=photo_upload_to,
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        help_text=_("A portrait. JPEG, PNG or WebP, at most 10 MB and 40 megapixels."),
    )
    photo_width = _dimension("photo width")
    photo_height = _dimension("photo height")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("films:person-detail", kwargs={"slug": self.slug})


class PersonAlias(models.Model):
    person = models.ForeignKey(Person, related_name="aliases", on_delete=models.CASCADE)
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person alias")
        verbose_name_plural = _("person aliases")
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="unique_person_alias")
        ]

    def __str__(self):
        return self.name


class FilmQuerySet(models.QuerySet):
    def for_list(self):
        return self.prefetch_related("genres", directors_prefetch()).order_by("-year", "title")


def directors_prefetch():
    # A film's directors, for its drawn poster: `film.director_credits`.
    return models.Prefetch(
        "credits",
        queryset=Credit.objects.filter(role=Credit.Role.DIRECTOR).select_related("person"),
        to_attr="director_credits",
    )


class Film(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    original_title = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1888), MaxValueValidator(2100)]
    )
    release_date = models.DateField(null=True, blank=True, help_text=_("First release."))
    runtime_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    countries = models.ManyToManyField(Country, blank=True, related_name="films")
    languages = models.ManyToManyField(Language, blank=True, related_name="films")
    genres = models.ManyToManyField(Genre, blank=True, related_name="films")
    tagline = models.CharField(max_length=200, blank=True)
    synopsis = models.TextField(blank=True, help_text=_("Spoiler-free."))
    plot = models.TextField(blank=True, help_text=_("The whole story, ending included."))
    poster = models.ImageField(
        upload_to=poster_upload_to,
        blank=True,
        width_field="poster_width",
        height_field="poster_height",
        help_text=_("Portrait, about 2:3. JPEG, PNG or WebP, at most 10 MB and 40 megapixels."),
    )
    poster_width = _dimension("poster width")
    poster_height = _dimension("poster height")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)

    # Models with French fields (films/translation.py) declare modeltranslation's manager
    # themselves, so that it is not patched in at run time, out of the type checker's sight.
    objects = MultilingualManager.from_queryset(FilmQuerySet)()

    class Meta:
        ordering = ["-year", "title"]
        indexes = [models.Index(fields=["year", "title"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1888) & Q(year__lte=2100), name="film_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(runtime_minutes__isnull=True) | Q(runtime_minutes__gt=0),
                name="film_runtime_positive",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse("films:film-detail", kwargs={"slug": self.slug})

    @property
    def directors(self) -> str:
        """Its directors' names, when they were prefetched (`directors_prefetch`)."""
        return ", ".join(c.person.name for c in getattr(self, "director_credits", ()))


class AlternativeTitle(models.Model):
    film = models.ForeignKey(Film, related_name="alternative_titles", on_delete=models.CASCADE)
    title = models.CharField(max_length=200)
    note = models.CharField(max_length=200, blank=True, help_text=_("Where or how it is used."))

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["film", "title"], name="unique_alternative_title")
        ]

    def __str__(self):
        return self.title


class Character(models.Model):
    film = models.ForeignKey(Film, related_name="characters", on_delete=models.CASCADE)
    slug = models.SlugField(max_length=120)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    image = models.ImageField(
        upload_to=character_upload_to,
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text=_("The character in the film. JPEG, PNG or WebP, at most 10 MB."),
    )
    image_width = _dimension("image width")
    image_height = _dimension("image height")

    objects = MultilingualManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["film", "slug"], name="unique_character_slug_per_film")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "films:character-detail", kwargs={"film_slug": self.film.slug, "slug": self.slug}
        )


class CharacterAlias(models.Model):
    character = models.ForeignKey(Character, related_name="aliases", on_delete=models.CASCADE)
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["name"]
        verbose_name = _("character alias")
        verbose_name_plural = _("character aliases")
        constraints = [
            models.UniqueConstraint(fields=["character", "name"], name="unique_character_alias")
        ]

    def __str__(self):
        return self.name


class Credit(models.Model):
    class Role(models.TextChoices):
        DIRECTOR = "director", _("Director")
        WRITER = "writer", _("Writer")
        PRODUCER = "producer", _("Producer")
        COMPOSER = "composer", _("Original music")
        CINEMATOGRAPHER = "cinematographer", _("Cinematography")
        EDITOR = "editor", _("Film editing")
        CAST = "cast", _("Cast")

    film = models.ForeignKey(Film, related_name="credits", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, related_name="credits", on_delete=models.PROTECT)
    role = models.CharField(max_length=20, choices=Role.choices, db_index=True)
    character = models.ForeignKey(
        Character,
        related_name="credits",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Required for cast, empty for crew."),
    )
    billing_order = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Cast billing: 1 for the top-billed actor.")
    )
    note = models.CharField(max_length=200, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = [F("billing_order").asc(nulls_last=True), "role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "billing_order"],
                condition=Q(billing_order__isnull=False),
                name="unique_billing_order_per_film",
            ),
            # Two conditional constraints, since SQLite has no NULLS NOT DISTINCT.
            models.UniqueConstraint(
                fields=["film", "person", "role", "character"],
                condition=Q(character__isnull=False),
                name="unique_cast_credit",
            ),
            models.UniqueConstraint(
                fields=["film", "person", "role"],
                condition=Q(character__isnull=True),
                name="unique_crew_credit",
            ),
            models.CheckConstraint(
                condition=(Q(role="cast") & Q(character__isnull=False))
                | (~Q(role="cast") & Q(character__isnull=True) & Q(billing_order__isnull=True)),
                name="credit_character_only_for_cast",
            ),
            models.CheckConstraint(
                condition=Q(billing_order__isnull=True) | Q(billing_order__gte=1),
                name="credit_billing_order_positive",
            ),
        ]

    def __str__(self):
        if self.character_id:
            return f"{self.person} as {self.character} in {self.film}"
        return f"{self.person}, {self.get_role_display().lower()}, {self.film}"

    def get_absolute_url(self):
        return reverse("films:film-cast", kwargs={"slug": self.film.slug})


class Scene(models.Model):
    film = models.ForeignKey(Film, related_name="scenes", on_delete=models.CASCADE)
    slug = models.SlugField(max_length=120)
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_spoiler = models.BooleanField(default=False)
    characters = models.ManyToManyField(Character, blank=True, related_name="scenes")

    objects = MultilingualManager()

    class Meta:
        ordering = ["film", "order"]
        constraints = [
            models.UniqueConstraint(fields=["film", "order"], name="unique_scene_order_per_film"),
            models.UniqueConstraint(fields=["film", "slug"], name="unique_scene_slug_per_film"),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"

    def get_absolute_url(self):
        url = reverse("films:film-scenes", kwargs={"slug": self.film.slug})
        return f"{url}#scene-{self.order}"


class Cut(models.Model):
    """A version of a film as it was released: the theatrical cut, a longer one."""

    film = models.ForeignKey(Film, related_name="cuts", on_delete=models.CASCADE)
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    runtime_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text=_("Order on the pages."))
    source = models.ForeignKey("Source", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["film", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["film", "slug"], name="films_cut_slug_per_film")
        ]

    def __str__(self):
        return f"{self.film.title}: {self.name}"

    def get_absolute_url(self):
        url = reverse("films:film-scenes", kwargs={"slug": self.film.slug})
        return f"{url}?cut={self.slug}"


class SceneTiming(models.Model):
    """Where a scene starts and ends in one cut of its film, in seconds."""

    scene = models.ForeignKey(Scene, related_name="timings", on_delete=models.CASCADE)
    cut = models.ForeignKey(Cut, related_name="timings", on_delete=models.CASCADE)
    start_seconds = models.PositiveIntegerField()
    end_seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["cut", "start_seconds"]
        constraints = [
            models.UniqueConstraint(fields=["scene", "cut"], name="films_scenetiming_once_per_cut"),
            models.CheckConstraint(
                condition=models.Q(end_seconds__isnull=True)
                | models.Q(end_seconds__gt=models.F("start_seconds")),
                name="films_scenetiming_ends_after_start",
                violation_error_message="A scene ends after it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.scene} in {self.cut.name}"

    def get_absolute_url(self):
        return self.cut.get_absolute_url() + f"#scene-{self.scene.order}"

    def clean(self):
        if self.scene_id and self.cut_id and self.cut.film_id != self.scene.film_id:
            raise ValidationError({"cut": "Choose a cut of this scene's film."})


class WatchProgress(models.Model):
    """How far a member has watched a film: up to a scene, or all of it. It opens the
    spoilers tied to the scenes seen (leonsite.lib.spoilers)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="watch_progress", on_delete=models.CASCADE
    )
    film = models.ForeignKey(Film, related_name="+", on_delete=models.CASCADE)
    scene = models.ForeignKey(
        Scene, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    seen_all = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "film"], name="films_watchprogress_one_per_film"
            )
        ]

    def __str__(self):
        where = (
            "all of it"
            if self.seen_all
            else (f"scene {self.scene.order}" if self.scene else "nothing")
        )
        return f"{self.user_id} watched {self.film_id}: {where}"


class KeyedFact(models.Model):
    """A fact of a film with a stable key, so the catalogue load can recognise it."""

    key = models.SlugField(
        max_length=120,
        blank=True,
        help_text=_("Stable identifier used by the catalogue load; may stay empty."),
    )
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        abstract = True


class Quote(KeyedFact):
    film = models.ForeignKey(Film, related_name="quotes", on_delete=models.CASCADE)
    scene = models.ForeignKey(
        Scene, related_name="quotes", null=True, blank=True, on_delete=models.SET_NULL
    )
    context = models.TextField(blank=True, help_text=_("Who says it, to whom, when."))
    notes = models.TextField(blank=True)
    is_improvised = models.BooleanField(default=False)
    is_spoiler = models.BooleanField(default=False)
    is_featured = models.BooleanField(
        default=False, help_text=_("Shown among the lines on the film's overview.")
    )

    objects = MultilingualManager()

    class Meta:
        ordering = ["film", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "key"], condition=~Q(key=""), name="unique_quote_key_per_film"
            )
        ]

    def __str__(self):
        lines = getattr(self, "_prefetched_objects_cache", {}).get("lines")
        first = lines[0] if lines else self.lines.first()
        return first.text if first else f"Quote #{self.pk}"

    def get_absolute_url(self):
        return reverse("films:quote-detail", kwargs={"pk": self.pk})


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, related_name="lines", on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(default=1)
    character = models.ForeignKey(
        Character,
        related_name="lines",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("The speaker; empty for an unseen one."),
    )
    text = models.TextField()

    class Meta:
        ordering = ["quote", "order"]
        constraints = [
            models.UniqueConstraint(fields=["quote", "order"], name="unique_line_order_per_quote")
        ]

    def __str__(self):
        return self.text


class Trivia(KeyedFact):
    class Category(models.TextChoices):
        PRODUCTION = "production", _("Production")
        SCRIPT = "script", _("Script")
        CASTING = "casting", _("Casting")
        INSPIRATION = "inspiration", _("Inspiration")
        MUSIC = "music", _("Music")
        RELEASE = "release", _("Release")
        RECEPTION = "reception", _("Reception")
        LEGACY = "legacy", _("Legacy")

    film = models.ForeignKey(Film, related_name="trivia", on_delete=models.CASCADE)
    category = models.CharField(max_length=20, choices=Category.choices, db_index=True)
    text = models.TextField()
    is_spoiler = models.BooleanField(default=False)
    characters = models.ManyToManyField(Character, blank=True, related_name="trivia")
    people = models.ManyToManyField(Person, blank=True, related_name="trivia")
    scene = models.ForeignKey(
        Scene, related_name="trivia", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = MultilingualManager()

    class Meta:
        ordering = ["film", "category", "pk"]
        verbose_name = _("trivia")
        verbose_name_plural = _("trivia")
        constraints = [
            models.UniqueConstraint(
                fields=["film", "key"], condition=~Q(key=""), name="unique_trivia_key_per_film"
            )
        ]

    def __str__(self):
        return self.text if len(self.text) <= 70 else self.text[:69] + "…"

    def get_absolute_url(self):
        return reverse("films:film-trivia", kwargs={"slug": self.film.slug}) + f"#trivia-{self.pk}"


class Award(KeyedFact):
    class Outcome(models.TextChoices):
        WON = "won", _("Won")
        NOMINATED = "nominated", _("Nominated")

    film = models.ForeignKey(Film, related_name="awards", on_delete=models.CASCADE)
    body = models.CharField(max_length=150, help_text=_("The awarding body or ceremony."))
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    category = models.CharField(max_length=200)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    recipients = models.ManyToManyField(Person, blank=True, related_name="awards")

    class Meta:
        ordering = ["film", "year", "body", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "key"], condition=~Q(key=""), name="unique_award_key_per_film"
            ),
            models.UniqueConstraint(
                fields=["film", "body", "year", "category"],
                condition=Q(year__isnull=False),
                name="unique_award_category",
            ),
            models.UniqueConstraint(
                fields=["film", "body", "category"],
                condition=Q(year__isnull=True),
                name="unique_undated_award_category",
            ),
        ]

    def __str__(self):
        year = f" {self.year}" if self.year else ""
        return f"{self.body}{year}: {self.category} ({self.get_outcome_display().lower()})"

    def get_absolute_url(self):
        return reverse("films:film-trivia", kwargs={"slug": self.film.slug}) + "#awards"


class CriticScore(models.Model):
    class Kind(models.TextChoices):
        APPROVAL = "approval", _("Approval rating")
        AVERAGE = "average", _("Weighted average")
        RATING = "rating", _("Critic's rating")

    film = models.ForeignKey(Film, related_name="critic_scores", on_delete=models.CASCADE)
    outlet = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.RATING)
    value = models.DecimalField(max_digits=6, decimal_places=2)
    scale = models.DecimalField(max_digits=6, decimal_places=2, help_text=_("Best possible score."))
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    sample_label = models.CharField(max_length=40, blank=True, help_text=_('e.g. "reviews".'))
    note = models.CharField(max_length=300, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["film", "outlet"]
        constraints = [
            models.UniqueConstraint(fields=["film", "outlet"], name="unique_score_per_outlet"),
            models.CheckConstraint(
                condition=Q(scale__gt=0) & Q(value__gte=0) & Q(value__lte=F("scale")),
                name="critic_score_within_scale",
            ),
        ]

    def __str__(self):
        return f"{self.outlet}: {self.display_value}"

    def get_absolute_url(self):
        return reverse("films:film-trivia", kwargs={"slug": self.film.slug}) + "#scores"

    @property
    def display_value(self):
        value = f"{Decimal(self.value).normalize():f}"
        scale = f"{Decimal(self.scale).normalize():f}"
        if self.kind == self.Kind.APPROVAL and scale == "100":
            return f"{value}%"
        return f"{value}/{scale}"

    @property
    def percent(self):
        return round(float(self.value) * 100 / float(self.scale))


class Figure(KeyedFact):
    class Kind(models.TextChoices):
        BUDGET = "budget", _("Budget")
        BOX_OFFICE = "box_office", _("Box office")
        TICKETS = "tickets", _("Tickets sold")
        OPENING_GROSS = "opening_gross", _("Opening week")
        WEEKS_AT_NUMBER_ONE = "weeks_at_number_one", _("Weeks at number one")

    MONEY_KINDS = {Kind.BUDGET, Kind.BOX_OFFICE, Kind.OPENING_GROSS}

    film = models.ForeignKey(Film, related_name="figures", on_delete=models.CASCADE)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    region = models.CharField(max_length=80, default="Worldwide")
    value = models.BigIntegerField()
    currency = models.CharField(max_length=3, blank=True, help_text=_("ISO 4217, for money."))
    approximate = models.BooleanField(default=False, help_text=_('Shown as "over".'))
    converted_usd = models.BigIntegerField(
        null=True, blank=True, help_text=_("US dollar equivalent, for another currency.")
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["film", "kind", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "key"], condition=~Q(key=""), name="unique_figure_key_per_film"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="figure_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.region}): {self.display_value}"

    def get_absolute_url(self):
        return reverse("films:film-trivia", kwargs={"slug": self.film.slug}) + "#figures"

    @property
    def is_money(self):
        return self.kind in self.MONEY_KINDS

    @property
    def display_value(self):
        from .formatting import format_figure

        return format_figure(self)


class FilmingLocation(models.Model):
    film = models.ForeignKey(Film, related_name="locations", on_delete=models.CASCADE)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    is_primary = models.BooleanField(default=False)
    photo = models.ImageField(
        upload_to=location_upload_to,
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        help_text=_("The place as it looks. JPEG, PNG or WebP, at most 10 MB."),
    )
    photo_width = _dimension("photo width")
    photo_height = _dimension("photo height")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["film", "-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(fields=["film", "name"], name="unique_location_per_film")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("films:film-trivia", kwargs={"slug": self.film.slug}) + "#locations"


class Still(models.Model):
    """A picture from the film or made for it, in the film's gallery."""

    class Kind(models.TextChoices):
        STILL = "still", pgettext_lazy("picture kind", "Still")
        BACKDROP = "backdrop", _("Backdrop")

    film = models.ForeignKey(Film, related_name="stills", on_delete=models.CASCADE)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STILL)
    image = models.ImageField(
        upload_to=still_upload_to,
        width_field="image_width",
        height_field="image_height",
        help_text=_("JPEG, PNG or WebP, at most 10 MB and 40 megapixels."),
    )
    image_width = _dimension("image width")
    image_height = _dimension("image height")
    alt = models.CharField(
        "alt text",
        max_length=250,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text=_("Who made it, e.g. Gaumont."))
    licence = models.CharField(
        max_length=200, blank=True, help_text=_("Under what terms it is shown, e.g. CC BY-SA 4.0.")
    )
    scene = models.ForeignKey(
        Scene,
        null=True,
        blank=True,
        related_name="stills",
        on_delete=models.SET_NULL,
        help_text=_("The moment it shows, if it is one."),
    )
    is_spoiler = models.BooleanField(
        default=False, help_text=_("It gives the story away (a late scene's picture always does).")
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["film", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt=""), name="still_has_alt_text"),
        ]
        indexes = [models.Index(fields=["film", "order"])]

    def __str__(self):
        return self.caption or self.alt

    def get_absolute_url(self):
        return reverse("films:film-detail", kwargs={"slug": self.film.slug}) + f"#still-{self.pk}"

    def clean(self):
        if self.scene_id and self.film_id and self.scene.film_id != self.film_id:
            raise ValidationError({"scene": "Choose a scene of this picture's film."})

    @property
    def spoils(self) -> bool:
        return self.is_spoiler or (self.scene is not None and self.scene.is_spoiler)


class Album(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    film = models.ForeignKey(Film, related_name="albums", on_delete=models.CASCADE)
    composer = models.ForeignKey(
        Person, related_name="albums", null=True, blank=True, on_delete=models.SET_NULL
    )
    release_year = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    cover = models.ImageField(
        upload_to=cover_upload_to,
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
        help_text=_("Square. JPEG, PNG or WebP, at most 10 MB and 40 megapixels."),
    )
    cover_width = _dimension("cover width")
    cover_height = _dimension("cover height")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["film", "release_year", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("films:film-soundtrack", kwargs={"slug": self.film.slug})


class AlbumCertification(models.Model):
    album = models.ForeignKey(Album, related_name="certifications", on_delete=models.CASCADE)
    region = models.CharField(max_length=80)
    level = models.CharField(max_length=40, help_text=_("Gold, Platinum…"))
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["album", "year", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["album", "region", "level"], name="unique_certification"
            )
        ]

    def __str__(self):
        return f"{self.level} in {self.region}"


class Track(models.Model):
    album = models.ForeignKey(Album, related_name="tracks", on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    title = models.CharField(max_length=200)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    scene = models.ForeignKey(
        Scene,
        related_name="tracks",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Where it plays in the film, when known."),
    )
    notes = models.TextField(blank=True)
    origin_artist = models.ForeignKey(
        Person,
        related_name="original_songs",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("For a song from elsewhere: whose it is."),
    )
    origin_album = models.CharField(max_length=200, blank=True)
    origin_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["album", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["album", "position"], name="unique_track_position_per_album"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="track_position_positive"),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"

    def get_absolute_url(self):
        url = reverse("films:film-soundtrack", kwargs={"slug": self.album.film.slug})
        return f"{url}#track-{self.position}"

    @property
    def is_from_elsewhere(self):
        return bool(self.origin_album or self.origin_artist_id)


class TrackCredit(models.Model):
    class Role(models.TextChoices):
        COMPOSER = "composer", _("Composer")
        PERFORMER = "performer", _("Performer")
        LYRICS = "lyrics", _("Lyrics")
        GUITAR = "guitar", _("Guitar")
        HARMONICA = "harmonica", _("Harmonica")
        PRODUCER = "producer", _("Producer")

    track = models.ForeignKey(Track, related_name="credits", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, related_name="track_credits", on_delete=models.PROTECT)
    role = models.CharField(max_length=20, choices=Role.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["track", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["track", "person", "role"], name="unique_track_credit")
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display().lower()}) on {self.track.title}"


class SearchWord(models.Model):
    """A word of the catalogue's open search text, and how often it occurs: what search
    corrects a mistyped word to. Kept by films.search from the entries that are not
    members' posts (too many, too freely spelt) and never from spoiler text.

    The migrations give it a trigram index: pg_trgm's GIN index on PostgreSQL, an FTS5
    table with the trigram tokenizer on SQLite.
    """

    word = models.CharField(max_length=40, unique=True)
    occurrences = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["word"]

    def __str__(self):
        return self.word


class SeedRecord(models.Model):
    """A catalogue row the load created once; it is never created again.

    So a curator's edits, and deletions, survive any later run of the load.
    """

    key = models.CharField(max_length=255, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.key


class SearchEntry(models.Model):
    """One searchable thing (a film, a person, a quote, a review...), kept by films.search.

    The full-text indexes over `text` and, apart, `spoiler_text` are built by the
    migrations: FTS5 tables on SQLite, GIN indexes on PostgreSQL.
    """

    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    subtitle = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=300)
    text = models.TextField(help_text=_("Folded text: lower case, no accents."))
    spoiler_text = models.TextField(
        blank=True,
        default="",
        help_text=_(
            "Folded text found only inside spoilers: it has its own index, and a "
            "match in it is shown without any of it."
        ),
    )
    weight = models.PositiveSmallIntegerField(default=1)
    bulk = models.BooleanField(
        default=False, help_text=_("Kinds with many rows (reviews) have their own text index.")
    )

    class Meta:
        ordering = ["kind", "object_id"]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_entry")
        ]

    def __str__(self):
        return f"{self.kind}: {self.title}"

    def get_absolute_url(self):
        return self.url


class CorrectionQuerySet(WatchedQuerySet["Correction"]):
    def alive(self):
        return self.all()

    def pending(self):
        return self.filter(status=Correction.Status.PENDING)


class Correction(Moderatable):
    """A fan's suggested correction of one catalogue fact, until a curator accepts
    (the change is applied, in the object's history) or rejects it (with a reason the
    member reads). films.corrections lists what may be corrected."""

    class Kind(models.TextChoices):
        FILM = "film", _("Film")
        PERSON = "person", _("Person")
        CHARACTER = "character", _("Character")
        QUOTE = "quote", _("Quote")
        TRACK = "track", _("Track")
        TRIVIA = "trivia", _("Trivia")
        SCENE = "scene", _("Scene")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    field = models.CharField(_("field"), max_length=40, help_text=_("Which fact of the object."))
    field_label = models.CharField(_("field label"), max_length=60)
    object_label = models.CharField(
        _("object"), max_length=200, help_text=_("What the object was called then.")
    )
    current_value = models.TextField(_("value then"), blank=True)
    proposed_value = models.TextField(_("proposed value"), blank=True)
    source_url = models.URLField(
        _("source"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A page that shows the fact (http or https)."),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="corrections",
        on_delete=models.CASCADE,
        verbose_name=_("member"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(_("reason"), blank=True, help_text=_("What the member reads."))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        indexes = [
            models.Index(fields=["status", "created_at"], name="films_correction_queue"),
            models.Index(fields=["member", "created_at"], name="films_correction_member"),
            models.Index(fields=["kind", "object_id"], name="films_correction_target"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "rejected"]),
                name="films_correction_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="films_correction_decided_once",
                violation_error_message=_("A decided suggestion has a date; a pending one none."),
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="films_correction_rejection_has_reason",
                violation_error_message=_("Say why the suggestion is rejected."),
            ),
            models.CheckConstraint(
                condition=Q(source_url__startswith="http://")
                | Q(source_url__startswith="https://"),
                name="films_correction_source_is_web",
                violation_error_message=_("The source must be an http or https link."),
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.object_label}: {self.field_label}"

    def get_absolute_url(self):
        # Where a suggestion is shown besides its author's profile: the curators' queue.
        return reverse("admin:films_correction_change", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return bool(self.status == self.Status.PENDING)
