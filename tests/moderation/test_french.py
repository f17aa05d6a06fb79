"""Moderation in French: what the page test cannot see (the report form's errors, flash
messages, the hidden notices by kind, the reasons the system stores in English)."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import translation

from reviews.moderation import services as moderation
from reviews.moderation.forms import ReportForm, SanctionForm
from reviews.moderation.models import ModerationAction
from reviews.moderation.templatetags.moderation import (
    kind_label,
    system_reason,
    target_label,
    this_item,
)
from tests.factories import make_comment, make_report, make_review, make_watched_word

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture
def review(alice):
    return make_review(author=alice, title="Quiet", body="The plant.")


def flashes(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_report_form_speaks_french_with_its_errors(bob_client, review, catalogue):
    page = bob_client.get(f"/fr/report/review/{review.pk}/").content.decode()
    assert "Signaler cette critique" in page
    assert "Quel est le problème" in page
    assert "Spoilers non signalés" in page and "Unmarked spoilers" not in page
    assert "1 000 caractères au plus" in page.replace(NBSP, " ")
    response = bob_client.post(f"/fr/report/review/{review.pk}/", {"reason": ""})
    assert response.status_code == 400
    assert "Choisissez un motif." in response.content.decode()


def test_the_details_limit_is_said_in_french_with_the_length_sent(catalogue):
    with translation.override("fr"):
        form = ReportForm({"reason": "spam", "details": "x" * 1001})
        assert not form.is_valid()
        error = form.errors["details"][0].replace(NBSP, " ")
    assert error == "Les détails doivent tenir en 1 000 caractères (ils en ont 1001)."
    with translation.override("en"):
        form = ReportForm({"reason": "spam", "details": "x" * 1001})
        form.is_valid()
        assert form.errors["details"][0] == (
            "Keep the details under 1,000 characters (they have 1001)."
        )


def test_a_report_thanks_in_french_and_the_log_stays_in_english(bob_client, review, catalogue):
    response = bob_client.post(
        f"/fr/report/review/{review.pk}/", {"reason": "spoilers", "details": "La fin."}
    )
    assert flashes(response) == [
        "Merci" + NBSP + ": votre signalement a été transmis aux modérateurs."
    ]
    entry = ModerationAction.objects.get()
    assert entry.reason == "Unmarked spoilers: La fin."  # stored in one language
    with translation.override("fr"):
        assert system_reason(entry.reason) == "Spoilers non signalés" + NBSP + ": La fin."
    again = bob_client.get(f"/fr/report/review/{review.pk}/")
    assert flashes(again)[-1:] == [
        "Vous avez déjà signalé ce contenu" + NBSP + ": merci, les modérateurs vont l'examiner."
    ]


def test_one_cannot_report_ones_own_post_in_french(alice_client, review, catalogue):
    response = alice_client.get(f"/fr/report/review/{review.pk}/")
    assert flashes(response) == ["Vous ne pouvez pas signaler votre propre contenu."]


def test_the_queue_decisions_and_their_messages_are_french(moderator_client, review, catalogue):
    make_report(review, reason="spam")
    page = moderator_client.get("/fr/moderation/").content.decode()
    for french in (
        "Masquer",
        "Classer les signalements",
        "Marquer comme spoiler",
        "Spam ou publicité",
    ):
        assert french in page, french
    assert "1 signalement ouvert" in page
    response = moderator_client.post(
        f"/fr/moderation/items/review/{review.pk}/", {"action": "hide", "note": "Hors sujet."}
    )
    assert flashes(response) == ["Masqué. L'auteur voit votre motif."]
    response = moderator_client.post(
        f"/fr/moderation/items/review/{review.pk}/", {"action": "hide"}
    )
    assert flashes(response)[-1:] == ["Choisissez un motif ou écrivez-en un."]


def test_a_sanction_form_and_its_errors_are_french(catalogue):
    with translation.override("fr"):
        form = SanctionForm({"action": "silence", "note": "Insultes."}, actions=["silence"])
        assert not form.is_valid()
        assert form.errors["until"] == ["Choisissez la date et l'heure de fin."]
        assert str(form.fields["until"].label) == "Jusqu'au (UTC)"


def test_a_hidden_item_is_explained_in_french_with_its_gender(
    alice, bob, moderator, review, catalogue
):
    comment = make_comment(review=review, author=bob)
    moderation.decide(moderator=moderator, item=comment, action="hide", reason="Grossier.")
    page = Client().get("/fr" + review.get_absolute_url()).content.decode()
    assert "Ce commentaire n'est plus visible sur décision d'un modérateur." in page
    with translation.override("fr"):
        assert this_item("review") == "cette critique"
        assert this_item("collection") == "cette collection"
        assert this_item("profile") == "ce profil"
        assert kind_label("correction") == "correction suggérée"
    with translation.override("en"):
        assert this_item("comment") == "this comment"


def test_what_the_system_writes_is_shown_in_french(catalogue):
    with translation.override("fr"):
        assert system_reason(moderation.AUTO_HIDE_MESSAGE).startswith("Masqué automatiquement")
        held = moderation.HELD_REASON % {"word": "spam"}
        assert (
            system_reason(held)
            == "Il contient «"
            + NBSP
            + "spam"
            + NBSP
            + "», un mot que nos modérateurs vérifient d'abord."
        )
        assert system_reason("3 open reports from members.") == "3 signalements ouverts de membres."
        assert system_reason("My own words.") == "My own words."


def test_a_blocked_word_is_refused_in_french(alice_client, catalogue, film):
    make_watched_word("spam", action="block")
    with translation.override("fr"):
        message = moderation.blocked_message(moderation.watchwords.Match("block", "spam"))
    assert message.startswith("Votre texte contient «" + NBSP + "spam" + NBSP + "»")


def test_the_logs_items_are_named_in_french(catalogue):
    with translation.override("fr"):
        assert target_label("Review #2 of Léon") == "Critique n° 2 de Léon"
        assert target_label("Comment #3 on review #1") == "Commentaire n° 3 sur la critique n° 1"
        assert target_label("Profile #4") == "Profil n° 4"
        assert target_label("Something else") == "Something else"
