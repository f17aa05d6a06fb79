"""The catalogue's pages: thin views over films/selectors.py."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from leonsite.lib import ratelimit
from leonsite.lib.caching import cache_for_visitors, once
from leonsite.lib.http import found, refused_cross_site, safe_next
from leonsite.lib.spoilers import Progress

from . import selectors, seo, services
from .forms import ProgressForm
from .models import Film
from .progress import page_variant, progress_by_film, progress_of, remember, without_progress

FILMS_PER_PAGE = 24
QUOTES_PER_PAGE = 50


@cache_for_visitors("catalogue", "community")
def film_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Film.objects.for_list(), FILMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "films/film_list.html", {"page_obj": page, "films": page.object_list})


def _progress_form(request: HttpRequest, film: Film, progress: Progress) -> ProgressForm:
    return ProgressForm(
        film=film,
        progress=progress,
        member=request.user.is_authenticated,
        back=request.get_full_path(),
    )


def film_page_context(request: HttpRequest, page: selectors.FilmPage) -> dict[str, object]:
    """The film page's context, shared with the home page, which shows the same film."""
    progress = progress_of(request, page.film)
    return {
        "film": page.film,
        "page": page,
        "progress": progress,
        "progress_form": once(lambda: _progress_form(request, page.film, progress)),
        "jsonld": once(lambda: seo.movie(request, page.facts, cast=page.cast, crew=page.crew)),
    }


@cache_for_visitors("catalogue", "community", vary=page_variant)
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


@cache_for_visitors("catalogue", vary=page_variant)
def film_soundtrack(request: HttpRequest, slug: str) -> HttpResponse:
    film = found(selectors.film_by_slug, slug)
    context = {
        "film": film,
        "albums": selectors.albums_of(film),
        "progress": progress_of(request, film),
    }
    return render(request, "films/film_soundtrack.html", context)


@cache_for_visitors("catalogue", vary=page_variant)
def film_quotes(request: HttpRequest, slug: str) -> HttpResponse:
    film = found(selectors.film_by_slug, slug)
    page = Paginator(selectors.quotes_with_lines(film), QUOTES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "film": film,
        "page_obj": page,
        "quotes": page.object_list,
        "progress": progress_of(request, film),
    }
    return render(request, "films/film_quotes.html", context)


@cache_for_visitors("catalogue", vary=page_variant)
def film_trivia(request: HttpRequest, slug: str) -> HttpResponse:
    film = found(selectors.film_by_slug, slug)
    context = {"film": film, "progress": progress_of(request, film), **selectors.film_trivia(film)}
    return render(request, "films/film_trivia.html", context)


@cache_for_visitors("catalogue", vary=page_variant)
def film_scenes(request: HttpRequest, slug: str) -> HttpResponse:
    """The film as a timeline, with the timecodes of the cut asked for (`?cut=`)."""
    film = found(selectors.film_by_slug, slug)
    cuts = selectors.cuts_of(film)
    wanted = request.GET.get("cut")
    cut = next((c for c in cuts if c.slug == wanted), cuts[0] if cuts else None)
    progress = progress_of(request, film)
    scenes = selectors.scenes_of(film, cut)
    context = {
        "film": film,
        "cuts": cuts,
        "cut": cut,
        "scenes": scenes,
        "timed": once(lambda: cut is not None and selectors.cut_is_timed(cut)),
        "progress": progress,
        "progress_form": once(lambda: _progress_form(request, film, progress)),
    }
    return render(request, "films/film_scenes.html", context)


@csrf_exempt
@require_POST
@ratelimit.rate_limited("progress")
def film_progress(request: HttpRequest, slug: str) -> HttpResponse:
    """ "I've watched up to here": saved for a member, kept in a visitor's browser."""
    # A member's progress is CSRF-checked; a visitor's form carries no token (their pages
    # are cached), so it must come from this site.
    refusal = refused_cross_site(request, _("Set your progress from this site's pages."))
    if refusal is not None:
        return refusal
    film = found(selectors.film_by_slug, slug)
    form = ProgressForm(request.POST, film=film)
    back = safe_next(request, film.get_absolute_url())
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose how far you have watched from the list."))
    ratelimit.confirm(request)
    scene, seen_all = form.cleaned_data["scene"], form.cleaned_data["seen_all"]
    if request.user.is_authenticated:
        services.progress_set(user=request.user, film=film, scene=scene, seen_all=seen_all)
        return redirect(back)
    response = redirect(back)
    remember(response, request, film, scene, seen_all)
    return response


@cache_for_visitors("catalogue", vary=page_variant)
def character_detail(request: HttpRequest, film_slug: str, slug: str) -> HttpResponse:
    context = found(selectors.character_detail, film_slug, slug)
    context["progress"] = progress_of(request, context["film"])
    return render(request, "films/character_detail.html", context)


@cache_for_visitors("catalogue", vary=without_progress)
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    context = found(selectors.person_detail, slug)
    progress = progress_by_film(request, [item.film for item in context["trivia"]])
    for item in context["trivia"]:
        item.progress = progress[item.film_id]
    context["jsonld"] = seo.person(request, context["person"])
    return render(request, "films/person_detail.html", context)


@cache_for_visitors("catalogue", vary=without_progress)
def quote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    context = found(selectors.quote_detail, pk)
    quote = context["quote"]
    context["progress"] = progress_of(request, context["film"])
    context["jsonld"] = seo.quotation(request, quote, list(quote.lines.all()))
    return render(request, "films/quote_detail.html", context)
