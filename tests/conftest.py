import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from tests import factories

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
LOCALE = Path(__file__).resolve().parent.parent / "locale"


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items:
        return
    # Playwright's sync API runs an event loop; Django would refuse ORM calls from the
    # live server's setup. Only relaxed when browser tests run.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not shutil.which(CHROMIUM):
        message = (
            f"Chromium not found at {CHROMIUM}: install it (Debian: apt-get install chromium) "
            "or set CHROMIUM_PATH."
        )
        if os.environ.get("CI") == "true":
            raise pytest.UsageError(message + " Browser tests must run in CI.")
        for item in browser_items:
            item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations():
    """The .mo files are built, not committed (`make` compiles them): compile them here
    too when a catalogue is newer, so running pytest alone tests the current French."""
    stale = [
        po
        for po in LOCALE.glob("*/LC_MESSAGES/django.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    for po in stale:
        call_command(
            "compilemessages",
            locale=[po.parent.parent.name],
            ignore_patterns=[".venv", "node_modules"],
            verbosity=0,
        )


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    # A request to a French page leaves French active in the thread: each test starts
    # (and ends) in English, so reverse() and the like are the same for every test.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def catalogue(db):
    """The real Léon catalogue, loaded from the project's data file."""
    call_command("load_catalogue", verbosity=0)


@pytest.fixture
def film(db):
    return factories.make_film()


@pytest.fixture
def curator(db, django_user_model):
    from tests.factories import make_curator

    user = django_user_model.objects.create_user("carla", "carla@example.com", "pw-curator-1")
    return make_curator(user.username)


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def screenshot_dir():
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


# The community: personas ----------------------------------------------------------------


@pytest.fixture
def alice(db):
    """A member who writes reviews and builds collections."""
    return factories.make_user("alice", display_name="Alice")


@pytest.fixture
def bob(db):
    """Another member: reads, likes, comments, and must never edit Alice's things."""
    return factories.make_user("bob", display_name="Bob")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob):
    from django.test import Client

    other = Client()
    other.force_login(bob)
    return other


# Moderation and safety ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits live in the cache: every test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def moderator(db):
    """A member of the Moderators group (staff, so the admin's reason and word lists)."""
    from tests.factories import make_moderator_role as make_moderator

    factories.make_user("mona", display_name="Mona")
    return make_moderator("mona")


@pytest.fixture
def moderator_client(moderator):
    from django.test import Client

    client = Client()
    client.force_login(moderator)
    return client


@pytest.fixture
def visitor_cached():
    """A view served at any path through the whole-page cache's middleware, as the site
    serves its `cache_for_visitors` views."""
    from django.urls import re_path

    from leonsite.lib.caching import VisitorPageMiddleware

    def serve(view):
        class Urls:
            urlpatterns = [re_path(r"^.*$", view)]

        middleware = VisitorPageMiddleware(view)

        def call(request):
            request.urlconf = Urls
            return middleware(request)

        return call

    return serve
