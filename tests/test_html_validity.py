"""The Nu Html Checker validates every page type, as each of its visitors sees it."""

import json
import shutil
import subprocess

import pytest
from django.test import Client

from tests.pages import AUDIENCES, LEON, english, french, make_visitor, pages_for
from tests.tools import require_java_and_vnu

pytestmark = pytest.mark.django_db


def _opened_clients():
    """Spoilers opened, as the pages render them: a member who has seen it all and opens
    members' spoilers, and a visitor part-way through the film; and a visitor who chose
    the dark theme."""
    from films.models import Film
    from films.services import progress_set
    from leonsite.accounts.models import Profile
    from tests.factories import make_user

    member = make_user("opened-fan")
    film = Film.objects.get(slug=LEON)
    progress_set(user=member, film=film, scene=None, seen_all=True)
    Profile.objects.filter(user=member).update(show_members_spoilers=True)
    opened = Client()
    opened.force_login(member)
    midway = Client()
    midway.cookies["watched"] = f"{LEON}:13"
    dark = Client()  # the dark stylesheet and theme-color, unconditional
    dark.cookies["theme"] = "dark"
    return {
        "member-seen-all": ("member", opened),
        "visitor-midway": ("anonymous", midway),
        "visitor-dark": ("anonymous", dark),
    }


def test_every_page_type_is_valid_html(catalogue, tmp_path):
    vnu = require_java_and_vnu()
    files = {}
    clients = {}
    for who in AUDIENCES:
        client = Client()
        visitor = make_visitor(who)
        if visitor is not None:
            client.force_login(visitor)
        clients[who] = (who, client)
    clients.update(_opened_clients())
    # Every audience's pages in French too, at their /fr/ addresses.
    languages = {"": english, "-fr": french}
    for label, (who, client) in clients.items():
        for suffix, address in languages.items():
            for page_kind in pages_for(who):
                response = client.get(address(page_kind))
                assert response.status_code == page_kind.status, page_kind.name
                path = tmp_path / f"{page_kind.name}-{label}{suffix}.html"
                path.write_bytes(response.content)
                files[str(path)] = f"{page_kind.name} ({label}{suffix})"

    java = shutil.which("java")
    result = subprocess.run(  # noqa: S603 - a pinned jar from our own node_modules
        [java, "-Xss2m", "-XX:TieredStopAtLevel=1", "-jar", str(vnu), "--stdout",
         "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stdout)["messages"]
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    report = "\n".join(
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))} "
        f"line {m.get('lastLine')}: {m.get('message')}"
        for m in errors
    )
    assert not errors, report
