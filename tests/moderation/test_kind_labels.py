"""Moderation names the kinds only through the registry: labels, "this review" and the
log's snapshots come from the apps that register the kinds, in the reader's language."""

import pytest
from django.utils import translation

from leonsite.lib import moderated
from reviews.moderation import labels


@pytest.mark.parametrize(
    ("kind", "english", "french"),
    [
        ("review", "this review", "cette critique"),
        ("comment", "this comment", "ce commentaire"),
        ("quotecollection", "this collection", "cette collection"),  # a report's content type
        ("profile", "this profile", "ce profil"),
    ],
)
def test_this_item_comes_from_the_registry_in_the_readers_language(kind, english, french):
    with translation.override("en"):
        assert labels.this_item(kind) == english
    with translation.override("fr"):
        assert labels.this_item(kind) == french


def test_an_unknown_kind_is_shown_as_it_is():
    assert labels.kind_label("poster") == "poster"
    with translation.override("en"):
        assert labels.this_item("poster") == "this poster"


def test_every_kind_reads_its_log_snapshot_back_in_french():
    review = moderated.kind_named("review")
    assert review is not None
    snapshot = "Review #12 of Léon: The Professional"
    with translation.override("fr"):
        assert labels.target_label(snapshot) == "Critique n° 12 de Léon: The Professional"
        assert labels.target_label("Profile #3") != "Profile #3"
        assert labels.target_label("Written by hand") == "Written by hand"
    with translation.override("en"):
        assert labels.target_label(snapshot) == snapshot


def test_a_description_is_the_english_sentence_with_the_items_values():
    describe = moderated.Description("Thing #%(pk)s of %(title)s", lambda item: item)
    assert describe({"pk": 4, "title": "A (strange) title.*"}) == "Thing #4 of A (strange) title.*"
    assert describe.translated("Thing #4 of A (strange) title.*") == (
        "Thing #4 of A (strange) title.*"
    )
    assert describe.translated("Other #4") is None
