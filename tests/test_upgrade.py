"""A database written by the release before accounts and moderation had their own apps
upgrades with `migrate` alone, without losing a row, a permission or a group."""

import contextlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

# The last migrations of the previous release; accounts and moderation did not exist.
PREVIOUS = [
    ("films", "0005_search_document_column"),
    ("reviews", "0002_moderation"),
    ("accounts", None),
    ("moderation", None),
]
MOVED = {  # old table: new table
    "reviews_profile": "accounts_profile",
    "reviews_report": "moderation_report",
    "reviews_moderationaction": "moderation_moderationaction",
    "reviews_removalreason": "moderation_removalreason",
    "reviews_watchedword": "moderation_watchedword",
}
KEPT = [
    "reviews_review",
    "reviews_comment",
    "reviews_quotecollection",
    "reviews_collectionitem",
    "reviews_reviewlike",
    "reviews_filmratingstats",
    "auth_group_permissions",
    "auth_user_groups",
    "django_session",
    "django_admin_log",
    "axes_accessattempt",
    "reversion_version",
]


def rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")  # noqa: S608
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def fill_previous_release(apps):
    """Rows the previous release wrote, through its own models (the migration state)."""
    user_model = apps.get_model("auth", "User")
    content_type = apps.get_model("contenttypes", "ContentType")
    group = apps.get_model("auth", "Group")
    film = apps.get_model("films", "Film").objects.create(slug="leon", title="Léon", year=1994)
    quote = apps.get_model("films", "Quote").objects.create(film=film, key="q")
    users = {
        name: user_model.objects.create(username=name, email=f"{name}@example.com")
        for name in ("alice", "bob", "mona", "carol")
    }
    group.objects.get(name="Moderators").user_set.add(users["mona"])
    group.objects.get(name="Curators").user_set.add(users["carol"])
    profile_model = apps.get_model("reviews", "Profile")
    profiles = {
        name: profile_model.objects.create(
            user=user, display_name=name.title(), avatar=f"avatars/{name}.webp"
        )
        for name, user in users.items()
    }
    profile_model.objects.filter(pk=profiles["bob"].pk).update(
        silenced_until=timezone.now() + timezone.timedelta(days=2), silence_reason="Calm."
    )
    review = apps.get_model("reviews", "Review").objects.create(
        author=users["alice"], film=film, rating=8, title="Quiet", body="||The end||"
    )
    apps.get_model("reviews", "Comment").objects.create(
        review=review, author=users["bob"], body="Agreed."
    )
    collection = apps.get_model("reviews", "QuoteCollection").objects.create(
        owner=users["alice"], title="Lines", item_count=1
    )
    apps.get_model("reviews", "CollectionItem").objects.create(
        collection=collection, quote=quote, position=1, note="Mine."
    )
    apps.get_model("reviews", "ReviewLike").objects.create(user=users["bob"], review=review)
    review_type = content_type.objects.get_or_create(app_label="reviews", model="review")[0]
    profile_type = content_type.objects.get(app_label="reviews", model="profile")
    report = apps.get_model("reviews", "Report")
    alice, bob = users["alice"], users["bob"]
    report.objects.create(
        content_type=review_type, object_id=review.pk, subject=alice, reporter=bob, reason="spam"
    )
    report.objects.create(
        content_type=profile_type,
        object_id=profiles["alice"].pk,
        subject=alice,
        reporter=bob,
        reason="other",
    )
    action = apps.get_model("reviews", "ModerationAction")
    action.objects.create(
        kind="report",
        actor=bob,
        subject=alice,
        content_type=review_type,
        object_id=review.pk,
        target_label="R",
    )
    action.objects.create(kind="silence", actor=users["mona"], subject=users["bob"], reason="x")
    words = apps.get_model("reviews", "WatchedWord")
    words.objects.create(word="Spám*", normalized="spam*", action="hold")
    words.objects.create(word="buy  now!", normalized="buy  now!", action="report")
    apps.get_model("reviews", "RemovalReason").objects.create(title="Spoilers", message="m")
    apps.get_model("admin", "LogEntry").objects.create(
        user=users["mona"], content_type=profile_type, object_id=str(profiles["bob"].pk),
        object_repr="Bob", action_flag=2,
    )  # fmt: skip
    return users


@contextlib.contextmanager
def login_hooks_of_the_previous_release():
    from reviews import notifications

    uid = "notifications-count-at-login"
    user_logged_in.disconnect(dispatch_uid=uid)
    try:
        yield
    finally:
        user_logged_in.connect(notifications.count_at_login, dispatch_uid=uid)


def test_the_previous_release_upgrades_with_migrate_alone(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    executor = MigrationExecutor(connection)
    executor.migrate(PREVIOUS)
    executor.loader.build_graph()
    previous = dict(PREVIOUS)
    nodes = [
        (app, previous.get(app, name))
        for app, name in executor.loader.graph.leaf_nodes()
        if previous.get(app, name) is not None
    ]
    apps = executor.loader.project_state(nodes).apps
    users = fill_previous_release(apps)
    alice_session = Client()
    # The new release counts a member's unread notifications at login, from a table the
    # previous release did not have: this login is the old release's.
    with login_hooks_of_the_previous_release():
        alice_session.force_login(get_user_model().objects.get(pk=users["alice"].pk))
    before = {table: rows(table) for table in [*MOVED, *KEPT]}
    type_ids = {
        (ct.app_label, ct.model): ct.pk
        for ct in apps.get_model("contenttypes", "ContentType").objects.all()
    }
    group_permissions = {
        group.name: sorted(group.permissions.values_list("pk", "codename"))
        for group in apps.get_model("auth", "Group").objects.all()
    }

    call_command("migrate", verbosity=0, stdout=io.StringIO())
    ContentType.objects.clear_cache()

    # Every row, in its new table when it moved, with the same values (and what later
    # migrations add beside them).
    for old, new in MOVED.items():
        after = [{k: row[k] for k in before[old][0]} for row in rows(new)] if before[old] else []
        if old == "reviews_watchedword":  # folded like posts now: punctuation and spacing go
            assert [r["normalized"] for r in after] == ["spam*", "buy now"]
            for row in (*before[old], *after):
                row.pop("normalized")
        assert after == before[old], old
    for table in KEPT:
        kept = (
            [{k: row[k] for k in before[table][0]} for row in rows(table)] if before[table] else []
        )
        assert kept == before[table], table
    # Content types keep their ids under the new labels, so generic references hold.
    moved_types = {
        ("reviews", "profile"): ("accounts", "profile"),
        ("reviews", "report"): ("moderation", "report"),
        ("reviews", "moderationaction"): ("moderation", "moderationaction"),
        ("reviews", "removalreason"): ("moderation", "removalreason"),
        ("reviews", "watchedword"): ("moderation", "watchedword"),
    }
    for old, new in moved_types.items():
        assert ContentType.objects.get_by_natural_key(*new).pk == type_ids[old]
        assert not ContentType.objects.filter(app_label=old[0], model=old[1]).exists()
    from reviews.moderation.models import Report

    targets = {type(report.target).__name__ for report in Report.objects.all()}
    assert targets == {"Review", "Profile"}
    # The groups hold the very same permissions, under their new apps.
    from django.contrib.auth.models import Group

    for group in Group.objects.all():
        assert (
            sorted(group.permissions.values_list("pk", "codename"))
            == (group_permissions[group.name])
        )
    mona = get_user_model().objects.get(username="mona")
    assert mona.has_perm("moderation.moderate") and mona.has_perm("accounts.view_profile")
    assert get_user_model().objects.get(username="carol").has_perm("films.change_film")
    # A member signed in before the upgrade still is; a silenced one still is silenced.
    assert alice_session.get("/accounts/settings/").status_code == 200
    from leonsite.accounts.models import Profile

    assert Profile.objects.get(user__username="bob").is_silenced
    alice_profile = Profile.objects.get(user__username="alice")
    assert alice_profile.avatar.name == "avatars/alice.webp"
    # Members who joined before confirmation links count as confirmed; names get their
    # look-alike forms.
    assert alice_profile.email_confirmed_at == alice_profile.created_at
    assert alice_profile.username_skeleton == "allce"
