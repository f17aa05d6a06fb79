"""The members' forms: log-in, sign-up, profile and account deletion."""

from __future__ import annotations

from typing import Any

from crispy_forms.layout import Layout
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.formats import number_format
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from leonsite.lib.forms import HoneypotMixin, form_helper, honeypot_layout
from leonsite.lib.text import invisible_characters, skeleton, strip_control

from .images import AVATAR_MAX_BYTES, process_avatar
from .models import BIO_MAX, Profile
from .security import suspension_message

User = get_user_model()


def refuse_invisible(text: str, message: str) -> None:
    """Refuse a name holding invisible characters; `message` names them as %(chars)s."""
    found = invisible_characters(text)
    if found:
        raise ValidationError(message, params={"chars": ", ".join(found[:3])}, code="invisible")


class LoginForm(AuthenticationForm):
    """Django's login form, which also tells a suspended member why and until when."""

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        profile = Profile.objects.for_user(user)
        if profile.is_suspended:
            raise ValidationError(suspension_message(profile), code="suspended")


class SignupForm(HoneypotMixin, UserCreationForm):  # type: ignore[type-arg]
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("For password resets only; never shown to anyone."),
    )

    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined,misc]
        model = User
        fields = ("username", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.helper = form_helper(
            gettext("Create my account"),
            layout=Layout("username", "email", "password1", "password2", honeypot_layout()),
        )

    def clean_username(self) -> str:
        username: str = super().clean_username()
        refuse_invisible(
            username,
            gettext(
                "A username cannot hold invisible or direction-changing characters (%(chars)s)."
            ),
        )
        if Profile.objects.filter(username_skeleton=skeleton(username)).exists():
            raise ValidationError(
                gettext("That username looks too much like a member's: choose another."),
                code="lookalike",
            )
        return username

    def clean_email(self) -> str:
        # Whether the address has an account is never said here: the e-mail tells its
        # owner (accounts.services.member_signup).
        return User.objects.normalize_email(self.cleaned_data["email"]).strip()


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    avatar = forms.FileField(
        required=False,
        label=_("New avatar"),
        help_text=_(
            "JPEG, PNG or WebP, at most 5 MB and 4096 pixels a side. "
            "We crop it to a square and remove its metadata (camera, location)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_avatar = forms.BooleanField(required=False, label=_("Remove my current avatar"))

    class Meta:
        model = Profile
        fields = ("display_name", "bio", "show_members_spoilers")
        help_texts = {
            "display_name": _("Shown instead of your username. Up to 60 characters."),
            "bio": format_lazy(
                _("A few words about you, plain text, up to {max} characters."), max=BIO_MAX
            ),
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 4, "maxlength": BIO_MAX})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = ["display_name", "bio", "avatar", "show_members_spoilers"]
        if self.instance.avatar:
            fields.append("remove_avatar")
        else:
            del self.fields["remove_avatar"]
        self.helper = form_helper(gettext("Save my profile"), layout=Layout(*fields))
        self.helper.form_enctype = "multipart/form-data"  # crispy sets it from the fields too

    def clean_display_name(self) -> str:
        name = strip_control(self.cleaned_data["display_name"])
        refuse_invisible(
            name,
            gettext(
                "A display name cannot hold invisible or direction-changing characters (%(chars)s)."
            ),
        )
        return name

    def clean_bio(self) -> str:
        return strip_control(self.cleaned_data["bio"])

    def clean_avatar(self) -> ContentFile[bytes] | None:
        upload = self.cleaned_data.get("avatar")
        if not upload:
            return None
        if upload.size > AVATAR_MAX_BYTES:
            raise ValidationError(
                gettext("That file is %(size)s MB; an avatar can be at most 5 MB."),
                params={"size": number_format(upload.size / 1024 / 1024, 1)},
                code="too_large",
            )
        return process_avatar(upload)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = form_helper(gettext("Delete my account"), submit_class="btn-danger")

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(gettext("That is not your password."), code="wrong_password")
        return password
