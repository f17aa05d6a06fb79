"""Community pages: thin function views over reviews/selectors.py and reviews/services.py.

Access rules live in the `_get_own_*` helpers (someone else's row is a 404); every
change of state is a POST; anonymous writers are sent to the login page. Writes are
refused to silenced members (`posting_allowed`) and rate-limited (`rate_limited`; a view
calls `ratelimit.confirm` once its write happened). Hidden posts show their author why,
show moderators everything, and show everyone else a placeholder.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import urlencode
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_POST, require_safe

from films.progress import progress_by_film, without_progress
from films.selectors import film_by_slug
from leonsite.accounts.views import published_message
from leonsite.lib import ratelimit
from leonsite.lib.caching import cache_for_visitors
from leonsite.lib.http import found, safe_next
from leonsite.lib.ratelimit import rate_limited

from . import blocks, cards, selectors, seo, services
from .forms import (
    NEW_COLLECTION,
    AddToCollectionForm,
    CollectionForm,
    CommentForm,
    ItemForm,
    ItemNoteForm,
    LikeForm,
    MoveItemForm,
    ReviewFilterForm,
    ReviewForm,
)
from .models import CollectionItem, QuoteCollection, Review
from .moderation.decorators import posting_allowed
from .moderation.services import is_moderator

REVIEWS_PER_PAGE = 20
COLLECTIONS_PER_PAGE = 20


def _get_own_review(request, pk, *, allow_hidden=False) -> Review:
    return get_object_or_404(selectors.own_reviews(request.user, allow_hidden=allow_hidden), pk=pk)


def _get_own_comment(request, review_pk, pk, *, allow_hidden=False):
    return get_object_or_404(
        selectors.own_comments(request.user, review_pk, allow_hidden=allow_hidden), pk=pk
    )


def _get_own_collection(request, pk, *, allow_hidden=False) -> QuoteCollection:
    return get_object_or_404(
        selectors.own_collections(request.user, allow_hidden=allow_hidden), pk=pk
    )


def _sees_hidden(request, item) -> bool:
    """The author of a hidden item sees it (with the reason); so do moderators."""
    user = request.user
    return user.is_authenticated and (item.author.pk == user.pk or is_moderator(user))


def _hidden_placeholder(request, item, what: str) -> HttpResponse:
    return render(request, "moderation/hidden_placeholder.html", {"item": item, "what": what})


# Reviews --------------------------------------------------------------------------------


@cache_for_visitors("catalogue", "community", query=ReviewFilterForm)
def film_reviews(request, slug):
    film = found(film_by_slug, slug)
    form = ReviewFilterForm(request.GET or None)
    sort, rating = "newest", None
    if form.is_valid():
        sort = form.cleaned_data["sort"] or "newest"
        rating = form.cleaned_data["rating"]
    page = selectors.film_reviews_page(
        film, sort=sort, rating=rating, number=request.GET.get("page"), per_page=REVIEWS_PER_PAGE
    )
    query = {k: v for k, v in (("sort", sort if sort != "newest" else ""), ("rating", rating)) if v}
    context = {
        "film": film,
        "ratings": blocks.FilmRatings(request, film, latest=0),
        "form": form,
        "page_obj": page,
        "reviews": page.object_list,
        "liked_ids": selectors.liked_review_ids(request.user, page.object_list),
        "page_query": urlencode(query),
        "sort": sort,
        "rating": rating,
    }
    return render(request, "reviews/film_reviews.html", context)


@login_required
@posting_allowed
def review_create(request, slug):
    film = found(film_by_slug, slug)
    existing = selectors.own_review(request.user, film)
    if existing:
        messages.info(request, already_reviewed())
        return redirect("reviews:review-edit", pk=existing.pk)
    return _review_create_form(request, film)


def already_reviewed() -> str:
    return gettext("You have already reviewed this film: you can edit your review.")


@rate_limited("review")  # after the "already reviewed" redirect, which writes nothing
def _review_create_form(request, film):
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(author=request.user, film=film, **form.cleaned_data)
        except services.DuplicateReview as err:
            messages.info(request, already_reviewed())
            if err.existing:
                return redirect("reviews:review-edit", pk=err.existing.pk)
            return redirect(film.get_absolute_url())
        except ValidationError as err:
            form.add_error(None, err)
        else:
            ratelimit.confirm(request)
            messages.success(
                request, published_message(review, "review", gettext("Your review is published."))
            )
            return redirect(review)
    return render(request, "reviews/review_form.html", {"form": form, "film": film})


def _review_context(request, review, comment_form, reply_form=None):
    comments = list(selectors.comments_for(review))
    return {
        "review": review,
        "film": review.film,
        "threads": selectors.threads(comments),
        "profiles": selectors.comment_profiles(comments),
        "comment_form": comment_form,
        "reply_form": reply_form,
        "reply_to": reply_form.reply_target.pk if reply_form else None,
        "liked_ids": selectors.liked_review_ids(request.user, [review]),
        "jsonld": seo.review(request, review),
        "card": cards.review_card(review),
    }


@cache_for_visitors("catalogue", "community")
def review_detail(request, pk):
    review = get_object_or_404(selectors.reviews_for_page(), pk=pk)
    if review.is_hidden and not _sees_hidden(request, review):
        return _hidden_placeholder(request, review, "review")
    form = reply_form = None
    if request.user.is_authenticated and not review.is_hidden:
        action = reverse("reviews:comment-create", args=[review.pk])
        form = CommentForm(action=action)
        target = _reply_target(request.GET.get("reply_to"), review)
        if target is not None:
            reply_form = CommentForm(action=action, reply_to=target, writer=request.user)
    context = _review_context(request, review, form, reply_form)
    return render(request, "reviews/review_detail.html", context)


def _reply_target(value, review):
    """The comment of this review a member asks to answer (?reply_to=), if it can be."""
    pk = int(value) if value and value.isascii() and value.isdigit() and len(value) < 19 else None
    target = selectors.reply_target(pk) if pk else None
    if target is None or target.review_id != review.pk or target.is_deleted or target.is_hidden:
        return None
    return target


@login_required
@posting_allowed
@rate_limited("review-edit")
def review_edit(request, pk):
    review = _get_own_review(request, pk, allow_hidden=True)
    if review.is_hidden:
        messages.error(
            request, gettext("A moderator is holding this review: it can't be edited now.")
        )
        return redirect(review)
    form = ReviewForm(request.POST or None, instance=review, submit_label=gettext("Save my review"))
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_update(review=review, **form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, err)
        else:
            ratelimit.confirm(request)
            messages.success(request, gettext("Your review is updated."))
            return redirect(review)
    return render(
        request, "reviews/review_form.html", {"form": form, "film": review.film, "review": review}
    )


@login_required
@rate_limited("delete")
def review_delete(request, pk):
    review = _get_own_review(request, pk, allow_hidden=True)
    if request.method == "POST":
        services.review_delete(review=review)
        ratelimit.confirm(request)
        messages.success(request, gettext("Your review is deleted."))
        return redirect("reviews:film-reviews", slug=review.film.slug)
    return render(request, "reviews/review_confirm_delete.html", {"review": review})


# Likes: one handler for every likeable kind ----------------------------------------------

_LIKEABLE: dict[str, Callable[[Any], QuerySet[Any]]] = {
    "review": lambda user: selectors.visible_reviews(),
    "collection": selectors.collections_visible_to,
}


@login_required
@require_POST
@posting_allowed
@rate_limited("like")
def like(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The like button's POST: like or unlike, then back where the member was."""
    item = get_object_or_404(_LIKEABLE[kind](request.user), pk=pk)
    form = LikeForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(gettext("Like or unlike."))
    ratelimit.confirm(request)
    write = services.like if form.cleaned_data["action"] == "like" else services.unlike
    try:
        write(user=request.user, item=item)
    except PermissionDenied as err:
        messages.error(request, str(err))
    return redirect(safe_next(request, item.get_absolute_url()))


# Comments -------------------------------------------------------------------------------


@login_required
@require_POST
@posting_allowed
@rate_limited("comment")
def comment_create(request, pk):
    """A comment, or a reply when the form names the comment it answers (`reply_to`)."""
    review = get_object_or_404(selectors.visible_reviews(), pk=pk)
    action = reverse("reviews:comment-create", args=[review.pk])
    form = CommentForm(request.POST, action=action)
    if form.is_valid():
        reply_to = form.cleaned_data["reply_to"]
        parent = selectors.reply_target(reply_to) if reply_to else None
        try:
            if reply_to and parent is None:
                raise ValidationError(gettext("This comment can't be answered any more."))
            comment = services.comment_create(
                author=request.user, review=review, body=form.cleaned_data["body"], parent=parent
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            ratelimit.confirm(request)
            posted = (
                gettext("Your reply is posted.") if parent else gettext("Your comment is posted.")
            )
            messages.success(request, published_message(comment, "comment", posted))
            return redirect(comment)
    return _comment_refused(request, review, form, action)


def _comment_refused(request, review, form, action):
    """The page again with the form and its errors, under the comment it answers when
    that comment is on this page, else in the place of the new comment's form."""
    target = _reply_target(str(form.data.get("reply_to", "")), review)
    reply_form = None
    if target is not None:
        reply_form = CommentForm(request.POST, action=action, reply_to=target)
        reply_form.is_valid()
        for error in form.non_field_errors():
            reply_form.add_error(None, error)
        form = CommentForm(action=action)
    elif form.data.get("reply_to"):
        # Answering a comment that is not (or no longer) here: a plain comment, kept.
        errors = form.non_field_errors() or [gettext("This comment can't be answered any more.")]
        data = request.POST.copy()
        data.pop("reply_to", None)
        form = CommentForm(data, action=action)
        form.is_valid()
        for error in errors:
            form.add_error(None, error)
    context = _review_context(request, review, form, reply_form)
    return render(request, "reviews/review_detail.html", context, status=400)


@login_required
@posting_allowed
@rate_limited("comment-edit")
def comment_edit(request, pk, comment_pk):
    comment = _get_own_comment(request, pk, comment_pk)
    form = CommentForm(request.POST or None, instance=comment, submit_label=gettext("Save comment"))
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_update(comment=comment, body=form.cleaned_data["body"])
        except ValidationError as err:
            form.add_error(None, err)
        else:
            ratelimit.confirm(request)
            messages.success(request, gettext("Your comment is updated."))
            return redirect(comment)
    return render(request, "reviews/comment_form.html", {"form": form, "comment": comment})


@login_required
@rate_limited("delete")
def comment_delete(request, pk, comment_pk):
    comment = _get_own_comment(request, pk, comment_pk, allow_hidden=True)
    if request.method == "POST":
        services.comment_delete(comment=comment)
        ratelimit.confirm(request)
        messages.success(request, gettext("Your comment is deleted."))
        return redirect(comment.review)
    return render(request, "reviews/comment_confirm_delete.html", {"comment": comment})


# Quote collections ----------------------------------------------------------------------


@cache_for_visitors("community")
def collection_list(request):
    tab = request.GET.get("tab", "popular")
    if tab not in selectors.COLLECTION_TABS:
        tab = "popular"
    page = selectors.public_collections_page(
        tab=tab, number=request.GET.get("page"), per_page=COLLECTIONS_PER_PAGE
    )
    context = {
        "tab": tab,
        "page_obj": page,
        "collections": page.object_list,
        "page_query": urlencode({"tab": tab}),
    }
    return render(request, "reviews/collection_list.html", context)


def _collection_fields(form) -> dict:
    return {k: form.cleaned_data[k] for k in ("title", "description", "visibility")}


@login_required
@posting_allowed
@rate_limited("collection")
def collection_create(request):
    form = CollectionForm(request.POST or None, submit_label=gettext("Create collection"))
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.collection_create(owner=request.user, **_collection_fields(form))
        except ValidationError as err:
            form.add_error(None, err)
        else:
            ratelimit.confirm(request)
            default = gettext("Your collection is created. Add quotes from any quote page.")
            messages.success(request, published_message(collection, "collection", default))
            return redirect(collection)
    return render(request, "reviews/collection_form.html", {"form": form})


@cache_for_visitors("catalogue", "community", vary=without_progress)
def collection_detail(request, pk):
    collection = get_object_or_404(selectors.collections_for_page(request.user), pk=pk)
    if collection.is_hidden and not _sees_hidden(request, collection):
        return _hidden_placeholder(request, collection, "collection")
    is_owner = request.user.is_authenticated and collection.owner_id == request.user.pk
    items = selectors.collection_items(collection)
    # How far the reader has watched each quote's film opens its spoilers.
    progress = progress_by_film(request, [item.quote.film for item in items])
    for item in items:
        item.progress = progress[item.quote.film_id]
    context = {
        "collection": collection,
        "items": items,
        "original": selectors.shown_original(collection, request.user),
        "is_owner": is_owner,
        "liked": selectors.has_liked_collection(request.user, collection),
        "card": cards.collection_card(collection, items[0] if items else None),
        "shareable": selectors.is_shareable(collection),
    }
    return render(request, "reviews/collection_detail.html", context)


@login_required
@posting_allowed
@rate_limited("collection-edit")
def collection_edit(request, pk):
    collection = _get_own_collection(request, pk)
    form = CollectionForm(request.POST or None, instance=collection)
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.collection_update(
                collection=collection, **_collection_fields(form)
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            ratelimit.confirm(request)
            messages.success(
                request,
                published_message(collection, "collection", gettext("Your collection is saved.")),
            )
            return redirect(collection)
    return render(request, "reviews/collection_form.html", {"form": form, "collection": collection})


@login_required
@rate_limited("delete")
def collection_delete(request, pk):
    collection = _get_own_collection(request, pk, allow_hidden=True)
    if request.method == "POST":
        services.collection_delete(collection=collection)
        ratelimit.confirm(request)
        messages.success(request, gettext("“%(title)s” is deleted.") % {"title": collection.title})
        return redirect("accounts:profile", username=request.user.username)
    return render(request, "reviews/collection_confirm_delete.html", {"collection": collection})


@login_required
@posting_allowed
@rate_limited("collection-edit")
def collection_add(request):
    """Add a quote to one of my collections, or to a new one (GET shows the form alone)."""
    collections = selectors.collections_of(request.user)
    data = request.POST if request.method == "POST" else None
    form = AddToCollectionForm(
        data,
        initial={"quote": request.GET.get("quote")},
        collections=collections,
        action=reverse("reviews:collection-add"),
    )
    quote_id = request.POST.get("quote") or request.GET.get("quote")
    quote = selectors.quote_with_lines(int(quote_id)) if str(quote_id).isdigit() else None
    if quote is None:
        return render(
            request, "reviews/collection_add.html", {"form": None, "quote": None}, status=404
        )
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["collection"]
        if choice == NEW_COLLECTION and (refusal := ratelimit.spend(request, "collection")):
            return refusal
        try:
            if choice == NEW_COLLECTION:
                collection = services.collection_create(
                    owner=request.user,
                    title=form.cleaned_data["new_title"],
                    visibility=QuoteCollection.Visibility.PUBLIC,
                )
            else:
                collection = form.collections[choice]
            result = services.collection_add_quote(
                collection=collection, quote=quote, note=form.cleaned_data["note"]
            )
        except (ValidationError, QuoteCollection.DoesNotExist) as err:
            gone = [gettext("That collection is gone.")]
            form.add_error(None, getattr(err, "messages", gone)[0])
        else:
            ratelimit.confirm(request)
            if result.created:
                message = gettext("Added to “%(title)s”.")
                messages.success(request, message % {"title": collection.title})
            else:
                message = gettext("That quote is already in “%(title)s”.")
                messages.info(request, message % {"title": collection.title})
            return redirect(safe_next(request, collection.get_absolute_url()))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "quote": quote, "film": quote.film}
    return render(request, "reviews/collection_add.html", context, status=status)


def _item_action(request, pk, form_class):
    collection = _get_own_collection(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("That change could not be made: pick an item of the list."))
        return collection, None
    return collection, form.cleaned_data


def _at_item(collection, data) -> str:
    return collection.get_absolute_url() + (f"#item-{data['item']}" if data else "")


@login_required
@require_POST
@posting_allowed
@rate_limited("collection-edit", count_every=True)
def collection_reorder(request, pk):
    collection, data = _item_action(request, pk, MoveItemForm)
    if data:
        try:
            services.collection_move_item(
                collection=collection, item_id=data["item"], direction=data["direction"]
            )
        except CollectionItem.DoesNotExist:
            messages.error(request, gettext("That quote is not in this collection any more."))
    return redirect(_at_item(collection, data))


@login_required
@require_POST
@rate_limited("collection-edit", count_every=True)
def collection_remove(request, pk):
    collection, data = _item_action(request, pk, ItemForm)
    if data and services.collection_remove_item(collection=collection, item_id=data["item"]):
        messages.success(request, gettext("The quote is removed from this collection."))
    return redirect(collection)


@login_required
@require_POST
@posting_allowed
@rate_limited("collection-edit", count_every=True)
def collection_note(request, pk):
    collection, data = _item_action(request, pk, ItemNoteForm)
    if data:
        try:
            services.collection_item_note(
                collection=collection, item_id=data["item"], note=data["note"]
            )
        except CollectionItem.DoesNotExist:
            messages.error(request, gettext("That quote is not in this collection any more."))
        except ValidationError as err:
            messages.error(request, err.messages[0])
        else:
            messages.success(request, pgettext("a member's note on a quote", "Note saved."))
    return redirect(_at_item(collection, data))


@login_required
@require_POST
@posting_allowed
@rate_limited("collection", count_every=True)
def collection_copy(request, pk):
    source = get_object_or_404(selectors.collections_visible_to(request.user), pk=pk)
    try:
        copy = services.collection_copy(source=source, owner=request.user)
    except ValidationError as err:
        messages.error(request, err.messages[0])
        return redirect(source)
    messages.success(
        request, gettext("Your copy is ready. It stays private until you change that.")
    )
    return redirect(copy)


# Share cards ----------------------------------------------------------------------------

# Community cards are kept briefly by browsers and proxies: a review or collection can be
# hidden, deleted or made private at any time. The ETag makes asking again cheap.
QUOTE_CARD_MAX_AGE = 60 * 60 * 24
COMMUNITY_CARD_MAX_AGE = 60 * 10


def _card_response(request, card: cards.Card, max_age: int) -> HttpResponse:
    """The card's PNG, or a 304 (drawing nothing) when the client already holds it."""
    response = get_conditional_response(request, etag=card.etag)
    if response is None:
        response = HttpResponse(card.png(), content_type="image/png")
    response["ETag"] = card.etag
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


@require_safe
def quote_card(request, pk):
    quote = selectors.quote_with_lines(pk)
    if quote is None:
        raise Http404(gettext("No such quote."))
    return _card_response(request, cards.quote_card(quote), QUOTE_CARD_MAX_AGE)


@require_safe
def collection_card(request, pk):
    collection = found(selectors.collection_for_card, pk)
    card = cards.collection_card(collection, selectors.first_collection_item(collection))
    return _card_response(request, card, COMMUNITY_CARD_MAX_AGE)


@require_safe
def review_card(request, pk):
    review = found(selectors.review_for_card, pk)
    return _card_response(request, cards.review_card(review), COMMUNITY_CARD_MAX_AGE)
