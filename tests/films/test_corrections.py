"""Fans' corrections: the registry of what may be corrected, the suggestion form, its
limits (validation, screening, rate limits, the silenced), the curators' queue in the
admin (the diff, accept through a reversion revision, reject with a reason, decided
once, stale suggestions), the member's own outcomes on their profile, and reports."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from reversion.models import Version

from films import corrections, services
from films.models import Correction, Film, Person, Quote, QuoteLine
from reviews.moderation.models import Report
from tests.factories import (
    forget_members,
    make_album,
    make_character,
    make_film,
    make_person,
    make_quote,
    make_scene,
    make_track,
    make_trivia,
    make_user,
    make_watched_word,
)

pytestmark = pytest.mark.django_db

SOURCE = "https://example.com/leon-facts"


def new_url(kind, pk, field=""):
    url = f"/corrections/new/?kind={kind}&id={pk}"
    return f"{url}&field={field}" if field else url


def suggest(member, obj, kind, field, proposed, source=SOURCE):
    return services.correction_create(
        member=member, kind=kind, obj=obj, field=field, proposed=proposed, source_url=source
    )


@pytest.fixture
def person():
    return make_person(name="Jean Reno", biography="French actor.", known_for="Acting")


@pytest.fixture
def pending(alice, person):
    return suggest(alice, person, "person", "name", "Jean Réno")


# The registry -----------------------------------------------------------------------------


def test_the_registry_names_each_kind_and_the_fields_curators_edit():
    fields = {name: kind.fields for name, kind in corrections.KINDS.items()}
    assert fields == {
        "film": ("title", "tagline", "synopsis", "runtime_minutes", "release_date"),
        "person": ("name", "biography", "known_for"),
        "character": ("name", "description"),
        "quote": ("context",),
        "track": ("title", "duration_seconds"),
        "trivia": ("text",),
        "scene": ("title", "description"),
    }
    assert {value for value, _ in Correction.Kind.choices} == set(corrections.KINDS)


def test_a_quote_s_lines_are_facts_of_the_quote():
    quote = make_quote(lines=[(None, "No women, no kids."), (None, "That's the rule.")])
    facts = corrections.KINDS["quote"].facts(quote)
    assert [f.label for f in facts] == ["Context", "Line 1", "Line 2"]
    assert facts[2].current == "That's the rule."
    with pytest.raises(ValidationError):
        corrections.KINDS["quote"].fact(quote, "line-999999")


def test_current_values_are_text_as_stored():
    film = make_film(runtime_minutes=110, release_date=date(1994, 9, 14))
    facts = {f.key: f for f in corrections.KINDS["film"].facts(film)}
    assert facts["runtime_minutes"].current == "110"
    assert facts["release_date"].current == "1994-09-14"
    assert facts["tagline"].current == ""


# Every catalogue page offers it, the same way to everyone ----------------------------------


def catalogue_pages():
    film = make_film()
    person = make_person()
    character = make_character(film=film)
    quote = make_quote(film=film)
    track = make_track(album=make_album(film=film))
    trivia = make_trivia(film=film)
    scene = make_scene(film=film)
    return [
        (film.get_absolute_url(), "film", film.pk),
        (person.get_absolute_url(), "person", person.pk),
        (character.get_absolute_url(), "character", character.pk),
        (quote.get_absolute_url(), "quote", quote.pk),
        (f"/films/{film.slug}/soundtrack/", "track", track.pk),
        (f"/films/{film.slug}/trivia/", "trivia", trivia.pk),
        (f"/films/{film.slug}/scenes/", "scene", scene.pk),
    ]


def test_every_catalogue_page_links_to_the_suggestion_form(alice_client):
    for url, kind, pk in catalogue_pages():
        link = f'href="/corrections/new/?kind={kind}&amp;id={pk}"'
        visitor = Client().get(url).content.decode()
        member = alice_client.get(url).content.decode()
        assert link in visitor, (kind, url)
        assert link in member, (kind, url)
        assert "Suggest a correction" in visitor


def test_a_visitor_is_sent_to_log_in_then_back_to_the_form(person):
    response = Client().get(new_url("person", person.pk))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert "kind%3Dperson" in response.url and f"id%3D{person.pk}" in response.url


# The form ---------------------------------------------------------------------------------


def test_the_form_shows_the_current_values_and_the_fields(alice_client, person):
    page = alice_client.get(new_url("person", person.pk, "biography")).content.decode()
    assert "What it says now" in page
    assert "French actor." in page and "Acting" in page
    for value in ("name", "biography", "known_for"):
        assert f'value="{value}"' in page
    assert re.search(r'value="biography"[^>]*checked', page)


@pytest.mark.parametrize(
    "query", ["kind=nothing&id=1", "kind=person&id=abc", "kind=person&id=0", "", "kind=person"]
)
def test_an_unknown_kind_or_object_is_a_404(alice_client, person, query):
    assert alice_client.get(f"/corrections/new/?{query}").status_code == 404
    assert alice_client.get("/corrections/new/?kind=person&id=99999999").status_code == 404


def test_a_member_suggests_a_correction(alice, alice_client, person):
    response = alice_client.post(
        new_url("person", person.pk),
        {"field": "name", "proposed_value": "Jean Réno ", "source_url": SOURCE},
    )
    assert response.status_code == 302
    assert response.url == person.get_absolute_url()
    correction = Correction.objects.get()
    assert (correction.kind, correction.object_id, correction.field) == (
        "person",
        person.pk,
        "name",
    )
    assert correction.current_value == "Jean Reno"
    assert correction.proposed_value == "Jean Réno"
    assert correction.member == alice and correction.status == "pending"
    assert correction.object_label == "Jean Reno" and correction.field_label == "Name"
    person.refresh_from_db()
    assert person.name == "Jean Reno"  # nothing changes until a curator accepts


@pytest.mark.parametrize(
    "kind,field,proposed,source,error",
    [
        ("film", "runtime_minutes", "about two hours", SOURCE, "Enter a whole number"),
        ("film", "runtime_minutes", "-5", SOURCE, "greater than or equal to 0"),
        ("film", "release_date", "14/09/1994x", SOURCE, "Enter a valid date"),
        ("film", "title", "x" * 201, SOURCE, "at most 200 characters"),
        ("film", "title", "", SOURCE, "This field is required"),
        ("film", "title", "Film", "ftp://example.com/x", "Enter a valid URL"),
        ("film", "title", "Film", "javascript:alert(1)", "Enter a valid URL"),
        ("film", "title", "Film", "", "This field is required"),
        ("film", "name", "Film", SOURCE, "Select a valid choice"),
    ],
)
def test_the_proposed_value_is_validated_by_the_field_itself(
    alice_client, kind, field, proposed, source, error
):
    film = make_film(title="Léon")
    response = alice_client.post(
        new_url(kind, film.pk),
        {"field": field, "proposed_value": proposed, "source_url": source},
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Correction.objects.exists()


def test_a_valid_date_and_number_are_stored_as_the_field_reads_them(alice):
    film = make_film()
    assert suggest(alice, film, "film", "release_date", "1994-09-14").proposed_value == (
        "1994-09-14"
    )
    assert suggest(alice, film, "film", "runtime_minutes", " 133 ").proposed_value == "133"


def test_a_suggestion_that_changes_nothing_is_refused(alice, person):
    with pytest.raises(ValidationError, match="already says"):
        suggest(alice, person, "person", "name", "Jean Reno")


def test_the_kind_must_match_the_object(alice, person):
    with pytest.raises(ValidationError):
        suggest(alice, person, "film", "title", "Léon")


# Screening, rate limits -------------------------------------------------------------------


def test_a_blocked_word_refuses_the_suggestion(alice_client, person):
    make_watched_word("casino", action="block")
    response = alice_client.post(
        new_url("person", person.pk),
        {"field": "biography", "proposed_value": "Plays at the casino.", "source_url": SOURCE},
    )
    assert response.status_code == 200
    assert not Correction.objects.exists()


def test_a_held_word_holds_the_suggestion_for_moderators(alice, person):
    make_watched_word("casino", action="hold")
    correction = suggest(alice, person, "person", "biography", "Plays at the casino.")
    assert correction.is_held
    with pytest.raises(ValidationError, match="holding"):
        services.correction_accept(correction=correction, curator=make_user())


def test_a_reported_word_files_a_report(alice, person):
    make_watched_word("casino", action="report")
    correction = suggest(alice, person, "person", "biography", "Plays at the casino.")
    assert not correction.is_hidden
    assert Report.objects.filter(object_id=correction.pk, reason="watched").exists()


def test_suggestions_are_rate_limited_per_member(settings, alice_client, person):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "correction": {"user": ["1/d"]}}
    data = {"field": "name", "proposed_value": "Jean Réno", "source_url": SOURCE}
    assert alice_client.post(new_url("person", person.pk), data).status_code == 302
    data["proposed_value"] = "Jean Rено"
    assert alice_client.post(new_url("person", person.pk), data).status_code == 429


def test_suggestions_are_rate_limited_per_address(settings, alice_client, bob_client, person):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "correction": {"ip": ["1/d"]}}
    data = {"field": "name", "proposed_value": "Jean Réno", "source_url": SOURCE}
    assert alice_client.post(new_url("person", person.pk), data).status_code == 302
    assert bob_client.post(new_url("person", person.pk), data).status_code == 429


def test_a_form_sent_back_with_an_error_does_not_use_up_the_limit(settings, alice_client, person):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "correction": {"user": ["1/d"]}}
    bad = {"field": "name", "proposed_value": "Jean Réno", "source_url": "ftp://x"}
    assert alice_client.post(new_url("person", person.pk), bad).status_code == 200
    good = {**bad, "source_url": SOURCE}
    assert alice_client.post(new_url("person", person.pk), good).status_code == 302


# Accepting --------------------------------------------------------------------------------


def test_accepting_applies_the_change_in_a_revision_that_credits_the_member(
    pending, person, curator
):
    services.correction_accept(correction=pending, curator=curator)
    person.refresh_from_db()
    assert person.name == "Jean Réno"
    pending.refresh_from_db()
    assert pending.status == "accepted" and pending.decided_by == curator
    assert pending.decided_at is not None
    version = Version.objects.get_for_object(person).first()
    assert version.revision.user == curator
    assert version.revision.comment == (
        f"Correction #{pending.pk} from alice accepted: source {SOURCE}"
    )


def test_the_accepted_change_shows_in_the_history_and_can_be_reverted(
    pending, person, curator, curator_client
):
    services.correction_accept(correction=pending, curator=curator)
    history = curator_client.get(f"/admin/films/person/{person.pk}/history/").content.decode()
    assert f"Correction #{pending.pk} from alice accepted" in history
    # Revert to the state before: an earlier version exists only if the person had one,
    # so revert this version's revision after changing the name again.
    version = Version.objects.get_for_object(person).first()
    Person.objects.filter(pk=person.pk).update(name="Someone else")
    version.revision.revert()
    person.refresh_from_db()
    assert person.name == "Jean Réno"
    page = curator_client.get(f"/admin/films/person/{person.pk}/history/{version.pk}/")
    assert page.status_code == 200


def test_accepting_a_line_of_a_quote_changes_the_line_in_the_quote_s_history(alice, curator):
    quote = make_quote(lines=[(None, "No women, no kids.")])
    line = quote.lines.get()
    correction = suggest(alice, quote, "quote", f"line-{line.pk}", "No women, no kid.")
    services.correction_accept(correction=correction, curator=curator)
    assert QuoteLine.objects.get(pk=line.pk).text == "No women, no kid."
    assert Version.objects.get_for_object(quote).exists()
    assert Version.objects.get_for_object(Quote.objects.get(pk=quote.pk)).first().revision.user


def test_accepting_a_number_and_a_date_sets_typed_values(alice, curator):
    film = make_film(runtime_minutes=110)
    for field, proposed in (("runtime_minutes", "133"), ("release_date", "1994-09-14")):
        services.correction_accept(
            correction=suggest(alice, film, "film", field, proposed), curator=curator
        )
    film = Film.objects.get(pk=film.pk)
    assert film.runtime_minutes == 133 and film.release_date == date(1994, 9, 14)


def test_a_suggestion_is_decided_once(pending, curator):
    services.correction_accept(correction=pending, curator=curator)
    with pytest.raises(services.AlreadyDecided):
        services.correction_accept(correction=pending, curator=curator)
    with pytest.raises(services.AlreadyDecided):
        services.correction_reject(correction=pending, curator=curator, reason="No.")


def test_a_stale_suggestion_needs_confirmation(pending, person, curator):
    Person.objects.filter(pk=person.pk).update(name="Jean Reno (actor)")
    assert services.correction_is_stale(pending)
    with pytest.raises(services.StaleCorrection, match="Jean Reno \\(actor\\)"):
        services.correction_accept(correction=pending, curator=curator)
    pending.refresh_from_db()
    assert pending.status == "pending"
    services.correction_accept(correction=pending, curator=curator, confirm_stale=True)
    person.refresh_from_db()
    assert person.name == "Jean Réno"


def test_a_suggestion_whose_object_is_gone_cannot_be_accepted(alice, curator):
    person = make_person(name="Gone")
    correction = suggest(alice, person, "person", "name", "Gone for good")
    person.delete()
    assert services.correction_is_stale(correction)
    with pytest.raises(ValidationError, match="no longer exists"):
        services.correction_accept(correction=correction, curator=curator, confirm_stale=True)


def test_the_admin_refuses_with_a_message_when_the_object_is_gone(alice, curator_client):
    person = make_person(name="Gone")
    correction = suggest(alice, person, "person", "name", "Gone for good")
    person.delete()
    url = f"/admin/films/correction/{correction.pk}/change/"
    assert curator_client.get(url).status_code == 200
    response = curator_client.post(url, {"decision": "accept", "confirm_stale": "on"}, follow=True)
    assert "no longer exists" in response.content.decode()
    correction.refresh_from_db()
    assert correction.status == "pending"


# Rejecting --------------------------------------------------------------------------------


def test_rejecting_needs_a_reason(pending, curator):
    with pytest.raises(ValidationError, match="Say why"):
        services.correction_reject(correction=pending, curator=curator, reason="  ")
    services.correction_reject(correction=pending, curator=curator, reason="The credits say so.")
    pending.refresh_from_db()
    assert (pending.status, pending.reason) == ("rejected", "The credits say so.")


def test_the_database_refuses_a_rejection_without_a_reason(pending):
    pending.status = "rejected"
    pending.decided_at = pending.created_at
    with pytest.raises(ValidationError):
        pending.full_clean()


# The curators' queue in the admin -------------------------------------------------------


def test_the_queue_lists_pending_suggestions_first(alice, person, curator_client, curator):
    open_one = suggest(alice, person, "person", "name", "Jean Réno")
    done = suggest(alice, person, "person", "known_for", "Actor")
    services.correction_reject(correction=done, curator=curator, reason="Fine as it is.")
    page = curator_client.get("/admin/films/correction/").content.decode()
    assert f"/admin/films/correction/{open_one.pk}/change/" in page
    assert f"/admin/films/correction/{done.pk}/change/" not in page
    every = curator_client.get("/admin/films/correction/?status=all").content.decode()
    assert f"/admin/films/correction/{done.pk}/change/" in every
    by_kind = curator_client.get("/admin/films/correction/?kind__exact=film").content.decode()
    assert f"/admin/films/correction/{open_one.pk}/change/" not in by_kind
    found = curator_client.get("/admin/films/correction/?q=R%C3%A9no").content.decode()
    assert f"/admin/films/correction/{open_one.pk}/change/" in found


def test_the_change_page_shows_an_escaped_diff(alice, person, curator_client):
    correction = suggest(alice, person, "person", "biography", "French <script>x</script> actor.")
    page = curator_client.get(f"/admin/films/correction/{correction.pk}/change/").content.decode()
    assert "<script>x</script>" not in page
    assert '<ins class="correction-ins">&lt;script&gt;x&lt;/script&gt; </ins>' in page
    assert "Before" in page and "Suggested" in page
    assert f'href="{SOURCE}"' in page
    assert f"/report/correction/{correction.pk}/" in page


def test_a_curator_accepts_in_the_admin(pending, person, curator_client):
    response = curator_client.post(
        f"/admin/films/correction/{pending.pk}/change/", {"decision": "accept", "reason": ""}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "Jean Réno"


def test_a_curator_must_give_a_reason_to_reject_in_the_admin(pending, curator_client):
    url = f"/admin/films/correction/{pending.pk}/change/"
    response = curator_client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 200
    assert "Say why the suggestion is rejected." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert curator_client.post(url, {"decision": "reject", "reason": "Spelt so in the credits."})
    pending.refresh_from_db()
    assert pending.status == "rejected"


def test_the_admin_asks_to_confirm_a_stale_suggestion(pending, person, curator_client):
    Person.objects.filter(pk=person.pk).update(name="Jean Reno (actor)")
    url = f"/admin/films/correction/{pending.pk}/change/"
    page = curator_client.get(url).content.decode()
    assert "changed since this suggestion was made" in page
    response = curator_client.post(url, {"decision": "accept"})
    assert response.status_code == 200
    assert "confirm to apply it" in response.content.decode()
    response = curator_client.post(url, {"decision": "accept", "confirm_stale": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "Jean Réno"


def test_a_decided_suggestion_is_read_only_in_the_admin(pending, curator, curator_client):
    services.correction_reject(correction=pending, curator=curator, reason="No.")
    url = f"/admin/films/correction/{pending.pk}/change/"
    page = curator_client.get(url).content.decode()
    assert 'name="decision"' not in page
    assert curator_client.post(url, {"decision": "accept"}).status_code == 403


def test_the_queue_runs_the_same_queries_for_3_and_for_30(alice, curator_client):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        forget_members()
        with CaptureQueriesContext(connection) as queries:
            assert curator_client.get("/admin/films/correction/").status_code == 200
        return len(queries)

    for _ in range(3):
        suggest(alice, make_person(), "person", "name", "Someone")
    count()  # the first request also fills the process's caches (content types...)
    few = count()
    for _ in range(27):
        suggest(alice, make_person(), "person", "name", "Someone")
    assert count() == few


# The member's outcomes, on their own profile --------------------------------------------


def test_the_profile_shows_the_outcome_only_to_its_owner(alice, alice_client, bob_client, curator):
    person = make_person(name="Jean Reno")
    accepted = suggest(alice, person, "person", "name", "Jean Réno")
    rejected = suggest(alice, person, "person", "known_for", "Actor")
    services.correction_accept(correction=accepted, curator=curator)
    services.correction_reject(correction=rejected, curator=curator, reason="Acting is right.")
    own = alice_client.get("/u/alice/").content.decode()
    assert "Your corrections" in own
    assert "Accepted" in own and "Rejected" in own and "Acting is right." in own
    for other in (bob_client, Client()):
        page = other.get("/u/alice/").content.decode()
        assert "Your corrections" not in page and "Acting is right." not in page


def test_the_member_s_list_runs_the_same_queries_for_1_and_for_15(alice, alice_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        forget_members()
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get("/u/alice/").status_code == 200
        return len(queries)

    suggest(alice, make_person(), "person", "name", "Someone")
    count()  # the first request also fills the process's caches
    one = count()
    for _ in range(14):
        suggest(alice, make_person(), "person", "name", "Someone")
    assert count() == one


# Reports ----------------------------------------------------------------------------------


def test_a_curator_may_report_a_suggestion_and_a_member_may_not(
    pending, curator_client, bob_client
):
    url = f"/report/correction/{pending.pk}/"
    assert bob_client.get(url).status_code == 404
    response = curator_client.post(url, {"reason": "spam", "details": "An advert."})
    assert response.status_code == 302
    assert Report.objects.filter(object_id=pending.pk, reason="spam").exists()


def test_the_form_keeps_a_spoiler_behind_a_guard(alice_client):
    trivia = make_trivia(text="Léon dies at the end.", is_spoiler=True)
    page = alice_client.get(new_url("trivia", trivia.pk)).content.decode()
    assert "<title>Suggest a correction" in page
    guarded = page.split('<details class="spoiler-box"', 1)
    assert len(guarded) == 2 and "Léon dies at the end." not in guarded[0]


def test_a_reported_suggestion_reaches_the_moderators_queue(
    pending, curator, moderator_client, alice_client
):
    curator_client = Client()
    curator_client.force_login(curator)
    curator_client.post(f"/report/correction/{pending.pk}/", {"reason": "spam"})
    queue = moderator_client.get("/moderation/").content.decode()
    assert "Suggested correction of Jean Reno: Name" in queue
    assert "Jean Réno" in queue
    response = moderator_client.post(
        f"/moderation/items/correction/{pending.pk}/", {"action": "hide", "note": "An advert."}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.is_hidden
    assert "A moderator hid it: An advert." in alice_client.get("/u/alice/").content.decode()
    record = moderator_client.get("/moderation/members/alice/").content.decode()
    assert "Suggested correction of Jean Reno (Name)" in record


def test_a_member_s_suggestions_are_in_their_data_export(alice, alice_client, pending):
    import json

    data = json.loads(alice_client.get("/accounts/export/").content)
    [exported] = data["corrections"]
    assert exported["id"] == pending.pk
    assert exported["proposed_value"] == pending.proposed_value
    assert exported["source_url"] == pending.source_url and exported["status"] == "pending"
