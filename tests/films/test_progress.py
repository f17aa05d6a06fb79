"""Watching at your own pace: timecodes per cut, progress saved for members and kept in
a visitor's browser, and what progress opens."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from films.formatting import parse_timecode, timecode
from films.models import Cut, Film, Scene, SceneTiming, WatchProgress
from leonsite.accounts.models import Profile
from tests.factories import make_film, make_quote, make_review, make_scene, make_trivia, make_user
from tests.guards import read

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


@pytest.fixture
def film(db):
    film = make_film(slug="kestrel-lane", title="Kestrel Lane", plot="The keeper falls, qxplot.")
    first = make_scene(film, slug="arrival", order=1, title="Arrival")
    second = make_scene(film, slug="storm", order=2, title="Storm", is_spoiler=True,
                        description="The storm takes the boat, qxstorm.")  # fmt: skip
    third = make_scene(film, slug="quay", order=3, title="Quay", is_spoiler=True,
                       description="The keeper falls on the quay, qxquay.")  # fmt: skip
    make_quote(film, [(None, "The boat is gone, qxboatline.")], scene=second, is_spoiler=True)
    make_trivia(film, text="Shot in one night, qxnight.", scene=third, is_spoiler=True)
    cut = Cut.objects.create(film=film, slug="theatrical", name="Theatrical cut", position=1)
    longer = Cut.objects.create(film=film, slug="long", name="Long cut", position=2)
    SceneTiming.objects.create(scene=first, cut=cut, start_seconds=0, end_seconds=95)
    SceneTiming.objects.create(scene=second, cut=cut, start_seconds=95, end_seconds=3723)
    SceneTiming.objects.create(scene=second, cut=longer, start_seconds=120)
    del third
    return film


def scene_id(film, slug):
    return str(film.scenes.get(slug=slug).pk)


def scenes_url(film, **query):
    url = reverse("films:film-scenes", kwargs={"slug": film.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def progress_url(film):
    return reverse("films:film-progress", kwargs={"slug": film.slug})


def readable(client, url):
    return read(client.get(url).content.decode())[0]


def test_timecodes_read_and_write_as_people_write_them():
    assert timecode(3723) == "1:02:03" and timecode(603) == "10:03" and timecode(None) == ""
    assert parse_timecode("1:02:03") == 3723 and parse_timecode("62:03") == 3723
    for bad in ("", "1:61", "abc", "1:2:3:4", "-5:00", "9999999999", "25:00:00"):
        with pytest.raises(ValueError):
            parse_timecode(bad)


def test_the_timeline_shows_each_cuts_timecodes(client, film):
    page = client.get(scenes_url(film)).content.decode()
    assert '<time datetime="PT95S">1:35</time>–<time datetime="PT3723S">1:02:03</time>' in page
    assert page.count("<time ") == 4  # the third scene has none: timecodes may be empty
    longer = client.get(scenes_url(film, cut="long")).content.decode()
    assert '<time datetime="PT120S">2:00</time>' in longer and "PT95S" not in longer
    assert "have not been entered yet" not in longer
    SceneTiming.objects.filter(cut__slug="long").delete()
    longer = client.get(scenes_url(film, cut="long")).content.decode()
    assert "Timecodes for the long cut have not been entered yet." in longer


def test_the_load_keeps_the_seeded_order_and_both_cuts(catalogue):
    film = Film.objects.get(slug="leon-the-professional")
    assert [c.slug for c in film.cuts.all()] == ["theatrical", "version-integrale"]
    assert [c.runtime_minutes for c in film.cuts.all()] == [110, 133]
    orders = list(Scene.objects.filter(film=film).values_list("order", flat=True))
    assert orders == sorted(orders) and orders[0] == 1


def test_a_curator_enters_timecodes_in_the_admin(curator_client, film):
    scene = film.scenes.get(slug="quay")
    cut = film.cuts.get(slug="theatrical")
    url = reverse("admin:films_scene_change", args=[scene.pk])
    data = {
        "film": film.pk, "order": 3, "title_en": "Quay", "slug": "quay", "description_en": "x",
        "is_spoiler": "on", "characters": [],
        "timings-TOTAL_FORMS": "1", "timings-INITIAL_FORMS": "0",
        "timings-MIN_NUM_FORMS": "0", "timings-MAX_NUM_FORMS": "1000",
        "timings-0-cut": cut.pk, "timings-0-start_seconds": "1:40:00",
        "timings-0-end_seconds": "1:39:00",
    }  # fmt: skip
    response = curator_client.post(url, data)
    assert response.status_code == 200
    assert "A scene ends after it starts." in response.content.decode()
    other = Cut.objects.create(film=make_film(), slug="other", name="Other")
    response = curator_client.post(url, {**data, "timings-0-cut": other.pk,
                                         "timings-0-end_seconds": ""})  # fmt: skip
    assert "this scene&#x27;s film" in response.content.decode()
    for wrong in ("soon", "9" * 5000, "99999999"):
        response = curator_client.post(url, {**data, "timings-0-start_seconds": wrong})
        assert "Write a time as 1:02:03 or 62:03." in response.content.decode()
    response = curator_client.post(url, {**data, "timings-0-end_seconds": "1:45:30"})
    assert response.status_code == 302
    timing = SceneTiming.objects.get(scene=scene, cut=cut)
    assert (timing.start_seconds, timing.end_seconds) == (6000, 6330)


def test_a_visitor_starts_at_nothing_seen(client, film):
    visible = readable(client, scenes_url(film))
    assert "qxstorm" not in visible and "qxquay" not in visible and "qxboatline" not in visible


def test_a_members_progress_is_saved_and_opens_the_scenes_seen(client, film):
    member = make_user("reader")
    client.force_login(member)
    response = client.post(
        progress_url(film), {"upto": scene_id(film, "storm"), "next": scenes_url(film)}
    )
    assert response.status_code == 302 and response["Location"] == scenes_url(film)
    saved = WatchProgress.objects.get(user=member, film=film)
    assert saved.scene.slug == "storm" and not saved.seen_all
    visible = readable(client, scenes_url(film))
    assert "qxstorm" in visible and "qxboatline" in visible  # up to scene 2: open
    assert "qxquay" not in visible and "qxnight" not in visible  # scene 3: still guarded
    assert "qxplot" not in readable(client, film.get_absolute_url())
    # Saying it again replaces the one saved row.
    client.post(progress_url(film), {"upto": "all"})
    assert WatchProgress.objects.filter(user=member).count() == 1
    assert "qxquay" in readable(client, scenes_url(film))
    assert "qxnight" in readable(client, reverse("films:film-trivia", kwargs={"slug": film.slug}))
    assert "qxplot" in readable(client, film.get_absolute_url())
    client.post(progress_url(film), {"upto": "nothing"})
    assert "qxstorm" not in readable(client, scenes_url(film))


def test_seeing_it_all_does_not_open_members_spoilers_unless_the_member_says(client, film):
    member = make_user("reader")
    make_review(film=film, body="Fine. ||The keeper dies, qxinline.||")
    make_review(film=film, body="It ends on the quay, qxflagged.", is_spoiler=True)
    client.force_login(member)
    client.post(progress_url(film), {"upto": "all"})
    reviews = reverse("reviews:film-reviews", kwargs={"slug": film.slug})
    visible = readable(client, reviews)
    assert "qxinline" not in visible and "qxflagged" not in visible
    Profile.objects.filter(user=member).update(show_members_spoilers=True)
    visible = readable(client, reviews)
    assert "qxinline" in visible and "qxflagged" in visible


def test_a_member_sets_the_review_setting_in_their_settings(client, film):
    member = make_user("reader")
    client.force_login(member)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert 'name="show_members_spoilers"' in page


def test_a_visitors_progress_lives_in_their_browser(client, film):
    response = client.post(
        progress_url(film),
        {"upto": scene_id(film, "storm"), "next": scenes_url(film)},
        HTTP_ORIGIN=HOST,
    )
    assert response.status_code == 302
    assert response.cookies["watched"].value == f"kestrel-lane:{scene_id(film, 'storm')}"
    cookie = response.cookies["watched"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not WatchProgress.objects.exists()
    visible = readable(client, scenes_url(film))
    assert "qxstorm" in visible and "qxquay" not in visible
    client.post(progress_url(film), {"upto": "all"}, HTTP_REFERER=HOST + scenes_url(film))
    assert client.cookies["watched"].value == "kestrel-lane:all"
    assert "qxquay" in readable(client, scenes_url(film))
    client.post(progress_url(film), {"upto": "nothing"}, HTTP_ORIGIN=HOST)
    assert "qxstorm" not in readable(client, scenes_url(film))


def test_the_visitors_page_cache_keeps_one_copy_per_point_in_the_film(
    client, film, django_assert_num_queries, settings
):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    cache.clear()
    url = scenes_url(film)
    client.get(url)
    with django_assert_num_queries(0):  # served whole from the cache
        first = client.get(url)
    assert "qxstorm" not in read(first.content.decode())[0]
    client.cookies["watched"] = f"kestrel-lane:{scene_id(film, 'storm')}"
    second = client.get(url)
    assert "qxstorm" in read(second.content.decode())[0]
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == second.content
    # A page with a visitor's progress carries no token, so it is shared and cached.
    assert "csrfmiddlewaretoken" not in second.content.decode()
    assert "Cookie" in second["Vary"]
    client.cookies["watched"] = "malformed;;value"
    response = client.get(url)
    assert response.status_code == 200 and "qxstorm" not in read(response.content.decode())[0]


def test_odd_cookies_cannot_multiply_the_visitors_cached_pages(client, film, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    cache.clear()
    url = scenes_url(film)
    ids = [scene_id(film, slug) for slug in ("arrival", "storm", "quay")]
    for value in ["all", *ids, *(str(n) for n in range(100000, 100060))]:
        client.cookies["watched"] = f"kestrel-lane:{value}"
        assert client.get(url).status_code == 200
    pages = [key for key in cache._cache if ":page:" in key]  # noqa: SLF001
    # One copy per scene, "all", and "nothing" (every unknown id): 5, not 64.
    assert len(pages) == 5


def test_cross_site_progress_posts_are_refused(client, film):
    assert client.post(progress_url(film), {"upto": "all"}).status_code == 403
    response = client.post(progress_url(film), {"upto": "all"}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403 and "watched" not in response.cookies
    response = client.post(
        progress_url(film), {"upto": "all"}, HTTP_REFERER="http://testserver.evil.example/x"
    )
    assert response.status_code == 403
    member = make_user("reader")
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.force_login(member)
    response = csrf_client.post(progress_url(film), {"upto": "all"}, HTTP_ORIGIN=HOST)
    assert response.status_code == 403
    assert not WatchProgress.objects.exists()


@pytest.mark.parametrize("upto", ["", "no-such-scene", "x" * 5000, "\x00", "1\x00", "-1", "9" * 30])
def test_wrong_progress_is_a_clear_400(client, film, upto):
    response = client.post(progress_url(film), {"upto": upto}, HTTP_ORIGIN=HOST)
    assert response.status_code == 400
    assert "watched" not in response.cookies


def test_a_scene_of_another_film_is_refused(client, film):
    other = make_film()
    elsewhere = make_scene(other, slug="elsewhere", order=1)
    response = client.post(progress_url(film), {"upto": elsewhere.pk}, HTTP_ORIGIN=HOST)
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["member", "visitor"])
def test_renumbering_scenes_never_opens_what_was_not_seen(client, film, who):
    if who == "member":
        client.force_login(make_user("reader"))
    client.post(progress_url(film), {"upto": scene_id(film, "arrival")}, HTTP_ORIGIN=HOST)
    assert "qxstorm" not in readable(client, scenes_url(film))
    # A curator inserts a scene before the first: "arrival" becomes scene 2, "storm" 3.
    for scene in film.scenes.order_by("-order"):
        Scene.objects.filter(pk=scene.pk).update(order=scene.order + 1)
    make_scene(film, slug="prologue", order=1, title="Prologue")
    visible = readable(client, scenes_url(film))
    assert "qxstorm" not in visible and "qxquay" not in visible
    # And deleting the scene reached falls back to nothing seen, never further.
    film.scenes.get(slug="arrival").delete()
    response = client.get(scenes_url(film))
    assert response.status_code == 200 and "qxstorm" not in read(response.content.decode())[0]


def test_a_member_with_a_valid_token_sets_progress(film):
    from django.test import Client

    member = make_user("reader")
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    page = client.get(scenes_url(film)).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(
        progress_url(film), {"upto": "all", "csrfmiddlewaretoken": token}, HTTP_ORIGIN=HOST
    )
    assert response.status_code == 302
    assert WatchProgress.objects.get(user=member).seen_all


def test_a_late_scene_is_guarded_whole_on_the_timeline(client, film):
    from tests.factories import make_album, make_character, make_track

    quay = film.scenes.get(slug="quay")
    quay.characters.add(make_character(film, name="Qxcastmark"))
    make_track(make_album(film), title="Qxmusicmark", scene=quay)
    make_trivia(film, text="An open fact, qxopenfact.", scene=quay)  # not itself flagged
    visible, hidden = read(client.get(scenes_url(film)).content.decode())
    for marker in ("Qxcastmark", "Qxmusicmark", "qxopenfact", "qxquay", "qxnight"):
        assert marker not in visible and marker in hidden
    # One control opens it: the flagged trivia inside has no second guard.
    page = client.get(scenes_url(film)).content.decode()
    scene_html = page.split('id="scene-quay"')[1].split("</li>\n")[0]
    assert scene_html.count("<details") == 1


def test_the_film_page_offers_the_progress_form(client, film):
    page = client.get(film.get_absolute_url()).content.decode()
    assert f'action="{progress_url(film)}"' in page and "I&#x27;ve seen it all" in page
    # Late scenes are named by number only in the list: their titles could spoil.
    assert "Up to scene 3<" in page and "Up to scene 3: Quay" not in page
    assert 'value="quay"' not in page  # nor by their slugs, made from those titles
