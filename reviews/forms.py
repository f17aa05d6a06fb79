"""Every community input goes through one of these forms, rendered with crispy."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ObjectDoesNotExist, ValidationError

from .images import AVATAR_MAX_BYTES, process_avatar
from .models import (
    BIO_MAX,
    COMMENT_BODY_MAX,
    MODERATION_REASON_MAX,
    REPORT_DETAILS_MAX,
    REVIEW_BODY_MAX,
    Comment,
    Profile,
    QuoteCollection,
    Report,
    Review,
)
from .selectors import REVIEW_SORT_LABELS

User = get_user_model()


def _helper(submit_label: str, *, action: str = "", layout: Layout | None = None) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    if action:
        helper.form_action = action
    if layout is not None:
        helper.layout = layout
    helper.add_input(Submit("submit", submit_label, css_class="btn-accent"))
    return helper


# A honeypot on the public forms: a field people never see (hidden by CSS, aria-hidden,
# out of the tab order) that form-filling bots fill in.
HONEYPOT = "homepage"
HONEYPOT_ERROR = "This form could not be sent. If you are a person, please try again."


class HoneypotMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT] = forms.CharField(
            label="Leave this field empty",
            required=False,
            max_length=200,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )

    def clean(self):
        cleaned = super().clean()
        if self.cleaned_data.get(HONEYPOT):
            raise ValidationError(HONEYPOT_ERROR, code="honeypot")
        self.cleaned_data.pop(HONEYPOT, None)
        return cleaned

    @property
    def caught_a_bot(self) -> bool:
        return any(e.code == "honeypot" for e in self.errors.as_data().get("__all__", []))


def honeypot_layout() -> Div:
    return Div(HONEYPOT, css_class="hp-field", aria_hidden="true")


class LoginForm(AuthenticationForm):
    """Django's login form, which also tells a suspended member why and until when."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        from .security import suspension_message

        try:
            profile = user.profile
        except ObjectDoesNotExist:
            return
        if profile.is_suspended:
            raise ValidationError(suspension_message(profile), code="suspended")


class SignupForm(HoneypotMixin, UserCreationForm):
    email = forms.EmailField(
        max_length=254,
        help_text="For password resets only; never shown to anyone.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.helper = _helper(
            "Create my account",
            layout=Layout("username", "email", "password1", "password2", honeypot_layout()),
        )

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).strip()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                "An account already uses this e-mail address. "
                "Log in, or reset your password if you forgot it.",
                code="email_taken",
            )
        return email


class ProfileForm(forms.ModelForm):
    avatar = forms.FileField(
        required=False,
        label="New avatar",
        help_text="JPEG, PNG or WebP, at most 5 MB and 4096 pixels a side. "
        "We crop it to a square and remove its metadata (camera, location).",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_avatar = forms.BooleanField(required=False, label="Remove my current avatar")

    class Meta:
        model = Profile
        fields = ("display_name", "bio")
        help_texts = {
            "display_name": "Shown instead of your username. Up to 60 characters.",
            "bio": f"A few words about you, plain text, up to {BIO_MAX} characters.",
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 4, "maxlength": BIO_MAX})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = ["display_name", "bio", "avatar"]
        if self.instance.avatar:
            fields.append("remove_avatar")
        else:
            del self.fields["remove_avatar"]
        self.helper = _helper("Save my profile", layout=Layout(*fields))
        self.helper.form_enctype = "multipart/form-data"  # crispy sets it from the fields too

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if not upload:
            return None
        if upload.size > AVATAR_MAX_BYTES:
            raise ValidationError(
                "That file is %(size)s MB; an avatar can be at most 5 MB.",
                params={"size": f"{upload.size / 1024 / 1024:.1f}"},
                code="too_large",
            )
        return process_avatar(upload)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("That is not your password.", code="wrong_password")
        return password


class StarRatingField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=Review.RATING_CHOICES,
            coerce=int,
            widget=forms.RadioSelect(attrs={"class": "star-radio"}),
            label="Your rating",
            error_messages={
                "required": "Choose a rating, from half a star to five stars.",
                "invalid_choice": "Choose a rating, from half a star to five stars.",
            },
            **kwargs,
        )


class ReviewForm(HoneypotMixin, forms.ModelForm):
    rating = StarRatingField()
    body = forms.CharField(
        label="Your review (optional)",
        required=False,
        max_length=REVIEW_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Markdown works: **bold**, *italics*, > quotes, [links](https://…). "
        "Hide a spoiler inside ||double bars||. "
        f"Up to {REVIEW_BODY_MAX:,} characters.",
        error_messages={
            "max_length": f"Keep your review under {REVIEW_BODY_MAX:,} characters "
            "(it has %(show_value)s)."
        },
    )

    class Meta:
        model = Review
        fields = ("rating", "title", "body", "is_spoiler")
        labels = {"title": "Title (optional)"}
        help_texts = {"is_spoiler": "Readers will have to open the whole review to read it."}

    def __init__(self, *args, submit_label="Publish my review", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            submit_label,
            layout=Layout(
                Field("rating", template="reviews/fields/star_rating.html"),
                "title",
                "body",
                "is_spoiler",
                honeypot_layout(),
            ),
        )


class CommentForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ("body",)
        labels = {"body": "Your comment"}
        help_texts = {"body": f"Plain text, up to {COMMENT_BODY_MAX:,} characters."}
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_BODY_MAX})}

    def __init__(self, *args, action="", submit_label="Post comment", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit_label, action=action, layout=Layout("body", honeypot_layout()))


class CollectionForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = QuoteCollection
        fields = ("title", "description", "visibility")
        help_texts = {"description": "Plain text, up to 2,000 characters."}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args, submit_label="Save collection", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            submit_label, layout=Layout("title", "description", "visibility", honeypot_layout())
        )


NEW_COLLECTION = "new"


class AddToCollectionForm(forms.Form):
    """Pick one of my collections, or start a new one, for a quote. Works without JS."""

    quote = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)
    collection = forms.ChoiceField(label="Collection")
    new_title = forms.CharField(
        label="Title for a new collection",
        max_length=120,
        required=False,
        help_text="Used when you pick “Start a new collection”.",
    )
    note = forms.CharField(label="Note (optional)", max_length=500, required=False)

    def __init__(self, *args, collections=(), action="", submit_id="add-quote-submit", **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(c.pk), c.title) for c in collections]
        choices.append((NEW_COLLECTION, "Start a new collection"))
        self.fields["collection"].choices = choices
        self.collections = {str(c.pk): c for c in collections}
        # Many of these forms share a page: every id must be unique, the button's too.
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_action = action
        self.helper.form_class = "add-to-collection"
        self.helper.add_input(
            Submit("submit", "Add quote", css_class="btn-accent btn-sm", css_id=submit_id)
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("collection") == NEW_COLLECTION and not cleaned.get("new_title", "").strip():
            self.add_error("new_title", "Give the new collection a title.")
        return cleaned


class ReviewFilterForm(forms.Form):
    sort = forms.ChoiceField(
        label="Sort by", choices=list(REVIEW_SORT_LABELS.items()), required=False
    )
    rating = forms.TypedChoiceField(
        label="Rating",
        choices=[("", "All ratings"), *Review.RATING_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "review-filter"
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("apply", "Apply", css_class="btn-accent"))


class LikeForm(forms.Form):
    action = forms.ChoiceField(choices=[("like", "Like"), ("unlike", "Unlike")])


class ItemForm(forms.Form):
    item = forms.IntegerField(min_value=1)


class MoveItemForm(ItemForm):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class ItemNoteForm(ItemForm):
    note = forms.CharField(max_length=500, required=False)


# Moderation -----------------------------------------------------------------------------


class ReportForm(HoneypotMixin, forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with it?",
        choices=Report.MEMBER_REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a reason.", "invalid_choice": "Choose a reason."},
    )
    details = forms.CharField(
        label="Details (optional)",
        required=False,
        max_length=REPORT_DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": REPORT_DETAILS_MAX}),
        help_text=f"What should a moderator know? Plain text, up to {REPORT_DETAILS_MAX:,} "
        "characters. Only moderators read it.",
        error_messages={
            "max_length": f"Keep the details under {REPORT_DETAILS_MAX:,} characters "
            "(they have %(show_value)s)."
        },
    )

    def __init__(self, *args, action="", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "Send report", action=action, layout=Layout("reason", "details", honeypot_layout())
        )


class ReasonFieldsMixin(forms.Form):
    """A reason picked from the removal-reason templates, or written, or both."""

    template = forms.ChoiceField(label="Reason", required=False)
    note = forms.CharField(
        label="Or write a reason",
        required=False,
        max_length=MODERATION_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MODERATION_REASON_MAX}),
        help_text="The author reads it.",
    )

    def __init__(self, *args, reasons=(), **kwargs):
        # `reasons` is read once per page, however many forms it shows.
        super().__init__(*args, **kwargs)
        self.reasons = {str(r.pk): r for r in reasons}
        self.fields["template"].choices = [("", "— pick a reason —")] + [
            (str(r.pk), r.title) for r in reasons
        ]

    def clean(self):
        cleaned = super().clean()
        template = self.reasons.get(cleaned.get("template") or "")
        note = (cleaned.get("note") or "").strip()
        parts = [p for p in (template.message if template else "", note) if p]
        if not parts and not self.errors:
            raise ValidationError("Pick a reason or write one.", code="no_reason")
        cleaned["reason"] = "\n\n".join(parts)
        return cleaned


def action_form_helper(buttons, actions, fields, action_url, form_class, id_prefix=None):
    """A moderator's form: its fields, then one submit button per allowed action, each
    sending its own `action` value (`buttons` maps an action to its label and style)."""
    helper = FormHelper()
    helper.form_method = "post"
    helper.form_action = action_url
    helper.form_class = form_class
    submits = [
        StrictButton(
            buttons[action][0],
            type="submit",
            name="action",
            value=action,
            css_class=f"btn btn-sm {buttons[action][1]}",
            **({"css_id": f"{id_prefix}{action}"} if id_prefix is not None else {}),
        )
        for action in actions
    ]
    helper.layout = Layout(*fields, Div(*submits, css_class="decision-buttons"))
    return helper


DECISION_BUTTONS = {
    "hide": ("Hide", "btn-danger"),
    "restore": ("Restore", "btn-success"),
    "dismiss": ("Dismiss reports", "btn-outline-secondary"),
    "spoiler": ("Mark as spoiler", "btn-outline-dark"),
}


class DecisionForm(ReasonFieldsMixin):
    action = forms.ChoiceField(choices=[(k, v[0]) for k, v in DECISION_BUTTONS.items()])

    def __init__(self, *args, action_url="", actions=(), prefix_id="", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = action_form_helper(
            DECISION_BUTTONS, actions, ["template", "note"], action_url, "decision-form", prefix_id
        )


SANCTION_BUTTONS = {
    "silence": ("Silence", "btn-warning"),
    "suspend": ("Suspend", "btn-danger"),
    "unsilence": ("Lift the silence", "btn-outline-secondary"),
    "unsuspend": ("Lift the suspension", "btn-outline-secondary"),
}


class SanctionForm(ReasonFieldsMixin):
    action = forms.ChoiceField(choices=[(k, v[0]) for k, v in SANCTION_BUTTONS.items()])
    until = forms.DateTimeField(
        label="Until (UTC)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Silence: can read, cannot post. Suspend: cannot log in. Both end by "
        "themselves at this time.",
    )

    def __init__(self, *args, action_url="", actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = "The member reads it."
        self.helper = action_form_helper(
            SANCTION_BUTTONS, actions, ["until", "template", "note"], action_url, "sanction-form"
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") in ("silence", "suspend") and not cleaned.get("until"):
            self.add_error("until", "Pick the date and time it ends.")
        return cleaned
