"""Every page type of the site, each with a URL built from test data.

The accessibility, HTML-validity and screenshot gates all walk this one list: a new page
type is covered by adding one line here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from films.models import Character, Person, Quote

LEON = "leon-the-professional"


@dataclass(frozen=True)
class PageType:
    name: str
    path: Callable[[], str]
    status: int = 200
    # Who can see it: "anyone" pages are checked signed out and signed in.
    audience: str = "anyone"


PAGE_TYPES = [
    PageType("home", lambda: "/"),
    PageType("film-list", lambda: "/films/"),
    PageType("film", lambda: f"/films/{LEON}/"),
    PageType("cast", lambda: f"/films/{LEON}/cast/"),
    PageType("soundtrack", lambda: f"/films/{LEON}/soundtrack/"),
    PageType("quotes", lambda: f"/films/{LEON}/quotes/"),
    PageType("trivia", lambda: f"/films/{LEON}/trivia/"),
    PageType("scenes", lambda: f"/films/{LEON}/scenes/"),
    PageType("character", lambda: Character.objects.get(slug="mathilda").get_absolute_url()),
    PageType("person", lambda: Person.objects.get(slug="eric-serra").get_absolute_url()),
    PageType("quote", lambda: Quote.objects.get(key="bring-me-everyone").get_absolute_url()),
    PageType("search", lambda: "/search/?q=mathilda"),
    PageType("not-found", lambda: "/films/no-such-film/", status=404),
]


def page_type(name: str) -> PageType:
    return next(p for p in PAGE_TYPES if p.name == name)
