from django.urls import path

from leonsite.lib.caching import cache_for_visitors

from . import (
    activity_views,
    corrections,
    diary_views,
    follow_views,
    letterboxd_views,
    notification_views,
    views,
)
from .feeds import FilmReviewsFeed

app_name = "reviews"

urlpatterns = [
    # Reviews of a film
    path("films/<slug:slug>/reviews/", views.film_reviews, name="film-reviews"),
    path("films/<slug:slug>/reviews/new/", views.review_create, name="review-create"),
    path(
        "films/<slug:slug>/feed/",
        cache_for_visitors("catalogue", "community")(FilmReviewsFeed()),
        name="film-feed",
    ),
    # One review
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review-edit"),
    path("reviews/<int:pk>/delete/", views.review_delete, name="review-delete"),
    path("reviews/<int:pk>/like/", views.like, {"kind": "review"}, name="review-like"),
    path("reviews/<int:pk>/comments/", views.comment_create, name="comment-create"),
    path(
        "reviews/<int:pk>/comments/<int:comment_pk>/edit/",
        views.comment_edit,
        name="comment-edit",
    ),
    path(
        "reviews/<int:pk>/comments/<int:comment_pk>/delete/",
        views.comment_delete,
        name="comment-delete",
    ),
    # Quote collections
    path("collections/", views.collection_list, name="collection-list"),
    path("collections/new/", views.collection_create, name="collection-create"),
    path("collections/add/", views.collection_add, name="collection-add"),
    path("collections/<int:pk>/", views.collection_detail, name="collection-detail"),
    path("collections/<int:pk>/edit/", views.collection_edit, name="collection-edit"),
    path("collections/<int:pk>/delete/", views.collection_delete, name="collection-delete"),
    path("collections/<int:pk>/reorder/", views.collection_reorder, name="collection-reorder"),
    path("collections/<int:pk>/remove/", views.collection_remove, name="collection-remove"),
    path("collections/<int:pk>/note/", views.collection_note, name="collection-note"),
    path("collections/<int:pk>/copy/", views.collection_copy, name="collection-copy"),
    path("collections/<int:pk>/like/", views.like, {"kind": "collection"}, name="collection-like"),
    # Fans' corrections of the catalogue
    path("corrections/new/", corrections.correction_create, name="correction-create"),
    # Share cards
    path("quotes/<int:pk>/card.png", views.quote_card, name="quote-card"),
    path("collections/<int:pk>/card.png", views.collection_card, name="collection-card"),
    path("reviews/<int:pk>/card.png", views.review_card, name="review-card"),
    # Follows and blocks between members
    path("u/<str:username>/follow/", follow_views.follow, name="member-follow"),
    path("u/<str:username>/block/", follow_views.block, name="member-block"),
    path("u/<str:username>/followers/", follow_views.followers, name="member-followers"),
    path("u/<str:username>/following/", follow_views.following, name="member-following"),
]

# A member's film life: the film header's forms, the diary and the watchlist
# (reviews/diary_views.py).
urlpatterns += [
    path("films/<slug:slug>/rate/", diary_views.film_rate, name="film-rate"),
    path("films/<slug:slug>/watchlist/", diary_views.film_watchlist, name="film-watchlist"),
    path("films/<slug:slug>/log/", diary_views.film_log, name="diary-log"),
    path("diary/<int:pk>/edit/", diary_views.diary_entry_edit, name="diary-edit"),
    path("diary/<int:pk>/delete/", diary_views.diary_entry_delete, name="diary-delete"),
    path("diary/visibility/", diary_views.film_life_visibility, name="film-life-visibility"),
    # Letterboxd in and out (reviews/letterboxd_views.py)
    path("diary/import/", letterboxd_views.letterboxd_import, name="letterboxd-import"),
    path("diary/import/confirm/", letterboxd_views.letterboxd_confirm, name="letterboxd-confirm"),
    path("diary/import/done/", letterboxd_views.letterboxd_done, name="letterboxd-done"),
    path("diary/export.zip", letterboxd_views.letterboxd_export, name="letterboxd-export"),
    path("u/<str:username>/diary/", diary_views.member_diary, name="member-diary"),
    path("u/<str:username>/watchlist/", diary_views.member_watchlist, name="member-watchlist"),
]

# What the members one follows did (reviews/activity.py).
urlpatterns += [path("activity/", activity_views.feed, name="activity")]
# The member's notifications (reviews/notification_views.py).
urlpatterns += [
    path("notifications/", notification_views.notification_list, name="notification-list"),
    path(
        "notifications/read/",
        notification_views.notification_read_all,
        name="notification-read-all",
    ),
    path(
        "notifications/<int:pk>/read/",
        notification_views.notification_read,
        name="notification-read",
    ),
    path(
        "notifications/settings/",
        notification_views.notification_settings,
        name="notification-settings",
    ),
    path(
        "notifications/unsubscribe/<str:token>/",
        notification_views.digest_unsubscribe,
        name="digest-unsubscribe",
    ),
]
