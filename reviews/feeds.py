"""Atom feed of a film's latest reviews."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext

from films.selectors import film_by_slug
from leonsite.accounts.templatetags.members import member_name
from leonsite.lib.http import found
from leonsite.lib.spoilers import spoiler_free
from leonsite.lib.text import xml_safe

from .selectors import reviews_for_film
from .stars import stars

FEED_SIZE = 20


class FilmReviewsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return found(film_by_slug, slug)

    def title(self, film):
        title = gettext("Reviews of %(film)s (%(year)s)") % {"film": film.title, "year": film.year}
        return f"{title} · Leonsite"

    def link(self, film):
        return reverse("reviews:film-reviews", kwargs={"slug": film.slug})

    def subtitle(self, film):
        return gettext("The latest members' reviews of %(film)s.") % {"film": film.title}

    def items(self, film):
        return reviews_for_film(film, sort="newest")[:FEED_SIZE]

    # Everything a member wrote passes xml_safe: a control character stored before the
    # forms stripped them must not break the feed for every reader.
    def item_title(self, review):
        title = gettext("%(stars)s by %(member)s") % {
            "stars": stars(review.rating),
            "member": member_name(review.author),
        }
        return xml_safe(f"{title}: {review.open_title}" if review.open_title else title)

    def item_description(self, review):
        if review.is_spoiler:
            notice = gettext("This review contains spoilers. Open it on Leonsite to read it.")
            return f"<p>{notice}</p>"
        return xml_safe(spoiler_free(review.body_html)) or f"<p>{stars(review.rating)}.</p>"

    def item_link(self, review):
        return review.get_absolute_url()

    def item_author_name(self, review):
        return xml_safe(member_name(review.author))

    def item_pubdate(self, review):
        return review.created_at

    def item_updateddate(self, review):
        return review.updated_at
