from django.apps import AppConfig

# What the community's cached fragments and pages show (leonsite/lib/caching.py).
COMMUNITY_MODELS = [
    "Review",
    "FilmRatingStats",
    "Comment",
    "ReviewLike",
    "QuoteCollection",
    "CollectionItem",
    "CollectionLike",
    "Follow",
    "Block",
    # Who may see a diary and a watchlist: the profile's links to them follow it.
    "FilmLifeSettings",
]


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Community"

    def ready(self) -> None:
        from leonsite.accounts import data
        from leonsite.lib import caching, slots

        from . import (
            activity,
            activity_views,
            blocks,
            corrections,
            diary,
            follow_views,
            follows,
            letterboxd,
            moderated,
            notification_views,
            notifications,
            search_index,
            selectors,
            services,
        )

        search_index.connect()
        caching.watch("community", [self.get_model(name) for name in COMMUNITY_MODELS])
        moderated.register()
        data.register(
            data.DataPart("community", export=selectors.member_export, erase=services.member_erase)
        )
        # The community on the catalogue's, the home page's and the members' pages.
        slots.plug_link("film.tabs", "Reviews", "reviews:film-reviews", order=45)
        slots.plug("film.header", "reviews/blocks/film_ratings.html", blocks.film_ratings)
        slots.plug("film.aside", "reviews/blocks/film_latest_reviews.html", blocks.film_latest)
        slots.plug("home.main", "reviews/blocks/home.html", blocks.home_community)
        slots.plug(
            "quote.actions", "reviews/blocks/add_to_collection.html", blocks.add_to_collection
        )
        slots.plug("quote.meta", "reviews/blocks/quote_card_meta.html")
        slots.plug("profile.sections", "reviews/blocks/profile.html", blocks.profile_sections)
        # Fans' corrections: the link on every catalogue fact, the member's own outcomes.
        slots.plug("fact.actions", "reviews/blocks/suggest_correction.html", corrections.link)
        slots.plug(
            "profile.sections",
            "reviews/blocks/profile_corrections.html",
            corrections.profile_corrections,
            order=60,
        )
        # Follows and blocks: each member's part of their data, the profile's counts and
        # buttons, the settings' list of blocked members.
        data.register(
            data.DataPart("follows", export=follows.member_export, erase=follows.member_erase)
        )
        slots.plug(
            "profile.follow", "reviews/blocks/profile_follow.html", follow_views.profile_follow
        )
        slots.plug(
            "settings.sections",
            "reviews/blocks/settings_blocked.html",
            follow_views.settings_blocks,
        )
        # A member's film life: the diary and the watchlist (reviews/diary.py).
        data.register(
            data.DataPart("film-life", export=selectors.film_life_export, erase=diary.member_erase)
        )
        slots.plug(
            "profile.sections",
            "reviews/blocks/profile_film_life.html",
            blocks.profile_film_life,
            order=55,
        )
        # What the members one follows did: its own page, and the signed-in home page's
        # main column (reviews/activity.py); a deleted account's actions leave the feeds.
        data.register(data.DataPart("activity", export=_no_export, erase=activity.member_erase))
        slots.plug("home.member", "reviews/blocks/home_feed.html", activity_views.home_feed)
        # Letterboxd in and out, from the settings page (reviews/letterboxd_views.py).
        slots.plug("settings.sections", "reviews/blocks/settings_letterboxd.html", order=40)
        data.register(
            data.DataPart(
                "letterboxd", export=letterboxd.member_export, erase=letterboxd.member_erase
            )
        )

        # Notifications: moderators' decisions reach them through moderation's signals;
        # the unread count in the navigation; the settings' link; the member's data.
        notifications.connect()
        slots.plug(
            "nav.member", "reviews/blocks/nav_notifications.html", notification_views.nav_unread
        )
        slots.plug("settings.sections", "reviews/blocks/settings_notifications.html", order=45)
        data.register(
            data.DataPart(
                "notifications",
                export=notifications.member_export,
                erase=notifications.member_erase,
            )
        )


def _no_export(user: object) -> dict[str, object]:
    """The feed's rows restate what the member's other parts export (their reviews,
    diary, collections and likes); its visibility is exported with the film life's."""
    return {}
