"""Forged ids of hidden items: no write reaches them, and their authors cannot edit them
back into view while a moderator holds them."""

import pytest

from reviews.models import (
    CollectionItem,
    CollectionLike,
    Comment,
    QuoteCollection,
    Review,
    ReviewLike,
)
from reviews.moderation import services as moderation
from tests.factories import make_collection, make_comment, make_quote, make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(alice, moderator):
    """Alice's review, comment and collection, each hidden by a moderator."""
    quote = make_quote()
    review = make_review(author=alice, body="Hidden review.")
    comment = make_comment(review=make_review(), author=alice, body="Hidden comment.")
    collection = make_collection(owner=alice, quotes=[make_quote()])
    for item in (review, comment, collection):
        moderation.decide(moderator=moderator, item=item, action="hide", reason="Held back.")
    return {"review": review, "comment": comment, "collection": collection, "quote": quote}


def state():
    return {
        model.__name__: sorted(map(repr, model.objects.values()))
        for model in (Review, Comment, QuoteCollection, CollectionItem, ReviewLike, CollectionLike)
    }


def test_other_members_cannot_write_to_hidden_items(bob_client, hidden):
    review, collection = hidden["review"], hidden["collection"]
    before = state()
    for url, data in [
        (f"/reviews/{review.pk}/comments/", {"body": "Hi"}),
        (f"/reviews/{review.pk}/like/", {"action": "like"}),
        (f"/collections/{collection.pk}/copy/", {}),
        (f"/collections/{collection.pk}/like/", {"action": "like"}),
    ]:
        assert bob_client.post(url, data).status_code == 404, url
    assert state() == before


def test_the_author_cannot_edit_a_hidden_post_back_into_view(alice_client, hidden):
    review, comment, collection = hidden["review"], hidden["comment"], hidden["collection"]
    before = state()
    edit = alice_client.post(f"/reviews/{review.pk}/edit/", {"rating": "3", "body": "Edited"})
    assert edit.status_code == 302 and edit.url == review.get_absolute_url()
    comment_url = f"/reviews/{comment.review_id}/comments/{comment.pk}/edit/"
    assert alice_client.post(comment_url, {"body": "Edited"}).status_code == 404
    collection_url = f"/collections/{collection.pk}/edit/"
    data = {"title": "Edited", "visibility": "public"}
    assert alice_client.post(collection_url, data).status_code == 404
    add = alice_client.post(
        "/collections/add/", {"quote": hidden["quote"].pk, "collection": collection.pk}
    )
    assert add.status_code == 400
    assert state() == before


def test_the_author_may_still_delete_a_hidden_post(alice_client, hidden):
    review = hidden["review"]
    assert alice_client.post(f"/reviews/{review.pk}/delete/").status_code == 302
    review.refresh_from_db()
    assert review.deleted_at is not None and review.body == "Hidden review."
