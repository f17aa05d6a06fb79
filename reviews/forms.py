"""Every community input goes through one of these forms, rendered with crispy."""

from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from films.formatting import grouped
from leonsite.accounts.templatetags.members import member_name
from leonsite.lib.forms import (
    ControlCharactersMixin,
    HoneypotMixin,
    form_helper,
    honeypot_layout,
)

from .models import (
    COLLECTION_DESCRIPTION_MAX,
    COMMENT_BODY_MAX,
    ITEM_NOTE_MAX,
    REVIEW_BODY_MAX,
    Comment,
    QuoteCollection,
    Review,
)
from .selectors import REVIEW_SORT_LABELS

CHOOSE_A_RATING = _("Choose a rating, from half a star to five stars.")


class StarRatingField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=Review.RATING_CHOICES,
            coerce=int,
            widget=forms.RadioSelect(attrs={"class": "star-radio"}),
            label=_("Your rating"),
            error_messages={"required": CHOOSE_A_RATING, "invalid_choice": CHOOSE_A_RATING},
            **kwargs,
        )


class ReviewForm(ControlCharactersMixin, HoneypotMixin, forms.ModelForm):
    rating = StarRatingField()
    body = forms.CharField(
        label=_("Your review (optional)"),
        required=False,
        max_length=REVIEW_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    class Meta:
        model = Review
        fields = ("rating", "title", "body", "is_spoiler")
        labels = {"title": _("Title (optional)")}
        help_texts = {"is_spoiler": _("Readers will have to open the whole review to read it.")}

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        limit = grouped(REVIEW_BODY_MAX)
        body = self.fields["body"]
        body.help_text = gettext(
            "Markdown works: **bold**, *italics*, > quotes, [links](https://…). "
            "Hide a spoiler inside ||double bars||. Up to %(limit)s characters."
        ) % {"limit": limit}
        # The validator fills in %(show_value)s: how long the text is.
        body.error_messages["max_length"] = gettext(
            "Keep your review under %(limit)s characters (it has %%(show_value)s)."
        ) % {"limit": limit}
        self.helper = form_helper(
            submit_label or gettext("Publish my review"),
            layout=Layout(
                Field("rating", template="reviews/fields/star_rating.html"),
                "title",
                "body",
                "is_spoiler",
                honeypot_layout(),
            ),
        )


def plain_text_help(limit: int) -> str:
    return gettext("Plain text, up to %(limit)s characters.") % {"limit": grouped(limit)}


class CommentForm(ControlCharactersMixin, HoneypotMixin, forms.ModelForm):
    """A comment, or (with `reply_to`, the comment answered) a reply: the same form,
    posted to the same address, so a reply works as a plain POST without JavaScript."""

    reply_to = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Comment
        fields = ("body",)
        labels = {"body": _("Your comment")}
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_BODY_MAX})}

    def __init__(self, *args, action="", submit_label=None, reply_to=None, writer=None, **kwargs):
        if reply_to is not None:
            # A second form on the page: its own ids, so labels stay paired.
            kwargs.setdefault("auto_id", f"reply-{reply_to.pk}-%s")
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("reply_to", reply_to.pk)
            if reply_to.parent_id and reply_to.author_id != getattr(writer, "pk", None):
                # Answering a reply: the thread stays one level deep, the name says whom.
                initial.setdefault("body", f"@{reply_to.author.username} ")
        super().__init__(*args, **kwargs)
        self.reply_target = reply_to
        body = self.fields["body"]
        body.help_text = plain_text_help(COMMENT_BODY_MAX)
        if reply_to is not None:
            body.label = gettext("Your reply to %(member)s") % {
                "member": member_name(reply_to.author)
            }
            submit_label = submit_label or gettext("Post reply")
        self.helper = form_helper(
            submit_label or gettext("Post comment"),
            action=action,
            layout=Layout("body", "reply_to", honeypot_layout()),
        )


class CollectionForm(ControlCharactersMixin, HoneypotMixin, forms.ModelForm):
    class Meta:
        model = QuoteCollection
        fields = ("title", "description", "visibility")
        widgets = {
            "description": forms.Textarea(
                attrs={"rows": 4, "maxlength": COLLECTION_DESCRIPTION_MAX}
            ),
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].help_text = plain_text_help(COLLECTION_DESCRIPTION_MAX)
        self.helper = form_helper(
            submit_label or gettext("Save collection"),
            layout=Layout("title", "description", "visibility", honeypot_layout()),
        )


NEW_COLLECTION = "new"


class AddToCollectionForm(ControlCharactersMixin, forms.Form):
    """Pick one of my collections, or start a new one, for a quote. Works without JS."""

    quote = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)
    collection = forms.ChoiceField(label=_("Collection"))
    new_title = forms.CharField(
        label=_("Title for a new collection"),
        max_length=120,
        required=False,
        help_text=_("Used when you pick “Start a new collection”."),
    )
    note = forms.CharField(
        label=pgettext_lazy("a member's note on a quote", "Note (optional)"),
        max_length=ITEM_NOTE_MAX,
        required=False,
    )

    def __init__(self, *args, collections=(), action="", submit_id="add-quote-submit", **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(c.pk), c.title) for c in collections]
        choices.append((NEW_COLLECTION, gettext("Start a new collection")))
        self.fields["collection"].choices = choices
        self.collections = {str(c.pk): c for c in collections}
        # Many of these forms share a page: every id must be unique, the button's too.
        self.helper = form_helper(
            gettext("Add quote"),
            action=action,
            form_class="add-to-collection",
            submit_id=submit_id,
            submit_class="btn-accent btn-sm",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("collection") == NEW_COLLECTION and not cleaned.get("new_title", "").strip():
            self.add_error("new_title", gettext("Give the new collection a title."))
        return cleaned


class ReviewFilterForm(forms.Form):
    sort = forms.ChoiceField(
        label=_("Sort by"), choices=list(REVIEW_SORT_LABELS.items()), required=False
    )
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", _("All ratings")), *Review.RATING_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(gettext("Apply"), method="get", form_class="review-filter")


class LikeForm(forms.Form):
    action = forms.ChoiceField(choices=[("like", "Like"), ("unlike", "Unlike")])


class ItemForm(forms.Form):
    item = forms.IntegerField(min_value=1)


class MoveItemForm(ItemForm):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class ItemNoteForm(ControlCharactersMixin, ItemForm):
    note = forms.CharField(max_length=ITEM_NOTE_MAX, required=False)
