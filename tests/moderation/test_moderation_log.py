"""The moderation log is append-only everywhere; the groups hold exactly their rights."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.test import Client

from reviews.moderation import services as moderation
from reviews.moderation.models import ModerationAction, ModerationLogError, Report
from tests.factories import PASSWORD, make_curator, make_report, make_review, make_user

CURATORS, MODERATORS = "Curators", "Moderators"
MODERATOR_PERMISSIONS = {
    ("moderation", "moderate"),
    ("moderation", "sanction_member"),
    ("moderation", "view_report"),
    ("moderation", "view_moderationaction"),
    ("moderation", "add_removalreason"),
    ("moderation", "change_removalreason"),
    ("moderation", "view_removalreason"),
    ("moderation", "add_watchedword"),
    ("moderation", "change_watchedword"),
    ("moderation", "delete_watchedword"),
    ("moderation", "view_watchedword"),
    ("reviews", "view_review"),
    ("reviews", "view_comment"),
    ("reviews", "view_quotecollection"),
    ("reviews", "view_diaryentry"),  # diary notes and tags are reportable
    ("accounts", "view_profile"),
    ("films", "view_correction"),  # fans' suggestions are reportable: moderators read them
}


pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(moderator, alice):
    review = make_review(author=alice, title="Shown in the log")
    make_report(review, details="Spoils the end.")
    moderation.decide(moderator=moderator, item=review, action="hide", reason="Ending spoiled.")
    return ModerationAction.objects.latest("pk")


# The log page -----------------------------------------------------------------------------


def test_the_log_shows_who_did_what_to_which_item_why_and_when(moderator_client, entry, alice):
    page = moderator_client.get("/moderation/log/").content.decode()
    assert f'id="entry-{entry.pk}"' in page
    assert "Mona" in page and ">Hidden<" in page
    assert entry.target_label in page and f'href="/reviews/{entry.object_id}/"' in page
    assert "Ending spoiled." in page
    assert "Spam or advertising: Spoils the end." in page  # the report itself is logged
    assert entry.created_at.strftime("%Y-%m-%dT%H:%M") in page
    assert f"/moderation/members/{alice.username}/" in page


def test_the_log_keeps_its_label_after_the_item_is_gone(moderator_client, entry):
    from reviews.models import Review

    Review.objects.filter(pk=entry.object_id).update(title="Renamed")
    page = moderator_client.get("/moderation/log/").content.decode()
    assert entry.target_label in page


def test_silences_and_suspensions_are_logged_with_their_end(moderator, moderator_client, bob):
    from datetime import timedelta

    from django.utils import timezone

    until = timezone.now() + timedelta(days=2)
    moderation.sanction(
        moderator=moderator, member=bob, action="silence", until=until, reason="Cool off."
    )
    page = moderator_client.get("/moderation/log/").content.decode()
    assert ">Silenced<" in page and "Cool off." in page
    assert f"until {until:%-d %b %Y, %H:%M} UTC" in page


# Append-only ------------------------------------------------------------------------------


def test_an_entry_cannot_be_changed_or_deleted_through_the_orm(entry):
    entry.reason = "Rewritten"
    with pytest.raises(ModerationLogError):
        entry.save()
    with pytest.raises(ModerationLogError):
        entry.delete()
    with pytest.raises(ModerationLogError):
        ModerationAction.objects.filter(pk=entry.pk).update(reason="Rewritten")
    with pytest.raises(ModerationLogError):
        ModerationAction.objects.all().delete()
    entry.refresh_from_db()
    assert entry.reason == "Ending spoiled."


def test_the_admin_shows_the_log_read_only_even_to_a_superuser(entry):
    root = get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    client = Client()
    client.force_login(root)
    listing = client.get("/admin/moderation/moderationaction/")
    assert listing.status_code == 200 and entry.target_label in listing.content.decode()
    assert "/admin/moderation/moderationaction/add/" not in listing.content.decode()
    assert 'name="action"' not in listing.content.decode()  # no bulk delete either
    page = client.get(f"/admin/moderation/moderationaction/{entry.pk}/change/").content.decode()
    assert "Ending spoiled." in page
    assert 'name="reason"' not in page and 'name="_save"' not in page
    assert client.post(f"/admin/moderation/moderationaction/{entry.pk}/delete/").status_code == 403
    assert client.get("/admin/moderation/moderationaction/add/").status_code == 403
    entry.refresh_from_db()
    assert ModerationAction.objects.filter(pk=entry.pk).exists()


def test_a_moderator_reads_reports_and_the_log_in_the_admin_but_changes_neither(
    moderator_client, entry
):
    assert moderator_client.get("/admin/moderation/moderationaction/").status_code == 200
    assert moderator_client.get("/admin/moderation/report/").status_code == 200
    report = Report.objects.get()
    page = moderator_client.get(f"/admin/moderation/report/{report.pk}/change/").content.decode()
    assert 'name="_save"' not in page


def test_hidden_content_is_never_deleted_by_moderation(moderator, alice):
    from reviews.models import Review

    review = make_review(author=alice, body="Original words.")
    for action in ("hide", "restore", "hide", "dismiss"):
        moderation.decide(moderator=moderator, item=review, action=action, reason=action)
    assert Review.objects.filter(pk=review.pk, body="Original words.").exists()


# Groups -----------------------------------------------------------------------------------


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {(p.content_type.app_label, p.codename) for p in group.permissions.all()}


def test_migrate_creates_the_moderators_group_with_exactly_its_permissions():
    # Spelled out, not read from the code: a typo there would silently grant less.
    assert codenames(MODERATORS) == MODERATOR_PERMISSIONS


def test_migrate_creates_the_curators_group_with_the_catalogue_only():
    perms = codenames(CURATORS)
    assert perms == {
        tuple(p.split(".")) for p in apps.get_app_config("films").curator_permissions()
    }
    # Add, change, delete and view of the 26 curated models; view and change (to decide)
    # of fans' corrections, which curators neither add nor delete.
    assert len(perms) == 4 * 26 + 2
    assert {("films", "view_correction"), ("films", "change_correction")} <= perms
    assert not perms & {("films", "add_correction"), ("films", "delete_correction")}
    assert {app for app, _ in perms} == {"films"}


def test_moderators_cannot_touch_the_catalogue_nor_edit_members_posts():
    moderator = make_user()
    call_command("grant_role", "moderator", moderator.username, stdout=io.StringIO())
    moderator = get_user_model().objects.get(pk=moderator.pk)
    assert moderator.is_staff and moderator.has_perm("moderation.moderate")
    assert moderator.has_perm("moderation.sanction_member")
    for perm in (
        "films.change_film",
        "films.add_quote",
        "films.delete_person",
        "reviews.change_review",
        "reviews.delete_comment",
        "moderation.change_moderationaction",
        "moderation.delete_moderationaction",
        "moderation.change_report",
        "accounts.change_profile",
        "auth.change_user",
        "auth.change_group",
    ):
        assert not moderator.has_perm(perm), perm


def test_curators_cannot_moderate_and_members_can_do_neither():
    curator = make_curator(make_user().username)
    member = make_user()
    for user in (curator, member):
        user = get_user_model().objects.get(pk=user.pk)
        assert not user.has_perm("moderation.moderate")
        assert not user.has_perm("moderation.sanction_member")
        assert not user.has_perm("moderation.add_watchedword")
    assert get_user_model().objects.get(pk=curator.pk).has_perm("films.change_film")
    assert not get_user_model().objects.get(pk=member.pk).has_perm("films.change_film")


def test_the_group_is_rebuilt_to_exactly_its_permissions_by_migrate():
    group = Group.objects.get(name=MODERATORS)
    group.permissions.add(Permission.objects.get(codename="change_film"))
    call_command("migrate", verbosity=0)
    assert codenames(MODERATORS) == MODERATOR_PERMISSIONS


def test_grant_role_needs_an_existing_user_and_a_known_role():
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("grant_role", "moderator", "nobody")
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("grant_role", "janitor", make_user().username)


def test_the_nav_links_to_the_queue_for_moderators_only(moderator_client, alice_client):
    assert "/moderation/log/" in moderator_client.get("/").content.decode()
    assert "/moderation/" not in alice_client.get("/").content.decode()


def test_the_admin_never_hard_deletes_a_post_even_for_a_superuser(alice):
    from reviews.models import Comment, QuoteCollection, Review
    from tests.factories import make_collection, make_comment

    review = make_review(author=alice)
    comment = make_comment(review=review, author=alice)
    collection = make_collection(owner=alice)
    root = get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    client = Client()
    client.force_login(root)
    for path, item in [
        ("review", review),
        ("comment", comment),
        ("quotecollection", collection),
    ]:
        response = client.post(f"/admin/reviews/{path}/{item.pk}/delete/", {"post": "yes"})
        assert response.status_code == 403, path
    assert Review.objects.filter(pk=review.pk).exists()
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert QuoteCollection.objects.filter(pk=collection.pk).exists()
