"""Community pages: thin function views over reviews/selectors.py and reviews/services.py.

Access rules live in the `_get_own_*` helpers (someone else's row is a 404); every
change of state is a POST; anonymous writers are sent to the login page. Writes are
refused to silenced members (`posting_allowed`) and rate-limited (`rate_limited`; a view
calls `ratelimit.confirm` once its write happened). Hidden posts show their author why,
show moderators everything, and show everyone else a placeholder.
"""

import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_POST

from films.models import Quote, QuoteLine
from films.selectors import film_or_404
from leonsite.lib import ratelimit
from leonsite.lib.ratelimit import rate_limited

from . import cards, moderation, selectors, seo, services
from .forms import (
    NEW_COLLECTION,
    AddToCollectionForm,
    CollectionForm,
    CommentForm,
    DeleteAccountForm,
    ItemForm,
    ItemNoteForm,
    LikeForm,
    LoginForm,
    MoveItemForm,
    ProfileForm,
    ReportForm,
    ReviewFilterForm,
    ReviewForm,
    SignupForm,
)
from .models import CollectionItem, Comment, QuoteCollection, Review
from .moderation import posting_allowed

REVIEWS_PER_PAGE = 20
COLLECTIONS_PER_PAGE = 20
PROFILE_REVIEWS_PER_PAGE = 20


def _safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _get_own_review(request, pk, *, allow_hidden=False) -> Review:
    reviews = Review.objects.alive() if allow_hidden else Review.objects.visible()
    return get_object_or_404(reviews.select_related("film"), pk=pk, author=request.user)


def _get_own_comment(request, review_pk, pk, *, allow_hidden=False) -> Comment:
    comments = Comment.objects.alive() if allow_hidden else Comment.objects.visible()
    return get_object_or_404(
        comments.select_related("review"),
        pk=pk,
        review_id=review_pk,
        review__deleted_at__isnull=True,
        author=request.user,
    )


def _get_own_collection(request, pk, *, allow_hidden=False) -> QuoteCollection:
    collections = QuoteCollection.objects.alive()
    if not allow_hidden:
        collections = collections.filter(hidden_at__isnull=True)
    return get_object_or_404(collections, pk=pk, owner=request.user)


def _sees_hidden(request, item) -> bool:
    """The author of a hidden item sees it (with the reason); so do moderators."""
    user = request.user
    return user.is_authenticated and (item.author.pk == user.pk or moderation.is_moderator(user))


def _published_message(item, what: str) -> str:
    if item.is_held:
        return f"Thanks! Your {what} is held for a moderator's review before it appears."
    return ""


# Accounts -------------------------------------------------------------------------------


login_view = rate_limited("login", count_every=True)(
    LoginView.as_view(authentication_form=LoginForm)
)


@rate_limited("signup")
def signup(request):
    next_url = _safe_next(request, "")
    if request.user.is_authenticated:
        return redirect(next_url or "home")
    form = SignupForm(request.POST or None)
    form.helper.form_action = request.get_full_path()
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            ratelimit.confirm(request)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to the community, {user.username}!")
            return redirect(next_url or user.profile.get_absolute_url())
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


@login_required
def account_settings(request):
    profile = services.profile_for(request.user)
    restriction = moderation.restriction_of(request.user)
    if request.method == "POST" and restriction is not None:
        return render(request, "moderation/silenced.html", {"restriction": restriction}, status=403)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_update(
                user=request.user,
                display_name=form.cleaned_data["display_name"],
                bio=form.cleaned_data["bio"],
                avatar=form.cleaned_data.get("avatar"),
                remove_avatar=form.cleaned_data.get("remove_avatar", False),
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(
                request, _published_message(profile, "profile") or "Your profile is saved."
            )
            return redirect("reviews:account-settings")
    if request.method == "POST":
        # The form's instance took the rejected values; show the saved avatar, not them.
        profile.refresh_from_db()
    context = {"form": form, "profile": profile, "restriction": restriction}
    return render(request, "reviews/account_settings.html", context)


@login_required
@require_GET
def account_export(request):
    data = services.account_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="leonsite-my-data.json"'
    return response


@login_required
def account_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        logout(request)
        messages.success(
            request, "Your account is deleted. Your public posts now read “a deleted user”."
        )
        return redirect("home")
    return render(request, "reviews/account_delete.html", {"form": form})


def profile_detail(request, username):
    member = selectors.profile_user(username)
    is_me = request.user == member
    reviews = Paginator(
        selectors.reviews_by(member, include_hidden=is_me), PROFILE_REVIEWS_PER_PAGE
    ).get_page(request.GET.get("page"))
    profile = getattr(member, "profile", None) or services.profile_for(member)
    context = {
        "member": member,
        "profile": profile,
        "show_profile": not profile.is_hidden or is_me,
        "page_obj": reviews,
        "reviews": reviews.object_list,
        "collections": list(selectors.collections_by(member, request.user)[:12]),
        "liked": selectors.reviews_liked_by(member),
        "is_me": is_me,
    }
    return render(request, "reviews/profile_detail.html", context)


# Reviews --------------------------------------------------------------------------------


def film_reviews(request, slug):
    film = film_or_404(slug)
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
    film = film_or_404(slug)
    existing = selectors.own_review(request.user, film)
    if existing:
        messages.info(request, "You have already reviewed this film: you can edit your review.")
        return redirect("reviews:review-edit", pk=existing.pk)
    return _review_create_form(request, film)


@rate_limited("review")  # after the "already reviewed" redirect, which writes nothing
def _review_create_form(request, film):
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(author=request.user, film=film, **form.cleaned_data)
        except services.DuplicateReview as err:
            messages.info(request, "You have already reviewed this film: you can edit your review.")
            if err.existing:
                return redirect("reviews:review-edit", pk=err.existing.pk)
            return redirect(film.get_absolute_url())
        except ValidationError as err:
            form.add_error(None, err)
        else:
            ratelimit.confirm(request)
            messages.success(
                request, _published_message(review, "review") or "Your review is published."
            )
            return redirect(review)
    return render(request, "reviews/review_form.html", {"form": form, "film": film})


def _review_context(request, review, comment_form):
    return {
        "review": review,
        "film": review.film,
        "comments": list(selectors.comments_for(review)),
        "comment_form": comment_form,
        "liked_ids": selectors.liked_review_ids(request.user, [review]),
        "jsonld": seo.review(request, review),
    }


def review_detail(request, pk):
    review = selectors.review_page(pk)
    if review.is_hidden and not _sees_hidden(request, review):
        return render(
            request, "moderation/hidden_placeholder.html", {"item": review, "what": "review"}
        )
    form = None
    if request.user.is_authenticated and not review.is_hidden:
        form = CommentForm(action=reverse("reviews:comment-create", args=[review.pk]))
    return render(request, "reviews/review_detail.html", _review_context(request, review, form))


@login_required
@posting_allowed
def review_edit(request, pk):
    review = _get_own_review(request, pk, allow_hidden=True)
    if review.is_hidden:
        messages.error(request, "A moderator is holding this review: it can't be edited now.")
        return redirect(review)
    form = ReviewForm(request.POST or None, instance=review, submit_label="Save my review")
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_update(review=review, **form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, "Your review is updated.")
            return redirect(review)
    return render(
        request, "reviews/review_form.html", {"form": form, "film": review.film, "review": review}
    )


@login_required
def review_delete(request, pk):
    review = _get_own_review(request, pk, allow_hidden=True)
    if request.method == "POST":
        services.review_delete(review=review)
        messages.success(request, "Your review is deleted.")
        return redirect("reviews:film-reviews", slug=review.film.slug)
    return render(request, "reviews/review_confirm_delete.html", {"review": review})


@login_required
@require_POST
@posting_allowed
@rate_limited("like")
def review_like(request, pk):
    review = get_object_or_404(Review.objects.visible(), pk=pk)
    return _toggle_like(
        request,
        review,
        like=lambda: services.review_like(user=request.user, review=review),
        unlike=lambda: services.review_unlike(user=request.user, review=review),
    )


def _toggle_like(request, item, *, like, unlike):
    """The like button's POST: like or unlike, then back where the member was."""
    form = LikeForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Like or unlike.")
    ratelimit.confirm(request)
    try:
        (like if form.cleaned_data["action"] == "like" else unlike)()
    except PermissionDenied as err:
        messages.error(request, str(err))
    return redirect(_safe_next(request, item.get_absolute_url()))


@login_required
@require_POST
@posting_allowed
@rate_limited("comment")
def comment_create(request, pk):
    review = selectors.review_detail(pk)
    form = CommentForm(request.POST, action=reverse("reviews:comment-create", args=[review.pk]))
    if form.is_valid():
        try:
            comment = services.comment_create(
                author=request.user, review=review, body=form.cleaned_data["body"]
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            ratelimit.confirm(request)
            messages.success(
                request, _published_message(comment, "comment") or "Your comment is posted."
            )
            return redirect(comment)
    context = _review_context(request, review, form)
    return render(request, "reviews/review_detail.html", context, status=400)


@login_required
@posting_allowed
def comment_edit(request, pk, comment_pk):
    comment = _get_own_comment(request, pk, comment_pk)
    form = CommentForm(request.POST or None, instance=comment, submit_label="Save comment")
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_update(comment=comment, body=form.cleaned_data["body"])
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, "Your comment is updated.")
            return redirect(comment)
    return render(request, "reviews/comment_form.html", {"form": form, "comment": comment})


@login_required
def comment_delete(request, pk, comment_pk):
    comment = _get_own_comment(request, pk, comment_pk, allow_hidden=True)
    if request.method == "POST":
        services.comment_delete(comment=comment)
        messages.success(request, "Your comment is deleted.")
        return redirect(comment.review)
    return render(request, "reviews/comment_confirm_delete.html", {"comment": comment})


# Quote collections ----------------------------------------------------------------------


def collection_list(request):
    tab = request.GET.get("tab", "popular")
    if tab not in selectors.COLLECTION_TABS:
        tab = "popular"
    page = Paginator(selectors.public_collections(tab), COLLECTIONS_PER_PAGE).get_page(
        request.GET.get("page")
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
def collection_create(request):
    form = CollectionForm(request.POST or None, submit_label="Create collection")
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.collection_create(owner=request.user, **_collection_fields(form))
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(
                request,
                _published_message(collection, "collection")
                or "Your collection is created. Add quotes from any quote page.",
            )
            return redirect(collection)
    return render(request, "reviews/collection_form.html", {"form": form})


def collection_detail(request, pk):
    collection = selectors.collection_page(pk, request.user)
    if collection.is_hidden and not _sees_hidden(request, collection):
        return render(
            request,
            "moderation/hidden_placeholder.html",
            {"item": collection, "what": "collection"},
        )
    is_owner = request.user.is_authenticated and collection.owner_id == request.user.pk
    context = {
        "collection": collection,
        "items": selectors.collection_items(collection),
        "is_owner": is_owner,
        "liked": selectors.has_liked_collection(request.user, collection),
    }
    return render(request, "reviews/collection_detail.html", context)


@login_required
@posting_allowed
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
            messages.success(
                request,
                _published_message(collection, "collection") or "Your collection is saved.",
            )
            return redirect(collection)
    return render(request, "reviews/collection_form.html", {"form": form, "collection": collection})


@login_required
def collection_delete(request, pk):
    collection = _get_own_collection(request, pk, allow_hidden=True)
    if request.method == "POST":
        services.collection_delete(collection=collection)
        messages.success(request, f"“{collection.title}” is deleted.")
        return redirect("reviews:profile", username=request.user.username)
    return render(request, "reviews/collection_confirm_delete.html", {"collection": collection})


@login_required
@posting_allowed
def collection_add(request):
    """Add a quote to one of my collections, or to a new one (GET shows the form alone)."""
    collections = selectors.collections_of(request.user)
    data = request.POST if request.method == "POST" else None
    initial = {"quote": request.GET.get("quote")}
    form = AddToCollectionForm(
        data, initial=initial, collections=collections, action=reverse("reviews:collection-add")
    )
    quote = None
    quote_id = request.POST.get("quote") or request.GET.get("quote")
    if quote_id and str(quote_id).isdigit():
        quote = (
            Quote.objects.select_related("film")
            .prefetch_related(
                Prefetch("lines", queryset=QuoteLine.objects.select_related("character"))
            )
            .filter(pk=int(quote_id))
            .first()
        )
    if quote is None:
        return render(
            request, "reviews/collection_add.html", {"form": None, "quote": None}, status=404
        )
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["collection"]
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
            form.add_error(None, getattr(err, "messages", ["That collection is gone."])[0])
        else:
            if result.created:
                messages.success(request, f"Added to “{collection.title}”.")
            else:
                messages.info(request, f"That quote is already in “{collection.title}”.")
            return redirect(_safe_next(request, collection.get_absolute_url()))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "quote": quote, "film": quote.film}
    return render(request, "reviews/collection_add.html", context, status=status)


def _item_action(request, pk, form_class):
    collection = _get_own_collection(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "That change could not be made: pick an item of the list.")
        return collection, None
    return collection, form.cleaned_data


@login_required
@require_POST
@posting_allowed
def collection_reorder(request, pk):
    collection, data = _item_action(request, pk, MoveItemForm)
    if data:
        try:
            services.collection_move_item(
                collection=collection, item_id=data["item"], direction=data["direction"]
            )
        except CollectionItem.DoesNotExist:
            messages.error(request, "That quote is not in this collection any more.")
    return redirect(collection.get_absolute_url() + (f"#item-{data['item']}" if data else ""))


@login_required
@require_POST
def collection_remove(request, pk):
    collection, data = _item_action(request, pk, ItemForm)
    if data and services.collection_remove_item(collection=collection, item_id=data["item"]):
        messages.success(request, "The quote is removed from this collection.")
    return redirect(collection)


@login_required
@require_POST
@posting_allowed
def collection_note(request, pk):
    collection, data = _item_action(request, pk, ItemNoteForm)
    if data:
        try:
            services.collection_item_note(
                collection=collection, item_id=data["item"], note=data["note"]
            )
        except CollectionItem.DoesNotExist:
            messages.error(request, "That quote is not in this collection any more.")
        else:
            messages.success(request, "Note saved.")
    return redirect(collection.get_absolute_url() + (f"#item-{data['item']}" if data else ""))


@login_required
@require_POST
@posting_allowed
def collection_copy(request, pk):
    source = selectors.collection_for_viewer(pk, request.user)
    copy = services.collection_copy(source=source, owner=request.user)
    messages.success(request, "Your copy is ready. It stays private until you change that.")
    return redirect(copy)


@login_required
@require_POST
@posting_allowed
@rate_limited("like")
def collection_like(request, pk):
    collection = selectors.collection_for_viewer(pk, request.user)
    return _toggle_like(
        request,
        collection,
        like=lambda: services.collection_like(user=request.user, collection=collection),
        unlike=lambda: services.collection_unlike(user=request.user, collection=collection),
    )


# Reports --------------------------------------------------------------------------------


@login_required
@posting_allowed
@rate_limited("report")
def report(request, kind, pk):
    """Report a review, comment, collection or profile to the moderators."""
    item = selectors.reportable(kind, pk, request.user)
    back = _safe_next(request, item.get_absolute_url())
    existing = selectors.report_of(request.user, item)
    if existing is not None:
        messages.info(request, "You have already reported this: thank you, moderators will look.")
        return redirect(back)
    if item.author.pk == request.user.pk:
        messages.error(request, "You can't report your own post.")
        return redirect(back)
    # An empty POST is still a submission: it must show "Choose a reason", not a blank form.
    data = request.POST if request.method == "POST" else None
    form = ReportForm(data, action=request.get_full_path())
    if request.method == "POST" and form.is_valid():
        try:
            moderation.report_create(
                reporter=request.user,
                item=item,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                ip=ratelimit.client_ip(request),
            )
        except ValidationError as err:
            if err.code == "duplicate":
                messages.info(request, moderation.ALREADY_REPORTED)
                return redirect(back)
            form.add_error(None, err)
        else:
            ratelimit.confirm(request)
            messages.success(request, "Thank you: your report is with the moderators.")
            return redirect(back)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "item": item, "kind": kind, "back": back}
    return render(request, "moderation/report_form.html", context, status=status)


# Share cards ----------------------------------------------------------------------------


@require_GET
def quote_card(request, pk):
    quote = get_object_or_404(
        Quote.objects.select_related("film").prefetch_related(
            Prefetch("lines", queryset=QuoteLine.objects.select_related("character"))
        ),
        pk=pk,
    )
    response = HttpResponse(cards.quote_card_png(quote), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response
