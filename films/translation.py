"""The catalogue's texts that curators write in French as well as English.

django-modeltranslation adds a column per language beside each field (`synopsis_en`,
`synopsis_fr`) and reads the reader's language, falling back to English where no French
was written (settings: MODELTRANSLATION_*). Names, titles of works and quotes' lines stay
as they are in every language.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Character, Film, Quote, Scene, Trivia


class CatalogueOptions(TranslationOptions):
    # The English text keeps its own rules (a scene's title is required); French is
    # always optional.
    required_languages = ("en",)


@register(Film)
class FilmTranslation(CatalogueOptions):
    fields = ("synopsis",)


@register(Scene)
class SceneTranslation(CatalogueOptions):
    fields = ("title", "description")


@register(Trivia)
class TriviaTranslation(CatalogueOptions):
    fields = ("text",)


@register(Quote)
class QuoteTranslation(CatalogueOptions):
    fields = ("context",)


@register(Character)
class CharacterTranslation(CatalogueOptions):
    fields = ("description",)
