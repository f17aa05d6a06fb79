"""The catalogue's pages: thin views over films/selectors.py."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from leonsite.lib.caching import cache_for_visitors, once
from leonsite.lib.http import found

from . import selectors, seo
from .models import Film

FILMS_PER_PAGE = 24
QUOTES_PER_PAGE = 50


def film_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Film.objects.for_list(), FILMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "films/film_list.html", {"page_obj": page, "films": page.object_list})


def film_page_context(request: HttpRequest, page: selectors.FilmPage) -> dict[str, object]:
    """The film page's context, shared with the home page, which shows the same film."""
    return {
        "film": page.film,
        "page": page,
        "jsonld": once(lambda: seo.movie(request, page.facts, cast=page.cast, crew=page.crew)),
    }


@cache_for_visitors("catalogue", "community")
def film_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = found(selectors.film_page, slug)
    return render(request, "films/film_detail.html", film_page_context(request, page))


@cache_for_visitors("catalogue")
def film_cast(request: HttpRequest, slug: str) -> HttpResponse:
    film = found(selectors.film_by_slug, slug)
    # A queryset and a function: the template's cached fragment may never need them.
    context = {
        "film": film,
        "cast": selectors.cast_of(film),
        "crew_groups": once(lambda: selectors.crew_groups(film)),
    }
    return render(request, "films/film_cast.html", context)


@cache_for_visitors("catalogue")
def film_soundtrack(request: HttpRequest, slug: str) -> HttpResponse:
    film = found(selectors.film_by_slug, slug)
    context = {"film": film, "albums": selectors.albums_of(film)}
    return render(request, "films/film_soundtrack.html", context)


def film_quotes(request: HttpRequest, slug: str) -> HttpResponse:
    film = found(selectors.film_by_slug, slug)
    page = Paginator(selectors.quotes_with_lines(film), QUOTES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"film": film, "page_obj": page, "quotes": page.object_list}
    return render(request, "films/film_quotes.html", context)


@cache_for_visitors("catalogue")
def film_trivia(request: HttpRequest, slug: str) -> HttpResponse:
    film = found(selectors.film_by_slug, slug)
    context = {"film": film, **selectors.film_trivia(film)}
    return render(request, "films/film_trivia.html", context)


@cache_for_visitors("catalogue")
def film_scenes(request: HttpRequest, slug: str) -> HttpResponse:
    film = found(selectors.film_by_slug, slug)
    context = {"film": film, "scenes": selectors.scenes_of(film)}
    return render(request, "films/film_scenes.html", context)


def character_detail(request: HttpRequest, film_slug: str, slug: str) -> HttpResponse:
    context = found(selectors.character_detail, film_slug, slug)
    return render(request, "films/character_detail.html", context)


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    context = found(selectors.person_detail, slug)
    context["jsonld"] = seo.person(request, context["person"])
    return render(request, "films/person_detail.html", context)


def quote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    context = found(selectors.quote_detail, pk)
    quote = context["quote"]
    context["jsonld"] = seo.quotation(request, quote, list(quote.lines.all()))
    return render(request, "films/quote_detail.html", context)
