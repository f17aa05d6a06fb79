"""Accounts in French: the e-mails go out in the language of the page the member used,
and what the French page test cannot see (form errors, flash messages, the pages that
tests/pages.py does not list) is French too."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from leonsite.accounts.models import Profile
from leonsite.accounts.views import published_message
from tests.factories import PASSWORD, make_review, make_user
from tests.test_french_pages import english_phrases, visible_text

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def french_text(response) -> str:
    return unescape(response.content.decode()).replace(NBSP, " ")


def assert_no_english(response, page: str) -> None:
    text = visible_text(response.content.decode())
    left = sorted(phrase for phrase in english_phrases() if phrase in text)
    assert not left, f"{page}: {left}"


@pytest.fixture
def sign_up(django_capture_on_commit_callbacks):
    """Sign up from a page of either language, running the e-mails' commit hooks."""

    def post(client, prefix="/fr", username="carol", email="carol@example.com"):
        data = {"username": username, "email": email, "password1": PASSWORD}
        data["password2"] = PASSWORD
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"{prefix}/accounts/signup/?next=/fr/films/", data)

    return post


# E-mails ---------------------------------------------------------------------------------


def test_a_signup_from_a_french_page_gets_a_french_email_with_french_links(
    client, mailoutbox, sign_up
):
    response = sign_up(client)
    assert response.status_code == 302 and response.url == "/fr/accounts/signup/sent/"
    (message,) = mailoutbox
    assert message.subject == "Confirmez votre compte Leonsite"
    assert message.extra_headers["Content-Language"] == "fr"
    body = message.body.replace(NBSP, " ")
    assert body.startswith("Bonjour carol,")
    assert "Quelqu'un (vous, nous l'espérons) s'est inscrit sur Leonsite" in body
    assert "Hello" not in body and "Someone" not in body
    link = re.search(r"http://testserver(/fr/accounts/confirm/\S+)", body).group(1)

    page = client.get(link)
    assert "Confirmer et me connecter" in french_text(page)
    welcome = client.post(link, follow=True)
    assert welcome.redirect_chain[-1][0] == "/fr/films/"
    assert "Bienvenue dans la communauté, carol !" in french_text(welcome)


def test_a_signup_from_an_english_page_still_gets_an_english_email(client, mailoutbox, sign_up):
    sign_up(Client(), prefix="/fr", username="dave", email="dave@example.com")
    sign_up(client, prefix="", username="erin", email="erin@example.com")
    french_mail, english_mail = mailoutbox
    assert french_mail.subject.startswith("Confirmez")
    assert english_mail.subject == "Confirm your Leonsite account"
    assert english_mail.extra_headers["Content-Language"] == "en"
    assert english_mail.body.startswith("Hello erin,")
    assert "http://testserver/accounts/confirm/" in english_mail.body


def test_the_word_to_an_address_in_use_is_french_from_a_french_page(
    client, mailoutbox, sign_up, alice
):
    sign_up(client, username="someone", email="alice@example.com")
    (message,) = mailoutbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "Quelqu'un a essayé de s'inscrire sur Leonsite avec votre adresse"
    body = message.body.replace(NBSP, " ")
    assert body.startswith("Bonjour alice,")
    assert "Si c'était vous, connectez-vous : http://testserver/fr/accounts/login/" in body
    assert "http://testserver/fr/accounts/password_reset/" in body


def test_a_password_reset_from_a_french_page_is_french(client, mailoutbox, alice):
    response = client.post("/fr/accounts/password_reset/", {"email": "alice@example.com"})
    assert response.url == "/fr/accounts/password_reset/done/"
    (message,) = mailoutbox
    assert "Réinitialisation du mot de passe" in message.subject  # Django's own catalogue
    assert "http://testserver/fr/accounts/reset/" in message.body


# Forms and flash messages ----------------------------------------------------------------


def test_signup_errors_are_french(client, alice):
    page = french_text(
        client.post(
            "/fr/accounts/signup/",
            {
                "username": "ALICE",
                "email": "x@example.com",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    )
    assert "Ce nom d'utilisateur ressemble trop à celui d'un membre" in page or (
        "existe déjà" in page  # Django's own unique-username error, in its French
    )
    page = french_text(
        client.post(
            "/fr/accounts/signup/",
            {"username": "ev\u202eil", "email": "y@example.com"}
            | {"password1": PASSWORD, "password2": PASSWORD, "homepage": "spam"},
        )
    )
    assert "ne peut pas contenir de caractères invisibles" in page
    assert "Ce formulaire n'a pas pu être envoyé" in page
    assert "Uniquement pour réinitialiser votre mot de passe" in page  # the help text


def test_settings_messages_and_errors_are_french(alice_client):
    page = french_text(alice_client.get("/fr/accounts/settings/"))
    assert "Enregistrer mon profil" in page and "Nom affiché" in page
    assert "Quelques mots sur vous, en texte simple, 1000 caractères au plus." in page
    svg = SimpleUploadedFile("a.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml")
    page = french_text(
        alice_client.post("/fr/accounts/settings/", {"display_name": "A", "bio": "", "avatar": svg})
    )
    assert "Les fichiers SVG ne sont pas acceptés" in page
    saved = alice_client.post(
        "/fr/accounts/settings/", {"display_name": "Alice", "bio": "Hi"}, follow=True
    )
    assert saved.redirect_chain[-1][0] == "/fr/accounts/settings/"
    assert "Votre profil est enregistré." in french_text(saved)


def test_deleting_an_account_speaks_french(alice_client, alice):
    page = french_text(alice_client.post("/fr/accounts/delete/", {"password": "wrong"}))
    assert "Ce n'est pas votre mot de passe." in page
    done = alice_client.post("/fr/accounts/delete/", {"password": PASSWORD}, follow=True)
    assert done.redirect_chain[-1][0] == "/fr/"
    text = french_text(done)
    assert "Votre compte est supprimé." in text and "« un membre supprimé »" in text


def test_a_deleted_members_posts_are_credited_in_the_pages_language(alice_client, alice):
    from django.utils import translation

    with translation.override("en"):
        url = make_review(author=alice).get_absolute_url()
    alice_client.post("/accounts/delete/", {"password": PASSWORD})
    reader = Client()
    assert "un membre supprimé" in reader.get("/fr" + url).content.decode()
    assert "a deleted user" in reader.get(url).content.decode()


def test_a_suspended_member_is_told_in_french_with_a_french_date(client, alice):
    until = datetime(timezone.now().year + 1, 9, 14, 10, 5, tzinfo=UTC)
    Profile.objects.filter(user=alice).update(suspended_until=until, suspension_reason="Spam.")
    page = french_text(
        client.post("/fr/accounts/login/", {"username": "alice", "password": PASSWORD})
    )
    assert (
        f"Votre compte est suspendu jusqu'au 14 septembre {until.year}, 10:05 UTC : Spam." in page
    )
    english = unescape(
        Client()
        .post("/accounts/login/", {"username": "alice", "password": PASSWORD})
        .content.decode()
    )
    assert f"Your account is suspended until 14 September {until.year}, 10:05 UTC: Spam." in english


def test_the_held_post_thanks_agree_with_each_kind_of_post():
    from django.utils import translation

    held = SimpleNamespace(is_held=True)
    with translation.override("fr"):
        assert published_message(held, "review", "x").replace(NBSP, " ") == (
            "Merci ! Votre critique attend la relecture d'un modérateur avant de paraître."
        )
        assert "Votre profil attend" in published_message(held, "profile", "x")
        assert "Votre publication attend" in published_message(held, "anything else", "x")
        assert published_message(SimpleNamespace(is_held=False), "review", "Publiée.") == "Publiée."
    with translation.override("en"):
        assert published_message(held, "comment", "x") == (
            "Thanks! Your comment is held for a moderator's review before it appears."
        )


def test_the_theme_switch_refuses_in_the_language_of_the_page_it_was_used_on(client, db):
    refused = client.post("/theme/", {"theme": "dark", "next": "/fr/films/"})
    assert refused.status_code == 403
    assert refused.content.decode() == "Choisissez un thème depuis les pages de ce site."
    refused = client.post("/theme/", {"theme": "dark", "next": "/films/"})
    assert refused.content.decode() == "Choose a theme from this site's pages."


# Pages that tests/pages.py does not list -------------------------------------------------


def test_the_account_pages_outside_the_page_list_are_french(alice_client, alice, client):
    for url in (
        "/fr/accounts/delete/",
        "/fr/accounts/password_change/",
        "/fr/accounts/password_change/done/",
    ):
        response = alice_client.get(url)
        assert response.status_code == 200, url
        assert_no_english(response, url)
    for url in (
        "/fr/accounts/password_reset/",
        "/fr/accounts/password_reset/done/",
        "/fr/accounts/reset/done/",
        "/fr/accounts/reset/MQ/set-password/",
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert_no_english(response, url)
    failed = client.post("/fr/accounts/confirm/MQ/wrong-token/")
    assert failed.status_code == 400
    assert "Ce lien ne fonctionne pas" in french_text(failed)
    assert_no_english(failed, "confirm_failed")


def test_the_restricted_page_and_notice_are_french(alice_client, alice):
    until = timezone.now() + timedelta(days=3)
    Profile.objects.filter(user=alice).update(silenced_until=until, silence_reason="Calm down.")
    settings_page = alice_client.get("/fr/accounts/settings/")
    assert "Un modérateur a réduit votre compte au silence" in french_text(settings_page)
    refused = alice_client.post("/fr/accounts/settings/", {"display_name": "A", "bio": ""})
    assert refused.status_code == 403
    text = french_text(refused)
    assert "Vous ne pouvez pas publier pour le moment" in text
    assert "Motif des modérateurs : Calm down." in text
    assert_no_english(refused, "restricted")


def test_the_lockout_page_is_french():
    make_user("frank")
    client = Client(REMOTE_ADDR="203.0.113.30")
    for _ in range(5):
        response = client.post("/fr/accounts/login/", {"username": "frank", "password": "no"})
    assert response.status_code == 429
    text = french_text(response)
    assert "Trop de tentatives de connexion" in text
    assert "Après 5 mots de passe erronés d'affilée" in text and "15 minutes" in text
    assert_no_english(response, "locked_out")
