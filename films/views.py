from django.core.paginator import Paginator
from django.shortcuts import render

from leonsite.lib.caching import cache_for_visitors, once

from . import selectors, seo
from .models import Film

FILMS_PER_PAGE = 24
QUOTES_PER_PAGE = 50


def film_list(request):
    page = Paginator(Film.objects.for_list(), FILMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "films/film_list.html", {"page_obj": page, "films": page.object_list})


@cache_for_visitors("catalogue", "community")
def film_detail(request, slug):
    context = selectors.film_detail(slug)
    context["jsonld"] = once(
        lambda: seo.movie(
            request, context["film_facts"](), cast=context["cast"](), crew=context["crew"]()
        )
    )
    return render(request, "films/film_detail.html", context)


@cache_for_visitors("catalogue")
def film_cast(request, slug):
    film = selectors.film_or_404(slug)

    def crew_groups():
        groups = {}
        for credit in selectors.crew_of(film):
            groups.setdefault(credit.get_role_display(), []).append(credit)
        return groups

    # Querysets and functions: the template's cached fragment may never need them.
    context = {"film": film, "cast": selectors.cast_of(film), "crew_groups": once(crew_groups)}
    return render(request, "films/film_cast.html", context)


@cache_for_visitors("catalogue")
def film_soundtrack(request, slug):
    film = selectors.film_or_404(slug)
    context = {"film": film, "albums": selectors.albums_of(film)}
    return render(request, "films/film_soundtrack.html", context)


def film_quotes(request, slug):
    film = selectors.film_or_404(slug)
    page = Paginator(selectors.quotes_with_lines(film), QUOTES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"film": film, "page_obj": page, "quotes": page.object_list}
    return render(request, "films/film_quotes.html", context)


@cache_for_visitors("catalogue")
def film_trivia(request, slug):
    film = selectors.film_or_404(slug)
    context = {"film": film, **selectors.film_trivia(film)}
    return render(request, "films/film_trivia.html", context)


@cache_for_visitors("catalogue")
def film_scenes(request, slug):
    film = selectors.film_or_404(slug)
    context = {"film": film, "scenes": selectors.scenes_of(film)}
    return render(request, "films/film_scenes.html", context)


def character_detail(request, film_slug, slug):
    context = selectors.character_detail(film_slug, slug)
    return render(request, "films/character_detail.html", context)


def person_detail(request, slug):
    context = selectors.person_detail(slug)
    context["jsonld"] = seo.person(request, context["person"])
    return render(request, "films/person_detail.html", context)


def quote_detail(request, pk):
    context = selectors.quote_detail(pk)
    quote = context["quote"]
    context["jsonld"] = seo.quotation(request, quote, list(quote.lines.all()))
    return render(request, "films/quote_detail.html", context)
