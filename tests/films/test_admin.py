import io

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from films.models import Correction, Film, Quote, SeedRecord, Track

pytestmark = pytest.mark.django_db

CATALOGUE_MODELS = [m for m in admin.site._registry if m._meta.app_label == "films"]


def admin_url(model, action, *args):
    return reverse(f"admin:films_{model._meta.model_name}_{action}", args=args)


def test_migrate_creates_the_curators_group_with_exactly_catalogue_permissions():
    group = Group.objects.get(name="Curators")
    granted = {(p.content_type.app_label, p.codename) for p in group.permissions.all()}
    expected = apps.get_app_config("films").curator_permissions()
    assert granted == {tuple(p.split(".")) for p in expected}
    assert ("films", "change_seedrecord") not in granted
    assert not any(app == "auth" for app, _ in granted)


def test_every_catalogue_model_is_in_the_admin():
    registered = {m._meta.model_name for m in CATALOGUE_MODELS}
    assert registered >= {
        "film", "person", "character", "credit", "scene", "quote", "trivia", "award",
        "criticscore", "figure", "filminglocation", "album", "track", "source",
    }  # fmt: skip
    assert SeedRecord not in admin.site._registry


@pytest.mark.parametrize("model", CATALOGUE_MODELS, ids=lambda m: m._meta.model_name)
def test_curator_can_open_every_admin_page(curator_client, catalogue, model):
    assert curator_client.get(admin_url(model, "changelist")).status_code == 200
    assert curator_client.get(admin_url(model, "changelist"), {"q": "léon"}).status_code == 200
    # Fans' corrections are only decided in the admin, never added there.
    added = 403 if model is Correction else 200
    assert curator_client.get(admin_url(model, "add")).status_code == added
    obj = model.objects.first()
    if obj is not None:
        assert curator_client.get(admin_url(model, "change", obj.pk)).status_code == 200
        assert curator_client.get(admin_url(model, "history", obj.pk)).status_code == 200


def test_plain_staff_without_the_group_cannot_edit_the_catalogue(
    client, django_user_model, catalogue
):
    user = django_user_model.objects.create_user("sam", password="pw-not-curator", is_staff=True)
    client.force_login(user)
    film = Film.objects.first()
    assert client.get(admin_url(Film, "changelist")).status_code == 403
    assert client.get(admin_url(Film, "change", film.pk)).status_code == 403


def test_plain_user_and_anonymous_are_sent_to_login(client, django_user_model, catalogue):
    response = client.get(admin_url(Film, "changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(django_user_model.objects.create_user("pat", password="pw-plain-user"))
    response = client.get(admin_url(Film, "changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_changelists_show_thumbnails_and_view_on_site(curator_client, catalogue):
    page = curator_client.get(admin_url(Film, "changelist")).content.decode()
    assert "Poster" in page
    film = Film.objects.get(slug="leon-the-professional")
    change = curator_client.get(admin_url(Film, "change", film.pk)).content.decode()
    assert "View on site" in change
    assert 'id="id_slug"' in change and "prepopulated" in change


def test_curator_edits_a_track_and_can_revert_it_from_history(curator_client, catalogue):
    track = Track.objects.get(title="Shape of My Heart")
    data = {
        "album": track.album_id,
        "position": track.position,
        "title": "Shape of My Heart (edit)",
        "duration_seconds": "",
        "scene": track.scene_id or "",
        "notes": track.notes,
        "origin_artist": track.origin_artist_id or "",
        "origin_album": track.origin_album,
        "origin_year": track.origin_year or "",
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
        "credits-MIN_NUM_FORMS": "0",
        "credits-MAX_NUM_FORMS": "1000",
    }
    response = curator_client.post(admin_url(Track, "change", track.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    track.refresh_from_db()
    assert track.title == "Shape of My Heart (edit)"

    history = curator_client.get(admin_url(Track, "history", track.pk)).content.decode()
    assert "Catalogue load" in history or "Initial version" in history
    from reversion.models import Version

    versions = Version.objects.get_for_object(track)
    assert versions.count() == 2
    original = versions.last()
    revert_url = reverse("admin:films_track_revision", args=[track.pk, original.pk])
    assert curator_client.get(revert_url).status_code == 200
    data["title"] = "Shape of My Heart"
    response = curator_client.post(revert_url, data)
    assert response.status_code == 302
    track.refresh_from_db()
    assert track.title == "Shape of My Heart"


def test_curator_adds_a_quote_with_lines_through_the_inline(curator_client, catalogue):
    film = Film.objects.get(slug="leon-the-professional")
    leon = film.characters.get(slug="leon")
    data = {
        "film": film.pk,
        "key": "",
        "scene": "",
        "context_en": "Added by a curator.",
        "notes": "",
        "source": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-order": "1",
        "lines-0-character": leon.pk,
        "lines-0-text": "Not the plant.",
    }
    response = curator_client.post(admin_url(Quote, "add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    quote = Quote.objects.get(context="Added by a curator.")
    assert [line.text for line in quote.lines.all()] == ["Not the plant."]


def test_grant_role_makes_a_curator(db, django_user_model):
    from django.core.management import CommandError, call_command

    user = django_user_model.objects.create_user("dana", password="pw-dana-12345")
    out = io.StringIO()
    call_command("grant_role", "curator", "dana", stdout=out)
    assert "Curators" in out.getvalue()
    user.refresh_from_db()
    assert user.is_staff and user.groups.filter(name="Curators").exists()
    with pytest.raises(CommandError, match="No user named"):
        call_command("grant_role", "curator", "nobody")
